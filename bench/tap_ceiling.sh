# bench/tap_ceiling.sh: the ceiling of the tap I/O path: how many MTU-sized
# frames a trivial C program (bench/tap_ceiling.c, one read or write per
# frame) moves through a tap per second, each way, inside a network
# namespace made here; then riad's own tap device (runtime/unix/netif_tap.c,
# driven by tests/net/tap_echo) on the same path, as a ratio to it. The
# network benchmarks (iperf3 against a riad unikernel) compare with these.
# Each measurement runs BENCH_RUNS times (default 3); the "median" lines
# are the figures, with the spread (lowest-highest) of the runs. Each run
# prints the CPU of each side as a fraction of one core (the ceiling's
# threads measure their own; riad's tap_echo and the separate sender by
# bench/lib/cputime.sh). The kernel-side sender of the read direction
# segments with UDP_SEGMENT, as TCP's GSO does (bench/tap_ceiling.c).
# Usage: bench/tap_ceiling.sh [SECONDS] (default 3 per run)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/build/bench/tap_ceiling
ECHO=$PWD/build/tests/net/tap_echo
secs=${1:-${BENCH_SECONDS:-3}}
runs=${BENCH_RUNS:-3}

why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v ip >/dev/null; then why="no ip command (iproute2)"
fi
if [ -n "$why" ]; then
	echo "tap ceiling: skipped ($why)"
	exit 0
fi
. bench/lib/cputime.sh
[ -x "$BIN" ] || make -s "$BIN"
[ -x "$ECHO" ] || make -s "$ECHO"

ns=riad-bench-tap-$$
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$ns" tuntap add dev btap0 mode tap
ip -n "$ns" link set btap0 up
ip -n "$ns" addr add 10.203.0.1/24 dev btap0
# The program's side: a fixed address, so the kernel never needs ARP.
ip -n "$ns" neigh add 10.203.0.2 lladdr 02:00:00:00:00:02 dev btap0 nud permanent
kmac=$(ip netns exec "$ns" cat /sys/class/net/btap0/address)
ms=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')

median() { # numbers, one per argument
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
gbps() { # frames/s
	awk -v f="$1" -v m="$(ip netns exec "$ns" cat /sys/class/net/btap0/mtu)" \
		'BEGIN { printf "%.2f", f * (m + 14) * 8 / 1e9 }'
}

cpuf=$(mktemp)
scpuf=$(mktemp)
trap 'ip netns del "$ns" 2>/dev/null || true; rm -f "$cpuf" "$scpuf"' EXIT
riad_write() {
	cpu_run "$cpuf" ip netns exec "$ns" "$ECHO" --tap=btap0 --ip=10.203.0.2 --mac=02:00:00:00:00:02 \
		--blast-ms="$ms" --peer-ip=10.203.0.1 --peer-mac="$kmac" | grep '^RATE' || echo "RATE fps=0"
	echo "  CPU: tap_echo $(cpu_file "$cpuf")" >&2
}
riad_read() {
	local out pid
	out=$(mktemp)
	ip netns exec "$ns" bash -c '. bench/lib/cputime.sh; cpu_run "$@"' - "$cpuf" "$ECHO" --tap=btap0 --ip=10.203.0.2 \
		--mac=02:00:00:00:00:02 --sink-ms="$ms" >"$out" 2>&1 &
	pid=$!
	sleep 0.2
	cpu_run "$scpuf" ip netns exec "$ns" "$BIN" send btap0 "$(awk -v s="$secs" 'BEGIN { print s + 1 }')"
	wait "$pid" || true
	grep '^RATE' "$out" || echo "RATE fps=0"
	# Each over its own life (the sender runs 1 s longer than riad's window).
	echo "  CPU: tap_echo $(cpu_file "$cpuf"), sender $(cpu_file "$scpuf")" >&2
	rm -f "$out"
}

# The ceiling and riad's device alternate, so that each pair runs under
# the same load (these machines are shared); a ratio is taken per pair.
declare -A ceiling riad ratio cspread rspread qspread
spread() {
	printf '%s-%s' "$(printf '%s\n' "$@" | sort -g | head -1)" "$(printf '%s\n' "$@" | sort -g | tail -1)"
}
for dir in write read; do
	cf=() rf=() q=()
	for ((i = 0; i < runs; i++)); do
		line=$(ip netns exec "$ns" "$BIN" "$dir" btap0 "$secs")
		echo "$line"
		c=$(printf '%s\n' "$line" | sed -n '1s/.*: \([0-9]*\) frames\/s.*/\1/p')
		line=$("riad_$dir" 2>"$cpuf.txt")
		echo "riad netif_tap ($dir): $line"
		cat "$cpuf.txt"
		rm -f "$cpuf.txt"
		r=$(printf '%s\n' "$line" | sed 's/.* fps=\([0-9]*\).*/\1/')
		cf+=("$c") rf+=("$r")
		q+=("$(awk -v r="$r" -v c="$c" 'BEGIN { printf "%.3f", c ? r / c : 0 }')")
	done
	ceiling[$dir]=$(median "${cf[@]}")
	riad[$dir]=$(median "${rf[@]}")
	ratio[$dir]=$(median "${q[@]}")
	cspread[$dir]=$(spread "${cf[@]}") rspread[$dir]=$(spread "${rf[@]}") qspread[$dir]=$(spread "${q[@]}")
done

for dir in write read; do
	case $dir in
	write) what="program -> kernel (write)" rwhat="riad -> kernel (send)" ;;
	read) what="kernel -> program (read)" rwhat="kernel -> riad (recv)" ;;
	esac
	printf 'tap ceiling, %s, median of %d: %s frames/s (%s), %s Gbit/s\n' \
		"$what" "$runs" "${ceiling[$dir]}" "${cspread[$dir]}" "$(gbps "${ceiling[$dir]}")"
	printf 'riad netif_tap, %s, median of %d: %s frames/s (%s), %s Gbit/s; ratio to the ceiling %.2f (%s) (median of pairs)\n' \
		"$rwhat" "$runs" "${riad[$dir]}" "${rspread[$dir]}" "$(gbps "${riad[$dir]}")" "${ratio[$dir]}" "${qspread[$dir]}"
done
