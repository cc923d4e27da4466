# tests/tender/hvt.t: runs the hand-made hvt guests (tests/tender/hvt_*.S) under riad-hvt: output, exit statuses, refused guest accesses, faults, signals, the sandbox, block and net devices, the net ring, and the tender's refusals.
cd "$(dirname "$0")/../.."
hvt=build/stage/bin/riad-hvt
g=build/tests/tender/hvt
if [ ! -x "$hvt" ] || [ ! -f "$g/hello.hvt" ]; then
	echo "FAIL: hvt: $hvt or the guests are not built (make check builds them)"
	exit 1
fi
if [ ! -e /dev/kvm ]; then
	echo "SKIP: hvt: all tests (no /dev/kvm on this host)"
	exit 0
fi
if ! { : <>/dev/kvm; } 2>/dev/null; then
	echo "SKIP: hvt: all tests (cannot open /dev/kvm read-write)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

suite=hvt
. tests/tender/lib.sh

# fatal NAME TEXT -- COMMAND...: the tender ends the guest with status 1 and
# one line "riad-hvt: ...TEXT...".
fatal() {
	local name=$1 text=$2 out status
	shift 3
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" -ne 1 ]; then
		echo "FAIL: hvt: $name: status $status, expected 1; output: $out"
	elif [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] || [ "${out#riad-hvt: }" = "$out" ]; then
		echo "FAIL: hvt: $name: expected one line 'riad-hvt: ...', got: $out"
	elif [ "${out#*"$text"}" = "$out" ]; then
		echo "FAIL: hvt: $name: output '$out' lacks '$text'"
	else
		echo "PASS: hvt: $name"
	fi
}

# Guests that run.
run hello 0 "=hello" -- $hvt $g/hello.hvt
run "command line and exit status" 7 "=a b  c d" -- $hvt $g/cmdline.hvt a "b " "c d"
run "-- before KERNEL" 7 "=--x" -- $hvt --mem=4 -- $g/cmdline.hvt --x
long=$(head -c 8191 /dev/zero | tr '\0' x)
run "command line of 8191 characters" 7 "=$long" -- $hvt $g/cmdline.hvt "$long"
run "command line of 8192 characters" 1 "guest command line too long (at most 8191 characters)" -- \
	$hvt $g/cmdline.hvt "${long}y"
run "registers and boot info (512 MiB)" 0 "=boot ok" -- $hvt $g/boot.hvt
run "--mem=100" 100 "=boot ok" -- $hvt --mem=100 $g/boot.hvt
run "--mem=2, the smallest" 2 "=boot ok" -- $hvt --mem=2 $g/boot.hvt
run "--mem=4096, the largest" 0 "=boot ok" -- $hvt --mem=4096 $g/boot.hvt
run "--mem=5 is rounded down to 4 MiB" 4 "riad-hvt: warning: --mem=5 rounded down to 4 MiB" -- \
	$hvt --mem=5 $g/boot.hvt
run "wall clock and POLL timeouts" 0 "=time ok" -- $hvt $g/time.hvt
run "ENTROPY: offered, filled, fresh" 0 "=entropy ok" -- $hvt $g/entropy.hvt
fatal "ENTROPY of 257 bytes" "Invalid guest ENTROPY request: 257 bytes (at most 256)" -- $hvt $g/entropy.hvt x
fatal "ENTROPY into the boot info" "Invalid guest access: ENTROPY data: gpa=0x10000 len=0x8 covers guest memory that is read-only" -- $hvt $g/entropy.hvt y
run "the last bytes of memory are the guest's" 0 "=edge!" -- $hvt $g/bad.hvt n
run "HALT with a 512-byte cookie at the top" 255 "" -- $hvt $g/bad.hvt p

