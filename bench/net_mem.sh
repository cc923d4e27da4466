# bench/net_mem.sh: memory per idle connection, and the most concurrent
# connections a 64 MiB unikernel holds.
#
# tcp (the default): examples/http (a fiber only while a request is
# served, plus TCP's connection state; buffers are allocated only when
# data flows) is sent N idle connections from Linux:
#  - unix: the growth of the process's resident memory for 1000 idle
#    connections, per connection; baseline: the same for nginx (one
#    worker), measured the same way in the same run;
#  - spt with --mem 64: as many connections as it accepts out of 6000;
#    held means still open (not reset or closed) a second later.
#
# tls: examples/website serving HTTPS only (a baked one-page site, a P-256
# certificate made here), each connection after its handshake and one
# request answered (Python's ssl module as the client):
#  - unix: resident memory per idle kept-alive HTTPS connection (1000 of
#    them); baseline: nginx's HTTPS (one worker, TLS 1.2) the same way;
#  - spt with --mem 64: as many as it holds out of TLS_MAX (16000; the
#    client stops after 20 failures in a row); held means still open, with
#    its answer, a second after the last one was made.
# Usage: bench/net_mem.sh [tcp|tls|all] (KEEP=1 keeps the work directory)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-tcp}
case "$mode" in
tcp | tls | all) ;;
*) echo "usage: bench/net_mem.sh [tcp|tls|all]" >&2; exit 64 ;;
esac
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v python3 >/dev/null; then why="no python3"
fi
if [ -n "$why" ]; then
	echo "net_mem: skipped ($why)"
	exit 0
fi
work=$(mktemp -d /tmp/riad-bench-mem.XXXXXX)
ns=riad-bmem-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	[ ! -f "$work/nginx.pid" ] || kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	ip netns del $ns 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
ip netns add $ns
ip -n $ns link set lo up
ip -n $ns tuntap add dev rbmem0 mode tap
ip -n $ns link set rbmem0 up
ip -n $ns addr add 10.234.0.1/24 dev rbmem0
ip netns exec $ns sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
ulimit -n 20000

# hold ADDR PORT N SECONDS: open N connections, keep them idle for
# SECONDS, print how many were still open at the end.
hold() {
	ip netns exec $ns python3 - "$@" <<'PY'
import select, socket, sys, time
addr, port, n, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
socks = []
for i in range(n):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((addr, port))
        socks.append(s)
    except OSError:
        s.close()
time.sleep(1)
p = select.poll()
for s in socks:
    p.register(s, select.POLLIN)
ready = {fd for fd, _ in p.poll(0)}
open_ = sum(1 for s in socks if s.fileno() not in ready)
print(open_, flush=True)
time.sleep(secs)
PY
}

# hold_tls ADDR PORT N SECONDS: open up to N TLS connections (stopping
# after 20 failures in a row), each answered one GET, keep them idle for
# SECONDS; prints, a second after the last was made, how many were still
# open and how many were tried.
hold_tls() {
	ip netns exec $ns python3 - "$@" <<'PY'
import select, socket, ssl, sys, time
addr, port, n, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
REQ = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
def answered(s):
    got = b""
    while b"\r\n\r\n" not in got:
        b = s.recv(4096)
        if not b:
            return False
        got += b
    head, _, body = got.partition(b"\r\n\r\n")
    want = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            want = int(line.split(b":")[1])
    while len(body) < want:
        b = s.recv(4096)
        if not b:
            return False
        body += b
    return head.startswith(b"HTTP/1.1 200 ")
socks, tried, fails, why = [], 0, 0, "none"
while tried < n and fails < 20:
    tried += 1
    try:
        s = ctx.wrap_socket(socket.create_connection((addr, port), timeout=2))
        s.sendall(REQ)
        if answered(s):
            socks.append(s)
            fails = 0
            continue
        s.close()
        why = "no answer"
    except (OSError, ssl.SSLError) as e:
        why = str(e)
    fails += 1
time.sleep(1)
p = select.poll()
for s in socks:
    p.register(s, select.POLLIN)
ready = {fd for fd, _ in p.poll(0)}
print(sum(1 for s in socks if s.fileno() not in ready), tried, flush=True)
print("last failure:", why, file=sys.stderr, flush=True)
time.sleep(secs)
PY
}

