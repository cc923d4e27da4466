#!/usr/bin/env bash
# tests/net/http_idle.t: riad/http.h holds kept-alive connections between
# requests without a fiber (riad_http_serve_detached, riad_tcp_when_readable),
# against examples/http on each target this machine runs, from a Python
# client in a namespace made here:
#  - with --max-conns=3, three kept-alive idle connections hold the three
#    slots: a fourth, accepted into the backlog, gets no answer until one
#    of them closes; an idle one answers its next request (a new fiber
#    continues it) and --idle-ms later the server closes it silently;
#  - N=2000 connections, each after one request, held idle; on unix the
#    process's resident memory grows by at most 2048 bytes per connection
#    (issue 12's goal), and each answers a second request afterwards.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/http_idle.t"
N=2000
ulimit -n $((N + 1000))
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

n=0
for t in $(net_targets); do
	n=$((n + 1))
	if ! d=$(net_example http "$t"); then
		fail "http_idle on $t: examples/http does not build"
		continue
	fi
	net_ns NS hidle
	net_tap "$NS" rhidle0 10.221.$n.1/24
	ip netns exec "$NS" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
	A=10.221.$n.2

	# ---- the bound: idle connections count ----
	out=$WORK/slots-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rhidle0 --ipv4=$A/24 --quit-port=9 --run-ms=60000 \
		--max-conns=3 --idle-ms=1500
	PID=$NET_PID
	if ! net_wait_for "$out" 'serving http://' 20; then
		fail "http_idle on $t: the example did not come up: $(tail -3 "$out")"
		kill "$PID" 2>/dev/null
		continue
	fi
	r=$(ip netns exec "$NS" python3 - "$A" 2>&1 <<'PY'
import socket, sys, time
addr = sys.argv[1]
REQ = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"

def conn():
    s = socket.create_connection((addr, 80), timeout=5)
    return s

def answer(s, timeout):
    # One response (head and Content-Length body), or None by timeout,
    # or "closed".
    s.settimeout(timeout)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            b = s.recv(4096)
            if not b:
                return "closed"
            got += b
        head, _, body = got.partition(b"\r\n\r\n")
        n = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
        while len(body) < n:
            b = s.recv(4096)
            if not b:
                return "closed"
            body += b
        return head.split(b"\r\n")[0].decode()
    except socket.timeout:
        return None

cs = [conn() for _ in range(3)]
for s in cs:
    s.sendall(REQ)
print("three:", [answer(s, 5) for s in cs])
t_idle = time.time()
fourth = conn()  # taken into the backlog
fourth.sendall(REQ)
print("fourth while three idle:", answer(fourth, 0.8))
cs[0].sendall(REQ)
print("idle one again:", answer(cs[0], 5))
t0 = time.time()
cs[1].close()
print("fourth after one closed:", answer(fourth, 5))
# cs[2] has been idle since t_idle: the server closes it at 1.5 s.
r = answer(cs[2], 5)
print("third left idle: %s after %.1f s" % (r, time.time() - t_idle))
PY
)
	echo "$r" | sed 's/^/# /'
	check "http_idle on $t: three kept-alive connections answered" \
		grep -qx "three: \['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'\]" <<<"$r"
	check "http_idle on $t: with --max-conns=3 held by idle connections, a fourth waits" \
		grep -qx "fourth while three idle: None" <<<"$r"
	check "http_idle on $t: an idle connection answers its next request" \
		grep -qx "idle one again: HTTP/1.1 200 OK" <<<"$r"
	check "http_idle on $t: once one closes, the fourth is answered" \
		grep -qx "fourth after one closed: HTTP/1.1 200 OK" <<<"$r"
	check "http_idle on $t: an idle connection is closed at --idle-ms (1.5 s)" \
		grep -Eqx "third left idle: closed after (1\.[4-9]|2\.[0-9]|3\.[0-9]) s" <<<"$r"
	net_quit "$NS" $A 9
	net_stop "$PID" 10
	grep ' requests: ' "$out" | sed 's/^/# /'
	check "http_idle on $t: the server counted 4 connections, 5 requests and an idle timeout" \
		grep -Eq ' 4 connections, 5 requests: 5 2xx.* [12] timeouts' "$out"

	# ---- many idle kept-alive connections ----
	out=$WORK/many-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rhidle0 --ipv4=$A/24 --quit-port=9 --run-ms=120000 \
		--idle-ms=600000
	PID=$NET_PID
	if ! net_wait_for "$out" 'serving http://' 20; then
		fail "http_idle on $t: the example did not come up: $(tail -3 "$out")"
		kill "$PID" 2>/dev/null
		continue
	fi
	upid=
	if [ "$t" = unix ]; then
		upid=$(pgrep -f "http\.unix.*--ipv4=$A/" | head -1)
		before=$(rss "$upid")
	fi
	ip netns exec "$NS" python3 - "$A" "$N" "$WORK/many-$t.ready" "$WORK/many-$t.go" \
		>"$WORK/many-$t.client" 2>&1 <<'PY' &
import os, socket, sys, time
addr, n, ready, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
REQ = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
def one(s):
    got = b""
    while not got.endswith(b"</html>\n"):
        b = s.recv(4096)
        if not b:
            return False
        got += b
    return got.startswith(b"HTTP/1.1 200 OK")
socks, ok = [], 0
for i in range(n):
    try:
        s = socket.create_connection((addr, 80), timeout=10)
        s.sendall(REQ)
        ok += one(s)
        socks.append(s)
    except OSError as e:
        print("connection %d: %s" % (i, e))
        break
print("first %d" % ok, flush=True)
open(ready, "w").close()
for _ in range(600):
    if os.path.exists(go):
        break
    time.sleep(0.05)
ok = 0
for s in socks:
    try:
        s.sendall(REQ)
        ok += one(s)
    except OSError:
        pass
print("second %d" % ok)
PY
	cpid=$!
	for _ in $(seq 1200); do
		[ -e "$WORK/many-$t.ready" ] || ! kill -0 $cpid 2>/dev/null && break
		sleep 0.1
	done
	if [ -n "$upid" ]; then
		sleep 0.3
		after=$(rss "$upid")
		per=$(((after - before) * 1024 / N))
		echo "# unix: resident memory $before KiB before, $after KiB with $N idle kept-alive connections: $per bytes each"
		check "http_idle on unix: at most 2048 bytes of resident memory per idle kept-alive connection ($per)" \
			test "$per" -le 2048
	fi
	touch "$WORK/many-$t.go"
	wait $cpid
	client=$(cat "$WORK/many-$t.client")
	echo "# $t: $(echo "$client" | tr '\n' ' ')"
	check "http_idle on $t: $N connections each answered once, then held idle" grep -qx "first $N" <<<"$client"
	check "http_idle on $t: each of the $N idle connections answers a second request" \
		grep -qx "second $N" <<<"$client"
	for _ in $(seq 20); do
		net_quit "$NS" $A 9
		sleep 0.5
		kill -0 "$PID" 2>/dev/null || break
	done
	net_stop "$PID" 10
	check "http_idle on $t: the example ends 0" test $? -eq 0
done
exit 0
