#!/usr/bin/env bash
# tests/http/https_idle.t: examples/website holds kept-alive HTTPS connections between requests without a fiber or a TLS record buffer (riad_tls_when_readable under riad_http_serve_detached), on each target this machine runs (spt and hvt with --mem 64), and over the host-socket stack (unix --hostnet), against Python's ssl module:
#  - with --max-conns=3, three idle kept-alive HTTPS connections hold the three slots: a fourth waits for its handshake until one of them closes; an idle one answers its next request, and --idle-ms later the server closes it (close_notify);
#  - a request of exactly 128 bytes (the server's first read of an idle connection) sent with the next one in the same TLS record: the second, left decrypted in the engine when the server goes idle, is answered at once;
#  - N=2000 connections (200 over --hostnet), each after its handshake and one request, held idle, then each answers a second request; on unix the resident memory per idle connection is printed and must stay under 8 KiB (it was 49 KiB with a fiber and a record buffer per connection), and the example counts N handshakes.
# Needs openssl and python3.
source "$(dirname "$0")/../net/lib.sh"
T=tests/http/https_idle.t
net_require "$T"
for c in openssl python3; do
	if ! command -v $c >/dev/null; then
		skip "$T (no $c)"
		exit 0
	fi
done
N=${HTTPS_IDLE_N:-2000}
NH=200
ulimit -n $((N + 1000))
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# ---- the example with a one-page site, its P-256 certificate and key baked in ----
B=$WORK/ex-website
cp -R "$ROOT/examples/website" "$B"
rm -rf "$B/_build" "$B/dist"
mkdir -p "$B/www/tls"
printf '<!DOCTYPE html>\n<title>riad</title><h1>idle https</h1>\n' >"$B/www/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=idle.riad.test \
	-keyout "$B/www/tls/key.pem" -out "$B/www/tls/cert.pem" 2>/dev/null ||
	{ fail "$T: cannot make the test certificate"; exit 0; }
echo "bake = www" >>"$B/riad.conf"
truncate -s 1M "$WORK/disk.img"
ARGS=(--store=baked --tls-cert=/tls/cert.pem --tls-key=/tls/key.pem --http=off)

cat >"$WORK/client.py" <<'PY'
import os, socket, ssl, sys, time
mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
REQ = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"

def conn(handshake=True):
    s = socket.create_connection((addr, port), timeout=10)
    return ctx.wrap_socket(s, do_handshake_on_connect=handshake)

def answer(s, timeout=5):
    # The status line of one response read whole, None by timeout, or
    # "closed" (close_notify or the end of the stream).
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
        if len(body) != n or b"idle https" not in body:
            return "bad body"
        return head.split(b"\r\n")[0].decode()
    except (socket.timeout, TimeoutError):
        return None
    except (OSError, ssl.SSLError) as e:
        return "error: %s" % e

if mode == "slots":
    cs = [conn() for _ in range(3)]
    for s in cs:
        s.sendall(REQ)
    print("three:", [answer(s) for s in cs])
    t_idle = time.time()
    fourth = conn(handshake=False)  # taken into the backlog, not accepted
    fourth.settimeout(0.8)
    try:
        fourth.do_handshake()
        print("fourth while three idle: handshake done")
    except (socket.timeout, TimeoutError):
        print("fourth while three idle: waits")
    cs[0].sendall(REQ)
    print("idle one again:", answer(cs[0]))
    cs[1].close()
    fourth.settimeout(5)
    try:
        fourth.do_handshake()
        fourth.sendall(REQ)
        print("fourth after one closed:", answer(fourth))
    except (OSError, ssl.SSLError) as e:
        print("fourth after one closed: %s" % e)
    # cs[2] has been idle since t_idle: the server closes it at 1.5 s.
    r = answer(cs[2])
    print("third left idle: %s after %.1f s" % (r, time.time() - t_idle))
elif mode == "record":
    s = conn()
    # 128 bytes exactly, then a second request: one write, one record.
    first = b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: \r\n\r\n"
    first = first.replace(b"X-Pad: ", b"X-Pad: " + b"p" * (128 - len(first)))
    assert len(first) == 128
    s.sendall(first + REQ)
    print("first in the record:", answer(s))
    # Within 1 s: the server's --idle-ms (1.5 s) would also wake it.
    print("second in the record:", answer(s, 1))
