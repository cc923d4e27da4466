# bench/hvt_memspeed.sh: memory (and register-only) loop speed of an hvt guest in ring 0 and in ring 3 (tests/tender/hvt_memspeed.S on riad-hvt, and on Solo5's solo5-hvt when SOLO5_HVT names one), as ratios to the same loops run as a host program in the same run; and the cost of a hypercall from each ring.
# Usage: bench/hvt_memspeed.sh   (make build-tests builds the guest; BENCH_RUNS, default 5;
#        BENCH_K0 / BENCH_K3, the KiB per ring-0 / ring-3 and host loop, default 64 / 65536)
set -euo pipefail
cd "$(dirname "$0")/.."
hvt=build/stage/bin/riad-hvt
guest=build/tests/tender/hvt/memspeed.hvt
src=tests/tender/hvt_memspeed.S
runs=${BENCH_RUNS:-5}
k0=${BENCH_K0:-64}
k3=${BENCH_K3:-65536}
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "hvt_memspeed: skipped (no usable /dev/kvm)"
	exit 0
fi
for f in "$hvt" "$guest"; do
	[ -e "$f" ] || { echo "hvt_memspeed: $f is missing (run make build-tests)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/riad-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -DHOST_BASELINE -nostdlib -static -no-pie -Wl,-z,noexecstack -o "$work/host" "$src"

# Interleaved, so that the host's load affects every kind alike.
for i in $(seq "$runs"); do
	"$work/host" "$k3" | sed 's/^/host /'
	$hvt "$guest" "$k0" "$k3" | sed 's/^/riad-hvt /'
	if [ -n "${SOLO5_HVT:-}" ]; then
		"$SOLO5_HVT" "$guest" "$k0" "$k3" | sed 's/^/solo5-hvt /'
	fi
done >"$work/out"
python3 - "$work/out" "$runs" <<'EOF'
import statistics, sys
runs = sys.argv[2]
per_mib = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) != 5 or f[1] not in ("host", "cpl0", "cpl3"):
        continue
    tender, ring, loop, kib, ns = f[0], f[1], f[2], int(f[3]), int(f[4])
    # mem and alu: ns per MiB; hcall: ns per call (kib is the call count)
    per_mib.setdefault((tender, ring, loop), []).append(ns * (1 if loop == "hcall" else 1024) / kib)
med = {k: statistics.median(v) for k, v in per_mib.items()}
for loop in ("mem", "alu"):
    base = med[("host", "host", loop)]
    print("%s loop, host program: median %.3f ms per MiB (%s runs)" % (loop, base / 1e6, runs))
    for tender in ("riad-hvt", "solo5-hvt"):
        for ring in ("cpl3", "cpl0"):
            k = (tender, ring, loop)
            if k in med:
                print("%s loop, %s guest in ring %s: median %.3f ms per MiB; ratio to host %.1f"
                      % (loop, tender, ring[3], med[k] / 1e6, med[k] / base))
base = med[("host", "host", "hcall")]
print("clock read, host program (a system call): median %.2f us" % (base / 1e3))
for tender in ("riad-hvt", "solo5-hvt"):
    for ring in ("cpl0", "cpl3"):
        k = (tender, ring, "hcall")
        if k in med:
            print("clock read, %s guest in ring %s (WALLTIME hypercall): median %.2f us"
                  % (tender, ring[3], med[k] / 1e3))
EOF
