#!/usr/bin/env bash
# bench/syslog.sh: how many log lines per second a riad unikernel delivers
# to rsyslog with --syslog, over UDP and over TCP (octet counting), on unix
# and spt, against a baseline measured in the same run: util-linux's
# logger(1) sending the same number of RFC 5424 lines to the same rsyslog
# from a namespace joined to it by a veth.
#
# The unikernel is tests/ops/syslogapp: its command "flood N TAG" logs N
# lines, yielding after each so that the syslog sender (a fiber) runs
# between them; with --syslog-console=no the console costs nothing. A line
# counts once rsyslog has written it to its file (a template of the message
# alone); the time is from the command to the last line seen (polled every
# 10 ms), so short runs overstate the time. Lines the unikernel dropped
# (its queue full) or UDP lost are reported, not counted as delivered.
# rsyslog is the same for both, and is often the bottleneck.
#
# Medians over BENCH_RUNS (default 3) runs of BENCH_LINES (default 20000)
# lines; each riad run is preceded by a logger run (they alternate). The
# machine is shared and noisy: compare the ratios, not the figures.
# Usage: bench/syslog.sh (root, /dev/net/tun, rsyslogd, logger)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
lines=${BENCH_LINES:-20000}
runs=${BENCH_RUNS:-3}
. bench/lib/paired.sh
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v rsyslogd >/dev/null; then why="no rsyslogd (rsyslog)"
elif ! command -v logger >/dev/null; then why="no logger (bsdutils)"
fi
if [ -n "$why" ]; then
	echo "syslog: skipped ($why)"
	exit 0
fi
work=$(mktemp -d /tmp/riad-bench-syslog.XXXXXX)
nsc=riad-bsys-c-$$ nsl=riad-bsys-l-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
	ip netns del $nsc 2>/dev/null || true
	ip netns del $nsl 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# The collector's namespace: a veth to logger's (10.216.1.0/24) and a tap
# for the unikernel (10.216.0.0/24).
veth_pair $nsc $nsl bsys 10.216.1
ip -n $nsc link set lo up
ip -n $nsc tuntap add dev bsys0 mode tap
ip -n $nsc link set bsys0 up
ip -n $nsc addr add 10.216.0.1/24 dev bsys0
cat >"$work/rsyslog.conf" <<CONF
global(workDirectory="$work" maxMessageSize="8k")
module(load="imudp")
module(load="imtcp")
input(type="imudp" port="514" rcvBufSize="8m")
input(type="imtcp" port="514")
template(name="msg" type="string" string="%msg%\n")
*.* action(type="omfile" file="$work/out.log" template="msg")
CONF
ip netns exec $nsc "${cli[@]}" rsyslogd -n -f "$work/rsyslog.conf" -i "$work/rsyslogd.pid" \
	>"$work/rsyslogd.out" 2>&1 &
pids+=($!)
for ((i = 0; i < 100; i++)); do
	ip netns exec $nsc ss -Hltn "sport = :514" | grep -q . && break
	sleep 0.05
done

APP=$work/syslogapp
cp -R tests/ops/syslogapp "$APP"

# wait_lines TAG T0: poll until the TAG lines stop growing for a second
# or reach $lines; prints "COUNT NS" (NS: from T0 to the last growth).
wait_lines() {
	local n=0 last=-1 t_last=$2 still=0
	while :; do
		n=$(grep -c -- "-$1-" "$work/out.log" || true)
		if [ "$n" != "$last" ]; then
			last=$n t_last=$(date +%s%N) still=0
		else
			still=$((still + 1))
		fi
		[ "$n" -ge "$lines" ] || [ "$still" -ge 100 ] && break
		sleep 0.01
	done
	echo "$n $((t_last - $2))"
}

# rate COUNT NS: lines per second.
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", ns ? n * 1e9 / ns : 0 }'; }

# linux PROTO TAG: logger sends the lines; prints "COUNT NS".
linux() {
	local t0 flags=(--udp)
	[ "$1" = udp ] || flags=(--tcp --octet-count)
	seq 0 $((lines - 1)) | sed "s/^/x-$2-/" >"$work/lines"
	t0=$(date +%s%N)
	ip netns exec $nsl "${cli[@]}" logger "${flags[@]}" --rfc5424 -n 10.216.1.1 -P 514 -t bench \
		-f "$work/lines"
	wait_lines "$2" "$t0"
}

# riad TARGET PROTO TAG: the unikernel floods the lines; prints "COUNT NS".
riad_run() {
	local t0 pid
	local mem=()
	[ "$1" = unix ] || mem=(--mem 64)
	ip netns exec $nsc "${srv[@]}" "$RIAD" run -t "$1" -C "$APP" "${mem[@]}" --net service=bsys0 -- \
		--ipv4=10.216.0.2/24 --syslog="$2://10.216.0.1" --syslog-console=no >"$work/app.out" 2>&1 &
	pid=$!
	pids+=($pid)
	for ((i = 0; i < 200; i++)); do
		grep -q 'commands on UDP port' "$work/out.log" 2>/dev/null && break
		sleep 0.05
	done
	t0=$(date +%s%N)
	ip netns exec $nsc bash -c "printf 'flood $lines x-$3\n' >/dev/udp/10.216.0.2/7000"
	wait_lines "$3" "$t0"
	ip netns exec $nsc bash -c "printf 'QUIT\n' >/dev/udp/10.216.0.2/7000"
	for ((i = 0; i < 100; i++)); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	: >"$work/out.log"
}

k=0
for t in unix spt; do
	if ! out=$("$RIAD" build -t $t -C "$APP" 2>&1); then
		echo "syslog: $t: syslogapp does not build: $(tail -1 <<<"$out")"
		continue
	fi
	for proto in udp tcp; do
		lr=() rr=() rt=() lost=()
		for ((r = 0; r < runs; r++)); do
			k=$((k + 1))
			linux $proto "l$k" >"$work/res"
			read -r n ns <"$work/res"
			lr+=("$(rate "$n" "$ns")")
			: >"$work/out.log"
			riad_run $t $proto "r$k" >"$work/res"
			read -r n ns <"$work/res"
			rr+=("$(rate "$n" "$ns")")
			rt+=("$(ratio "$(rate "$n" "$ns")" "${lr[-1]}")")
			lost+=($((lines - n)))
		done
		echo "syslog $t $proto: riad $(median "${rr[@]}") lines/s, logger $(median "${lr[@]}") lines/s," \
			"ratio $(median "${rt[@]}") (runs: riad ${rr[*]}; logger ${lr[*]};" \
			"riad lines not delivered: ${lost[*]} of $lines)"
	done
done
