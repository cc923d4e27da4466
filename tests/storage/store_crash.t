#!/usr/bin/env bash
# tests/storage/store_crash.t: the writable store survives SIGKILL. The
# tests/storage/storeapp unikernel runs a seeded write load (sets of 0-3000
# bytes over 256 keys, removes, a flush every 1-8 changes) on a 2 MiB store,
# printing each change before making it and "ACK" after each flush that
# returned; it is killed with SIGKILL (the process on unix, the tender on
# spt and hvt) at a seeded random moment, RIAD_STORE_CRASH_RUNS times (200)
# per target, on the same image. After each kill the store is opened again
# (the same unikernel, --mode=dump: it must open without repair and read
# every key), and every key must hold its last acknowledged value, or one
# it was given after that flush (not acknowledged, so either is right);
# nothing unreadable; no key from nowhere. One acknowledged key a run is
# also read with riad disk get.
source "$(dirname "$0")/../e2e/lib.sh"
set -u
RUNS=${RIAD_STORE_CRASH_RUNS:-200}
SEED=${RIAD_TEST_SEED:-1}
APP=$WORK/storeapp
cp -R "$ROOT/tests/storage/storeapp" "$APP"

# check_run BASE LOG DUMP: the awk check described above; prints problems.
check_run() {
	awk -v fb="$1" -v fl="$2" -v fd="$3" '
	FILENAME == fb && $1 == "HAVE" { acked[$2] = $3; next }
	FILENAME == fl && $1 == "SET" { pend[$2] = $3; cand[$2] = cand[$2] " " $3; seen[$2] = 1; next }
	FILENAME == fl && $1 == "DEL" { pend[$2] = "-"; cand[$2] = cand[$2] " -"; seen[$2] = 1; next }
	FILENAME == fl && $1 == "ACK" {
		for (k in pend) acked[k] = pend[k]
		delete pend; delete cand; acks++; next
	}
	FILENAME == fl && /^FAIL/ { print "the load failed: " $0; bad++; next }
	FILENAME == fd && $1 == "HAVE" { have[$2] = $3; next }
	FILENAME == fd && $1 == "SUCCESS" { ok = 1; next }
	FILENAME == fd && ($1 == "BAD" || /^FAIL/) { print "reopen: " $0; bad++; next }
	function allowed(k, v) { return v == acked[k] || index(cand[k] " ", " " v " ") > 0 }
	END {
		if (!ok) { print "the store did not open and read back whole"; bad++ }
		for (k in acked) {
			if (acked[k] == "-" && !(k in have) && !(k in cand)) continue
			v = (k in have) ? have[k] : "-"
			if (!allowed(k, v)) {
				print k ": has " v ", acknowledged " acked[k] ", later" cand[k]
				if (++bad > 5) exit 1
			}
		}
		for (k in have) if (!(k in acked) && !allowed(k, have[k])) {
			print k ": has " have[k] ", never set"
			bad++
		}
		printf "acks %d\n", acks
		exit bad ? 1 : 0
	}' "$1" "$2" "$3"
}

# one_target TARGET: RUNS kills; prints PASS/FAIL lines.
one_target() {
	local target=$1 bin tender=() img=$WORK/crash-$1.img
	if ! out=$("$RIAD" build -t "$target" -C "$APP" 2>&1); then
		if grep -q "undefined reference to .riad_block_open" <<<"$out"; then
			skip "store_crash: $target (riad_block_open is not in this tree's $target runtime)"
		else
			fail "store_crash: storeapp does not build for $target: $(tail -3 <<<"$out")"
		fi
		return
	fi
	bin=$APP/dist/storeapp.$target
	# run_uk ARGS...: the unikernel with the image attached, in the foreground.
	case "$target" in
	unix) tender=("$bin" "--block:storage=$img") ;;
	*) tender=("$ROOT/build/stage/bin/riad-$target" "--block:storage=$img" -- "$bin") ;;
	esac
	truncate -s 2M "$img"
	"$RIAD" disk format "$img" || { fail "store_crash: $target: format"; return; }
	: >"$WORK/base"
	RANDOM=$SEED
	local i failures=0 killed=0 acks=0 disk_checked=0 t0=$SECONDS
	for ((i = 1; i <= RUNS; i++)); do
		local log=$WORK/load.$i dump=$WORK/dump.$i
		"${tender[@]}" --mode=load --count=0 --seed=$((SEED * 100000 + i)) --keys=64 --batch=8 \
			>"$log" 2>&1 &
		local pid=$! w
		# The random moment counts from the load's first change, so that a
		# slow boot (hvt) does not eat it.
		for ((w = 0; w < 500; w++)); do
			grep -q '^SET ' "$log" 2>/dev/null && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.01
		done
		sleep "$(printf '0.%03d' $((RANDOM % 250 + 10)))"
		if kill -KILL "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
		wait "$pid" 2>/dev/null
		"${tender[@]}" --mode=dump >"$dump" 2>&1
		if ! res=$(check_run "$WORK/base" "$log" "$dump"); then
			failures=$((failures + 1))
			echo "$target run $i (seed $((SEED * 100000 + i))): $res" | head -8
			cp "$img" "$WORK/../store_crash-$target-$i.img" 2>/dev/null
			[ $failures -lt 3 ] || break
		fi
		n=$(sed -n 's/^acks //p' <<<"$res" | tail -1)
		acks=$((acks + ${n:-0}))
		# one acknowledged key, through the host tool
		local line key h
		line=$(grep '^HAVE ' "$dump" | sed -n "$((RANDOM % 64 + 1))p")
		if [ -n "$line" ]; then
			key=$(cut -d' ' -f2 <<<"$line") h=$(cut -d' ' -f3 <<<"$line")
			if [ "$("$RIAD" disk get "$img" "$key" | sha256sum | cut -d' ' -f1)" != "$h" ]; then
				echo "$target run $i: riad disk get $key differs from the unikernel's read"
				failures=$((failures + 1))
			fi
			disk_checked=$((disk_checked + 1))
		fi
		grep '^HAVE ' "$dump" >"$WORK/base"
		rm -f "$log" "$dump"
	done
	check "store_crash: $target: $killed of $RUNS runs killed by SIGKILL mid-load ($acks flushes acknowledged, $disk_checked keys also read by riad disk get, $((SECONDS - t0)) s), nothing acknowledged lost, nothing unreadable" \
		test $failures = 0 -a $killed -ge $((RUNS * 9 / 10)) -a $acks -gt $RUNS
}

one_target unix
for target in spt hvt; do
	if ! "$RIAD" targets | grep -q "^$target *ok"; then
		skip "store_crash: $target (target not available: $("$RIAD" targets | grep "^$target"))"
	elif [ "$target" = hvt ] && ! [ -w /dev/kvm ]; then
		skip "store_crash: hvt (no writable /dev/kvm)"
	else
		one_target "$target"
	fi
done
