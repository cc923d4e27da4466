#!/usr/bin/env bash
# fuzz/http_parse_seeds.sh: makes the seed corpus of fuzz/http_parse.c
# (fuzz/corpus/http_parse/): requests recorded from curl (a recorder on
# loopback answers each with a one-byte 200 and keeps what arrived) and
# those of tests/http/client.py (pipelined, malformed, chunked), each
# written twice: after a byte 0x00 (the default limits) and 0x01 (the
# fuzz target's small limits). Needs curl and python3.
set -eu
cd "$(dirname "$0")/.."
OUT=fuzz/corpus/http_parse
W=$(mktemp -d)
trap 'kill $REC 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$OUT"

python3 - "$W" <<'PY' &
import os, socket, sys
d = sys.argv[1]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(8)
open(os.path.join(d, "port"), "w").write(str(s.getsockname()[1]))
n = 0
while True:
    c, _ = s.accept()
    c.settimeout(0.3)
    data = b""
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            data += b
    except socket.timeout:
        pass
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
    c.close()
    open(os.path.join(d, "req%03d" % n), "wb").write(data)
    n += 1
PY
REC=$!
while [ ! -s "$W/port" ]; do sleep 0.05; done
U=http://127.0.0.1:$(cat "$W/port")
printf 'a=1&b=%%2e%%2e' >"$W/form"
head -c 300 /dev/zero | tr '\0' x >"$W/body"
curl_seed() {
	local name=$1
	shift
	rm -f "$W"/req*
	curl -sS -m 5 -o /dev/null "$@" >/dev/null 2>&1 || true
	for f in "$W"/req*; do
		[ -f "$f" ] || continue
		cat "$f" >"$W/all"
	done
	{ printf '\0'; cat "$W/all"; } >"$OUT/curl-$name"
	{ printf '\1'; cat "$W/all"; } >"$OUT/curl-$name-small"
}
curl_seed get "$U/index.html?x=1"
curl_seed head -I "$U/"
curl_seed compressed --compressed "$U/css/style.css"
curl_seed range -r 100-199 "$U/big.bin"
curl_seed suffix-range -r -500 "$U/big.bin"
curl_seed if-none-match -H 'If-None-Match: "0123456789abcdef0123456789abcdef", W/"x"' "$U/"
curl_seed if-modified-since -z 'Tue, 04 Mar 2025 05:06:07 GMT' "$U/"
curl_seed http10 -0 "$U/"
curl_seed post-form -d @"$W/form" "$U/form"
curl_seed post-chunked -H 'Transfer-Encoding: chunked' --data-binary @"$W/body" "$U/up"
curl_seed expect -H 'Expect: 100-continue' --data-binary @"$W/body" "$U/up"
curl_seed path-as-is --path-as-is "$U/dir/../%2e%2e/x"
curl_seed absolute-form -x "$U" http://site.example/a/b?c=d
curl_seed options -X OPTIONS --request-target '*' "$U"

python3 tests/http/client.py record "$W/py"
for f in "$W"/py/*; do
	b=$(basename "$f")
	{ printf '\0'; cat "$f"; } >"$OUT/$b"
	{ printf '\1'; cat "$f"; } >"$OUT/$b-small"
done
