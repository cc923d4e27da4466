#!/usr/bin/env bash
# tests/net/dhcp.t: riad's DHCP client against dnsmasq, on each target this
# machine runs, in a namespace made here: examples/ping started with no
# address takes a lease from dnsmasq's range (address, prefix, router),
# answers pings there, and dnsmasq records the lease under the
# unikernel's MAC; DHCP counts one offer and one ack. Then a conflict:
# dnsmasq (told not to ping first) hands out, by a dhcp-host entry, an
# address the namespace's Linux interface already holds; the unikernel's
# ARP probe finds it in use, it declines it (one log line, dhcp.declines)
# and ends with another address, from the dhcp-range.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/dhcp.t"
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
if [ ! -x "$DNSMASQ" ]; then
	skip "tests/net/dhcp.t (no dnsmasq)"
	exit 0
fi

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS dhcp
	net_tap "$NS" rdhcp0 10.214.$n.1/24
	if ! d=$(net_example ping "$t"); then
		fail "dhcp on $t: examples/ping does not build"
		continue
	fi
	leases=$WORK/leases-$t
	net_bg "$WORK/dnsmasq-$t.out" "$NS" "$DNSMASQ" --no-daemon --conf-file=/dev/null --port=0 \
		--interface=rdhcp0 --bind-interfaces --dhcp-range=10.214.$n.100,10.214.$n.150,255.255.255.0,1h \
		--dhcp-option=option:router,10.214.$n.1 --dhcp-leasefile="$leases" --log-dhcp \
		--pid-file="$WORK/dnsmasq-$t.pid" --user=root --no-ping
	# Ready once its socket is bound (a DISCOVER sent before that waits
	# for the client's 4 s retransmission and changes the counts below;
	# dnsmasq's own ping of a new address would delay the offer likewise).
	net_wait_for "$WORK/dnsmasq-$t.out" 'sockets bound exclusively' 10 || true
	out=$WORK/ping-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rdhcp0 --quit-port=9 --up-ms=20000 --run-ms=60000
	PID=$NET_PID
	if ! net_wait_for "$out" 'ping me at ' 25; then
		fail "dhcp on $t: no lease within 25 s: $(tail -3 "$out")"
		continue
	fi
	A=$(sed -n 's/.*ping me at \([0-9.]*\)$/\1/p' "$out")
	check "dhcp on $t: the unikernel takes an address from dnsmasq's range" \
		bash -c '[[ "$1" =~ ^10\.214\.'$n'\.(1[0-4][0-9]|150)$ ]]' _ "$A"
	check "dhcp on $t: with the /24 prefix and the router dnsmasq gave" \
		grep -q "address $A/24, gateway 10.214.$n.1$" "$out"
	net_ping_ok "dhcp on $t: the kernel pings it at its leased address" "$NS" -c 3 -i 0.2 -W 2 "$A"
	check "dhcp on $t: dnsmasq recorded the lease" grep -q " $A " "$leases"
	net_quit "$NS" "$A" 9
	net_stop "$PID" 10
	check "dhcp on $t: DHCP counted one offer and one ack, no drop (counted: $(grep -o 'dhcp: rx=.*' "$out"))" \
		grep -Eq '\[net\] service: dhcp: rx=2 tx=2 offers=1 acks=1$' "$out"
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out" "$WORK/dnsmasq-$t.out"

	# The conflict. dhcp-host matches every MAC (the unikernel's is random
	# on unix); after the DECLINE dnsmasq disables that entry and
	# allocates from the range.
	m=$((100 + n))
	net_ns NS dhcpc
	net_tap "$NS" rdhcp1 10.214.$m.1/24
	ip -n "$NS" addr add 10.214.$m.50/24 dev rdhcp1
	leases=$WORK/leases-conflict-$t
	net_bg "$WORK/dnsmasq-conflict-$t.out" "$NS" "$DNSMASQ" --no-daemon --conf-file=/dev/null \
		--port=0 --interface=rdhcp1 --bind-interfaces --no-ping \
		--dhcp-range=10.214.$m.100,10.214.$m.150,255.255.255.0,1h \
		--dhcp-host='*:*:*:*:*:*,10.214.'$m'.50' --dhcp-leasefile="$leases" --log-dhcp \
		--pid-file="$WORK/dnsmasq-conflict-$t.pid" --user=root
	net_wait_for "$WORK/dnsmasq-conflict-$t.out" 'sockets bound exclusively' 10 || true
	out=$WORK/ping-conflict-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rdhcp1 --quit-port=9 --up-ms=40000 --run-ms=80000
	PID=$NET_PID
	if ! net_wait_for "$out" 'ping me at ' 45; then
		fail "dhcp conflict on $t: no lease within 45 s: $(tail -3 "$out")"
		continue
	fi
	check "dhcp conflict on $t: the address in use is declined, once, in one log line" \
		test "$(grep -c "DHCP address 10.214.$m.50 is in use by .*; declined" "$out")" = 1
	check "dhcp conflict on $t: dnsmasq got the DECLINE" \
		grep -q "DHCPDECLINE.*10.214.$m.50" "$WORK/dnsmasq-conflict-$t.out"
	A=$(sed -n 's/.*ping me at \([0-9.]*\)$/\1/p' "$out")
	check "dhcp conflict on $t: the unikernel ends with an address from the range" \
		bash -c '[[ "$1" =~ ^10\.214\.'$m'\.(1[0-4][0-9]|150)$ ]]' _ "$A"
	check "dhcp conflict on $t: and never configured the address in use" \
		bash -c '! grep -q "address 10.214.'$m'.50/" "$1"' _ "$out"
	net_ping_ok "dhcp conflict on $t: the kernel pings it at its new address" "$NS" -c 2 -i 0.2 -W 2 "$A"
	net_quit "$NS" "$A" 9
	net_stop "$PID" 10
	check "dhcp conflict on $t: DHCP counted one decline" \
		grep -Eq '\[net\] service: dhcp: .*declines=1' "$out"
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out" "$WORK/dnsmasq-conflict-$t.out"
done
exit 0
