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

# Hostile variants of those, each with its checksums made right, so that the
# reader's later checks reject them (or, for the truncated ones, the first).
python3 - "$out" <<'PY'
import os, struct, sys, zlib
out = sys.argv[1]

def load(name):
    b = open(os.path.join(out, name), 'rb').read()
    sectors, = struct.unpack_from('<I', b, 0)
    recs, i = {}, 8
    while i + 4 + 512 <= len(b):
        lba, = struct.unpack_from('<I', b, i)
        recs[lba] = bytearray(b[i + 4:i + 4 + 512])
        i += 516
    return sectors, recs

def save(name, sectors, recs, shift=0):
    ss = 512 << shift
    o = bytearray(struct.pack('<IBBBB', sectors, shift, 0, 0, 0))
    for lba in sorted(recs):
        o += struct.pack('<I', lba) + bytes(recs[lba]).ljust(ss, b'\0')
    open(os.path.join(out, name), 'wb').write(o)

def gpt_fix(recs, hdr_lba):
    h = recs[hdr_lba]
    arr, = struct.unpack_from('<Q', h, 72)
    n, esz = struct.unpack_from('<II', h, 80)
    a = b''.join(bytes(recs.get(arr + k, bytes(512))) for k in range((n * esz + 511) // 512))
    struct.pack_into('<I', h, 88, zlib.crc32(a[:n * esz]))
    struct.pack_into('<I', h, 16, 0)
    struct.pack_into('<I', h, 16, zlib.crc32(bytes(h[:92])))

def entry(recs, arr, i):
    return recs[arr + i * 128 // 512], (i * 128) % 512

# GPT: entry 2 reaches past the last usable sector
n, r = load('sgdisk_gpt3')
e, o = entry(r, 2, 1)
struct.pack_into('<Q', e, o + 40, n)
gpt_fix(r, 1)
save('hostile_gpt_entry_outside', n, {k: v for k, v in r.items() if k < 34})
# GPT: entries 1 and 2 overlap
n, r = load('sgdisk_gpt3')
e, o = entry(r, 2, 1)
first, = struct.unpack_from('<Q', entry(r, 2, 0)[0], 40)
struct.pack_into('<Q', e, o + 32, first)
gpt_fix(r, 1)
save('hostile_gpt_overlap', n, {k: v for k, v in r.items() if k < 34})
# GPT: only the protective MBR (a truncated image)
n, r = load('sgdisk_gpt3')
save('truncated_gpt_pmbr_only', n, {0: r[0]})
# GPT: 4096-byte sectors (the header and array of the 512-byte image, moved)
n, r = load('sfdisk_gpt3')
h = bytearray(r[1])
struct.pack_into('<QQQQ', h, 24, 1, n // 8 - 1, 6, n // 8 - 6)
struct.pack_into('<Q', h, 72, 2)
arr = b''.join(bytes(r.get(2 + k, bytes(512))) for k in range(32))
fix = {0: r[0], 1: h}
for k in range(4):
    fix[2 + k] = bytearray(arr[4096 * k:4096 * (k + 1)])
for k in range(128):   # entries' LBAs in 4 KiB units
    blk, off = fix[2 + k * 128 // 4096], (k * 128) % 4096
    a, b = struct.unpack_from('<QQ', blk, off + 32)
    if a:
        struct.pack_into('<QQ', blk, off + 32, max(6, a // 8), min(n // 8 - 6, b // 8))
fa = b''.join(bytes(fix[2 + k]) for k in range(4))
struct.pack_into('<I', h, 88, zlib.crc32(fa))
struct.pack_into('<I', h, 16, 0)
struct.pack_into('<I', h, 16, zlib.crc32(bytes(h[:92])))
save('gpt_4k_sectors', n // 8, fix, shift=3)
# MBR: the second EBR links back to the first (a loop)
n, r = load('sfdisk_mbr_logical3')
ebrs = sorted(k for k in r if k > 0)
struct.pack_into('<I', r[ebrs[1]], 462 + 8, 0)
save('hostile_mbr_ebr_loop', n, r)
# MBR: a logical partition reaching past the extended partition
n, r = load('sfdisk_mbr_logical3')
struct.pack_into('<I', r[ebrs[-1]], 446 + 12, n)
save('hostile_mbr_logical_outside', n, r)
# MBR: a chain of 70 EBRs, one sector apart
r = {0: bytearray(512)}
r[0][510:512] = b'\x55\xaa'
struct.pack_into('<BBBBBBBBII', r[0], 446, 0, 0, 0, 0, 5, 0, 0, 0, 100, 200)
for k in range(70):
    s = bytearray(512)
    s[510:512] = b'\x55\xaa'
    struct.pack_into('<4xB3xII', s, 446, 0x83, 1, 1)
    if k < 69:
        struct.pack_into('<4xB3xII', s, 462, 5, 2 * (k + 1), 2)
    r[100 + 2 * k] = s
save('hostile_mbr_chain_too_long', 400, r)
PY

ls -l "$out"
