#!/usr/bin/env bash
# tests/net/tap.t: the tap device (runtime/unix/netif_tap.c) against the
# Linux kernel's own stack. In a namespace made here, tests/net/tap_echo
# serves two taps at once: the kernel resolves it with ARP and pings it
# (one by one, full-size, flooded), and a python3 AF_PACKET socket sends it
# test frames of every size up to the MTU, one by one and in bursts, that
# must come back byte for byte; so frames cross both ways. Opening a tap
# that is missing, down, not a tap or busy fails with one clear line.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/tap.t"
ECHO=$BUILD/tests/net/tap_echo
if [ ! -x "$ECHO" ]; then
	fail "tap: $ECHO is not built (make build-tests)"
	exit 1
fi

net_ns NS tap
net_tap "$NS" rtap0 10.201.0.1/24
net_tap "$NS" rtap1 10.202.0.1/24
ip -n "$NS" link set rtap1 mtu 1400
ip -n "$NS" tuntap add dev rdown mode tap

# expect_error NAME IFACE PATTERN: opening IFACE fails, status 1, with one
# line matching PATTERN.
expect_error() {
	local out st
	out=$(ip netns exec "$NS" "$ECHO" --tap="$2" 2>&1)
	st=$?
	if [ "$st" -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$out" | grep -Eq "$3"; then
		pass "tap: $1"
	else
		fail "tap: $1 (status $st: $out)"
	fi
}
expect_error "a missing interface is one clear line" nosuch \
	'\[netif\] tap nosuch: no such interface \(create it with: ip tuntap add dev nosuch mode tap\)$'
expect_error "a down interface is one clear line" rdown \
	'\[netif\] tap rdown: interface is down \(bring it up with: ip link set rdown up\)$'
expect_error "an interface that is not a tap is one clear line" lo '\[netif\] tap lo: not a tap'

net_bg "$WORK/echo.out" "$NS" "$ECHO" --tap=rtap0 --ip=10.201.0.2 --mac=02:00:00:00:01:02 \
	--tap2=rtap1 --ip2=10.202.0.2 --timeout-ms=60000
ECHO_PID=$NET_PID
if ! net_wait_for "$WORK/echo.out" '^READY tap=rtap1'; then
	fail "tap: tap_echo did not start: $(cat "$WORK/echo.out")"
	exit 1
fi
check "tap: the MAC given is used, the MTU read from the interface" \
	grep -q '^READY tap=rtap0 mac=02:00:00:00:01:02 mtu=1500$' "$WORK/echo.out"
MAC1=$(sed -n 's/^READY tap=rtap1 mac=\([0-9a-f:]*\) mtu=1400$/\1/p' "$WORK/echo.out")
check "tap: a random MAC is unicast and locally administered; MTU 1400 read" \
	test -n "$MAC1" -a $((0x${MAC1:0:2} & 3)) -eq 2
expect_error "a tap another process has open is one clear line" rtap0 \
	'\[netif\] tap rtap0: busy \(another process has it open\)$'

# ping_ok NAME ARGS...: ping in the namespace; every request answered.
ping_ok() {
	local name=$1 out
	shift
	out=$(ip netns exec "$NS" ping "$@" 2>&1)
	if printf '%s\n' "$out" | awk '/packets transmitted/ { ok = $1 > 0 && $1 == $4 } END { exit !ok }'; then
		pass "tap: $name"
	else
		fail "tap: $name: $(printf '%s\n' "$out" | tail -3 | tr '\n' ' ')"
	fi
}
if command -v ping >/dev/null; then
	ping_ok "the kernel resolves it by ARP and pings it" -c 3 -i 0.2 -W 2 10.201.0.2
	ping_ok "the second interface answers too" -c 3 -i 0.2 -W 2 10.202.0.2
	ping_ok "full-size frames (MTU 1500) cross unfragmented" -c 3 -i 0.2 -W 2 -s 1472 -M do 10.201.0.2
	ping_ok "full-size frames (MTU 1400) cross unfragmented" -c 3 -i 0.2 -W 2 -s 1372 -M do 10.202.0.2
	ping_ok "a flood of 10000 pings, all answered" -f -c 10000 -q -w 60 10.201.0.2
else
	skip "tap: ping tests (no ping command)"
fi

# Raw frames from an AF_PACKET socket on the kernel's side of the tap.
if command -v python3 >/dev/null; then
	ip netns exec "$NS" python3 - rtap0 02:00:00:00:01:02 <<'EOF'
import socket, struct, sys

ifname, peer = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
mtu = int(open(f"/sys/class/net/{ifname}/mtu").read())
me = bytes.fromhex(open(f"/sys/class/net/{ifname}/address").read().strip().replace(":", ""))
TYPE = 0x88B5
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(TYPE))
s.bind((ifname, 0))
s.settimeout(5)
# Room for a whole burst, and no copies of what this socket sends.
s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE
try:
    s.setsockopt(263, 23, 1)  # SOL_PACKET, PACKET_IGNORE_OUTGOING (Linux 4.20)