# A new tap for each run: one left behind keeps the last user's offload
# settings (after a unix run, the kernel handed spt segments without their
# checksums, and spt answered nothing but ARP) and its MAC in the
# neighbour table.
tap_fresh() {
	ip -n $ns link del rbmem0
	ip -n $ns tuntap add dev rbmem0 mode tap
	ip -n $ns link set rbmem0 up
	ip -n $ns addr add 10.234.0.1/24 dev rbmem0
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

tcp_mem() {
	d=$work/http
	cp -R examples/http "$d"
	rm -rf "$d/_build" "$d/dist"
	"$RIAD" build -t unix -C "$d" >/dev/null
	ip netns exec $ns "$d/dist/http.unix" --net:service=rbmem0 --ipv4=10.234.0.2/24 --idle-ms=600000 \
		>"$work/unix.out" 2>&1 &
	pid=$!
	pids+=($pid)
	for ((i = 0; i < 100; i++)); do grep -qs 'serving http' "$work/unix.out" && break; sleep 0.05; done
	before=$(rss_kb $pid)
	hold 10.234.0.2 80 1000 3 >"$work/held" &
	sleep 2.5
	after=$(rss_kb $pid)
	wait $! || true
	kill $pid 2>/dev/null || true
	per=$(( (after - before) * 1024 / 1000 ))
	echo "riad examples/http (unix): $(cat "$work/held") of 1000 idle connections held; resident memory +$(( after - before )) KiB, $per bytes per connection"

	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
	if [ -x "$NGINX" ]; then
		mkdir -p "$work/www" "$work/ngx"
		echo hi >"$work/www/index.html"
		cat >"$work/nginx.conf" <<CONF
user root;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $work/nginx.pid;
error_log $work/ngx/error.log;
daemon on;
events { worker_connections 8192; }
http {
	access_log off;
	keepalive_timeout 600s;
	client_body_temp_path $work/ngx;
	proxy_temp_path $work/ngx;
	fastcgi_temp_path $work/ngx;
	uwsgi_temp_path $work/ngx;
	scgi_temp_path $work/ngx;
	server { listen 10.234.0.1:8080; root $work/www; }
}
CONF
		ip netns exec $ns "$NGINX" -c "$work/nginx.conf" -p "$work/ngx"
		sleep 0.5
		w=$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)
		before=$(rss_kb "$w")
		hold 10.234.0.1 8080 1000 3 >"$work/held" &
		sleep 2.5
		after=$(rss_kb "$w")
		wait $! || true
		nper=$(( (after - before) * 1024 / 1000 ))
		echo "nginx (one worker): $(cat "$work/held") of 1000 idle connections held; resident memory +$(( after - before )) KiB, $nper bytes per connection;" \
			"riad's ratio $(awk -v a="$per" -v b="$nper" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
	fi

	tl=$("$RIAD" targets)
	if grep -q '^spt *ok' <<<"$tl"; then
		"$RIAD" build -t spt -C "$d" >/dev/null
		tap_fresh
		ip netns exec $ns "$RIAD" run -t spt -C "$d" --mem 64 --net service=rbmem0 -- --ipv4=10.234.0.2/24 \
			--idle-ms=600000 >"$work/spt.out" 2>&1 &
		pid=$!
		pids+=($pid)
		for ((i = 0; i < 100; i++)); do grep -qs 'serving http' "$work/spt.out" && break; sleep 0.05; done
		held=$(hold 10.234.0.2 80 6000 0)
		alive=yes
		kill -0 $pid 2>/dev/null || alive="no (it died: $(grep -v '^Solo5' "$work/spt.out" | tail -1))"
		echo "riad examples/http (spt, --mem 64): $held of 6000 concurrent idle connections held; still running: $alive"
	fi
}

# A P-256 certificate, a one-page site with it baked into examples/website.
tls_site() {
	mkdir -p "$work/site/tls"
	echo '<h1>hi</h1>' >"$work/site/index.html"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=bench.test \
		-keyout "$work/site/tls/key.pem" -out "$work/site/tls/cert.pem" 2>/dev/null
	w=$work/website
	cp -R examples/website "$w"
	rm -rf "$w/_build" "$w/dist"
	cp -R "$work/site" "$w/www"
	echo "bake = www" >>"$w/riad.conf"
	truncate -s 1M "$work/disk.img"
}

