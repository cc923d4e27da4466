#!/usr/bin/env python3
# tests/storage/crypt_crash_check.py: crypt_crash.t's checker: after the load of crypt_crash.c was killed, every sector holds its contents after the last write reported done, or those of the write in flight; nothing reported done is lost.
#
# usage: crypt_crash_check.py BEFORE AFTER SEED DONE MAXLEN [DISK]
# BEFORE: the plain image before the run; AFTER: the decrypted image after
# it; DONE: the last write reported ("W i"), -1 if none. Exit 0 or 1.
# With DISK (the encrypted image), a bad sector is explained: the writes of
# this run that covered it, and its entry below (docs/storage-crypt.md).
import struct
import sys

before, after = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
seed, done, maxlen = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
SS = 512
n = len(before) // SS
M = (1 << 64) - 1
st = (seed * 0x9E3779B97F4A7C15 & M) | 1


def nxt():
    global st
    st ^= (st << 13) & M
    st ^= st >> 7
    st ^= (st << 17) & M
    return st


def contents(i, s):
    return struct.pack(">QQ", (seed << 32 | (i + 1)) & M, s) * (SS // 16)


want = [before[s * SS:(s + 1) * SS] for s in range(n)]
inflight = {}
covered = {}
for i in range(done + 2):
    r = nxt()
    s, ln = r % n, 1 + (r >> 32) % maxlen
    ln = min(ln, n - s)
    for k in range(s, s + ln):
        covered.setdefault(k, []).append(i)
        if i <= done:
            want[k] = contents(i, k)
        else:
            inflight[k] = contents(i, k)
disk = open(sys.argv[6], "rb").read() if len(sys.argv) > 6 else None


def entry(s):
    """Sector s's entry in DISK: counter, delta, epoch; and the header's epoch."""
    per = (SS - 16) // 34
    m = (1 + s // per * (per + 1)) * SS + s % per * 34
    e = disk[m:m + 34]
    return "counter %d delta %d epoch %d (header epoch %d)" % (
        int.from_bytes(e[0:6], "big"), int.from_bytes(e[6:8], "big"),
        int.from_bytes(e[8:10], "big"), int.from_bytes(disk[28:32], "big"))


bad = 0
for s in range(n):
    got = after[s * SS:(s + 1) * SS]
    if got != want[s] and got != inflight.get(s):
        if bad < 3:
            old = struct.unpack(">QQ", got[:16])
            print("sector %d: neither old nor new: holds write %d of seed %d for sector %d, "
                  "was %s; among this run's writes up to the one in flight, covered by %s; %s" % (
                      s, (old[0] & 0xFFFFFFFF) - 1, old[0] >> 32, old[1],
                      "unchanged" if got == before[s * SS:(s + 1) * SS] else "changed",
                      ", ".join("%d (%s)" % (i, "reported" if i <= done else "in flight")
                                for i in covered.get(s, [])) or "none",
                      entry(s) if disk else "no image given"), file=sys.stderr)
        bad += 1
if bad:
    print("%d sectors bad" % bad, file=sys.stderr)
sys.exit(1 if bad else 0)
