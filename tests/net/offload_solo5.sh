# tests/net/offload_solo5.sh: riad's net extension on a Solo5 target
# (abi/mft.h, docs/netif.md "spt and hvt: riad's net extension"), the
# body of tests/net/offload_spt.t and tests/net/offload_hvt.t, which set T
# and source it: a riad guest asks for the extension in its ABI1 note,
# riad-T attaches the tap with IFF_VNET_HDR and the host's offloads and
# says so in the manifest, and the guest's device then offers the stack
# what the unix tap with offloads does. Against the Linux kernel in a
# namespace made here, one tap, in this order:
#  - offloads (the default): the device says so (-l netif:debug); 16 MB
#    of random bytes sent with nc through examples/tcp-echo come back with
#    the same SHA-256, no drop on riad's side, and the frames riad wrote
#    to the tap and those the host handed it both average more than one
#    MTU (TSO segments cross the tap whole, both ways);
#  - hvt only: the same with the guest linked with
#    --defsym=riad_hvt_net_hypercalls=1, so that its 64 KiB frames go
#    through the NET_WRITE and NET_READ hypercalls instead of the net ring;
#  - a guest that does not ask (the same binary with the request cleared
#    from its ABI1 note, as an older riad or a Solo5 application has it),
#    right after: plain frames of at most an MTU, intact (so the tender's
#    plain attach also cleared the offloads the run before left on the
#    interface);
#  - riad-T --net-offload=off (what Solo5's solo5-T gives): plain
#    frames, intact;
#  - with RIAD_SOLO5_TENDERS naming a directory that holds Solo5's
#    solo5-T (as in tests/e2e/solo5-suite.t): the riad guest that asks,
#    under Solo5's tender, which grants nothing: plain frames, intact;
#  - the kernel counted no TCP checksum error;
#  - iperf3 -c and -c -R against examples/iperf3, with and without
#    offloads, end with bytes received;
#  - --net-offload=maybe: riad-T exits 1 with one line naming it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
net_require "tests/net/offload_$T.t"
for c in nc iperf3 sha256sum nstat python3; do
	if ! command -v $c >/dev/null; then
		skip "tests/net/offload_$T.t (no $c: tool/install-deps --tests)"
		exit 0
	fi
done
case " $(net_targets 2>/dev/null) " in
*" $T "*) ;;
*)
	skip "tests/net/offload_$T.t (the $T target is not available)"
	exit 0
	;;
esac
TENDER=$BUILD/stage/bin/riad-$T
TAP=r${T:0:1}net0
net_ns NS ${T:0:1}net
net_tap "$NS" $TAP 10.218.0.1/24
A=10.218.0.2
head -c 16000000 /dev/urandom >"$WORK/data"
want=$(sha256sum <"$WORK/data" | cut -d' ' -f1)
if ! de=$(net_example tcp-echo $T) || ! di=$(net_example iperf3 $T); then
	fail "offload $T: examples/tcp-echo or examples/iperf3 does not build"
	exit 0
fi

# The guest that does not ask: tcp-echo with RIAD_ABI1_F_NET_OFFLOAD
# cleared in its ABI1 note's reserved0 (abi/elf_note.h: the descriptor's
# third word).
python3 - "$de/dist/tcp-echo.$T" "$WORK/old.$T" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
head = struct.pack('<III', 6, 16, 0x31494241) + b'Solo5\0\0\0'
i = b.index(head) + len(head) + 8
w = struct.unpack_from('<I', b, i)[0]
assert w & 2, "the guest does not ask for the net extension"
struct.pack_into('<I', b, i, w & ~2)
open(sys.argv[2], 'wb').write(b)
PY
chmod +x "$WORK/old.$T"

