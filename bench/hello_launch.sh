# bench/hello_launch.sh: launch-to-exit time of examples/hello (sleeps set to
# zero) on each target, as ratios to baselines measured in the same run:
# for every target a statically linked trivial program (main returns 0,
# built here with gcc -static-pie) and /bin/true beside it (dynamically linked:
# the difference between the two is the dynamic loader's, which is not what
# a unikernel's launch should be charged or credited with; hello.unix and
# the tenders are linked statically, so the static one is the baseline the
# ratio names); for hvt also a minimal KVM program that creates
# a 2 MiB VM and runs one hlt (bench/kvm_hlt.c); and Solo5's tenders running
# the same riad binary when SOLO5_SPT / SOLO5_HVT name them. Also the stripped
# size of each binary and the smallest --mem (MiB) that boots hello.
# Each line gives the median, the spread of the runs (10th-90th percentile)
# and the CPU one launch used (user + system, from hyperfine, all threads
# of the process: the KVM vCPU's too) as a fraction of its wall time.
# Usage: bench/hello_launch.sh [TARGET...] (default: every usable target);
# BENCH_RUNS (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
RIAD=$PWD/build/stage/bin/riad
runs=${BENCH_RUNS:-200}
work=$(mktemp -d /tmp/riad-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -R examples/hello "$work/hello"
rm -rf "$work/hello/_build" "$work/hello/dist"
# The static baseline: nothing but the C start-up of a static executable,
# static-pie as hello.unix and the tenders are (the self-relocation included).
printf 'int main(void)\n{\n\treturn 0;\n}\n' >"$work/true_static.c"
gcc -static-pie -fPIE -O2 -o "$work/true_static" "$work/true_static.c"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	usable=$("$RIAD" targets)
	for t in unix spt hvt; do
		grep -Eq "^$t +ok" <<<"$usable" && targets+=("$t")
	done
fi

args="--interval-ms=0 -l quiet"
for t in "${targets[@]}"; do
	"$RIAD" build -t "$t" -C "$work/hello" >/dev/null
	bin=$work/hello/dist/hello.$t
	names=() cmds=()
	case $t in
	unix) names+=("hello.unix"); cmds+=("$bin $args") ;;
	*)
		# The tender itself, not `riad run`, whose shell start-up would
		# dominate the figure.
		names+=("riad-$t hello.$t"); cmds+=("$PWD/build/stage/bin/riad-$t $bin $args")
		solo5_var=SOLO5_${t^^}
		if [ -n "${!solo5_var:-}" ]; then
			names+=("$(basename "${!solo5_var}") hello.$t"); cmds+=("${!solo5_var} $bin $args")
		fi ;;
	esac
	names+=("true_static (static-pie, trivial)"); cmds+=("$work/true_static")
	names+=("/bin/true (dynamic)"); cmds+=("/bin/true")
	if [ "$t" = hvt ] && [ -x build/bench/kvm_hlt ]; then
		names+=("kvm_hlt (2 MiB VM, one hlt)"); cmds+=("$PWD/build/bench/kvm_hlt")
	fi
	if ! hyperfine -N -w 10 -r "$runs" --export-json "$work/h.json" "${cmds[@]}" >"$work/h.out" 2>&1; then
		echo "hello_launch: $t: hyperfine failed (a command exited non-zero?):" >&2
		cat "$work/h.out" >&2
		exit 1
	fi
	python3 - "$work/h.json" "$t" "$runs" "${names[@]}" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
t, runs, names = sys.argv[2], sys.argv[3], sys.argv[4:]
med = [r["median"] * 1000 for r in res]
first = med[0]
def pct(ts, q):
    ts = sorted(ts)
    return ts[min(len(ts) - 1, int(q * len(ts)))] * 1000
print("%s: launch to exit, median of %s runs (10th-90th percentile); CPU per launch:" % (t, runs))
for name, m, r in zip(names, med, res):
    cpu = (r["user"] + r["system"]) / r["mean"] if r["mean"] else 0
    print("  %-34s %8.3f ms (%.3f-%.3f)  hello/this = %5.2f   CPU %.2f core (user %.3f ms, sys %.3f ms)" % (
        name, m, pct(r["times"], 0.1), pct(r["times"], 0.9), first / m, cpu, r["user"] * 1000,
        r["system"] * 1000))
base = names.index("true_static (static-pie, trivial)")
print("  ratio to the static baseline: hello/true_static = %.2f" % (first / med[base]))
PY
	cp "$bin" "$work/stripped"
	strip "$work/stripped" 2>/dev/null || true
	printf '  hello.%s stripped size: %d bytes\n' "$t" "$(stat -c %s "$work/stripped")"
	if [ "$t" != unix ]; then
		for mem in 1 2 3 4 6 8; do
			if "$PWD/build/stage/bin/riad-$t" --mem="$mem" "$bin" $args >/dev/null 2>&1; then
				echo "  smallest --mem that boots hello.$t: $mem MiB"
				break
			fi
		done
	fi
done
