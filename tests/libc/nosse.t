# tests/libc/nosse.t: build/guest/libc/libc.a is fit for a guest: no SSE,
# MMX or AVX instruction (they kill hvt guests on the PVM test host), no
# mem* function that calls itself (a compiler turning its loop into a call
# to the very function), and no undefined symbol beyond what the target
# provides.
cd "$(dirname "$0")/../.."
lib=build/guest/libc/libc.a
if [ ! -f "$lib" ]; then
	echo "FAIL: nosse.t: $lib is missing (run make check)"
	exit 1
fi

dis=$(objdump -d --no-show-raw-insn "$lib") || { echo "FAIL: nosse.t: objdump failed"; exit 1; }
bad=$(printf '%s\n' "$dis" | grep -E '%([xyz]mm[0-9]|mm[0-7])' | head -5)
if [ -z "$bad" ]; then
	echo "PASS: nosse.t: no SSE, MMX or AVX register in libc.a"
else
	echo "FAIL: nosse.t: vector registers used in libc.a:"
	printf '%s\n' "$bad"
fi

# A function's own body must not call it (the libc is built with
# -fno-tree-loop-distribute-patterns to prevent exactly this).
selfcalls=$(printf '%s\n' "$dis" | awk '
	/^[0-9a-f]+ <[^>]+>:$/ { fn = $2; gsub(/[<>:]/, "", fn); next }
	/(call|jmp)[a-z]* +[0-9a-f]+ <[^>+]+>/ {
		t = $0; sub(/.*</, "", t); sub(/>.*/, "", t)
		if (t == fn && fn ~ /^(mem|str)/) print fn
	}' | sort -u)
if [ -z "$selfcalls" ]; then
	echo "PASS: nosse.t: no mem*/str* function calls itself"
else
	echo "FAIL: nosse.t: self-calls in: $selfcalls"
fi

# Relocated calls show up as undefined symbols instead: check those too.
undefined=$(nm "$lib" | awk '$1 == "U" { print $2 }' | sort -u)
defined=$(nm --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort -u)
allowed='__stack_chk_fail __stack_chk_guard riad_clock_wall_ns riad_console_write riad_platform_abort riad_platform_exit'
extra=$(comm -23 <(printf '%s\n' $undefined) <(printf '%s\n' $defined) |
	grep -vxF -f <(printf '%s\n' $allowed))
if [ -z "$extra" ]; then
	echo "PASS: nosse.t: libc.a needs only the target's symbols"
else
	echo "FAIL: nosse.t: libc.a needs unexpected symbols:" $extra
fi
