# tests/tender/gdb.t: riad run -t hvt --gdb[=PORT] (riad-hvt's gdb stub) driven by gdb in batch mode on the guest tests/solo5/gdb: a breakpoint on a function, reading an argument and a global, next and stepi, writing a variable, the registers, continuing to the guest's own exit status; a fault stopping in gdb with SIGSEGV at the faulting instruction; Ctrl-C (SIGINT to gdb) stopping a guest that spins in ring 3; detaching; and the errors: a bad --gdb value, a port in use.
source "$(dirname "$0")/../e2e/lib.sh"

hvt=$ROOT/build/stage/bin/riad-hvt
if [ ! -x "$hvt" ] || [ ! -x "$RIAD" ]; then
	fail "gdb: $hvt or $RIAD is not built (make check builds them)"
	exit 1
fi
if ! command -v gdb >/dev/null; then
	fail "gdb: no gdb command (package gdb; tool/install-deps --tests installs it)"
	exit 1
fi
if [ ! -e /dev/kvm ] || ! { : <>/dev/kvm; } 2>/dev/null; then
	skip "gdb: all tests (no usable /dev/kvm on this host)"
	exit 0
fi

cp -R "$ROOT/tests/solo5" "$WORK/suite"
d=$WORK/suite/gdb
if ! "$RIAD" build -t hvt -C "$d" >"$WORK/build.log" 2>&1; then
	sed 's/^/  /' "$WORK/build.log"
	fail "gdb: tests/solo5/gdb builds for hvt"
	exit 1
fi
g=$d/dist/gdb.hvt

# A free port on 127.0.0.1 for each run: nothing else of the suite may
# take it between the check and riad-hvt's bind, but two tests of this
# file never run at once.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start PORT ARGS...: riad run --gdb=PORT in the background; $rpid, output
# in $WORK/run.out, status in $WORK/run.status. Waits for its listening line.
start() {
	local port=$1
	shift
	rm -f "$WORK/run.status"
	( "$RIAD" run -t hvt --mem 32 -C "$d" --gdb="$port" "$@" >"$WORK/run.out" 2>&1
	  echo $? >"$WORK/run.status" ) &
	rpid=$!
	for _ in $(seq 100); do
		grep -q 'waiting for gdb' "$WORK/run.out" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "gdb: riad-hvt did not say it waits for gdb: $(cat "$WORK/run.out")"
	return 1
}

# finish: waits (at most 10 s) for riad run; $rstatus.
finish() {
	for _ in $(seq 100); do
		[ -f "$WORK/run.status" ] && break
		sleep 0.1
	done
	wait "$rpid" 2>/dev/null
	rstatus=$(cat "$WORK/run.status" 2>/dev/null || echo none)
}

# gdbrun PORT CMDS...: gdb in batch mode on the guest, one -ex per CMD;
# output in $out (without gdb's warnings about the missing dynamic linker).
gdbrun() {
	local port=$1 ex=()
	shift
	for c in "$@"; do ex+=(-ex "$c"); done
	out=$(timeout 60 gdb -q -batch -nx -ex "target remote 127.0.0.1:$port" "${ex[@]}" "$g" \
		</dev/null 2>&1 | grep -v '^warning:\|^GDB will\|and track explicitly' || true)
}

# has NAME PATTERN: PASS if gdb's output matches the extended regex.
has() {
	if grep -qE "$2" <<<"$out"; then pass "gdb: $1"; else fail "gdb: $1: no /$2/ in: $out"; fi
}

