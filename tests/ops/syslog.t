#!/usr/bin/env bash
# tests/ops/syslog.t: the syslog client (--syslog, docs/syslog.md) against
# rsyslog, on each target this machine runs, in a namespace made here. The
# collector is rsyslogd with its own configuration (imudp, imtcp, a
# template that writes the fields it parsed); the unikernel is
# tests/ops/syslogapp, which logs lines on command. Over TCP: every line
# arrives once and in order, as RFC 5424 with the hostname, APP-NAME,
# severity and facility expected, special characters intact; the collector
# stopped: the unikernel keeps answering, the lines queued meanwhile arrive
# after the restart, the rest are counted as dropped and the count logged
# (there and on the console). Over UDP: every line once, a fixed APP-NAME
# with the source in MSGID, another facility, the console turned off; RFC
# 3164 on request. The host-socket stack (unix --hostnet) over TCP. And
# bad option values: one line, status 64.
source "$(dirname "$0")/../net/lib.sh"
source "$ROOT/tests/ops/syslog_lib.sh"
net_require "tests/ops/syslog.t"
if ! command -v rsyslogd >/dev/null; then
	if [ "${CI:-}" = true ]; then fail "tests/ops/syslog.t: no rsyslogd (install rsyslog)"; exit 1; fi
	skip "tests/ops/syslog.t (no rsyslogd: install rsyslog)"
	exit 0
fi

# rs_start NS ADDR OUT: rsyslogd in NS on ADDR, UDP and TCP port 514,
# writing one line per message to OUT: version|host|app|procid|msgid|
# severity|facility|sd|msg. Sets RS_PID. rs_stop ends it. Its UDP socket
# gets a receive buffer that holds a burst of a few hundred lines (the
# unikernel sends as fast as the tap takes them; the default buffer
# overflows, and UDP loses the rest).
rs_start() {
	local ns=$1 addr=$2 out=$3 dir=$WORK/rs-$1
	mkdir -p "$dir"
	cat >"$dir/rsyslog.conf" <<-CONF
	global(workDirectory="$dir" maxMessageSize="8k")
	module(load="imudp")
	module(load="imtcp")
	input(type="imudp" address="$addr" port="514" rcvBufSize="4m")
	input(type="imtcp" address="$addr" port="514")
	$(rs_fields "$out")
	CONF
	rs_run "$ns" "$dir" 514
}

APP=$WORK/syslogapp
cp -R "$ROOT/tests/ops/syslogapp" "$APP"

# Bad option values: one line naming the option, status 64, before main.
if out=$("$RIAD" build -t unix -C "$APP" 2>&1); then
	bad() {
		local o r
		o=$("$APP/dist/syslogapp.unix" "$1" 2>&1)
		r=$?
		check "syslog: $1 is refused with one line and status 64" \
			bash -c '[ "$1" -eq 64 ] && [ "$(wc -l <<<"$2")" -eq 1 ] && grep -q -- "$3" <<<"$2"' _ "$r" "$o" "$2"
	}
	bad --syslog=tls://10.0.0.1:0 "'0' is not a port"
	bad --syslog=http://10.0.0.1 "option '--syslog': 'http://10.0.0.1' is not udp://"
	bad --syslog=udp://collector "'collector' is not an IPv4 address"
	bad --syslog=tcp://10.0.0.1:65536 "'65536' is not a port"
	bad --syslog-format=5425 "'5425' is not a syslog format"
	bad --syslog-facility=local8 "'local8' is not a syslog facility"
	bad --syslog-iface=eth9 "'eth9' is not an interface of this unikernel"
	o=$("$APP/dist/syslogapp.unix" --help 2>&1)
	check "syslog: --help lists --syslog and its companions" \
		bash -c 'for o in syslog= syslog-ca syslog-tls-name syslog-format syslog-facility syslog-app-name syslog-console syslog-iface hostname; do grep -q -- "--$o" <<<"$1" || exit 1; done' _ "$o"
else
	fail "syslog: tests/ops/syslogapp does not build for unix: $(tail -3 <<<"$out")"
