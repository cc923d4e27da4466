#!/usr/bin/env bash
# bench/syslog_http.sh: what logging every request to syslog costs a busy
# unikernel: wrk's request rate against examples/http (unix, riad's TCP
# over a tap) with --syslog to an rsyslog collector in the same namespace,
# with a log line per request (--log-requests at info) and without (the
# application's source turned to warning through the management listener,
# PUT /log-levels, so it is the same process), alternating in rounds of
# the same run, over UDP and over TCP. Prints each rate, the median ratio
# of the rounds (logged over not logged; 1.000 means free) with its
# spread, the lines rsyslog wrote against the requests wrk counted (a line
# not delivered was dropped by the unikernel's bounded queue or, over UDP,
# lost: logging never makes a request wait; the queue's own drop count is
# printed), and CPU per side.
# Usage: bench/syslog_http.sh [SECONDS] (per measurement, default 5;
# BENCH_ROUNDS rounds, default 3; BENCH_CONNS connections, default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
secs=${1:-${BENCH_SECONDS:-5}}
rounds=${BENCH_ROUNDS:-3}
conns=${BENCH_CONNS:-50}
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v wrk >/dev/null; then why="no wrk"
elif ! command -v curl >/dev/null; then why="no curl"
elif ! command -v rsyslogd >/dev/null; then why="no rsyslogd (rsyslog)"
fi
if [ -n "$why" ]; then
	echo "syslog_http: skipped ($why)"
	exit 0
fi
source bench/lib/paired.sh
source bench/lib/cputime.sh
work=$(mktemp -d /tmp/riad-bench-slh.XXXXXX)
ns=riad-bslh-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
	ip netns del $ns 2>/dev/null || true
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

ip netns add $ns
ip -n $ns link set lo up
ip -n $ns tuntap add dev rbslh0 mode tap
ip -n $ns link set rbslh0 up
ip -n $ns addr add 10.236.0.1/24 dev rbslh0
cat >"$work/rsyslog.conf" <<CONF
global(workDirectory="$work" maxMessageSize="8k")
module(load="imudp")
module(load="imtcp")
input(type="imudp" port="514" rcvBufSize="8m")
input(type="imtcp" port="514")
template(name="msg" type="string" string="%msg%\n")
*.* action(type="omfile" file="$work/out.log" template="msg")
CONF
ip netns exec $ns "${cli[@]}" rsyslogd -n -f "$work/rsyslog.conf" -i "$work/rsyslogd.pid" \
	>"$work/rsyslogd.out" 2>&1 &
pids+=($!)
for ((i = 0; i < 100; i++)); do
	ip netns exec $ns ss -Hltn "sport = :514" | grep -q . && break
	sleep 0.05
done

d=$work/http
cp -R examples/http "$d"
rm -rf "$d/_build" "$d/dist"
"$RIAD" build -t unix -C "$d" >/dev/null

# rps: wrk's rate for secs seconds; "RATE REQUESTS" (0 on non-2xx answers).
rps() {
	ip netns exec $ns "${cli[@]}" wrk -t1 -c"$conns" -d"${secs}s" http://10.236.0.2/ 2>&1 |
		awk '/Requests\/sec/ { r = int($2) } / requests in / { n = $1 } /Non-2xx/ { bad = 1 }
			END { print (bad ? 0 : r), n + 0 }'
}
levels() {
	ip netns exec $ns curl -sS -m 5 -X PUT --data "application:$1" -o /dev/null \
		http://10.236.0.2:9100/log-levels
}
lines() { grep -c "GET / 200" "$work/out.log" 2>/dev/null || true; }

for proto in udp tcp; do
	: >"$work/out.log"
	ip netns exec $ns "${srv[@]}" "$d/dist/http.unix" --net:service=rbslh0 --ipv4=10.236.0.2/24 \
		--metrics=9100 --log-requests --syslog="$proto://10.236.0.1" --syslog-console=no \
		>"$work/riad.out" 2>&1 &
	pid=$!
	pids+=($pid)
	for ((i = 0; i < 100; i++)); do grep -qs 'management listener' "$work/riad.out" && break; sleep 0.05; done
	ratios=() on=() off=() got=() sent=()
	cpu_mark srv "$pid"
	for ((r = 1; r <= rounds; r++)); do
		levels warning
		read -r b _ < <(rps)
		levels info
		before=$(lines)
		read -r a n < <(rps)
		sleep 1
		after=$(lines)
		on+=("$a") off+=("$b") ratios+=("$(ratio "$a" "$b")")
		got+=($((after - before))) sent+=("$n")
		echo "syslog_http: $proto round $r: logged $a req/s, not logged $b req/s;" \
			"$((after - before)) of $n request lines reached rsyslog"
	done
	echo "syslog_http: $proto: logged/not logged $(spread "${ratios[@]}") (median (lowest-highest) of $rounds rounds);" \
		"logged $(spread "${on[@]}") req/s, not logged $(spread "${off[@]}") req/s"
	echo "syslog_http: $proto: server CPU $(cpu_report srv) over the rounds"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	q=$({ grep -o '[0-9]* log lines\? dropped: the syslog queue' "$work/riad.out" || true; } |
		awk '{ n += $1 } END { print n + 0 }')
	echo "syslog_http: $proto: the unikernel's queue dropped $q lines in all (counted and logged);" \
		"the rest of the missing lines were lost on the way (UDP) or are still queued"
done
