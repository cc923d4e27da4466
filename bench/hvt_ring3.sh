# bench/hvt_ring3.sh: what running hvt guests in ring 3 gains, against the same guests built to stay in ring 0 (linked with --defsym=riad_hvt_ring0=1, as riad's hvt guests ran before), measured in the same run, interleaved: the launch-to-exit time of examples/hello (--interval-ms=0 -l quiet), a CPU-bound loop (SHA-256 of 4 KiB, BearSSL) and a hypercall loop (WALLTIME) timed inside the guest; spt and /bin/true as references. With SOLO5_HVT naming Solo5's solo5-hvt, hello runs on it too.
# Usage: bench/hvt_ring3.sh   (BENCH_RUNS rounds, default 20; BENCH_SHA3 / BENCH_SHA0: SHA-256
#        passes in ring 3 (and on spt) / in ring 0, default 2000 / 4; BENCH_WALL: hypercalls, default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
RIAD=$PWD/build/stage/bin/riad
BIN=$PWD/build/stage/bin
runs=${BENCH_RUNS:-20}
sha3=${BENCH_SHA3:-2000}
sha0=${BENCH_SHA0:-4}
wall=${BENCH_WALL:-200}
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "hvt_ring3: skipped (no usable /dev/kvm)"
	exit 0
fi
usable=$("$RIAD" targets)
if ! grep -Eq '^hvt +ok' <<<"$usable"; then
	echo "hvt_ring3: skipped (the hvt target is not built)"
	exit 0
fi
work=$(mktemp -d /tmp/riad-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The guests: hello, and a plain Solo5 program with two loops.
mkdir -p "$work/loops"
cat >"$work/loops/main.c" <<'EOF'
/* "sha N": N SHA-256 passes over 4 KiB (each digest fed back into the
 * buffer); "wall N": N WALLTIME hypercalls. Prints "WHAT N NS", the
 * loop's time by the monotonic clock. */
#include <bearssl_hash.h>
#include <solo5.h>
#include <stddef.h>
#include <stdint.h>

static unsigned char buf[4096];

static void put(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	solo5_console_write(s, n);
}

static void put_u64(uint64_t v)
{
	char b[21];
	int i = 20;
	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	put(b + i);
}

int solo5_app_main(const struct solo5_start_info *si)
{
	const char *p = si->cmdline;
	int sha = p[0] == 's';
	while (*p && *p != ' ')
		p++;
	uint64_t n = 0;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		n = n * 10 + (uint64_t)(*p++ - '0');
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)i;
	uint64_t sink = 0;
	solo5_time_t t0 = solo5_clock_monotonic();
	for (uint64_t i = 0; i < n; i++) {
		if (sha) {
			br_sha256_context c;
			br_sha256_init(&c);
			br_sha256_update(&c, buf, sizeof(buf));
			br_sha256_out(&c, buf);
		} else {
			sink += solo5_clock_wall();
		}
	}
	solo5_time_t t1 = solo5_clock_monotonic();
	put(sha ? "sha " : "wall ");
	put_u64(n);
	put(" ");
	put_u64(t1 - t0);
	put(sink == 1 ? "\n\n" : "\n");
	return 0;
}
EOF
cp -R examples/hello "$work/hello"
rm -rf "$work/hello/_build" "$work/hello/dist"
for app in hello loops; do
	cp -R "$work/$app" "$work/${app}0"
	"$RIAD" build -t hvt -C "$work/$app" >/dev/null
	LDFLAGS=-Wl,--defsym=riad_hvt_ring0=1 "$RIAD" build -t hvt -C "$work/${app}0" >/dev/null
	if grep -Eq '^spt +ok' <<<"$usable"; then
		"$RIAD" build -t spt -C "$work/$app" >/dev/null
	fi
done

