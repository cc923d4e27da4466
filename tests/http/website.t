#!/usr/bin/env bash
# tests/http/website.t: examples/website (riad/http.h's server and static-file handler) serving a GNU tar archive in a GPT partition named site (--store=tar:disk@site), on unix, spt and hvt, against curl and a Python client in a namespace made here:
# GET with Content-Type, ETag, Last-Modified and Date; keep-alive reuse; HEAD; If-None-Match and If-Modified-Since (304); Range (206, suffix and open ranges, 416); --compressed (the .gz sibling, Content-Encoding, Vary) and identity without it; index.html for a directory and the redirect to its '/'; the store's 404 page; a 300 KiB file byte-exact; five pipelined requests; 29 malformed requests each answered with its status (400, 413, 414, 431, 501, 505) and the connection closed, and three the server must take (absolute-form, OPTIONS *, POST to a GET route: 405) (tests/http/client.py); a client sending one byte a second closed with 408 at the deadline; the server's counters.
# Needs curl, python3, sgdisk, GNU tar, gzip.
source "$(dirname "$0")/../net/lib.sh"
T=tests/http/website.t
net_require "$T"
missing=""
for c in curl python3 sgdisk tar gzip cmp; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
	if [ "${CI:-}" = true ]; then fail "$T: missing$missing"; else skip "$T (missing$missing)"; fi
	exit 0
fi

