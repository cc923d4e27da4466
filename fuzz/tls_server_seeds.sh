#!/bin/bash
# fuzz/tls_server_seeds.sh: makes fuzz/corpus/tls_server/ (the tls_server
# fuzz target's seed corpus) from what openssl s_client sends first: its
# ClientHello with each set of options below, recorded by a listener on
# loopback that answers nothing. Each seed is the two option bytes of
# fuzz/tls_server.c (whole reads or 65-byte pieces; bidi or mono buffer)
# and the recorded bytes. Needs openssl and python3. Run from anywhere.
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)/corpus/tls_server
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; kill $rec 2>/dev/null || true' EXIT
mkdir -p "$out"
port=$((30000 + $$ % 20000))

# The listener: each connection's bytes (until 0.5 s of silence) go to
# $tmp/N, then the connection is closed.
python3 - "$port" "$tmp" <<'PY' &
import socket, sys
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', int(sys.argv[1])))
srv.listen(1)
open(sys.argv[2] + '/ready', 'w').close()
n = 0
while True:
    c, _ = srv.accept()
    c.settimeout(0.5)
    got = b''
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            got += b
    except socket.timeout:
        pass
    c.close()
    open('%s/%d' % (sys.argv[2], n), 'wb').write(got)
    n += 1
PY
rec=$!
for _ in $(seq 100); do [ -e "$tmp/ready" ] && break; sleep 0.1; done

i=0
hello() { # NAME S_CLIENT-OPTIONS...
	local name=$1
	shift
	timeout 3 openssl s_client -connect 127.0.0.1:$port "$@" </dev/null >/dev/null 2>&1 || true
	for _ in $(seq 50); do [ -e "$tmp/$i" ] && break; sleep 0.1; done
	sleep 0.2
	# Whole reads with the bidi buffer, and 65-byte pieces with mono.
	{ printf '\xff\x00'; cat "$tmp/$i"; } >"$out/$name"
	{ printf '\x01\x80'; cat "$tmp/$i"; } >"$out/$name-pieces-mono"
	i=$((i + 1))
}
hello default
hello tls12 -tls1_2
hello tls13 -tls1_3
hello sni -tls1_2 -servername fuzz.test
hello sni-wild -tls1_2 -servername www.fuzz.test
hello alpn -tls1_2 -alpn h2,http/1.1
hello alpn-none -tls1_2 -alpn spdy/3
hello tls10 -tls1
hello tls11 -tls1_1
hello cbc -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES256-SHA384
hello chacha -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305
hello nosni -tls1_2 -noservername
# Garbage before a ClientHello, and half a record.
printf '\xff\x00GET / HTTP/1.1\r\n\r\n' >"$out/garbage"
printf '\xff\x00\x16\x03\x01\x02\x00\x01\x00\x01' >"$out/half-record"
