# tests/e2e/sse.t: each target gets the instruction set its README row
# promises. tests/e2e/sse/main.c runs on unix, spt and hvt (each skipped
# where unavailable): floating point, with each fiber's rounding mode kept
# across switches, where the target is built with SSE (unix, spt; hvt
# built with GUEST_FLAVOUR_hvt=sse) and none where its pkg-config Cflags
# say -mno-sse (hvt); the encryption overlay by AES-NI and PCLMULQDQ with
# SSE when /proc/cpuinfo lists aes and pclmulqdq (the portable
# constant-time code otherwise, and always without SSE), named in the
# block log's debug line;
# --crypto-portable forces the portable code, which reads what AES-NI
# wrote; and an image written on one target reads back on the others.
source "$(dirname "$0")/lib.sh"
set -e
d=$WORK/sseguest
mkdir -p "$d"
cp "$ROOT/tests/e2e/sse/main.c" "$d/"
printf 'name = sseguest\n' >"$d/riad.conf"
targets=$("$RIAD" targets 2>/dev/null || true)
portable=aes_ct64+ghash_ctmul64
if grep -qw aes /proc/cpuinfo && grep -qw pclmulqdq /proc/cpuinfo; then
	fast=aes_x86ni+ghash_pclmul
else
	fast=$portable
	echo "# this CPU has no AES-NI or PCLMULQDQ: every target is expected to use $portable"
fi

# impl OUTPUT: the implementation named by the overlay's log line.
impl() { sed -n 's/.*AES-256-GCM by \([a-z0-9_+]*\).*/\1/p' <<<"$1" | head -1; }

head -c $((4 << 20)) /dev/zero >"$WORK/shared.img"
first=
for t in unix spt hvt; do
	if ! grep -Eq "^$t +ok" <<<"$targets"; then
		skip "sse.t: $t (not available on this machine)"
		continue
	fi
	run_capture out st "$RIAD" build -t "$t" -C "$d"
	if [ "$st" -ne 0 ]; then
		fail "sse.t: $t: build failed"
		tail -5 <<<"$out"
		continue
	fi
	nosse=
	grep -q '^Cflags:.*-mno-sse' "$ROOT/build/stage/lib/pkgconfig/riad-$t.pc" 2>/dev/null && nosse=1
	want=$fast
	[ -z "$nosse" ] || want=$portable
	head -c $((4 << 20)) /dev/zero >"$WORK/$t.img"
	run_capture out st "$RIAD" run -t "$t" -C "$d" --block disk="$WORK/$t.img" -- --format -l block:debug
	check "sse.t: $t: the guest's checks pass" bash -c "[ $st -eq 0 ] && grep -q '^sse: 0 failed' <<<\"\$1\"" _ "$out"
	[ "$st" -eq 0 ] || tail -15 <<<"$out"
	if [ -n "$nosse" ]; then
		check "sse.t: $t: no floating point (built without SSE)" grep -q '^fp: none' <<<"$out"
	else
		check "sse.t: $t: double arithmetic" grep -q '^fp: sqrt(2) = 1.414213562$' <<<"$out"
		check "sse.t: $t: each fiber keeps its rounding mode" \
			grep -q '^ok: the fiber kept its rounding mode across a switch' <<<"$out"
	fi
	got=$(impl "$out")
	check "sse.t: $t: the overlay uses $want (got '$got')" test "$got" = "$want"

	run_capture out st "$RIAD" run -t "$t" -C "$d" --block disk="$WORK/$t.img" -- -l block:debug --crypto-portable
	got=$(impl "$out")
	check "sse.t: $t: --crypto-portable: $portable reads back what $want wrote (got '$got')" \
		bash -c "[ $st -eq 0 ] && [ '$got' = '$portable' ] && grep -q '^ok: read back what was written before' <<<\"\$1\"" _ "$out"

	# One image passed from target to target: each reads what the one
	# before wrote with its own implementation.
	if [ -z "$first" ]; then
		run_capture out st "$RIAD" run -t "$t" -C "$d" --block disk="$WORK/shared.img" -- --format
		first=$t
	else
		run_capture out st "$RIAD" run -t "$t" -C "$d" --block disk="$WORK/shared.img"
		check "sse.t: $t reads the image $first wrote" \
			bash -c "[ $st -eq 0 ] && grep -q '^ok: read back what was written before' <<<\"\$1\"" _ "$out"
	fi
done
