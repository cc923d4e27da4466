# bench/metrics_cost.sh: what Prometheus-style scraping costs a busy
# unikernel: wrk's request rate against examples/http (unix, riad's TCP over
# a tap, --metrics=9100) while /metrics is fetched every second, over the
# rate without scraping, in alternating rounds of the same run (the ratio
# is the median of the rounds' ratios; 1.000 means free).
# Usage: bench/metrics_cost.sh [SECONDS] (per measurement, default 5;
# BENCH_ROUNDS rounds, default 3; BENCH_CONNS connections, default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
secs=${1:-${BENCH_SECONDS:-5}}
rounds=${BENCH_ROUNDS:-3}
conns=${BENCH_CONNS:-50}
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v wrk >/dev/null; then why="no wrk"
elif ! command -v curl >/dev/null; then why="no curl"
fi
if [ -n "$why" ]; then
	echo "metrics_cost: skipped ($why)"
	exit 0
fi
source bench/lib/paired.sh
work=$(mktemp -d /tmp/riad-bench-metrics.XXXXXX)
ns=riad-bmet-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	ip netns del $ns 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

ip netns add $ns
ip -n $ns link set lo up
ip -n $ns tuntap add dev rbmet0 mode tap
ip -n $ns link set rbmet0 up
ip -n $ns addr add 10.233.0.1/24 dev rbmet0
d=$work/http
cp -R examples/http "$d"
rm -rf "$d/_build" "$d/dist"
"$RIAD" build -t unix -C "$d" >/dev/null
ip netns exec $ns "${srv[@]}" "$d/dist/http.unix" --net:service=rbmet0 --ipv4=10.233.0.2/24 \
	--metrics=9100 >"$work/riad.out" 2>&1 &
pids+=($!)
for ((i = 0; i < 100; i++)); do grep -qs 'management listener' "$work/riad.out" && break; sleep 0.05; done
ip netns exec $ns curl -sS -m 5 -o /dev/null http://10.233.0.2:9100/metrics

rps() {
	ip netns exec $ns "${cli[@]}" wrk -t1 -c"$conns" -d"${secs}s" http://10.233.0.2/ 2>&1 |
		awk '/Requests\/sec/ { r = int($2) } /Non-2xx/ { bad = 1 } END { print bad ? 0 : r }'
}

ratios=() plain=() scraped=() bytes=0
for ((r = 1; r <= rounds; r++)); do
	a=$(rps)
	ip netns exec $ns bash -c 'while :; do curl -s -m 2 -o /dev/null -w "%{size_download}\n" http://10.233.0.2:9100/metrics; sleep 1; done' \
		>"$work/scrapes" 2>/dev/null &
	sp=$!
	b=$(rps)
	kill $sp 2>/dev/null || true
	wait $sp 2>/dev/null || true
	bytes=$(tail -1 "$work/scrapes")
	plain+=("$a") scraped+=("$b") ratios+=("$(ratio "$b" "$a")")
	echo "metrics_cost: round $r: ${a} req/s without scraping, ${b} req/s scraped every second"
done
echo "metrics_cost: page ${bytes} bytes; median ratio scraped/plain $(median "${ratios[@]}") (rounds: ${ratios[*]}; $conns connections, ${secs}s each)"
