# tests/tender/dumpcore.t: riad-hvt --dumpcore[=DIR] on the hand-made guest tests/tender/hvt_abort.S: a core on abort, on an abort with a trap frame and on a fault of the guest (ELF header, one NT_PRSTATUS, a PT_LOAD of all guest memory holding the guest's .rodata, registers as gdb sees them), none on a normal exit or without the option, and the errors: a missing directory at start-up, a failed write at the end.
cd "$(dirname "$0")/../.."
hvt=build/stage/bin/riad-hvt
g=build/tests/tender/hvt/abort.hvt
if [ ! -x "$hvt" ] || [ ! -f "$g" ]; then
	echo "FAIL: dumpcore: $hvt or $g is not built (make check builds them)"
	exit 1
fi
if [ ! -e /dev/kvm ] || ! { : <>/dev/kvm; } 2>/dev/null; then
	echo "SKIP: dumpcore: all tests (no usable /dev/kvm on this host)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS: dumpcore: $*"; }
fail() { echo "FAIL: dumpcore: $*"; }
mem=32 # MiB: the PT_LOAD must be exactly this

# hex N: N (0x...) in decimal.
hex() { printf '%d' "$1"; }

# dump NAME LETTER WANT_STATUS: runs the guest with --dumpcore=$tmp/NAME;
# sets $core to the one core file it wrote (or empty) and $out.
dump() {
	local name=$1 letter=$2 want=$3 status n
	mkdir -p "$tmp/$name"
	out=$("$hvt" --mem=$mem --dumpcore="$tmp/$name" "$g" "$letter" 2>&1)
	status=$?
	n=$(find "$tmp/$name" -name 'core.riad-hvt.*' | wc -l)
	core=$(find "$tmp/$name" -name 'core.riad-hvt.*' | head -n 1)
	if [ "$status" -ne "$want" ]; then
		fail "$name: status $status, expected $want; output: $out"
	elif [ "$n" -ne 1 ]; then
		fail "$name: $n core files, expected 1; output: $out"
		core=
	elif [ "$(printf '%s\n' "$out" | grep -c '^riad-hvt: core dumped to ')" -ne 1 ] ||
		! grep -qxF "riad-hvt: core dumped to $core" <<<"$out"; then
		fail "$name: no line 'riad-hvt: core dumped to $core'; output: $out"
		core=
	else
		pass "$name: exit status $want and one line naming the core"
	fi
}

# The guest's .text and .rodata: name, address, file offset, size (hex).
section() { readelf -SW "$g" | sed 's/^ *\[ *[0-9]*\]//' | awk -v s="$1" '$1 == s { print $3, $4, $5 }'; }
read -r text_addr _ text_size <<<"$(section .text)"
read -r ro_addr ro_off ro_size <<<"$(section .rodata)"
text_lo=$(hex "0x$text_addr")
text_hi=$((text_lo + $(hex "0x$text_size")))
trap_site=$(hex "0x$(nm "$g" | awk '$3 == "trap_site" { print $1 }')")
if [ "$(hex "0x${text_size:-0}")" -eq 0 ] || [ "$(hex "0x${ro_size:-0}")" -eq 0 ] || [ "$trap_site" -eq 0 ]; then
	echo "FAIL: dumpcore: cannot read $g's .text, .rodata or trap_site"
	exit 1
fi

