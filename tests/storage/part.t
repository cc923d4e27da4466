# tests/storage/part.t: block devices and partitions end to end on unix, spt
# and hvt: disks partitioned by sgdisk (GPT, named partitions) and sfdisk
# (MBR with logical partitions), filled with random bytes, read through
# tests/storage/blkcat (riad_block_open, riad_block_part_open by name, index
# and type, riad_block_range_open) and hashed; each hash is compared with
# sha256sum of the same byte range, taken from the table by sfdisk -d on the
# host. Also: multi-sector writes read back and restored; requests cut into
# 2^k-block calls on riad's tenders, and one block per call for a guest
# that does not ask for riad's block extension; a damaged primary
# GPT (the backup serves), a hostile table, a request outside the device, a
# missing partition, a missing device and a read-only file, each with a
# clear error. A target this machine cannot run is skipped with the reason
# (a failure under CI=true), and so is everything without sgdisk or sfdisk.
source "$(dirname "$0")/../e2e/lib.sh"

need_or_skip() { # need_or_skip WHAT REASON
	if [ "${CI:-}" = true ]; then fail "$1 ($2)"; else skip "$1 ($2)"; fi
}

for tool in sgdisk sfdisk; do
	if ! command -v "$tool" >/dev/null; then
		need_or_skip "partition tests" "no $tool: apt-get install gdisk fdisk"
		exit 0
	fi
done

targets=(unix)
for t in spt hvt; do
	st=$("$RIAD" targets | awk -v t="$t" '$1 == t { $1 = ""; sub(/^ /, ""); print }')
	case "$st" in
	ok*) targets+=("$t") ;;
	*) need_or_skip "partitions on $t" "$t: ${st:-not listed}" ;;
	esac
done

cp -R "$ROOT/tests/storage/blkcat" "$WORK/blkcat"
chmod 755 "$WORK"
B=$WORK/blkcat

# fill IMG START COUNT: random sectors.
fill() { dd if=/dev/urandom of="$1" bs=512 seek="$2" count="$3" conv=notrunc status=none; }

# The GPT disk: 8 MiB, three named partitions and a gap.
gpt=$WORK/gpt.img
truncate -s 8M "$gpt"
sgdisk -n1:2048:+1M -c1:boot -t1:EF00 -n2:0:+2M -c2:root -t2:8300 -n4:8192:0 -c4:'big data' -t4:8200 "$gpt" >/dev/null
# The MBR disk: 16 MiB, two primaries, an extended partition, three logicals.
mbr=$WORK/mbr.img
truncate -s 16M "$mbr"
printf 'label: dos\n\n,1M,83\n,1M,82\n,,5\n,1M,83\n,2M,83\n,,83\n' | sfdisk -q "$mbr" >/dev/null

# part_info IMG N: "START SIZE" of partition N from sfdisk -d.
part_info() {
	sfdisk -d "$1" | awk -v p="$1$2" '$1 == p' |
		sed -E 's/.*start= *([0-9]+), size= *([0-9]+).*/\1 \2/'
}
for img in "$gpt" "$mbr"; do
	for n in 1 2 4 5 6 7; do
		read -r s c < <(part_info "$img" "$n") || continue
		[ -n "$s" ] && fill "$img" "$s" "$c"
	done
done
fill "$gpt" 6200 50 # the gap, which no partition covers

# expect IMG START COUNT: the line blkcat prints for those sectors.
expect() {
	echo "size $(($3 * 512)) sectors $3 sector-size 512 sha256 $(dd if="$1" bs=512 skip="$2" count="$3" status=none | sha256sum | cut -d' ' -f1)"
}

# blk OUTVAR STATUSVAR TARGET IMG ARGS...: run blkcat with disk=IMG.
blk() {
	local -n o_=$1 s_=$2
	local t=$3 img=$4
	shift 4
	run_capture o_ s_ "$RIAD" run -t "$t" -C "$B" --block "disk=$img" -- "$@"
}

