#!/usr/bin/env bash
# bench/web_http.sh: requests per second with wrk against examples/website
# (riad/http.h's static-file handler over a GNU tar archive, riad's TCP
# over a tap, unix target) and against two Linux servers of the same files
# from a directory, each over a veth of its own: nginx (Debian's
# nginx-light, one worker) and h2o (Debian's h2o 2.2.5, an event-driven
# server in C with its own HTTP/1 parser, one thread, HTTP/1.1 only), for
# files of 1 KiB, 10 KiB and 100 KiB, over HTTP and then over HTTPS (TLS
# 1.2, the same EC P-256 certificate on all three, and the same suite:
# nginx and h2o are held to the one riad chooses for an OpenSSL client, as
# wrk is: ECDHE-ECDSA-AES128-GCM-SHA256 on a CPU with AES-NI, docs/tls.md;
# all three are printed), keep-alive, each server pinned to one core
# and wrk on the other (bench/lib/paired.sh), access logs off. Each row
# gives the three rates, wrk's errors, the CPU each side used
# (bench/lib/cputime.sh) and the ratios riad/nginx and riad/h2o, measured
# in the same run; a table of them ends the run. Without h2o installed the
# bench says so and leaves its column out.
# Usage: bench/web_http.sh [SECONDS] (default 5; BENCH_CONNS connections, default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
RIAD=$PWD/build/stage/bin/riad
secs=${1:-${BENCH_SECONDS:-5}}
conns=${BENCH_CONNS:-50}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
H2O=$(command -v h2o || echo /usr/bin/h2o)
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
if [ ! -x "$H2O" ]; then
	echo "web_http: no h2o (Debian's h2o): its column is left out"
	H2O=
fi
. bench/lib/paired.sh
. bench/lib/cputime.sh
work=$(mktemp -d /tmp/riad-bench-web.XXXXXX)
nsr=riad-bweb-r-$$ nsa=riad-bweb-a-$$ nsb=riad-bweb-b-$$ nsc=riad-bweb-c-$$ nsd=riad-bweb-d-$$
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	[ ! -f "$work/nginx.pid" ] || kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	[ ! -f "$work/h2o.pid" ] || kill "$(cat "$work/h2o.pid")" 2>/dev/null || true
	for n in $nsr $nsa $nsb $nsc $nsd; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# rps NS URL PID: wrk's requests per second against URL from NS, on the
