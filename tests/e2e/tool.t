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

# Incremental builds (tool/riad.mk): a unikernel of three files, one in a
# subdirectory, and a header two of them include.
d=$WORK/inc
mkdir -p "$d/sub" "$d/bin"
cat >"$d/main.c" <<'C'
/* main.c: the inc test unikernel. */
#include <riad/log.h>
#include "sub/util.h"
#ifndef GREETING
#define GREETING "plain"
#endif
int other(void);
int main(void)
{
	riad_info(NULL, "inc %d %d %s", util_twice(21), other(), GREETING);
	return 0;
}
C
cat >"$d/sub/util.h" <<'C'
int util_twice(int x);
C
cat >"$d/sub/util.c" <<'C'
#include "util.h"
int util_twice(int x) { return 2 * x; }
C
cat >"$d/other.c" <<'C'
int other(void);
int other(void) { return 7; }
C
echo "name = inc" >"$d/riad.conf"
# mtimes SRC...: the modification times of their objects, one a line.
mtimes() { (cd "$d" && for s in "$@"; do stat -c %.9Y "_build/unix/$s.o"; done); }
compiled() { grep -E '^  CC ' <<<"$1" | awk '{ print $2 }' | LC_ALL=C sort | tr '\n' ' '; }
cd "$d"
run_capture out st "$RIAD" build -t unix
check "incremental: the first build compiles the three sources, sub/util.c to _build/unix/sub/util.c.o" \
	bash -c '[ "$1" -eq 0 ] && [ "$2" = "main.c other.c sub/util.c " ] && [ -f _build/unix/sub/util.c.o ]' _ "$st" "$(compiled "$out")"
run_capture out st ./dist/inc.unix
check "incremental: the unikernel with a source in a subdirectory runs" grep -q 'inc 42 7 plain$' <<<"$out"
t0=$(mtimes main.c other.c sub/util.c)
b0=$(stat -c %.9Y dist/inc.unix)
run_capture out st "$RIAD" build -t unix
check "incremental: nothing changed: nothing compiled or linked, 'up to date'" \
	bash -c '[ "$1" -eq 0 ] && [ -z "$2" ] && grep -q "dist/inc.unix is up to date" <<<"$3" && [ "$4" = "$5" ]' \
	_ "$st" "$(compiled "$out")" "$out" "$b0" "$(stat -c %.9Y dist/inc.unix)"
touch other.c
run_capture out st "$RIAD" build -t unix
t1=$(mtimes main.c other.c sub/util.c)
check "incremental: after touching other.c only other.c recompiles (make's output and the objects' times)" \
	bash -c '[ "$1" -eq 0 ] && [ "$2" = "other.c " ] && [ "$(sed -n "1p;3p" <<<"$3")" = "$(sed -n "1p;3p" <<<"$4")" ] &&
		[ "$(sed -n 2p <<<"$3")" != "$(sed -n 2p <<<"$4")" ] && grep -q "built dist/inc.unix" <<<"$5"' \
	_ "$st" "$(compiled "$out")" "$t0" "$t1" "$out"
touch sub/util.h
run_capture out st "$RIAD" build -t unix
check "incremental: a changed header recompiles the sources that include it, and only those" \
	bash -c '[ "$1" -eq 0 ] && [ "$2" = "main.c sub/util.c " ]' _ "$st" "$(compiled "$out")"
# riad run rebuilds too, saying only that it built (as riad build -v would
# say, every object is new).
t1=$(mtimes main.c other.c sub/util.c)
run_capture out st env CFLAGS='-DGREETING="\"env\""' "$RIAD" run -t unix
t2=$(mtimes main.c other.c sub/util.c)
check "incremental: changed CFLAGS recompile everything (riad run rebuilds, one line)" \
	bash -c '[ "$1" -eq 0 ] && paste <(echo "$2") <(echo "$3") | awk "\$1 == \$2 { exit 1 }" && grep -q "inc 42 7 env$" <<<"$4" &&
		[ "$(grep -v "\[application\]" <<<"$4")" = "riad: built dist/inc.unix" ]' _ "$st" "$t1" "$t2" "$out"
