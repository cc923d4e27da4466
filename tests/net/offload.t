#!/usr/bin/env bash
# tests/net/offload.t: the unix tap's segmentation and checksum offloads
# (IFF_VNET_HDR, TUNSETOFFLOAD: docs/netif.md "Offloads"), against the
# Linux kernel in a namespace made here, with --net-offload on (the
# default) and off:
#  - the tap says which it opened (-l netif:debug);
#  - 16 MB of random bytes sent with nc through examples/tcp-echo come
#    back with the same SHA-256 (the kernel's TSO segments into riad,
#    riad's own out), no drop on riad's side (its bad_checksum among
#    them) and no TcpInCsumErrors in the namespace;
#  - with offloads, the frames riad wrote to the tap, and those the host
#    handed riad, average more than one MTU (TSO segments cross the tap
#    whole both ways); without, both average at most 1514 bytes;
#  - iperf3 -c and -c -R against examples/iperf3 both end with bytes
#    received, both ways;
#  - under --net-faults loss (3% each way) with offloads, the echo still
#    comes back intact;
#  - --net-offload=maybe exits 64 with one line naming the option.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/offload.t"
for c in nc iperf3 sha256sum nstat; do
	if ! command -v $c >/dev/null; then
		skip "tests/net/offload.t (no $c: tool/install-deps --tests)"
		exit 0
	fi
done
T=unix
TAP=rvnet0
net_ns NS vnet
net_tap "$NS" $TAP 10.216.0.1/24
A=10.216.0.2
head -c 16000000 /dev/urandom >"$WORK/data"
want=$(sha256sum <"$WORK/data" | cut -d' ' -f1)
if ! de=$(net_example tcp-echo $T) || ! di=$(net_example iperf3 $T); then
	fail "offload: examples/tcp-echo or examples/iperf3 does not build"
	exit 0
fi

# The tap's host-side counters: of frames riad wrote (rx), then of frames
# the host handed riad (tx): "BYTES PACKETS BYTES PACKETS".
tap_rx() {
	ip -n "$NS" -s -j link show $TAP |
		python3 -c 'import json,sys; s=json.load(sys.stdin)[0]["stats64"]; print(s["rx"]["bytes"], s["rx"]["packets"], s["tx"]["bytes"], s["tx"]["packets"])'
}

# no_drops NAME OUT: riad's counters (logged at the end) show no drop but
# Ethernet's not_for_us (the kernel's IPv6 chatter).
no_drops() {
	check "$1" bash -c 'grep -q "\] service: drops: " "$1" && ! grep "\[net\] service: " "$1" |
		grep -v "drops: " | sed -E "s/ drop.not_for_us=[0-9]+$//" | grep -q "drop\."' _ "$2"
}

