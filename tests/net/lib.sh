# tests/net/lib.sh: helpers for the tests that put riad on a network with
# real peers, inside network namespaces the test creates (sourced).
#
# Nothing here touches the host's own network: every interface and address
# lives in a namespace made by net_ns and deleted on exit, with the
# processes started by net_bg, whatever way the test ends.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
BUILD=$ROOT/build
WORK=$(mktemp -d /tmp/riad-net.XXXXXX)
NET_NAMESPACES=()
NET_PIDS=()

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
skip() { echo "SKIP: $*"; }

# check NAME CMD...: PASS or FAIL depending on the command's status.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

net_cleanup() {
	local pid ns
	for pid in "${NET_PIDS[@]+"${NET_PIDS[@]}"}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${NET_PIDS[@]+"${NET_PIDS[@]}"}"; do
		wait "$pid" 2>/dev/null
	done
	for ns in "${NET_NAMESPACES[@]+"${NET_NAMESPACES[@]}"}"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap net_cleanup EXIT

# net_require WHAT: exit 0 after one SKIP line naming WHAT and the reason
# unless this is root with /dev/net/tun, ip(8) and network namespaces.
net_require() {
	local what=$1 why=
	if [ "$(id -u)" -ne 0 ]; then why="needs root"
	elif [ ! -c /dev/net/tun ]; then why="no /dev/net/tun"
	elif ! command -v ip >/dev/null; then why="no ip command (iproute2)"
	elif ! ip netns add "riad-probe-$$" 2>/dev/null; then why="cannot create a network namespace"
	fi
	ip netns del "riad-probe-$$" 2>/dev/null
	if [ -n "$why" ]; then
		skip "$what ($why)"
		exit 0
	fi
}

# net_ns VAR TAG: a new namespace (riad-TAG-PID-N) with lo up; its name
# goes in VAR. Deleted on exit.
net_ns() {
	local -n var_=$1
	var_="riad-$2-$$-${#NET_NAMESPACES[@]}"
	ip netns add "$var_"
	NET_NAMESPACES+=("$var_")
	ip -n "$var_" link set lo up
}

# net_tap NS NAME [ADDR/PREFIX]: a tap interface NAME in NS, up, with the
# address if one is given.
net_tap() {
	ip -n "$1" tuntap add dev "$2" mode tap
	ip -n "$1" link set "$2" up
	[ -z "${3:-}" ] || ip -n "$1" addr add "$3" dev "$2"
}

# net_bg OUT NS CMD...: run CMD inside NS in the background, output to
# OUT; sets NET_PID. Killed on exit if still running.
net_bg() {
	local out=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$@" >"$out" 2>&1 &
	NET_PID=$!
	NET_PIDS+=("$NET_PID")
}

# net_wait_for FILE PATTERN [SECONDS]: wait until FILE has a line matching
# PATTERN (grep -E); fails after SECONDS (default 10).
net_wait_for() {
	local i
	for ((i = 0; i < ${3:-10} * 20; i++)); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# ---- riad's network stack against real peers (tests/net/*.t but tap.t) ----

RIAD=$ROOT/build/stage/bin/riad

# net_targets: the targets to test the stack on: unix, and spt and hvt
# when `riad targets` says this machine runs them. RIAD_NET_TARGETS
# ("unix spt") overrides. Prints one SKIP line per target left out.
net_targets() {
	local t st
	if [ -n "${RIAD_NET_TARGETS:-}" ]; then
		echo "$RIAD_NET_TARGETS"
		return
	fi
	NET_TARGETS=(unix)
	for t in spt hvt; do
		st=$("$RIAD" targets | awk -v t="$t" '$1 == t { $1 = ""; sub(/^ /, ""); print }')
		case "$st" in
		ok*) NET_TARGETS+=("$t") ;;
		*) echo "SKIP: $(basename "$0") on $t ($t: ${st:-not listed})" >&2 ;;
		esac
	done
	echo "${NET_TARGETS[*]}"
}

# net_example NAME TARGET: copy examples/NAME into the work directory
# (once) and build it for TARGET; prints the directory. Fails with the
# build's output on stderr.
net_example() {
	local d=$WORK/ex-$1 out
	if [ ! -d "$d" ]; then
		cp -R "$ROOT/examples/$1" "$d"
		rm -rf "$d/_build" "$d/dist"
	fi
	if ! out=$("$RIAD" build -t "$2" -C "$d" 2>&1); then
		echo "$out" >&2
		return 1
	fi
	echo "$d"
}

# net_run OUT NS DIR TARGET DEV=TAP [ARGS...]: run the unikernel built in
# DIR on TARGET inside NS in the background with its net device DEV on
# the tap TAP (riad run --net); output to OUT; sets NET_PID.
net_run() {
	local out=$1 ns=$2 dir=$3 target=$4 dev=$5
	shift 5
	local mem=()
	[ "$target" = unix ] || mem=(--mem 64)
	net_bg "$out" "$ns" "$RIAD" run -t "$target" -C "$dir" "${mem[@]}" --net "$dev" -- "$@"
}

# net_stop PID [SECONDS]: wait for PID to end by itself (default 10 s),
# else kill it; returns its exit status (137 or 143 if killed).
net_stop() {
	local i
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# net_quit NS ADDR PORT: send the UDP datagram "QUIT\n" to ADDR:PORT from NS.
net_quit() {
	ip netns exec "$1" bash -c "printf 'QUIT\n' >/dev/udp/$2/$3" 2>/dev/null
}

# net_ping_ok NAME NS ARGS...: ping in NS; PASS when every request was answered.
net_ping_ok() {
	local name=$1 ns=$2 out
	shift 2
	out=$(ip netns exec "$ns" ping "$@" 2>&1)
	if printf '%s\n' "$out" | awk '/packets transmitted/ { ok = $1 > 0 && $1 == $4 } END { exit !ok }'; then
		pass "$name"
	else
		fail "$name: $(printf '%s\n' "$out" | tail -3 | tr '\n' ' ')"
	fi
}