# 1. A session: breakpoint, argument, global, next, stepi, write, exit.
port=$(free_port)
if start "$port"; then
	gdbrun "$port" 'break gdb_sum' 'continue' 'print/d $rdi' 'next' 'next' 'next' 'next' \
		'print gdb_counter' 'stepi' 'info registers rip cs' 'print $pc == $rip' \
		'set var gdb_counter = 99' 'print gdb_counter' 'delete' 'continue'
	finish
	has "starts halted at the guest's entry point _start" '^_start \(\)'
	has "breakpoint on gdb_sum is hit" '^Breakpoint 1, gdb_sum \(n=(n@entry=)?10\)'
	has "reads the argument register (\$rdi = 10)" '^\$1 = 10$'
	has "next steps over lines; the global reads 1 after the first iteration" '^\$2 = 1$'
	has "the registers: ring 3 (cs 0x33) after stepi" '^cs +0x33 +51'
	has "a write to guest memory reads back" '^\$4 = 99$'
	has "continue runs to the guest's exit" 'exited with code 07'
	if [ "$rstatus" = 7 ] && grep -q '^sum 55$' "$WORK/run.out"; then
		pass "gdb: riad run exits with the unikernel's status (7), output intact"
	else
		fail "gdb: riad run: status $rstatus, expected 7; output: $(cat "$WORK/run.out")"
	fi
fi

# 1b. Breakpoints from the first instruction: in ring-0 boot code
# (hvt_cpu_init), next there, and in a guest that makes no exit before it
# (--solo5:quiet: no banner before solo5_app_main).
port=$(free_port)
if start "$port" -- --solo5:quiet; then
	gdbrun "$port" 'break hvt_cpu_init' 'break solo5_app_main' 'continue' 'info registers cs' \
		'next' 'continue' 'info registers cs' 'delete' 'continue'
	finish
	has "a breakpoint in ring-0 boot code is hit" '^Breakpoint 1, hvt_cpu_init \(\)'
	has "there, in ring 0 (cs 0x8)" '^cs +0x8 +8$'
	has "next in ring 0" '^[0-9]+[[:space:]]+gdt\['
	has "a breakpoint before the guest's first exit is hit" '^Breakpoint 2, solo5_app_main '
	has "continue runs to the quiet guest's exit" 'exited with code 07'
	[ "$rstatus" = 7 ] && pass "gdb: the quiet guest exits 7" || fail "gdb: quiet: status $rstatus: $(cat "$WORK/run.out")"
fi

# 2. A fault stops in gdb at the faulting instruction, then ends the guest.
port=$(free_port)
if start "$port" -- fault; then
	gdbrun "$port" 'continue' 'x/i $pc' 'print/x $rax' 'continue'
	finish
	has "a fault stops with SIGSEGV" 'Program received signal SIGSEGV'
	has "in solo5_app_main, at the store's line" '^0x[0-9a-f]+ in solo5_app_main .*main\.c:[0-9]+$'
	has "at the faulting store, with its registers (rax = 2^34)" '^\$1 = 0x400000000$'
	has "continuing reports the guest's end by SIGSEGV" 'Program terminated with signal SIGSEGV'
	if [ "$rstatus" = 255 ] && grep -q 'Solo5: trap: type=#PF' "$WORK/run.out"; then
		pass "gdb: after the fault the guest's trap handler reports it; status 255"
	else
		fail "gdb: fault: status $rstatus, expected 255; output: $(cat "$WORK/run.out")"
	fi
fi

