#!/usr/bin/env bash
# fuzz/storage_store_seeds.sh: makes the seed corpus of fuzz/storage_store.c
# (fuzz/corpus/storage_store/) from stores written by riad disk on 34-sector
# images (H = 16), each turned into the target's patch format: a mode byte
# (0x80: H = 8 + 8, checksums as written) and one whole-sector patch per
# sector that is not all zeros. Run from the top of the tree after make.
set -eu
cd "$(dirname "$0")/.."
DISK="build/stage/libexec/riad/riad-disk"
OUT=fuzz/corpus/storage_store
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$OUT"

# seed NAME MODE: convert $W/img.
seed() {
	python3 - "$W/img" "$OUT/$1" "$2" <<'PY'
import sys
img = open(sys.argv[1], 'rb').read()
out = bytearray([int(sys.argv[3], 0)])
for i in range(len(img) // 512):
    s = img[i * 512:(i + 1) * 512]
    if any(s):
        out += bytes([i, 0, 0, 0, 2]) + s
open(sys.argv[2], 'wb').write(out)
PY
}

fresh() { rm -f "$W/img"; truncate -s $((34 * 512)) "$W/img"; "$DISK" format "$W/img"; }
put() { printf '%s' "$3" >"$W/v"; "$DISK" put "$W/img" "$2" "$W/v"; }

fresh
seed empty 0x80
put "$W/img" a "hello"
seed one_key 0x80
put "$W/img" dir/sub/b "nested value"
put "$W/img" dir/c ""
put "$W/img" a "replaced"
seed dirs 0x80
head -c 2500 /dev/zero | tr '\0' 'x' >"$W/big"
"$DISK" put "$W/img" big "$W/big"
seed multi_sector 0x80
# enough rewrites of the big value to compact into the other half and back
for i in 1 2 3 4 5; do "$DISK" put "$W/img" big "$W/big"; done
seed compacted 0x80
# the same, with checksums recomputed by the target (bit 0 and 1)
seed compacted_sealed 0x83
fresh
for i in 1 2 3; do put "$W/img" "k$i" "value $i"; done
seed three_commits_sealed 0x83
