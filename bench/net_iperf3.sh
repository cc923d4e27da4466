#!/usr/bin/env bash
# bench/net_iperf3.sh: the stock iperf3 client against examples/iperf3
# over a tap, both ways (iperf3 -c: the client sends to the unikernel;
# -R: the unikernel sends), on unix and spt, against two baselines
# measured in the same run:
#   - the Linux kernel's own TCP: iperf3 -s and iperf3 -c between two
#     network namespaces over a veth, the same way round;
#   - the tap ceiling (bench/lib/ceiling.sh, bench/tap_ceiling.c): a
#     trivial program moving MTU-sized frames through a tap, one read or
#     write per frame as riad does, in the direction of the transfer. When
#     the client sends, the frames come from a kernel-side sender that
#     segments as cheaply as Linux's TCP does (UDP_SEGMENT: one 64 KB
#     packet down the stack, cut into frames at the tap), so the ceiling
#     is what reading frames off a tap can take, not what a sender of one
#     datagram per frame can give; when riad sends, the program writes
#     each frame and the kernel takes it up to UDP and drops it (cheaper
#     per frame than TCP's receive path: an upper bound). Both count whole
#     frames with the tap's own counters, and riad's frames are counted on
#     its tap by the same counters over its test; so "riad on the tap" and
#     the ceiling are counted one way. iperf3's figure is payload.
#
# The machine is shared and has two cores, so a single figure moves by a
# factor of two from one minute to the next: each riad test is paired with
# a Linux test and a ceiling run just before it, the ratios are taken
# within each pair, and the figures are medians, with the spread (lowest-
# highest), over BENCH_RUNS (default 3) pairs of BENCH_SECS (default 4) s
# tests (end.sum_received of the client's --json output: payload bits per
# second). BENCH_CEIL_S (default 2) is the length of one ceiling run.
#
# Each pair also prints: the client's end.sum_sent bytes against the bytes
# riad counted ("test done: N bytes", a fresh unikernel with --tests=1 per
# test), which must be equal when the client sends; retransmissions (the
# Linux sender's from iperf3, riad's from its TCP counters logged at exit);
# the frames on the tap per CPU second of the unikernel's side, riad's and
# the ceiling reader's or writer's (on a loaded machine a busy loop gets a
# smaller share of its core than a process that sleeps and wakes, so the
# plain ratio to the ceiling can exceed 1; per CPU second it should not);
# the CPU of each side as a fraction of one core (bench/lib/cputime.sh:
# riad's process, iperf3 -s and -c, the ceiling's reader and sender
# threads; CPU seconds over the test's seconds as iperf3 reports them, the
# server of the Linux baseline over the client's run), so that the reader
# sees which side is saturated.
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
. bench/lib/cputime.sh
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
	for p in "${pids[@]+"${pids[@]}"}"; do kill $(cpu_tree "$p") 2>/dev/null || true; done
	for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
	for n in $nsu $nsa $nsb ${nsc:-}; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT


# client NS ADDR [-R]: one iperf3 test under cpu_run; prints "GBPS SECONDS
# SUM_SENT_BYTES SUM_RECEIVED_BYTES RETRANSMITS ERROR" (0 Gbit/s and the
# error on failure; "-" where iperf3 gave no figure).
client() {
	local ns=$1 addr=$2
	shift 2
	cpu_run "$work/c.cpu" timeout $((secs + 20)) ip netns exec "$ns" "${cli[@]}" iperf3 -c "$addr" -t "$secs" \
		--json "$@" >"$work/c.json" 2>&1 || true
	python3 -c '
import json, sys
try:
    j = json.load(open(sys.argv[1]))
    e = j.get("end", {})
    r, t = e.get("sum_received", {}), e.get("sum_sent", {})
    err = j.get("error", "-").replace(" ", "_")
    print("%.2f %.2f %s %s %s %s" % (r.get("bits_per_second", 0) / 1e9, r.get("seconds", 0),
        t.get("bytes", "-"), r.get("bytes", "-"), t.get("retransmits", "-"), err))
except Exception as x:
    print("0 0 - - - %s" % type(x).__name__)' "$work/c.json"
}