fi

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS syslog
	net_tap "$NS" rsys0 10.214.$n.1/24
	# One address per run: each run's unikernel has a new MAC, which the
	# kernel would not know under an address it has seen.
	C=10.214.$n.1 A=10.214.$n.2 U=10.214.$n.3 S=10.214.$n.4
	if ! out=$("$RIAD" build -t "$t" -C "$APP" 2>&1); then
		fail "syslog on $t: tests/ops/syslogapp does not build: $(tail -3 <<<"$out")"
		continue
	fi

	# ---- TCP, RFC 5424, the collector stopped and restarted ----
	log=$WORK/tcp-$t.log
	rs_start "$NS" "$C" "$log" || { fail "syslog on $t: rsyslogd"; continue; }
	con=$WORK/tcp-$t.out
	net_run "$con" "$NS" "$APP" "$t" service=rsys0 --ipv4=$A/24 --syslog=tcp://$C:514 \
		--hostname=rs-$t -l application:debug
	PID=$NET_PID
	if ! net_wait_for "$con" 'commands on UDP port' 20; then
		fail "syslog on $t: the unikernel did not come up: $(tail -3 "$con")"
		continue
	fi
	r1=$(cmd "$NS" $A "log 200 A") r2=$(cmd "$NS" $A levels) r3=$(cmd "$NS" $A special)
	check "syslog on $t: the unikernel answers its commands" test "$r1 $r2 $r3" = "ok 200 ok 4 ok 1"
	net_wait_for "$log" '\|special ' 10
	H="1|rs-$t|application|-|-|"
	check "syslog on $t: tcp: 200 lines arrive once each, in order, parsed as RFC 5424 (host, app, severity 6, facility 3)" \
		seq_ok "$log" "${H}6|3|-|A-" A 200
	check "syslog on $t: tcp: each level has its severity (error 3, warning 4, info 6, debug 7)" \
		bash -c 'for s in error:3 warning:4 info:6 debug:7; do grep -qxF "$2${s#*:}|3|-|lvl-${s%:*}" "$1" || exit 1; done' _ "$log" "$H"
	check "syslog on $t: tcp: quotes, backslashes, brackets, UTF-8 and an escaped newline arrive intact" \
		grep -qxF "${H}6|3|-|special [x=\"q\\b\"] ] café tab#011nl\\nend" "$log"
	check "syslog on $t: tcp: the network's own lines come too (source as APP-NAME)" \
		grep -q "^1|rs-$t|net|-|-|6|3|-|service: address $A/24" "$log"

	rs_stop
	sleep 0.5
	r1=$(cmd "$NS" $A "log 1500 B")
	r2=$(cmd "$NS" $A "log 1 alive")
	check "syslog on $t: the collector stopped, the unikernel still answers at once" \
		test "$r1 $r2" = "ok 1500 ok 1"
	sleep 1
	rs_start "$NS" "$C" "$log" || { fail "syslog on $t: rsyslogd restart"; continue; }
	if ! net_wait_for "$log" 'log lines? dropped' 30; then
		fail "syslog on $t: tcp: no drop count after the restart: $(tail -3 "$log")"
		continue
	fi
	got=$(grep -c "|B-[0-9]*$" "$log")
	dropped=$(sed -n 's/.*|\([0-9]*\) log lines\{0,1\} dropped: .*/\1/p' "$log" | tail -1)
	check "syslog on $t: tcp: the queued lines arrive after the restart, in order, once each ($got of 1500)" \
		bash -c 'g=$1; shift; [ "$g" -gt 300 ] && [ "$g" -lt 1500 ] && seq_ok "$@"' _ "$got" "$log" "${H}6|3|-|B-" B "$got"
	# Besides B lines, three more may have found the queue full: "alive-0"
	# and the client's own "connection lost" (it notices at its next
	# write, after the B lines were queued) and "connected".
	check "syslog on $t: tcp: the drop count ($dropped) is the lines that did not fit" \
		bash -c '[ -n "$1" ] && d=$(($1 - (1500 - $2))) && [ "$d" -ge 0 ] && [ "$d" -le 3 ]' _ "$dropped" "$got"
	check "syslog on $t: tcp: the drop count is on the console too" \
		grep -q "\[WARNING\] \[syslog\] $dropped log lines dropped" "$con"
	r1=$(cmd "$NS" $A "log 50 C")
	net_wait_for "$log" '\|C-49$' 10
	check "syslog on $t: tcp: lines after the restart arrive in order, after the drop count" \
		bash -c 'seq_ok "$@" && [ "$(grep -n "|C-0$" "$1" | cut -d: -f1)" -gt "$(grep -n "dropped: " "$1" | tail -1 | cut -d: -f1)" ]' _ "$log" "${H}6|3|-|C-" C 50
	net_quit "$NS" $A 7000
	net_stop "$PID" 10
	check "syslog on $t: tcp: the unikernel ends 0" test $? -eq 0
	check "syslog on $t: tcp: the lines it logged as it ended arrived (flushed before the exit)" \
		grep -q "^1|rs-$t|net|-|-|6|3|-|service: drops: " "$log"
	rs_stop

	# ---- UDP, a fixed APP-NAME, local3, no console ----
	log=$WORK/udp-$t.log
	rs_start "$NS" "$C" "$log" || { fail "syslog on $t: rsyslogd"; continue; }
	con=$WORK/udp-$t.out
	net_run "$con" "$NS" "$APP" "$t" service=rsys0 --ipv4=$U/24 --syslog=udp://$C \
		--hostname=rsu-$t --syslog-app-name=myapp --syslog-facility=local3 --syslog-console=no
	PID=$NET_PID
	# The console is off: the collector says when it is up.
	net_wait_for "$log" 'commands on UDP port' 20
	r1=$(cmd "$NS" $U "log 300 U")
	check "syslog on $t: udp: the unikernel answers" test "$r1" = "ok 300"
	net_wait_for "$log" '\|U-299$' 10
	check "syslog on $t: udp: 300 lines arrive once each, with the fixed APP-NAME, the source as MSGID, facility 19" \
		seq_ok "$log" "1|rsu-$t|myapp|-|application|6|19|-|U-" U 300
	check "syslog on $t: udp: --syslog-console=no leaves them off the console" \
		bash -c '! grep -q "U-0" "$1"' _ "$con"
	net_quit "$NS" $U 7000
	net_stop "$PID" 10
	check "syslog on $t: udp: the unikernel ends 0" test $? -eq 0
	net_wait_for "$log" '\|service: drops: ' 2
	check "syslog on $t: udp: the lines it logged as it ended arrived (flushed before the exit)" \
		grep -q "^1|rsu-$t|myapp|-|net|6|19|-|service: drops: " "$log"
	rs_stop

	# ---- UDP, RFC 3164 ----
	log=$WORK/bsd-$t.log
	rs_start "$NS" "$C" "$log" || { fail "syslog on $t: rsyslogd"; continue; }
	net_run "$WORK/bsd-$t.out" "$NS" "$APP" "$t" service=rsys0 --ipv4=$S/24 --syslog=udp://$C:514 \
		--hostname=rsb-$t --syslog-format=3164 --syslog-facility=user
	PID=$NET_PID
	net_wait_for "$log" 'commands on UDP port' 20
	r1=$(cmd "$NS" $S "log 20 T")
	r2=$(cmd "$NS" $S levels)
	net_wait_for "$log" 'lvl-info' 10
	check "syslog on $t: 3164: lines parsed as RFC 3164 with hostname, tag, severity and facility 1" \
		bash -c 'seq_ok "$1" "0|rsb-$2|application|-|-|6|1|-| T-" " T" 20 && grep -q "^0|rsb-$2|application|-|-|3|1|-|.*lvl-error$" "$1"' _ "$log" "$t"
	net_quit "$NS" $S 7000
	net_stop "$PID" 10
	rs_stop
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || { grep -v "|[ABCTU]-[0-9]*$" "$WORK"/*-$t.log; cat "$WORK"/*-$t.out; }
done

# The host-socket stack (unix --hostnet) carries it too: the collector on
# the loopback of a namespace of its own.
net_ns NS syslogh
if ! out=$("$RIAD" build -t unix --hostnet -C "$APP" 2>&1); then
	fail "syslog on unix-hostnet: tests/ops/syslogapp does not build: $(tail -3 <<<"$out")"
elif rs_start "$NS" 127.0.0.1 "$WORK/host.log"; then
	net_bg "$WORK/host.out" "$NS" "$APP/dist/syslogapp.unix-hostnet" --ipv4=127.0.0.1 \
		--syslog=tcp://127.0.0.1 --hostname=rsh
	PID=$NET_PID
	net_wait_for "$WORK/host.out" 'commands on UDP port' 10
	r1=$(cmd "$NS" 127.0.0.1 "log 50 H")
	net_wait_for "$WORK/host.log" '\|H-49$' 10
	check "syslog on unix-hostnet: tcp: 50 lines arrive once each, in order" \
		seq_ok "$WORK/host.log" "1|rsh|application|-|-|6|3|-|H-" H 50
	net_quit "$NS" 127.0.0.1 7000
	net_stop "$PID" 10
	rs_stop
else
	fail "syslog on unix-hostnet: rsyslogd"
fi
exit 0