# client core; sets rate, cpu to the CPU of the server PID and of wrk, and
# err to wrk's socket errors ("no errors" when it printed none).
rps() {
	cpu_mark srv "$3"
	cpu_run "$work/wrk.cpu" ip netns exec "$1" "${cli[@]+"${cli[@]}"}" wrk -t1 -c"$conns" -d"${secs}s" "$2" \
		>"$work/wrk.out" 2>&1 || true
	cpu="server $(cpu_report srv), wrk $(cpu_file "$work/wrk.cpu")"
	rate=$(awk '/Requests\/sec/ { r = int($2) } /Non-2xx/ { bad = 1 } END { print bad ? "0" : r }' "$work/wrk.out")
	err=$(awk '/Socket errors:/ { sub(/^ *Socket errors: /, ""); e = "errors " $0 }
		/Non-2xx/ { sub(/^ */, ""); e = e (e ? ", " : "") $0 }
		END { print e ? e : "no errors" }' "$work/wrk.out")
}

# The site: three files of random bytes, as a tar archive and a directory.
mkdir -p "$work/www"
for k in 1 10 100; do head -c $((k * 1024)) /dev/urandom >"$work/www/f$k.bin"; done
# The certificate and key all the servers use (riad reads them from the tar).
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
for ((i = 0; i < 100; i++)); do grep -qs 'serving http' "$work/riad.out" && break; sleep 0.05; done
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

# h2o: the same files, one thread on the server core, over a veth of its
# own. It stays root, as nginx's workers do (as nobody, its default under
# root, it could not read the work directory, which is 0700). No
# access-log directive: h2o logs nothing then. OCSP stapling off
# (it would run a fetcher in the background). h2o 2.2.5 does not know TLS
# 1.3: its maximum-version leaves 1.3 on and its cipher-suite sets only
# the 1.2 suites, so OpenSSL's own configuration, which libssl reads at
# start, caps the protocol at TLS 1.2 as nginx's ssl_protocols does.
h2o_pid=
if [ -n "$H2O" ]; then
	veth_pair $nsc $nsd vbo$$ 10.237.0
	ip -n $nsd link set lo up
	cat >"$work/h2o-openssl.cnf" <<CONF
openssl_conf = conf
[conf]
ssl_conf = ssl
[ssl]
system_default = tls12
[tls12]
MaxProtocol = TLSv1.2
CONF
	cat >"$work/h2o.conf" <<CONF
user: root
num-threads: 1
pid-file: $work/h2o.pid
error-log: $work/h2o-error.log
ssl-session-resumption:
  mode: cache
listen:
  host: 10.237.0.2
  port: 80
listen:
  host: 10.237.0.2
  port: 443
  ssl:
    certificate-file: $work/tls/cert.pem
    key-file: $work/tls/key.pem
    minimum-version: TLSv1.2
    maximum-version: TLSv1.2
    cipher-suite: ${riad_suite:-ECDHE-ECDSA-CHACHA20-POLY1305}
    ocsp-update-interval: 0
hosts:
  default:
    paths:
      /:
        file.dir: $work/www
CONF
	OPENSSL_CONF=$work/h2o-openssl.cnf ip netns exec $nsd "${srv[@]+"${srv[@]}"}" "$H2O" -c "$work/h2o.conf" \
		>"$work/h2o.out" 2>&1 &
	pids+=($!)
	for ((i = 0; i < 100; i++)); do
		grep -qs 'ready to serve' "$work/h2o.out" "$work/h2o-error.log" && break
		sleep 0.05
	done
	h2o_pid=$(cat "$work/h2o.pid" 2>/dev/null) || {
		echo "web_http: h2o did not start:" >&2
		cat "$work/h2o.out" "$work/h2o-error.log" >&2 2>/dev/null
		exit 1
	}
fi

echo "wrk, $conns connections, ${secs}s per run, keep-alive, server ${srv[*]:-unpinned}, wrk ${cli[*]:-unpinned}:"
echo "HTTPS suites: nginx $(suite $nsa 10.235.0.2:443)${H2O:+, h2o $(suite $nsc 10.237.0.2:443)}, riad $(suite $nsr 10.234.0.2:443)"
# get NS URL: the file at URL, fetched from NS, is the one in www.
get() {
	ip netns exec "$1" curl --http1.1 -ksS -m 5 -o "$work/got" "$2"
	cmp -s "$work/got" "$work/www/${2##*/}" || {
		echo "web_http: $2: the server answered other bytes" >&2
		exit 1
	}
}
rows=()
for scheme in http https; do
	for k in 1 10 100; do
		f=f$k.bin
		get $nsr "$scheme://10.234.0.2/$f"
		get $nsa "$scheme://10.235.0.2/$f"
		[ -z "$H2O" ] || get $nsc "$scheme://10.237.0.2/$f"
		rps $nsa "$scheme://10.235.0.2/$f" "$nginx_pid"
		nginx=$rate line="nginx (veth) $rate requests/s [$cpu, $err]"
		h2o=
		if [ -n "$H2O" ]; then
			rps $nsc "$scheme://10.237.0.2/$f" "$h2o_pid"
			h2o=$rate line+="; h2o (veth) $rate requests/s [$cpu, $err]"
		fi
		rps $nsr "$scheme://10.234.0.2/$f" "$riad_pid"
		riad=$rate line+="; riad examples/website (unix, tap, tar store) $rate requests/s [$cpu, $err]"
		ratios="riad/nginx $(ratio "$riad" "$nginx")${H2O:+, riad/h2o $(ratio "$riad" "$h2o")}"
		echo "$scheme $k KiB: $line; $ratios"
		rows+=("$scheme $k KiB|$nginx|$h2o|$riad|$(ratio "$riad" "$nginx")|${H2O:+$(ratio "$riad" "$h2o")}")
	done
done
echo "requests/s:"
{
	echo "file|nginx|${H2O:+h2o}|riad|riad/nginx|${H2O:+riad/h2o}"
	printf '%s\n' "${rows[@]}"
} | awk -F'|' '{ printf "%-14s", $1; for (i = 2; i <= NF; i++) if ($i != "") printf " %10s", $i; print "" }'
