#!/usr/bin/env bash
# tests/ops/syslog_tls.t: syslog over TLS (--syslog=tls://, RFC 5425,
# docs/syslog.md) against rsyslog's TLS listener (imtcp with the gtls
# driver, rsyslog-gnutls) in a namespace made here, on each target this
# machine runs. The certificates are made here with openssl: a CA, the
# collector's certificate for "collector.test" signed by it, and a second,
# unrelated CA. The unikernel (tests/ops/syslogapp) is built with the CAs
# baked in at /tls/ca.pem and /tls/wrong.pem and gives its store to the
# syslog client (riad_syslog_tls). Checked: every line arrives once, in
# order, its fields parsed as RFC 5424; the collector restarted, the lines
# logged meanwhile arrive once, in order, on a new connection; the lines
# logged at the end are flushed; the wrong CA (and, on the first target,
# a name the certificate does not carry) is refused with one clear logged line, nothing reaches
# the collector, and logging does not block. And a unikernel that never
# calls riad_syslog_tls links no TLS, and says so once for tls://. The
# host-socket stack (unix --hostnet) carries it too.
source "$(dirname "$0")/../net/lib.sh"
source "$ROOT/tests/ops/syslog_lib.sh"
net_require "tests/ops/syslog_tls.t"
for c in rsyslogd openssl; do
	if ! command -v $c >/dev/null; then
		if [ "${CI:-}" = true ]; then fail "tests/ops/syslog_tls.t: no $c"; exit 1; fi
		skip "tests/ops/syslog_tls.t (no $c)"
		exit 0
	fi
