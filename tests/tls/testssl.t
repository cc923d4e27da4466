#!/usr/bin/env bash
# tests/tls/testssl.t: testssl.sh (Debian's testssl) against
# examples/tls-echo on unix (host sockets, loopback): no protocol, cipher
# or vulnerability finding above LOW. Findings about the certificate
# itself (ids cert_*: a test CA nobody trusts, no OCSP or CRL URI, short
# validity) and the DNS CAA record are the test certificate's, not riad's,
# and are only listed.
#
# Opt-in (RIAD_TLS_TESTSSL=1): a full testssl run takes two to three
# minutes here, far over a test's budget. Package testssl.sh
# (tool/install-deps --bench).
source "$(dirname "$0")/../net/lib.sh"

if [ -z "${RIAD_TLS_TESTSSL:-}" ]; then
	skip "tests/tls/testssl.t (opt-in: RIAD_TLS_TESTSSL=1; a full testssl.sh run takes minutes)"
	exit 0
fi
for c in testssl openssl python3; do
	if ! command -v $c >/dev/null; then
		fail "tests/tls/testssl.t: no $c (tool/install-deps --bench)"
		exit 0
	fi
done

C=$WORK/certs
mkdir -p "$C"
(
	set -e
	cd "$C"
	o() { openssl "$@" 2>/dev/null; }
	o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
		-days 3650 -subj /CN=riad-testssl-ca -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=keyCertSign
	leaf() { # NAME KEYSPEC
		o req -newkey $2 -nodes -keyout $1.key -out $1.csr -subj /CN=localhost
		printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' >$1.ext
		o x509 -req -in $1.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $1.crt -days 365 -extfile $1.ext
	}
	leaf ec "ec -pkeyopt ec_paramgen_curve:P-256"
	leaf rsa rsa:2048
) || { fail "tests/tls/testssl.t: cannot make the test certificates"; exit 0; }

D=$WORK/ex-tls-echo
cp -R "$ROOT/examples/tls-echo" "$D"
rm -rf "$D/_build" "$D/dist"
cp -R "$C" "$D/certs"
echo "bake = certs" >>"$D/riad.conf"
if ! out=$("$RIAD" build -t unix --hostnet -C "$D" 2>&1); then
	fail "testssl: examples/tls-echo does not build: $out"
	exit 0
fi
P=$((20000 + ($$ + 7) % 20000))
OUT=$WORK/server.out
"$D/dist/tls-echo.unix-hostnet" --ipv4=127.0.0.1 --port=$P --chains='*=ec.crt+ec.key rsa.test=rsa.crt+rsa.key' \
	--alpn=h2,http/1.1 --run-ms=600000 >"$OUT" 2>&1 &
NET_PIDS+=($!)
if ! net_wait_for "$OUT" 'TLS echo on' 10; then
	fail "testssl: the example did not come up: $(tail -3 "$OUT")"
	exit 0
fi
start=$(date +%s)
testssl --quiet --color 0 --warnings off --add-ca "$C/ca.crt" --jsonfile "$WORK/ts.json" \
	"127.0.0.1:$P" >"$WORK/ts.out" 2>&1
echo "# testssl took $(($(date +%s) - start)) s"
findings=$(python3 - "$WORK/ts.json" <<'PY'
import json, sys
bad = []
for f in json.load(open(sys.argv[1])):
    sev, fid = f.get('severity', ''), f.get('id', '')
    if sev in ('MEDIUM', 'HIGH', 'CRITICAL'):
        tag = 'certificate' if fid.startswith('cert') or fid.startswith('DNS_CAA') else 'BAD'
        print('%s %s %s: %s' % (tag, sev, fid, f.get('finding', '')[:120]))
    if fid == 'TLS1_2' and f.get('finding', '').startswith('offered'):
        print('REACHED')
PY
)
printf '%s\n' "$findings" | sed -n 's/^certificate /# (the test certificate) /p'
check "testssl: no protocol, cipher or vulnerability finding above LOW" \
	bash -c '! grep -q "^BAD" <<<"$1" || { grep "^BAD" <<<"$1"; false; }' _ "$findings"
check "testssl: it reached the server (TLS 1.2 offered)" grep -q '^REACHED' <<<"$findings"
exit 0
