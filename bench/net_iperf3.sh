#!/usr/bin/env bash
# bench/net_iperf3.sh: the stock iperf3 client against examples/iperf3
# over a tap, both ways (iperf3 -c: the client sends to the unikernel;
# -R: the unikernel sends), on unix and spt, against two baselines
# measured in the same run:
#   - the Linux kernel's own TCP: iperf3 -s and iperf3 -c between two
#     network namespaces over a veth, the same way round;
#   - the tap ceiling: bench/tap_ceiling.c moving MTU-sized frames through
#     a tap, one read or write per frame (bench/lib/ceiling.sh), in the
#     direction of the transfer (kernel -> program when the client sends).
#
# The machine is shared and has two cores, so a single figure moves by a
# factor of two from one minute to the next: each riad test is paired with
# a Linux test and a ceiling run just before it, the ratios are taken
# within each pair, and the figures are medians over BENCH_RUNS (default
# 3) pairs of BENCH_SECS (default 4) s tests (end.sum_received of the
# client's --json output: payload bits per second). BENCH_CEIL_S (default
# 2) is the length of one ceiling run.
#
# The unikernel (and the Linux baseline's iperf3 -s) runs on CPU 0 and the
# iperf3 client on CPU 1, as bench/net_tcp.sh and bench/net_http.sh place
# them; BENCH_PIN=0 turns pinning off.
# Usage: bench/net_iperf3.sh (root, /dev/net/tun, iperf3, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
secs=${BENCH_SECS:-4}
runs=${BENCH_RUNS:-3}
csecs=${BENCH_CEIL_S:-2}
. bench/lib/paired.sh
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
nsu=riad-bip3-u-$$ nsa=riad-bip3-a-$$ nsb=riad-bip3-b-$$ nsc=
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
	for n in $nsu $nsa $nsb ${nsc:-}; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT


# client NS ADDR [-R]: one iperf3 test; prints the Gbit/s received (0 on failure).
client() {
	local ns=$1 addr=$2
	shift 2
	timeout $((secs + 20)) ip netns exec "$ns" "${cli[@]}" iperf3 -c "$addr" -t "$secs" --json "$@" \
		>"$work/c.json" 2>&1 || true
	python3 -c '
import json, sys
try:
    print("%.2f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception:
    print("0")' "$work/c.json"
}

# Baseline 1: iperf3 Linux to Linux over a veth between two namespaces.
veth_pair $nsa $nsb vi3$$ 10.232.0
ip -n $nsb link set lo up
ip netns exec $nsb "${srv[@]}" iperf3 -s -B 10.232.0.2 >/dev/null 2>&1 &
pids+=($!)

# Baseline 2: the tap ceiling.
. bench/lib/ceiling.sh

ip netns add $nsu
ip -n $nsu link set lo up
ip -n $nsu tuntap add dev rbip30 mode tap
ip -n $nsu link set rbip30 up
ip -n $nsu addr add 10.233.0.1/24 dev rbip30
d=$work/iperf3
cp -R examples/iperf3 "$d"
rm -rf "$d/_build" "$d/dist"
# BENCH_TARGETS: the targets to measure, of unix, spt and hvt (default
# "unix spt"); a solo5 target that riad targets does not report ok is left out.
targets=()
for t in ${BENCH_TARGETS:-unix spt}; do
	case $t in
	unix) targets+=(unix) ;;
	spt | hvt) grep -q "^$t *ok" <<<"$("$RIAD" targets)" && targets+=("$t") ;;
	*) echo "net_iperf3: unknown target '$t' in BENCH_TARGETS" >&2; exit 1 ;;
	esac
done
for t in "${targets[@]}"; do
	"$RIAD" build -t "$t" -C "$d" >/dev/null
	mem=()
	[ "$t" = unix ] || mem=(--mem 256)
	ip netns exec $nsu "${srv[@]}" "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --net service=rbip30 -- \
		--ipv4=10.233.0.2/24 >"$work/$t.out" 2>&1 &
	pid=$!
	pids+=($pid)
	for ((i = 0; i < 100; i++)); do grep -q 'iperf3 server on TCP' "$work/$t.out" && break; sleep 0.05; done
	for way in to from; do
		if [ $way = to ]; then
			rev=() cdir=read cwhat="kernel -> program" dir="client sends (to the unikernel)"
		else
			rev=(-R) cdir=write cwhat="program -> kernel" dir="-R (from the unikernel)"
		fi
		r=() l=() c=() rl=() rc=()
		for ((i = 0; i < runs; i++)); do
			l+=("$(client $nsa 10.232.0.2 "${rev[@]+"${rev[@]}"}")")
			c+=("$(ceil_once $cdir)")
			r+=("$(client $nsu 10.233.0.2 "${rev[@]+"${rev[@]}"}")")
			rl+=("$(ratio "${r[-1]}" "${l[-1]}")")
			rc+=("$(ratio "${r[-1]}" "${c[-1]}")")
			echo "  $t $way pair $((i + 1)): riad ${r[-1]}, Linux ${l[-1]}, ceiling ($cwhat) ${c[-1]} Gbit/s"
		done
		printf 'riad iperf3 %s (%s), median of %d x %d s: %s Gbit/s (Linux over a veth %s, tap ceiling %s, %s); ratio to Linux %.2f, to the tap ceiling %.2f (medians of pairs)\n' \
			"$dir" "$t" "$runs" "$secs" "$(median "${r[@]}")" "$(median "${l[@]}")" "$(median "${c[@]}")" \
			"$cwhat" "$(median "${rl[@]}")" "$(median "${rc[@]}")"
	done
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
done
