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
