#!/usr/bin/env bash
# tests/net/bench.t: what the benchmarks' figures rest on. bench/lib/
# cputime.sh: cpu_run gives the CPU of a command it ran (a fixed amount of
# work shows, whatever the load), cpu_tree finds a grandchild, cpu_mark and
# cpu_report measure a busy process tree at most one core per busy
# process, /proc/PID/stat is parsed past a command name holding ") ".
# bench/tap_ceiling.c: bad usage exits 64; the read ceiling's sender gets
# UDP_SEGMENT from the kernel and the frames the program counts are the
# tap's own counters' (the benchmarks count riad's frames with those), each
# way.
. "$(dirname "$0")/lib.sh"
. bench/lib/cputime.sh

# cpu_run: a bash loop of fixed work costs some tens of ms of user time at
# least, and no more CPU than wall time (one thread).
cpu_run "$WORK/loop.cpu" bash -c 'i=0; while [ $i -lt 100000 ]; do i=$((i + 1)); done'
read -r u s w <"$WORK/loop.cpu"
check "cpu_run: the loop's user time shows (user ${u} ms, sys ${s} ms, wall ${w} ms)" \
	test "${u:-0}" -ge 20 -a $((u + s)) -le $((w + 20))
check "cpu_file formats it as a fraction of one core" \
	grep -Eq '^[0-9]+\.[0-9]{2} core \(user [0-9.]+, sys [0-9.]+\)$' <<<"$(cpu_file "$WORK/loop.cpu")"

# cpu_tree and cpu_mark/cpu_report over a shell whose child spins.
bash -c 'sh -c "while :; do :; done" & wait' &
top=$!
NET_PIDS+=($top)
sleep 0.3
tree=$(cpu_tree $top | wc -l)
check "cpu_tree lists the process and its child ($tree)" [ "$tree" -ge 2 ]
cpu_mark spin $top
sleep 1
rep=$(cpu_report spin)
kill $(cpu_tree $top) 2>/dev/null
frac=${rep%% *}
check "cpu_report: the spinning child's CPU shows, at most one core ($rep)" \
	awk -v f="$frac" 'BEGIN { exit !(f > 0 && f <= 1.05) }'

# A command name with ") " in it.
cp "$(command -v sleep)" "$WORK/a) b"
"$WORK/a) b" 2 &
odd=$!
NET_PIDS+=($odd)
sleep 0.1
check "cpu_ticks parses /proc/PID/stat past a command name with ') '" \
	grep -Eq '^[0-9]+ [0-9]+$' <<<"$(cpu_ticks $odd)"
kill $odd 2>/dev/null

CEIL=$BUILD/bench/tap_ceiling
[ -x "$CEIL" ] || make -s -C "$ROOT" build/bench/tap_ceiling >/dev/null
"$CEIL" bogus tap0 1 >/dev/null 2>&1
check "tap_ceiling: a bad mode exits 64" [ $? -eq 64 ]

net_require "tap_ceiling runs"
net_ns ns bceil
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$ns" tuntap add dev btcap0 mode tap
ip -n "$ns" link set btcap0 up
ip -n "$ns" addr add 10.203.0.1/24 dev btcap0
ip -n "$ns" neigh add 10.203.0.2 lladdr 02:00:00:00:00:02 dev btcap0 nud permanent

# same_count FILE: the program's frames/s and the tap counters' agree within 1%.
same_count() {
	awk '/frames\/s/ && !/^counters/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^frames\/s/) a = $i }
		/^counters/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^frames\/s/) b = $i }
		END { exit !(a > 0 && b > 0 && (a - b) / a < 0.01 && (b - a) / a < 0.01) }' "$1"
}
ip netns exec "$ns" "$CEIL" read btcap0 1 >"$WORK/read.out" 2>&1
check "tap_ceiling read: the sender segments with UDP_SEGMENT: $(head -1 "$WORK/read.out")" \
	grep -q 'UDP_SEGMENT, 64 KB sends' "$WORK/read.out"
check "tap_ceiling read: frames read = the tap's tx counter: $(tail -1 "$WORK/read.out")" same_count "$WORK/read.out"
ip netns exec "$ns" "$CEIL" write btcap0 1 >"$WORK/write.out" 2>&1
check "tap_ceiling write: frames written = the tap's rx counter: $(tail -1 "$WORK/write.out")" same_count "$WORK/write.out"
