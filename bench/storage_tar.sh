# bench/storage_tar.sh: the tar KV store on an archive of 10 000 files: time to open (index) it and to get one file, against GNU tar listing (tar -tf) and extracting one file (tar -xOf) of the same archive.
# Two measures, both with the archive in the page cache:
#   in process: kvtar-tool time opens the store and gets the file BENCH_RUNS
#     times and prints median, min and max of each step;
#   whole processes (hyperfine): kvtar-tool get (start, open, get, exit)
#     against tar -tf and tar -xOf; ratios of the medians, with min and max,
#     and of the CPU time (user + system), which a loaded machine disturbs
#     less than the wall-clock time.
# Usage: bench/storage_tar.sh; BENCH_FILES (default 10000), BENCH_RUNS (default 50).
# Needs build/tests/storage/kvtar-tool (make build-tests), GNU tar, hyperfine, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=$PWD/build/tests/storage/kvtar-tool
files=${BENCH_FILES:-10000}
runs=${BENCH_RUNS:-50}
[ -x "$tool" ] || make -s "$tool"
work=$(mktemp -d /tmp/riad-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 10 000 files of 1 to 4 KiB in 100 directories
python3 - "$work/src" "$files" <<'EOF'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(1)
for i in range(n):
    d = os.path.join(root, "dir%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "file%05d.txt" % i), "wb") as f:
        f.write(rnd.randbytes(rnd.randint(1024, 4096)))
EOF
img=$work/files.tar
(cd "$work/src" && tar --format=gnu -cf "$img" .)
sz=$(stat -c %s "$img")
truncate -s $(((sz + 511) / 512 * 512)) "$img"
key=dir042/file$(printf '%05d' $((files / 2 + 42))).txt
[ -f "$work/src/$key" ] || key=$(cd "$work/src" && find . -type f | head -1 | cut -c3-)
echo "archive: $files files, $(stat -c %s "$img") bytes; getting $key"
"$tool" get "$img" "$key" | cmp - "$work/src/$key"

echo "-- in process ($runs runs): riad_kv_tar_open, then riad_kv_get of one file"
"$tool" time "$img" "$key" "$runs"

echo "-- whole processes (hyperfine, $runs runs each)"
hyperfine -N -w 3 -r "$runs" --export-json "$work/h.json" \
	"$tool get $img $key" \
	"tar -tf $img" \
	"tar -xOf $img ./$key" >/dev/null 2>&1 ||
	hyperfine -w 3 -r "$runs" --export-json "$work/h.json" \
		"$tool get $img $key" "tar -tf $img" "tar -xOf $img ./$key" >/dev/null
python3 - "$work/h.json" <<'EOF'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
names = ["riad: open + get", "GNU tar -tf (list)", "GNU tar -xOf (one file)"]
med = []
for n, x in zip(names, r):
    t = x["times"]
    med.append(statistics.median(t))
    print("%-26s median %8.2f ms  min %8.2f  max %8.2f" % (n, med[-1] * 1e3, min(t) * 1e3, max(t) * 1e3))
cpu = [x["user"] + x["system"] for x in r]
for n, c in zip(names, cpu):
    print("%-26s cpu (user+sys, mean) %6.2f ms" % (n, c * 1e3))
for n, x, m in zip(names[1:], r[1:], med[1:]):
    t0 = r[0]["times"]
    print("ratio riad / %-22s %.3f (min/min %.3f, max/max %.3f; cpu %.3f)" % (
        n, med[0] / m, min(t0) / min(x["times"]), max(t0) / max(x["times"]), cpu[0] / (x["user"] + x["system"])))
EOF
