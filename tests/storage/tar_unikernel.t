# tests/storage/tar_unikernel.t: the tar store inside a unix unikernel (tests/storage/kvtar_guest): it reads a GNU tar archive from its block device "disk" (riad run --block), every value's SHA-256 matches the file's, and a value it appends is what GNU tar extracts. On spt and hvt when they can build it (riad_block_open there).
source "$(dirname "$0")/../e2e/lib.sh"
T=storage/tar_unikernel
src=$WORK/src
mkdir -p "$src/d/e"
long=$(head -c 200 /dev/zero | tr '\0' l)/$(head -c 150 /dev/zero | tr '\0' m)
mkdir -p "$src/$(dirname "$long")"
for f in a d/b d/e/c "$long"; do head -c $((RANDOM * 3)) /dev/urandom >"$src/$f"; done
: >"$src/empty"
(cd "$src" && tar --format=gnu -cf "$WORK/disk.img" .)
truncate -s +64K "$WORK/disk.img"
want=$(cd "$src" && find . -type f | cut -c3- | sort | while read -r f; do
	echo "V $(stat -c %s "$f") $(sha256sum <"$f" | cut -d' ' -f1) $f"
done)

cp -R "$ROOT/tests/storage/kvtar_guest" "$WORK/kvtar"
for t in unix spt hvt; do
	if ! "$RIAD" targets 2>/dev/null | grep -Eq "^$t +ok"; then
		skip "$T: $t (target not usable here)"
		continue
	fi
	run_capture out st "$RIAD" build -t $t -C "$WORK/kvtar"
	if [ "$st" -ne 0 ]; then
		if [ $t = unix ]; then fail "$T: builds on $t: $(tail -3 <<<"$out" | tr '\n' ' ')"; else
			skip "$T: $t (the test unikernel does not build there yet: $(grep -m1 -i 'undefined\|error' <<<"$out"))"; fi
		continue
	fi
	img=$WORK/disk-$t.img
	cp "$WORK/disk.img" "$img"
	run_capture out st "$RIAD" run -t $t -C "$WORK/kvtar" --block disk="$img"
	check "$T: $t: runs and says SUCCESS" grep -q '^SUCCESS' <<<"$out"
	got=$(grep '^V ' <<<"$out" | sort -k4)
	check "$T: $t: every value's size and SHA-256 are the file's" test "$got" = "$(sort -k4 <<<"$want")"
	run_capture out st "$RIAD" run -t $t -C "$WORK/kvtar" --block disk="$img" -- --append=new/key --value=appended
	check "$T: $t: appends" grep -q '^SUCCESS' <<<"$out"
	check "$T: $t: GNU tar extracts the appended value" test "$(tar -xOf "$img" new/key)" = appended
done
