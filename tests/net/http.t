#!/usr/bin/env bash
# tests/net/http.t: examples/http (riad's TCP, riad/http.h) against curl, on each target
# this machine runs, in a namespace made here: GET and HEAD of the page
# with Content-Length, several requests over one kept-alive connection,
# 404, 405 with Allow, 400 for a malformed request (raw, through nc),
# HTTP/1.0 closing, 200 requests from 20 parallel curls, and the counters
# the example logs when it ends.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/http.t"
if ! command -v curl >/dev/null; then
	skip "tests/net/http.t (no curl)"
	exit 0
fi

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS http
	net_tap "$NS" rhttp0 10.213.$n.1/24
	A=10.213.$n.2
	if ! d=$(net_example http "$t"); then
		fail "http on $t: examples/http does not build"
		continue
	fi
	out=$WORK/http-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rhttp0 --ipv4=$A/24 --quit-port=9 --run-ms=120000
	PID=$NET_PID
	if ! net_wait_for "$out" 'serving http://' 20; then
		fail "http on $t: the example did not come up: $(tail -3 "$out")"
		continue
	fi
	c() { ip netns exec "$NS" curl -sS -m 10 "$@" 2>&1; }
	r=$(c -i "http://$A/")
	check "http on $t: GET / is 200 with the page and its Content-Length" \
		bash -c 'grep -q "^HTTP/1.1 200 OK" <<<"$1" && grep -q "Content-Length: 168" <<<"$1" &&
			grep -q "<h1>Hello from a riad unikernel</h1>" <<<"$1"' _ "$r"
	r=$(c -I "http://$A/index.html")
	check "http on $t: HEAD is 200 with headers only" \
		bash -c 'grep -q "^HTTP/1.1 200 OK" <<<"$1" && ! grep -q "<h1>" <<<"$1"' _ "$r"
	r=$(c -o /dev/null -o /dev/null -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' "http://$A/" "http://$A/" "http://$A/nope" "http://$A/")
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || echo "keep-alive: $r"
	check "http on $t: four requests over one kept-alive connection (200, 200, 404, 200)" \
		test "$(tr '\n' ' ' <<<"$r")" = "200 1 200 0 404 0 200 0 "
	r=$(c -i -X POST -d x=1 "http://$A/")
	check "http on $t: POST is 405 with Allow: GET, HEAD" \
		bash -c 'grep -q "^HTTP/1.1 405" <<<"$1" && grep -q "^Allow: GET, HEAD" <<<"$1"' _ "$r"
	r=$(ip netns exec "$NS" bash -c "printf 'NONSENSE\r\n\r\n' | nc -N -w 5 $A 80")
	check "http on $t: a malformed request is 400 and the connection closes" \
		bash -c 'grep -q "^HTTP/1.1 400" <<<"$1" && grep -q "^Connection: close" <<<"$1"' _ "$r"
	r=$(c -0 -i "http://$A/")
	check "http on $t: HTTP/1.0 gets the page and Connection: close" \
		bash -c 'grep -q "^HTTP/1.1 200" <<<"$1" && grep -q "^Connection: close" <<<"$1"' _ "$r"
	ip netns exec "$NS" bash -c "for i in \$(seq 20); do curl -sS -m 20 -o /dev/null -w '%{http_code}\n' \$(for j in \$(seq 10); do echo http://$A/; done) & done; wait" >"$WORK/par-$t" 2>&1
	check "http on $t: 20 parallel curls of 10 requests each all get 200" \
		test "$(grep -c '^200$' "$WORK/par-$t")" -eq 200
	net_quit "$NS" $A 9
	net_stop "$PID" 10
	check "http on $t: the example ends 0 when told to" test $? -eq 0
	check "http on $t: the server counted the requests (206 2xx; 404, 405 and 400: 3 4xx; one refused by the parser)" \
		grep -q ' 208 requests: 206 2xx, 0 3xx, 3 4xx, 0 5xx; 1 refused by the parser' "$out"
	# Segments the kernel retransmitted while riad's answer was on its way
	# (seen on hvt, whose round trips are slow here) count as dup_segs, not
	# as drops.
	check "http on $t: TCP dropped nothing" \
		bash -c '! grep "\[net\] service: tcp: " "$1" | grep -q "drop\."' _ "$out"
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out"
done
exit 0