# web_run OUT TARGET [RIAD-RUN-ARGS...]: examples/website serving the
# baked site over HTTPS only, in the background; sets pid.
web_run() {
	local out=$1 t=$2
	shift 2
	tap_fresh
	ip netns exec $ns "$RIAD" run -t "$t" -C "$work/website" "$@" --block disk="$work/disk.img" \
		--net service=rbmem0 -- --ipv4=10.234.0.2/24 --store=baked --tls-cert=/tls/cert.pem \
		--tls-key=/tls/key.pem --http=off --max-conns=100000 --idle-ms=600000 >"$out" 2>&1 &
	pid=$!
	pids+=($pid)
	for ((i = 0; i < 200; i++)); do grep -qs 'serving https' "$out" && break; sleep 0.05; done
}

# wait_file FILE: until FILE has a line (hold_tls printed its count).
wait_file() {
	for ((i = 0; i < 1200; i++)); do [ ! -s "$1" ] || return 0; sleep 0.1; done
}

tls_mem() {
	command -v openssl >/dev/null || { echo "net_mem tls: skipped (no openssl)"; return 0; }
	tls_site
	"$RIAD" build -t unix -C "$w" >/dev/null
	web_run "$work/tls-unix.out" unix
	local upid before after per held
	upid=$(pgrep -f "website\.unix.*--ipv4=10.234.0.2/" | head -1)
	before=$(rss_kb "$upid")
	hold_tls 10.234.0.2 443 1000 3 >"$work/held" &
	wait_file "$work/held"
	after=$(rss_kb "$upid")
	wait $! || true
	kill $pid 2>/dev/null || true
	per=$(( (after - before) * 1024 / 1000 ))
	echo "riad examples/website HTTPS (unix): $(cut -d' ' -f1 "$work/held") of 1000 idle TLS connections held (each after one request); resident memory +$(( after - before )) KiB, $per bytes per connection"

	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
	if [ -x "$NGINX" ]; then
		mkdir -p "$work/ngx"
		cat >"$work/nginx-tls.conf" <<CONF
user root;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $work/nginx.pid;
error_log $work/ngx/error.log;
daemon on;
events { worker_connections 8192; }
http {
	access_log off;
	keepalive_timeout 600s;
	client_body_temp_path $work/ngx;
	proxy_temp_path $work/ngx;
	fastcgi_temp_path $work/ngx;
	uwsgi_temp_path $work/ngx;
	scgi_temp_path $work/ngx;
	server {
		listen 10.234.0.1:8443 ssl;
		ssl_certificate $work/site/tls/cert.pem;
		ssl_certificate_key $work/site/tls/key.pem;
		ssl_protocols TLSv1.2;
		ssl_session_cache shared:riad:1m;
		root $work/site;
	}
}
CONF
		ip netns exec $ns "$NGINX" -c "$work/nginx-tls.conf" -p "$work/ngx"
		sleep 0.5
		local nw nper
		nw=$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)
		before=$(rss_kb "$nw")
		: >"$work/held"
		hold_tls 10.234.0.1 8443 1000 3 >"$work/held" &
		wait_file "$work/held"
		after=$(rss_kb "$nw")
		wait $! || true
		kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
		nper=$(( (after - before) * 1024 / 1000 ))
		echo "nginx HTTPS (one worker, TLS 1.2): $(cut -d' ' -f1 "$work/held") of 1000 idle TLS connections held; resident memory +$(( after - before )) KiB, $nper bytes per connection;" \
			"riad's ratio $(awk -v a="$per" -v b="$nper" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
	fi

	if grep -q '^spt *ok' <<<"$("$RIAD" targets)"; then
		local max=${TLS_MAX:-16000} alive=yes
		"$RIAD" build -t spt -C "$w" >/dev/null
		web_run "$work/tls-spt.out" spt --mem 64
		held=$(hold_tls 10.234.0.2 443 "$max" 0)
		kill -0 $pid 2>/dev/null || alive="no (it died: $(grep -v '^Solo5' "$work/tls-spt.out" | tail -1))"
		echo "riad examples/website HTTPS (spt, --mem 64): ${held% *} concurrent idle TLS connections held (each after one request; ${held#* } tried, at most $max); still running: $alive"
		kill $pid 2>/dev/null || true
	fi
}

[ "$mode" = tls ] || tcp_mem
[ "$mode" = tcp ] || tls_mem
