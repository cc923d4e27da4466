# tests/e2e/solo5.t: every example built with the riad tool and run on the
# spt and hvt targets, with the same output as on unix (the bindings'
# "Solo5:" lines and the time stamps aside); --help (63), a bad argument
# (64), quoted arguments; the manifest generated from RIAD_DEVICE_*
# declarations. A target this machine cannot run is skipped with the reason.
source "$(dirname "$0")/lib.sh"

# What the application printed: no "Solo5:" lines, no time stamps, and the
# program name (NAME.TARGET) made target-independent.
app_lines() {
	grep -v -e '^Solo5: ' -e '^riad: built ' | sed -E -e 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}-00:00: //' \
		-e 's/\b([a-z]+)\.(unix|spt|hvt)\b/\1.TARGET/g'
}

export -f app_lines

# same_as_unix NAME DIR ARGS...: the example's application output and exit
# status on $t equal those on unix.
same_as_unix() {
	local name=$1 dir=$2 uout ust tout tst
	shift 2
	run_capture uout ust "$RIAD" run -t unix -C "$dir" -- "$@"
	run_capture tout tst "$RIAD" run -t "$t" -C "$dir" -- "$@"
	uout=$(app_lines <<<"$uout")
	tout=$(app_lines <<<"$tout")
	if [ "$uout" = "$tout" ] && [ "$ust" = "$tst" ]; then
		pass "$name: same output and status ($tst) on $t as on unix"
	else
		fail "$name: output or status on $t differs from unix ($tst vs $ust)"
		diff <(echo "$uout") <(echo "$tout") | head -20 | sed 's/^/  /'
	fi
}

targets=()
for t in spt hvt; do
	st=$("$RIAD" targets | awk -v t="$t" '$1 == t { $1 = ""; sub(/^ /, ""); print }')
	case "$st" in
	ok*) targets+=("$t") ;;
	*) skip "the examples on $t ($t: ${st:-not listed})" ;;
	esac
done