elif mode == "many":
    n, ready, go = int(sys.argv[4]), sys.argv[5], sys.argv[6]
    socks, ok = [], 0
    for i in range(n):
        try:
            s = conn()
            s.sendall(REQ)
            ok += answer(s) == "HTTP/1.1 200 OK"
            socks.append(s)
        except (OSError, ssl.SSLError) as e:
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
            ok += answer(s) == "HTTP/1.1 200 OK"
        except (OSError, ssl.SSLError):
            pass
    print("second %d" % ok)
PY

# many WHERE NS ADDR PORT N PID: N idle connections against the example
# (PID: its process, for the resident memory on unix; empty elsewhere).
many() {
	local where=$1 ns=$2 addr=$3 port=$4 n=$5 upid=$6 cpid before after per client
	local -a inns=()
	[ -z "$ns" ] || inns=(ip netns exec "$ns")
	rm -f "$WORK/many.ready" "$WORK/many.go"
	[ -z "$upid" ] || before=$(rss "$upid")
	"${inns[@]+"${inns[@]}"}" python3 "$WORK/client.py" many "$addr" "$port" "$n" "$WORK/many.ready" \
		"$WORK/many.go" >"$WORK/many.client" 2>&1 &
	cpid=$!
	for _ in $(seq 1200); do
		[ -e "$WORK/many.ready" ] || ! kill -0 $cpid 2>/dev/null && break
		sleep 0.1
	done
	if [ -n "$upid" ]; then
		sleep 0.3
		after=$(rss "$upid")
		per=$(((after - before) * 1024 / n))
		echo "# $where: resident memory $before KiB before, $after KiB with $n idle kept-alive HTTPS connections: $per bytes each"
		check "https_idle on $where: under 8 KiB of resident memory per idle HTTPS connection ($per bytes)" \
			test "$per" -lt 8192
	fi
	touch "$WORK/many.go"
	wait $cpid
	client=$(cat "$WORK/many.client")
	echo "# $where: $(echo "$client" | tr '\n' ' ')"
	check "https_idle on $where: $n HTTPS connections each answered once, then held idle" grep -qx "first $n" <<<"$client"
	check "https_idle on $where: each of the $n idle HTTPS connections answers a second request" \
		grep -qx "second $n" <<<"$client"
}

# slots_and_record WHERE NS ADDR PORT: the two small checks, against an
# example started with --max-conns=3 --idle-ms=1500.
slots_and_record() {
	local where=$1 ns=$2 addr=$3 port=$4 r
	local -a inns=()
	[ -z "$ns" ] || inns=(ip netns exec "$ns")
	r=$("${inns[@]+"${inns[@]}"}" python3 "$WORK/client.py" slots "$addr" "$port" 2>&1)
	echo "$r" | sed 's/^/# /'
	check "https_idle on $where: three kept-alive HTTPS connections answered" \
		grep -qx "three: \['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'\]" <<<"$r"
	check "https_idle on $where: with --max-conns=3 held by idle HTTPS connections, a fourth's handshake waits" \
		grep -qx "fourth while three idle: waits" <<<"$r"
	check "https_idle on $where: an idle HTTPS connection answers its next request" \
		grep -qx "idle one again: HTTP/1.1 200 OK" <<<"$r"
	check "https_idle on $where: once one closes, the fourth is served" \
		grep -qx "fourth after one closed: HTTP/1.1 200 OK" <<<"$r"
	check "https_idle on $where: an idle HTTPS connection is closed at --idle-ms (1.5 s)" \
		grep -Eqx "third left idle: closed after (1\.[4-9]|2\.[0-9]|3\.[0-9]) s" <<<"$r"
	r=$("${inns[@]+"${inns[@]}"}" python3 "$WORK/client.py" record "$addr" "$port" 2>&1)
	echo "$r" | sed 's/^/# /'
	check "https_idle on $where: a request left decrypted in the engine when the server goes idle is answered at once" \
		bash -c 'grep -qx "first in the record: HTTP/1.1 200 OK" <<<"$1" &&
			grep -qx "second in the record: HTTP/1.1 200 OK" <<<"$1"' _ "$r"
}

