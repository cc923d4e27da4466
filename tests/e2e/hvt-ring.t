# tests/e2e/hvt-ring.t: the hvt bindings use the tender's net ring when it
# offers one (SOLO5-ABI.md 4.7) and the NET_WRITE/NET_READ hypercalls when
# not. tests/solo5/netring reads the boot info, sends a burst of small
# frames and one larger than a ring slot's buffer on a tap with a 9000-byte
# MTU, and reads back a 9014-byte answer that a python3 AF_PACKET socket
# sends; it reports how many ring entries it published. On riad-hvt (which
# always offers the ring with a net device; it has no option to withhold
# it): once as built, where every frame is a ring entry (the large one
# pointing at the guest's own buffer rather than a slot's), and once
# linked with --defsym=riad_hvt_net_hypercalls=1,
# where the guest leaves the ring alone as under a tender without one. The
# host must see every frame, in order. RIAD_SOLO5_TENDERS (a directory
# holding Solo5's solo5-hvt, as in solo5-suite.t) adds a run on it.
# Needs root, /dev/net/tun, ip(8) and python3.
source "$(dirname "$0")/lib.sh"

why=""
st=$("$RIAD" targets | awk '$1 == "hvt" { $1 = ""; sub(/^ /, ""); print }')
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v ip >/dev/null || ! command -v python3 >/dev/null; then why="needs ip and python3"
elif [[ "$st" != ok* ]]; then why="hvt: ${st:-not listed}"
elif ! ip netns add "riad-hrprobe-$$" 2>/dev/null; then why="cannot create a network namespace"
fi
ip netns del "riad-hrprobe-$$" 2>/dev/null
if [ -n "$why" ]; then
	skip "the hvt net ring tests ($why)"
	exit 0
fi

BURST=100
MTU=9000
NS=riad-hring-$$
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$WORK"' EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" tuntap add dev rhrtap mode tap
ip -n "$NS" link set rhrtap mtu $MTU
ip -n "$NS" link set rhrtap up

cat >"$WORK/peer.py" <<'PY'
import socket, sys
dev, burst, mtu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
s.bind((dev, 0))
s.settimeout(30)
print("READY", flush=True)
seqs, lens, mac = [], [], None
try:
    while len(seqs) < burst + 1:
        f = s.recv(65536)
        if f[12:14] != b"\x88\xb5" or f[14:23] != b"riad ring":
            continue
        seqs.append(f[23] << 8 | f[24])
        lens.append(len(f))
        mac = f[6:12]
except socket.timeout:
    pass
print("GOT", len(seqs), "in order" if seqs == list(range(len(seqs))) else "OUT OF ORDER",
      "largest", max(lens or [0]), flush=True)
if mac is None:
    sys.exit(1)
n = mtu + 14
head = mac + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" + b"riad ring" + b"\x00\x01"
s.send(head + bytes((i * 7 + 1) & 255 for i in range(len(head), n)))
sys.exit(0)
PY

cp -R "$ROOT/tests/solo5" "$WORK/suite"
cp -R "$WORK/suite/netring" "$WORK/suite/netring-hc"
run_capture out st "$RIAD" build -t hvt -C "$WORK/suite/netring"
check "tests/solo5/netring builds for hvt" bash -c '[ "$2" -eq 0 ] && grep -q "devices: service0 (NET)" <<<"$1"' _ "$out" "$st"
run_capture out st env LDFLAGS=-Wl,--defsym=riad_hvt_net_hypercalls=1 \
	"$RIAD" build -t hvt -C "$WORK/suite/netring-hc"
check "tests/solo5/netring builds for hvt with --defsym=riad_hvt_net_hypercalls=1" test "$st" -eq 0

# run LABEL TENDER KERNEL: the guest and the peer; sets OUT, ST, PEER.
run() {
	ip netns exec "$NS" python3 "$WORK/peer.py" rhrtap $BURST $MTU >"$WORK/peer.out" 2>&1 &
	local peer=$! i
	for i in $(seq 50); do
		! grep -q READY "$WORK/peer.out" || break
		sleep 0.1
	done
	run_capture OUT ST timeout 60 ip netns exec "$NS" "$2" --mem=32 --net:service0=rhrtap "$3"
	wait "$peer" || true
	PEER=$(grep -v READY "$WORK/peer.out" | tr '\n' ' ')
	grep -q "^SUCCESS$" <<<"$OUT" || echo "  $1: the guest (status $ST): $(tr '\n' ' ' <<<"$OUT"); the peer: $PEER"
}

frames=$((BURST + 1))
big=$((MTU + 14))
# expect LABEL RING-ENTRIES: the checks common to every run.
expect() {
	check "$1: the guest sends $frames frames and reads a $big-byte answer" \
		bash -c '[ "$2" -eq 0 ] && grep -q "^answer of $3 bytes$" <<<"$1" && grep -q "^SUCCESS$" <<<"$1"' _ "$OUT" "$ST" $big
	check "$1: the guest published $2 ring entries for its $frames frames" \
		grep -q "^ring entries $2 for $frames frames$" <<<"$OUT"
	check "$1: the host got all $frames frames in order, the largest of $big bytes" \
		grep -q "^GOT $frames in order largest $big $" <<<"$PEER"
}

tender=$ROOT/build/stage/bin/riad-hvt
run riad-hvt "$tender" "$WORK/suite/netring/dist/netring.hvt"
check "riad-hvt offers the ring" grep -q "^ring offered at 0x" <<<"$OUT"
expect "riad-hvt, ring" $frames
run "riad-hvt, hypercalls" "$tender" "$WORK/suite/netring-hc/dist/netring-hc.hvt"
check "riad-hvt, hypercalls: the ring is offered but left alone" grep -q "^ring offered at 0x" <<<"$OUT"
expect "riad-hvt, hypercalls" 0

if [ -n "${RIAD_SOLO5_TENDERS:-}" ] && [ -x "$RIAD_SOLO5_TENDERS/solo5-hvt" ]; then
	run solo5-hvt "$RIAD_SOLO5_TENDERS/solo5-hvt" "$WORK/suite/netring/dist/netring.hvt"
	check "solo5-hvt offers the ring" grep -q "^ring offered at 0x" <<<"$OUT"
	expect "solo5-hvt, ring" $frames
else
	skip "the net ring on solo5-hvt (RIAD_SOLO5_TENDERS names no solo5-hvt)"
fi
