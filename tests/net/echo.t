#!/usr/bin/env bash
# tests/net/echo.t: riad's UDP and TCP against the Linux kernel's, with nc
# both ways, on each target this machine runs, in a namespace made here:
# examples/udp-echo and examples/tcp-echo answer nc (a line, then 1 MB
# byte for byte over TCP and several datagrams up to 8000 bytes, so
# fragmented, over UDP), and examples/tcp-client reaches an nc server on
# the kernel's side and prints its reply. Each example logs its counters
# when it ends; none may show a drop but the kernel's IPv6 chatter.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/echo.t"
if ! command -v nc >/dev/null; then
	skip "tests/net/echo.t (no nc: install netcat-openbsd)"
	exit 0
fi

# no_drops NAME OUT [ALLOWED]: PASS if the counters logged in OUT show no
# drop but Ethernet's not_for_us and the TCP counters named by the regex
# ALLOWED (the closed-port test's no_conn). A segment the kernel
# retransmitted while its ACK was on the way is counted in dup_segs, not
# as a drop, so out_of_window is no longer allowed.
no_drops() {
	check "$1" bash -c 'grep -q "\] service: drops: " "$1" && ! grep "\[net\] service: " "$1" |
		grep -v "drops: " | sed -E "s/ drop.not_for_us=[0-9]+$//; s/ drop.($2)=[0-9]+//g" |
		grep -q "drop\."' _ "$2" "${3:-none}"
}

head -c 1000000 /dev/urandom >"$WORK/1m"
n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS echo
	net_tap "$NS" recho0 10.212.$n.1/24
	A=10.212.$n.2

	# UDP echo.
	if d=$(net_example udp-echo "$t"); then
		out=$WORK/udp-$t.out
		net_run "$out" "$NS" "$d" "$t" service=recho0 --ipv4=$A/24 --port=7 --run-ms=60000
		PID=$NET_PID
		if net_wait_for "$out" 'echoing UDP on' 20; then
			r=$(ip netns exec "$NS" bash -c "echo hello riad | nc -u -w 1 $A 7" 2>&1)
			check "echo on $t: a UDP datagram from nc comes back" test "$r" = "hello riad"
			ok=1
			for size in 1 100 1472 1473 4000 8000; do
				head -c $size "$WORK/1m" >"$WORK/dg"
				ip netns exec "$NS" python3 - "$A" "$WORK/dg" <<'PY' || ok=0
import socket, sys
d = open(sys.argv[2], "rb").read()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(d, (sys.argv[1], 7))
r, _ = s.recvfrom(65536)
sys.exit(0 if r == d else 1)
PY
			done
			check "echo on $t: datagrams of 1 to 8000 bytes (fragmented both ways) come back intact" test $ok = 1
			net_quit "$NS" $A 7
			net_stop "$PID" 10
			check "echo on $t: udp-echo ends 0 after QUIT" test $? -eq 0
			check "echo on $t: udp-echo counted 7 datagrams echoed" grep -q 'echoed 7 datagrams, 0 dropped' "$out"
			no_drops "echo on $t: udp-echo dropped nothing" "$out"
		else
			fail "echo on $t: udp-echo did not come up: $(tail -3 "$out")"
		fi
	else
		fail "echo on $t: examples/udp-echo does not build"
	fi

	# TCP echo.
	if d=$(net_example tcp-echo "$t"); then
		out=$WORK/tcp-$t.out
		net_run "$out" "$NS" "$d" "$t" service=recho0 --ipv4=$A/24 --port=7 --quit-port=9 --run-ms=60000
		PID=$NET_PID
		if net_wait_for "$out" 'echo on TCP' 20; then
			r=$(ip netns exec "$NS" bash -c "echo hello riad | nc -N -w 5 $A 7" 2>&1)
			check "echo on $t: a line sent with nc over TCP comes back" test "$r" = "hello riad"
			check "echo on $t: 1 MB over TCP comes back byte for byte" \
				ip netns exec "$NS" bash -c "nc -N -w 10 $A 7 <'$WORK/1m' | cmp -s - '$WORK/1m'"
			r=$(ip netns exec "$NS" bash -c "echo x | nc -N -w 5 $A 8" 2>&1; echo "status $?")
			check "echo on $t: a closed port refuses the connection (RST)" grep -q 'status 1' <<<"$r"
			net_quit "$NS" $A 9
			net_stop "$PID" 10
			check "echo on $t: tcp-echo ends 0 after QUIT" test $? -eq 0
			check "echo on $t: tcp-echo counted both connections and every byte" \
				grep -q '2 connections, 1000011 bytes in, 1000011 bytes out' "$out"
			no_drops "echo on $t: tcp-echo dropped nothing but the SYN to the closed port" "$out" no_conn
		else
			fail "echo on $t: tcp-echo did not come up: $(tail -3 "$out")"
		fi
	else
		fail "echo on $t: examples/tcp-echo does not build"
	fi

	# The unikernel as a client of a Linux service.
	if d=$(net_example tcp-client "$t"); then
		net_bg "$WORK/nc-$t.out" "$NS" bash -c "printf 'pong from linux\n' | nc -l -N 10.212.$n.1 7777"
		sleep 0.3
		out=$WORK/client-$t.out
		net_run "$out" "$NS" "$d" "$t" service=recho0 --ipv4=$A/24 --server=10.212.$n.1 --port=7777 \
			--line="ping from riad"
		PID=$NET_PID
		net_stop "$PID" 20
		st=$?
		check "echo on $t: tcp-client connects to nc, gets its reply and exits 0" \
			bash -c '[ "$1" -eq 0 ] && grep -q "^reply: pong from linux$" "$2"' _ "$st" "$out"
		check "echo on $t: nc got the client's line" grep -q '^ping from riad$' "$WORK/nc-$t.out"
		no_drops "echo on $t: tcp-client dropped nothing" "$out"
		[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out"
		net_run "$out" "$NS" "$d" "$t" service=recho0 --ipv4=$A/24 --server=10.212.$n.1 --port=7778
		net_stop "$NET_PID" 20
		check "echo on $t: tcp-client to a closed port fails with 1 (connection refused)" \
			bash -c '[ "$1" -eq 1 ] && grep -q "cannot connect to 10.212.'$n'.1:7778 (error 111)" "$2"' _ $? "$out"
	else
		fail "echo on $t: examples/tcp-client does not build"
	fi
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$WORK"/*-"$t".out
done
exit 0
