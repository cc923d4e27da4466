# tests/tender/hvt_memspeed.t: guest memory speed under riad-hvt: the memory loop of tests/tender/hvt_memspeed.S in ring 3 and in ring 0 must run within a generous factor of the same loop run as a host program in the same run (the best of three runs each).
#
# The ring-3 loop checks what the tender controls (guest memory mapped and
# cacheable, guest code run by the CPU). Ring 0, where Solo5 guests run, is
# held to the same limit, except on a host that emulates guest ring 0 (such
# as kvm-pvm): there the register-only loop is as slow in ring 0 as the
# memory loop and far slower than in ring 3, so the memory type is not the
# cause, and that check is skipped with the numbers.
cd "$(dirname "$0")/../.."
hvt=build/stage/bin/riad-hvt
guest=build/tests/tender/hvt/memspeed.hvt
src=tests/tender/hvt_memspeed.S
limit=10 # the generous factor, guest over host, per MiB
emulated=50 # ring 0 over ring 3 for the register loop: the host emulates ring 0
runs=3
k0=32 # KiB for each ring-0 loop (slow where ring 0 is emulated)
k3=32768 # KiB for each ring-3 and host loop

if [ ! -x "$hvt" ] || [ ! -f "$guest" ]; then
	echo "FAIL: hvt_memspeed: $hvt or $guest is not built (make build-tests builds them)"
	exit 1
fi
if [ ! -e /dev/kvm ]; then
	echo "SKIP: hvt_memspeed: all tests (no /dev/kvm on this host)"
	exit 0
fi
if ! { : <>/dev/kvm; } 2>/dev/null; then
	echo "SKIP: hvt_memspeed: all tests (cannot open /dev/kvm read-write)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The host baseline: the same loops, built here from the same source.
if ! ${CC:-cc} -DHOST_BASELINE -nostdlib -static -no-pie -Wl,-z,noexecstack \
	-o "$tmp/host" "$src" >"$tmp/cc.out" 2>&1; then
	echo "SKIP: hvt_memspeed: all tests (cannot build the host baseline: $(head -1 "$tmp/cc.out"))"
	exit 0
fi

ok=1
for i in $(seq $runs); do
	"$tmp/host" $k3 >>"$tmp/out" 2>&1 || ok=0
	$hvt "$guest" $k0 $k3 >>"$tmp/out" 2>&1 || ok=0
done
lines=$(grep -cE '^(host|cpl0|cpl3) (mem|alu) [0-9]+ [0-9]+$' "$tmp/out")
if [ $ok -eq 1 ] && [ "$lines" -eq $((runs * 6)) ]; then
	echo "PASS: hvt_memspeed: the guest runs its loops in ring 0 and ring 3 and halts with 0"
else
	echo "FAIL: hvt_memspeed: the guest or the host baseline failed: $(tr '\n' '|' <"$tmp/out")"
	exit 1
fi

# best WHO WHAT: the smallest nanoseconds per MiB over the runs.
best() {
	awk -v who="$1" -v what="$2" '$1 == who && $2 == what {
		v = $4 * 1024 / $3; if (min == "" || v < min) min = v }
		END { printf "%.0f\n", min }' "$tmp/out"
}
host_mem=$(best host mem) host_alu=$(best host alu)
cpl0_mem=$(best cpl0 mem) cpl0_alu=$(best cpl0 alu)
cpl3_mem=$(best cpl3 mem) cpl3_alu=$(best cpl3 alu)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", a / (b > 0 ? b : 1) }'; }
within() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { exit !(a <= f * (b > 0 ? b : 1)) }'; }

r=$(ratio "$cpl3_mem" "$host_mem")
if within "$cpl3_mem" "$host_mem" $limit; then
	echo "PASS: hvt_memspeed: ring-3 memory loop at ${r}x the host's (limit ${limit}x)"
else
	echo "FAIL: hvt_memspeed: ring-3 memory loop at ${r}x the host's (limit ${limit}x):" \
		"$cpl3_mem against $host_mem ns per MiB"
fi
r=$(ratio "$cpl3_alu" "$host_alu")
if within "$cpl3_alu" "$host_alu" $limit; then
	echo "PASS: hvt_memspeed: ring-3 register loop at ${r}x the host's (limit ${limit}x)"
else
	echo "FAIL: hvt_memspeed: ring-3 register loop at ${r}x the host's (limit ${limit}x):" \
		"$cpl3_alu against $host_alu ns per MiB"
fi
r=$(ratio "$cpl0_mem" "$host_mem")
if within "$cpl0_mem" "$host_mem" $limit; then
	echo "PASS: hvt_memspeed: ring-0 memory loop at ${r}x the host's (limit ${limit}x)"
elif ! within "$cpl0_alu" "$cpl3_alu" $emulated; then
	echo "SKIP: hvt_memspeed: ring-0 memory loop at ${r}x the host's (this host emulates" \
		"guest ring 0: the register loop is $(ratio "$cpl0_alu" "$cpl3_alu")x slower there" \
		"than in ring 3)"
else
	echo "FAIL: hvt_memspeed: ring-0 memory loop at ${r}x the host's (limit ${limit}x)," \
		"while its register loop is at $(ratio "$cpl0_alu" "$host_alu")x: $cpl0_mem against" \
		"$host_mem ns per MiB"
fi
