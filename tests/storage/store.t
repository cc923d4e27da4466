#!/usr/bin/env bash
# tests/storage/store.t: the writable store through riad disk (format, put,
# get, ls round trip; --help; one-line errors with a non-zero exit; bad
# images refused), and across the host and a unikernel: what the
# tests/storage/storeapp unikernel writes to its --block store is read back
# by riad disk get, and what riad disk put writes is read back by the
# unikernel, on unix and on every solo5 target that can run here.
source "$(dirname "$0")/../e2e/lib.sh"
set -u
DISK="$RIAD disk"
IMG=$WORK/img

# one_line_error NAME CMD...: fails with status 1 and exactly one line on stderr.
one_line_error() {
	local name=$1 out st
	shift
	out=$("$@" 2>&1 >/dev/null)
	st=$?
	if [ $st -ne 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [ -n "$out" ]; then
		pass "$name"
	else
		fail "$name (status $st, stderr: $out)"
	fi
}

truncate -s 8M "$IMG"
check "format an 8 MiB image" $DISK format "$IMG"
printf 'hello, store\n' >"$WORK/small"
head -c 300000 /dev/urandom >"$WORK/big"
: >"$WORK/empty"
check "put a small value" $DISK put "$IMG" /site/index.html "$WORK/small"
check "put a 300 kB value" $DISK put "$IMG" site/data/big.bin "$WORK/big"
check "put an empty value" $DISK put "$IMG" empty "$WORK/empty"
check "put from standard input" bash -c 'printf stdin-data | $0 disk put "$1" from/stdin -' "$RIAD" "$IMG"
check "get gives the small value back" cmp <($DISK get "$IMG" site/index.html) "$WORK/small"
check "get gives the big value back" cmp <($DISK get "$IMG" /site/data/big.bin) "$WORK/big"
check "get gives the empty value back" cmp <($DISK get "$IMG" empty) "$WORK/empty"
check "get gives the stdin value back" test "$($DISK get "$IMG" from/stdin)" = stdin-data
check "ls of the root" test "$($DISK ls "$IMG" | tr '\n' ' ')" = "empty from/ site/ "
check "ls of a dictionary" test "$($DISK ls "$IMG" site | tr '\n' ' ')" = "data/ index.html "
printf 'replaced' >"$WORK/r"
$DISK put "$IMG" site/index.html "$WORK/r"
check "put replaces a value" test "$($DISK get "$IMG" site/index.html)" = replaced

for c in format ls get put; do
	check "riad disk $c --help" bash -c '$0 disk $1 --help | grep -q "^usage: riad disk $1"' "$RIAD" "$c"
done
one_line_error "get of a missing key" $DISK get "$IMG" nope
one_line_error "get of a dictionary" $DISK get "$IMG" site
one_line_error "ls of a value" $DISK ls "$IMG" empty
one_line_error "put below a value" $DISK put "$IMG" empty/x "$WORK/small"
one_line_error "put onto a dictionary" $DISK put "$IMG" site "$WORK/small"
one_line_error "put of a missing file" $DISK put "$IMG" x "$WORK/none"
one_line_error "a malformed key" $DISK get "$IMG" a/../b
one_line_error "a missing image" $DISK ls "$WORK/none"
one_line_error "too few arguments" $DISK get "$IMG"
one_line_error "an unknown option" $DISK ls --long "$IMG"
head -c 1048576 /dev/urandom >"$WORK/garbage"
one_line_error "garbage is not a store" $DISK ls "$WORK/garbage"
check "garbage: the error says so" bash -c '$0 disk ls "$1" 2>&1 | grep -q "not a riad store"' "$RIAD" "$WORK/garbage"
truncate -s 4096 "$WORK/tiny"
one_line_error "an image too small to format" $DISK format "$WORK/tiny"
truncate -s 1000 "$WORK/odd"
one_line_error "an image of a size that is not whole sectors" $DISK format "$WORK/odd"
cp "$IMG" "$WORK/cut"
truncate -s 2M "$WORK/cut"
one_line_error "an image cut short" $DISK ls "$WORK/cut"
truncate -s 200K "$WORK/full"
$DISK format "$WORK/full"
one_line_error "a value larger than the store" $DISK put "$WORK/full" big "$WORK/big"
chmod a-w "$IMG"
if [ "$(id -u)" != 0 ]; then
	check "get works on a read-only image" cmp <($DISK get "$IMG" site/data/big.bin) "$WORK/big"
	one_line_error "put on a read-only image" $DISK put "$IMG" x "$WORK/small"
fi
chmod u+w "$IMG"

# ---- a unikernel and the host, both ways ----
APP=$WORK/storeapp
cp -R "$ROOT/tests/storage/storeapp" "$APP"
for target in unix spt hvt; do
	case "$target" in
	spt | hvt)
		if ! "$RIAD" targets | grep -q "^$target *ok"; then
			skip "store: $target (target not available: $("$RIAD" targets | grep "^$target"))"
			continue
		fi
		if [ "$target" = hvt ] && ! [ -w /dev/kvm ]; then
			skip "store: hvt (no writable /dev/kvm)"
			continue
		fi
		;;
	esac
	if ! out=$("$RIAD" build -t "$target" -C "$APP" 2>&1); then
		if grep -q "undefined reference to .riad_block_open" <<<"$out"; then
			skip "store: $target (riad_block_open is not in this tree's $target runtime)"
		else
			fail "store: storeapp does not build for $target: $(tail -3 <<<"$out")"
		fi
		continue
	fi
	U=$WORK/u-$target.img
	truncate -s 4M "$U"
	run_capture out st "$RIAD" run -t "$target" -C "$APP" --block storage="$U" -- --format --mode=write --prefix=from-uk --count=20
	check "store: $target unikernel writes and flushes 20 keys" test "$st" = 0 -a "$(grep -c '^WROTE ' <<<"$out")" = 20
	ok=1
	for i in 0 7 19; do
		[ "$($DISK get "$U" from-uk/k$i)" = "value $i of from-uk" ] || ok=0
	done
	check "store: riad disk get reads what the $target unikernel wrote" test $ok = 1
	check "store: riad disk ls lists the $target unikernel's 20 keys" test "$($DISK ls "$U" from-uk | wc -l)" = 20
	printf 'from the host' >"$WORK/h1"
	$DISK put "$U" host/a "$WORK/h1"
	$DISK put "$U" host/deep/b "$WORK/big"
	run_capture out st "$RIAD" run -t "$target" -C "$APP" --block storage="$U" -- --mode=read host/a from-uk/k3
	check "store: the $target unikernel reads what riad disk put wrote" \
		grep -qx 'GOT host/a from the host' <<<"$out"
	check "store: the $target unikernel reads its own keys again" \
		grep -qx 'GOT from-uk/k3 value 3 of from-uk' <<<"$out"
	run_capture out st "$RIAD" run -t "$target" -C "$APP" --block storage="$U" -- --mode=dump
	want=$(sha256sum <"$WORK/big" | cut -d' ' -f1)
	check "store: the $target unikernel reads a 300 kB value riad disk put wrote" \
		grep -qx "HAVE host/deep/b $want" <<<"$out"
done
