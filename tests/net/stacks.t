#!/usr/bin/env bash
# tests/net/stacks.t: two stack instances in one unikernel
# (tests/net/stacks_both.c, built with plain `riad build -t unix`): riad's
# own stack on a tap in a namespace made here, and the host-socket stack
# (riad_net_open_host) over the namespace's kernel, which is the tap's
# other end. A TCP connection each way between them with bytes compared
# both ways, a UDP datagram each way, and both stacks closing.
source "$(dirname "$0")/lib.sh"
net_require "tests/net/stacks.t"
P=$((20000 + $$ % 20000))

net_ns NS stacks
net_tap "$NS" rtap0 10.203.0.1/24

d=$WORK/stacks
mkdir -p "$d"
cp "$ROOT/tests/net/stacks_both.c" "$d/main.c"
printf 'name = stacks-both\n' >"$d/riad.conf"
if ! out=$("$RIAD" build -t unix -C "$d" 2>&1); then
	fail "stacks: stacks_both.c does not build: $out"
	exit 0
fi
run_out=$(timeout 60 ip netns exec "$NS" "$RIAD" run -t unix -C "$d" --net tap=rtap0 -- \
	--tap-ipv4=10.203.0.2/24 --peer=10.203.0.1 --port=$P 2>&1)
st=$?
while read -r _ verdict name; do
	if [ "$verdict" = ok ]; then pass "stacks: $name"; else fail "stacks: $name"; fi
done < <(grep '^CHECK ' <<<"$run_out")
check "stacks: the program ends 0 after all its checks" \
	bash -c '[ "$1" -eq 0 ] && grep -q "^DONE$" <<<"$2"' _ $st "$run_out"
[ $st -eq 0 ] || echo "$run_out" | tail -8
exit 0
