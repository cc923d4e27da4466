#!/usr/bin/env bash
# tests/ops/soak.t: the soak test of issue 11: examples/http under wrk load
# for a bounded time (RIAD_SOAK_SECONDS, 40 by default; longer runs are a
# variable away), its heap read from its own /metrics every second by
# bench/metrics_soak.sh. After the warm-up third the heap must not grow:
# the last third's largest sample within 5% or 64 KiB of the middle
# third's (a heap that leaks a little per request grows by far more over
# tens of thousands of requests; the tolerance is for the allocator's
# rounding and a connection or two caught mid-request). The unikernel's
# own memory graph is kept as an SVG (RIAD_SOAK_SVG, default
# build/tests/soak.svg) and must parse and hold samples.
cd "$(dirname "$0")/../.."
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v wrk >/dev/null; then why="no wrk (install-deps --tests)"
fi
if [ -n "$why" ]; then
	if [ "${CI:-}" = true ]; then fail "soak: $why"; else echo "SKIP: soak ($why)"; fi
	exit 0
fi
secs=${RIAD_SOAK_SECONDS:-40}
svg=${RIAD_SOAK_SVG:-$PWD/build/tests/soak.svg}
mkdir -p "$(dirname "$svg")"
csv=$(mktemp /tmp/riad-soak.XXXXXX)
trap 'rm -f "$csv"' EXIT
out=$(SVG_OUT=$svg CSV_OUT=$csv BENCH_CONNS=20 bash bench/metrics_soak.sh "$secs" 2>&1)
st=$?
echo "# $out" | tail -3
if [ $st -eq 0 ] && grep -q 'no growth' <<<"$out"; then
	pass "soak: ${secs} s under wrk, heap did not grow after warm-up"
else
	fail "soak: heap grew or the soak failed (status $st): $(tail -2 <<<"$out" | tr '\n' ' ')"
fi
rows=$(($(wc -l <"$csv") - 1))
if [ "$rows" -ge $((secs * 3 / 4)) ]; then
	pass "soak: $rows heap samples read from /metrics"
else
	fail "soak: only $rows heap samples in $secs s"
fi
if python3 - "$svg" <<'PY'; then
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith("svg"), root.tag
shapes = [e for e in root.iter() if e.tag.split("}")[-1] in ("polyline", "path", "circle", "rect")]
assert shapes, "no shapes"
PY
	pass "soak: the memory graph ($svg) parses as SVG with shapes"
else
	fail "soak: the memory graph ($svg) is missing or not SVG"
fi
exit 0
