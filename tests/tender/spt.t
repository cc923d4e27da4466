# tests/tender/spt.t: runs the hand-made guests (tests/tender/guest_*.S) under riad-spt: output, exit statuses, sandbox kills and the tender's refusals.
cd "$(dirname "$0")/../.."
spt=build/stage/bin/riad-spt
g=build/tests/tender/guests
if [ ! -x "$spt" ] || [ ! -f "$g/hello.spt" ]; then
	echo "FAIL: spt: $spt or the guests are not built (make check builds them)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

suite=spt
. tests/tender/lib.sh

# Guests that run.
run hello 0 "=hello" -- $spt $g/hello.spt
run "forbidden syscall dies of SIGSYS" 159 "" -- $spt $g/dup.spt
run "write to text dies of SIGSEGV" 139 "" -- $spt $g/wtext.spt
run "command line and exit status" 7 "=a b  c d" -- $spt $g/cmdline.spt a "b " "c d"
run "-- before KERNEL" 7 "=--x" -- $spt --mem=4 -- $g/cmdline.spt --x
run "small memory" 0 "=hello" -- $spt --mem=2 $g/hello.spt

# The allowlist, one system call at a time (tests/tender/guest_sys.S).
run "allowed: clock_gettime(MONOTONIC)" 0 "" -- $spt $g/sys.spt 1
run "allowed: clock_gettime(REALTIME)" 0 "" -- $spt $g/sys.spt 2
run "allowed: arch_prctl(ARCH_SET_FS)" 0 "" -- $spt $g/sys.spt 4
run "allowed: epoll_pwait on the epoll fd" 0 "" -- $spt $g/sys.spt 6
run "allowed: timerfd_settime on the timer fd" 0 "" -- $spt $g/sys.spt 8
run "killed: write to fd 2" 159 "" -- $spt $g/sys.spt 0
run "killed: clock_gettime(PROCESS_CPUTIME_ID)" 159 "" -- $spt $g/sys.spt 3
run "killed: arch_prctl(ARCH_GET_FS)" 159 "" -- $spt $g/sys.spt 5
run "killed: epoll_pwait on fd 0" 159 "" -- $spt $g/sys.spt 7
run "killed: timerfd_settime on another fd" 159 "" -- $spt $g/sys.spt 9
run "killed: read from stdin" 159 "" -- $spt $g/sys.spt r

# Block: the last block is readable, one past it is a seccomp kill.
head -c 1536 /dev/zero >"$tmp/disk"
printf 'LASTBLOCKDATA!!!' >>"$tmp/disk"
head -c 496 /dev/zero >>"$tmp/disk"
run "block read, then past the end" 159 "=LASTBLOCKDATA!!!" -- $spt --block:storage="$tmp/disk" $g/block.spt
head -c 4096 /dev/zero >"$tmp/disk4k"
printf 'SECTOR4096BLOCK!' >>"$tmp/disk4k"
head -c 4080 /dev/zero >>"$tmp/disk4k"
run "block with 4096-byte sectors" 159 "=SECTOR4096BLOCK!" -- $spt --block-sector-size:storage=4096 --block:storage="$tmp/disk4k" $g/block.spt

# Net on a passed-in descriptor (a FIFO: the frame comes back); MTU 1500 -> status 220.
mkfifo "$tmp/fifo"
exec 5<>"$tmp/fifo"
run "net on @FD" 220 "=NETFRAMEDATA1234" -- $spt --net:service=@5 --net-mac:service=02:00:00:00:00:01 $g/net.spt
exec 5>&-

# Net on a real tap with MTU 9000 (status 9000 mod 256 = 40), in a private network namespace.
if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
	run "net on a tap with MTU 9000" 40 "" -- unshare -n sh -c \
		"ip tuntap add riadt0 mode tap && ip link set riadt0 mtu 9000 up && $spt --net:service=riadt0 $g/net.spt"
	run "tap that is down" 1 "interface 'riadt0' is down" -- unshare -n sh -c \
		"ip tuntap add riadt0 mode tap && $spt --net:service=riadt0 $g/net.spt"
else
	echo "SKIP: spt: net on a tap (needs unshare -n and ip)"
fi
run "tap that does not exist" 1 "interface 'riadnosuch0' does not exist" -- $spt --net:service=riadnosuch0 $g/net.spt

# The tender refuses.
run "declared but not attached" 1 "riad-spt: Device 'storage' of type BLOCK_BASIC declared but not attached" -- $spt $g/block.spt
run "not declared" 1 "Resource not declared in manifest: 'other'" -- $spt --block:other="$tmp/disk" $g/block.spt
run "wrong device type" 1 "Resource not declared in manifest: 'storage' (--net:storage=tap0: no NET_BASIC" -- $spt --net:storage=tap0 $g/block.spt
run "sector size 521" 1 "sector size 521 must be a power of two" -- $spt --block-sector-size:storage=521 --block:storage="$tmp/disk" $g/block.spt
run "sector size 256" 1 "sector size 256 must be a power of two" -- $spt --block-sector-size:storage=256 --block:storage="$tmp/disk" $g/block.spt
run "sector size 65536" 1 "sector size 65536 must be a power of two" -- $spt --block-sector-size:storage=65536 --block:storage="$tmp/disk" $g/block.spt
run "disk smaller than a sector" 1 "must be block aligned" -- $spt --block-sector-size:storage=4096 --block:storage="$tmp/disk" $g/block.spt
head -c 1000 /dev/zero >"$tmp/odd"
run "disk not block aligned" 1 "Backing storage size must be block aligned (512 bytes); it is 1000 bytes" -- $spt --block:storage="$tmp/odd" $g/block.spt
: >"$tmp/empty"
run "empty disk" 1 "must be at least 1 block" -- $spt --block:storage="$tmp/empty" $g/block.spt
run "missing disk" 1 "Could not open block device: " -- $spt --block:storage="$tmp/none" $g/block.spt
run "bad MAC" 1 "is not a MAC address" -- $spt --net:service=@1 --net-mac:service=zz:00:00:00:00:00 $g/net.spt
run "interface name too long" 1 "at most 15" -- $spt --net:service=abcdefghijklmnop $g/net.spt
run "hvt guest" 1 "executable is not for the spt target" -- $spt $g/hvt.spt
run "ABI version 1" 1 "requests unsupported ABI version 1" -- $spt $g/abi1.spt
run "memory below the entry point" 1 "outside guest memory [0x100000, 0x100000)" -- $spt --mem=1 $g/hello.spt
run "bad --mem" 1 "--mem=0: must be at least 1 MiB" -- $spt --mem=0 $g/hello.spt
run "huge --mem" 1 "does not fit below the tender" -- $spt --mem=17592186044415 $g/hello.spt
head -c 100 $g/hello.spt >"$tmp/truncated"
run "truncated executable" 1 "program headers" -- $spt "$tmp/truncated"
printf 'not an elf file at all, just some text that is long enough to be read as a header\n' >"$tmp/text"
run "not an ELF file" 1 "not an ELF file" -- $spt "$tmp/text"
run "missing executable" 1 "cannot open" -- $spt "$tmp/none.spt"
run "directory as executable" 1 "not a regular file" -- $spt "$tmp"
run "missing KERNEL" 1 "missing KERNEL operand" -- $spt --mem=4
run "invalid option" 1 "invalid option '--bogus'" -- $spt --bogus $g/hello.spt
run "--help" 0 "--block-sector-size:NAME=N" -- $spt --help
run "--version" 0 "ABI version 2" -- $spt --version

# A guest is not a host program: its PT_INTERP does not exist.
run "guest does not run on the host" 127 "" -- $g/hello.spt
