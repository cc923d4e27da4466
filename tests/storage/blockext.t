# tests/storage/blockext.t: riad's block extension as riad-spt's sandbox
# enforces it, with hand-made guests (tests/tender/guest_blockext.S): a
# guest that asks (ABI1 reserved0 bit 0) is told how many blocks one call
# may move and that it may flush, may read 2^k blocks at once and call
# fdatasync, and still cannot grow the file or move a count that is not a
# power of two or more than offered; a guest that does not ask (as every
# Solo5 guest) sees Solo5's manifest and Solo5's sandbox.
cd "$(dirname "$0")/../.."
spt=build/stage/bin/riad-spt
g=build/tests/tender/guests
if [ ! -x "$spt" ] || [ ! -f "$g/blockext.spt" ] || [ ! -f "$g/blockext0.spt" ]; then
	echo "FAIL: blockext: $spt or $g/blockext*.spt is not built (make check builds them)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

suite=blockext
. tests/tender/lib.sh

head -c 1536 /dev/zero >"$tmp/small"      # 4 blocks, the last marked
printf 'LASTBLOCKDATA!!!' >>"$tmp/small"
head -c 496 /dev/zero >>"$tmp/small"
truncate -s 4M "$tmp/big"
printf 'LAST4096BLOCK!!!' | dd of="$tmp/big" bs=4096 seek=1023 conv=notrunc status=none

run "asked: a 4-block disk offers 4 blocks per call" 4 "" -- $spt --block:storage="$tmp/small" $g/blockext.spt m
run "asked: a 4 MiB disk offers at least 255 blocks per call" 255 "" -- $spt --block:storage="$tmp/big" $g/blockext.spt m
run "asked: flush offered" 1 "" -- $spt --block:storage="$tmp/small" $g/blockext.spt f
run "asked: the last two blocks in one read" 0 "=LASTBLOCKDATA!!!" -- $spt --block:storage="$tmp/small" $g/blockext.spt a
run "asked: a two-block write past the end is a seccomp kill" 159 "" -- $spt --block:storage="$tmp/small" $g/blockext.spt b
run "asked: three blocks in one call is a seccomp kill" 159 "" -- $spt --block:storage="$tmp/small" $g/blockext.spt c
run "asked: fdatasync on the device" 0 "" -- $spt --block:storage="$tmp/small" $g/blockext.spt d
run "asked: the most offered (1 MiB) reads, twice that is a seccomp kill" 159 "=ok" -- $spt --block:storage="$tmp/big" $g/blockext.spt e
run "asked, 4096-byte sectors: the last two blocks in one read" 0 "=LAST4096BLOCK!!!" -- $spt --block-sector-size:storage=4096 --block:storage="$tmp/big" $g/blockext.spt a
run "asked, 4096-byte sectors: 256 blocks (1 MiB) offered" 255 "" -- $spt --block-sector-size:storage=4096 --block:storage="$tmp/big" $g/blockext.spt m

run "not asked: nothing offered" 0 "" -- $spt --block:storage="$tmp/big" $g/blockext0.spt m
run "not asked: no flush" 0 "" -- $spt --block:storage="$tmp/big" $g/blockext0.spt f
run "not asked: two blocks in one read is a seccomp kill" 159 "" -- $spt --block:storage="$tmp/small" $g/blockext0.spt a
run "not asked: fdatasync is a seccomp kill" 159 "" -- $spt --block:storage="$tmp/small" $g/blockext0.spt d