done
if ! ls /usr/lib/*/rsyslog/lmnsd_gtls.so >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then fail "tests/ops/syslog_tls.t: no rsyslog-gnutls"; exit 1; fi
	skip "tests/ops/syslog_tls.t (no rsyslog TLS driver: install rsyslog-gnutls)"
	exit 0
fi

CERTS=$WORK/certs
mkdir -p "$CERTS/baked"
(
	cd "$CERTS"
	ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
	openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj /CN=riad-syslog-test-ca \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
	openssl req -x509 "${ec[@]}" -keyout wrong.key -out wrong.pem -days 2 -subj /CN=riad-syslog-wrong-ca \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
	openssl req "${ec[@]}" -keyout srv.key -out srv.csr -subj /CN=collector.test
	printf 'subjectAltName=DNS:collector.test\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' >srv.ext
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile srv.ext -out srv.pem
	cp ca.pem wrong.pem baked/
) >"$WORK/openssl.out" 2>&1 || { fail "syslog tls: openssl: $(tail -3 "$WORK/openssl.out")"; exit 0; }

# rs_start NS ADDR OUT: rsyslogd in NS with a TLS listener on ADDR:6514
# (the collector's certificate, no client certificates asked), writing one
# line per message to OUT: version|host|app|procid|msgid|severity|
# facility|sd|msg. Sets RS_PID. rs_stop ends it.
rs_start() {
	local ns=$1 addr=$2 out=$3 dir=$WORK/rs-$1
	mkdir -p "$dir"
	cat >"$dir/rsyslog.conf" <<-CONF
	global(workDirectory="$dir" maxMessageSize="8k"
		defaultNetstreamDriver="gtls"
		defaultNetstreamDriverCAFile="$CERTS/ca.pem"
		defaultNetstreamDriverCertFile="$CERTS/srv.pem"
		defaultNetstreamDriverKeyFile="$CERTS/srv.key")
	module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
	input(type="imtcp" address="$addr" port="6514")
	$(rs_fields "$out")
	CONF
	rs_run "$ns" "$dir" 6514
}

APP=$WORK/syslogapp
cp -R "$ROOT/tests/ops/syslogapp" "$APP"

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS systls
	net_tap "$NS" rtls0 10.215.$n.1/24
	# One address per run (a new MAC each run).
	C=10.215.$n.1 A=10.215.$n.2 W=10.215.$n.3 N=10.215.$n.4
	if ! out=$("$RIAD" build -t "$t" -C "$APP" --bake "$CERTS/baked:tls" 2>&1); then
		fail "syslog tls on $t: tests/ops/syslogapp does not build: $(tail -3 <<<"$out")"
		continue
	fi
	TLS=(--syslog=tls://$C:6514 --syslog-ca=/tls/ca.pem)

	# ---- the right CA: lines, fields, a collector restart, the flush ----
	log=$WORK/tls-$t.log
	rs_start "$NS" "$C" "$log" || { fail "syslog tls on $t: rsyslogd"; continue; }
	con=$WORK/tls-$t.out
	net_run "$con" "$NS" "$APP" "$t" service=rtls0 --ipv4=$A/24 "${TLS[@]}" \
		--syslog-tls-name=collector.test --hostname=rt-$t
	PID=$NET_PID
	if ! net_wait_for "$con" 'commands on UDP port' 20; then
		fail "syslog tls on $t: the unikernel did not come up: $(tail -3 "$con")"
		rs_stop
		continue
	fi
	r1=$(cmd "$NS" $A "log 200 A") r2=$(cmd "$NS" $A levels) r3=$(cmd "$NS" $A special)
	check "syslog tls on $t: the unikernel answers its commands" test "$r1 $r2 $r3" = "ok 200 ok 4 ok 1"
	net_wait_for "$log" '\|special ' 10
	H="1|rt-$t|application|-|-|"
	check "syslog tls on $t: 200 lines arrive once each, in order, parsed as RFC 5424 (host, app, severity 6, facility 3)" \
		seq_ok "$log" "${H}6|3|-|A-" A 200
	check "syslog tls on $t: each level has its severity (error 3, warning 4, info 6, debug 7)" \
		bash -c 'for s in error:3 warning:4 info:6; do grep -qxF "$2${s#*:}|3|-|lvl-${s%:*}" "$1" || exit 1; done' _ "$log" "$H"
	check "syslog tls on $t: quotes, backslashes, brackets, UTF-8 and an escaped newline arrive intact" \
		grep -qxF "${H}6|3|-|special [x=\"q\\b\"] ] café tab#011nl\\nend" "$log"

	rs_stop
	sleep 0.5
	r1=$(cmd "$NS" $A "log 100 B")
	check "syslog tls on $t: the collector stopped, the unikernel still answers at once" test "$r1" = "ok 100"
	sleep 0.5
	rs_start "$NS" "$C" "$log" || { fail "syslog tls on $t: rsyslogd restart"; continue; }
	net_wait_for "$log" '\|B-99$' 20
	check "syslog tls on $t: the lines logged while the collector was away arrive after its restart, once each, in order" \
		seq_ok "$log" "${H}6|3|-|B-" B 100
	check "syslog tls on $t: the reconnection (a new handshake) is logged" \
		grep -q "\[syslog\] tls://$C:6514: connected" "$con"
	net_quit "$NS" $A 7000
	net_stop "$PID" 10
	check "syslog tls on $t: the unikernel ends 0" test $? -eq 0
	check "syslog tls on $t: the lines it logged as it ended arrived (flushed before the exit)" \
		grep -q "^1|rt-$t|net|-|-|6|3|-|service: drops: " "$log"

	# ---- refused: the wrong CA, then the wrong name ----
	# The wrong name on the first target only (the check is the TLS
	# library's, the same on every target): the test's time.
	bads=(ca)
	[ $n -gt 1 ] || bads+=(name)
	for bad in "${bads[@]}"; do
		if [ $bad = ca ]; then
			ip=$W opts=(--syslog=tls://$C:6514 --syslog-ca=/tls/wrong.pem --syslog-tls-name=collector.test)
			why="certificate chain: unknown issuer"
		else
			ip=$N opts=("${TLS[@]}" --syslog-tls-name=other.test)
			why="server name does not match the certificate"
		fi
		con=$WORK/bad-$bad-$t.out
		net_run "$con" "$NS" "$APP" "$t" service=rtls0 --ipv4=$ip/24 "${opts[@]}" --hostname=rw-$t
		PID=$NET_PID
		if ! net_wait_for "$con" 'commands on UDP port' 20; then
			fail "syslog tls on $t: wrong $bad: the unikernel did not come up: $(tail -3 "$con")"
			continue
		fi
		# More than the queue holds: logging must not block.
		r1=$(cmd "$NS" $ip "log 1500 W")
		check "syslog tls on $t: wrong $bad: logging does not block (the unikernel answers)" test "$r1" = "ok 1500"
		net_wait_for "$con" 'certificate is refused' 10
		check "syslog tls on $t: wrong $bad: one clear line says the certificate is refused, and why" \
			bash -c '[ "$(grep -c "\[syslog\] tls://$2:6514: the collector.s certificate is refused" "$1")" -eq 1 ] && grep -q "$3" "$1"' _ "$con" "$C" "$why"
		net_quit "$NS" $ip 7000
		net_stop "$PID" 10
		check "syslog tls on $t: wrong $bad: nothing reached the collector" \
			bash -c '! grep -q "^1|rw-" "$1"' _ "$log"
	done
	rs_stop
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || { cat "$log" "$WORK"/*-$t.out; }

	# ---- a unikernel that never calls riad_syslog_tls (unix only) ----
	[ $t = unix ] || continue
	if ! ex=$(net_example udp-echo unix 2>"$WORK/ex.err"); then
		fail "syslog tls: examples/udp-echo does not build: $(tail -3 "$WORK/ex.err")"
		continue
	fi
	check "syslog tls: a unikernel that does not call riad_syslog_tls links no TLS (no br_ssl_engine_*)" \
		bash -c '! nm "$1" | grep -q br_ssl_engine_' _ "$ex/dist/udp-echo.unix"
	con=$WORK/notls.out
	net_run "$con" "$NS" "$ex" unix service=rtls0 --ipv4=10.215.$n.5/24 --run-ms=1500 \
		--syslog=tls://$C:6514 --syslog-ca=/tls/ca.pem
	net_stop "$NET_PID" 10
	check "syslog tls: without riad_syslog_tls, --syslog=tls:// is one error line, and the unikernel runs and ends 0" \
		bash -c '[ "$2" -eq 0 ] && [ "$(grep -c "waiting for the application to call riad_syslog_tls()" "$1")" -eq 1 ]' _ "$con" $?
done

# The host-socket stack (unix --hostnet): the collector on the loopback of
# a namespace of its own.
net_ns NS systlsh
if ! out=$("$RIAD" build -t unix --hostnet -C "$APP" --bake "$CERTS/baked:tls" 2>&1); then
	fail "syslog tls on unix-hostnet: tests/ops/syslogapp does not build: $(tail -3 <<<"$out")"
elif rs_start "$NS" 127.0.0.1 "$WORK/host.log"; then
	net_bg "$WORK/host.out" "$NS" "$APP/dist/syslogapp.unix-hostnet" --ipv4=127.0.0.1 \
		--syslog=tls://127.0.0.1 --syslog-ca=/tls/ca.pem --syslog-tls-name=collector.test --hostname=rth
	PID=$NET_PID
	net_wait_for "$WORK/host.out" 'commands on UDP port' 10
	r1=$(cmd "$NS" 127.0.0.1 "log 50 H")
	net_wait_for "$WORK/host.log" '\|H-49$' 10
	check "syslog tls on unix-hostnet: 50 lines arrive once each, in order (port 6514 by default)" \
		seq_ok "$WORK/host.log" "1|rth|application|-|-|6|3|-|H-" H 50
	net_quit "$NS" 127.0.0.1 7000
	net_stop "$PID" 10
	rs_stop
else
	fail "syslog tls on unix-hostnet: rsyslogd"
fi
exit 0
