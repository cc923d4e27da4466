#!/usr/bin/env bash
# tests/http/website_tls.t: examples/website over HTTPS (riad_http_tls_ops: riad/tls.h under riad/http.h's server) on unix, spt and hvt, against curl and openssl s_client in a namespace made here:
# a GNU tar site in a GPT partition named site with the certificate and key in it (--tls-cert=/tls/cert.pem --tls-key=/tls/key.pem): curl --cacert (the chain validated against the test CA, the address in its SAN): GET with ETag and Last-Modified, three requests over one kept-alive TLS connection, HEAD, If-None-Match (304), Range (206), --compressed, a 300 KiB file byte-exact; the key's path never served (404, also as //tls//key.pem and key.pem.gz) while the certificate is; plain HTTP's default 301 to https:// (path and query kept, the Host's name without its port, a Host that is no name replaced by the address; 308 for POST) that curl -L follows; openssl s_client: ALPN http/1.1, TLS 1.2, verify ok, and the session resumed from its cache;
# the same partition under the encryption overlay (riad disk encrypt, --crypt-key) with --http=site and the certificate and key baked into the image (--tls-cert=baked:...); --store=baked with everything baked in and --http=off (port 80 refused);
# a lone --tls-cert (64), a missing key file and a key that is not the certificate's (1), each one line.
# Needs curl, openssl, sgdisk, GNU tar, gzip.
source "$(dirname "$0")/../net/lib.sh"
T=tests/http/website_tls.t
net_require "$T"
missing=""
for c in curl openssl sgdisk tar gzip cmp; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
	if [ "${CI:-}" = true ]; then fail "$T: missing$missing"; else skip "$T (missing$missing)"; fi
	exit 0
fi

# ---- a test CA, and a P-256 certificate for every target's address ----
C=$WORK/certs
mkdir -p "$C"
(
	set -e
	cd "$C"
	o() { openssl "$@" 2>/dev/null; }
	o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
		-days 3650 -subj /CN=riad-website-ca -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=keyCertSign
	o req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out leaf.csr -subj /CN=www.riad.test
	printf 'subjectAltName=DNS:www.riad.test,IP:10.218.1.2,IP:10.218.2.2,IP:10.218.3.2\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' >leaf.ext
	o x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out cert.pem -days 365 -extfile leaf.ext
	o genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out other.pem
) || { fail "$T: cannot make the test certificates"; exit 0; }