except OSError:
    pass

def frame(i):
    n = mtu + 14 if i % 50 == 0 else 60 + (i * 97) % (mtu + 14 - 60)
    body = struct.pack("!I", i) + bytes((i * 7 + k) & 0xFF for k in range(n - 18))
    return peer + me + struct.pack("!H", TYPE) + body

def receive():
    while True:
        data, addr = s.recvfrom(65536)
        if addr[2] != socket.PACKET_OUTGOING:
            return data

def check(name, sent, n):
    got = {}
    try:
        for _ in range(n):
            d = receive()
            got[struct.unpack("!I", d[14:18])[0]] = d
    except socket.timeout:
        pass
    good = sum(1 for i, f in sent.items()
               if i in got and got[i] == me + peer + f[12:])
    print(("PASS" if good == n else "FAIL") +
          f": tap: {name} ({good} of {n} came back intact)")

sent = {}
for i in range(100):
    sent[i] = frame(i)
    s.send(sent[i])
    try:
        d = receive()
        ok = d == me + peer + sent[i][12:]
    except socket.timeout:
        ok = False
    if not ok:
        print(f"FAIL: tap: frame {i} ({len(sent[i])} bytes) did not come back intact")
        break
else:
    print("PASS: tap: 100 frames of 60 to MTU+14 bytes echoed one by one")

burst = {i: frame(i) for i in range(1000, 1200)}
for f in burst.values():
    s.send(f)
check("200 frames sent in a burst all echoed", burst, len(burst))
EOF
else
	skip "tap: raw frames (no python3)"
fi

# quit IFACE MAC: tell tap_echo to stop serving IFACE.
quit() {
	ip netns exec "$NS" python3 -c '
import socket, sys
i, m = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
me = bytes.fromhex(open("/sys/class/net/%s/address" % i).read().strip().replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((i, 0))
s.send(m + me + b"\x88\xb5QUIT" + bytes(42))' "$1" "$2"
}
if command -v python3 >/dev/null; then
	quit rtap0 02:00:00:00:01:02
	quit rtap1 "$MAC1"
fi
for ((i = 0; i < 100; i++)); do
	kill -0 "$ECHO_PID" 2>/dev/null || break
	sleep 0.1
done
wait "$ECHO_PID"
status=$?
check "tap: tap_echo exits 0 when told to" test "$status" -eq 0
stats0=$(grep '^STATS tap=rtap0 ' "$WORK/echo.out")
stats1=$(grep '^STATS tap=rtap1 ' "$WORK/echo.out")
check "tap: no drops counted on either interface" \
	test -n "$stats0" -a -n "$stats1" -a -z "$(grep '^STATS' "$WORK/echo.out" | grep -v ' drops=0 ')"
if command -v python3 >/dev/null && command -v ping >/dev/null; then
	check "tap: the counters saw the echoes and pings (rx and tx)" \
		grep -Eq '^STATS tap=rtap0 rx=[0-9]{5,} tx=[0-9]{5,} .* ping=1[0-9]{4} echo=300 ' "$WORK/echo.out"
fi
[ -n "${RIAD_TEST_VERBOSE:-}" ] && cat "$WORK/echo.out"
exit 0
