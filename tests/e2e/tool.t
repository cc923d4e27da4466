# tests/e2e/tool.t: the riad command: new, build, run, targets, clean, help
# and errors; and building without the tool, through pkg-config.
source "$(dirname "$0")/lib.sh"

d=$WORK/empty
mkdir -p "$d"
cd "$d"
run_capture out st "$RIAD" new myuk
check "riad new writes a unikernel" bash -c "[ $st -eq 0 ] && [ -f main.c ] && grep -q 'name = myuk' riad.conf"
run_capture out st "$RIAD" new myuk
check "riad new refuses to overwrite" bash -c "[ $st -ne 0 ] && grep -q 'already exists' <<<'$out'"
run_capture out st "$RIAD" new 'bad name'
check "riad new rejects a bad name" test "$st" -ne 0
run_capture out st "$RIAD" build -t unix
check "riad build -t unix builds dist/myuk.unix" bash -c "[ $st -eq 0 ] && [ -x dist/myuk.unix ]"
run_capture out st "$RIAD" run
check "riad run runs it (exit 0)" test "$st" -eq 0
check "riad run shows its greeting" grep -q 'Hello from myuk' <<<"$out"
run_capture out st "$RIAD" run -- --greeting="it's  spaced"
check "riad run passes quoted arguments intact" grep -q "\[application\] it's  spaced$" <<<"$out"
run_capture out st "$RIAD" run -- --help
check "riad run -- --help shows the unikernel's options, exit 63" \
	bash -c "[ $st -eq 63 ] && grep -q -- --greeting <<<\"\$1\"" _ "$out"
sleep 1
echo '/* changed */' >>main.c
run_capture out st "$RIAD" run
check "riad run rebuilds when a source changed" grep -q 'built dist/myuk.unix' <<<"$out"
run_capture out st "$RIAD" clean
check "riad clean removes _build and dist" bash -c "[ ! -e dist ] && [ ! -e _build ]"
cd "$ROOT"

for cmd in "" new build run targets clean; do
	run_capture out st "$RIAD" $cmd --help
	check "riad $cmd --help exits 0 and explains usage" bash -c "[ $st -eq 0 ] && grep -q '^usage: riad' <<<\"\$1\"" _ "$out"
done
run_capture out st "$RIAD" frobnicate
check "an unknown command is one clear line, exit 2" \
	bash -c "[ $st -eq 2 ] && [ \$(wc -l <<<\"\$1\") -eq 1 ] && grep -q frobnicate <<<\"\$1\"" _ "$out"
run_capture out st "$RIAD" build -t vax -C "$ROOT/examples/hello"
check "an unknown target is refused" bash -c "[ $st -eq 2 ] && grep -q \"unknown target 'vax'\" <<<\"\$1\"" _ "$out"
run_capture out st "$RIAD" run --mem=lots -C "$ROOT/examples/hello"
check "a bad --mem is refused" bash -c "[ $st -eq 2 ] && grep -q -- '--mem' <<<\"\$1\"" _ "$out"
run_capture out st "$RIAD" run --net=oops -C "$ROOT/examples/hello"
check "a bad --net is refused" bash -c "[ $st -eq 2 ] && grep -q -- '--net' <<<\"\$1\"" _ "$out"
run_capture out st "$RIAD" run -t unix --dumpcore -C "$ROOT/examples/hello"
check "riad run --dumpcore is refused off hvt" \
	bash -c "[ $st -eq 2 ] && grep -q -- '--dumpcore is for the hvt target' <<<\"\$1\"" _ "$out"
if "$RIAD" targets | grep -Eq '^hvt +ok'; then
	# tests/solo5/exception takes a fatal trap; riad run passes
	# --dumpcore=DIR (relative to where riad runs, not to -C) to riad-hvt.
	cp -R "$ROOT/tests/solo5" "$WORK/s5"
	mkdir "$WORK/cores"
	run_capture out st bash -c 'cd "$1" && "$2" run -t hvt --mem 8 -C s5/exception --dumpcore=cores' \
		_ "$WORK" "$RIAD"
	check "riad run -t hvt --dumpcore=DIR: the guest's fault leaves a core in DIR" \
		bash -c '[ "$2" -ne 0 ] && grep -q "core dumped to $3/core.riad-hvt." <<<"$1" &&
			ls "$3"/core.riad-hvt.* >/dev/null' _ "$out" "$st" "$WORK/cores"
else
	skip "riad run --dumpcore on hvt (hvt is not usable here)"
fi
run_capture out st "$RIAD" targets
check "riad targets lists unix as usable" grep -Eq '^unix +ok' <<<"$out"
check "riad targets names a default" grep -q '(default)' <<<"$out"

# Without the tool: pkg-config gives a working compile line.
d=$(example hello)
export PKG_CONFIG_PATH=$ROOT/build/stage/lib/pkgconfig
# shellcheck disable=SC2046
run_capture out st cc -o "$d/hello-pc" "$d/main.c" $(pkg-config --cflags --libs riad-unix)
check "pkg-config --cflags --libs riad-unix builds hello" test "$st" -eq 0
run_capture out st "$d/hello-pc" --interval-ms=0
check "the pkg-config build runs" bash -c "[ $st -eq 0 ] && [ \$(grep -c hello <<<\"\$1\") -eq 4 ]" _ "$out"
