#!/usr/bin/env bash
# tests/ops/metrics_hostile.t: a hostile client on the management port
# cannot stop, slow or crash the unikernel. examples/http with a second
# interface, mgmt, declared (the listener opens it itself: the example
# never does), --metrics=mgmt:9100, on each target this machine runs:
# while slowloris clients hold more connections than the listener serves
# at once, garbage, an over-long request line, huge headers and a huge
# body arrive on the management port, curl keeps getting the page from
# the service port in time; the hostile requests get 400/414/431/413 or
# are cut at the deadline; afterwards /metrics answers again and counts
# the rejections and timeouts.
source "$(dirname "$0")/../net/lib.sh"
net_require "tests/ops/metrics_hostile.t"
for c in curl python3; do
	if ! command -v $c >/dev/null; then
		if [ "${CI:-}" = true ]; then fail "tests/ops/metrics_hostile.t: no $c"; exit 1; fi
		skip "tests/ops/metrics_hostile.t (no $c)"
		exit 0
	fi
done

# examples/http with a second interface for management.
src=$WORK/ex-http2
cp -R "$ROOT/examples/http" "$src"
rm -rf "$src/_build" "$src/dist"
sed -i 's/^RIAD_NET_IFACE(service);$/RIAD_NET_IFACE(service);\nRIAD_NET_IFACE(mgmt);/' "$src/main.c"
grep -q 'RIAD_NET_IFACE(mgmt)' "$src/main.c" || { fail "metrics_hostile: cannot add the mgmt interface"; exit 0; }

n=0
for t in $(net_targets); do
	n=$((n + 1))
	if ! out=$("$RIAD" build -t "$t" -C "$src" 2>&1); then
		fail "hostile on $t: the unikernel does not build: $out"
		continue
	fi
	net_ns NS metsh
	net_tap "$NS" rmeth0 10.215.$n.1/24
	net_tap "$NS" rmeth1 10.216.$n.1/24
	A=10.215.$n.2
	M=10.216.$n.2
	out=$WORK/hostile-$t.out
	mem=()
	[ "$t" = unix ] || mem=(--mem 64)
	net_bg "$out" "$NS" "$RIAD" run -t "$t" -C "$src" "${mem[@]}" --net service=rmeth0 --net mgmt=rmeth1 -- \
		--service-ipv4=$A/24 --mgmt-ipv4=$M/24 --quit-port=9 --run-ms=120000 --metrics=mgmt:9100 --metrics-deadline-ms=1500
	PID=$NET_PID
	if ! net_wait_for "$out" 'mgmt: management listener on port 9100' 20; then
		fail "hostile on $t: no management listener on mgmt: $(tail -3 "$out")"
		continue
	fi
	check "hostile on $t: the service interface has no management listener" \
		bash -c '! ip netns exec "$1" curl -s -m 3 -o /dev/null "http://$2:9100/metrics"' _ "$NS" "$A"

	# The attack, for about 3 s (beyond the listener's 1.5 s deadline).
	ip netns exec "$NS" python3 - "$M" >"$WORK/attack-$t" 2>&1 <<'PY' &
import socket, sys, threading, time
m = sys.argv[1]
res = {}
def conn():
    s = socket.create_connection((m, 9100), timeout=10)
    return s
def answer(s):
    s.settimeout(8)
    data = b""
    try:
        while True:
            b = s.recv(4096)
            if not b:
                break
            data += b
    except OSError as e:
        return "error " + type(e).__name__
    return data.split(b"\r\n", 1)[0].decode(errors="replace") or "closed"
def slowloris(i):
    try:
        s = conn()
        s.sendall(b"GET /metrics HTTP/1.1\r\n")
        t0 = time.time()
        r = "held"
        while time.time() - t0 < 3:
            try:
                s.sendall(b"X-a: b\r\n")
            except OSError:
                r = "cut after %.1f s" % (time.time() - t0)
                break
            time.sleep(0.25)
        res["slow%d" % i] = r
    except OSError as e:
        res["slow%d" % i] = "refused " + type(e).__name__
threads = [threading.Thread(target=slowloris, args=(i,)) for i in range(12)]
for th in threads: th.start()
time.sleep(2.5)  # the slots are free again after the deadline
def one(name, payload):
    try:
        s = conn()
        s.sendall(payload)
        res[name] = answer(s)
    except OSError as e:
        res[name] = "error " + type(e).__name__
one("garbage", bytes(range(256)) * 40)
one("longline", b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
one("longpath", b"GET /" + b"a" * 200 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
one("headers", b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"v" * 100) for i in range(60)) + b"\r\n")
one("manyheaders", b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(40)) + b"\r\n")
one("body", b"PUT /log-levels HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
one("te", b"PUT /log-levels HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
for th in threads: th.join()
for k in sorted(res): print(k, res[k])
PY
	ATTACK=$!
	# The service answers all along.
	ok=0
	for i in $(seq 10); do
		r=$(ip netns exec "$NS" curl -s -m 2 -o /dev/null -w '%{http_code}' "http://$A/")
		[ "$r" = 200 ] && ok=$((ok + 1))
		sleep 0.25
	done
	wait $ATTACK
	check "hostile on $t: the service port answered all 10 requests during the attack ($ok)" test "$ok" -eq 10
	a=$WORK/attack-$t
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$a"
	check "hostile on $t: slowloris clients beyond the 4 slots are reset, the rest cut at the deadline" \
		bash -c 'grep -Eq "^slow[0-9]+ (cut|refused)" "$1" && ! grep -q "^slow[0-9]* held" "$1"' _ "$a"
	check "hostile on $t: garbage is 400" grep -q '^garbage HTTP/1.1 400' "$a"
	check "hostile on $t: an over-long request line is 431" grep -q '^longline HTTP/1.1 431' "$a"
	check "hostile on $t: an over-long path is 414" grep -q '^longpath HTTP/1.1 414' "$a"
	check "hostile on $t: huge headers are 431" grep -q '^headers HTTP/1.1 431' "$a"
	check "hostile on $t: too many headers are 431" grep -q '^manyheaders HTTP/1.1 431' "$a"
	check "hostile on $t: a huge body is 413" grep -q '^body HTTP/1.1 413' "$a"
	check "hostile on $t: chunked coding is 501" grep -q '^te HTTP/1.1 501' "$a"
	r=$(ip netns exec "$NS" curl -sS -m 5 "http://$M:9100/metrics" 2>&1)
	check "hostile on $t: /metrics answers afterwards, with rejections and timeouts counted" \
		bash -c 'grep -Eq "^riad_mgmt_rejected_total [1-9]" <<<"$1" && grep -Eq "^riad_mgmt_timeouts_total [1-9]" <<<"$1" &&
			grep -Eq "^riad_mgmt_bad_requests_total [1-9]" <<<"$1"' _ "$r"
	net_quit "$NS" $A 9
	net_stop "$PID" 10
	check "hostile on $t: the unikernel ends 0 when told to" test $? -eq 0
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out"
done
exit 0
