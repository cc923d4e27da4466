# tests/e2e/lib.sh: helpers for the end-to-end tests (sourced).
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
RIAD=$ROOT/build/stage/bin/riad
WORK=$(mktemp -d /tmp/riad-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
skip() { echo "SKIP: $*"; }

# check NAME COND...: PASS or FAIL depending on the command's status.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# example NAME: copy examples/NAME into the work dir; prints its path.
example() {
	rm -rf "${WORK:?}/$1"
	cp -R "$ROOT/examples/$1" "$WORK/$1"
	rm -rf "$WORK/$1/_build" "$WORK/$1/dist"
	echo "$WORK/$1"
}

# run_capture OUTVAR STATUSVAR CMD...: run CMD, keep its output and status.
run_capture() {
	local -n out_=$1 st_=$2
	shift 2
	set +e
	out_=$("$@" 2>&1)
	st_=$?
	set -e
}