for t in "${targets[@]+"${targets[@]}"}"; do
	d=$(example hello)
	run_capture out st "$RIAD" build -t "$t" -C "$d"
	check "hello builds for $t" test "$st" -eq 0
	check "hello.$t is an ELF executable for Solo5 ($t)" \
		bash -c 'readelf -lW "$1" | grep -q "Requesting program interpreter: /nonexistent/solo5/"' _ "$d/dist/hello.$t"
	run_capture out st "$d/dist/hello.$t"
	check "hello.$t does not run as a host program (PT_INTERP /nonexistent/solo5/): 127" test "$st" -eq 127
	stamps=$("$RIAD" run -t "$t" -C "$d" | while IFS= read -r line; do
		echo "$(date +%s%N) $line"
	done)
	status=${PIPESTATUS[0]}
	check "hello exits 0 on $t" test "$status" -eq 0
	check "hello logs 'hello' four times on $t" \
		test "$(grep -c ' [0-9T:-]*-00:00: \[INFO\] \[application\] hello$' <<<"$stamps")" -eq 4
	gaps_ok=1
	prev=""
	while read -r ns rest; do
		case "$rest" in Solo5:*) continue ;; esac
		if [ -n "$prev" ]; then
			gap=$(((ns - prev) / 1000000))
			if [ "$gap" -lt 800 ] || [ "$gap" -gt 1200 ]; then
				echo "  gap of $gap ms between hello lines on $t"
				gaps_ok=0
			fi
		fi
		prev=$ns
	done <<<"$stamps"
	check "hello's lines are 1 s apart (+-200 ms) on $t" test "$gaps_ok" = 1
	same_as_unix hello "$d" --interval-ms=0

	run_capture out st "$RIAD" run -t "$t" -C "$d" -- --hello="a b  c" --interval-ms=0
	check "hello takes a quoted argument with spaces intact on $t" \
		bash -c '[ "$(grep -c "\[application\] a b  c$" <<<"$1")" -eq 4 ]' _ "$out"
	run_capture out st "$RIAD" run -t "$t" -C "$d" -- --hello="it's \"quoted\" \\ \$HOME" --interval-ms=0
	check "quotes, backslashes and dollars reach the unikernel intact on $t" \
		grep -qF "[application] it's \"quoted\" \\ \$HOME" <<<"$out"
	same_as_unix "hello --help" "$d" --help
	run_capture out st "$RIAD" run -t "$t" -C "$d" -- --help
	check "hello --help exits 63 on $t" test "$st" -eq 63
	run_capture out st "$RIAD" run -t "$t" -C "$d" -- --interval-ms=soon
	check "hello rejects an ill-typed option with 64 on $t" test "$st" -eq 64
	check "the error is one line naming the option on $t" \
		bash -c 'l=$(grep -v "^Solo5: " <<<"$1"); [ "$(wc -l <<<"$l")" -eq 1 ] && grep -q -- "--interval-ms" <<<"$l"' _ "$out"
	same_as_unix "hello --interval-ms=soon" "$d" --interval-ms=soon
	run_capture out st "$RIAD" run -t "$t" -C "$d" -- --no-such-option
	check "hello rejects an unknown option with 64 on $t" test "$st" -eq 64
	run_capture out st "$RIAD" run -t "$t" -C "$d" -- -l quiet --interval-ms=0
	check "-l quiet silences the log on $t" bash -c '[ -z "$(grep -v "^Solo5: " <<<"$1")" ]' _ "$out"
	run_capture out st "$RIAD" run -t "$t" -C "$d" -- --solo5:quiet --interval-ms=0
	check "--solo5:quiet silences the bindings on $t, not the application" \
		bash -c '[ "$2" -eq 0 ] && ! grep -q "^Solo5:" <<<"$1" && [ "$(grep -c "\] hello$" <<<"$1")" -eq 4 ]' _ "$out" "$st"
	run_capture out st "$ROOT/build/stage/bin/riad-$t" "$d/dist/hello.$t" "'unterminated"
	check "an unterminated quote on the command line exits 64 on $t" \
		bash -c '[ "$2" -eq 64 ] && grep -q "inside a quote" <<<"$1"' _ "$out" "$st"

	d=$(example clock)
	run_capture out st "$RIAD" run -t "$t" -C "$d" -- --ticks=2 --sleep-ms=100
	check "clock exits 0 on $t" test "$st" -eq 0
	check "clock prints the wall clock in UTC on $t" grep -Eq "wall clock: $(date -u +%Y-%m-%d)" <<<"$out"
	check "clock's sleeps take at least what was asked on $t" \
		bash -c '[ "$(grep -Ec "slept 1[0-9]{2}\." <<<"$1")" -eq 2 ]' _ "$out"

	d=$(example fibers)
	same_as_unix fibers "$d" --workers=4 --items=10
	run_capture out st "$RIAD" run -t "$t" -C "$d" -- --workers=4 --items=10
	check "fibers: consumer got every item on $t" grep -q 'received 10 items, sum 55' <<<"$out"

	d=$(example random)
	run_capture out st "$RIAD" run -t "$t" -C "$d"
	check "random exits 0 on $t" test "$st" -eq 0
	check "random prints 16 bytes and a dice roll on $t" \
		bash -c 'l=$(app_lines <<<"$1"); grep -Eq "^[0-9a-f]{32}$" <<<"$l" && grep -Eq "^dice: [1-6]$" <<<"$l"' _ "$out"
	run_capture out2 st2 "$RIAD" run -t "$t" -C "$d"
	check "random differs between runs on $t" test "$(app_lines <<<"$out")" != "$(app_lines <<<"$out2")"

	if [ -d "$ROOT/examples/args" ]; then
		d=$(example args)
		same_as_unix args "$d" --name="riad user" --count=3
		run_capture out st "$RIAD" run -t "$t" -C "$d" -- --name="riad user" --count=3
		check "args greets the name given three times on $t" \
			bash -c '[ "$(grep -c "Hello, riad user!" <<<"$1")" -eq 3 ]' _ "$out"
		run_capture out st "$RIAD" run -t "$t" -C "$d" -- --count=99999999999999999999
		check "args rejects an overflowing integer with 64 on $t" test "$st" -eq 64
		same_as_unix "args positional" "$d" -l debug -- --not-an-option "two words"
	else
		skip "args on $t (no examples/args)"
	fi

	# The bindings' internal names do not clash with an application's.
	d=$WORK/names-$t
	mkdir -p "$d"
	cat >"$d/main.c" <<'EOF'
#include <riad/console.h>
int base_boot(void);
int base_boot(void) { return 7; }
void spt_boot(void);
void spt_boot(void) {}
void hvt_boot(void);
void hvt_boot(void) {}
int main(void)
{
	riad_console_printf("app's base_boot: %d\n", base_boot());
	return 0;
}
EOF
	run_capture out st "$RIAD" run -t "$t" -C "$d"
	check "an application may define base_boot, spt_boot, hvt_boot on $t" \
		bash -c '[ "$2" -eq 0 ] && grep -q "app.s base_boot: 7" <<<"$1"' _ "$out" "$st"

	# The manifest comes from RIAD_DEVICE_* declarations in the sources.
	d=$WORK/devices-$t
	mkdir -p "$d"
	cat >"$d/main.c" <<'EOF'
