# bench/build_incremental.sh: the time of `riad build` on a unikernel of three
# files (and a header two include; all in one directory, which riad's tool
# before riad.mk needs) with nothing changed,
# and after touching one of them; also of `riad run` with nothing changed.
# Usage: bench/build_incremental.sh [TARGET...] (default: unix and, if usable,
# hvt); BENCH_RUNS (default 30). OTHER_RIAD="COMMAND" measures another riad
# too (e.g. OTHER_RIAD="env RIAD_PREFIX=$PWD/build/stage bash /tmp/old-riad"
# for the tool of another commit against this stage), each in its own copy.
set -euo pipefail
cd "$(dirname "$0")/.."
RIAD=$PWD/build/stage/bin/riad
runs=${BENCH_RUNS:-30}
work=$(mktemp -d /tmp/riad-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/uk"
cat >"$work/uk/main.c" <<'C'
/* main.c: the three-file unikernel of bench/build_incremental.sh. */
#include <riad/log.h>
#include "util.h"
int other(void);
int main(void)
{
	riad_info(NULL, "%d %d", util_twice(21), other());
	return 0;
}
C
printf 'int util_twice(int x);\n' >"$work/uk/util.h"
printf '#include "util.h"\nint util_twice(int x) { return 2 * x; }\n' >"$work/uk/util.c"
printf '#include <riad/time.h>\nint other(void);\nint other(void) { riad_sleep_ns(1); return 7; }\n' >"$work/uk/other.c"
echo "name = three" >"$work/uk/riad.conf"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	targets=(unix)
	"$RIAD" targets | grep -Eq '^hvt +ok' && targets+=(hvt)
fi
tools=("this:$RIAD")
[ -z "${OTHER_RIAD:-}" ] || tools+=("other:$OTHER_RIAD")

for t in "${targets[@]}"; do
	args=()
	for tool in "${tools[@]}"; do
		label=${tool%%:*} cmd=${tool#*:} d=$work/$label-$t
		cp -R "$work/uk" "$d"
		$cmd build -t "$t" -C "$d" >/dev/null 2>&1
		args+=(-n "$label riad, build $t, nothing changed" --prepare true "$cmd build -t $t -C $d")
		args+=(-n "$label riad, build $t, other.c touched" --prepare "touch $d/other.c" "$cmd build -t $t -C $d")
		[ "$t" != unix ] || args+=(-n "$label riad, run $t, nothing changed" --prepare true "$cmd run -t $t -C $d")
	done
	hyperfine -N -w 3 -r "$runs" --export-json "$work/h.json" "${args[@]}" >"$work/h.log" 2>&1 || { cat "$work/h.log" >&2; exit 1; }
	python3 - "$work/h.json" "$runs" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
print("medians of %s runs (CPU: user + system, mean):" % sys.argv[2])
for r in res:
    print("  %-44s %7.1f ms   CPU %6.1f ms" % (r["command"], r["median"] * 1000,
                                           (r["user"] + r["system"]) * 1000))
PY
done
