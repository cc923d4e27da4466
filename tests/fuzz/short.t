# tests/fuzz/short.t: a short fuzzing run of every libFuzzer target (30 s
# each in CI, two at a time), in CI or when RIAD_FUZZ_SECONDS is set.
# New inputs go to a scratch directory, not to the corpus; a crash fails the
# test and its input is kept under build/fuzz/crashes/NAME/ to add to
# fuzz/corpus/NAME/ once fixed.
cd "$(dirname "$0")/../.."
seconds=${RIAD_FUZZ_SECONDS:-}
if [ -z "$seconds" ]; then
	if [ "${CI:-}" = true ]; then
		seconds=30
	else
		echo "SKIP: fuzz/short: runs in CI (CI=true) or with RIAD_FUZZ_SECONDS=N"
		exit 0
	fi
fi
jobs=$(nproc)
scratch=$(mktemp -d /tmp/riad-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

run_one() {
	local bin=$1 name
	name=$(basename "$bin")
	mkdir -p "$scratch/$name" "build/fuzz/crashes/$name"
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="build/fuzz/crashes/$name/" \
		"$scratch/$name" "fuzz/corpus/$name" >"$scratch/$name.log" 2>&1; then
		echo "PASS: fuzz/$name: ${seconds}s, $(grep -o 'stat::number_of_executed_units: [0-9]*' "$scratch/$name.log" | awk '{print $2}') runs without a finding"
	else
		tail -30 "$scratch/$name.log"
		echo "FAIL: fuzz/$name: a finding in ${seconds}s (input in build/fuzz/crashes/$name/)"
	fi
}

bins=()
for bin in build/fuzz/*; do
	[ -f "$bin" ] && [ -x "$bin" ] && bins+=("$bin")
done
if [ ${#bins[@]} -eq 0 ]; then
	echo "SKIP: fuzz/short: no fuzz targets built"
	exit 0
fi
running=0
for bin in "${bins[@]}"; do
	# -print_final_stats gives the run count on the last lines.
	run_one "$bin" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
