#!/usr/bin/env bash
# bench/tls_handshake.sh: full TLS 1.2 handshakes per second (openssl
# s_time -new: a new connection and handshake each time, no resumption)
# against examples/tls-echo (unix target, the host-socket stack on
# loopback) and against nginx (Debian's nginx-light) with the same
# certificate and suite, each server pinned to one core with taskset and
# s_time on the other; an EC P-256 certificate (ECDHE-ECDSA-AES128-GCM)
# and an RSA-2048 one (ECDHE-RSA-AES128-GCM). The ratio is riad's rate
# over nginx's, measured in the same run. Both use X25519 for ECDHE.
# Usage: bench/tls_handshake.sh [SECONDS] (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
secs=${1:-${BENCH_SECONDS:-5}}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
why=
if ! command -v openssl >/dev/null; then why="no openssl"
elif [ ! -x "$NGINX" ]; then why="no nginx (nginx-light)"
fi
if [ -n "$why" ]; then
	echo "tls_handshake: skipped ($why)"
	exit 0
fi
cpus=$(nproc)
srv_cpu=0 cli_cpu=$((cpus > 1 ? 1 : 0))
work=$(mktemp -d /tmp/riad-bench-tls.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	[ ! -f "$work/nginx.pid" ] || kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/certs"
(
	cd "$work/certs"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.crt \
		-days 30 -subj /CN=localhost 2>/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.crt \
		-days 30 -subj /CN=localhost 2>/dev/null
)
d=$work/tls-echo
cp -R examples/tls-echo "$d"
rm -rf "$d/_build" "$d/dist"
cp -R "$work/certs" "$d/certs"
echo "bake = certs" >>"$d/riad.conf"
"$RIAD" build -t unix --hostnet -C "$d" >/dev/null

port=$((30000 + $$ % 10000))
# rate PORT SUITE: s_time's connections per second, on the client core.
rate() {
	taskset -c $cli_cpu openssl s_time -connect 127.0.0.1:$1 -new -tls1_2 -cipher "$2" -time "$secs" 2>&1 |
		awk '/connections in .* real seconds/ { print int($1 / $4 + 0.5) } /connections in [0-9.]+s;/ { sub(/s;/, "", $4); print int($1 / $4 + 0.5) }' | tail -1
}

for key in ec rsa; do
	suite=$([ $key = ec ] && echo ECDHE-ECDSA-AES128-GCM-SHA256 || echo ECDHE-RSA-AES128-GCM-SHA256)
	port=$((port + 2))
	taskset -c $srv_cpu "$d/dist/tls-echo.unix-hostnet" --ipv4=127.0.0.1 --port=$port \
		--chains="*=$key.crt+$key.key" -l warning >"$work/riad-$key.out" 2>&1 &
	pids+=($!)
	sleep 0.5
	riad=$(rate $port $suite)
	kill "${pids[-1]}" 2>/dev/null || true

	cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$((port + 1)) ssl;
		ssl_certificate $work/certs/$key.crt;
		ssl_certificate_key $work/certs/$key.key;
		ssl_protocols TLSv1.2;
		ssl_ciphers $suite;
		ssl_session_cache off;
		ssl_session_tickets off;
		ssl_ecdh_curve X25519;
		location / { return 200 "ok\n"; }
	}
}
CONF
	taskset -c $srv_cpu "$NGINX" -c "$work/nginx.conf" -g 'daemon off;' &
	pids+=($!)
	sleep 0.5
	nginx=$(rate $((port + 1)) $suite)
	kill "${pids[-1]}" 2>/dev/null || true
	wait "${pids[-1]}" 2>/dev/null || true
	awk -v k=$key -v s=$suite -v r="${riad:-0}" -v n="${nginx:-0}" 'BEGIN {
		printf "tls_handshake %s (%s): riad %d/s, nginx %d/s, ratio %.2f\n", k, s, r, n, n ? r / n : 0 }'
done