run_capture out st "$RIAD" run -t unix
t3=$(mtimes main.c other.c sub/util.c)
check "incremental: and back without them, again" \
	bash -c '[ "$1" -eq 0 ] && paste <(echo "$2") <(echo "$3") | awk "\$1 == \$2 { exit 1 }" && grep -q "inc 42 7 plain$" <<<"$4"' \
	_ "$st" "$t2" "$t3" "$out"
if "$RIAD" targets | grep -Eq '^spt +ok'; then
	run_capture out st "$RIAD" build -t spt
	check "incremental: another target compiles everything for itself (_build/spt)" \
		bash -c '[ "$1" -eq 0 ] && [ "$2" = "main.c other.c sub/util.c " ] && [ -f _build/spt/sub/util.c.o ]' \
		_ "$st" "$(compiled "$out")"
	run_capture out st "$RIAD" build -t unix
	check "incremental: ... and leaves the unix build up to date" grep -q 'inc.unix is up to date' <<<"$out"
	m0=$(stat -c %.9Y _build/spt/.riad-manifest.o)
	touch other.c
	run_capture out st "$RIAD" build -t spt
	check "incremental: spt: an edit that keeps the devices recompiles one source, not the manifest" \
		bash -c '[ "$1" -eq 0 ] && [ "$2" = "other.c " ] && [ "$3" = "$(stat -c %.9Y _build/spt/.riad-manifest.o)" ]' \
		_ "$st" "$(compiled "$out")" "$m0"
	printf '#include <riad/devices.h>\nRIAD_DEVICE_NET(service);\n' >>other.c
	run_capture out st "$RIAD" build -t spt
	check "incremental: spt: a new device makes the manifest again" \
		bash -c '[ "$1" -eq 0 ] && grep -q "devices: service (NET)" <<<"$2" && [ "$3" != "$(stat -c %.9Y _build/spt/.riad-manifest.o)" ]' \
		_ "$st" "$out" "$m0"
	sed -i '/devices\|RIAD_DEVICE/d' other.c
else
	skip "incremental: another target (spt is not usable here)"
fi

# The compiler runs in parallel: a wrapper notes when another compile is
# running at the same time.
cat >"$d/bin/slowcc" <<'SH'
#!/bin/sh
case " $* " in *" -c "*.c" "*)
	: >"$SLOWCC_DIR/run.$$"; sleep 1
	[ "$(ls "$SLOWCC_DIR" | grep -c '^run\.')" -gt 1 ] && echo overlap >>"$SLOWCC_DIR/log"
	rm -f "$SLOWCC_DIR/run.$$" ;;
esac
exec cc "$@"
SH
chmod +x "$d/bin/slowcc"
mkdir -p "$WORK/slowcc"
# By default one job per processor; with one processor here, -j 2.
jobs=()
[ "$(nproc)" -gt 1 ] || jobs=(-j 2)
run_capture out st env CC="$d/bin/slowcc" SLOWCC_DIR="$WORK/slowcc" "$RIAD" build -t unix "${jobs[@]+"${jobs[@]}"}"
check "incremental: sources are compiled in parallel (make -j${jobs[1]:-$(nproc)})" \
	bash -c '[ "$1" -eq 0 ] && grep -q overlap "$2/log"' _ "$st" "$WORK/slowcc"
# Two builds at once in one directory: one waits for the other.
touch main.c
env CC="$d/bin/slowcc" SLOWCC_DIR="$WORK/slowcc" "$RIAD" build -t unix >"$WORK/b1" 2>&1 &
run_capture out st env CC="$d/bin/slowcc" SLOWCC_DIR="$WORK/slowcc" "$RIAD" build -t unix
wait $! && st1=0 || st1=$?
check "incremental: two builds at once: one compiles, the other waits and finds it done" \
	bash -c '[ "$1" -eq 0 ] && [ "$2" -eq 0 ] && [ "$(grep -c "^  CC" <<<"$3")" -eq 1 ]' \
	_ "$st" "$st1" "$out"$'\n'"$(cat "$WORK/b1")"
