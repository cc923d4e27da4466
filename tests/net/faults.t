#!/usr/bin/env bash
# tests/net/faults.t: riad's fault injector (--net-faults, docs/netif.md)
# cross-checked with nftables, the Linux kernel's packet filter, which
# knows nothing of riad, in a namespace made here:
#  1. loss made by riad, counted by nftables: examples/udp-echo with
#     tx:loss=10% answers N datagrams; an nftables counter on the Linux
#     side counts the replies that arrived, and the loss must be within
#     5 sigma of 10% (binomial); the same seed gives the same count again.
#  2. loss made by nftables (numgen random, both directions) under a few
#     MB through examples/tcp-echo: the data comes back byte-exact and
#     nftables' counters show the drops.
#  3. corruption: nftables mangles a payload byte of ~2% of riad's TCP
#     segments on their way in (Linux's checksum check must then drop
#     them and riad retransmit), and riad's own rx:corrupt=1% makes riad's
#     checksum counters rise; the data stays exact both ways.
# Also: a bad --net-faults exits 64 with one line, and the active faults
# and the seed are logged. Runs on unix and on spt (each in a run of this
# script of its own, RIAD_FAULTS_TARGET); not on hvt, whose slower round
# trips would make the 2000-datagram measurement long, and whose device is
# covered by tests/net/echo.t (the injector is target-independent code).
source "$(dirname "$0")/lib.sh"
net_require "tests/net/faults.t"
for c in nft nc python3 sha256sum; do
	if ! command -v $c >/dev/null; then
		skip "tests/net/faults.t (no $c: tool/install-deps installs it)"
		exit 0
	fi
done
if ! ip netns exec "$(ip netns add riad-nftprobe-$$ && echo riad-nftprobe-$$)" \
	nft add table inet probe 2>/dev/null; then
	ip netns del riad-nftprobe-$$ 2>/dev/null
	skip "tests/net/faults.t (nftables does not work here: no nf_tables in the kernel?)"
	exit 0
fi
ip netns del riad-nftprobe-$$ 2>/dev/null

if [ -z "${RIAD_FAULTS_TARGET:-}" ]; then
	for t in $(net_targets); do
		[ "$t" = hvt ] || RIAD_FAULTS_TARGET=$t bash "$0"
	done
	exit 0
fi
T=$RIAD_FAULTS_TARGET
N=${RIAD_FAULTS_N:-2000}      # datagrams in the loss measurement
SEED=20240611
A=10.213.1.2
L=10.213.1.1

net_ns NS faults
net_tap "$NS" rfault0 $L/24
# Nothing but the test's own traffic: no IPv6 chatter on the tap.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.rfault0.disable_ipv6=1

# nft_count NS TABLE CHAIN: the packets counted by the chain's rules, summed.
nft_count() {
	ip netns exec "$1" nft list chain inet "$2" "$3" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "packets") s += $(i + 1) } END { print s + 0 }'
}

# --- A bad spec, and what a good one logs. ---
d=$(net_example udp-echo $T) || { fail "faults on $T: examples/udp-echo does not build"; exit 0; }
out=$WORK/bad.out
net_run "$out" "$NS" "$d" $T service=rfault0 --ipv4=$A/24 --net-faults='seed=1,tx:loss=150%'
net_stop "$NET_PID" 10
st=$?
check "faults on $T: a bad --net-faults exits 64 with one line naming the item" \
	bash -c '[ "$1" -eq 64 ] && [ "$(grep -vc "^Solo5:" "$2")" -eq 1 ] &&
		grep -q "option .--net-faults.: .tx:loss=150%.: more than 100%" "$2"' _ $st "$out"
# (On spt the tender wants the device attached even for --help.)
[ $T != unix ] || check "faults on $T: --help lists --net-faults" \
	bash -c '"$1" run -t "$2" -C "$3" -- --help 2>&1 | grep -q -- "--net-faults=STRING"' _ "$RIAD" $T "$d"

