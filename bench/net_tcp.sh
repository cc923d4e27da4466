# bench/net_tcp.sh: TCP throughput to and from a riad unikernel (examples/
# tcp-echo in discard and chargen modes) over a tap, on unix and spt,
# against two baselines measured in the same run: the Linux kernel's own
# TCP between two network namespaces over a veth (the same nc and dd on
# both ends), and the tap path's ceiling (bench/tap_ceiling.c: a trivial
# program moving MTU-sized frames, headers included, one read or write per
# frame, in a namespace of its own as bench/tap_ceiling.sh makes it).
#
# Why nc and dd rather than iperf3: iperf3's server and client speak their
# own control protocol (a cookie, JSON parameters and results over a
# second connection), which the echo, discard and chargen services are
# not; nc piping dd's zeros measures the same bulk transfer with tools on
# the kernel's side only (bench/net_iperf3.sh runs iperf3 against
# examples/iperf3).
#
# The machine is shared and has two cores, so a single figure moves by a
# factor of two from one minute to the next. Each riad transfer is
# therefore paired with a Linux transfer and a ceiling run just before it
# (the three alternate), the ratios are taken within each pair, and the
# figures are medians over BENCH_RUNS (default 3) pairs of BENCH_MB
# (default 400) MB transfers; payload bytes per second. BENCH_CEIL_S
# (default 2) is the length of one ceiling run.
#
# The unikernel (and the receiving nc of the Linux baseline) runs on CPU 0
# and the Linux tools on CPU 1 (taskset), as bench/net_http.sh does: left
# to itself, the host's scheduler wakes nc on the core of the process that
# fed its socket, so the unikernel and nc share one core while the other
# idles (each was about half busy), which measures the scheduler rather
# than the I/O path. The ceiling program is placed the same way: the
# thread that reads or writes the tap on CPU 0, its sending thread (read
# direction) on CPU 1. BENCH_PIN=0 turns pinning off.
#
# Each pair prints the CPU each side used over its transfer as a fraction
# of one core (bench/lib/cputime.sh): riad's process, the Linux receiver
# (nc -l) and the client's nc and dd, the ceiling's threads; a side near
# 1.00 core is the one that limits the figure. The summary gives medians
# and the spread (lowest-highest) of the pairs; a transfer that fails
# prints nc's error and counts as 0. Each pair also gives the rate per CPU
# second of the unikernel's side, riad's and the ceiling reader's or
# writer's, and their ratio: on a loaded machine a busy loop (the
# ceiling) gets a smaller share of its core than a process that sleeps and
# wakes (riad), so the plain ratio to the ceiling can exceed 1.
# Usage: bench/net_tcp.sh (root, /dev/net/tun, nc)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
mb=${BENCH_MB:-400}
runs=${BENCH_RUNS:-3}
csecs=${BENCH_CEIL_S:-2}
. bench/lib/paired.sh
. bench/lib/cputime.sh
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
nsu=riad-btcp-u-$$ nsa=riad-btcp-a-$$ nsb=riad-btcp-b-$$ nsc=
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill $(cpu_tree "$p") 2>/dev/null || true; done
	for n in $nsu $nsa $nsb ${nsc:-}; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# gbps SECONDS_NS: the payload rate of $mb MB in that many ns.
gbps() { awk -v ns="$1" -v mb="$mb" 'BEGIN { printf "%.2f", mb * 1048576 * 8 / ns }'; }

# to NS ADDR PORT: send $mb MB of zeros to ADDR:PORT; prints Gbit/s (0
# and nc's error on stderr if it failed); the client's CPU goes to
# $work/cli.cpu.
to() {
	local t0 t1
	t0=$(date +%s%N)
	if ! cpu_run "$work/cli.cpu" ip netns exec "$1" "${cli[@]}" bash -c \
		"set -o pipefail; dd if=/dev/zero bs=1M count=$mb status=none | nc -N -w 10 $2 $3" 2>"$work/cli.err"; then
		echo "net_tcp: sending to $2:$3 failed: $(head -c 200 "$work/cli.err")" >&2
		echo 0
		return
	fi
	t1=$(date +%s%N)
	gbps $((t1 - t0))
}
# from NS ADDR PORT: read $mb MB from ADDR:PORT; prints Gbit/s (0 if fewer came).
from() {
	local t0 t1 n
	t0=$(date +%s%N)
	n=$(cpu_run "$work/cli.cpu" ip netns exec "$1" "${cli[@]}" bash -c \
		"nc -w 10 $2 $3 </dev/null 2>$work/cli.err | head -c $((mb * 1048576)) | wc -c") || true
	t1=$(date +%s%N)
	if [ "${n:-0}" -ne $((mb * 1048576)) ]; then
		echo "net_tcp: reading from $2:$3 got ${n:-0} bytes of $((mb * 1048576)): $(head -c 200 "$work/cli.err")" >&2
		echo 0
		return
	fi
	gbps $((t1 - t0))
}
# cli_cpu: the CPU of the last transfer's client.
cli_cpu() { cpu_file "$work/cli.cpu"; }