# same NAME TARGET IMG START COUNT ARGS...: blkcat's line equals the host's.
same() {
	local name=$1 t=$2 img=$3 s=$4 c=$5 out st want
	shift 5
	blk out st "$t" "$img" "$@"
	want=$(expect "$img" "$s" "$c")
	if [ "$st" -eq 0 ] && grep -qxF "$want" <<<"$out"; then
		pass "$name on $t"
	else
		fail "$name on $t (status $st)"
		echo "  want: $want"
		grep -v '^Solo5:' <<<"$out" | head -5 | sed 's/^/  got:  /'
	fi
}

gpt_sectors=$(($(stat -c %s "$gpt") / 512))
mbr_sectors=$(($(stat -c %s "$mbr") / 512))
read -r g1s g1c < <(part_info "$gpt" 1)
read -r g2s g2c < <(part_info "$gpt" 2)
read -r g4s g4c < <(part_info "$gpt" 4)
read -r m1s m1c < <(part_info "$mbr" 1)
read -r m2s m2c < <(part_info "$mbr" 2)
read -r m5s m5c < <(part_info "$mbr" 5)
read -r m6s m6c < <(part_info "$mbr" 6)
read -r m7s m7c < <(part_info "$mbr" 7)

for t in "${targets[@]}"; do
	run_capture out st "$RIAD" build -t "$t" -C "$B"
	check "blkcat builds for $t" test "$st" -eq 0

	same "whole GPT disk" "$t" "$gpt" 0 "$gpt_sectors"
	same "GPT partition by name (boot)" "$t" "$gpt" "$g1s" "$g1c" --part=boot
	same "GPT partition by name with a space (big data)" "$t" "$gpt" "$g4s" "$g4c" "--part=big data"
	same "GPT partition by index (2)" "$t" "$gpt" "$g2s" "$g2c" --part=2
	same "GPT partition by index after a gap (4)" "$t" "$gpt" "$g4s" "$g4c" --part=4
	same "GPT partition by type GUID (Linux filesystem)" "$t" "$gpt" "$g2s" "$g2c" \
		--part=type:0FC63DAF-8483-4772-8E79-3D69D8477DE4
	same "a range inside a GPT partition" "$t" "$gpt" $((g2s + 100)) 333 --part=root --range=100:333
	same "whole MBR disk" "$t" "$mbr" 0 "$mbr_sectors"
	same "MBR primary 1" "$t" "$mbr" "$m1s" "$m1c" --part=1
	same "MBR primary 2 by type (82)" "$t" "$mbr" "$m2s" "$m2c" --part=type:82
	same "MBR logical 5" "$t" "$mbr" "$m5s" "$m5c" --part=5
	same "MBR logical 6" "$t" "$mbr" "$m6s" "$m6c" --part=6
	same "MBR logical 7" "$t" "$mbr" "$m7s" "$m7c" --part=7 --chunk=8

	# Multi-sector writes: written, read back, restored; nothing else moves.
	before=$(sha256sum <"$gpt")
	blk out st "$t" "$gpt" --part=root --write-test --chunk=17
	check "multi-sector writes read back through a partition on $t" \
		bash -c '[ "$2" -eq 0 ] && grep -q "^write-test: ok" <<<"$1"' _ "$out" "$st"
	check "and the disk is as before on $t" test "$(sha256sum <"$gpt")" = "$before"
	blk out st "$t" "$gpt" --part=root --read=0:8
	check "a request of 8 sectors is one call to the target on $t" \
		grep -q "^read 0:8: ok (1 calls below)" <<<"$out"
	blk out st "$t" "$gpt" --part=root --read=3:13
	if [ "$t" = unix ]; then n=1; else n=3; fi
	check "a request of 13 sectors at sector 3 is $n call(s) on $t (8+4+1 blocks on spt and hvt)" \
		grep -q "^read 3:13: ok ($n calls below)" <<<"$out"

	if [ "$t" != unix ]; then
		# The same guest with its ABI1 note saying nothing of riad's block
		# extension: riad's tender then treats it as Solo5's tenders do
		# every guest, and the guest falls back to one block per call.
		cp "$B/dist/blkcat.$t" "$WORK/plain.$t"
		off=$(readelf -SW "$WORK/plain.$t" | sed -n 's/.*\.note\.solo5\.abi *NOTE *[0-9a-f]* \([0-9a-f]*\) .*/\1/p')
		printf '\0\0\0\0' | dd of="$WORK/plain.$t" bs=1 seek=$((0x$off + 28)) conv=notrunc status=none
		plain() { run_capture "$1" "$2" "$ROOT/build/stage/bin/riad-$t" "--block:disk=$3" "$WORK/plain.$t" "${@:4}"; }
		plain out st "$gpt" --part=root --read=3:13
		check "without the extension a request of 13 sectors is 13 calls on $t" \
			grep -q "^read 3:13: ok (13 calls below)" <<<"$out"
		plain out st "$gpt" --part=root --write-test --chunk=17
		check "without the extension multi-sector writes read back on $t" \
			bash -c '[ "$2" -eq 0 ] && grep -q "^write-test: ok" <<<"$1"' _ "$out" "$st"
		plain out st "$mbr" --part=6
		check "without the extension MBR logical 6 hashes the same on $t" \
			grep -qxF "$(expect "$mbr" "$m6s" "$m6c")" <<<"$out"
		check "and the disk is as before on $t" test "$(sha256sum <"$gpt")" = "$before"
	fi

	# Damaged primary GPT: the backup serves.
	cp "$gpt" "$WORK/gpt-damaged.img"
	printf 'X' | dd of="$WORK/gpt-damaged.img" bs=1 seek=$((512 + 60)) conv=notrunc status=none
	same "damaged primary GPT header: the backup serves" "$t" "$WORK/gpt-damaged.img" "$g4s" "$g4c" "--part=big data"
	blk out st "$t" "$WORK/gpt-damaged.img" --part=boot
	check "the damaged primary is logged on $t" grep -q "primary GPT is damaged" <<<"$out"
	printf 'X' | dd of="$WORK/gpt-damaged.img" bs=512 seek=$((gpt_sectors - 1)) conv=notrunc status=none
	blk out st "$t" "$WORK/gpt-damaged.img" --part=boot
	check "both GPT headers damaged: EBADMSG, logged and counted, on $t" \
		bash -c '[ "$2" -eq 3 ] && grep -q "open partition boot: EBADMSG" <<<"$1" && grep -q "CRC32 mismatch" <<<"$1" &&
			grep -q "^part-stats: no_table 0 bad_header 1 bad_crc 1 outside 0 " <<<"$1"' _ "$out" "$st"

	# A hostile MBR: partition 2 reaches past the end of the disk.
	cp "$mbr" "$WORK/mbr-hostile.img"
	printf '\xff\xff\x00\x00' | dd of="$WORK/mbr-hostile.img" bs=1 seek=$((446 + 16 + 12)) conv=notrunc status=none
	blk out st "$t" "$WORK/mbr-hostile.img" --part=1
	check "an MBR entry outside the disk is rejected, logged and counted on $t" \
		bash -c '[ "$2" -eq 3 ] && grep -q "EBADMSG" <<<"$1" && grep -q "outside the disk" <<<"$1" &&
			grep -q "^part-stats: .* outside 1 overlap 0 " <<<"$1"' _ "$out" "$st"

	# Errors.
	blk out st "$t" "$gpt" --part=root --read=$((g2c - 1)):2
	check "a read past the partition's end gives ERANGE on $t" \
		bash -c '[ "$2" -eq 5 ] && grep -q "read [0-9]*:2: ERANGE" <<<"$1"' _ "$out" "$st"
	blk out st "$t" "$gpt" --read=$gpt_sectors:1
	check "a read past the disk's end gives ERANGE on $t" \
		bash -c '[ "$2" -eq 5 ] && grep -q "ERANGE" <<<"$1"' _ "$out" "$st"
	blk out st "$t" "$gpt" --part=nosuch
	check "a missing partition gives ENOENT, counted, on $t" \
		bash -c '[ "$2" -eq 3 ] && grep -q "open partition nosuch: ENOENT" <<<"$1" &&
			grep -q "^part-stats: .* not_found 1 " <<<"$1"' _ "$out" "$st"
	blk out st "$t" "$gpt" --part=3
	check "an empty GPT slot gives ENOENT on $t" \
		bash -c '[ "$2" -eq 3 ] && grep -q "ENOENT" <<<"$1"' _ "$out" "$st"
	blk out st "$t" "$gpt" --part=root --range=6000:200
	check "a range outside the partition gives ERANGE on $t" \
		bash -c '[ "$2" -eq 3 ] && grep -q "open range 6000:200: ERANGE" <<<"$1"' _ "$out" "$st"
	truncate -s 1M "$WORK/blank.img"
	blk out st "$t" "$WORK/blank.img" --part=1
	check "a disk without a table gives EBADMSG, counted, on $t" \
		bash -c '[ "$2" -eq 3 ] && grep -q "no 55AA signature" <<<"$1" &&
			grep -q "^part-stats: no_table 1 " <<<"$1"' _ "$out" "$st"
	run_capture out st "$RIAD" run -t "$t" -C "$B"
	if [ "$t" = unix ]; then
		check "a missing device gives ENODEV, naming the option, on unix" \
			bash -c '[ "$2" -eq 2 ] && grep -q "open disk: ENODEV" <<<"$1" && grep -q -- "--block" <<<"$1"' _ "$out" "$st"
	else
		check "a missing device: the tender refuses to start, naming it, on $t" \
			bash -c '[ "$2" -ne 0 ] && grep -q "disk" <<<"$1"' _ "$out" "$st"
	fi
