#!/usr/bin/env bash
# tests/tls/tls.t: riad/tls.h against OpenSSL, through examples/tls-echo:
# on unix with the host-socket stack on loopback (no root needed), and on
# spt and hvt over a tap in a namespace made here (root, /dev/net/tun).
#
# The server: TLS 1.2 with ECDHE and an AEAD accepted, with each of its
# six suites; TLS 1.0, 1.1 and 1.3-only refused; CBC suites and static RSA
# refused; SNI picking the EC, RSA (and wildcard) chain or the default;
# ALPN chosen or absent; a session resumed with -sess_out/-sess_in;
# renegotiation refused; garbage before a ClientHello answered with a
# close (and the server still serving); half a record then silence closed
# at --handshake-ms. The client against openssl s_server: a good chain is
# accepted, and a wrong host name, an unknown CA and an expired
# certificate each fail with their own message. On unix also the mono
# buffer, and a chain given as boot arguments. Certificates are made here: a P-256 CA, EC P-256 and RSA-2048
# leaves, an expired one (python3-cryptography) and a second, untrusted CA.
source "$(dirname "$0")/../net/lib.sh"

for c in openssl python3; do
	if ! command -v $c >/dev/null; then
		fail "tests/tls/tls.t: no $c (tool/install-deps --tests)"
		exit 0
	fi
done

# ---- certificates ----
C=$WORK/certs
mkdir -p "$C"
(
	set -e
	cd "$C"
	o() { openssl "$@" 2>/dev/null; }
	ca() { # NAME: a self-signed P-256 CA
		o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $1.key -out $1.crt \
			-days 30 -subj /CN=riad-tls-$1 -addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=keyCertSign
	}
	leaf() { # NAME CA KEYSPEC SANS
		o req -newkey $3 -nodes -keyout $1.key -out $1.csr -subj /CN=$1
		printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' "$4" >$1.ext
		o x509 -req -in $1.csr -CA $2.crt -CAkey $2.key -CAcreateserial -out $1.crt -days 30 -extfile $1.ext
		rm $1.csr $1.ext
	}
	ca ca
	ca other
	leaf ec ca "ec -pkeyopt ec_paramgen_curve:P-256" "DNS:ec.test"
	leaf rsa ca rsa:2048 "DNS:rsa.test,DNS:*.rsa.test"
	leaf stranger other "ec -pkeyopt ec_paramgen_curve:P-256" "DNS:stranger.test"
	python3 - <<'EOF'
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
ca_key = serialization.load_pem_private_key(open('ca.key', 'rb').read(), None)
ca = x509.load_pem_x509_certificate(open('ca.crt', 'rb').read())
k = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.utcnow()
c = (x509.CertificateBuilder()
     .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'expired')]))
     .issuer_name(ca.subject).public_key(k.public_key()).serial_number(x509.random_serial_number())
     .not_valid_before(now - datetime.timedelta(days=30)).not_valid_after(now - datetime.timedelta(days=1))
     .add_extension(x509.SubjectAlternativeName([x509.DNSName('expired.test')]), False)
     .sign(ca_key, hashes.SHA256()))