rm -f "$WORK/slowcc/log"
touch main.c other.c sub/util.c
run_capture out st env CC="$d/bin/slowcc" SLOWCC_DIR="$WORK/slowcc" "$RIAD" build -t unix -j 1
check "incremental: riad build -j 1 compiles one source at a time" \
	bash -c '[ "$1" -eq 0 ] && [ "$(grep -c "^  CC" <<<"$3")" -eq 3 ] && [ ! -e "$2/log" ]' _ "$st" "$WORK/slowcc" "$out"
"$RIAD" build -t unix >/dev/null 2>&1

# A reinstalled riad (here: a copy of the stage whose libriad.a is newer)
# rebuilds what it built, also through riad run.
cp -R "$ROOT/build/stage" "$WORK/stage"
RIAD2=$WORK/stage/bin/riad
run_capture out st "$RIAD2" build -t unix
check "incremental: another riad installation rebuilds everything" \
	bash -c '[ "$1" -eq 0 ] && [ "$2" = "main.c other.c sub/util.c " ]' _ "$st" "$(compiled "$out")"
run_capture out st "$RIAD2" run -t unix
check "incremental: riad run after a build is quiet" bash -c '[ -z "$2" ] && ! grep -q built <<<"$1"' _ "$out" "$(compiled "$out")"
touch "$WORK/stage/lib/riad/unix/libriad.a"
run_capture out st "$RIAD2" run -t unix
check "incremental: after riad's libriad.a changed, riad run rebuilds instead of running the old binary" \
	bash -c '[ "$1" -eq 0 ] && grep -q "built dist/inc.unix" <<<"$2" && grep -q "inc 42 7 plain$" <<<"$2"' _ "$st" "$out"

# riad.conf: sources (patterns too), cflags, libs; unknown lines.
echo 'this does not compile' >"$d/broken.c"
run_capture out st "$RIAD" build -t unix
check "riad.conf: without sources, every .c file is built (broken.c fails, exit 2, no make noise)" \
	bash -c '[ "$1" -eq 2 ] && grep -q "broken.c" <<<"$2" && ! grep -q "make.*\*\*\*" <<<"$2"' _ "$st" "$out"
echo 'sources = main.c other.c sub/*.c' >>riad.conf
run_capture out st "$RIAD" build -t unix
check "riad.conf: sources = FILE... PATTERN... builds those alone" \
	bash -c '[ "$1" -eq 0 ] && [ ! -e _build/unix/broken.c.o ]' _ "$st"
echo 'sources = nosuch.c' >>riad.conf
run_capture out st "$RIAD" build -t unix
check "riad.conf: a missing source is one line, exit 2" \
	bash -c '[ "$1" -eq 2 ] && [ "$(wc -l <<<"$2")" -eq 1 ] && grep -q "riad: build: no such source: nosuch.c" <<<"$2"' _ "$st" "$out"
sed -i '/nosuch/d' riad.conf
echo 'cflags = -DGREETING="\"conf\""' >>riad.conf
run_capture out st "$RIAD" run -t unix
check "riad.conf: cflags = FLAGS reach the compiler" grep -q 'inc 42 7 conf$' <<<"$out"
mkdir -p extra
printf 'int other(void);\nint other(void) { return 8; }\n' >extra/lib.c.in
cc -c -x c extra/lib.c.in -o extra/other.o && ar rcs extra/libother.a extra/other.o
sed -i 's/^sources = .*/sources = main.c sub\/*.c/' riad.conf
echo 'libs = extra/libother.a' >>riad.conf
run_capture out st "$RIAD" run -t unix
check "riad.conf: libs = LIBRARIES are linked" grep -q 'inc 42 8 conf$' <<<"$out"
printf 'int other(void);\nint other(void) { return 9; }\n' >extra/lib.c.in
cc -c -x c extra/lib.c.in -o extra/other.o && rm extra/libother.a && ar rcs extra/libother.a extra/other.o
run_capture out st "$RIAD" run -t unix
check "riad.conf: a changed library relinks" grep -q 'inc 42 9 conf$' <<<"$out"
echo 'colour = blue' >>riad.conf
run_capture out st "$RIAD" build -t unix
check "riad.conf: an unknown line is warned about" \
	bash -c '[ "$1" -eq 0 ] && grep -q "warning: riad.conf:[0-9]*: not a known KEY = VALUE line" <<<"$2"' _ "$st" "$out"
