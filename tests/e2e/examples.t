# tests/e2e/examples.t: every example built with the riad tool and run on the
# unix target; output and exit status checked.
source "$(dirname "$0")/lib.sh"
t=unix

d=$(example hello)
run_capture out st "$RIAD" build -t $t -C "$d"
check "hello builds on $t" test "$st" -eq 0
# Time-stamp each line as it arrives: four lines, about a second apart.
stamps=$("$RIAD" run -t $t -C "$d" | while IFS= read -r line; do
	echo "$(date +%s%N) $line"
done)
status=${PIPESTATUS[0]}
check "hello exits 0 on $t" test "$status" -eq 0
check "hello logs 'hello' four times" test "$(grep -c '\[INFO\] \[application\] hello$' <<<"$stamps")" -eq 4
check "hello's lines have MirageOS's reporter format" \
	grep -Eq '^[0-9]+ [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-00:00: \[INFO\] \[application\] hello$' <<<"$stamps"
gaps_ok=1
prev=""
while read -r ns _; do
	if [ -n "$prev" ]; then
		gap=$(((ns - prev) / 1000000))
		if [ "$gap" -lt 800 ] || [ "$gap" -gt 1200 ]; then
			echo "  gap of $gap ms between hello lines"
			gaps_ok=0
		fi
	fi
	prev=$ns
done <<<"$stamps"
check "hello's lines are 1 s apart (+-200 ms)" test "$gaps_ok" = 1

run_capture out st "$RIAD" run -t $t -C "$d" -- --hello="a b  c" --interval-ms=0
check "hello takes a quoted argument with spaces intact" grep -q '\[application\] a b  c$' <<<"$out"

run_capture out st "$RIAD" run -t $t -C "$d" -- --help
check "hello --help exits 63" test "$st" -eq 63
check "hello --help lists its options and the runtime's" \
	bash -c 'grep -q -- "--interval-ms" <<<"$1" && grep -q -- "--hello" <<<"$1" && grep -q -- "-l" <<<"$1"' _ "$out"

run_capture out st "$RIAD" run -t $t -C "$d" -- --interval-ms=soon
check "hello rejects an ill-typed option with 64" test "$st" -eq 64
check "the error is one line naming the option" \
	bash -c '[ "$(wc -l <<<"$1")" -eq 1 ] && grep -q -- "--interval-ms" <<<"$1"' _ "$out"

run_capture out st "$RIAD" run -t $t -C "$d" -- --no-such-option
check "hello rejects an unknown option with 64" test "$st" -eq 64

run_capture out st "$RIAD" run -t $t -C "$d" -- -l quiet --interval-ms=0
check "-l quiet silences the log" test -z "$out"
run_capture out st "$RIAD" run -t $t -C "$d" -- -l application:warning --interval-ms=0
check "-l SRC:LEVEL filters a source" test -z "$out"

d=$(example clock)
run_capture out st "$RIAD" run -t $t -C "$d" -- --ticks=2 --sleep-ms=100
check "clock exits 0" test "$st" -eq 0
check "clock prints the wall clock in UTC" grep -Eq "wall clock: $(date -u +%Y-%m-%d)" <<<"$out"
check "clock's sleeps take at least what was asked" \
	bash -c '[ "$(grep -Ec "slept 1[0-9]{2}\." <<<"$1")" -eq 2 ]' _ "$out"

d=$(example fibers)
run_capture out st "$RIAD" run -t $t -C "$d" -- --workers=4 --items=10
check "fibers exits 0" test "$st" -eq 0
check "fibers: workers finish in sleep order" \
	bash -c '[ "$(grep -o "worker [0-9] done" <<<"$1" | tr -d "\n")" = "worker 3 doneworker 2 doneworker 1 doneworker 0 done" ]' _ "$out"
check "fibers: consumer got every item" grep -q 'received 10 items, sum 55' <<<"$out"

d=$(example random)
run_capture out st "$RIAD" run -t $t -C "$d"
check "random exits 0" test "$st" -eq 0
run_capture out2 st2 "$RIAD" run -t $t -C "$d"
check "random differs between runs" test "$out" != "$out2"

d=$(example args)
run_capture out st "$RIAD" run -t $t -C "$d" -- --name="riad user" --count=3
check "args exits 0" test "$st" -eq 0
check "args greets the name given three times" \
	bash -c '[ "$(grep -c "Hello, riad user!" <<<"$1")" -eq 3 ]' _ "$out"
run_capture out st "$RIAD" run -t $t -C "$d" -- --count=99999999999999999999
check "args rejects an overflowing integer with 64" test "$st" -eq 64
