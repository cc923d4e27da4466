# bench/storage_block.sh: sequential and random reads and writes of 4 KiB
# and 64 KiB requests through riad's block API (bench/storage_block/, a
# unikernel on the declared device "disk") on unix, spt and hvt, each run
# paired with the host's own pread/pwrite of the same requests on the same
# file just before it (bench/storage_block_host.c, built here with cc).
#
# The file (BENCH_FILE_MB, default 64 MiB) is read once first, so that
# every run works on the host's page cache: this measures the I/O path
# (calls, exits, copies), not the disk. A run moves BENCH_MB (default 64)
# MB, on hvt BENCH_HVT_MB (default 16: every call is an exit to the tender
# there). The targets "spt1" and "hvt1" are the same guests with their ABI1
# note cleared, so that riad's tenders treat them as Solo5's tenders treat
# every guest: one block per call, as on Solo5's tenders (BENCH_ONE_MB,
# default 2, per run). Each figure is the median of BENCH_RUNS (default 3)
# pairs, with the minimum and maximum; the ratio is riad's rate over the
# host's within each pair. "calls/req" is how many calls riad's device made
# of the target per request: system calls on unix, pread64/pwrite64 on spt,
# hypercalls (= exits to the tender) on hvt. BENCH_TARGETS (default "unix
# spt hvt spt1 hvt1") picks the targets; one this machine cannot run is
# skipped.
# Both programs run on CPU 0 (taskset) unless BENCH_PIN=0.
# Usage: bench/storage_block.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
runs=${BENCH_RUNS:-3}
file_mb=${BENCH_FILE_MB:-64}
mb=${BENCH_MB:-64}
hvt_mb=${BENCH_HVT_MB:-16}
one_mb=${BENCH_ONE_MB:-2}
. bench/lib/paired.sh

work=$(mktemp -d /tmp/riad-bench-blk.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/host" bench/storage_block_host.c
cp -R bench/storage_block "$work/u"
img=$work/disk.img
dd if=/dev/urandom of="$img" bs=1M count="$file_mb" status=none
cat "$img" >/dev/null

targets=()
for t in ${BENCH_TARGETS:-unix spt hvt spt1 hvt1}; do
	base=${t%1}
	st=$("$RIAD" targets | awk -v t="$base" '$1 == t { $1 = ""; sub(/^ /, ""); print }')
	case "$st" in
	ok*) "$RIAD" build -t "$base" -C "$work/u" >/dev/null && targets+=("$t") ;;
	*) echo "storage_block: $t skipped (${st:-not listed})" ;;
	esac
	if [ "$t" != "$base" ]; then
		# reserved0 of the ABI1 note (abi/elf_note.h) cleared
		bin=$work/one.$base
		cp "$work/u/dist/storage_block.$base" "$bin"
		off=$(readelf -SW "$bin" | sed -n 's/.*\.note\.solo5\.abi *NOTE *[0-9a-f]* \([0-9a-f]*\) .*/\1/p')
		printf '\0\0\0\0' | dd of="$bin" bs=1 seek=$((0x$off + 28)) conv=notrunc status=none
	fi
done

# run_riad TARGET ARGS...: one run of the unikernel on TARGET.
run_riad() {
	local t=$1
	shift
	if [ "${t%1}" != "$t" ]; then
		"${srv[@]+"${srv[@]}"}" "$ROOT/build/stage/bin/riad-${t%1}" "--block:disk=$img" "$work/one.${t%1}" "$@" 2>&1
	else
		"${srv[@]+"${srv[@]}"}" "$RIAD" run -t "$t" -C "$work/u" --block "disk=$img" -- "$@" 2>&1
	fi
}

# field NAME LINE: the value of NAME= in a RESULT line.
field() { sed -nE "s/.*RESULT.* $1=([0-9]+).*/\1/p; s/^RESULT $1=([0-9]+).*/\1/p" <<<"$2" | head -1; }
# mbps NS BYTES: MB/s.
mbps() { awk -v ns="$1" -v b="$2" 'BEGIN { printf "%.1f", ns ? b / ns * 1000 : 0 }'; }
minmax() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo ".." hi }'; }

for size in 4096 65536; do
	for op in read write; do
		for pattern in seq rand; do
			for t in "${targets[@]}"; do
				bytes=$((mb << 20))
				[ "$t" = hvt ] && bytes=$((hvt_mb << 20))
				[ "${t%1}" != "$t" ] && bytes=$((one_mb << 20))
				r=() h=() q=() c=()
				for ((i = 0; i < runs; i++)); do
					hout=$("${srv[@]+"${srv[@]}"}" "$work/host" "$img" "$op" "$pattern" "$size" "$bytes")
					rout=$(run_riad "$t" --op="$op" --pattern="$pattern" --size="$size" --bytes="$bytes")
					hns=$(field ns "$hout") rns=$(field ns "$rout")
					if [ -z "$rns" ] || [ -z "$hns" ]; then
						echo "storage_block: $t $pattern $op $size failed:" >&2
						echo "$rout" | tail -3 >&2
						exit 1
					fi
					h+=("$(mbps "$hns" "$bytes")") r+=("$(mbps "$rns" "$bytes")")
					q+=("$(ratio "${r[-1]}" "${h[-1]}")")
					c+=("$(awk -v a="$(field calls "$rout")" -v b="$(field reqs "$rout")" 'BEGIN { printf "%g", a / b }')")
				done
				printf 'riad block %s %s %s KiB on %s: %s MB/s (%s), host pread/pwrite %s MB/s (%s); ratio %s (%s), %s calls/req\n' \
					"$pattern" "$op" $((size / 1024)) "$t" "$(median "${r[@]}")" "$(minmax "${r[@]}")" \
					"$(median "${h[@]}")" "$(minmax "${h[@]}")" "$(median "${q[@]}")" "$(minmax "${q[@]}")" \
					"$(median "${c[@]}")"
			done
		done
	done
done