# check_core NAME: the core's ELF header, notes, segments and memory.
check_core() {
	local name=$1 load off
	if readelf -h "$core" | grep -q 'Type:[[:space:]]*CORE' &&
		readelf -h "$core" | grep -q 'Machine:[[:space:]]*Advanced Micro Devices X86-64'; then
		pass "$name: ELF header: ET_CORE, x86-64"
	else
		fail "$name: ELF header: $(readelf -h "$core" 2>&1 | grep -E 'Type|Machine')"
	fi
	if [ "$(readelf -n "$core" | grep -c NT_PRSTATUS)" -eq 1 ] &&
		[ "$(readelf -n "$core" | grep -c 'NT_')" -eq 1 ]; then
		pass "$name: one note, NT_PRSTATUS"
	else
		fail "$name: notes: $(readelf -n "$core" 2>&1)"
	fi
	# LOAD Offset VirtAddr PhysAddr FileSiz MemSiz Flags Align
	load=$(readelf -lW "$core" | awk '$1 == "LOAD"')
	read -r _ off vaddr paddr _ memsz _ <<<"$load"
	if [ "$(readelf -lW "$core" | grep -c '^ *LOAD')" -eq 1 ] && [ "$(hex "$vaddr")" -eq 0 ] &&
		[ "$(hex "$paddr")" -eq 0 ] && [ "$(hex "$memsz")" -eq $((mem << 20)) ]; then
		pass "$name: one PT_LOAD of all $mem MiB of guest memory at address 0"
	else
		fail "$name: segments: $(readelf -lW "$core" 2>&1)"
	fi
	# The guest's .rodata, read from the core at its address, is the ELF's.
	if cmp -s <(tail -c +$(($(hex "$off") + $(hex "0x$ro_addr") + 1)) "$core" | head -c "$(hex "0x$ro_size")") \
		<(tail -c +$(($(hex "0x$ro_off") + 1)) "$g" | head -c "$(hex "0x$ro_size")") &&
		grep -q 'dumpcore test pattern' "$core"; then
		pass "$name: guest memory at .rodata holds the guest's .rodata"
	else
		fail "$name: guest memory at .rodata differs from the guest's .rodata"
	fi
}

# check_gdb NAME WANT: rip as gdb reads it from the core: 'text' (inside
# the guest's .text) or an exact address; rbx as the guest set it.
check_gdb() {
	local name=$1 want=$2 regs rip rbx
	if ! command -v gdb >/dev/null; then
		echo "SKIP: dumpcore: $name: gdb's view of the registers (gdb is not installed)"
		return
	fi
	regs=$(gdb -nx -batch -ex 'info registers rip rbx' "$g" "$core" 2>&1)
	rip=$(awk '$1 == "rip" { print $2 }' <<<"$regs")
	rbx=$(awk '$1 == "rbx" { print $2 }' <<<"$regs")
	if [ -z "$rip" ] || [ "$rbx" != 0x1122334455667788 ]; then
		fail "$name: gdb: $regs"
	elif [ "$want" = text ] && { [ "$(hex "$rip")" -lt "$text_lo" ] || [ "$(hex "$rip")" -ge "$text_hi" ]; }; then
		fail "$name: gdb: rip $rip outside .text [$text_lo, $text_hi)"
	elif [ "$want" != text ] && [ "$(hex "$rip")" -ne "$want" ]; then
		fail "$name: gdb: rip $rip, expected $(printf 0x%x "$want")"
	else
		pass "$name: gdb reads rip ($rip, $want) and rbx from the core"
	fi
}

dump abort a 255
[ -z "$core" ] || { check_core abort; check_gdb abort text; }
dump "abort with a trap frame" c 255
[ -z "$core" ] || check_gdb "abort with a trap frame" "$trap_site"
dump "triple fault" t 1
if [ -n "$core" ] && grep -q '^riad-hvt: guest shut down' <<<"$out"; then
	pass "triple fault: the fault's line, then the core's"
	check_core "triple fault"
	check_gdb "triple fault" text
elif [ -n "$core" ]; then
	fail "triple fault: no 'guest shut down' line: $out"
fi

# --dumpcore alone: the current directory.
mkdir "$tmp/cwd"
out=$(cd "$tmp/cwd" && "$OLDPWD/$hvt" --mem=$mem --dumpcore "$OLDPWD/$g" a 2>&1)
if ls "$tmp/cwd"/core.riad-hvt.* >/dev/null 2>&1 && grep -q '^riad-hvt: core dumped to \./core\.riad-hvt\.' <<<"$out"; then
	pass "--dumpcore without DIR: the current directory"