# Interleaved rounds, so that the host's load affects every kind alike.
python3 - "$work" "$BIN" "$runs" "$sha3" "$sha0" "$wall" "${SOLO5_HVT:-}" <<'EOF'
import os, statistics, subprocess, sys, time
work, bindir, runs, sha3, sha0, wall, solo5 = sys.argv[1:8]
runs = int(runs)
hvt, spt = bindir + "/riad-hvt", bindir + "/riad-spt"
have_spt = os.path.exists(work + "/hello/dist/hello.spt")
hello_args = ["--interval-ms=0", "-l", "quiet"]
launch = {
    "riad-hvt, ring 3": [hvt, work + "/hello/dist/hello.hvt"] + hello_args,
    "riad-hvt, ring-0 build": [hvt, work + "/hello0/dist/hello0.hvt"] + hello_args,
}
if solo5:
    launch["solo5-hvt, ring 3"] = [solo5, work + "/hello/dist/hello.hvt"] + hello_args
    launch["solo5-hvt, ring-0 build"] = [solo5, work + "/hello0/dist/hello0.hvt"] + hello_args
if have_spt:
    launch["riad-spt"] = [spt, work + "/hello/dist/hello.spt"] + hello_args
launch["/bin/true"] = ["/bin/true"]
loops = {
    ("sha", "hvt, ring 3"): ([hvt, work + "/loops/dist/loops.hvt", "--solo5:quiet", "sha", sha3], int(sha3)),
    ("sha", "hvt, ring-0 build"): ([hvt, work + "/loops0/dist/loops0.hvt", "--solo5:quiet", "sha", sha0], int(sha0)),
    ("wall", "hvt, ring 3"): ([hvt, work + "/loops/dist/loops.hvt", "--solo5:quiet", "wall", wall], int(wall)),
    ("wall", "hvt, ring-0 build"): ([hvt, work + "/loops0/dist/loops0.hvt", "--solo5:quiet", "wall", wall], int(wall)),
}
if have_spt:
    loops[("sha", "spt")] = ([spt, work + "/loops/dist/loops.spt", "--solo5:quiet", "sha", sha3], int(sha3))
    loops[("wall", "spt")] = ([spt, work + "/loops/dist/loops.spt", "--solo5:quiet", "wall", wall], int(wall))

def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("hvt_ring3: %s exited with %d:\n%s" % (" ".join(cmd), r.returncode, r.stdout))
    return r.stdout

times = {k: [] for k in launch}
per = {k: [] for k in loops}
for name, cmd in launch.items(): # warm-up
    run(cmd)
for i in range(runs):
    for name, cmd in launch.items():
        t0 = time.perf_counter_ns()
        run(cmd)
        times[name].append((time.perf_counter_ns() - t0) / 1e6)
    for k, (cmd, n) in loops.items():
        f = run(cmd).split()
        per[k].append(int(f[f.index(k[0]) + 2]) / n)

med = {k: statistics.median(v) for k, v in times.items()}
print("hello launch to exit (median of %d, ms; tender invoked directly):" % runs)
for name in launch:
    line = "  %-24s %8.2f" % (name, med[name])
    if name.endswith("ring 3"):
        r0 = name.replace("ring 3", "ring-0 build")
        line += "   ring-0 build / ring 3: %.1fx" % (med[r0] / med[name])
    print(line)
pmed = {k: statistics.median(v) for k, v in per.items()}
for what, title in (("sha", "SHA-256 of 4 KiB, per pass"), ("wall", "WALLTIME hypercall, per call")):
    print("%s (median of %d, us, timed in the guest):" % (title, runs))
    for k in loops:
        if k[0] != what:
            continue
        line = "  %-24s %10.2f" % (k[1], pmed[k] / 1e3)
        if k[1] == "hvt, ring 3":
            line += "   ring-0 build / ring 3: %.1fx" % (pmed[(what, "hvt, ring-0 build")] / pmed[k])
            if (what, "spt") in pmed:
                line += "   ring 3 / spt: %.2fx" % (pmed[k] / pmed[(what, "spt")])
        print(line)
EOF
