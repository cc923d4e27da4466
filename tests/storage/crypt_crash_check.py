#!/usr/bin/env python3
# tests/storage/crypt_crash_check.py: crypt_crash.t's checker: after the load of crypt_crash.c was killed, every sector holds its contents after the last write reported done, or those of the write in flight; nothing reported done is lost.
#
# usage: crypt_crash_check.py BEFORE AFTER SEED DONE MAXLEN
# BEFORE: the plain image before the run; AFTER: the decrypted image after
# it; DONE: the last write reported ("W i"), -1 if none. Exit 0 or 1.
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
for i in range(done + 2):
    r = nxt()
    s, ln = r % n, 1 + (r >> 32) % maxlen
    ln = min(ln, n - s)
    for k in range(s, s + ln):
        if i <= done:
            want[k] = contents(i, k)
        else:
            inflight[k] = contents(i, k)
bad = 0
for s in range(n):
    got = after[s * SS:(s + 1) * SS]
    if got != want[s] and got != inflight.get(s):
        if bad < 3:
            print("sector %d: neither old nor new (%r)" % (s, got[:16]), file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