# ---- the site ----
site=$WORK/site
mkdir -p "$site/dir" "$site/css"
printf '<!DOCTYPE html>\n<title>riad</title><h1>the riad website test</h1>\n' >"$site/index.html"
printf '<h1>no such page here</h1>\n' >"$site/404.html"
printf '<p>the directory page</p>\n' >"$site/dir/index.html"
for i in $(seq 200); do printf 'body { margin: %dpx; color: #%06x; }\n' "$i" "$i"; done >"$site/css/style.css"
gzip -9 -k "$site/css/style.css"
head -c 307200 /dev/urandom >"$site/big.bin"
touch -d '2025-03-04 05:06:07 UTC' "$site"/index.html "$site"/css/* "$site"/big.bin
(cd "$site" && tar --format=gnu -cf "$WORK/site.tar" index.html 404.html dir css big.bin)
img=$WORK/site.img
truncate -s 8M "$img"
sgdisk -n 1:2048:+1M -c 1:boot -n 2:0:0 -c 2:site "$img" >/dev/null
first=$(sgdisk -i 2 "$img" | awk '/^First sector/ { print $3 }')
dd if="$WORK/site.tar" of="$img" bs=512 seek="$first" conv=notrunc status=none
lm='Tue, 04 Mar 2025 05:06:07 GMT'

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS web
	net_tap "$NS" rweb0 10.217.$n.1/24
	A=10.217.$n.2
	if ! d=$(net_example website "$t"); then
		fail "website on $t: examples/website does not build"
		continue
	fi
	out=$WORK/web-$t.out
	mem=()
	[ "$t" = unix ] || mem=(--mem 64)
	net_bg "$out" "$NS" "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --block disk="$img" --net service=rweb0 -- \
		--ipv4=$A/24 --store=tar:disk@site --quit-port=9 --run-ms=120000 --request-ms=2000 \
		--cache-control='max-age=60'
	PID=$NET_PID
	if ! net_wait_for "$out" 'serving http://' 20; then
		fail "website on $t: the example did not come up: $(tail -3 "$out")"
		continue
	fi
	# The slow client runs meanwhile (it takes the deadline's 2 s).
	ip netns exec "$NS" python3 "$ROOT/tests/http/client.py" slow $A 80 2 >"$WORK/slow-$t" 2>&1 &
	slow_pid=$!
	c() { ip netns exec "$NS" curl -sS -m 10 "$@" 2>&1; }
	U=http://$A

	r=$(c -i "$U/")
	check "website on $t: GET / is the store's index.html with Content-Type, ETag, Last-Modified, Date, Cache-Control" \
		bash -c 'grep -q "^HTTP/1.1 200 OK" <<<"$1" && grep -q "^Content-Type: text/html; charset=utf-8" <<<"$1" &&
			grep -Eq "^ETag: \"[0-9a-f]{32}\"" <<<"$1" && grep -q "^Last-Modified: $2" <<<"$1" &&
			grep -Eq "^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT" <<<"$1" &&
			grep -q "^Cache-Control: max-age=60" <<<"$1" && grep -q "the riad website test" <<<"$1"' _ "$r" "$lm"
	etag=$(grep -i '^ETag:' <<<"$r" | cut -d' ' -f2 | tr -d '\r')

	r=$(c -o /dev/null -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' "$U/" "$U/css/style.css" "$U/big.bin")
	check "website on $t: three requests over one kept-alive connection" \
		test "$(tr '\n' ' ' <<<"$r")" = "200 1 200 0 200 0 "

	r=$(c -I "$U/big.bin")
	check "website on $t: HEAD has the file's Content-Length and no body" \
		bash -c 'grep -q "^HTTP/1.1 200" <<<"$1" && grep -q "^Content-Length: 307200" <<<"$1" &&
			grep -q "^Content-Type: application/octet-stream" <<<"$1"' _ "$r"

	r=$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$U/")
	check "website on $t: If-None-Match with the ETag is 304" test "$r" = 304
	r=$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: \"other\", W/$etag" "$U/")
	check "website on $t: If-None-Match with a list holding the weak ETag is 304" test "$r" = 304
	r=$(c -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $lm" "$U/")
	check "website on $t: If-Modified-Since at Last-Modified is 304" test "$r" = 304
	r=$(c -o /dev/null -w '%{http_code}' -H 'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT' "$U/")
	check "website on $t: If-Modified-Since before Last-Modified is 200" test "$r" = 200
	r=$(c -o /dev/null -w '%{http_code}' -z "Sunday, 06-Nov-94 08:49:37 GMT" "$U/")
	check "website on $t: curl -z (If-Modified-Since, an old date) is 200" test "$r" = 200

	c -o "$WORK/r1" -D "$WORK/h1" -r 1000-1999 "$U/big.bin" >/dev/null
	check "website on $t: Range 1000-1999 is 206 with Content-Range and those bytes" \
		bash -c 'grep -q "^HTTP/1.1 206" "$1" && grep -q "^Content-Range: bytes 1000-1999/307200" "$1" &&
			cmp -s "$2" <(tail -c +1001 "$3" | head -c 1000)' _ "$WORK/h1" "$WORK/r1" "$site/big.bin"
	c -o "$WORK/r2" -r -500 "$U/big.bin" >/dev/null
	check "website on $t: a suffix range (-500) is the last 500 bytes" \
		cmp -s "$WORK/r2" <(tail -c 500 "$site/big.bin")
	c -o "$WORK/r3" -r 307000- "$U/big.bin" >/dev/null
	check "website on $t: an open range (307000-) is the rest" cmp -s "$WORK/r3" <(tail -c 200 "$site/big.bin")
	r=$(c -i -r 400000-500000 "$U/big.bin")
	check "website on $t: a range past the end is 416 with Content-Range: bytes */size" \
		bash -c 'grep -q "^HTTP/1.1 416" <<<"$1" && grep -q "^Content-Range: bytes \*/307200" <<<"$1"' _ "$r"
	r=$(c -o /dev/null -w '%{http_code}' -r 0-9 -H 'If-Range: "stale"' "$U/big.bin")
	check "website on $t: a stale If-Range gives the whole file (200)" test "$r" = 200

	c -o "$WORK/big" "$U/big.bin" >/dev/null
	check "website on $t: a 300 KiB file arrives byte-exact" cmp -s "$WORK/big" "$site/big.bin"

	c --compressed -o "$WORK/css" -D "$WORK/hc" "$U/css/style.css" >/dev/null
	check "website on $t: --compressed gets the .gz sibling (Content-Encoding: gzip, Vary), decoded byte-exact" \
		bash -c 'grep -q "^Content-Encoding: gzip" "$1" && grep -q "^Vary: Accept-Encoding" "$1" &&
			grep -q "^Content-Type: text/css" "$1" && grep -q "^Content-Length: $(stat -c %s "$3.gz")" "$1" &&
			cmp -s "$2" "$3"' _ "$WORK/hc" "$WORK/css" "$site/css/style.css"
	c -o "$WORK/css2" -D "$WORK/hc2" "$U/css/style.css" >/dev/null
	check "website on $t: without Accept-Encoding the file itself, no Content-Encoding" \
		bash -c '! grep -qi "^Content-Encoding" "$1" && cmp -s "$2" "$3"' _ "$WORK/hc2" "$WORK/css2" "$site/css/style.css"
	r=$(c -o /dev/null -w '%{http_code} %{size_download}' -H 'Accept-Encoding: gzip;q=0' "$U/css/style.css")
	check "website on $t: gzip;q=0 is not gzip" test "$r" = "200 $(stat -c %s "$site/css/style.css")"

	r=$(c -i "$U/dir")
	check "website on $t: a directory without its '/' is redirected there (301)" \
		bash -c 'grep -q "^HTTP/1.1 301" <<<"$1" && grep -q "^Location: /dir/" <<<"$1"' _ "$r"
	r=$(c -L "$U/dir")
	check "website on $t: the directory's index.html" test "$r" = "<p>the directory page</p>"
	r=$(c -i "$U/no/such/page")
	check "website on $t: a missing file is 404 with the store's 404.html" \
		bash -c 'grep -q "^HTTP/1.1 404" <<<"$1" && grep -q "no such page here" <<<"$1"' _ "$r"
	r=$(c -o /dev/null -w '%{http_code}' --path-as-is "$U/dir/../../etc/passwd")
	check "website on $t: /../ in the path (curl --path-as-is) is 400" test "$r" = 400
	r=$(c -o /dev/null -w '%{http_code}' --path-as-is "$U/%2e%2e/index.html")
	check "website on $t: percent-encoded .. is 400" test "$r" = 400

	ip netns exec "$NS" python3 "$ROOT/tests/http/client.py" pipeline $A 80 "$site/index.html" >"$WORK/pipe-$t" 2>&1
	ip netns exec "$NS" python3 "$ROOT/tests/http/client.py" bad $A 80 >"$WORK/bad-$t" 2>&1
	wait "$slow_pid"
	for f in pipe bad slow; do
		while read -r st rest; do
			case "$st" in
			ok) pass "website on $t: $rest" ;;
			*) fail "website on $t: $st $rest" ;;
			esac
		done <"$WORK/$f-$t"
	done
	check "website on $t: the Python client ran its 32 raw requests (29 malformed)" test "$(grep -c '^ok' "$WORK/bad-$t")" -eq 32

	net_quit "$NS" $A 9
	net_stop "$PID" 10
	check "website on $t: the example ends 0 when told to" test $? -eq 0
	check "website on $t: the server counted 31 refusals (29, and curl's two ..) and the slow client's timeout" \
		grep -q " 31 refused by the parser, 1 timeouts" "$out"
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out"
done
exit 0