# The tap's host-side counters: of frames riad wrote (rx), then of frames
# the host handed riad (tx): "BYTES PACKETS BYTES PACKETS".
tap_rx() {
	ip -n "$NS" -s -j link show $TAP |
		python3 -c 'import json,sys; s=json.load(sys.stdin)[0]["stats64"]; print(s["rx"]["bytes"], s["rx"]["packets"], s["tx"]["bytes"], s["tx"]["packets"])'
}

# no_drops NAME OUT: riad's counters (logged at the end) show no drop but
# Ethernet's not_for_us (the kernel's IPv6 chatter).
no_drops() {
	check "$1" bash -c 'grep -q "\] service: drops: " "$1" && ! grep "\[net\] service: " "$1" |
		grep -v "drops: " | sed -E "s/ drop.not_for_us=[0-9]+$//" | grep -q "drop\."' _ "$2"
}

# echo_run WHAT ONOFF CMD...: tcp-echo started by CMD (its arguments
# follow); the 16 MB through it and back; its exit and counters.
echo_run() {
	local what=$1 mode=$2
	shift 2
	local out=$WORK/echo-${what// /-}.out
	net_bg "$out" "$NS" "$@" --ipv4=$A/24 --port=7 --quit-port=9 --run-ms=60000 -l netif:debug
	local pid=$NET_PID
	if ! net_wait_for "$out" 'echo on TCP' 20; then
		fail "offload $T ($what): tcp-echo did not come up: $(tail -3 "$out")"
		return 1
	fi
	check "offload $T ($what): the device opened with offloads $mode" \
		grep -q "net service: open, MTU 1500, offloads $mode" "$out"
	local got
	ECHO_BEFORE=$(tap_rx)
	got=$(ip netns exec "$NS" bash -c "timeout 60 nc -N $A 7 <'$WORK/data' | sha256sum" | cut -d' ' -f1)
	check "offload $T ($what): 16 MB through tcp-echo come back with the same SHA-256" \
		test "$got" = "$want"
	ECHO_AFTER=$(tap_rx)
	net_quit "$NS" $A 9
	net_stop "$pid" 10
	check "offload $T ($what): tcp-echo ends 0 after QUIT" test $? -eq 0
	no_drops "offload $T ($what): tcp-echo dropped nothing (bad checksums included)" "$out"
}

# Average bytes per frame riad wrote (avg_frame) or was handed (avg_frame
# tx) during the last echo_run.
avg_frame() {
	python3 -c 'import sys
v = list(map(int, sys.argv[2:]))
o = 2 if sys.argv[1] == "tx" else 0
print((v[4 + o] - v[o]) // max(v[5 + o] - v[1 + o], 1))' "${1:-rx}" $ECHO_BEFORE $ECHO_AFTER
}

# plain_frames WHAT: both ways at most an MTU in the last echo_run.
plain_frames() {
	local avg
	avg=$(avg_frame)
	check "offload $T ($1): riad's frames average at most an MTU ($avg bytes)" test "$avg" -le 1514
	avg=$(avg_frame tx)
	check "offload $T ($1): the host's frames to riad average at most an MTU ($avg bytes)" \
		test "$avg" -le 1514
}

# large_frames WHAT: both ways more than an MTU in the last echo_run.
large_frames() {
	local avg
	avg=$(avg_frame)
	check "offload $T ($1): riad's frames average more than an MTU ($avg bytes): its TSO segments reach the host" \
		test "$avg" -gt 1514
	avg=$(avg_frame tx)
	check "offload $T ($1): the host's frames to riad average more than an MTU ($avg bytes): riad takes its TSO segments whole" \
		test "$avg" -gt 1514
}

if echo_run "on" on "$RIAD" run -t $T -C "$de" --mem 64 --net service=$TAP --; then
	large_frames "on"
fi
# hvt: the same frames through the hypercalls (a guest that leaves the
# tender's net ring alone, as under a tender without one).
if [ $T = hvt ]; then
	dh=$WORK/ex-tcp-echo-hc
	cp -R "$ROOT/examples/tcp-echo" "$dh"
	rm -rf "$dh/_build" "$dh/dist"
	if ! out=$(LDFLAGS=-Wl,--defsym=riad_hvt_net_hypercalls=1 "$RIAD" build -t hvt -C "$dh" 2>&1); then
		fail "offload hvt: tcp-echo does not build with --defsym=riad_hvt_net_hypercalls=1: $out"
	elif echo_run "on, hypercalls" on "$TENDER" --mem=64 --net:service=$TAP -- "$dh/dist/tcp-echo.hvt"; then
		large_frames "on, hypercalls"
	fi
fi
if echo_run "guest that does not ask" off "$TENDER" --mem=64 --net:service=$TAP -- "$WORK/old.$T"; then
	plain_frames "guest that does not ask"
fi
if echo_run "tender refuses" off "$TENDER" --mem=64 --net-offload=off --net:service=$TAP -- "$de/dist/tcp-echo.$T"; then
	plain_frames "tender refuses"
fi
if [ -n "${RIAD_SOLO5_TENDERS:-}" ] && [ -x "$RIAD_SOLO5_TENDERS/solo5-$T" ]; then
	if echo_run "Solo5's solo5-$T" off "$RIAD_SOLO5_TENDERS/solo5-$T" --mem=64 --net:service=$TAP -- \
		"$de/dist/tcp-echo.$T"; then
		plain_frames "Solo5's solo5-$T"
	fi
else
	skip "offload $T: the riad guest under Solo5's solo5-$T (RIAD_SOLO5_TENDERS names none)"
fi
csum=$(ip netns exec "$NS" nstat -az TcpInCsumErrors | awk '$1 == "TcpInCsumErrors" { print $2 }')
check "offload $T: the kernel counted no TCP checksum error (TcpInCsumErrors ${csum:-?})" test "${csum:-1}" -eq 0

# iperf3 both ways, with offloads and with the tender refusing them.
received() {
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["end"]["sum_received"]
print(int(s["bytes"]), "%.2f" % (s["bits_per_second"] / 1e9))' "$1" 2>/dev/null
}
for mode in on off; do
	out=$WORK/iperf3-$mode.out
	net_bg "$out" "$NS" "$TENDER" --mem=64 --net-offload=$mode --net:service=$TAP -- \
		"$di/dist/iperf3.$T" --ipv4=$A/24 --tests=2
	PID=$NET_PID
	if ! net_wait_for "$out" 'iperf3 server on TCP' 20; then
		fail "offload $T ($mode): iperf3 did not come up: $(tail -3 "$out")"
		continue
	fi
	for flag in "" -R; do
		j=$WORK/iperf3-$mode$flag.json
		timeout 20 ip netns exec "$NS" iperf3 -c $A -t 1 --json $flag >"$j" 2>&1
		st=$?
		r=$(received "$j")
		if [ $st -eq 0 ] && [ -n "$r" ] && [ "${r% *}" -gt 0 ]; then
			pass "offload $T ($mode): iperf3 -c $A -t 1 $flag: ${r% *} bytes received, ${r#* } Gbit/s"
		else
			fail "offload $T ($mode): iperf3 -c $A -t 1 $flag: exit $st, $(head -c 300 "$j" | tr '\n' ' ')"
		fi
	done
	net_stop "$PID" 10
	check "offload $T ($mode): iperf3 ends 0 after --tests=2" test $? -eq 0
done

out=$WORK/bad.out
timeout 20 ip netns exec "$NS" "$TENDER" --net-offload=maybe --net:service=$TAP -- "$de/dist/tcp-echo.$T" \
	>"$out" 2>&1
st=$?
check "offload $T: --net-offload=maybe exits 1 with one line naming the option" \
	bash -c '[ "$1" -eq 1 ] && [ "$(wc -l <"$2")" -eq 1 ] &&
		grep -q "riad-$3: --net-offload=maybe: .maybe. is neither on nor off" "$2"' _ $st "$out" $T
exit 0
