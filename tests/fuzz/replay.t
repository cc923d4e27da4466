# tests/fuzz/replay.t: replays every fuzz target's seed corpus (regression
# test for every input that ever crashed or was worth keeping).
cd "$(dirname "$0")/../.."
found=0
for bin in build/fuzz/*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=$(basename "$bin")
	corpus=fuzz/corpus/$name
	found=1
	if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
		echo "FAIL: fuzz/$name: no seed corpus in $corpus"
		continue
	fi
	if out=$("$bin" -runs=0 "$corpus" 2>&1); then
		echo "PASS: fuzz/$name: $(ls "$corpus" | wc -l) corpus inputs replayed"
	else
		echo "$out" | tail -20
		echo "FAIL: fuzz/$name: corpus replay failed"
	fi
done
[ "$found" = 1 ] || echo "SKIP: fuzz: no fuzz targets built"