else
	fail "--dumpcore without DIR: $(ls "$tmp/cwd"); output: $out"
fi

# No core: without --dumpcore, and on a normal exit.
mkdir "$tmp/none"
out=$(cd "$tmp/none" && "$OLDPWD/$hvt" --mem=$mem "$OLDPWD/$g" a 2>&1)
status=$?
if [ "$status" -eq 255 ] && [ -z "$(ls -A "$tmp/none")" ] && [ -z "$out" ]; then
	pass "without --dumpcore: status 255, no core, no line"
else
	fail "without --dumpcore: status $status, files: $(ls -A "$tmp/none"), output: $out"
fi
mkdir "$tmp/normal"
out=$("$hvt" --mem=$mem --dumpcore="$tmp/normal" "$g" x 2>&1)
status=$?
if [ "$status" -eq 0 ] && [ -z "$(ls -A "$tmp/normal")" ] && [ -z "$out" ]; then
	pass "normal exit: status 0, no core, no line"
else
	fail "normal exit: status $status, files: $(ls -A "$tmp/normal"), output: $out"
fi

# A directory that is not there: one line at start-up, before the guest.
out=$("$hvt" --mem=$mem --dumpcore="$tmp/nosuch" "$g" x 2>&1)
status=$?
if [ "$status" -eq 1 ] && [ "$out" = "riad-hvt: --dumpcore=$tmp/nosuch: cannot open the directory: No such file or directory" ]; then
	pass "missing directory: one line at start-up, status 1"
else
	fail "missing directory: status $status, output: $out"
fi
out=$("$hvt" --mem=$mem --dumpcore= "$g" x 2>&1)
status=$?
if [ "$status" -eq 1 ] && [ "$out" = "riad-hvt: --dumpcore=: missing DIR" ]; then
	pass "--dumpcore= with no DIR refused"
else
	fail "--dumpcore=: status $status, output: $out"
fi

# The directory goes away while the guest runs: the write fails, one line,
# the guest's status stands. Meanwhile: the sandbox is in force, and the
# core writer is a second process.
mkdir "$tmp/gone"
"$hvt" --mem=$mem --dumpcore="$tmp/gone" "$g" w >"$tmp/out" 2>&1 &
pid=$!
for i in $(seq 100); do
	grep -q running "$tmp/out" && break
	sleep 0.02
done
grep '^Seccomp:' /proc/$pid/status >"$tmp/seccomp"
writer=$(cat /proc/$pid/task/*/children 2>/dev/null)
rmdir "$tmp/gone"
wait $pid
status=$?
out=$(grep -v '^running$' "$tmp/out")
if [ "$status" -eq 255 ] && [ "$out" = "riad-hvt: cannot write a core to $tmp/gone/core.riad-hvt.$pid: create: No such file or directory" ]; then
	pass "failed write: one line, the guest's status 255"
else
	fail "failed write: status $status, output: $out"
fi
if grep -q '^Seccomp:[[:space:]]*2$' "$tmp/seccomp"; then
	pass "seccomp filter in force with --dumpcore"
else
	fail "seccomp filter in force with --dumpcore: $(cat "$tmp/seccomp")"
fi
if [ -n "$writer" ]; then
	for i in $(seq 50); do
		[ -e "/proc/$writer" ] || break
		sleep 0.02
	done
	if [ -e "/proc/$writer" ]; then
		fail "the core writer ($writer) outlives the tender"
	else
		pass "the core writer ends with the tender"
	fi
else
	fail "no core writer process seen (children: '$writer')"
fi

if "$hvt" --help | grep -q -- '--dumpcore\[=DIR\]'; then
	pass "--help lists --dumpcore"
else
	fail "--help lists --dumpcore"
fi
