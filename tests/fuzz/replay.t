# tests/fuzz/replay.t: replays every fuzz target's seed corpus (regression
# test for every input that ever crashed or was worth keeping).
cd "$(dirname "$0")/../.."
# Every fuzz/NAME.c must have its build/fuzz/NAME (make build-tests builds
# them): a missing one is a failure, not a skip.
found=0
for src in fuzz/*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	bin=build/fuzz/$name
	corpus=fuzz/corpus/$name
	found=1
	if [ ! -x "$bin" ]; then
		echo "FAIL: fuzz/$name: $bin is missing (make build-tests builds it with clang)"
		continue
	fi
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
[ "$found" = 1 ] || echo "FAIL: fuzz: no fuzz/*.c targets in the source tree"