# echo_run MODE [ARGS...]: examples/tcp-echo with --net-offload=MODE; the
# 16 MB through it and back; its exit and counters.
echo_run() {
	local mode=$1 what=$1
	shift
	[ $# -eq 0 ] || what="$what, $*"
	local out=$WORK/echo-$mode-$#.out
	net_run "$out" "$NS" "$de" $T service=$TAP --ipv4=$A/24 --port=7 --quit-port=9 \
		--run-ms=60000 --net-offload=$mode -l netif:debug "$@"
	local pid=$NET_PID
	if ! net_wait_for "$out" 'echo on TCP' 20; then
		fail "offload ($what): tcp-echo did not come up: $(tail -3 "$out")"
		return 1
	fi
	check "offload ($what): the tap opened with offloads $mode" \
		grep -q "tap $TAP: open, MTU 1500, offloads $mode" "$out"
	local before got
	before=$(tap_rx)
	got=$(ip netns exec "$NS" bash -c "timeout 60 nc -N $A 7 <'$WORK/data' | sha256sum" | cut -d' ' -f1)
	check "offload ($what): 16 MB through tcp-echo come back with the same SHA-256" \
		test "$got" = "$want"
	ECHO_AFTER=$(tap_rx)
	ECHO_BEFORE=$before
	net_quit "$NS" $A 9
	net_stop "$pid" 10
	check "offload ($what): tcp-echo ends 0 after QUIT" test $? -eq 0
	ECHO_OUT=$out
}

# Average bytes per frame riad wrote (avg_frame) or was handed (avg_frame
# tx) during the last echo_run.
avg_frame() {
	python3 -c 'import sys
v = list(map(int, sys.argv[2:]))
o = 2 if sys.argv[1] == "tx" else 0
print((v[4 + o] - v[o]) // max(v[5 + o] - v[1 + o], 1))' "${1:-rx}" $ECHO_BEFORE $ECHO_AFTER
}

if echo_run on; then
	no_drops "offload (on): tcp-echo dropped nothing (bad checksums included)" "$ECHO_OUT"
	avg=$(avg_frame)
	check "offload (on): riad's frames average more than an MTU ($avg bytes): its TSO segments reach the host" \
		test "$avg" -gt 1514
	avg=$(avg_frame tx)
	check "offload (on): the host's frames to riad average more than an MTU ($avg bytes): riad takes its TSO segments whole" \
		test "$avg" -gt 1514
fi
if echo_run off; then
	no_drops "offload (off): tcp-echo dropped nothing" "$ECHO_OUT"
	avg=$(avg_frame)
	check "offload (off): riad's frames average at most an MTU ($avg bytes)" test "$avg" -le 1514
	avg=$(avg_frame tx)
	check "offload (off): the host's frames to riad average at most an MTU ($avg bytes)" test "$avg" -le 1514
fi
csum=$(ip netns exec "$NS" nstat -az TcpInCsumErrors | awk '$1 == "TcpInCsumErrors" { print $2 }')
check "offload: the kernel counted no TCP checksum error (TcpInCsumErrors ${csum:-?})" test "${csum:-1}" -eq 0
echo_run on --net-faults=seed=12,loss=3%

# iperf3 both ways, with and without offloads.
received() {
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["end"]["sum_received"]
print(int(s["bytes"]), "%.2f" % (s["bits_per_second"] / 1e9))' "$1" 2>/dev/null
}
for mode in on off; do
	out=$WORK/iperf3-$mode.out
	net_run "$out" "$NS" "$di" $T service=$TAP --ipv4=$A/24 --tests=2 --net-offload=$mode
	PID=$NET_PID
	if ! net_wait_for "$out" 'iperf3 server on TCP' 20; then
		fail "offload ($mode): iperf3 did not come up: $(tail -3 "$out")"
		continue
	fi
	for flag in "" -R; do
		j=$WORK/iperf3-$mode$flag.json
		timeout 20 ip netns exec "$NS" iperf3 -c $A -t 1 --json $flag >"$j" 2>&1
		st=$?
		r=$(received "$j")
		if [ $st -eq 0 ] && [ -n "$r" ] && [ "${r% *}" -gt 0 ]; then
			pass "offload ($mode): iperf3 -c $A -t 1 $flag: ${r% *} bytes received, ${r#* } Gbit/s"
		else
			fail "offload ($mode): iperf3 -c $A -t 1 $flag: exit $st, $(head -c 300 "$j" | tr '\n' ' ')"
		fi
	done
	net_stop "$PID" 10
	check "offload ($mode): iperf3 ends 0 after --tests=2" test $? -eq 0
done

out=$WORK/bad.out
timeout 20 ip netns exec "$NS" "$RIAD" run -t $T -C "$de" --net service=$TAP -- --ipv4=$A/24 \
	--net-offload=maybe >"$out" 2>&1
st=$?
check "offload: --net-offload=maybe exits 64 with one line naming the option" \
	bash -c '[ "$1" -eq 64 ] && grep -q "option .--net-offload.: .maybe. is neither on nor off" "$2"' _ $st "$out"
exit 0