# Baseline 1: Linux to Linux over a veth between two namespaces; one
# transfer per call.
veth_pair $nsa $nsb vbt$$ 10.230.0
# Its receiver's CPU goes to $work/lsrv.cpu (over its whole life, the
# 0.3 s it waits for the connection, idle, included).
linux_once() {
	ip netns exec $nsb "${srv[@]}" bash -c '. bench/lib/cputime.sh; cpu_run "$1" nc -l -N 10.230.0.2 5001 >/dev/null' \
		- "$work/lsrv.cpu" &
	local p=$!
	sleep 0.3
	to $nsa 10.230.0.2 5001
	wait $p 2>/dev/null || true
}

# Baseline 2: the tap ceiling (as bench/tap_ceiling.sh measures it); one
# run of $csecs s per call: ceil_once write|read prints Gbit/s.
. bench/lib/ceiling.sh

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
		if [ $mode = discard ]; then
			dir="to the unikernel" cdir=read cwhat="kernel -> program"
		else
			port=19 dir="from the unikernel" cdir=write cwhat="program -> kernel"
		fi
		out=$work/$t-$mode.out
		: >"$out"
		ip netns exec $nsu "${srv[@]}" "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --net service=rbtcp0 -- \
			--ipv4=10.231.0.2/24 --mode=$mode --port=$port >"$out" 2>&1 &
		pid=$!
		pids+=($pid)
		for ((i = 0; i < 100; i++)); do grep -q ' on TCP ' "$out" && break; sleep 0.05; done
		r=() l=() c=() rl=() rc=() re=()
		for ((i = 0; i < runs; i++)); do
			l+=("$(linux_once)")
			lcpu="nc -l $(cpu_file "$work/lsrv.cpu"), client $(cli_cpu)"
			c+=("$(ceil_once $cdir)")
			ccpu=$(ceil_cpu)
			cpu_mark riad $pid
			if [ $mode = discard ]; then r+=("$(to $nsu 10.231.0.2 $port)")
			else r+=("$(from $nsu 10.231.0.2 $port)"); fi
			rcpu="riad $(cpu_report riad), client $(cli_cpu)"
			# Per CPU second of the unikernel's side (see bench/net_iperf3.sh):
			# riad's payload against the ceiling reader's or writer's frames.
			ccore=$(awk '{ for (i = 1; i < NF; i++) if ($i == "reader" || $i == "writer") { print $(i + 1); exit } }' <<<"$ccpu")
			er=$(awk -v g="${r[-1]}" -v c="${rcpu#riad }" 'BEGIN { c += 0; printf "%.2f", (c > 0 ? g / c : 0) }')
			ec=$(awk -v g="${c[-1]}" -v c="${ccore:-0}" 'BEGIN { printf "%.2f", (c > 0 ? g / c : 0) }')
			re+=("$(ratio "$er" "$ec")")
			rl+=("$(ratio "${r[-1]}" "${l[-1]}")")
			rc+=("$(ratio "${r[-1]}" "${c[-1]}")")
			echo "  $t $mode pair $((i + 1)): riad ${r[-1]}, Linux ${l[-1]}, ceiling ($cwhat) ${c[-1]} Gbit/s"
			echo "    CPU: $rcpu; Linux $lcpu; ceiling ${ccpu:-?}"
			echo "    per CPU second of the unikernel's side: riad $er Gbit/s, ceiling $ec; ratio ${re[-1]}"
		done
		kill $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		printf 'riad TCP %s (%s, nc|dd), median (lowest-highest) of %d: %s Gbit/s; Linux over a veth %s; tap ceiling (%s, whole frames) %s\n' \
			"$dir" "$t" "$runs" "$(spread "${r[@]}")" "$(spread "${l[@]}")" "$cwhat" "$(spread "${c[@]}")"
		printf '  ratio to Linux %s, to the tap ceiling %s, to the tap ceiling per CPU second of the unikernel'"'"'s side %s (payload over whole frames; medians of pairs)\n' \
			"$(spread "${rl[@]}")" "$(spread "${rc[@]}")" "$(spread "${re[@]}")"
	done
done
