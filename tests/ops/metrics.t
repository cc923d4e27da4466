#!/usr/bin/env bash
# tests/ops/metrics.t: the management listener of examples/http (which has
# no code of its own for it) on each target this machine runs, in a
# namespace made here: bad --metrics values end with one line and status
# 64; /metrics passes promtool's check; a real Prometheus (own config and
# data directory, listening on the namespace's loopback) scrapes it and
# answers a query for a gauge; a log level changed with PUT /log-levels
# takes effect (debug lines appear after it, none before); /memory.svg is
# well-formed XML with samples; the Influx push over UDP reaches a real
# InfluxDB, which answers a query for a gauge (and over TCP, on spt, a
# socket that checks every line).
source "$(dirname "$0")/../net/lib.sh"
net_require "tests/ops/metrics.t"
for c in curl promtool prometheus influxd python3; do
	if ! command -v $c >/dev/null; then
		if [ "${CI:-}" = true ]; then fail "tests/ops/metrics.t: no $c (tool/install-deps --tests)"; exit 1; fi
		skip "tests/ops/metrics.t (no $c: packages prometheus, influxdb)"
		exit 0
	fi
done

n=0
for t in $(net_targets); do
	n=$((n + 1))
	if ! d=$(net_example http "$t"); then
		fail "metrics on $t: examples/http does not build"
		continue
	fi
	net_ns NS mets
	net_tap "$NS" rmets0 10.214.$n.1/24
	A=10.214.$n.2
	# Bad values: one line (besides the Solo5 banner), 64, before main.
	# (The checks are target-independent: every one on unix, one elsewhere.)
	bads=(--metrics=0 --metrics=70000 --metrics=nosuch:9100 --metrics=service: \
		--metrics-influx=http://10.0.0.1:8094 --metrics-sample-ms=5)
	[ "$t" = unix ] || bads=(--metrics=nosuch:9100)
	for bad in "${bads[@]}"; do
		out=$(ip netns exec "$NS" "$RIAD" run -t "$t" -C "$d" $([ "$t" = unix ] || echo --mem 64) \
			--net service=rmets0 -- "$bad" 2>&1)
		st=$?
		check "metrics on $t: $bad is refused with 64 and one line" \
			bash -c '[ "$1" -eq 64 ] && [ "$(grep -v "^Solo5:" <<<"$2" | grep -c .)" -eq 1 ] && grep -q "option" <<<"$2"' _ "$st" "$out"
	done

	# A collector for the Influx push: a real InfluxDB (own config and
	# directories, its UDP listener on the tap's address, its HTTP API on
	# the namespace's loopback), or on spt, to cover the TCP push too (which
	# InfluxDB 1.x does not take), a socket writing what arrives to a file.
	proto=udp
	[ "$t" = spt ] && proto=tcp
	if [ $proto = udp ]; then
		I=$WORK/influx-$t
		mkdir -p "$I"
		cat >"$I/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:18088"
[meta]
  dir = "$I/meta"
[data]
  dir = "$I/data"
  wal-dir = "$I/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:18086"
  log-enabled = false
[[udp]]
  enabled = true
  bind-address = "10.214.$n.1:8094"
  database = "riad"
  batch-size = 100
  batch-timeout = "100ms"
[monitor]
  store-enabled = false
CONF
		net_bg "$I/log" "$NS" influxd -config "$I/influxdb.conf"
		INFLUX=$NET_PID
	else
		net_bg "$WORK/influx-$t" "$NS" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 8094))
s.listen(4)
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        c, _ = s.accept()
        while True:
            b = c.recv(65536)
            if not b:
                break
            f.write(b)
        c.close()
' "10.214.$n.1" "$WORK/influx-lines-$t"
		INFLUX=$NET_PID
	fi
	out=$WORK/http-$t.out
	net_run "$out" "$NS" "$d" "$t" service=rmets0 --ipv4=$A/24 --quit-port=9 --run-ms=120000 \
		--metrics=9100 --metrics-sample-ms=100 --stats-ms=200 \
		--metrics-influx=$proto://10.214.$n.1:8094 --metrics-push-ms=300
	PID=$NET_PID
	if ! net_wait_for "$out" 'management listener on port 9100' 20; then
		fail "metrics on $t: no management listener: $(tail -3 "$out")"
		continue
	fi
	c() { ip netns exec "$NS" curl -sS -m 10 "$@" 2>&1; }
	c -o "$WORK/metrics-$t" -D "$WORK/metrics-h-$t" "http://$A:9100/metrics"
	check "metrics on $t: /metrics is 200 in the text format 0.0.4" \
		grep -qi '^Content-Type: text/plain; version=0.0.4' "$WORK/metrics-h-$t"
	r=$(promtool check metrics <"$WORK/metrics-$t" 2>&1)
	check "metrics on $t: promtool check metrics accepts the page${r:+: $r}" test -z "$r"
	check "metrics on $t: the page has heap, fiber, TCP-state and drop series" \
		bash -c 'grep -q "^riad_heap_used_bytes [1-9]" "$1" && grep -q "^riad_fibers [1-9]" "$1" &&
			grep -q "^riad_tcp_connections{state=\"listen\"} [2-9]" "$1" &&
			grep -q "^riad_net_ipv4_drops_total{iface=\"service\",reason=\"bad_checksum\"} 0" "$1"' _ "$WORK/metrics-$t"

	# A real Prometheus scrapes it; the query comes back through its API.
	P=$WORK/prom-$t
	mkdir -p "$P/data"
	cat >"$P/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: riad
    static_configs:
      - targets: ['$A:9100']
