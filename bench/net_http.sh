#!/usr/bin/env bash
# bench/net_http.sh: requests per second with wrk against three servers of
# the same page, each on one core (CPU 0) with wrk on the other (CPU 1):
#   - riad: examples/http on unix, riad's own TCP/IP over a tap;
#   - hostnet: the same examples/http built with `riad build --hostnet`,
#     riad's HTTP code over the host kernel's TCP, in a namespace over a
#     veth: the control that separates riad's stack from its HTTP code
#     (riad / hostnet is the stack's share, hostnet / nginx the HTTP code's
#     and the fiber scheduler's);
#   - nginx (Debian's nginx-light, one worker) over the same veth, with
#     sendfile, open_file_cache and the access log off: the baseline.
# Every request is GET /index.html (nginx answers / with an index lookup
# or a redirect, which is not the same work).
#
# The servers alternate over BENCH_RUNS (default 3) rounds of BENCH_SECONDS
# (default 5; or the first argument) s, in an order that rotates each
# round, so that each round's ratios are taken under the same load of the
# machine; the summary gives the median and the spread (lowest-highest)
# over the rounds. Each run prints wrk's latency percentiles, its socket
# errors and timeouts and non-2xx answers, the requests the server itself
# counted (riad's from the line examples/http logs when it ends, nginx's
# from stub_status) beside wrk's count, and the CPU each side used (bench/
# lib/cputime.sh): a server near 1.00 core is saturated; if wrk is, the
# figure is wrk's, not the server's. BENCH_CONNS (default 50) connections,
# one wrk thread; BENCH_PIN=0 turns pinning off.
# Usage: bench/net_http.sh [SECONDS] (root, /dev/net/tun, wrk, nginx, curl)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
secs=${1:-${BENCH_SECONDS:-5}}
runs=${BENCH_RUNS:-3}
conns=${BENCH_CONNS:-50}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
. bench/lib/paired.sh
. bench/lib/cputime.sh
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
cores=()
[ ${#srv[@]} -eq 0 ] || cores=("${srv[-1]}" "${cli[-1]}")
QUIT=9999

# riad's namespace: a tap, the unikernel at .2.
ip netns add $nsr
ip -n $nsr link set lo up
ip -n $nsr tuntap add dev rbhttp0 mode tap
ip -n $nsr link set rbhttp0 up
ip -n $nsr addr add 10.232.0.1/24 dev rbhttp0
# The veth: wrk in $nsa, nginx (port 80) and the hostnet build (port 8080) in $nsb.
veth_pair $nsa $nsb vbh$$ 10.233.0
ip -n $nsb link set lo up

d=$work/http
cp -R examples/http "$d"
rm -rf "$d/_build" "$d/dist"
"$RIAD" build -t unix -C "$d" >/dev/null
"$RIAD" build -t unix --hostnet -C "$d" >/dev/null
[ -x "$d/dist/http.unix" ] && [ -x "$d/dist/http.unix-hostnet" ] || {
	echo "net_http: riad build did not make dist/http.unix and dist/http.unix-hostnet" >&2
	exit 1
}

# The quit datagram ends a run with the counters logged; an examples/http
# without --quit-port (another version) is stopped with SIGTERM instead,
# and its request count is what it logged, if anything.
# (Not `--help | grep -q`: under pipefail, grep's early exit fails the pipe.)
quit=()
help=$("$d/dist/http.unix" --help 2>&1 || true)
! grep -q -- --quit-port <<<"$help" || quit=(--quit-port=$QUIT)

# Per server: the namespace wrk runs in, the URL, its process for the CPU figure.
declare -A url ns_of pid_of label
url[riad]=http://10.232.0.2/index.html ns_of[riad]=$nsr
url[hostnet]=http://10.233.0.2:8080/index.html ns_of[hostnet]=$nsb
url[nginx]=http://10.233.0.2/index.html ns_of[nginx]=$nsa
label[riad]="riad examples/http (riad's TCP, tap)"
label[hostnet]="riad examples/http --hostnet (Linux TCP, veth)"
label[nginx]="nginx (Linux TCP, veth)"
# wrk of the hostnet build runs from $nsa too, over the veth.
ns_of[hostnet]=$nsa

# up NS URL: wait until URL answers 200 (at most 5 s).
up() {
	local i
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$1" curl -sf -m 1 -o "$work/got.html" "$2" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# start_riad riad|hostnet: a fresh server for one run; sets pid_of.
start_riad() {
	local p
	if [ "$1" = riad ]; then
		ip netns exec $nsr "${srv[@]}" "$d/dist/http.unix" --net:service=rbhttp0 --ipv4=10.232.0.2/24 \
			"${quit[@]+"${quit[@]}"}" >"$work/$1.out" 2>&1 &
	else
		ip netns exec $nsb "${srv[@]}" "$d/dist/http.unix-hostnet" --ipv4=10.233.0.2/24 --port=8080 \
			"${quit[@]+"${quit[@]}"}" >"$work/$1.out" 2>&1 &
	fi
	p=$!
	pids+=($p)
	pid_of[$1]=$p
	if ! up "${ns_of[$1]}" "${url[$1]}"; then
		echo "net_http: $1 did not answer ${url[$1]}:" >&2
		cat "$work/$1.out" >&2
		exit 1
	fi
}

# stop_riad riad|hostnet: the quit datagram, then the request count from
# the line the example logs when it ends ("N requests..."), or "?".
stop_riad() {
	local p=${pid_of[$1]} ns=$nsr addr=10.232.0.2 i
	[ "$1" = riad ] || ns=$nsb addr=10.233.0.2
	if [ ${#quit[@]} -gt 0 ]; then
		ip netns exec $ns bash -c "echo quit >/dev/udp/$addr/$QUIT" 2>/dev/null || true
		for ((i = 0; i < 60; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
	fi
	kill "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	grep -Eo '[0-9]+ requests' "$work/$1.out" | tail -1 | awk '{ print $1 }' | grep . || echo "?"
}

# nginx: one worker on the server core.
mkdir -p "$work/www" "$work/ngx"
start_riad riad
cp "$work/got.html" "$work/www/index.html"
stop_riad riad >/dev/null
# One worker; it inherits the master's taskset.
cat >"$work/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/ngx/error.log;
daemon on;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	open_file_cache max=16 inactive=60s;
	open_file_cache_valid 60s;
	keepalive_requests 1000000;
	client_body_temp_path $work/ngx;
	proxy_temp_path $work/ngx;
	fastcgi_temp_path $work/ngx;
	uwsgi_temp_path $work/ngx;
	scgi_temp_path $work/ngx;
	default_type text/html;
	server {
		listen 10.233.0.2:80;
		root $work/www;
	}
	server {
		listen 10.233.0.2:8081;
		location = /status { stub_status; }
	}
}
CONF
ip netns exec $nsb "${srv[@]}" "$NGINX" -c "$work/nginx.conf" -p "$work/ngx"
up $nsa "${url[nginx]}" || { echo "net_http: nginx did not answer" >&2; cat "$work/ngx/error.log" >&2; exit 1; }
cmp -s "$work/got.html" "$work/www/index.html" || echo "net_http: warning: nginx serves a different page"
ngx_requests() {
	ip netns exec $nsa curl -sf -m 2 http://10.233.0.2:8081/status | awk 'NR == 3 { print $3 }'
}
start_riad hostnet
cmp -s "$work/got.html" "$work/www/index.html" || echo "net_http: warning: the hostnet build serves a different page"
stop_riad hostnet >/dev/null

# one SERVER: one wrk run; prints its figures, sets rate[SERVER,round].
declare -A rate
one() {
	local s=$1 out=$work/wrk.out n0=0 counted spid
	case $s in
	nginx)
		n0=$(ngx_requests)
		spid=$(cat "$work/nginx.pid")
		;;
	*)
		start_riad "$s"
		spid=${pid_of[$s]}
		;;
	esac
	cpu_mark srv "$spid"
	core_mark "${cores[@]+"${cores[@]}"}"
	cpu_run "$work/wrk.cpu" ip netns exec "${ns_of[$s]}" "${cli[@]}" wrk -t1 -c"$conns" -d"${secs}s" --latency \
		"${url[$s]}" >"$out" 2>&1 || true
	local scpu ccpu corep
	scpu=$(cpu_report srv) ccpu=$(cpu_file "$work/wrk.cpu")
	corep=$(core_report "${cores[@]+"${cores[@]}"}")
	case $s in
	# Less the status request that reads the counter.
	nginx) counted=$(($(ngx_requests) - n0 - 1)) ;;
	*) counted=$(stop_riad "$s") ;;
	esac
	# wrk's figures: rate, requests, percentiles, errors.
	local f
	f=$(awk '
		/Requests\/sec/ { r = $2 }
		/requests in/ { n = $1 }
		/^ +50%/ { p50 = $2 } /^ +75%/ { p75 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
		/Socket errors/ { gsub(",", ""); e = "connect " $4 ", read " $6 ", write " $8 ", timeout " $10 }
		/Non-2xx/ { bad = $NF }
		END { printf "%d|%s|%s %s %s %s|%s|%d\n", r, n, p50, p75, p90, p99, e ? e : "none", bad }' "$out")
	IFS='|' read -r r n lat errs bad <<<"$f"
	[ -n "$n" ] || { echo "net_http: wrk failed against $s:" >&2; cat "$out" >&2; r=0; }
	rate[$s,$round]=$r
	[ "$bad" = 0 ] || { echo "  warning: $bad non-2xx answers from $s; its rate counts as 0"; rate[$s,$round]=0; }
	printf '  %-8s %7s req/s; latency p50/p75/p90/p99 %s; socket errors: %s; wrk counted %s, the server %s requests\n' \
		"$s" "$r" "$(echo $lat | tr ' ' /)" "$errs" "$n" "$counted"
	printf '           CPU: server %s, wrk %s; cores busy (whole machine): %s\n' "$scpu" "$ccpu" "${corep:-unpinned}"
}

echo "wrk, $conns connections, one thread, ${secs}s per run, $runs rounds;" \
	"${srv[*]:-unpinned} server, ${cli[*]:-unpinned} wrk; GET /index.html ($(stat -c %s "$work/www/index.html")-byte page)"
order=(nginx riad hostnet)
for ((round = 1; round <= runs; round++)); do
	echo "round $round:"
	for s in "${order[@]}"; do one "$s"; done
	order=("${order[@]:1}" "${order[0]}")
done

declare -A all
for s in nginx riad hostnet; do
	v=()
	for ((round = 1; round <= runs; round++)); do v+=("${rate[$s,$round]}"); done
	all[$s]=$(spread "${v[@]}")
done
q() { # A B: the per-round ratios A/B, as spread
	local v=()
	for ((round = 1; round <= runs; round++)); do v+=("$(ratio "${rate[$1,$round]}" "${rate[$2,$round]}")"); done
	spread "${v[@]}"
}
echo "requests/s, median (lowest-highest) of $runs rounds:"
for s in nginx hostnet riad; do printf '  %-48s %s\n' "${label[$s]}" "${all[$s]}"; done
echo "ratios, median (lowest-highest) of the rounds' ratios:"
echo "  riad / nginx:    $(q riad nginx)"
echo "  hostnet / nginx: $(q hostnet nginx)   (riad's HTTP code and scheduler on Linux's TCP)"
echo "  riad / hostnet:  $(q riad hostnet)   (riad's TCP/IP and tap against Linux's TCP and veth, same HTTP code)"