# ---- the site, with tls/ in it ----
site=$WORK/site
mkdir -p "$site/css" "$site/tls"
printf '<!DOCTYPE html>\n<title>riad</title><h1>the riad https test</h1>\n' >"$site/index.html"
printf '<h1>no such page here</h1>\n' >"$site/404.html"
for i in $(seq 200); do printf 'body { margin: %dpx; color: #%06x; }\n' "$i" "$i"; done >"$site/css/style.css"
gzip -9 -k "$site/css/style.css"
head -c 307200 /dev/urandom >"$site/big.bin"
cp "$C/cert.pem" "$C/key.pem" "$C/other.pem" "$site/tls/"
touch -d '2025-03-04 05:06:07 UTC' "$site"/index.html "$site"/css/* "$site"/big.bin
(cd "$site" && tar --format=gnu -cf "$WORK/site.tar" index.html 404.html css big.bin tls)
lm='Tue, 04 Mar 2025 05:06:07 GMT'
key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s' "$key" >"$WORK/key.hex"
"$RIAD" disk encrypt --key-file="$WORK/key.hex" "$WORK/site.tar" "$WORK/site.crypt" >"$WORK/enc.out" 2>&1 ||
	fail "$T: riad disk encrypt failed: $(head -3 "$WORK/enc.out" | tr '\n' ' ')"
# gpt IMAGE CONTENT: an 8 MiB GPT disk with CONTENT in the partition named site.
gpt() {
	truncate -s 8M "$1"
	sgdisk -n 1:2048:+1M -c 1:boot -n 2:0:0 -c 2:site "$1" >/dev/null
	local first
	first=$(sgdisk -i 2 "$1" | awk '/^First sector/ { print $3 }')
	dd if="$2" of="$1" bs=512 seek="$first" conv=notrunc status=none
}
gpt "$WORK/plain.img" "$WORK/site.tar"
gpt "$WORK/crypt.img" "$WORK/site.crypt"

# The example with the site (and so tls/) baked in, for --store=baked and
# --tls-cert=baked:...
B=$WORK/ex-website-baked
cp -R "$ROOT/examples/website" "$B"
rm -rf "$B/_build" "$B/dist"
cp -R "$site" "$B/www"
echo "bake = www" >>"$B/riad.conf"

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS wtls
	net_tap "$NS" rwtls0 10.218.$n.1/24
	A=10.218.$n.2
	if ! d=$(net_example website "$t"); then
		fail "website_tls on $t: examples/website does not build"
		continue
	fi
	if ! out=$("$RIAD" build -t "$t" -C "$B" 2>&1); then
		fail "website_tls on $t: examples/website with baked files does not build: $out"
		continue
	fi
	# The issue's command line has no --mem: the tenders' default memory.
	mem=()
	# web OUT DIR IMAGE ARGS...: the example in the background.
	web() {
		local o=$1 dir=$2 img=$3
		shift 3
		net_bg "$o" "$NS" "$RIAD" run -t "$t" -C "$dir" "${mem[@]}" --block disk="$img" --net service=rwtls0 -- \
			--ipv4=$A/24 --quit-port=9 --run-ms=60000 "$@"
		PID=$NET_PID
	}
	c() { ip netns exec "$NS" curl -sS -m 10 --cacert "$C/ca.crt" "$@" 2>&1; }
	U=https://$A

	# ---- a tar site in a partition, certificate and key in it ----
	out=$WORK/web-$t.out
	web "$out" "$d" "$WORK/plain.img" --store=tar:disk@site --tls-cert=/tls/cert.pem --tls-key=/tls/key.pem
	if ! net_wait_for "$out" 'serving http://' 20; then
		fail "website_tls on $t: the example did not come up: $(tail -3 "$out")"
		continue
	fi
	r=$(c -i "$U/")
	check "website_tls on $t: GET https:/// is index.html with ETag and Last-Modified (curl --cacert)" \
		bash -c 'grep -q "^HTTP/1.1 200 OK" <<<"$1" && grep -Eq "^ETag: \"[0-9a-f]{32}\"" <<<"$1" &&
			grep -q "^Last-Modified: $2" <<<"$1" && grep -q "the riad https test" <<<"$1"' _ "$r" "$lm"
	etag=$(grep -i '^ETag:' <<<"$r" | cut -d' ' -f2 | tr -d '\r')
	r=$(c -o /dev/null -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' "$U/" "$U/css/style.css" "$U/big.bin")
	check "website_tls on $t: three requests over one kept-alive TLS connection" \
		test "$(tr '\n' ' ' <<<"$r")" = "200 1 200 0 200 0 "
	r=$(c -I "$U/big.bin")
	check "website_tls on $t: HEAD has the file's Content-Length" \
		bash -c 'grep -q "^HTTP/1.1 200" <<<"$1" && grep -q "^Content-Length: 307200" <<<"$1"' _ "$r"
	r=$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$U/")
	check "website_tls on $t: If-None-Match with the ETag is 304" test "$r" = 304
	c -o "$WORK/r1" -D "$WORK/h1" -r 1000-1999 "$U/big.bin" >/dev/null
	check "website_tls on $t: Range 1000-1999 is 206 with those bytes" \
		bash -c 'grep -q "^HTTP/1.1 206" "$1" && grep -q "^Content-Range: bytes 1000-1999/307200" "$1" &&
			cmp -s "$2" <(tail -c +1001 "$3" | head -c 1000)' _ "$WORK/h1" "$WORK/r1" "$site/big.bin"
	c --compressed -o "$WORK/css" -D "$WORK/hc" "$U/css/style.css" >/dev/null
	check "website_tls on $t: --compressed gets the .gz sibling, decoded byte-exact" \
		bash -c 'grep -q "^Content-Encoding: gzip" "$1" && cmp -s "$2" "$3"' _ "$WORK/hc" "$WORK/css" "$site/css/style.css"
	c -o "$WORK/big" "$U/big.bin" >/dev/null
	check "website_tls on $t: a 300 KiB file arrives byte-exact" cmp -s "$WORK/big" "$site/big.bin"
	r=$(c -o /dev/null -o /dev/null -o /dev/null -o /dev/null -w "%{http_code} " --path-as-is "$U/tls/key.pem" "$U//tls//key.pem" "$U/tls/key.pem.gz" "$U/tls/cert.pem")
	check "website_tls on $t: the key is never served (404), the certificate is" test "$r" = "404 404 404 200 "
	r=$(ip netns exec "$NS" curl -sS -m 10 -i "http://$A/css/style.css?a=1&b=2" 2>&1)
	check "website_tls on $t: plain HTTP is a 301 to the same path and query on https" \
		bash -c 'grep -q "^HTTP/1.1 301" <<<"$1" && grep -q "^Location: https://$2/css/style.css?a=1&b=2" <<<"$1"' _ "$r" "$A"
	r=$(ip netns exec "$NS" curl -sS -m 10 -o /dev/null -w '%{http_code} %{redirect_url}' -d x "http://$A/a%20b" 2>&1)
	check "website_tls on $t: POST over plain HTTP is 308, the path encoded again" test "$r" = "308 https://$A/a%20b"
	r=$(ip netns exec "$NS" curl -sS -m 10 -o /dev/null -w '%{redirect_url}' -H 'Host: evil.test/x@y' "http://$A/p" 2>&1)
	check "website_tls on $t: a Host that is no name is not copied into Location" test "$r" = "https://$A/p"
	r=$(ip netns exec "$NS" curl -sS -m 10 -o /dev/null -w '%{redirect_url}' -H 'Host: www.riad.test:8080' "http://$A/p" 2>&1)
	check "website_tls on $t: the Host's name is kept, its port dropped" test "$r" = "https://www.riad.test/p"
	r=$(c -L -o /dev/null -w '%{http_code} %{url_effective}' "http://$A/css/style.css")
	check "website_tls on $t: curl -L follows the redirect to HTTPS" test "$r" = "200 $U/css/style.css"
	s() { ip netns exec "$NS" openssl s_client -connect $A:443 -CAfile "$C/ca.crt" -alpn http/1.1 "$@" </dev/null 2>&1; }
	r=$(s -sess_out "$WORK/sess-$t")
	check "website_tls on $t: openssl s_client: TLS 1.2, ALPN http/1.1, the chain verified" \
		bash -c 'grep -q "ALPN protocol: http/1.1" <<<"$1" && grep -q "Protocol *: TLSv1.2" <<<"$1" &&
			grep -q "Verify return code: 0 (ok)" <<<"$1"' _ "$r"
	r=$(s -sess_in "$WORK/sess-$t")
	check "website_tls on $t: openssl s_client -sess_in: the session is resumed" grep -q "^Reused, TLSv1.2" <<<"$r"
	net_quit "$NS" $A 9
	net_stop "$PID" 10
	check "website_tls on $t: the example ends 0 when told to" test $? -eq 0
	check "website_tls on $t: it counted the handshakes, one resumed, none failed" \
		grep -Eq "https: [0-9]+ handshakes \(1 resumed\), 0 failed" "$out"

	# ---- encrypted partition, --http=site, certificate and key baked ----
	out=$WORK/crypt-$t.out
	web "$out" "$B" "$WORK/crypt.img" --store=tar:disk@site --crypt-key="$key" --http=site \
		--tls-cert=baked:tls/cert.pem --tls-key=baked:tls/key.pem
	if net_wait_for "$out" 'serving http://' 20; then
		r=$(c -o "$WORK/big2" -w '%{http_code}' "$U/big.bin")
		check "website_tls on $t: an encrypted partition over HTTPS, the key baked in (baked:)" \
			bash -c '[ "$1" = 200 ] && cmp -s "$2" "$3"' _ "$r" "$WORK/big2" "$site/big.bin"
		r=$(c "http://$A/")
		check "website_tls on $t: --http=site serves the site over plain HTTP too" grep -q "the riad https test" <<<"$r"
		net_quit "$NS" $A 9
		net_stop "$PID" 10
	else
		fail "website_tls on $t: the encrypted site did not come up: $(tail -3 "$out")"
	fi

	# ---- everything baked ----
	out=$WORK/baked-$t.out
	web "$out" "$B" "$WORK/plain.img" --store=baked --tls-cert=/tls/cert.pem --tls-key=/tls/key.pem --http=off
	if net_wait_for "$out" 'serving https://' 20; then
		r=$(c "$U/")
		check "website_tls on $t: --store=baked over HTTPS" grep -q "the riad https test" <<<"$r"
		ip netns exec "$NS" curl -sS -m 5 -o /dev/null "http://$A/" 2>/dev/null
		check "website_tls on $t: --http=off: port 80 refuses (curl status 7)" test $? -eq 7
		net_quit "$NS" $A 9
		net_stop "$PID" 10
	else
		fail "website_tls on $t: the baked site did not come up: $(tail -3 "$out")"
	fi

	# ---- refusals: one line each ----
	# bad EXPECTED-STATUS PATTERN WHAT ARGS...
	bad() {
		local want=$1 pat=$2 what=$3 o st
		shift 3
		o=$(ip netns exec "$NS" timeout 30 "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --block disk="$WORK/plain.img" \
			--net service=rwtls0 -- --ipv4=$A/24 --run-ms=1 --store=tar:disk@site "$@" 2>&1)
		st=$?
		check "website_tls on $t: $what: status $want, one line" \
			bash -c '[ "$1" -eq "$2" ] && [ "$(grep -c -- "$3" <<<"$4")" -eq 1 ]' _ "$st" "$want" "$pat" "$o"
		[ -z "${RIAD_TEST_VERBOSE:-}" ] || echo "$o"
	}
	bad 64 'HTTPS needs both --tls-cert and --tls-key (--tls-key is missing)' "--tls-cert alone" \
		--tls-cert=/tls/cert.pem
	bad 1 '--tls-key=/tls/nokey.pem: no such file in the store' "a missing key file" \
		--tls-cert=/tls/cert.pem --tls-key=/tls/nokey.pem
	bad 1 '--tls-cert=/index.html --tls-key=/tls/key.pem: ' "a certificate that is no PEM" \
		--tls-cert=/index.html --tls-key=/tls/key.pem
	bad 1 '--tls-cert=/tls/cert.pem --tls-key=/tls/other.pem: .*match' "a key that is not the certificate's" \
		--tls-cert=/tls/cert.pem --tls-key=/tls/other.pem
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$WORK/web-$t.out"
done
exit 0