# --- 1. riad's loss, counted by nftables. ---
# udp_run OUT SPEC: run udp-echo with --net-faults=SPEC, warm up (ARP) with
# one datagram at a time, then send N datagrams one by one (each waits
# 30 ms for its echo; a late one still counts); GOT is then the replies nftables counted.
#
# The n-th frame riad sends meets the same fate in every run with the same
# seed, so the frames riad sends must be the same ones in the same order:
# Linux gets riad's MAC as a permanent neighbour before any traffic (no
# ARP from Linux, no probes later), riad's two gratuitous ARPs are over
# before the first datagram, and a warm-up datagram is sent again only
# after riad's ARP for Linux has surely ended (5 s).
udp_run() {
	local out=$1 spec=$2 mac
	GOT=
	net_run "$out" "$NS" "$d" $T service=rfault0 --ipv4=$A/24 --port=7 --run-ms=120000 \
		--net-faults="$spec" -l netif:debug
	UDP_PID=$NET_PID
	if ! net_wait_for "$out" 'echoing UDP on' 20; then
		kill "$UDP_PID" 2>/dev/null
		return 1
	fi
	mac=$(grep -o 'MAC [0-9a-f:]*' "$out" | head -1 | cut -d' ' -f2)
	ip -n "$NS" neigh replace $A lladdr "$mac" dev rfault0 nud permanent
	sleep 2.5
	ip netns exec "$NS" nft delete table inet rfault 2>/dev/null
	ip netns exec "$NS" python3 - $A warm <<'PY' || { kill "$UDP_PID"; return 1; }
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for i in range(10):
    s.sendto(b"warm %d" % i, (sys.argv[1], 7))
    try:
        s.recvfrom(100)
        sys.exit(0)
    except socket.timeout:
        pass
sys.exit(1)
PY
	ip netns exec "$NS" nft -f - <<EOF
table inet rfault {
	chain in {
		type filter hook input priority 0;
		ip saddr $A udp sport 7 counter
	}
}
EOF
	ip netns exec "$NS" python3 - $A $N <<'PY' || { kill "$UDP_PID"; return 1; }
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.03)
for i in range(int(sys.argv[2])):
    s.sendto(b"datagram %d" % i, (sys.argv[1], 7))
    try:
        s.recvfrom(100)
    except socket.timeout:
        pass
PY
	sleep 0.2
	GOT=$(nft_count "$NS" rfault in)
	net_quit "$NS" $A 7
	net_stop "$UDP_PID" 10 || true
}

lo=$(python3 -c "import math; n=$N; p=0.1; print(round(n*(1-p) - 5*math.sqrt(n*p*(1-p))))")
hi=$(python3 -c "import math; n=$N; p=0.1; print(round(n*(1-p) + 5*math.sqrt(n*p*(1-p))))")
if udp_run "$WORK/loss1.out" "seed=$SEED,tx:loss=10%"; then
	got1=$GOT
	check "faults on $T: udp-echo with tx:loss=10%: nftables counted $got1 of $N replies (5 sigma: $lo..$hi)" \
		test "$got1" -ge "$lo" -a "$got1" -le "$hi"
	check "faults on $T: the active faults and the seed are logged" \
		grep -q "service: injecting faults on [^:]*: --net-faults=seed=$SEED,tx:loss=10%" "$WORK/loss1.out"
	# The injector's own count, logged at exit, against nftables': riad's
	# frames that passed are the replies nftables counted plus the few
	# frames outside the measured window (ARP, warm-up and quit replies).
	line=$(grep -o 'service: faults tx: .*' "$WORK/loss1.out" | tail -1)
	passed=$(sed -n 's/.* passed=\([0-9]*\) .*/\1/p' <<<"$line")
	check "faults on $T: riad logs its injector's counts at exit, and the frames it let pass agree with nftables ($line; nftables $got1)" \
		bash -c '[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le $(($2 + 20)) ]' _ "$passed" "$got1"
	if udp_run "$WORK/loss2.out" "seed=$SEED,tx:loss=10%"; then
		got2=$GOT
		check "faults on $T: the same seed loses the same replies again ($got1, $got2)" test "$got1" = "$got2"
	else
		fail "faults on $T: second run with seed $SEED: $(tail -3 "$WORK/loss2.out" | tr '\n' ' ')"
	fi
	# Without seed=, one comes from the random generator and is logged.
	if udp_run "$WORK/loss3.out" "tx:loss=10%"; then
		got3=$GOT
		seed=$(grep -o 'net-faults=seed=[0-9]*' "$WORK/loss3.out" | head -1 | cut -d= -f3)
		check "faults on $T: without seed= a random seed ($seed) is logged, and the loss is still in $lo..$hi ($got3)" \
			test -n "$seed" -a "$got3" -ge "$lo" -a "$got3" -le "$hi"
	else
		fail "faults on $T: run without a seed: $(tail -3 "$WORK/loss3.out" | tr '\n' ' ')"
	fi
else
	fail "faults on $T: udp-echo with tx:loss=10% did not answer: $(tail -3 "$WORK/loss1.out" | tr '\n' ' ')"
fi
ip -n "$NS" neigh del $A dev rfault0 2>/dev/null
ip netns exec "$NS" nft delete table inet rfault 2>/dev/null

