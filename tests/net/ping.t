#!/usr/bin/env bash
# tests/net/ping.t: examples/ping (riad's stack: ARP, IPv4, ICMP) against
# the Linux kernel's ping, on each target this machine runs, in a
# namespace made here: single pings, full-size frames, fragmented pings
# (reassembled by riad, its replies fragmented), a flood of 10 000 on every
# target, and the counters the example logs when told to end (no drops but the
# kernel's IPv6 chatter, which Ethernet counts as not for us).
source "$(dirname "$0")/lib.sh"
net_require "tests/net/ping.t"

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS ping
	net_tap "$NS" rping0 10.211.$n.1/24
	if ! d=$(net_example ping "$t"); then
		fail "ping on $t: examples/ping does not build"
		continue
	fi
	net_run "$WORK/ping-$t.out" "$NS" "$d" "$t" service=rping0 --ipv4=10.211.$n.2/24 \
		--quit-port=9 --run-ms=120000
	PID=$NET_PID
	if ! net_wait_for "$WORK/ping-$t.out" 'ping me at 10\.211\.'"$n"'\.2$' 20; then
		fail "ping on $t: the example did not come up: $(tail -5 "$WORK/ping-$t.out")"
		continue
	fi
	A=10.211.$n.2
	net_ping_ok "ping on $t: the kernel resolves the unikernel by ARP and pings it" "$NS" -c 3 -i 0.2 -W 2 $A
	net_ping_ok "ping on $t: full-size frames cross unfragmented" "$NS" -c 3 -i 0.2 -W 2 -s 1472 -M do $A
	net_ping_ok "ping on $t: 8000-byte pings are reassembled and answered in fragments" "$NS" \
		-c 3 -i 0.2 -W 2 -s 8000 $A
	flood=10000
	r=$(ip netns exec "$NS" ping -f -c $flood -q -w 60 $A 2>&1)
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || echo "flood: $r"
	# In flood mode ping sends the next request when a reply is 10 ms late,
	# and stops at $flood replies: a slow round trip means a few more
	# requests than replies, none of them lost.
	check "ping on $t: a flood of $flood pings, all answered" \
		bash -c '[[ "$1" =~ ([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ received ]] &&
			[ "${BASH_REMATCH[2]}" -eq "$2" ] && [ "${BASH_REMATCH[1]}" -le $(($2 + $2 / 100)) ]' _ "$r" $flood
	net_quit "$NS" $A 9
	net_stop "$PID" 10
	st=$?
	out=$WORK/ping-$t.out
	check "ping on $t: the example ends 0 when told to" test "$st" -eq 0
	e=$((flood + 9))
	check "ping on $t: it logs its counters: every one of at least $e echo requests answered" \
		bash -c '[[ "$(grep "\[net\] service: icmp: " "$1")" =~ icmp:\ rx=([0-9]+)\ echo_rx=([0-9]+)\ echo_tx=([0-9]+)$ ]] &&
			[ "${BASH_REMATCH[1]}" -ge "$2" ] && [ "${BASH_REMATCH[2]}" = "${BASH_REMATCH[1]}" ] &&
			[ "${BASH_REMATCH[3]}" = "${BASH_REMATCH[1]}" ]' _ "$out" $e
	check "ping on $t: fragments were reassembled (3 datagrams)" \
		grep -Eq '\[net\] service: ipv4: .* reassembled=3 .*frag_tx=' "$out"
	check "ping on $t: no drops but IPv6 multicast" \
		bash -c '! grep "\[net\] service: " "$1" | grep -v "drops: " | grep "drop\." | grep -qv "drop.not_for_us=[0-9]*$"' _ "$out"
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out"
done
exit 0
