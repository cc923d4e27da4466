# tests/storage/crypt_crash.t: the encryption overlay under SIGKILL: a unikernel (tests/storage/crypt_crash.c) writes a seeded load through the overlay on a --block file and is killed at a random moment, RIAD_CRYPT_CRASH_RUNS times (default 200) per target (unix, spt, hvt); after each kill the image decrypts without a single failed sector (riad disk decrypt) and every sector holds its old or its new contents, nothing reported written lost (crypt_crash_check.py).
source "$(dirname "$0")/../e2e/lib.sh"
DISK=$ROOT/build/stage/libexec/riad/riad-disk
CHECKER=$ROOT/tests/storage/crypt_crash_check.py
RUNS=${RIAD_CRYPT_CRASH_RUNS:-200}
MAXLEN=40
[ -x "$DISK" ] || { fail "riad-disk is not built (make stage)"; exit 0; }
KEY=$(python3 -c 'import os; print(os.urandom(32).hex())')
echo "$KEY" >"$WORK/key"

d=$WORK/crashuk
mkdir -p "$d"
cp "$ROOT/tests/storage/crypt_crash.c" "$d/main.c"
printf 'name = crashuk\n' >"$d/riad.conf"

# keep_evidence TARGET RUN: the images and output of a failed run, for
# crypt_crash_check.py and crypt_reader.py by hand.
keep_evidence() {
	local dir=$ROOT/build/tests/crypt_crash-$1-run$2 f
	rm -rf "$dir" && mkdir -p "$dir" || return 0
	for f in disk-before.img disk.img before.img after.img out key; do
		[ ! -f "$WORK/$f" ] || cp "$WORK/$f" "$dir/"
	done
	echo "evidence kept in $dir"
}

# reported SEED: the last write reported in $WORK/out by the run of SEED
# (its OPEN line names its seed), -1 if none. The largest number, not the
# last line: a kill in the middle of the console write may leave "W 12" of
# "W 123".
reported() {
	local n=-1
	if grep -q "^OPEN .* seed $1\$" "$WORK/out"; then
		n=$(grep -a '^W [0-9]' "$WORK/out" | cut -d' ' -f2 | sort -n | tail -1)
	fi
	echo "${n:--1}"
}

# one_target TARGET: RUNS killed runs on a fresh image.
one_target() {
	local t=$1 out st
	if ! out=$("$RIAD" build -t "$t" -C "$d" 2>&1); then
		if [ "$t" = unix ]; then
			fail "crypt_crash: the unikernel does not build for unix: $(tail -3 <<<"$out")"
		else
			skip "crypt_crash on $t (the unikernel does not build for $t: $(grep -m1 -o "undefined reference to \`[a-z_]*'\|error: .*" <<<"$out" || tail -1 <<<"$out"))"
		fi
		return
	fi
	head -c $((2048 * 512)) /dev/zero >"$WORK/plain.img"
	rm -f "$WORK/disk.img" "$WORK/before.img"
	"$DISK" encrypt --key-file="$WORK/key" "$WORK/plain.img" "$WORK/disk.img" || { fail "crypt_crash: encrypt"; return; }
	"$DISK" decrypt --key-file="$WORK/key" "$WORK/disk.img" "$WORK/before.img" || { fail "crypt_crash: decrypt"; return; }
	local i bad=0 undecryptable=0 mid=0 writes=0 done seed pid
	for ((i = 1; i <= RUNS; i++)); do
		seed=$((i * 7919 + ${#t}))
		cp "$WORK/disk.img" "$WORK/disk-before.img"
		# Emptied here, not only by the child's >: on a loaded machine
		# the child may not have run yet when the loop below looks, nor
		# when it is killed, and the previous run's OPEN and W lines
		# would be taken for this run's (the kill then lands before the
		# unikernel started, and every write "reported" is missing).
		: >"$WORK/out"
		"$RIAD" run -t "$t" -C "$d" --block disk="$WORK/disk.img" -- --key="$KEY" --seed=$seed \
			--maxlen=$MAXLEN >"$WORK/out" 2>&1 &
		pid=$!
		for _ in $(seq 400); do grep -q "^OPEN .* seed $seed\$\|^ERROR" "$WORK/out" && break; sleep 0.005; done
		sleep "0.0$((RANDOM % 40))"
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		if grep -q '^ERROR' "$WORK/out"; then
			fail "crypt_crash: $t run $i: $(grep -m1 '^ERROR' "$WORK/out")"
			bad=$((bad + 1))
			break
		fi
		done=$(reported $seed)
		[ "$done" -ge 0 ] && mid=$((mid + 1)) && writes=$((writes + done + 1))
		rm -f "$WORK/after.img"
		if ! out=$("$DISK" decrypt --key-file="$WORK/key" "$WORK/disk.img" "$WORK/after.img" 2>&1); then
			echo "$t run $i (seed $seed): $out"
			undecryptable=$((undecryptable + 1))
			keep_evidence "$t" "$i"
			break
		fi
		if ! python3 "$CHECKER" "$WORK/before.img" "$WORK/after.img" $seed "$done" $MAXLEN "$WORK/disk.img"; then
			echo "$t run $i (seed $seed, $((done + 1)) writes reported)"
			keep_evidence "$t" "$i"
			bad=$((bad + 1))
			break
		fi
		mv "$WORK/after.img" "$WORK/before.img"
	done
	echo "$t: $((i - 1)) runs killed, $mid of them after writes had returned ($writes writes reported in all)"
	check "crypt_crash on $t: $RUNS SIGKILLs, every sector readable" test "$undecryptable" -eq 0
	check "crypt_crash on $t: every sector old or new, nothing reported written lost" test "$bad" -eq 0
	check "crypt_crash on $t: kills landed in the middle of the load (at least half the runs)" test $((mid * 2)) -ge "$RUNS"
}

# The harness's own reading of an output: another run's lines report
# nothing (a run killed before its child emptied the file), and a last line
# cut short does not hide the whole one before it.
printf 'OPEN 2048 512 seed 7\nW 0\nW 1\n' >"$WORK/out"
r1=$(reported 8)
printf 'OPEN 2048 512 seed 7\nW 121\nW 122\nW 12' >"$WORK/out"
r2=$(reported 7)
check "crypt_crash: an output counts only its own run's writes, cut lines aside" test "$r1 $r2" = "-1 122"

one_target unix
for t in spt hvt; do
	if ! "$RIAD" targets | grep -q "^$t *ok"; then
		skip "crypt_crash on $t (target not available: $("$RIAD" targets | grep "^$t"))"
	elif [ $t = hvt ] && ! [ -w /dev/kvm ]; then
		skip "crypt_crash on hvt (no writable /dev/kvm)"
	else
		one_target $t
	fi
done
