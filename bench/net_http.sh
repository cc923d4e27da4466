# bench/net_http.sh: requests per second with wrk against examples/http
# (riad's TCP over a tap, unix target) and against nginx (Debian's
# nginx-light) serving the same page in a network namespace over a veth,
# each server pinned to one core with taskset and wrk on the other; the
# ratio is riad's rate over nginx's, measured in the same run.
# Usage: bench/net_http.sh [SECONDS] (default 5; BENCH_CONNS connections, default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
secs=${1:-${BENCH_SECONDS:-5}}
conns=${BENCH_CONNS:-50}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
why=
if [ "$(id -u)" -ne 0 ]; then why="needs root"
elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
elif ! command -v wrk >/dev/null; then why="no wrk"
elif [ ! -x "$NGINX" ]; then why="no nginx (nginx-light)"
elif ! command -v curl >/dev/null; then why="no curl"
fi
if [ -n "$why" ]; then
	echo "net_http: skipped ($why)"
	exit 0
fi
cpus=$(nproc)
srv_cpu=0 cli_cpu=$((cpus > 1 ? 1 : 0))
work=$(mktemp -d /tmp/riad-bench-http.XXXXXX)
nsr=riad-bhttp-r-$$ nsa=riad-bhttp-a-$$ nsb=riad-bhttp-b-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	[ ! -f "$work/nginx.pid" ] || kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	for n in $nsr $nsa $nsb; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# rps NS URL: wrk's requests per second against URL from NS, on the client core.
rps() {
	ip netns exec "$1" taskset -c $cli_cpu wrk -t1 -c"$conns" -d"${secs}s" "$2" 2>&1 |
		awk '/Requests\/sec/ { r = int($2) } /Non-2xx/ { bad = 1 } END { print bad ? "0 (non-2xx answers)" : r }'
}

# riad: examples/http on unix over a tap.
ip netns add $nsr
ip -n $nsr link set lo up
ip -n $nsr tuntap add dev rbhttp0 mode tap
ip -n $nsr link set rbhttp0 up
ip -n $nsr addr add 10.232.0.1/24 dev rbhttp0
d=$work/http
cp -R examples/http "$d"
rm -rf "$d/_build" "$d/dist"
"$RIAD" build -t unix -C "$d" >/dev/null
ip netns exec $nsr taskset -c $srv_cpu "$d/dist/http.unix" --net:service=rbhttp0 --ipv4=10.232.0.2/24 \
	>"$work/riad.out" 2>&1 &
pids+=($!)
for ((i = 0; i < 100; i++)); do grep -q 'serving http' "$work/riad.out" && break; sleep 0.05; done
ip netns exec $nsr curl -sS -m 5 -o "$work/page.html" http://10.232.0.2/
riad=$(rps $nsr http://10.232.0.2/)

# nginx: the same page, one worker on the server core, over a veth.
. bench/lib/paired.sh
veth_pair $nsa $nsb vbh$$ 10.233.0
ip -n $nsb link set lo up
mkdir -p "$work/www" "$work/ngx"
cp "$work/page.html" "$work/www/index.html"
cat >"$work/nginx.conf" <<CONF
user root;
worker_processes 1;
worker_cpu_affinity 1;
pid $work/nginx.pid;
error_log $work/ngx/error.log;
daemon on;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 1000000;
	client_body_temp_path $work/ngx;
	proxy_temp_path $work/ngx;
	fastcgi_temp_path $work/ngx;
	uwsgi_temp_path $work/ngx;
	scgi_temp_path $work/ngx;
	server {
		listen 10.233.0.2:80;
		root $work/www;
		index index.html;
		default_type text/html;
	}
}
CONF
ip netns exec $nsb taskset -c $srv_cpu "$NGINX" -c "$work/nginx.conf" -p "$work/ngx"
sleep 0.5
ip netns exec $nsa curl -sS -m 5 -o "$work/nginx.html" http://10.233.0.2/
cmp -s "$work/page.html" "$work/nginx.html" || echo "net_http: warning: nginx serves a different page"
nginx=$(rps $nsa http://10.233.0.2/)
echo "wrk, $conns connections, ${secs}s, server on CPU $srv_cpu, wrk on CPU $cli_cpu:"
echo "nginx over a veth: $nginx requests/s"
echo "riad examples/http (unix, tap): $riad requests/s; ratio to nginx" \
	"$(awk -v a="$riad" -v b="$nginx" 'BEGIN { printf "%.2f", b + 0 ? a / b : 0 }')"