YML
	net_bg "$P/log" "$NS" prometheus --config.file="$P/prometheus.yml" --storage.tsdb.path="$P/data" \
		--web.listen-address=127.0.0.1:9190 --web.enable-lifecycle
	PROM=$NET_PID
	v=
	for i in $(seq 60); do
		v=$(c -g 'http://127.0.0.1:9190/api/v1/query?query=riad_tcp_connections{job="riad",state="listen"}' |
			python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null)
		[ -n "$v" ] && break
		sleep 0.5
	done
	check "metrics on $t: Prometheus scraped riad_tcp_connections{state=listen} (got '${v}')" \
		bash -c '[ -n "$1" ] && [ "$1" -ge 2 ]' _ "$v"
	up=$(c -g 'http://127.0.0.1:9190/api/v1/query?query=up{job="riad"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])' 2>/dev/null)
	check "metrics on $t: Prometheus sees the target up" test "$up" = 1
	kill "$PROM" 2>/dev/null
	wait "$PROM" 2>/dev/null

	# Log levels at run time.
	r=$(c "http://$A:9100/log-levels")
	check "metrics on $t: GET /log-levels lists net at info" grep -qx 'net:info' <<<"$r"
	check "metrics on $t: no net debug line before the change" bash -c '! grep -q "\[DEBUG\] \[net\]" "$1"' _ "$out"
	r=$(c -X PUT --data-binary 'net:debug' "http://$A:9100/log-levels")
	check "metrics on $t: PUT /log-levels net:debug answers the new levels" grep -qx 'net:debug' <<<"$r"
	check "metrics on $t: a net debug line appears after the change" net_wait_for "$out" '\[DEBUG\] \[net\] service:' 10
	r=$(c -i -X PUT --data-binary 'nosuch:debug' "http://$A:9100/log-levels")
	check "metrics on $t: an unknown source is 400 naming it" \
		bash -c 'grep -q "^HTTP/1.1 400" <<<"$1" && grep -q "unknown log source .nosuch." <<<"$1"' _ "$r"
	r=$(c -X POST --data-binary '*:warning,net:info' "http://$A:9100/log-levels")
	check "metrics on $t: POST sets the default and a source at once" \
		bash -c 'grep -qx "net:info" <<<"$1" && grep -qx "application:warning" <<<"$1"' _ "$r"

	# The memory graph: well-formed SVG with samples (ten a second here).
	c -o "$WORK/mem-$t.svg" "http://$A:9100/memory.svg"
	r=$(python3 - "$WORK/mem-$t.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
assert root.tag == ns + "svg", root.tag
# The first polyline of a series is the fine ring's.
pts = [p.get("points").split() for p in root.iter(ns + "polyline")
       if p.get("data-name") == "riad_heap_used_bytes"]
print(len(pts[0]) if pts else 0)
PY
)
	check "metrics on $t: /memory.svg parses and draws the heap with samples (got ${r:-none})" \
		bash -c '[ -n "$1" ] && [ "$1" -ge 5 ]' _ "$r"

	# The Influx push: InfluxDB took the points (and refused none), or the
	# lines that came over TCP are well-formed.
	if [ $proto = udp ]; then
		q() {
			c -G http://127.0.0.1:18086/query --data-urlencode db=riad --data-urlencode "q=$1" |
				python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(r["series"][0]["values"][0][1] if "series" in r else "")' 2>/dev/null
		}
		v=
		for i in $(seq 40); do
			v=$(q "SELECT last(value) FROM riad_tcp_connections WHERE state='listen'")
			[ -n "$v" ] && break
			sleep 0.25
		done
		check "metrics on $t: InfluxDB received riad_tcp_connections{state=listen} over UDP (got '$v')" \
			test "$v" = 2
		v=$(q "SELECT last(value) FROM riad_heap_used_bytes")
		check "metrics on $t: InfluxDB received the heap gauge (got '$v')" bash -c '[ -n "$1" ] && [ "$1" -gt 0 ]' _ "$v"
		check "metrics on $t: InfluxDB refused no line" bash -c '! grep -qi "failed to parse\|unable to parse" "$1"' _ "$I/log"
	else
		r=$(python3 - "$WORK/influx-lines-$t" <<'PY'
import re, sys
text = open(sys.argv[1], "rb").read().decode()
lines = [l for l in text.split("\n") if l]
bad = [l for l in lines if not re.fullmatch(r"[a-z_:][a-z0-9_:]*(,[a-z_]+=[^ ,=]+)* value=\d+i", l)]
heap = [l for l in lines if l.startswith("riad_heap_used_bytes value=")]
print("ok" if lines and not bad and len(heap) >= 2 else "lines=%d bad=%r heap=%d" % (len(lines), bad[:2], len(heap)))
PY
)
		check "metrics on $t: the Influx push over TCP sends well-formed lines, the heap among them ($r)" test "$r" = ok
	fi
	kill "$INFLUX" 2>/dev/null
	wait "$INFLUX" 2>/dev/null

	net_quit "$NS" $A 9
	net_stop "$PID" 10
	check "metrics on $t: the example ends 0 when told to" test $? -eq 0
	[ -z "${RIAD_TEST_VERBOSE:-}" ] || cat "$out"
done
exit 0
