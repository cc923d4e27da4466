# bench/hello_launch.sh: launch-to-exit time of examples/hello (sleeps set to
# zero) on each target, as ratios to baselines measured in the same run:
# /bin/true for every target; for hvt also a minimal KVM program that creates
# a 2 MiB VM and runs one hlt (bench/kvm_hlt.c); and Solo5's tenders running
# the same riad binary when SOLO5_SPT / SOLO5_HVT name them. Also the stripped
# size of each binary and the smallest --mem (MiB) that boots hello.
# Usage: bench/hello_launch.sh [TARGET...] (default: every usable target);
# BENCH_RUNS (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
RIAD=$PWD/build/stage/bin/riad
runs=${BENCH_RUNS:-200}
work=$(mktemp -d /tmp/riad-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -R examples/hello "$work/hello"
rm -rf "$work/hello/_build" "$work/hello/dist"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	usable=$("$RIAD" targets)
	for t in unix spt hvt; do
		grep -Eq "^$t +ok" <<<"$usable" && targets+=("$t")
	done
fi

args="--interval-ms=0 -l quiet"
for t in "${targets[@]}"; do
	"$RIAD" build -t "$t" -C "$work/hello" >/dev/null
	bin=$work/hello/dist/hello.$t
	names=() cmds=()
	case $t in
	unix) names+=("hello.unix"); cmds+=("$bin $args") ;;
	*)
		# The tender itself, not `riad run`, whose shell start-up would
		# dominate the figure.
		names+=("riad-$t hello.$t"); cmds+=("$PWD/build/stage/bin/riad-$t $bin $args")
		solo5_var=SOLO5_${t^^}
		if [ -n "${!solo5_var:-}" ]; then
			names+=("$(basename "${!solo5_var}") hello.$t"); cmds+=("${!solo5_var} $bin $args")
		fi ;;
	esac
	names+=("/bin/true"); cmds+=("/bin/true")
	if [ "$t" = hvt ] && [ -x build/bench/kvm_hlt ]; then
		names+=("kvm_hlt (2 MiB VM, one hlt)"); cmds+=("$PWD/build/bench/kvm_hlt")
	fi
	hyperfine -N -w 10 -r "$runs" --export-json "$work/h.json" "${cmds[@]}" >/dev/null 2>&1
	python3 - "$work/h.json" "$t" "$runs" "${names[@]}" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
t, runs, names = sys.argv[2], sys.argv[3], sys.argv[4:]
med = [r["median"] * 1000 for r in res]
first = med[0]
print("%s: launch to exit, medians of %s runs:" % (t, runs))
for name, m in zip(names, med):
    print("  %-34s %8.3f ms   hello/this = %.2f" % (name, m, first / m))
PY
	cp "$bin" "$work/stripped"
	strip "$work/stripped" 2>/dev/null || true
	printf '  hello.%s stripped size: %d bytes\n' "$t" "$(stat -c %s "$work/stripped")"
	if [ "$t" != unix ]; then
		for mem in 1 2 3 4 6 8; do
			if "$PWD/build/stage/bin/riad-$t" --mem="$mem" "$bin" $args >/dev/null 2>&1; then
				echo "  smallest --mem that boots hello.$t: $mem MiB"
				break
			fi
		done
	fi
done
