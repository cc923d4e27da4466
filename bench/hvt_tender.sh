# bench/hvt_tender.sh: launch-to-exit time of the hand-made hello guest (tests/tender/hvt_hello.S) on riad-hvt, as a ratio to a minimal KVM program (bench/kvm_hlt.c: a 2 MiB VM that runs one hlt), and on Solo5's solo5-hvt when SOLO5_HVT names one.
# Each line gives the median, the 10th-90th percentile of the runs and the CPU one launch used (hyperfine's user and system time, the vCPU thread's included).
# Usage: bench/hvt_tender.sh   (make bench builds what it needs; BENCH_RUNS, default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
hvt=build/stage/bin/riad-hvt
guest=build/tests/tender/hvt/hello.hvt
base=build/bench/kvm_hlt
runs=${BENCH_RUNS:-200}
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "hvt_tender: skipped (no usable /dev/kvm)"
	exit 0
fi
for f in "$hvt" "$guest" "$base"; do
	[ -e "$f" ] || { echo "hvt_tender: $f is missing (run make bench)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/riad-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

cmds=("$base" "$hvt $guest")
names=("kvm_hlt" "riad-hvt hello.hvt")
if [ -n "${SOLO5_HVT:-}" ]; then
	cmds+=("$SOLO5_HVT $guest")
	names+=("solo5-hvt hello.hvt")
fi
if ! hyperfine -N -w 20 -r "$runs" --export-json "$work/h.json" "${cmds[@]}" >"$work/h.out" 2>&1; then
	echo "hvt_tender: hyperfine failed (a command exited non-zero?):" >&2
	cat "$work/h.out" >&2
	exit 1
fi
python3 - "$work/h.json" "$runs" "${names[@]}" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
runs, names = sys.argv[2], sys.argv[3:]
med = [r["median"] * 1000 for r in results]
def pct(ts, q):
    ts = sorted(ts)
    return ts[min(len(ts) - 1, int(q * len(ts)))] * 1000
for name, m, r in zip(names, med, results):
    cpu = (r["user"] + r["system"]) / r["mean"] if r["mean"] else 0
    print("%-22s launch to exit: median %.3f ms (10th-90th percentile %.3f-%.3f); ratio to kvm_hlt %.2f (%s runs);"
          " CPU per launch %.2f core (user %.3f ms, sys %.3f ms)"
          % (name, m, pct(r["times"], 0.1), pct(r["times"], 0.9), m / med[0], runs, cpu,
             r["user"] * 1000, r["system"] * 1000))
if len(med) > 2:
    print("riad-hvt / solo5-hvt on the same guest: ratio %.2f" % (med[1] / med[2]))
EOF
