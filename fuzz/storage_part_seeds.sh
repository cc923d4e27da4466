#!/bin/bash
# fuzz/storage_part_seeds.sh: makes fuzz/corpus/storage_part/ (the storage_part
# fuzz target's seed corpus) from disks partitioned by the real tools: sgdisk
# (GPT with names, a damaged primary), sfdisk (MBR with logical partitions,
# GPT) and parted (GPT, MBR with an extended partition). Each image is fresh
# and sparse, so its non-zero sectors are exactly the tables; the input
# format is described at the top of fuzz/storage_part.c.
# Needs gdisk, fdisk and parted (Debian package names). Run from anywhere.
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)/corpus/storage_part
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# to_input IMG NAME: every non-zero 512-byte sector of IMG as a record.
to_input() {
	python3 - "$1" "$out/$2" <<'PY'
import os, struct, sys
img, dst = sys.argv[1], sys.argv[2]
size = os.path.getsize(img)
out = bytearray(struct.pack('<IBBBB', size // 512, 0, 0, 0, 0))
zero = bytes(512)
with open(img, 'rb') as f:
    for lba in range(size // 512):
        s = f.read(512)
        if s != zero:
            out += struct.pack('<I', lba) + s
open(dst, 'wb').write(out)
PY
}

img=$tmp/d.img
fresh() { rm -f "$img"; truncate -s "$1" "$img"; }

fresh 8M
sgdisk -n1:2048:+2M -c1:boot -t1:EF00 -n2:0:+3M -c2:root -t2:8300 -n3:0:0 -c3:'data space' -t3:8200 "$img" >/dev/null
to_input "$img" sgdisk_gpt3
dd if=/dev/zero of="$img" bs=512 seek=1 count=1 conv=notrunc status=none
to_input "$img" sgdisk_gpt3_primary_wiped

fresh 4M
sgdisk -a1 -n1:34:100 -c1:a -n2:101:200 -c2:b -n5:300:400 -c5:fifth "$img" >/dev/null
to_input "$img" sgdisk_gpt_gap

fresh 16M
printf 'label: dos\n\n,1M,83\n,1M,82\n,,5\n,1M,83\n,1M,83\n,,83\n' | sfdisk -q "$img" >/dev/null
to_input "$img" sfdisk_mbr_logical3

fresh 8M
printf 'label: gpt\n\nsize=2M, type=L, name=alpha\nsize=2M, type=S, name=beta\ntype=L, name=gamma\n' | sfdisk -q "$img" >/dev/null
to_input "$img" sfdisk_gpt3

fresh 8M
parted -s "$img" mklabel gpt mkpart one ext4 1MiB 3MiB mkpart two ext4 3MiB 7MiB 2>/dev/null
to_input "$img" parted_gpt2

fresh 8M
parted -s "$img" mklabel msdos mkpart primary 1MiB 2MiB mkpart extended 2MiB 100% \
	mkpart logical 3MiB 4MiB mkpart logical 5MiB 7MiB 2>/dev/null
to_input "$img" parted_mbr_extended

ls -l "$out"