open('expired.crt', 'wb').write(c.public_bytes(serialization.Encoding.PEM))
open('expired.key', 'wb').write(k.private_bytes(serialization.Encoding.PEM,
    serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
EOF
) || { fail "tests/tls/tls.t: cannot make the test certificates"; exit 0; }

# The example, with the certificates baked in (the CA's key too: harmless).
D=$WORK/ex-tls-echo
cp -R "$ROOT/examples/tls-echo" "$D"
rm -rf "$D/_build" "$D/dist"
cp -R "$C" "$D/certs"
echo "bake = certs" >>"$D/riad.conf"

CHAINS='*=ec.crt+ec.key rsa.test,*.rsa.test=rsa.crt+rsa.key'

# ---- the checks, on one target ----
# Set by the caller: T (name), A (the server's address), P (its port), X
# (the command prefix that reaches it: "" or "ip netns exec NS"), OUT (the
# server's log), SA (the address an s_server of the client tests listens
# on), cl (a function running the example as a client with extra args).

sc() { # ARGS...: openssl s_client to the server; its output (stdin empty)
	$X timeout 10 openssl s_client -connect "$A:$P" -CAfile "$C/ca.crt" "$@" </dev/null 2>&1
}
ok_12() { grep -q '^New, TLSv1.2, Cipher is' <<<"$1"; }
refused() { grep -q 'Cipher is (NONE)' <<<"$1"; }

server_checks() {
	local r i
	r=$($X bash -c "printf 'hello tls\n' | timeout 10 openssl s_client -connect $A:$P -CAfile $C/ca.crt \
		-servername ec.test -verify_return_error -quiet 2>/dev/null")
	check "tls on $T: TLS 1.2 handshake, chain verified by s_client, data echoed" \
		test "$r" = "hello tls"

	local versions="tls1 tls1_1 tls1_3" ecs="ECDHE-ECDSA-CHACHA20-POLY1305 ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384"
	local rsas="ECDHE-RSA-CHACHA20-POLY1305 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384"
	# QUICK (hvt: every exit to the tender is slow here): one of each.
	[ -z "${QUICK:-}" ] || versions="tls1_1 tls1_3" ecs=ECDHE-ECDSA-AES128-GCM-SHA256 rsas=ECDHE-RSA-CHACHA20-POLY1305
	for v in $versions; do
		r=$(sc -$v)
		check "tls on $T: s_client -$v is refused" refused "$r"
	done
	r=$(sc -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256')
	check "tls on $T: CBC suites only are refused" refused "$r"
	r=$(sc -tls1_2 -cipher 'AES128-GCM-SHA256:AES256-GCM-SHA384')
	check "tls on $T: static RSA key exchange (no forward secrecy) is refused" refused "$r"
	r=$(sc -tls1_2 -cipher 'DHE-RSA-AES128-GCM-SHA256')
	check "tls on $T: finite-field DHE is refused" refused "$r"

	for s in $ecs; do
		r=$(sc -tls1_2 -servername ec.test -cipher $s -verify_return_error)
		check "tls on $T: $s accepted" grep -q "^New, TLSv1.2, Cipher is $s\$" <<<"$r"
	done
	for s in $rsas; do
		r=$(sc -tls1_2 -servername rsa.test -cipher $s -verify_return_error)
		check "tls on $T: $s accepted" grep -q "^New, TLSv1.2, Cipher is $s\$" <<<"$r"
	done

	r=$(sc -servername rsa.test)
	check "tls on $T: SNI rsa.test gets the RSA chain" grep -q 'subject=CN = rsa' <<<"$r"
	r=$(sc -servername www.rsa.test -verify_hostname www.rsa.test -verify_return_error)
	check "tls on $T: SNI www.rsa.test gets the RSA chain (*.rsa.test), name verified" \
		bash -c 'grep -q "subject=CN = rsa" <<<"$1" && grep -q "Verify return code: 0" <<<"$1"' _ "$r"
	r=$(sc -servername ec.test)
	check "tls on $T: SNI ec.test gets the EC chain" grep -q 'subject=CN = ec' <<<"$r"
	r=$(sc -noservername)
	check "tls on $T: no SNI gets the default (EC) chain" grep -q 'subject=CN = ec' <<<"$r"
	r=$(sc -servername unknown.test)
	check "tls on $T: an unknown SNI name gets the default chain" grep -q 'subject=CN = ec' <<<"$r"

	r=$(sc -alpn h2,http/1.1)
	check "tls on $T: ALPN h2 chosen" grep -q '^ALPN protocol: h2' <<<"$r"
	r=$(sc -alpn http/1.1)
	check "tls on $T: ALPN http/1.1 chosen" grep -q '^ALPN protocol: http/1.1' <<<"$r"
	r=$(sc -alpn spdy/3)
	check "tls on $T: no ALPN in common: none negotiated, the handshake goes on" \
		bash -c 'grep -q "No ALPN negotiated" <<<"$1" && grep -q "^New, TLSv1.2" <<<"$1"' _ "$r"

	rm -f "$WORK/sess"
	r=$(sc -sess_out "$WORK/sess")
	check "tls on $T: a first session is new" ok_12 "$r"
	r=$(sc -sess_in "$WORK/sess")
	check "tls on $T: -sess_in resumes it" grep -q '^Reused, TLSv1.2' <<<"$r"
	check "tls on $T: the server saw the resumption" net_wait_for "$OUT" 'resumed=yes' 5
	[ -z "${QUICK:-}" ] || return 0

	r=$($X bash -c "(sleep 0.5; echo R; sleep 1) | timeout 10 openssl s_client -connect $A:$P \
		-CAfile $C/ca.crt -tls1_2 2>&1")
	check "tls on $T: renegotiation is refused (no_renegotiation)" \
		bash -c 'grep -q RENEGOTIATING <<<"$1" && grep -qi "no renegotiation" <<<"$1"' _ "$r"

	r=$($X python3 - "$A" "$P" <<'EOF'
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=8)
s.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
got = b''
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
except socket.timeout:
    print('no close')
    sys.exit()
except ConnectionResetError:
    # The rest of the garbage was unread when the server closed: a reset.
    print('closed reset')
    sys.exit()
# An alert record (type 21) or nothing, then the close.
print('closed', 'alert' if got[:1] == b'\x15' else 'nothing' if not got else got[:10])
EOF
)
	check "tls on $T: garbage before the ClientHello: closed (${r:-no answer})" grep -q '^closed' <<<"$r"
	r=$(sc -servername ec.test)
	check "tls on $T: and the server serves the next client" ok_12 "$r"

	r=$($X python3 - "$A" "$P" <<'EOF'
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
# Half a record: a handshake record header that announces 512 bytes, 3 given.
s.sendall(b'\x16\x03\x01\x02\x00\x01\x00\x01')
t = time.monotonic()
try:
    while s.recv(4096):
        pass
    print('closed after %.1f s' % (time.monotonic() - t))
except socket.timeout:
    print('not closed')
EOF
)
	check "tls on $T: half a record then silence: closed at --handshake-ms=1500 ($r)" \
		bash -c '[[ $1 =~ ^closed\ after\ (1\.[4-9]|[23]\.) ]]' _ "$r"
}

client_checks() {
	local r
	sserver() { # NAME: one s_server on SA:24436 with that chain, reversing lines
		$X timeout 20 openssl s_server -accept "$SA:24436" -cert "$C/$1.crt" -key "$C/$1.key" \
			-rev -naccept 1 -quiet >/dev/null 2>&1 &
		NET_PIDS+=($!)
		sleep 0.5
	}
	sserver rsa
	r=$(cl --server-name=rsa.test --message=riad)
	check "tls on $T: client: a good chain is accepted and the answer read" \
		grep -q 'received: dair' <<<"$r"
	[ -z "${QUICK:-}" ] || return 0
	sserver rsa
	r=$(cl --server-name=wrong.test)
	check "tls on $T: client: a wrong host name fails with its message" \
		grep -q 'handshake failed: server name does not match the certificate' <<<"$r"
	sserver stranger
	r=$(cl --server-name=stranger.test)
	check "tls on $T: client: an unknown CA fails with its message" \
		grep -q 'handshake failed: certificate chain: unknown issuer' <<<"$r"
	sserver expired
	r=$(cl --server-name=expired.test)
	check "tls on $T: client: an expired certificate fails with its message" \
		grep -q 'handshake failed: certificate expired or not yet valid' <<<"$r"
}

# ---- unix, host sockets on loopback ----
T=unix
if ! out=$("$RIAD" build -t unix --hostnet -C "$D" 2>&1); then
	fail "tls on unix: examples/tls-echo does not build: $out"
else
	BIN=$D/dist/tls-echo.unix-hostnet
	A=127.0.0.1 X= SA=127.0.0.1
	P=$((20000 + $$ % 20000))
	QP=$((P + 1))
	OUT=$WORK/tls-unix.out
	$BIN --ipv4=$A --port=$P --quit-port=$QP --chains="$CHAINS" --alpn=h2,http/1.1 \
		--handshake-ms=1500 --run-ms=120000 >"$OUT" 2>&1 &
	PID=$!
	NET_PIDS+=($PID)
	if ! net_wait_for "$OUT" 'TLS echo on' 10; then
		fail "tls on unix: the example did not come up: $(tail -3 "$OUT")"
	else
		server_checks
		cl() { "$BIN" --ipv4=127.0.0.1 --connect=127.0.0.1 --connect-port=24436 --handshake-ms=5000 "$@" 2>&1; }
		client_checks
		r=$("$BIN" --ipv4=127.0.0.1 --connect=127.0.0.1 --connect-port=$P --server-name=www.rsa.test \
			--alpn=http/1.1 --message=both-riad 2>&1)
		check "tls on unix: riad's client against riad's server (SNI, ALPN, echo)" \
			bash -c 'grep -q "alpn=http/1.1" <<<"$1" && grep -q "received: both-riad" <<<"$1"' _ "$r"
		bash -c "printf 'QUIT\n' >/dev/udp/127.0.0.1/$QP"
		net_stop "$PID" 10
		check "tls on unix: the server ends 0 when told to" test $? -eq 0
		check "tls on unix: it counted a resumed handshake and the failures" \
			grep -Eq 'handshakes \(1 resumed\), [1-9][0-9]* failed' "$OUT"
		# The chain as boot arguments (--cert-pem, --key-pem).
		OUT3=$WORK/tls-unix-pem.out
		$BIN --ipv4=$A --port=$((P + 3)) --cert-pem="$(cat "$C/rsa.crt")" --key-pem="$(cat "$C/rsa.key")" \
			--run-ms=20000 >"$OUT3" 2>&1 &
		NET_PIDS+=($!)
		net_wait_for "$OUT3" 'TLS echo on' 10
		r=$(P=$((P + 3)) sc -servername rsa.test -verify_return_error)
		check "tls on unix: a chain given as boot arguments (PEM text) serves" \
			bash -c 'grep -q "subject=CN = rsa" <<<"$1" && grep -q "^New, TLSv1.2" <<<"$1"' _ "$r"
		# The mono buffer: a second server, one echo of 40 KB across
		# several records each way.
		OUT2=$WORK/tls-unix-mono.out
		$BIN --ipv4=$A --port=$((P + 2)) --chains="$CHAINS" --buffer=mono --run-ms=20000 >"$OUT2" 2>&1 &
		NET_PIDS+=($!)
		net_wait_for "$OUT2" 'TLS echo on' 10
		r=$(python3 - $A $((P + 2)) "$C/ca.crt" <<'EOF'
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[3])
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10) as raw:
    with ctx.wrap_socket(raw, server_hostname='ec.test') as s:
        data = bytes(range(256)) * 160
        got = b''
        for i in range(0, len(data), 10000):
            s.sendall(data[i:i + 10000])
            while len(got) < min(i + 10000, len(data)):
                b = s.recv(65536)
                if not b:
                    break
                got += b
        print('ok' if got == data else 'differs')
