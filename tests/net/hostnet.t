#!/usr/bin/env bash
# tests/net/hostnet.t: the host-socket stack (runtime/unix/hostnet/, riad
# build --hostnet): the same examples, unchanged, over the host kernel's
# sockets on the loopback interface, with no tap and no root: curl against
# examples/http, nc against tcp-echo and udp-echo, tcp-client against an
# nc server; deadlines and refused connections; that such a binary has
# none of riad's own protocol code in it; and riad_net_close
# (tests/net/hostnet_close.c, against a plain host socket).
source "$(dirname "$0")/lib.sh"
for c in curl nc; do
	if ! command -v $c >/dev/null; then
		skip "tests/net/hostnet.t (no $c)"
		exit 0
	fi
done
P=$((20000 + $$ % 20000))

build() {
	local d=$WORK/hn-$1 out
	cp -R "$ROOT/examples/$1" "$d"
	rm -rf "$d/_build" "$d/dist"
	if ! out=$("$RIAD" build -t unix --hostnet -C "$d" 2>&1); then
		fail "hostnet: $1 does not build: $out"
		return 1
	fi
	echo "$d"
}

# start OUT DIR ARGS...: run the hostnet build in DIR in the background.
start() {
	local out=$1 d=$2
	shift 2
	"$RIAD" run -t unix --hostnet -C "$d" -- "$@" >"$out" 2>&1 &
	NET_PID=$!
	NET_PIDS+=("$NET_PID")
}

if d=$(build http); then
	check "hostnet: the binary has no riad TCP/IP in it" \
		bash -c '! nm "$1" | grep -qE " T (tcp_input|ipv4_input|arp_input)$"' _ "$d/dist/http.unix-hostnet"
	start "$WORK/http.out" "$d" --port=$P --quit-port=$P
	PID=$NET_PID
	if net_wait_for "$WORK/http.out" 'serving http://0.0.0.0:' 10; then
		r=$(curl -sS -m 5 -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' \
			"http://127.0.0.1:$P/" "http://127.0.0.1:$P/nope" 2>&1)
		check "hostnet: curl gets 200 then 404 over one kept-alive connection" \
			test "$(tr '\n' ' ' <<<"$r")" = "200 1 404 0 "
		printf 'QUIT\n' >/dev/udp/127.0.0.1/$P
		net_stop "$PID" 10
		check "hostnet: http ends 0 and counts its two requests" \
			bash -c '[ "$1" -eq 0 ] && grep -q " 2 requests: 1 2xx, 0 3xx, 1 4xx, 0 5xx" "$2"' _ $? "$WORK/http.out"
	else
		fail "hostnet: http did not come up: $(tail -3 "$WORK/http.out")"
	fi
fi

if d=$(build tcp-echo); then
	start "$WORK/echo.out" "$d" --port=$P --quit-port=$P
	PID=$NET_PID
	if net_wait_for "$WORK/echo.out" 'echo on TCP' 10; then
		head -c 300000 /dev/urandom >"$WORK/300k"
		check "hostnet: 300 kB through tcp-echo come back byte for byte" \
			bash -c "nc -N -w 5 127.0.0.1 $P <'$WORK/300k' | cmp -s - '$WORK/300k'"
		printf 'QUIT\n' >/dev/udp/127.0.0.1/$P
		net_stop "$PID" 10
		check "hostnet: tcp-echo ends 0 and counted the bytes" \
			bash -c '[ "$1" -eq 0 ] && grep -q "1 connections, 300000 bytes in, 300000 bytes out" "$2"' _ $? "$WORK/echo.out"
	else
		fail "hostnet: tcp-echo did not come up: $(tail -3 "$WORK/echo.out")"
	fi
fi

if d=$(build udp-echo); then
	start "$WORK/udp.out" "$d" --port=$P
	PID=$NET_PID
	if net_wait_for "$WORK/udp.out" 'echoing UDP' 10; then
		r=$(echo "hello hostnet" | nc -u -w 1 127.0.0.1 $P)
		check "hostnet: a datagram from nc comes back from udp-echo" test "$r" = "hello hostnet"
		printf 'QUIT\n' >/dev/udp/127.0.0.1/$P
		net_stop "$PID" 10
		check "hostnet: udp-echo ends 0 after QUIT" test $? -eq 0
	else
		fail "hostnet: udp-echo did not come up: $(tail -3 "$WORK/udp.out")"
	fi
fi

if d=$(build tcp-client); then
	printf 'pong from the host\n' | nc -l -N 127.0.0.1 $P >"$WORK/nc.out" 2>&1 &
	NET_PIDS+=($!)
	sleep 0.3
	run_out=$("$RIAD" run -t unix --hostnet -C "$d" -- --server=127.0.0.1 --port=$P --line=ping 2>&1)
	st=$?
	check "hostnet: tcp-client reaches an nc server and prints its reply" \
		bash -c '[ "$1" -eq 0 ] && grep -q "^reply: pong from the host$" <<<"$2"' _ $st "$run_out"
	run_out=$("$RIAD" run -t unix --hostnet -C "$d" -- --server=127.0.0.1 --port=$((P + 1)) 2>&1)
	check "hostnet: a closed port is refused (error 111)" \
		bash -c '[ "$1" -eq 1 ] && grep -q "(error 111)" <<<"$2"' _ $? "$run_out"
fi

d=$WORK/hn-close
mkdir -p "$d"
cp "$ROOT/tests/net/hostnet_close.c" "$d/main.c"
printf 'name = hostnet-close\n' >"$d/riad.conf"
if ! out=$("$RIAD" build -t unix --hostnet -C "$d" 2>&1); then
	fail "hostnet: hostnet_close.c does not build: $out"
else
	run_out=$(timeout 30 "$RIAD" run -t unix --hostnet -C "$d" -- --port=$((P + 2)) 2>&1)
	st=$?
	while read -r _ verdict name; do
		if [ "$verdict" = ok ]; then pass "hostnet: close: $name"; else fail "hostnet: close: $name"; fi
	done < <(grep '^CHECK ' <<<"$run_out")
	check "hostnet: close: the program ends 0 after all its checks" \
		bash -c '[ "$1" -eq 0 ] && grep -q "^DONE$" <<<"$2"' _ $st "$run_out"
	[ $st -eq 0 ] || echo "$run_out" | tail -5
fi
exit 0
