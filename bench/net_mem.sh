# bench/net_mem.sh: memory per idle TCP connection, and the most concurrent
# connections a 64 MiB unikernel holds. examples/http (one fiber with a
# 32 KiB stack per connection, plus TCP's connection state; buffers are
# allocated only when data flows) is sent N idle connections from Linux:
#  - unix: the growth of the process's resident memory for 1000 idle
#    connections, per connection; baseline: the same for nginx (one
#    worker), measured the same way in the same run;
#  - spt with --mem 64: as many connections as it accepts out of 6000;
#    held means still open (not reset or closed) a second later.
# Usage: bench/net_mem.sh
set -euo pipefail
cd "$(dirname "$0")/.."
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
	rm -rf "$work"
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

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

d=$work/http
cp -R examples/http "$d"
rm -rf "$d/_build" "$d/dist"
"$RIAD" build -t unix -C "$d" >/dev/null
ip netns exec $ns "$d/dist/http.unix" --net:service=rbmem0 --ipv4=10.234.0.2/24 --idle-ms=600000 \
	>"$work/unix.out" 2>&1 &
pid=$!
pids+=($pid)
for ((i = 0; i < 100; i++)); do grep -q 'serving http' "$work/unix.out" && break; sleep 0.05; done
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
	ip netns exec $ns "$RIAD" run -t spt -C "$d" --mem 64 --net service=rbmem0 -- --ipv4=10.234.0.2/24 \
		--idle-ms=600000 >"$work/spt.out" 2>&1 &
	pid=$!
	pids+=($pid)
	for ((i = 0; i < 100; i++)); do grep -q 'serving http' "$work/spt.out" && break; sleep 0.05; done
	held=$(hold 10.234.0.2 80 6000 0)
	alive=yes
	kill -0 $pid 2>/dev/null || alive="no (it died: $(grep -v '^Solo5' "$work/spt.out" | tail -1))"
	echo "riad examples/http (spt, --mem 64): $held of 6000 concurrent idle connections held; still running: $alive"
fi
