#!/usr/bin/env bash
# tests/http/website_testssl.t: a fast testssl.sh scan (--fast -p -s -U: protocols, cipher categories, vulnerabilities) of examples/website's HTTPS port on unix (host sockets, loopback), serving a tar site with the certificate and key in it: no finding above LOW, and the scan reached TLS 1.2 and ALPN http/1.1. Findings about the test certificate (cert_*, DNS_CAA) are only listed.
# About 30 s here (a full scan, tests/tls/testssl.t, takes minutes and stays opt-in). Needs testssl (Debian's testssl.sh), openssl, python3, GNU tar.
source "$(dirname "$0")/../net/lib.sh"
T=tests/http/website_testssl.t
missing=""
for c in testssl openssl python3 tar; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
	if [ "${CI:-}" = true ]; then fail "$T: missing$missing"; else skip "$T (missing$missing)"; fi
	exit 0
fi
C=$WORK/site/tls
mkdir -p "$C"
(
	set -e
	cd "$C"
	o() { openssl "$@" 2>/dev/null; }
	o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
		-days 3650 -subj /CN=riad-website-ca -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=keyCertSign
	o req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out leaf.csr -subj /CN=localhost
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' >leaf.ext
	o x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out cert.pem -days 365 -extfile leaf.ext
	mv ca.crt ca.key "$WORK/"
) || { fail "$T: cannot make the test certificates"; exit 0; }
printf '<h1>testssl</h1>\n' >"$WORK/site/index.html"
tar -C "$WORK/site" --format=gnu -cf "$WORK/site.tar" .
D=$WORK/ex-website
cp -R "$ROOT/examples/website" "$D"
rm -rf "$D/_build" "$D/dist"
if ! out=$("$RIAD" build -t unix --hostnet -C "$D" 2>&1); then
	fail "$T: examples/website does not build: $out"
	exit 0
fi
P=$((20000 + ($$ + 11) % 20000))
OUT=$WORK/server.out
"$D/dist/website.unix-hostnet" --ipv4=127.0.0.1 --https-port=$P --http-port=$((P + 1)) \
	--block:disk="$WORK/site.tar" --store=tar:disk --tls-cert=/tls/cert.pem --tls-key=/tls/key.pem \
	--run-ms=300000 >"$OUT" 2>&1 &
NET_PIDS+=($!)
if ! net_wait_for "$OUT" 'serving https://' 10; then
	fail "$T: the example did not come up: $(tail -3 "$OUT")"
	exit 0
fi
start=$(date +%s)
testssl --quiet --color 0 --warnings off --fast -p -s -U --add-ca "$WORK/ca.crt" \
	--jsonfile "$WORK/ts.json" "127.0.0.1:$P" >"$WORK/ts.out" 2>&1
echo "# testssl --fast -p -s -U took $(($(date +%s) - start)) s"
findings=$(python3 - "$WORK/ts.json" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1])):
    sev, fid, text = f.get('severity', ''), f.get('id', ''), f.get('finding', '')
    if sev in ('MEDIUM', 'HIGH', 'CRITICAL'):
        tag = 'certificate' if fid.startswith('cert') or fid.startswith('DNS_CAA') else 'BAD'
        print('%s %s %s: %s' % (tag, sev, fid, text[:120]))
    if fid == 'TLS1_2' and text.startswith('offered'):
        print('REACHED')
    if fid == 'ALPN' and 'http/1.1' in text:
        print('ALPN')
PY
)
printf '%s\n' "$findings" | sed -n 's/^certificate /# (the test certificate) /p'
check "website testssl: no protocol, cipher or vulnerability finding above LOW" \
	bash -c '! grep -q "^BAD" <<<"$1" || { grep "^BAD" <<<"$1"; false; }' _ "$findings"
check "website testssl: it reached the server (TLS 1.2 offered)" grep -q '^REACHED' <<<"$findings"
check "website testssl: ALPN http/1.1" grep -q '^ALPN' <<<"$findings"
[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$WORK/ts.out"
exit 0
