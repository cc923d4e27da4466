#!/usr/bin/env bash
# tests/net/idle.t: thousands of idle TCP connections held without a fiber
# each (riad_tcp_when_readable): tests/net/idle_echo.c, an echo server
# whose connections are fibers only while they have bytes to echo, is sent
# N idle connections from the kernel in a namespace made here; every one
# must still be open a second later and then echo its own message back.
#  - unix: N=10000 (RIAD_IDLE_CONNS), and the growth of the process's
#    resident memory per idle connection must stay at most 2048 bytes
#    (issue 12's goal; TCP's record and the fiber's, no stack);
#  - spt and hvt with --mem 64: N=10000 in a 64 MiB unikernel.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/idle.t"
N=${RIAD_IDLE_CONNS:-10000}
ulimit -n $((N + 2000))

d=$WORK/idle
mkdir -p "$d"
cp "$ROOT/tests/net/idle_echo.c" "$d/main.c"
printf 'name = idle-echo\n' >"$d/riad.conf"

# rss PID: resident KiB of PID.
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

n=0
for t in $(net_targets); do
	n=$((n + 1))
	conns=$N
	if ! out=$("$RIAD" build -t "$t" -C "$d" 2>&1); then
		fail "idle on $t: idle_echo.c does not build: $out"
		continue
	fi
	net_ns NS idle
	net_tap "$NS" ridle0 10.219.$n.1/24
	ip netns exec "$NS" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
	A=10.219.$n.2
	log=$WORK/idle-$t.out
	net_run "$log" "$NS" "$d" "$t" service=ridle0 --ipv4=$A/24 --port=7 --quit-port=9
	PID=$NET_PID
	if ! net_wait_for "$log" 'echoing on port' 30; then
		fail "idle on $t: the server did not start: $(tail -3 "$log" | tr '\n' ' ')"
		kill "$PID" 2>/dev/null
		continue
	fi
	upid=
	if [ "$t" = unix ]; then
		upid=$(pgrep -f 'dist/idle-echo.unix' | head -1)
		before=$(rss "$upid")
	fi
	# Open the connections, hold them idle, measure, then echo on each.
	ip netns exec "$NS" python3 - "$A" "$conns" "$WORK/idle-$t.ready" "$WORK/idle-$t.go" \
		>"$WORK/idle-$t.client" 2>&1 <<'PY' &
import os, select, socket, sys, time
addr, n, ready, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
socks = []
t0 = time.time()
for i in range(n):
    s = socket.socket()
    s.settimeout(10)
    try:
        s.connect((addr, 7))
    except OSError as e:
        print("connect %d failed: %s" % (i, e))
        break
    socks.append(s)
print("opened %d in %.1f s" % (len(socks), time.time() - t0))
time.sleep(1)
p = select.poll()
for s in socks:
    p.register(s, select.POLLIN)
gone = len(p.poll(0))  # readable now means reset or closed
print("held %d" % (len(socks) - gone))
open(ready, "w").close()
for _ in range(600):
    if os.path.exists(go):
        break
    time.sleep(0.05)
ok = 0
for i, s in enumerate(socks):
    m = b"conn %d\n" % i
    try:
        s.sendall(m)
        got = b""
        while len(got) < len(m):
            b = s.recv(len(m) - len(got))
            if not b:
                break
            got += b
        ok += got == m
    except OSError:
        pass
print("echoed %d" % ok)
for s in socks:
    s.close()
PY
	cpid=$!
	for _ in $(seq 1200); do
		[ -e "$WORK/idle-$t.ready" ] || ! kill -0 $cpid 2>/dev/null && break
		sleep 0.1
	done
	if [ -n "$upid" ]; then
		after=$(rss "$upid")
		per=$(((after - before) * 1024 / conns))
		echo "# unix: resident memory $before KiB before, $after KiB with $conns idle connections: $per bytes each"
		check "idle on unix: at most 2048 bytes of resident memory per idle connection ($per)" \
			test "$per" -le 2048
	fi
	touch "$WORK/idle-$t.go"
	wait $cpid
	client=$(cat "$WORK/idle-$t.client")
	echo "# $t: $(echo "$client" | tr '\n' ' ')"
	check "idle on $t: $conns connections opened" grep -qx "opened $conns in .*" <<<"$client"
	check "idle on $t: all $conns still open a second later" grep -qx "held $conns" <<<"$client"
	check "idle on $t: every connection echoes its own message" grep -qx "echoed $conns" <<<"$client"
	# 10 000 FINs may fill the tap's queue: a quit datagram can be
	# dropped with them, so it is sent again until the server ends.
	for _ in $(seq 40); do
		net_quit "$NS" $A 9
		sleep 0.5
		kill -0 "$PID" 2>/dev/null || break
	done
	net_stop "$PID" 5
	st=$?
	line=$(grep -o 'IDLE .*' "$log" | tail -1)
	echo "# $t: $line"
	check "idle on $t: the server ends 0" test $st -eq 0
	check "idle on $t: it accepted and echoed each once, none refused" \
		grep -Eq "^IDLE accepted=$conns echoed=$conns closed=[0-9]+ refused=0 " <<<"$line"
done
exit 0