sed -i '/^colour/d' riad.conf
# A source outside the directory, and one that comes and goes.
mkdir -p "$WORK/shared"
printf 'int shared_unused(void);\nint shared_unused(void) { return 1; }\n' >"$WORK/shared/s.c"
sed -i 's/^sources = .*/sources = main.c sub\/*.c ..\/shared\/s.c/' riad.conf
run_capture out st "$RIAD" build -t unix
check "riad.conf: a source in ../ is compiled below _build/unix (../ as __/)" \
	bash -c '[ "$1" -eq 0 ] && [ "$2" = "../shared/s.c " ] && [ -f _build/unix/__/shared/s.c.o ]' \
	_ "$st" "$(compiled "$out")"
sed -i 's/ ..\/shared\/s.c$//' riad.conf
run_capture out st "$RIAD" build -t unix
check "a source fewer relinks without compiling" \
	bash -c '[ "$1" -eq 0 ] && [ -z "$2" ] && grep -q "built dist/inc.unix" <<<"$3"' _ "$st" "$(compiled "$out")" "$out"
touch main.c
run_capture out st "$RIAD" build -t unix -v
check "riad build -v shows the commands" \
	bash -c '[ "$1" -eq 0 ] && grep -q "^cc .* -MMD .* -c main.c -o _build/unix/main.c.o" <<<"$2"' _ "$st" "$out"
cd "$ROOT"

# A unikernel in a directory whose path holds a space.
"$RIAD" new spaced "$WORK/dir with space" >/dev/null
run_capture out st "$RIAD" run -t unix -C "$WORK/dir with space"
check "a unikernel in a directory with a space in its path builds and runs" \
	bash -c '[ "$1" -eq 0 ] && grep -q "Hello from spaced" <<<"$2"' _ "$st" "$out"

# Without the tool: a Makefile of three lines includes riad's fragment.
d=$(example hello)
cat >"$d/Makefile" <<'MK'
TARGET = unix
NAME = hello-mk
include $(shell pkg-config --variable=mkfile riad-$(TARGET))
MK
run_capture out st env -u MAKEFLAGS -u MAKELEVEL make -C "$d"
check "a Makefile that includes pkg-config's mkfile builds dist/NAME.TARGET" \
	bash -c '[ "$1" -eq 0 ] && [ -x "$2/dist/hello-mk.unix" ]' _ "$st" "$d"
run_capture out st "$d/dist/hello-mk.unix" --interval-ms=0
check "the Makefile build runs" bash -c "[ $st -eq 0 ] && [ \$(grep -c hello <<<\"\$1\") -eq 4 ]" _ "$out"
run_capture out st env -u MAKEFLAGS -u MAKELEVEL make -C "$d"
check "make again does nothing" bash -c '[ "$1" -eq 0 ] && ! grep -q "CC\|built" <<<"$2"' _ "$st" "$out"
touch "$d/main.c"
run_capture out st env -u MAKEFLAGS -u MAKELEVEL make -C "$d"
check "make after a change recompiles and relinks" \
	bash -c '[ "$1" -eq 0 ] && grep -q "CC *main.c" <<<"$2" && grep -q "built dist/hello-mk.unix" <<<"$2"' _ "$st" "$out"