# Hypercalls with bad addresses end the guest, never the tender's memory.
fatal "PUTS data [mem-1, mem+1)" "Invalid guest access: PUTS data: gpa=0x1fffffff len=0x2" -- $hvt $g/bad.hvt a
fatal "PUTS len 2^64-1" "Invalid guest access: PUTS data: gpa=0x102000 len=0xffffffffffffffff" -- $hvt $g/bad.hvt b
fatal "PUTS data wrapping around" "Invalid guest access: PUTS data: gpa=0xfffffffffffffff0 len=0x20" -- $hvt $g/bad.hvt c
fatal "struct across the end of memory" "Invalid guest access: PUTS struct: gpa=0x1ffffff8" -- $hvt $g/bad.hvt d
fatal "struct beyond memory" "Invalid guest access: PUTS struct: gpa=0xfffffff0" -- $hvt $g/bad.hvt e
fatal "HALT cookie shorter than 512 bytes" "Invalid guest access: HALT cookie" -- $hvt $g/bad.hvt f
fatal "WALLTIME into read-only data" "Invalid guest access: WALLTIME struct: gpa=0x101" -- $hvt $g/bad.hvt g
fatal "WALLTIME into the boot info" "Invalid guest access: WALLTIME struct: gpa=0x10000 len=0x8 covers guest memory that is read-only" -- $hvt $g/bad.hvt h
fatal "WALLTIME into text" "covers guest memory that is read-only" -- $hvt $g/bad.hvt o
fatal "empty PUTS at the end of memory" "Invalid guest access: PUTS data: gpa=0x20000000 len=0x0" -- $hvt $g/bad.hvt m
fatal "hypercall 0" "Invalid guest hypercall: 0 (port 0x500)" -- $hvt $g/bad.hvt i
fatal "port 0x509" "Invalid guest port access: 4-byte out on port 0x509" -- $hvt $g/bad.hvt j
fatal "in from a hypercall port" "Invalid guest port access: 4-byte in on port 0x502" -- $hvt $g/bad.hvt k
fatal "byte out to a hypercall port" "Invalid guest port access: 1-byte out on port 0x502" -- $hvt $g/bad.hvt l

# Faults of the guest end the tender with a message.
fatal "hlt" "guest executed hlt" -- $hvt $g/fault.hvt h
fatal "write to read-only data" "guest wrote to read-only memory at gpa 0x101" -- $hvt $g/fault.hvt r
fatal "write to text" "guest wrote to read-only memory at gpa 0x1000" -- $hvt $g/fault.hvt t
fatal "write to the boot info (no IDT)" "guest shut down" -- $hvt $g/fault.hvt b
fatal "read of the zero page" "guest shut down" -- $hvt $g/fault.hvt z
fatal "read beyond memory" "guest shut down" -- $hvt $g/fault.hvt u

# Signals, and the sandbox of a running guest.
spin() { # spin LETTER SIGNAL: start the guest, look at it, signal it
	$hvt $g/fault.hvt "$1" >"$tmp/out" 2>&1 &
	local pid=$! i
	for i in $(seq 100); do
		grep -q running "$tmp/out" && break
		sleep 0.05
	done
	grep '^Seccomp' /proc/$pid/status >"$tmp/seccomp"
	kill -"$2" $pid
	wait $pid
}
spin s TERM
status=$?
if [ "$status" -eq 1 ] && grep -q '^riad-hvt: Exiting on signal 15$' "$tmp/out"; then
	echo "PASS: hvt: SIGTERM while the guest runs"
else
	echo "FAIL: hvt: SIGTERM while the guest runs: status $status, output: $(cat "$tmp/out")"
fi
if grep -q '^Seccomp:[[:space:]]*2$' "$tmp/seccomp"; then
	echo "PASS: hvt: seccomp filter in force while the guest runs"
else
	echo "FAIL: hvt: seccomp filter in force while the guest runs: $(cat "$tmp/seccomp")"
fi
spin p INT
status=$?
if [ "$status" -eq 1 ] && grep -q '^riad-hvt: Exiting on signal 2$' "$tmp/out"; then
	echo "PASS: hvt: SIGINT while the guest waits in POLL"
else
	echo "FAIL: hvt: SIGINT while the guest waits in POLL: status $status, output: $(cat "$tmp/out")"
fi

# Block: block 0 read, the last block written and read back, requests past
# the end refused.
{ printf 'FIRSTBLOCKDATA!!'; head -c 2032 /dev/zero; } >"$tmp/disk"
run "block round trip, out-of-range requests refused" 0 "=FIRSTBLOCKDATA!!
block ok" -- $hvt --block:storage="$tmp/disk" $g/block.hvt
if [ "$(tail -c 512 "$tmp/disk" | head -c 16)" = "RIADWROTETHIS!!" ]; then
	echo "PASS: hvt: block write reached the file"
else
	echo "FAIL: hvt: block write reached the file: last block starts with '$(tail -c 512 "$tmp/disk" | head -c 16)'"
fi
{ printf 'FIRST4096BLOCK!!'; head -c 8176 /dev/zero; } >"$tmp/disk4k"
run "block with 4096-byte sectors" 0 "=FIRST4096BLOCK!!
block ok" -- $hvt --block-sector-size:storage=4096 --block:storage="$tmp/disk4k" $g/block.hvt
fatal "BLOCK_READ into read-only data" "Invalid guest access: BLOCK_READ data" -- \
	$hvt --block:storage="$tmp/disk" $g/block.hvt x
