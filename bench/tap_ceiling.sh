# bench/tap_ceiling.sh: the ceiling of the tap I/O path: how many MTU-sized
# frames a trivial C program (bench/tap_ceiling.c, one read or write per
# frame) moves through a tap per second, each way, inside a network
# namespace made here. The network benchmarks (iperf3 against a riad
# unikernel) give their rate as a ratio to these figures.
# Each direction runs BENCH_RUNS times (default 3); the last two lines give
# the medians, which is what to compare against.
# Usage: bench/tap_ceiling.sh [SECONDS] (default 3 per run)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/build/bench/tap_ceiling
secs=${1:-${BENCH_SECONDS:-3}}

why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v ip >/dev/null; then why="no ip command (iproute2)"
fi
if [ -n "$why" ]; then
	echo "tap ceiling: skipped ($why)"
	exit 0
fi
[ -x "$BIN" ] || make -s "$BIN"

ns=riad-bench-tap-$$
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$ns" tuntap add dev btap0 mode tap
ip -n "$ns" link set btap0 up
ip -n "$ns" addr add 10.203.0.1/24 dev btap0
# The program's side: a fixed address, so the kernel never needs ARP.
ip -n "$ns" neigh add 10.203.0.2 lladdr 02:00:00:00:00:02 dev btap0 nud permanent

runs=${BENCH_RUNS:-3}
for dir in write read; do
	out=()
	for ((i = 0; i < runs; i++)); do
		line=$(ip netns exec "$ns" "$BIN" "$dir" btap0 "$secs")
		echo "$line"
		out+=("$line")
	done
	# Median by frames/s; the figure is the word before "frames/s".
	printf '%s\n' "${out[@]}" | awk -v n="$runs" '
		{ for (i = 2; i <= NF; i++) if ($i == "frames/s,") { v[NR] = $(i - 1); l[NR] = $0 } }
		END {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t; t = l[i]; l[i] = l[j]; l[j] = t }
			m = l[int((n + 1) / 2)]; sub(/: /, ", median of " n ": ", m); sub(/;.*/, "", m); print m
		}'
done
