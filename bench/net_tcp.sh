# bench/net_tcp.sh: TCP throughput to and from a riad unikernel (examples/
# tcp-echo in discard and chargen modes) over a tap, on unix and spt,
# against two baselines measured in the same run: the Linux kernel's own
# TCP between two network namespaces over a veth (the same nc and dd on
# both ends), and the tap path's ceiling (bench/tap_ceiling.sh: a trivial
# program moving MTU-sized frames, headers included).
#
# Why nc and dd rather than iperf3: iperf3's server and client speak their
# own control protocol (a cookie, JSON parameters and results over a
# second connection), which the echo, discard and chargen services are
# not; nc piping dd's zeros measures the same bulk transfer with tools on
# the kernel's side only. Each figure is the median of BENCH_RUNS (default
# 3) transfers of BENCH_MB (default 400) MB; payload bytes per second.
# Usage: bench/net_tcp.sh (root, /dev/net/tun, nc)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
mb=${BENCH_MB:-400}
runs=${BENCH_RUNS:-3}
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v nc >/dev/null; then why="no nc (netcat-openbsd)"
fi
if [ -n "$why" ]; then
	echo "net_tcp: skipped ($why)"
	exit 0
fi
work=$(mktemp -d /tmp/riad-bench-tcp.XXXXXX)
nsu=riad-btcp-u-$$ nsa=riad-btcp-a-$$ nsb=riad-btcp-b-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	for n in $nsu $nsa $nsb; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# gbps SECONDS_NS: the payload rate of $mb MB in that many ns.
gbps() { awk -v ns="$1" -v mb="$mb" 'BEGIN { printf "%.2f", mb * 1048576 * 8 / ns }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# to NS ADDR PORT: send $mb MB of zeros to ADDR:PORT; prints Gbit/s.
to() {
	local t0 t1
	t0=$(date +%s%N)
	ip netns exec "$1" bash -c "dd if=/dev/zero bs=1M count=$mb status=none | nc -N -w 10 $2 $3"
	t1=$(date +%s%N)
	gbps $((t1 - t0))
}
# from NS ADDR PORT: read $mb MB from ADDR:PORT; prints Gbit/s.
from() {
	local t0 t1
	t0=$(date +%s%N)
	ip netns exec "$1" bash -c "nc -w 10 $2 $3 </dev/null | head -c $((mb * 1048576)) >/dev/null" || true
	t1=$(date +%s%N)
	gbps $((t1 - t0))
}

# Baseline 1: Linux to Linux over a veth between two namespaces.
ip netns add $nsa
ip netns add $nsb
ip link add vbta-$$ netns $nsa type veth peer name vbtb-$$ netns $nsb
ip -n $nsa addr add 10.230.0.1/24 dev vbta-$$
ip -n $nsb addr add 10.230.0.2/24 dev vbtb-$$
ip -n $nsa link set vbta-$$ up
ip -n $nsb link set vbtb-$$ up
lin=()
for ((i = 0; i < runs; i++)); do
	ip netns exec $nsb bash -c "nc -l -N 10.230.0.2 5001 >/dev/null" &
	pids+=($!)
	sleep 0.3
	lin+=("$(to $nsa 10.230.0.2 5001)")
	wait "${pids[-1]}" 2>/dev/null || true
done
linux=$(median "${lin[@]}")
echo "Linux TCP over a veth (nc|dd), median of $runs: $linux Gbit/s"

# Baseline 2: the tap ceiling, one short run each way.
ceil=$(BENCH_RUNS=1 bash bench/tap_ceiling.sh 2 2>/dev/null | grep '^tap ceiling, .*median' || true)
ceil_rd=$(sed -n 's/^tap ceiling, kernel -> program (read).* \([0-9.]*\) Gbit\/s.*/\1/p' <<<"$ceil")
ceil_wr=$(sed -n 's/^tap ceiling, program -> kernel (write).* \([0-9.]*\) Gbit\/s.*/\1/p' <<<"$ceil")
echo "tap ceiling (1514-byte frames, headers included): kernel -> program ${ceil_rd:-?} Gbit/s, program -> kernel ${ceil_wr:-?} Gbit/s"

ip netns add $nsu
ip -n $nsu link set lo up
ip -n $nsu tuntap add dev rbtcp0 mode tap
ip -n $nsu link set rbtcp0 up
ip -n $nsu addr add 10.231.0.1/24 dev rbtcp0
d=$work/tcp-echo
cp -R examples/tcp-echo "$d"
rm -rf "$d/_build" "$d/dist"
targets=(unix)
tl=$("$RIAD" targets)
grep -q '^spt *ok' <<<"$tl" && targets+=(spt)
for t in "${targets[@]}"; do
	"$RIAD" build -t "$t" -C "$d" >/dev/null
	mem=()
	[ "$t" = unix ] || mem=(--mem 256)
	for mode in discard chargen; do
		port=9
		[ $mode = discard ] || port=19
		ip netns exec $nsu "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --net service=rbtcp0 -- \
			--ipv4=10.231.0.2/24 --mode=$mode --port=$port >"$work/$t-$mode.out" 2>&1 &
		pid=$!
		pids+=($pid)
		for ((i = 0; i < 100; i++)); do grep -q ' on TCP ' "$work/$t-$mode.out" && break; sleep 0.05; done
		r=()
		for ((i = 0; i < runs; i++)); do
			if [ $mode = discard ]; then r+=("$(to $nsu 10.231.0.2 $port)")
			else r+=("$(from $nsu 10.231.0.2 $port)"); fi
		done
		kill $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		m=$(median "${r[@]}")
		if [ $mode = discard ]; then
			dir="to the unikernel" c=${ceil_rd:-0}
		else
			dir="from the unikernel" c=${ceil_wr:-0}
		fi
		echo "riad TCP $dir ($t, nc|dd), median of $runs: $m Gbit/s;" \
			"ratio to Linux over a veth $(awk -v a="$m" -v b="$linux" 'BEGIN { printf "%.2f", b ? a / b : 0 }')," \
			"to the tap ceiling $(awk -v a="$m" -v b="$c" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
	done
done