fatal "BLOCK_WRITE from beyond memory" "Invalid guest access: BLOCK_WRITE data: gpa=0x1fffff00 len=0x200" -- \
	$hvt --block:storage="$tmp/disk" $g/block.hvt y

# Net through the hypercalls and through the ring, on a passed-in FIFO (the
# frame comes back; the MTU is 1500, so the status is 220).
mkfifo "$tmp/fifo"
exec 5<>"$tmp/fifo"
run "net hypercalls on @FD" 220 "=NETFRAMEDATA1234
net ok" -- $hvt --net:service=@5 --net-mac:service=02:00:00:00:00:01 $g/net.hvt
run "net ring on @FD" 0 "=RINGFRAMEDATA123
ring ok" -- $hvt --net:service=@5 $g/ring.hvt
fatal "ring entry with a bad address" "Invalid guest access: ring NET_WRITE data: gpa=0xfffffffffffffff8" -- \
	$hvt --net:service=@5 $g/ring.hvt x
fatal "ring tail far ahead of its head" "Invalid guest ring state" -- $hvt --net:service=@5 $g/ring.hvt y
exec 5>&-

# On a real tap, in a namespace of the test's own: the kernel refuses a
# runt frame, or a frame behind a virtio-net header it cannot take
# (EINVAL), which the guest gets as EINVAL, the tender running on.
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
	echo "SKIP: hvt: runt frames and refused headers on a real tap (needs root and /dev/net/tun)"
else
	ns=riad-hvtt-$$
	ip netns add "$ns"
	ip netns exec "$ns" ip tuntap add dev riadrunt0 mode tap
	ip netns exec "$ns" ip link set riadrunt0 up
	run "a runt frame on a tap: EINVAL to the guest" 0 "=runt refused" -- \
		ip netns exec "$ns" $hvt --net:service=riadrunt0 $g/net.hvt r
	run "a header the tap refuses (riad's net extension): EINVAL to the guest" 0 "=vnet ok" -- \
		ip netns exec "$ns" $hvt --net:service=riadrunt0 $g/vnet.hvt
	run "the same guest under --net-offload=off: not granted (70)" 70 "" -- \
		ip netns exec "$ns" $hvt --net-offload=off --net:service=riadrunt0 $g/vnet.hvt
	ip netns del "$ns"
fi

# The tender refuses.
run "spt guest" 1 "riad-hvt: $g/spt.hvt: executable is not for the hvt target" -- $hvt $g/spt.hvt
run "ABI version 1" 1 "requests unsupported ABI version 1" -- $hvt $g/abi1.hvt
run "declared but not attached" 1 "riad-hvt: Device 'storage' of type BLOCK_BASIC declared but not attached" -- \
	$hvt $g/block.hvt
run "not declared" 1 "Resource not declared in manifest: 'other'" -- \
	$hvt --block:other="$tmp/disk" $g/block.hvt
run "net device not attached" 1 "Device 'service' of type NET_BASIC declared but not attached" -- $hvt $g/net.hvt
run "tap that does not exist" 1 "interface 'riadnosuch0' does not exist" -- $hvt --net:service=riadnosuch0 $g/net.hvt
run "--mem=1" 1 "riad-hvt: --mem=1: at least 2 MiB" -- $hvt --mem=1 $g/hello.hvt
run "--mem=4097" 1 "riad-hvt: --mem=4097: at most 4096 MiB" -- $hvt --mem=4097 $g/hello.hvt
run "--mem=0" 1 "--mem=0: must be at least 1 MiB" -- $hvt --mem=0 $g/hello.hvt
head -c 100 $g/hello.hvt >"$tmp/truncated"
run "truncated executable" 1 "program headers" -- $hvt "$tmp/truncated"
run "missing executable" 1 "cannot open" -- $hvt "$tmp/none.hvt"
run "missing KERNEL" 1 "missing KERNEL operand" -- $hvt --mem=4
run "invalid option" 1 "invalid option '--bogus'" -- $hvt --bogus $g/hello.hvt
run "--help" 0 "usage: riad-hvt" -- $hvt --help
run "--version" 0 "ABI version 2" -- $hvt --version

# A guest is not a host program: its PT_INTERP does not exist.
run "guest does not run on the host" 127 "" -- $g/hello.hvt