n=0
for t in $(net_targets); do
	n=$((n + 1))
	if ! out=$("$RIAD" build -t "$t" -C "$B" 2>&1); then
		fail "https_idle on $t: examples/website does not build: $out"
		continue
	fi
	net_ns NS hsidle
	net_tap "$NS" rhsidle0 10.222.$n.1/24
	ip netns exec "$NS" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
	A=10.222.$n.2
	mem=()
	[ "$t" = unix ] || mem=(--mem 64)
	# web OUT ARGS...: the example in the background, sets PID.
	web() {
		local o=$1
		shift
		net_bg "$o" "$NS" "$RIAD" run -t "$t" -C "$B" "${mem[@]}" --block disk="$WORK/disk.img" \
			--net service=rhsidle0 -- --ipv4=$A/24 --quit-port=9 "${ARGS[@]}" "$@"
		PID=$NET_PID
	}

	out=$WORK/slots-$t.out
	web "$out" --run-ms=60000 --max-conns=3 --idle-ms=1500
	if ! net_wait_for "$out" 'serving https://' 20; then
		fail "https_idle on $t: the example did not come up: $(tail -3 "$out")"
		continue
	fi
	slots_and_record "$t" "$NS" $A 443
	net_quit "$NS" $A 9
	net_stop "$PID" 10

	out=$WORK/many-$t.out
	web "$out" --run-ms=120000 --max-conns=$((N + 100)) --idle-ms=600000
	if ! net_wait_for "$out" 'serving https://' 20; then
		fail "https_idle on $t: the example did not come up: $(tail -3 "$out")"
		continue
	fi
	upid=
	[ "$t" != unix ] || upid=$(pgrep -f "website\.unix.*--ipv4=$A/" | head -1)
	many "$t" "$NS" $A 443 "$N" "$upid"
	for _ in $(seq 20); do
		net_quit "$NS" $A 9
		sleep 0.5
		kill -0 "$PID" 2>/dev/null || break
	done
	net_stop "$PID" 10
	check "https_idle on $t: the example ends 0 and counts $N handshakes" \
		bash -c '[ "$1" -eq 0 ] && grep -Eq "https: $2 handshakes \(0 resumed\), 0 failed" "$3"' _ $? "$N" "$out"
done

# ---- the host-socket stack: the same over the loopback ----
H=$WORK/ex-website-hostnet
cp -R "$B" "$H"
rm -rf "$H/_build" "$H/dist"
if ! out=$("$RIAD" build -t unix --hostnet -C "$H" 2>&1); then
	fail "https_idle on hostnet: examples/website does not build: $out"
	exit 0
fi
P=$((20000 + $$ % 20000))
# hweb OUT ARGS...: the hostnet example in the background, sets PID.
hweb() {
	local o=$1
	shift
	"$RIAD" run -t unix --hostnet -C "$H" --block disk="$WORK/disk.img" -- --https-port=$P \
		--quit-port=$P "${ARGS[@]}" "$@" >"$o" 2>&1 &
	PID=$!
	NET_PIDS+=("$PID")
}
out=$WORK/hostnet-slots.out
hweb "$out" --run-ms=60000 --max-conns=3 --idle-ms=1500
if net_wait_for "$out" 'serving https://' 10; then
	slots_and_record hostnet "" 127.0.0.1 $P
	printf 'QUIT\n' >/dev/udp/127.0.0.1/$P
	net_stop "$PID" 10
else
	fail "https_idle on hostnet: the example did not come up: $(tail -3 "$out")"
fi
out=$WORK/hostnet-many.out
hweb "$out" --run-ms=120000 --max-conns=$((NH + 100)) --idle-ms=600000
if net_wait_for "$out" 'serving https://' 10; then
	many hostnet "" 127.0.0.1 $P "$NH" ""
	printf 'QUIT\n' >/dev/udp/127.0.0.1/$P
	net_stop "$PID" 10
	check "https_idle on hostnet: the example ends 0 and counts $NH handshakes" \
		bash -c '[ "$1" -eq 0 ] && grep -Eq "https: $2 handshakes \(0 resumed\), 0 failed" "$3"' _ $? "$NH" "$out"
else
	fail "https_idle on hostnet: the example did not come up: $(tail -3 "$out")"
fi
exit 0
