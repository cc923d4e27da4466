# bench/lib/ceiling.sh: sourced by the network benchmarks that compare a
# riad transfer with the tap ceiling in the same run (bench/net_tcp.sh,
# bench/net_iperf3.sh). It sets up, in a namespace of its own, a tap for
# bench/tap_ceiling.c (a trivial program moving MTU-sized frames, one read
# or write per frame; its kernel-side sender segments with UDP_SEGMENT, as
# TCP's GSO does) and defines ceil_once and ceil_cpu.
#
# Before sourcing: ROOT (the repository), work (a scratch directory),
# csecs (seconds per ceiling run), srv and cli (the taskset prefixes that
# bench/lib/paired.sh sets). Sourcing sets nsc (the namespace; the caller deletes
# it on exit).

CEIL=$ROOT/build/bench/tap_ceiling
[ -x "$CEIL" ] || make -s -C "$ROOT" build/bench/tap_ceiling
nsc=riad-bceil-$$
ip netns add $nsc
ip -n $nsc link set lo up
ip netns exec $nsc sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n $nsc tuntap add dev btap0 mode tap
ip -n $nsc link set btap0 up
ip -n $nsc addr add 10.203.0.1/24 dev btap0
ip -n $nsc neigh add 10.203.0.2 lladdr 02:00:00:00:00:02 dev btap0 nud permanent

# ceil_once read|write: one run of $csecs s; prints the Gbit/s of whole
# frames (Ethernet header included) as the tap's own counters count them
# (tx_bytes for read, rx_bytes for write), as the benchmarks count riad's
# frames on its tap. read is kernel -> program, write the reverse.
# The thread that reads or writes the tap goes where the unikernel runs
# ($srv), the sending thread of the read direction where the Linux tools
# run ($cli).
ceil_once() {
	local p tid k
	ip netns exec $nsc "$CEIL" "$1" btap0 "$csecs" >"$work/ceil.out" &
	p=$!
	if [ ${#srv[@]} -gt 0 ]; then
		# The reading (or writing) thread is the process itself; the
		# sending thread of the read direction comes a moment later.
		taskset -p -c "${srv[-1]}" "$p" >/dev/null 2>&1 || true
		for ((k = 0; k < 50; k++)); do
			[ "$1" = read ] || break
			tid=$(ls "/proc/$p/task" 2>/dev/null | grep -vx "$p" | head -1) || true
			if [ -n "$tid" ]; then
				taskset -p -c "${cli[-1]}" "$tid" >/dev/null 2>&1 || true
				break
			fi
			sleep 0.01
		done
	fi
	wait $p || true
	awk '/^counters:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^Gbit/) g = $i }
		END { printf "%.2f", g }' "$work/ceil.out"
}
# ceil_cpu: the CPU of the last run's threads ("reader 0.98 core, sender 0.61 core").
ceil_cpu() { sed -n 's/^counters:.*; CPU //p' "$work/ceil.out"; }
