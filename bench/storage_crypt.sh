# bench/storage_crypt.sh: the encryption overlay (docs/storage-crypt.md) against the plain device below it, measured in the same run by a unikernel (bench/storage_crypt/main.c) on two --block files of SIZE MiB each (default 64): sequential and random throughput in 4 KiB and 64 KiB requests at 512 and 4096-byte sectors and their ratios (goal: the overlay at least half the plain figure), with BearSSL's AES-GCM alone on one core as the ceiling; then the space overhead of real images made with riad disk encrypt at 512 and 4096-byte sectors.
# Usage: bench/storage_crypt.sh [SIZE_MIB] [TARGET...] (targets default: unix spt)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
DISK=$ROOT/build/stage/libexec/riad/riad-disk
mib=${1:-64}
shift || true
targets=${*:-unix spt}
work=$(mktemp -d /tmp/riad-bench-crypt.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 -c 'import os; print(os.urandom(32).hex())' >"$work/key"
key=$(cat "$work/key")

echo "space overhead of real images ($mib MiB of data):"
head -c $((mib << 20)) /dev/urandom >"$work/data.img"
for ss in 512 4096; do
	"$DISK" encrypt --key-file="$work/key" --sector-size=$ss "$work/data.img" "$work/enc$ss.img"
	python3 -c "import sys; d, e = $(stat -c %s "$work/data.img"), $(stat -c %s "$work/enc$ss.img"); print('  %5d-byte sectors: %d bytes of data in a %d-byte image: %.2f%% of the image is overhead' % ($ss, d, e, 100.0 * (e - d) / e))"
done
t0=$(date +%s.%N)
"$DISK" decrypt --key-file="$work/key" "$work/enc512.img" "$work/back.img"
t1=$(date +%s.%N)
cmp -s "$work/data.img" "$work/back.img" || { echo "decrypt mismatch"; exit 1; }
echo "  riad disk decrypt: $mib MiB in $(python3 -c "print('%.2f' % ($t1 - $t0))") s"

d=$work/uk
mkdir -p "$d"
cp bench/storage_crypt/main.c "$d/main.c"
printf 'name = cryptbench\n' >"$d/riad.conf"
head -c $((mib << 20)) /dev/zero >"$work/plain.img"
for t in $targets; do
	# Guests see the BearSSL riad builds for them (for the ceiling); unix
	# the host's.
	printf 'name = cryptbench\n' >"$d/riad.conf"
	[ "$t" = unix ] || printf 'cflags = -I%s\n' "$ROOT/build/stage/lib/riad/bearssl/include" >>"$d/riad.conf"
	if ! out=$("$RIAD" build -t "$t" -C "$d" 2>&1); then
		echo "$t: skipped (does not build: $(grep -m1 -o "undefined reference to \`[a-z_]*'" <<<"$out" || tail -1 <<<"$out"))"
		continue
	fi
	rm -f "$work/enc.img" "$work/enc4k.img"
	"$DISK" encrypt --key-file="$work/key" "$work/plain.img" "$work/enc.img"
	"$DISK" encrypt --key-file="$work/key" --sector-size=4096 "$work/plain.img" "$work/enc4k.img"
	echo "$t ($mib MiB devices, the host's page cache below):"
	"$RIAD" run -t "$t" -C "$d" --block plain="$work/plain.img" --block enc="$work/enc.img" \
		--block enc4k="$work/enc4k.img" -- --key="$key" |
		sed 's/^/  /'
done
