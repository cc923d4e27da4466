#!/usr/bin/env bash
# tests/net/udpclient.t: examples/udp-client against the Linux kernel's UDP,
# on each target this machine runs, in a namespace made here: aimed at a
# python3 echo server it gets every reply and exits 0; aimed at a port
# nobody listens on, Linux answers port unreachable, the socket returns
# -ECONNREFUSED, and the client names it in one line and exits 2, with the
# error counted in udp.icmp_err (RFC 1122 4.1.3.3, end to end); aimed at
# a socket that never answers, it times out and exits 1.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/udpclient.t"
if ! command -v python3 >/dev/null; then
	skip "tests/net/udpclient.t (no python3)"
	exit 0
fi

cat >"$WORK/server.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 7777))
print("listening", flush=True)
while True:
    d, a = s.recvfrom(65536)
    s.sendto(b"echo: " + d, a)
PY

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS udpc
	net_tap "$NS" rudpc0 10.213.$n.1/24
	L=10.213.$n.1
	A=10.213.$n.2
	if ! d=$(net_example udp-client "$t"); then
		fail "udpclient on $t: examples/udp-client does not build"
		continue
	fi

	# An echo server on the kernel's side, prefixing each reply.
	net_bg "$WORK/server-$t.out" "$NS" python3 -u "$WORK/server.py" "$L"
	SERVER=$NET_PID
	if ! net_wait_for "$WORK/server-$t.out" '^listening' 10; then
		fail "udpclient on $t: the python3 echo server did not start: $(tail -3 "$WORK/server-$t.out")"
		continue
	fi
	out=$WORK/echo-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rudpc0 --ipv4=$A/24 --peer=$L --port=7777 --count=3
	net_stop "$NET_PID" 30
	st=$?
	check "udpclient on $t: 3 datagrams to a Linux echo server, 3 replies, exit 0" \
		bash -c '[ "$1" -eq 0 ] && [ "$(grep -c "^reply [123]: echo: datagram [123] from riad$" "$2")" -eq 3 ] &&
			grep -q "3 of 3 replies" "$2"' _ "$st" "$out"
	kill "$SERVER" 2>/dev/null

	# The same client aimed at a closed port.
	out=$WORK/closed-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rudpc0 --ipv4=$A/24 --peer=$L --port=7778 --count=3
	net_stop "$NET_PID" 30
	st=$?
	check "udpclient on $t: a closed port: port unreachable reported, exit 2" \
		bash -c '[ "$1" -eq 2 ] && grep -q "'$L':7778: port unreachable (connection refused)$" "$2"' _ "$st" "$out"
	check "udpclient on $t: a closed port: counted in udp.icmp_err, nothing ignored" \
		bash -c 'grep -q "\] service: udp: .*icmp_err=1" "$1" && ! grep -q "icmp_ignored" "$1"' _ "$out"

	# A socket that takes the datagrams and never answers: timeouts.
	net_bg "$WORK/sink-$t.out" "$NS" python3 -u -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 7779))
print("listening", flush=True)
time.sleep(60)' "$L"
	SINK=$NET_PID
	if net_wait_for "$WORK/sink-$t.out" '^listening' 10; then
		out=$WORK/timeout-$t.out
		net_run "$out" "$NS" "$d" "$t" service=rudpc0 --ipv4=$A/24 --peer=$L --port=7779 --count=2 --timeout-ms=300
		net_stop "$NET_PID" 30
		check "udpclient on $t: a peer that never answers: two timeouts, exit 1" \
			bash -c '[ "$1" -eq 1 ] && grep -q "no reply to datagram 2 within 300 ms" "$2" && grep -q "0 of 2 replies" "$2"' _ $? "$out"
	else
		fail "udpclient on $t: the python3 sink did not start: $(tail -3 "$WORK/sink-$t.out")"
	fi
	kill "$SINK" 2>/dev/null
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$WORK"/*-"$t".out
done
exit 0