# test_cpu "USER_MS SYS_MS ...": CPU per second of the last test ($secs_run s).
test_cpu() {
	local u s
	read -r u s _ <<<"$1"
	cpu_fmt "${u:-0}" "${s:-0}" "$(awk -v t="$secs_run" 'BEGIN { printf "%d", t * 1000 }')"
}

# tapc IFACE tx|rx: a byte counter of riad's tap.
tapc() { ip netns exec $nsu cat "/sys/class/net/$1/statistics/$2_bytes"; }

# Baseline 1: iperf3 Linux to Linux over a veth between two namespaces.
veth_pair $nsa $nsb vi3$$ 10.232.0
ip -n $nsb link set lo up
ip netns exec $nsb "${srv[@]}" iperf3 -s -B 10.232.0.2 >/dev/null 2>&1 &
lsrv=$!
pids+=($lsrv)

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
# riad_once T WAY: a fresh unikernel for one test (--tests=1: it exits
# after it and logs its counters), the client against it; sets rg (payload
# Gbit/s), rw (frames on the tap, Gbit/s) and the text lines rinfo, rcpu.
riad_once() {
	local t=$1 way=$2 pid i cdir=tx got moved retr
	[ "$way" = to ] || cdir=rx
	: >"$work/$t.out"
	# The unikernel itself rather than `riad run` (whose make, checking the
	# build, would count in its CPU), under cpu_run: it exits after its one
	# test, and cpu_run gives the CPU of its whole life, start-up (a few
	# ms) and the wait for the client (idle) included.
	local cmd=("$d/dist/iperf3.unix" --net:service=rbip30)
	[ "$t" = unix ] || cmd=("$ROOT/build/stage/bin/riad-$t" --mem=256 --net:service=rbip30 -- "$d/dist/iperf3.$t")
	ip netns exec $nsu "${srv[@]}" bash -c '. bench/lib/cputime.sh; cpu_run "$@"' - "$work/riad.cpu" \
		"${cmd[@]}" --ipv4=10.233.0.2/24 --tests=1 >"$work/$t.out" 2>&1 &
	pid=$!
	pids+=($pid)
	for ((i = 0; i < 200; i++)); do grep -qs 'iperf3 server on TCP' "$work/$t.out" && break; sleep 0.05; done
	local b0 b1 ru rs
	b0=$(tapc rbip30 $cdir)
	got=$(client $nsu 10.233.0.2 "${rev[@]+"${rev[@]}"}")
	b1=$(tapc rbip30 $cdir)
	for ((i = 0; i < 100; i++)); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
	if kill -0 $pid 2>/dev/null; then
		# It did not end after the test: stop it (cpu_run's shell and the unikernel under it).
		kill $(cpu_tree $pid) 2>/dev/null || true
	fi
	wait $pid 2>/dev/null || true
	read -r rg secs_run sent recvd cretr err <<<"$got"
	# riad's CPU seconds and the client's over the test's seconds (not the
	# client's wall time, which includes the control exchanges).
	read -r ru rs _ <"$work/riad.cpu" 2>/dev/null || ru=0 rs=0
	rcpu="riad $(test_cpu "$ru $rs"), iperf3 -c $(test_cpu "$(cat "$work/c.cpu")")"
	rcore=$(awk -v u="$ru" -v s="$rs" -v t="$secs_run" 'BEGIN { printf "%.4f", (t > 0 ? (u + s) / (t * 1000) : 0) }')
	rw=$(awk -v b=$((b1 - b0)) -v s="$secs_run" 'BEGIN { printf "%.2f", (s > 0 ? b * 8 / s / 1e9 : 0) }')
	moved=$(sed -n 's/.*test done: \([0-9]*\) bytes.*/\1/p' "$work/$t.out" | tail -1)
	# riad's TCP counters (a counter at zero is not logged).
	retr=$(grep ' tcp: ' "$work/$t.out" | tail -1 | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "retransmits %d (rto %d, fast %d)", v["retransmits"], v["rto"], v["fast_retransmits"] }')
	local check
	if [ "$way" = to ]; then
		check="client sum_sent $sent bytes, riad received ${moved:-?}"
		[ "$sent" = "${moved:-x}" ] && check+=" (equal)" || check+=" (DIFFERENT)"
		rinfo="$check; retransmits: the client's $cretr, riad's ${retr:-?}"
	else
		check="riad sent ${moved:-?} bytes (sum_sent $sent), the client received $recvd"
		rinfo="$check; riad's ${retr:-?}"
	fi
	[ "$err" = - ] || rinfo+="; iperf3 error: ${err//_/ }"
	grep -q 'test done' "$work/$t.out" || { rinfo+="; riad's log:"$'\n'"$(tail -5 "$work/$t.out")"; }
}