# --- 2. loss made by nftables, under TCP through examples/tcp-echo. ---
# tcp_echo_run OUT NAME [ARGS...]: tcp-echo (with ARGS) echoes MB bytes
# sent with nc; PASS when they come back byte for byte. OUT keeps its log.
MB=4
head -c $((MB * 1000000)) /dev/urandom >"$WORK/data"
want=$(sha256sum <"$WORK/data" | cut -d' ' -f1)
dt=$(net_example tcp-echo $T) || { fail "faults on $T: examples/tcp-echo does not build"; exit 0; }
tcp_echo_run() {
	local out=$1 name=$2 got
	shift 2
	net_run "$out" "$NS" "$dt" $T service=rfault0 --ipv4=$A/24 --port=7 --quit-port=9 \
		--run-ms=180000 "$@"
	local pid=$NET_PID
	if ! net_wait_for "$out" 'echo on TCP' 20; then
		fail "$name: tcp-echo did not come up: $(tail -3 "$out" | tr '\n' ' ')"
		kill "$pid" 2>/dev/null
		return 1
	fi
	got=$(ip netns exec "$NS" bash -c "nc -N -w 60 $A 7 <'$WORK/data' | sha256sum" | cut -d' ' -f1)
	check "$name: $MB MB through tcp-echo come back byte for byte (sha256)" test "$got" = "$want"
	net_quit "$NS" $A 9
	net_stop "$pid" 10
}

ip netns exec "$NS" nft -f - <<EOF
table inet rfault {
	chain in {
		type filter hook input priority 0;
		ip saddr $A tcp sport 7 numgen random mod 100 < 2 counter drop
	}
	chain out {
		type filter hook output priority 0;
		ip daddr $A tcp dport 7 numgen random mod 100 < 2 counter drop
	}
}
EOF
tcp_echo_run "$WORK/tcp-loss.out" "faults on $T: nftables drops 2% both ways"
din=$(nft_count "$NS" rfault in) dout=$(nft_count "$NS" rfault out)
check "faults on $T: nftables dropped segments both ways ($din from riad, $dout to riad)" \
	test "$din" -gt 0 -a "$dout" -gt 0
ip netns exec "$NS" nft delete table inet rfault

# --- 3. corruption. ---
# nftables overwrites the first payload byte of ~2% of riad's segments on
# their way into Linux, before conntrack or TCP looked at them. It is
# written at a fixed offset from the TCP header (@th, for the two header
# lengths riad sends), for which nftables leaves the checksum alone (for
# @ih it would fix it, and the damage would go unseen): Linux must drop
# them (its TcpInCsumErrors) and riad retransmit. Independently riad corrupts 1% of
# what it receives (rx:corrupt) and must drop those by checksum.
ip netns exec "$NS" nft -f - <<EOF
table inet rfault {
	chain in {
		type filter hook prerouting priority -300;
		ip saddr $A tcp sport 7 meta mark set numgen random mod 100
		meta mark < 2 tcp doff 5 ip length > 40 counter @th,160,8 set 0x5a
		meta mark < 2 tcp doff 8 ip length > 52 counter @th,256,8 set 0x5a
		meta mark set 0
	}
}
EOF
nstat_csum() {
	ip netns exec "$NS" nstat -az TcpInCsumErrors | awk '/TcpInCsumErrors/ { print $2 + 0 }'
}
# Plain frames: with the tap's offloads (docs/netif.md; unix and spt)
# riad's segments reach Linux with their checksums still to be completed,
# which Linux, trusting a virtual wire, does after nftables' damage and
# never checks, as for any VM with virtio-net offloads. The unix unikernel
# takes --net-offload=off itself; on spt riad-spt refuses the offloads.
plain=()
[ "$T" != unix ] || plain=(--net-offload=off)
if [ "$T" = spt ]; then
	printf '#!/bin/sh\nexec "%s" --net-offload=off "$@"\n' "$BUILD/stage/bin/riad-spt" \
		>"$WORK/riad-spt-plain"
	chmod +x "$WORK/riad-spt-plain"
	export RIAD_TENDER=$WORK/riad-spt-plain
fi
csum0=$(nstat_csum)
tcp_echo_run "$WORK/tcp-corrupt.out" "faults on $T: nftables corrupts 2% of riad's segments, riad 1% of its input" \
	--net-faults=seed=$SEED,rx:corrupt=1% ${plain[@]+"${plain[@]}"}
unset RIAD_TENDER
csum1=$(nstat_csum)
mangled=$(nft_count "$NS" rfault in)
check "faults on $T: nftables mangled $mangled of riad's segments and Linux dropped $((csum1 - csum0)) by checksum" \
	test "$mangled" -gt 0 -a $((csum1 - csum0)) -gt 0
bad=$(grep -o 'bad_checksum=[0-9]*' "$WORK/tcp-corrupt.out" | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')
check "faults on $T: riad dropped $bad of its corrupted input by checksum" test "$bad" -gt 0
ip netns exec "$NS" nft delete table inet rfault
[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$WORK"/*.out

exit 0