#include <riad/devices.h>
#include <riad/console.h>
#include <solo5.h>
RIAD_DEVICE_BLOCK(disk0);
RIAD_DEVICE_NET(service);
int main(void)
{
	solo5_handle_t h;
	struct solo5_block_info bi;
	if (solo5_block_acquire("disk0", &h, &bi) != SOLO5_R_OK)
		return 1;
	riad_console_printf("disk0: handle %u, %u bytes\n", (unsigned)h, (unsigned)bi.capacity);
	return 0;
}
EOF
	cat >"$d/more.c" <<'EOF'
#include <riad/devices.h>
RIAD_DEVICE_BLOCK(disk0);
RIAD_DEVICE_BLOCK(aaa);
EOF
	run_capture out st "$RIAD" build -t "$t" -C "$d"
	check "build lists the declared devices once each, sorted, on $t" \
		bash -c '[ "$2" -eq 0 ] && grep -q "devices: aaa (BLOCK), disk0 (BLOCK), service (NET)" <<<"$1"' _ "$out" "$st"
	objcopy -O binary --only-section=.note.solo5.manifest "$d/dist/devices-$t.$t" "$WORK/mft-$t"
	check "the manifest note holds the reserved entry and 3 devices on $t" \
		bash -c '[ "$(stat -c %s "$1")" -eq $((24 + 8 + 4 * 104)) ] &&
			[ "$(od -An -t u4 -j 24 -N 8 "$1" | tr -s " ")" = " 1 4" ]' _ "$WORK/mft-$t"
	run_capture out st "$RIAD" run -t "$t" -C "$d"
	check "the tender refuses a unikernel whose devices are not attached on $t" \
		bash -c '[ "$2" -eq 1 ] && grep -q "aaa\|disk0\|service" <<<"$1"' _ "$out" "$st"
	echo 'RIAD_DEVICE_NET(aaa);' >>"$d/more.c"
	run_capture out st "$RIAD" build -t "$t" -C "$d"
	check "a device declared with two types is a build error on $t" \
		bash -c '[ "$2" -ne 0 ] && grep -q "aaa.*both" <<<"$1"' _ "$out" "$st"
	{
		echo '#include <riad/devices.h>'
		for i in $(seq -w 0 61); do echo "RIAD_DEVICE_BLOCK(x$i);"; done
	} >"$d/more.c"
	run_capture out st "$RIAD" build -t "$t" -C "$d"
	check "64 devices are a build error (at most 63) on $t" \
		bash -c '[ "$2" -ne 0 ] && grep -q "64 devices declared, at most 63" <<<"$1"' _ "$out" "$st"
	echo '#include <riad/devices.h>' >"$d/more.c"
	echo 'RIAD_DEVICE_BLOCK(bad_name);' >>"$d/more.c"
	run_capture out st "$RIAD" build -t "$t" -C "$d"
	check "a device name that is not alphanumeric is a build error on $t" \
		bash -c '[ "$2" -ne 0 ] && grep -q "bad_name" <<<"$1"' _ "$out" "$st"
done

# Without the tool: pkg-config alone builds a unikernel with no devices
# (the default, empty manifest comes from the library).
for t in "${targets[@]+"${targets[@]}"}"; do
	d=$(example hello)
	# shellcheck disable=SC2046
	run_capture out st bash -c "cc \$(PKG_CONFIG_PATH=$ROOT/build/stage/lib/pkgconfig pkg-config --cflags riad-$t) -c $d/main.c -o $d/main.o && cc -o $d/hello-pc.$t $d/main.o \$(PKG_CONFIG_PATH=$ROOT/build/stage/lib/pkgconfig pkg-config --libs riad-$t)"
	check "pkg-config --cflags --libs riad-$t builds hello" test "$st" -eq 0
	run_capture out st "$ROOT/build/stage/bin/riad-$t" "$d/hello-pc.$t" --interval-ms=0
	check "the pkg-config build runs on $t" \
		bash -c '[ "$2" -eq 0 ] && [ "$(grep -c "\] hello$" <<<"$1")" -eq 4 ]' _ "$out" "$st"
done