EOF
)
		check "tls on unix: the mono buffer echoes 40 KB in 10 KB writes (python ssl)" test "$r" = ok
	fi
fi

# ---- spt and hvt: riad's stack over a tap in a namespace ----
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
	echo "SKIP: tls on spt and hvt (needs root and /dev/net/tun)" >&2
	exit 0
fi
n=0
for T in $(net_targets); do
	[ "$T" != unix ] || continue
	n=$((n + 1))
	QUICK=
	[ "$T" != hvt ] || QUICK=1
	net_ns NS tls
	net_tap "$NS" rtls$n 10.214.$n.1/24
	A=10.214.$n.2 P=4433 X="ip netns exec $NS" SA=10.214.$n.1
	if ! out=$("$RIAD" build -t "$T" -C "$D" 2>&1); then
		fail "tls on $T: examples/tls-echo does not build: $out"
		continue
	fi
	OUT=$WORK/tls-$T.out
	net_run "$OUT" "$NS" "$D" "$T" service=rtls$n --ipv4=$A/24 --quit-port=9 --chains="$CHAINS" \
		--alpn=h2,http/1.1 --handshake-ms=1500 --run-ms=120000
	PID=$NET_PID
	if ! net_wait_for "$OUT" 'TLS echo on' 20; then
		fail "tls on $T: the example did not come up: $(tail -3 "$OUT")"
		continue
	fi
	server_checks
	net_quit "$NS" $A 9
	net_stop "$PID" 10
	check "tls on $T: the server ends 0 when told to" test $? -eq 0
	# The client: a second unikernel on another tap of the namespace.
	net_tap "$NS" rtlc$n 10.215.$n.1/24
	SA=10.215.$n.1
	# riad run inside NS: the taps are there.
	cl() { ip netns exec "$NS" "$RIAD" run -t "$T" -C "$D" --mem 64 --net service=rtlc$n -- \
		--ipv4=10.215.$n.2/24 --connect=$SA --connect-port=24436 --handshake-ms=5000 "$@" 2>&1; }
	client_checks
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$OUT"
done
exit 0