for t in "${targets[@]}"; do
	"$RIAD" build -t "$t" -C "$d" >/dev/null
	for way in to from; do
		if [ $way = to ]; then
			rev=() cdir=read cwhat="kernel -> program" dir="client sends (to the unikernel)"
		else
			rev=(-R) cdir=write cwhat="program -> kernel" dir="-R (from the unikernel)"
		fi
		r=() rwa=() l=() c=() rl=() rc=() re=()
		for ((i = 0; i < runs; i++)); do
			cpu_mark lsrv $lsrv
			read -r lg secs_run _ _ lretr lerr <<<"$(client $nsa 10.232.0.2 "${rev[@]+"${rev[@]}"}")"
			lcpu="iperf3 -s $(cpu_report lsrv), -c $(test_cpu "$(cat "$work/c.cpu")")"
			l+=("$lg")
			c+=("$(ceil_once $cdir)")
			ccpu=$(ceil_cpu)
			# The core of the ceiling's side that stands where riad does:
			# the reader (read) or the writer (write).
			ccore=$(awk '{ for (i = 1; i < NF; i++) if ($i == "reader" || $i == "writer") { print $(i + 1); exit } }' <<<"$ccpu")
			riad_once "$t" $way
			r+=("$rg") rwa+=("$rw")
			rl+=("$(ratio "$rg" "${l[-1]}")")
			rc+=("$(ratio "$rw" "${c[-1]}")")
			echo "  $t $way pair $((i + 1)): riad $rg Gbit/s payload ($rw on the tap), Linux ${l[-1]}, ceiling ($cwhat) ${c[-1]} on the tap"
			echo "    $rinfo"
			echo "    Linux: retransmits $lretr${lerr/#-/}; CPU: $rcpu; Linux $lcpu; ceiling ${ccpu:-?}"
			# Frames on the tap per CPU second of the unikernel's side: on a
			# loaded machine a busy loop (the ceiling's) gets a smaller share
			# of its core than a process that sleeps and wakes (riad), so the
			# plain rates can put riad above its ceiling; per core they cannot
			# be compared that way.
			er=$(awk -v g="$rw" -v c="$rcore" 'BEGIN { printf "%.2f", (c > 0 ? g / c : 0) }')
			ec=$(awk -v g="${c[-1]}" -v c="${ccore:-0}" 'BEGIN { printf "%.2f", (c > 0 ? g / c : 0) }')
			re+=("$(ratio "$er" "$ec")")
			echo "    per CPU second of the unikernel's side: riad $er Gbit/s on the tap, ceiling $ec; ratio ${re[-1]}"
		done
		printf 'riad iperf3 %s (%s), median (lowest-highest) of %d x %d s: %s Gbit/s payload, %s on the tap; Linux over a veth %s; tap ceiling (%s) %s\n' \
			"$dir" "$t" "$runs" "$secs" "$(spread "${r[@]}")" "$(spread "${rwa[@]}")" "$(spread "${l[@]}")" \
			"$cwhat" "$(spread "${c[@]}")"
		printf '  ratio to Linux (payload) %s, to the tap ceiling (frames on the tap) %s, to the tap ceiling per CPU second of the unikernel'"'"'s side %s (medians of pairs)\n' \
			"$(spread "${rl[@]}")" "$(spread "${rc[@]}")" "$(spread "${re[@]}")"
	done
done
