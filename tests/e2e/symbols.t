# tests/e2e/symbols.t: the installed libraries export only the names that
# tool/symbols.allow lists (issue 8): every archive and object under the
# stage's lib/ (unix, spt, hvt), through `nm -g --defined-only`, with one
# FAIL line for each other name; the staged archives refer to no internal
# name under its old spelling (mk/symbols.mk renames them consistently);
# and an application that defines tcp_input, arp_init and wire_csum_add
# itself links and runs riad's network stack on every usable target.
source "$(dirname "$0")/lib.sh"
SYMBOLS=$ROOT/tool/symbols
STAGE_LIB=$ROOT/build/stage/lib

for t in unix spt hvt; do
	[ -d "$STAGE_LIB/riad/$t" ] || skip "the $t libraries ($STAGE_LIB/riad/$t is not built)"
done

mapfile -t files < <(cd "$STAGE_LIB" && find . \( -name '*.a' -o -name '*.o' \) -type f | sed 's|^\./||' | sort)
check "the stage holds the unix libraries" test -f "$STAGE_LIB/riad/unix/libriad-net.a"
for f in "${files[@]}"; do
	n=$(nm -g --defined-only --format=posix "$STAGE_LIB/$f" | awk 'NF >= 2 && $2 ~ /^[A-Za-z]$/' | wc -l)
	if bad=$(cd "$STAGE_LIB" && "$SYMBOLS" check "$f"); then
		pass "lib/$f exports only allowed names ($n global symbols)"
	else
		while IFS= read -r line; do
			fail "lib/$f exports ${line#*: } (not allowed by tool/symbols.allow)"
		done <<<"$bad"
	fi
done

# The old names of the renamed symbols must not be referred to either: such
# a reference would bind to the application's definition of that name.
for t in unix spt hvt; do
	map=$ROOT/build/symbols/$t.map
	[ -d "$STAGE_LIB/riad/$t" ] || continue
	if [ ! -f "$map" ]; then
		fail "$t: no rename map $map"
		continue
	fi
	stale=$(nm -u --format=posix "$STAGE_LIB/riad/$t"/libriad*.a "$STAGE_LIB/riad/$t"/libsolo5-*.a 2>/dev/null |
		awk 'NF >= 2 && $2 == "U" { print $1 }' | sort -u | grep -Fx -f <(cut -d' ' -f1 "$map") || true)
	if [ -z "$stale" ]; then
		pass "$t: riad's archives refer to no internal name under its old spelling ($(wc -l <"$map") renamed)"
	else
		for s in $stale; do
			fail "$t: a staged archive still refers to $s (renamed to riad__$s where it is defined)"
		done
	fi
done

# The application that used to clash.
usable=()
for t in unix spt hvt; do
	st=$("$RIAD" targets | awk -v t="$t" '$1 == t { $1 = ""; sub(/^ /, ""); print }')
	case "$st" in
	ok*) usable+=("$t") ;;
	*) skip "an application defining tcp_input on $t ($t: ${st:-not listed})" ;;
	esac
done
d=$WORK/clash
cp -R "$ROOT/tests/e2e/symbols" "$d"
for t in "${usable[@]+"${usable[@]}"}"; do
	run_capture out st "$RIAD" build -t "$t" -C "$d"
	check "$t: an application defining tcp_input, arp_init and wire_csum_add links" test "$st" -eq 0
	[ "$st" -eq 0 ] || { sed 's/^/  /' <<<"$out" | head -20; continue; }
	run_capture out st "$RIAD" run -t "$t" -C "$d"
	check "$t: it runs TCP between two of riad's stacks and its own functions (SUCCESS)" \
		bash -c '[ "$1" -eq 0 ] && grep -qx SUCCESS <<<"$2"' _ "$st" "$out"
	[ "$st" -eq 0 ] || sed 's/^/  /' <<<"$out" | tail -20
done

# The control: the archives as built (build/host/lib, internal names
# unrenamed; the unit tests link them) clash with that application.
L=$ROOT/build/host/lib
if [ -f "$L/libriad-net.a" ]; then
	run_capture out st cc -I"$ROOT/include" -o "$WORK/clash-unrenamed" "$d/main.c" \
		-Wl,--wrap=main -Wl,--gc-sections -Wl,--start-group "$L/libriad-unix.a" "$L/libriad-net.a" \
		"$L/libriad-storage.a" "$L/libriad.a" -Wl,--end-group -l:libbearssl.a -static-pie
	if [ "$st" -ne 0 ] && grep -q "multiple definition of .tcp_input'" <<<"$out"; then
		pass "control: the same application does not link against the unrenamed archives"
	else
		skip "control: the unrenamed archives no longer clash with tcp_input (renamed in the sources?)"
	fi
fi