done

# A real block device on unix: the GPT disk on a loop device.
loopdev=
if [ "$(id -u)" -eq 0 ] && command -v losetup >/dev/null && loopdev=$(losetup -f --show "$gpt" 2>/dev/null); then
	trap 'losetup -d "$loopdev" 2>/dev/null; rm -rf "$WORK"' EXIT
	run_capture out st "$B/dist/blkcat.unix" "--block:disk=$loopdev" "--part=big data"
	check "a partition of a real block device ($loopdev) on unix" \
		grep -qxF "$(expect "$gpt" "$g4s" "$g4c")" <<<"$out"
	run_capture out st "$B/dist/blkcat.unix" "--block:disk=$loopdev" --part=boot --write-test
	check "multi-sector writes through a partition of a real block device on unix" \
		bash -c '[ "$2" -eq 0 ] && grep -q "^write-test: ok" <<<"$1"' _ "$out" "$st"
	losetup -d "$loopdev"
	trap 'rm -rf "$WORK"' EXIT
else
	skip "a real block device on unix (no loop device: needs root and losetup)"
fi

# A read-only file (root may write anything, so run as nobody).
cp "$gpt" "$WORK/ro.img"
chmod 444 "$WORK/ro.img"
if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	asnobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
	run_capture out st asnobody "$B/dist/blkcat.unix" "--block:disk=$WORK/ro.img" --part=boot
	check "a read-only file is read on unix" grep -qxF "$(expect "$gpt" "$g1s" "$g1c")" <<<"$out"
	run_capture out st asnobody "$B/dist/blkcat.unix" "--block:disk=$WORK/ro.img" --part=boot --write-test
	check "writing to a read-only file gives EROFS on unix" \
		bash -c '[ "$2" -eq 1 ] && grep -q "write-test: sector 0: EROFS" <<<"$1"' _ "$out" "$st"
	for t in "${targets[@]}"; do
		[ "$t" = spt ] || continue
		run_capture out st asnobody "$ROOT/build/stage/bin/riad-spt" "--block:disk=$WORK/ro.img" "$B/dist/blkcat.spt"
		check "a read-only file: riad-spt refuses to start with a clear error" \
			bash -c '[ "$2" -ne 0 ] && grep -q "ro.img.*Permission denied" <<<"$1"' _ "$out" "$st"
	done
else
	skip "read-only file (no setpriv or no user nobody)"
fi
