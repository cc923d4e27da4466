#!/usr/bin/env bash
# bench/web_http.sh: requests per second with wrk against examples/website
# (riad/http.h's static-file handler over a GNU tar archive, riad's TCP
# over a tap, unix target) and against nginx (Debian's nginx-light)
# serving the same files from a directory over a veth, for files of 1 KiB,
# 10 KiB and 100 KiB, each server pinned to one core and wrk on the other
# (bench/lib/paired.sh); the ratio is riad's rate over nginx's, measured
# in the same run.
# Usage: bench/web_http.sh [SECONDS] (default 5; BENCH_CONNS connections, default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
RIAD=$PWD/build/stage/bin/riad
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
	echo "web_http: skipped ($why)"
	exit 0
fi
. bench/lib/paired.sh
work=$(mktemp -d /tmp/riad-bench-web.XXXXXX)
nsr=riad-bweb-r-$$ nsa=riad-bweb-a-$$ nsb=riad-bweb-b-$$
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
	ip netns exec "$1" "${cli[@]+"${cli[@]}"}" wrk -t1 -c"$conns" -d"${secs}s" "$2" 2>&1 |
		awk '/Requests\/sec/ { r = int($2) } /Non-2xx/ { bad = 1 } END { print bad ? "0" : r }'
}

# The site: three files of random bytes, as a tar archive and a directory.
mkdir -p "$work/www"
for k in 1 10 100; do head -c $((k * 1024)) /dev/urandom >"$work/www/f$k.bin"; done
tar -C "$work/www" --format=gnu -cf "$work/site.tar" .

# riad: examples/website on unix over a tap.
ip netns add $nsr
ip -n $nsr link set lo up
ip -n $nsr tuntap add dev rbweb0 mode tap
ip -n $nsr link set rbweb0 up
ip -n $nsr addr add 10.234.0.1/24 dev rbweb0
d=$work/website
cp -R examples/website "$d"
rm -rf "$d/_build" "$d/dist"
"$RIAD" build -t unix -C "$d" >/dev/null
ip netns exec $nsr "${srv[@]+"${srv[@]}"}" "$d/dist/website.unix" --net:service=rbweb0 \
	--block:disk="$work/site.tar" --ipv4=10.234.0.2/24 --store=tar:disk >"$work/riad.out" 2>&1 &
pids+=($!)
for ((i = 0; i < 100; i++)); do grep -q 'serving http' "$work/riad.out" && break; sleep 0.05; done

# nginx: the same files, one worker on the server core, over a veth.
veth_pair $nsa $nsb vbw$$ 10.235.0
ip -n $nsb link set lo up
mkdir -p "$work/ngx"
cat >"$work/nginx.conf" <<CONF
user root;
worker_processes 1;
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
	etag on;
	server {
		listen 10.235.0.2:80;
		root $work/www;
		default_type application/octet-stream;
	}
}
CONF
ip netns exec $nsb "${srv[@]+"${srv[@]}"}" "$NGINX" -c "$work/nginx.conf" -p "$work/ngx"
sleep 0.5

echo "wrk, $conns connections, ${secs}s per run, server ${srv[*]:-unpinned}, wrk ${cli[*]:-unpinned}:"
for k in 1 10 100; do
	f=f$k.bin
	ip netns exec $nsr curl -sS -m 5 -o "$work/got-riad" "http://10.234.0.2/$f"
	ip netns exec $nsa curl -sS -m 5 -o "$work/got-nginx" "http://10.235.0.2/$f"
	if ! cmp -s "$work/got-riad" "$work/www/$f" || ! cmp -s "$work/got-nginx" "$work/www/$f"; then
		echo "web_http: $f: a server answered other bytes" >&2
		exit 1
	fi
	nginx=$(rps $nsa "http://10.235.0.2/$f")
	riad=$(rps $nsr "http://10.234.0.2/$f")
	echo "$k KiB: nginx (veth) $nginx requests/s; riad examples/website (unix, tap, tar store) $riad requests/s; ratio $(ratio "$riad" "$nginx")"
done
