#!/usr/bin/env bash
# bench/web_http.sh: requests per second with wrk against examples/website
# (riad/http.h's static-file handler over a GNU tar archive, riad's TCP
# over a tap, unix target) and against nginx (Debian's nginx-light)
# serving the same files from a directory over a veth, for files of 1 KiB,
# 10 KiB and 100 KiB, over HTTP and then over HTTPS (TLS 1.2, the same EC
# P-256 certificate on both, and the same suite: nginx is held to the one
# riad chooses for an OpenSSL client, as wrk is, which is
# ECDHE-ECDSA-CHACHA20-POLY1305 since riad's TLS prefers ChaCha20; both
# are printed), keep-alive, each server pinned
# to one core and wrk on the other (bench/lib/paired.sh); the ratio is
# riad's rate over nginx's, measured in the same run, with the CPU each
# side used (bench/lib/cputime.sh).
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
. bench/lib/cputime.sh
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

# rps NS URL PID: wrk's requests per second against URL from NS, on the
# client core; sets rate, and cpu to the CPU of the server PID and of wrk.
rps() {
	cpu_mark srv "$3"
	cpu_run "$work/wrk.cpu" ip netns exec "$1" "${cli[@]+"${cli[@]}"}" wrk -t1 -c"$conns" -d"${secs}s" "$2" \
		>"$work/wrk.out" 2>&1 || true
	cpu="server $(cpu_report srv), wrk $(cpu_file "$work/wrk.cpu")"
	rate=$(awk '/Requests\/sec/ { r = int($2) } /Non-2xx/ { bad = 1 } END { print bad ? "0" : r }' "$work/wrk.out")
}

# The site: three files of random bytes, as a tar archive and a directory.
mkdir -p "$work/www"
for k in 1 10 100; do head -c $((k * 1024)) /dev/urandom >"$work/www/f$k.bin"; done
# The certificate and key both servers use (riad reads them from the tar).
mkdir -p "$work/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/tls/key.pem" \
	-out "$work/tls/cert.pem" -days 30 -subj /CN=bench.riad.test 2>/dev/null
tar -C "$work" --format=gnu -cf "$work/site.tar" --transform 's,^www/,,;s,^www$,.,' www tls

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
	--block:disk="$work/site.tar" --ipv4=10.234.0.2/24 --store=tar:disk \
	--tls-cert=/tls/cert.pem --tls-key=/tls/key.pem --http=site >"$work/riad.out" 2>&1 &
pids+=($!)
riad_pid=$!
for ((i = 0; i < 100; i++)); do grep -q 'serving http' "$work/riad.out" && break; sleep 0.05; done
suite() { ip netns exec "$1" openssl s_client -connect "$2" </dev/null 2>/dev/null | awk '/^ *Cipher *:/ { print $3; exit }'; }
riad_suite=$(suite $nsr 10.234.0.2:443)

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
		listen 10.235.0.2:443 ssl;
		ssl_certificate $work/tls/cert.pem;
		ssl_certificate_key $work/tls/key.pem;
		ssl_protocols TLSv1.2;
		ssl_ciphers ${riad_suite:-ECDHE-ECDSA-CHACHA20-POLY1305};
		ssl_session_cache shared:riad:1m;
		ssl_session_tickets off;
		root $work/www;
		default_type application/octet-stream;
	}
}
CONF
ip netns exec $nsb "${srv[@]+"${srv[@]}"}" "$NGINX" -c "$work/nginx.conf" -p "$work/ngx"
sleep 0.5

nginx_pid=$(cat "$work/nginx.pid")
echo "wrk, $conns connections, ${secs}s per run, keep-alive, server ${srv[*]:-unpinned}, wrk ${cli[*]:-unpinned}:"
echo "HTTPS suites: nginx $(suite $nsa 10.235.0.2:443), riad $(suite $nsr 10.234.0.2:443)"
for scheme in http https; do
	for k in 1 10 100; do
		f=f$k.bin
		ip netns exec $nsr curl -ksS -m 5 -o "$work/got-riad" "$scheme://10.234.0.2/$f"
		ip netns exec $nsa curl -ksS -m 5 -o "$work/got-nginx" "$scheme://10.235.0.2/$f"
		if ! cmp -s "$work/got-riad" "$work/www/$f" || ! cmp -s "$work/got-nginx" "$work/www/$f"; then
			echo "web_http: $scheme $f: a server answered other bytes" >&2
			exit 1
		fi
		rps $nsa "$scheme://10.235.0.2/$f" "$nginx_pid"
		nginx=$rate ncpu=$cpu
		rps $nsr "$scheme://10.234.0.2/$f" "$riad_pid"
		riad=$rate
		echo "$scheme $k KiB: nginx (veth) $nginx requests/s [$ncpu]; riad examples/website (unix, tap, tar store) $riad requests/s [$cpu]; ratio $(ratio "$riad" "$nginx")"
	done
done
