# bench/metrics_soak.sh: a soak of examples/http (unix, riad's TCP over a
# tap) under wrk load for a bounded time, reading riad_heap_used_bytes from
# its /metrics every second: after the warm-up (the first third) the heap
# must not grow (the last third's largest value within 5% and 64 KiB of the
# middle third's). Writes the unikernel's own memory graph (/memory.svg,
# sampled every second) to SVG_OUT and the samples to CSV_OUT. Exits 1 on
# growth.
# Usage: bench/metrics_soak.sh [SECONDS] (default 60; BENCH_CONNS
# connections, default 50; SVG_OUT default /tmp/riad-soak.svg, CSV_OUT
# default /tmp/riad-soak.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
secs=${1:-${BENCH_SECONDS:-60}}
conns=${BENCH_CONNS:-50}
svg=${SVG_OUT:-/tmp/riad-soak.svg}
csv=${CSV_OUT:-/tmp/riad-soak.csv}
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v wrk >/dev/null; then why="no wrk"
elif ! command -v curl >/dev/null; then why="no curl"
fi
if [ -n "$why" ]; then
	echo "metrics_soak: skipped ($why)"
	exit 0
fi
source bench/lib/paired.sh
work=$(mktemp -d /tmp/riad-bench-soak.XXXXXX)
ns=riad-bsoak-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	ip netns del $ns 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

ip netns add $ns
ip -n $ns link set lo up
ip -n $ns tuntap add dev rbsoak0 mode tap
ip -n $ns link set rbsoak0 up
ip -n $ns addr add 10.234.0.1/24 dev rbsoak0
d=$work/http
cp -R examples/http "$d"
rm -rf "$d/_build" "$d/dist"
"$RIAD" build -t unix -C "$d" >/dev/null
ip netns exec $ns "${srv[@]}" "$d/dist/http.unix" --net:service=rbsoak0 --ipv4=10.234.0.2/24 \
	--metrics=9100 --metrics-sample-ms=1000 >"$work/riad.out" 2>&1 &
pids+=($!)
for ((i = 0; i < 100; i++)); do grep -qs 'management listener' "$work/riad.out" && break; sleep 0.05; done

ip netns exec $ns "${cli[@]}" wrk -t1 -c"$conns" -d"${secs}s" http://10.234.0.2/ >"$work/wrk" 2>&1 &
wrk=$!
echo "second,heap_used_bytes,fibers,established" >"$csv"
for ((s = 1; s <= secs; s++)); do
	sleep 1
	ip netns exec $ns curl -s -m 2 http://10.234.0.2:9100/metrics |
		awk -v s=$s '/^riad_heap_used_bytes / { h = $2 } /^riad_fibers / { f = $2 }
			/^riad_tcp_connections\{state="established"\}/ { e = $2 } END { print s "," h "," f "," e }' >>"$csv"
done
wait $wrk || true
ip netns exec $ns curl -s -m 5 -o "$svg" http://10.234.0.2:9100/memory.svg
rate=$(awk '/Requests\/sec/ { print int($2) }' "$work/wrk")
python3 - "$csv" "$secs" "$rate" "$svg" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["heap_used_bytes"]]
n = len(rows)
if n < 6:
    print("metrics_soak: too few samples (%d)" % n); sys.exit(1)
h = [int(r["heap_used_bytes"]) for r in rows]
mid = max(h[n // 3: 2 * n // 3]); last = max(h[2 * n // 3:])
ok = last <= mid * 1.05 or last - mid <= 65536
print("metrics_soak: %s s, %s req/s; heap after warm-up: middle third max %d, last third max %d (%+.1f%%): %s; graph %s"
      % (sys.argv[2], sys.argv[3], mid, last, 100.0 * (last - mid) / mid, "no growth" if ok else "GROWS", sys.argv[4]))
sys.exit(0 if ok else 1)
PY
