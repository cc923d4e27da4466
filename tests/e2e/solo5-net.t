# tests/e2e/solo5-net.t: the net device of the spt and hvt bindings against
# the Linux kernel: tests/solo5/net sends a frame on a tap and waits in
# solo5_yield for the answer that a python3 AF_PACKET socket on the tap
# sends back; the MAC given with --net-mac and the tap's MTU reach the
# guest. Everything lives in a network namespace made and deleted here.
# Needs root, /dev/net/tun and ip(8); RIAD_SOLO5_TENDERS as in
# solo5-suite.t adds Solo5's tenders.
source "$(dirname "$0")/lib.sh"

why=""
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v ip >/dev/null || ! command -v python3 >/dev/null; then why="needs ip and python3"
elif ! ip netns add "riad-s5probe-$$" 2>/dev/null; then why="cannot create a network namespace"
fi
ip netns del "riad-s5probe-$$" 2>/dev/null
if [ -n "$why" ]; then
	skip "the solo5 net device tests ($why)"
	exit 0
fi

NS=riad-s5net-$$
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$WORK"' EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" tuntap add dev rs5tap mode tap
ip -n "$NS" link set rs5tap mtu 1400
ip -n "$NS" link set rs5tap up

cat >"$WORK/peer.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.bind((sys.argv[1], 0))
s.settimeout(30)
print("READY", flush=True)
# Answer every ping (the guest pings again every 500 ms until it has an
# answer); after the first answer, stop once no ping came for 2 s.
answered = False
while True:
    try:
        f = s.recv(65536)
    except socket.timeout:
        break
    if f[12:14] == b"\x88\xb5" and f[14:23] == b"riad ping":
        reply = f[6:12] + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" + b"riad pong"
        s.send(reply + bytes(64 - len(reply)))
        if not answered:
            print("PONG", f[6:12].hex(":"), flush=True)
        else:
            print("PONG again", flush=True)
        answered = True
        s.settimeout(2)
sys.exit(0 if answered else 1)
PY

cp -R "$ROOT/tests/solo5" "$WORK/suite"
tender_sets=("riad:$ROOT/build/stage/bin/riad-")
[ -z "${RIAD_SOLO5_TENDERS:-}" ] || tender_sets+=("solo5:$RIAD_SOLO5_TENDERS/solo5-")

for t in spt hvt; do
	st=$("$RIAD" targets | awk -v t="$t" '$1 == t { $1 = ""; sub(/^ /, ""); print }')
	case "$st" in
	ok*) ;;
	*) skip "the net device on $t ($t: ${st:-not listed})"; continue ;;
	esac
	run_capture out st "$RIAD" build -t "$t" -C "$WORK/suite/net"
	check "tests/solo5/net builds for $t with a NET_BASIC device" \
		bash -c '[ "$2" -eq 0 ] && grep -q "devices: service0 (NET)" <<<"$1"' _ "$out" "$st"
	for set in "${tender_sets[@]}"; do
		label=${set%%:*}
		tender=${set#*:}$t
		[ -x "$tender" ] || { skip "net on $label-$t (no $tender)"; continue; }
		ip netns exec "$NS" python3 "$WORK/peer.py" rs5tap >"$WORK/peer.out" 2>&1 &
		peer=$!
		for _ in $(seq 50); do
			! grep -q READY "$WORK/peer.out" || break
			sleep 0.1
		done
		run_capture out st timeout 60 ip netns exec "$NS" "$tender" --mem=32 \
			--net:service0=rs5tap --net-mac:service0=02:00:00:00:00:aa \
			"$WORK/suite/net/dist/net.$t"
		wait "$peer" || echo "  the peer: $(tr '\n' ' ' <"$WORK/peer.out")"
		grep -q "^SUCCESS$" <<<"$out" || echo "  the guest (status $st): $(tr '\n' ' ' <<<"$out")"
		check "net on $label-$t: the frame goes out and the answer comes back through solo5_yield" \
			bash -c '[ "$2" -eq 0 ] && grep -q "^SUCCESS$" <<<"$1"' _ "$out" "$st"
		check "net on $label-$t: --net-mac and the tap's MTU reach the guest" \
			grep -q '^mac 02:00:00:00:00:aa mtu 1400$' <<<"$out"
		check "net on $label-$t: the host saw the guest's MAC" grep -q '^PONG 02:00:00:00:00:aa$' "$WORK/peer.out"
	done
done