# 3. Ctrl-C: SIGINT to gdb interrupts a guest spinning in ring 3, and one
# asleep in the tender's POLL for a minute (within seconds, not at its
# deadline).
# interrupt MODE CMDS...: gdb continues, gets SIGINT 1 s after the guest
# started, runs
# CMDS then kill; $out, $elapsed (s).
interrupt() {
	local mode=$1 ex=() t0
	shift
	for c in "$@"; do ex+=(-ex "$c"); done
	port=$(free_port)
	start "$port" -- "$mode" || return 1
	t0=$(date +%s)
	# --foreground: otherwise timeout passes the SIGINT on to its whole
	# process group as well, and gdb, interrupted twice, gives up.
	timeout --foreground 60 gdb -q -batch -nx -ex "target remote 127.0.0.1:$port" -ex 'continue' \
		"${ex[@]}" -ex 'kill' "$g" </dev/null >"$WORK/gdb.out" 2>&1 &
	gpid=$!
	# Once the guest runs (the bindings' banner), not while gdb still
	# starts up: its SIGINT would then end gdb itself.
	for _ in $(seq 100); do
		grep -q '^Solo5: riad bindings' "$WORK/run.out" && break
		sleep 0.1
	done
	sleep 1
	kill -INT "$gpid"
	wait "$gpid"
	elapsed=$(($(date +%s) - t0))
	out=$(cat "$WORK/gdb.out")
	finish
}
if interrupt spin 'print gdb_counter > 0' 'info registers cs'; then
	has "Ctrl-C stops a spinning guest with SIGINT" 'Program received signal SIGINT'
	has "where it spun, in ring 3, having counted" '^\$1 = 1$'
	if [ "$rstatus" = 1 ] && grep -q '^riad-hvt: killed by gdb$' "$WORK/run.out"; then
		pass "gdb: kill ends riad-hvt with one line and status 1"
	else
		fail "gdb: kill: status $rstatus; output: $(cat "$WORK/run.out")"
	fi
fi
if interrupt sleep 'print gdb_counter'; then
	has "Ctrl-C stops a guest asleep in POLL with SIGINT" 'Program received signal SIGINT'
	has "before its minute is up (gdb_counter still 0)" '^\$1 = 0$'
	if [ "$elapsed" -lt 20 ]; then
		pass "gdb: the sleeping guest stopped within seconds (${elapsed} s)"
	else
		fail "gdb: the sleeping guest took ${elapsed} s to stop"
	fi
fi

# 4. Detach: the breakpoints go, the guest runs on to its exit.
port=$(free_port)
if start "$port"; then
	gdbrun "$port" 'break gdb_sum' 'continue' 'detach'
	finish
	has "detach after a breakpoint" 'Remote target\) detached'
	if [ "$rstatus" = 7 ] && grep -q '^sum 55$' "$WORK/run.out"; then
		pass "gdb: after detach the guest runs to its exit (status 7)"
	else
		fail "gdb: detach: status $rstatus, expected 7; output: $(cat "$WORK/run.out")"
	fi
fi

# 5. Errors: bad values, a port in use.
run_capture out st "$RIAD" run -t hvt -C "$d" --gdb=70000
if [ "$st" = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "not a port from 1 to 65535" <<<"$out"; then
	pass "gdb: riad run --gdb=70000: one line, status 2"
else
	fail "gdb: riad run --gdb=70000: status $st, output: $out"
fi
run_capture out st "$RIAD" run -t spt -C "$d" --gdb
if [ "$st" = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q -- "--gdb is for the hvt target only" <<<"$out"; then
	pass "gdb: riad run -t spt --gdb is refused: one line, status 2"
else
	fail "gdb: riad run -t spt --gdb: status $st, output: $out"
fi
for bad in --gdb=0 --gdb=x --gdb= --gdb-port=65536; do
	run_capture out st "$hvt" "$bad" "$g"
	if [ "$st" = 1 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "^riad-hvt: ${bad%%=*}: " <<<"$out"; then
		pass "gdb: riad-hvt $bad: one line, status 1"
	else
		fail "gdb: riad-hvt $bad: status $st, output: $out"
	fi
done
port=$(free_port)
if start "$port"; then
	run_capture out st "$hvt" --gdb="$port" "$g"
	if [ "$st" = 1 ] && [ "$(wc -l <<<"$out")" = 1 ] &&
		grep -q "^riad-hvt: --gdb: cannot listen on 127.0.0.1:$port: Address already in use$" <<<"$out"; then
		pass "gdb: a port in use: one line, status 1"
	else
		fail "gdb: a port in use: status $st, output: $out"
	fi
	# The first one, still waiting, ends when its gdb connects and kills.
	gdbrun "$port" 'kill'
	finish
fi
