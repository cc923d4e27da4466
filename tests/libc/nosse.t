# tests/libc/nosse.t: the guest archives have the instruction set their
# target promises, and build/guest/libc/libc.a is fit for a guest.
#
# - a target whose pkg-config Cflags say -mno-sse (the nosse flavour,
#   mk/libc.mk: hvt unless built with GUEST_FLAVOUR_hvt=sse): no SSE, MMX
#   or AVX register and no MXCSR or FXSAVE instruction in any archive it
#   links (they kill guests in ring 0 on the kvm-pvm test hosts);
# - one built with SSE (the sse flavour: spt): its BearSSL has the AES-NI
#   and PCLMULQDQ code (BearSSL picks it at run time; tests/e2e/sse.t
#   checks that it does);
# - no guest archive of either reads the stack protector's TLS guard
#   (%fs:0x28): guests use the global one, and GCC falls back to the TLS
#   one in functions with target attributes (mk/bearssl.mk);
# - libc.a: no mem* function that calls itself (a compiler turning its loop
#   into a call to the very function), and no undefined symbol beyond what
#   the target provides.
cd "$(dirname "$0")/../.."
lib=build/guest/libc/libc.a
if [ ! -f "$lib" ]; then
	echo "FAIL: nosse.t: $lib is missing (run make check)"
	exit 1
fi

vector='%([xyz]mm[0-9]|mm[0-7])|mxcsr|fxsave|fxrstor|xsave|xrstor'
for t in hvt spt; do
	dir=build/stage/lib/riad/$t
	if [ ! -f "$dir/libbearssl.a" ]; then
		echo "SKIP: nosse.t: $t is not staged (make RIAD_TARGETS=unix?)"
		continue
	fi
	nosse=
	grep -q '^Cflags:.*-mno-sse' "build/stage/lib/pkgconfig/riad-$t.pc" && nosse=1
	for a in "$dir"/*.a; do
		d=$(objdump -d --no-show-raw-insn "$a") || { echo "FAIL: nosse.t: objdump $a failed"; continue; }
		name="$t/$(basename "$a")"
		tls=$(grep -F '%fs:0x28' <<<"$d" | head -3)
		if [ -z "$tls" ]; then
			echo "PASS: nosse.t: $name does not read the TLS stack guard"
		else
			echo "FAIL: nosse.t: $name reads the TLS stack guard (%fs:0x28):"
			printf '%s\n' "$tls"
		fi
		[ -n "$nosse" ] || continue
		bad=$(grep -E "$vector" <<<"$d" | head -5)
		if [ -z "$bad" ]; then
			echo "PASS: nosse.t: no SSE, MMX or AVX instruction in $name"
		else
			echo "FAIL: nosse.t: SSE, MMX or AVX in $name:"
			printf '%s\n' "$bad"
		fi
	done
	if [ -z "$nosse" ]; then
		d=$(objdump -d --no-show-raw-insn "$dir/libbearssl.a")
		if grep -q aesenc <<<"$d" && grep -q pclmul <<<"$d"; then
			echo "PASS: nosse.t: $t's BearSSL has its AES-NI and PCLMULQDQ code"
		else
			echo "FAIL: nosse.t: $t's BearSSL lacks its AES-NI or PCLMULQDQ code"
		fi
	fi
done

dis=$(objdump -d --no-show-raw-insn "$lib") || { echo "FAIL: nosse.t: objdump failed"; exit 1; }

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
