#!/usr/bin/env bash
# bench/net_iperf3.sh: the stock iperf3 client against examples/iperf3
# over a tap, both ways (iperf3 -c: the client sends; -R: the unikernel
# sends), on unix and spt, against the Linux kernel's TCP measured in the
# same run: iperf3 -s and iperf3 -c between two network namespaces over a
# veth, both ways. Each figure is the median of BENCH_RUNS (default 3)
# tests of BENCH_SECS (default 5) seconds: end.sum_received of the
# client's --json output, payload bits per second.
# Usage: bench/net_iperf3.sh (root, /dev/net/tun, iperf3, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
secs=${BENCH_SECS:-5}
runs=${BENCH_RUNS:-3}
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v iperf3 >/dev/null; then why="no iperf3"
elif ! command -v python3 >/dev/null; then why="no python3"
fi
if [ -n "$why" ]; then
	echo "net_iperf3: skipped ($why)"
	exit 0
fi
work=$(mktemp -d /tmp/riad-bench-iperf3.XXXXXX)
nsu=riad-bip3-u-$$ nsa=riad-bip3-a-$$ nsb=riad-bip3-b-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
	for n in $nsu $nsa $nsb; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }

# client NS ADDR [-R]: one iperf3 test; prints the Gbit/s received (0 on failure).
client() {
	local ns=$1 addr=$2
	shift 2
	timeout $((secs + 20)) ip netns exec "$ns" iperf3 -c "$addr" -t "$secs" --json "$@" >"$work/c.json" 2>&1 || true
	python3 -c '
import json, sys
try:
    print("%.2f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception:
    print("0")' "$work/c.json"
}

# medians NS ADDR: "FORWARD REVERSE" medians of $runs tests each way.
medians() {
	local f=() r=() i
	for ((i = 0; i < runs; i++)); do f+=("$(client "$1" "$2")"); done
	for ((i = 0; i < runs; i++)); do r+=("$(client "$1" "$2" -R)"); done
	echo "$(median "${f[@]}") $(median "${r[@]}")"
}

# Baseline: iperf3 Linux to Linux over a veth between two namespaces.
ip netns add $nsa
ip netns add $nsb
ip link add vi3a-$$ netns $nsa type veth peer name vi3b-$$ netns $nsb
ip -n $nsa addr add 10.232.0.1/24 dev vi3a-$$
ip -n $nsb addr add 10.232.0.2/24 dev vi3b-$$
ip -n $nsa link set vi3a-$$ up
ip -n $nsb link set vi3b-$$ up
ip -n $nsb link set lo up
ip netns exec $nsb iperf3 -s -B 10.232.0.2 >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
read -r lin_f lin_r <<<"$(medians $nsa 10.232.0.2)"
echo "Linux iperf3 over a veth, median of $runs x ${secs} s: client sends $lin_f Gbit/s, -R $lin_r Gbit/s"

ip netns add $nsu
ip -n $nsu link set lo up
ip -n $nsu tuntap add dev rbip30 mode tap
ip -n $nsu link set rbip30 up
ip -n $nsu addr add 10.233.0.1/24 dev rbip30
d=$work/iperf3
cp -R examples/iperf3 "$d"
rm -rf "$d/_build" "$d/dist"
targets=(unix)
grep -q '^spt *ok' <<<"$("$RIAD" targets)" && targets+=(spt)
for t in "${targets[@]}"; do
	"$RIAD" build -t "$t" -C "$d" >/dev/null
	mem=()
	[ "$t" = unix ] || mem=(--mem 256)
	ip netns exec $nsu "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --net service=rbip30 -- \
		--ipv4=10.233.0.2/24 >"$work/$t.out" 2>&1 &
	pid=$!
	pids+=($pid)
	for ((i = 0; i < 100; i++)); do grep -q 'iperf3 server on TCP' "$work/$t.out" && break; sleep 0.05; done
	read -r f r <<<"$(medians $nsu 10.233.0.2)"
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	echo "riad iperf3 ($t), median of $runs x ${secs} s:" \
		"client sends $f Gbit/s (ratio to Linux $(ratio "$f" "$lin_f"))," \
		"-R (riad sends) $r Gbit/s (ratio to Linux $(ratio "$r" "$lin_r"))"
done
