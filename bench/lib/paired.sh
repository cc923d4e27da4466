# bench/lib/paired.sh: sourced by the network benchmarks that pair each
# riad run with baselines measured just before it (bench/net_tcp.sh,
# bench/net_iperf3.sh, bench/net_http.sh).
#
# Sets srv and cli, the taskset prefixes of the unikernel's core (CPU 0)
# and the Linux tools' core (CPU 1): empty arrays when BENCH_PIN=0, on one
# core, or without taskset.
srv=() cli=()
if [ "${BENCH_PIN:-1}" != 0 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	srv=(taskset -c 0) cli=(taskset -c 1)
fi

# median NUMBER...: the median (the lower middle one of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# spread NUMBER...: "median (lowest-highest)", the figure and the spread
# of repeated runs that every benchmark prints.
spread() {
	printf '%s (%s-%s)' "$(median "$@")" "$(printf '%s\n' "$@" | sort -g | head -1)" \
		"$(printf '%s\n' "$@" | sort -g | tail -1)"
}
# ratio A B: A / B to three decimals (0 when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b ? a / b : 0 }'; }

# veth_pair NSA NSB IF PREFIX: two new namespaces joined by a veth (ends
# IFa in NSA with PREFIX.1/24, IFb in NSB with PREFIX.2/24), both up; the
# Linux-to-Linux baseline. The caller deletes the namespaces.
veth_pair() {
	ip netns add "$1"
	ip netns add "$2"
	ip link add "$3a" netns "$1" type veth peer name "$3b" netns "$2"
	ip -n "$1" addr add "$4.1/24" dev "$3a"
	ip -n "$2" addr add "$4.2/24" dev "$3b"
	ip -n "$1" link set "$3a" up
	ip -n "$2" link set "$3b" up
}
