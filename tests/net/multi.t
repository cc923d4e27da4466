#!/usr/bin/env bash
# tests/net/multi.t: one unikernel with two interfaces (RIAD_NET_IFACE(lan)
# and RIAD_NET_IFACE(wan)), each on its own tap and subnet, configured by
# its own prefixed options, on each target this machine runs: the kernel
# pings both; --lan-net-faults wraps one device only; the unprefixed
# --ipv4 and --net-faults are refused as ambiguous; a device that
# is not attached is one clear line.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/multi.t"
src=$WORK/multi-src
mkdir -p "$src"
cat >"$src/main.c" <<'C'
/* main.c: two interfaces, each with its own options. */
#include <riad/args.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>
RIAD_NET_IFACE(lan);
RIAD_NET_IFACE(wan);
RIAD_ARG_INT(run_ms, "run-ms", 5000, "How long to run.");
int main(void)
{
	struct riad_net *lan, *wan;
	if (riad_net_open("lan", &lan) < 0 || riad_net_open("wan", &wan) < 0)
		return 1;
	char a[RIAD_IPV4_STRLEN], b[RIAD_IPV4_STRLEN];
	uint32_t la, wa;
	riad_net_ipv4(lan, &la, NULL, NULL);
	riad_net_ipv4(wan, &wa, NULL, NULL);
	riad_info(NULL, "up: lan %s wan %s", riad_ipv4_format(la, a), riad_ipv4_format(wa, b));
	riad_sleep_ns(run_ms * RIAD_NS_PER_MS);
	riad_info(NULL, "pings: lan %llu wan %llu",
	          (unsigned long long)riad_net_stats(lan)->icmp.echo_tx,
	          (unsigned long long)riad_net_stats(wan)->icmp.echo_tx);
	return 0;
}
C
printf 'name = multi\n' >"$src/riad.conf"
n=0
for t in $(net_targets); do
	n=$((n + 1))
	net_ns NS multi
	net_tap "$NS" rlan0 10.216.$n.1/24
	net_tap "$NS" rwan0 10.217.$n.1/24
	d=$WORK/multi-$t
	cp -R "$src" "$d"
	if ! out=$("$RIAD" build -t "$t" -C "$d" 2>&1); then
		fail "multi on $t: does not build: $out"
		continue
	fi
	mem=()
	[ "$t" = unix ] || mem=(--mem 64)
	out=$WORK/multi-$t.out
	net_bg "$out" "$NS" "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --net lan=rlan0 --net wan=rwan0 -- \
		--lan-ipv4=10.216.$n.2/24 --wan-ipv4=10.217.$n.2/24 --wan-ipv4-gateway=10.217.$n.1 --run-ms=4000 \
		--lan-net-faults=seed=7
	PID=$NET_PID
	if net_wait_for "$out" 'up: lan ' 20; then
		check "multi on $t: each interface takes its own --NAME-ipv4" \
			grep -q "up: lan 10.216.$n.2 wan 10.217.$n.2$" "$out"
		check "multi on $t: the gateway option reaches its interface only" \
			bash -c 'grep -q "wan: address 10.217.'$n'.2/24, gateway 10.217.'$n'.1$" "$1" &&
				grep -q "lan: address 10.216.'$n'.2/24, gateway none$" "$1"' _ "$out"
		check "multi on $t: --lan-net-faults wraps the lan device only, and says so" \
			bash -c 'grep -q "lan: injecting faults on .*: --lan-net-faults=seed=7$" "$1" &&
				! grep -q "wan: injecting faults" "$1"' _ "$out"
		net_ping_ok "multi on $t: the kernel pings the lan interface" "$NS" -c 2 -i 0.2 -W 2 10.216.$n.2
		net_ping_ok "multi on $t: and the wan interface" "$NS" -c 3 -i 0.2 -W 2 10.217.$n.2
		net_stop "$PID" 15
		check "multi on $t: each stack counted its own pings" grep -q 'pings: lan 2 wan 3$' "$out"
	else
		fail "multi on $t: did not come up: $(tail -3 "$out")"
	fi
	r=$(ip netns exec "$NS" "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --net lan=rlan0 --net wan=rwan0 -- \
		--ipv4=10.216.$n.2/24 2>&1)
	check "multi on $t: --ipv4 with two interfaces is refused, naming --lan-ipv4" \
		bash -c '[ "$1" -eq 1 ] && grep -q "ambiguous with 2 interfaces; use --lan-ipv4" <<<"$2"' _ $? "$r"
	r=$(ip netns exec "$NS" "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --net lan=rlan0 --net wan=rwan0 -- \
		--lan-ipv4=10.216.$n.2/24 --wan-ipv4=10.217.$n.2/24 --net-faults=loss=1% 2>&1)
	check "multi on $t: --net-faults with two interfaces is refused, naming --lan-net-faults" \
		bash -c '[ "$1" -eq 1 ] && grep -q "ambiguous with 2 interfaces; use --lan-net-faults" <<<"$2"' _ $? "$r"
	r=$(ip netns exec "$NS" "$RIAD" run -t "$t" -C "$d" "${mem[@]}" --net lan=rlan0 --net wan=rwan0 -- \
		--lan-ipv4=10.216.$n.2/24 --wan-ipv4=10.217.$n.2/24 --wan-net-faults=loss=200% 2>&1)
	check "multi on $t: a bad --wan-net-faults ends it with status 64, naming the option" \
		bash -c '[ "$1" -eq 64 ] && grep -q "option .--wan-net-faults.: .loss=200%.: more than 100%" <<<"$2"' _ $? "$r"
	if [ "$t" = unix ]; then
		r=$(ip netns exec "$NS" "$d/dist/multi.unix" --net:lan=rlan0 --lan-ipv4=10.216.$n.2/24 2>&1)
		check "multi on unix: a device not attached is one clear line" \
			bash -c '[ "$1" -eq 1 ] && grep -q "net device .wan. is not attached (run with --net:wan=TAP, or riad run --net wan=TAP)" <<<"$2"' _ $? "$r"
	fi
done
exit 0
