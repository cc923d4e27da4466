#!/usr/bin/env bash
# tests/net/iperf3.t: the stock iperf3 client (Debian's) against
# examples/iperf3 on each target this machine runs (RIAD_NET_TARGETS
# overrides), in a namespace made here: `iperf3 -c ADDR -t 3 --json`
# (the client sends) and the same with -R (the unikernel sends) must exit
# 0 and report a positive number of bytes received; -P 2 must be refused
# with the client's "parallel streams" error; the unikernel serves these
# three tests one after another and then exits 0 (--tests=3). The -R test
# must end within 8 s: the unikernel ends its data stream at TEST_END, as
# iperf3's own server does, or the client sits in a blocking read of a
# whole block until the server's control timeout (10 s) and a reset.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/iperf3.t"
if ! command -v iperf3 >/dev/null; then
	skip "tests/net/iperf3.t (no iperf3: apt-get install iperf3)"
	exit 0
fi

# received JSON: the bytes and Gbit/s of end.sum_received, "BYTES GBPS".
received() {
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["end"]["sum_received"]
print(int(s["bytes"]), "%.2f" % (s["bits_per_second"] / 1e9))' "$1" 2>/dev/null
}

n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS iperf3
	net_tap "$NS" rip3$n 10.213.$n.1/24
	A=10.213.$n.2
	if ! d=$(net_example iperf3 "$t"); then
		fail "iperf3 on $t: examples/iperf3 does not build"
		continue
	fi
	out=$WORK/iperf3-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rip3$n --ipv4=$A/24 --tests=3
	PID=$NET_PID
	if ! net_wait_for "$out" 'iperf3 server on TCP' 20; then
		fail "iperf3 on $t: the unikernel did not come up: $(tail -3 "$out")"
		continue
	fi
	for dir in forward reverse; do
		flag=
		what="iperf3 -c $A -t 3 (client sends)"
		if [ $dir = reverse ]; then
			flag=-R
			what="iperf3 -c $A -t 3 -R (unikernel sends)"
		fi
		j=$WORK/$t-$dir.json
		t0=$SECONDS
		timeout 20 ip netns exec "$NS" iperf3 -c $A -t 3 --json $flag >"$j" 2>&1
		st=$?
		el=$((SECONDS - t0))
		r=$(received "$j")
		if [ $st -eq 0 ] && [ -n "$r" ] && [ "${r% *}" -gt 0 ]; then
			pass "iperf3 on $t: $what: ${r% *} bytes received, ${r#* } Gbit/s"
		else
			fail "iperf3 on $t: $what: exit $st, $(head -c 300 "$j" | tr '\n' ' ')"
		fi
		[ $dir = forward ] || check "iperf3 on $t: $what ends in ${el} s, at most 8" test $el -le 8
	done
	r=$(timeout 20 ip netns exec "$NS" iperf3 -c $A -t 1 -P 2 2>&1)
	check "iperf3 on $t: -P 2 is refused with iperf3's error (parallel streams)" \
		grep -qi 'parallel streams' <<<"$r"
	net_stop "$PID" 10
	check "iperf3 on $t: the unikernel ends 0 after --tests=3" test $? -eq 0
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out"
done
exit 0
