#!/usr/bin/env bash
# bench/storage_store.sh: the writable store's flushed sets per second and
# gets per second (tests/storage/storeapp --mode=bench: BENCH_COUNT sets of
# BENCH_LEN bytes, each followed by riad_kv_flush, then as many gets of whole
# values) on a 64 MiB image file, against the host writing the same values
# as files in a directory next to it, each written and fdatasync'ed
# (bench/storage_store_files.c), then read back; both on the file system of
# $TMPDIR (ext4 here), in the same run.
#
# The machine is shared and noisy: each store run is paired with a
# baseline run just before it, ratios are taken within each pair, and the
# figures are medians over BENCH_RUNS (default 5) pairs, with the lowest and
# highest ratio as the spread. Targets: unix (its flush is fdatasync on the
# image); spt when it can run here (its flush is whatever the spt block
# binding does: with riad_block_open on Solo5 a write is in the host kernel
# when the call returns, and the ABI has no flush, so the spt figures do
# not include a sync to the disk: compare them with care).
# Usage: bench/storage_store.sh (after make; make bench builds the baseline)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
runs=${BENCH_RUNS:-5}
count=${BENCH_COUNT:-2000}
len=${BENCH_LEN:-1000}
. bench/lib/paired.sh
base=$ROOT/build/bench/storage_store_files
[ -x "$base" ] || make -s "$base" >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/riad-bench-store.XXXXXX")
trap 'rm -rf "$work"' EXIT
fs=$(df -T "$work" | awk 'NR == 2 { print $2 }')
cp -R tests/storage/storeapp "$work/storeapp"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2" | head -1; }

for target in unix spt; do
	if [ "$target" = spt ] && ! grep -q '^spt *ok' <<<"$("$RIAD" targets)"; then
		echo "storage_store: spt skipped (target not available)"
		continue
	fi
	if ! "$RIAD" build -t "$target" -C "$work/storeapp" >"$work/build.log" 2>&1; then
		echo "storage_store: $target skipped (storeapp does not build: $(grep -m1 'undefined reference\|error' "$work/build.log"))"
		continue
	fi
	bin=$work/storeapp/dist/storeapp.$target
	sr=() gr=() bs=() bg=() us=() ug=()
	for ((i = 0; i < runs; i++)); do
		rm -rf "$work/files" "$work/img"
		mkdir "$work/files"
		out=$("${srv[@]}" "$base" "$work/files" "$count" "$len")
		b_set=$(field sets_per_s "$out") b_get=$(field gets_per_s "$out")
		truncate -s 64M "$work/img"
		"$RIAD" disk format "$work/img"
		if [ "$target" = unix ]; then
			out=$("${srv[@]}" "$bin" "--block:storage=$work/img" --mode=bench --count="$count" --max-len="$len")
		else
			out=$("${srv[@]}" "$ROOT/build/stage/bin/riad-spt" "--block:storage=$work/img" -- "$bin" \
				--mode=bench --count="$count" --max-len="$len")
		fi
		u_set=$(field sets_per_s "$out") u_get=$(field gets_per_s "$out")
		if [ -z "$u_set" ]; then
			echo "storage_store: $target: the bench unikernel failed: $out"
			exit 1
		fi
		bs+=("$b_set") bg+=("$b_get") us+=("$u_set") ug+=("$u_get")
		sr+=("$(ratio "$u_set" "$b_set")") gr+=("$(ratio "$u_get" "$b_get")")
	done
	spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }
	printf 'storage_store %s: flushed sets/s %s (files+fdatasync on %s: %s) ratio %s [%s]; gets/s %s (files: %s) ratio %s [%s]; %d pairs of %d values of %d bytes\n' \
		"$target" "$(median "${us[@]}")" "$fs" "$(median "${bs[@]}")" "$(median "${sr[@]}")" "$(spread "${sr[@]}")" \
		"$(median "${ug[@]}")" "$(median "${bg[@]}")" "$(median "${gr[@]}")" "$(spread "${gr[@]}")" \
		"$runs" "$count" "$len"
done
