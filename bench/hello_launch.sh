# bench/hello_launch.sh: launch-to-exit time of hello (sleeps set to zero)
# against /bin/true measured in the same run, and hello's stripped size.
# Usage: bench/hello_launch.sh [TARGET...] (default: every usable target)
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
	for t in unix spt hvt; do
		"$RIAD" targets | grep -Eq "^$t +ok" && targets+=("$t")
	done
fi

median_ms() { # hyperfine JSON file, command index
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.3f" % (r["median"]*1000))' "$1" "$2"
}

for t in "${targets[@]}"; do
	"$RIAD" build -t "$t" -C "$work/hello" >/dev/null
	bin=$work/hello/dist/hello.$t
	case $t in
	unix) cmd="$bin --interval-ms=0 -l quiet" ;;
	*) cmd="$RIAD run -t $t -C $work/hello -- --interval-ms=0 -l quiet" ;;
	esac
	hyperfine -N -w 20 -r "$runs" --export-json "$work/h.json" "$cmd" /bin/true >/dev/null 2>&1
	h=$(median_ms "$work/h.json" 0)
	tr=$(median_ms "$work/h.json" 1)
	cp "$bin" "$work/stripped"
	strip "$work/stripped" 2>/dev/null || true
	size=$(stat -c %s "$work/stripped")
	printf 'hello.%s launch to exit: median %s ms; /bin/true %s ms; ratio %.2f (%d runs)\n' \
		"$t" "$h" "$tr" "$(python3 -c "print($h/$tr)")" "$runs"
	printf 'hello.%s stripped size: %d bytes\n' "$t" "$size"
done
