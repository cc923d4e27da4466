# bench/hvt_launch_profile.sh: where riad-hvt's launch of examples/hello (sleeps set to zero) spends its time, next to Solo5's solo5-hvt on the same binary when SOLO5_HVT names it: launch-to-exit wall and CPU time and minor page faults over alternating runs (with the paired difference, which a busy machine disturbs less than either median), then the time of each system call (KVM ioctls by request) under strace -f -T.
# bench/kvm_hlt (make bench builds it), when built, runs in the alternation and under strace too: the floor any KVM tender pays; with both tenders it then prints the least ratio a tender reaches without changing the guest's run (kvm_hlt's wall time plus riad-hvt's time in KVM_RUN beyond kvm_hlt's).
# Usage: bench/hvt_launch_profile.sh   (BENCH_RUNS alternating runs, default 300; BENCH_TRACES traced runs, default 20; make stage first)
set -euo pipefail
cd "$(dirname "$0")/.."
RIAD=$PWD/build/stage/bin/riad
hvt=$PWD/build/stage/bin/riad-hvt
runs=${BENCH_RUNS:-300}
traces=${BENCH_TRACES:-20}
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "hvt_launch_profile: skipped (no usable /dev/kvm)"
	exit 0
fi
work=$(mktemp -d /tmp/riad-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -R examples/hello "$work/hello"
rm -rf "$work/hello/_build" "$work/hello/dist"
"$RIAD" build -t hvt -C "$work/hello" >/dev/null
bin=$work/hello/dist/hello.hvt
tenders=("$hvt")
[ -n "${SOLO5_HVT:-}" ] && tenders+=("$SOLO5_HVT")

floor=$PWD/build/bench/kvm_hlt
[ -x "$floor" ] || floor=""
python3 - "$work/medians" "$runs" "$bin" "$floor" "${tenders[@]}" <<'PY'
import os, statistics, sys, time
medians, runs, binary, floor, tenders = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
args = [binary, "--interval-ms=0", "-l", "quiet"]
null = os.open(os.devnull, os.O_WRONLY)
acts = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
def launch(t):
    t0 = time.perf_counter()
    argv = [t] if t == floor else [t] + args
    pid = os.posix_spawn(t, argv, os.environ, file_actions=acts)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("%s: exit status %d" % (t, os.waitstatus_to_exitcode(status)))
    return wall * 1e3, (ru.ru_utime + ru.ru_stime) * 1e3, ru.ru_minflt
progs = tenders + ([floor] if floor else [])
for _ in range(5):
    for t in progs:
        launch(t)
res = {t: [] for t in progs}
for _ in range(runs):
    for t in progs:
        res[t].append(launch(t))
q = lambda v, f: sorted(v)[int(f * (len(v) - 1))]
print("launch to exit of hello.hvt, %d alternating runs (median [p25, p75]):" % runs)
with open(medians, "w") as f:
    for t in progs:
        f.write("%s %f\n" % (os.path.basename(t), statistics.median(r[0] for r in res[t])))
for t in progs:
    w = [r[0] for r in res[t]]; c = [r[1] for r in res[t]]; f = [r[2] for r in res[t]]
    print("  %-12s wall %.3f ms [%.3f, %.3f]  cpu %.3f ms  minor faults %d"
          % (os.path.basename(t), statistics.median(w), q(w, .25), q(w, .75),
             statistics.median(c), statistics.median(f)))
if len(tenders) == 2:
    d = [a[0] - b[0] for a, b in zip(res[tenders[0]], res[tenders[1]])]
    print("  riad-hvt - %s, paired: %+.3f ms [%+.3f, %+.3f]"
          % (os.path.basename(tenders[1]), statistics.median(d), q(d, .25), q(d, .75)))
    med = lambda t: statistics.median(r[0] for r in res[t])
    print("  riad-hvt / %s = %.2f (medians)" % (os.path.basename(tenders[1]), med(tenders[0]) / med(tenders[1])))
    if floor:
        # kvm_hlt creates, runs (one hlt) and destroys a VM: what any
        # KVM tender pays before its guest runs an instruction.
        print("  kvm_hlt / %s = %.2f: the floor of that ratio for any tender, before the guest's own run"
              % (os.path.basename(tenders[1]), med(floor) / med(tenders[1])))
PY

if ! command -v strace >/dev/null; then
	echo "(no strace: no per-system-call times)"
	exit 0
fi
for i in $(seq "$traces"); do
	for t in "${tenders[@]}"; do
		strace -f -T -o "$work/$(basename "$t").$i.st" "$t" "$bin" --interval-ms=0 -l quiet \
			>/dev/null 2>&1
	done
	[ -z "$floor" ] || strace -f -T -o "$work/kvm_hlt.$i.st" "$floor" >/dev/null 2>&1
done
python3 - "$work" "$traces" "${tenders[@]}" ${floor:+"$floor"} <<'PY'
import collections, os, re, statistics, sys
work, traces, tenders = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
line = re.compile(r"^\d+\s+(\w+)\((.*)\)\s+=.*<([\d.]+)>$")
names = [os.path.basename(t) for t in tenders]
per = {}  # name -> call -> [total us per run]
for n in names:
    per[n] = collections.defaultdict(list)
    for i in range(1, traces + 1):
        tot = collections.Counter()
        for l in open(os.path.join(work, "%s.%d.st" % (n, i))):
            m = line.match(l.strip())
            if not m:
                continue
            call, args, secs = m.group(1), m.group(2), float(m.group(3))
            if call == "ioctl":
                req = args.split(", ")
                call = req[1] if len(req) > 1 else call
            tot[call] += secs * 1e6
            tot["(all)"] += secs * 1e6
        for call in tot:
            per[n][call].append(tot[call])
calls = sorted(set().union(*[per[n].keys() for n in names]),
               key=lambda c: -max(statistics.median(per[n][c] + [0] * (traces - len(per[n][c])))
                                  for n in names))
print("time in system calls under strace -f -T (inflated by strace), us per launch, median of %d:" % traces)
print("  %-28s" % "" + "".join("%14s" % n for n in names))
for c in calls[:25]:
    row = []
    for n in names:
        v = per[n].get(c, [])
        row.append(statistics.median(v + [0] * (traces - len(v))) if v else 0)
    print("  %-28s" % c[:28] + "".join("%14.0f" % x for x in row))
# The guest's run is the time inside KVM_RUN (the vCPU running, and the
# kernel's share of its exits); kvm_hlt's one KVM_RUN is the entry cost
# every first run pays. A tender whose own set-up cost no more than
# kvm_hlt's would still take kvm_hlt's wall time plus the rest of the
# guest's run: the least ratio any tender can reach without changing what
# the guest does.
med = {l.split()[0]: float(l.split()[1]) for l in open(os.path.join(work, "medians"))}
run = lambda n: statistics.median(per[n].get("KVM_RUN", [0]))
if len(names) == 3 and names[2] == "kvm_hlt" and all(n in med for n in names):
    r, s, h = names
    least = med[h] + (run(r) - run(h)) / 1e3
    print("guest's run (time in KVM_RUN, strace): %s %.0f us, %s %.0f us, kvm_hlt %.0f us"
          % (r, run(r), s, run(s), run(h)))
    print("  kvm_hlt's wall time + %s's guest run beyond kvm_hlt's: %.3f ms = %.2f of %s:"
          % (r, least, least / med[s], s))
    print("  the least ratio a tender reaches on this host without changing the guest's run")
PY
