# tests/storage/baked.t: files baked into the image (riad build --bake,
# riad.conf's bake lines; riad_kv_baked_open): tests/storage/bakedcat reads
# every baked file back on each target and its digests and sizes must be
# those of the originals; identical files are stored once; two builds give
# the same bytes (other file times, directory order, build directory;
# SOURCE_DATE_EPOCH); riad run rebuilds when a baked file changes; what
# cannot be baked is refused with one line.
source "$(dirname "$0")/../e2e/lib.sh"

uk=$WORK/bc
cp -R "$ROOT/tests/storage/bakedcat" "$uk"
rm -rf "$uk/_build" "$uk/dist"
site=$uk/site

# make_site DIR: nested directories, duplicates (a 64 KiB binary twice, a
# text three times), an empty file, a name with spaces, a symbolic link to
# a file inside. Files are written in the order given by $order.
make_site() {
	local d=$1
	mkdir -p "$d/a/b/c" "$d/img" "$d/empty dir"
	for f in ${order:-1 2 3 4 5 6 7 8}; do
		case $f in
		1) cp "$WORK/blob" "$d/img/logo.bin" ;;
		2) cp "$WORK/blob" "$d/a/b/c/copy.bin" ;;
		3) echo "hello, baked world" >"$d/index.html" ;;
		4) echo "hello, baked world" >"$d/a/same.html" ;;
		5) echo "hello, baked world" >"$d/a/b/also same.html" ;;
		6) : >"$d/a/empty" ;;
		7) printf 'x\0y\377\n' >"$d/a-b" ;;
		8) ln -s ../index.html "$d/a/link.html" ;;
		esac
	done
}
head -c 65536 /dev/urandom >"$WORK/blob"
make_site "$site"
echo "bake = site" >>"$uk/riad.conf"

# expected DIR PREFIX MTIME: the FILE lines bakedcat should print, sorted.
expected() {
	(cd "$1" && find . \( -type f -o -type l \) -print | LC_ALL=C sort | while IFS= read -r f; do
		echo "FILE $(sha256sum <"$f" | cut -d' ' -f1) $(stat -L -c %s "$f") $3 $2${f#./}"
	done) | LC_ALL=C sort
}
files_of() { grep '^FILE ' <<<"$1" | LC_ALL=C sort; }

cd "$uk"
run_capture out st "$RIAD" build -t unix
check "riad build -t unix with a bake line builds" bash -c "[ $st -eq 0 ] && [ -x dist/bakedcat.unix ]"
check "riad build reports 8 files, 4 distinct" grep -q 'baked: 8 files, 4 distinct' <<<"$out"
run_capture out st "$RIAD" run -t unix
want=$(expected "$site" "" 0)
check "unix: every baked file reads back byte-exact (SHA-256 and size of the originals)" \
	bash -c '[ "$1" -eq 0 ] && grep -q "^SUCCESS" <<<"$2" && [ "$3" = "$4" ]' _ "$st" "$out" "$(files_of "$out")" "$want"
check "unix: 8 keys in the index" grep -q '^FILES 8$' <<<"$out"
img_size=$(stat -c %s _build/unix/baked.img)
check "duplicates are stored once (image $img_size bytes for 2 x 64 KiB + 3 texts)" \
	bash -c "[ $img_size -ge 65536 ] && [ $img_size -lt 70000 ]"
cp dist/bakedcat.unix "$WORK/first.unix"

# Reproducible: again, with other file times, another directory order,
# elsewhere.
run_capture out st "$RIAD" build -t unix
check "two builds give the same bytes (unix)" cmp -s dist/bakedcat.unix "$WORK/first.unix"
find site -exec touch -h -d '2001-02-03 04:05:06' {} +
run_capture out st "$RIAD" build -t unix
check "the files' times do not change the image" cmp -s dist/bakedcat.unix "$WORK/first.unix"
rm -rf site
order="8 7 6 5 4 3 2 1" make_site "$site"
run_capture out st "$RIAD" build -t unix
check "the order the files were created in does not change the image" \
	cmp -s dist/bakedcat.unix "$WORK/first.unix"
mkdir -p "$WORK/elsewhere/deeper"
cp -R "$uk" "$WORK/elsewhere/deeper/uk"
rm -rf "$WORK/elsewhere/deeper/uk/_build" "$WORK/elsewhere/deeper/uk/dist"
run_capture out st "$RIAD" build -t unix -C "$WORK/elsewhere/deeper/uk"
check "a build in another directory gives the same bytes" \
	cmp -s "$WORK/elsewhere/deeper/uk/dist/bakedcat.unix" "$WORK/first.unix"
# The same, by a Makefile that includes riad's make fragment (riad(1)).
mkdir -p "$WORK/mk"
cp -R "$uk" "$WORK/mk/uk"
rm -rf "$WORK/mk/uk/_build" "$WORK/mk/uk/dist" "$WORK/mk/uk/riad.conf"
printf 'NAME = bakedcat\nBAKE = site\ninclude %s\n' "$ROOT/build/stage/share/riad/riad.mk" >"$WORK/mk/uk/Makefile"
run_capture out st env -u MAKEFLAGS -u MAKELEVEL make -C "$WORK/mk/uk"
check "a Makefile with BAKE = DIR, including riad.mk, gives the same bytes as riad build" \
	bash -c '[ "$1" -eq 0 ] && grep -q "baked: 8 files, 4 distinct" <<<"$2" && cmp -s "$3" "$4"' _ "$st" "$out" \
	"$WORK/mk/uk/dist/bakedcat.unix" "$WORK/first.unix"
run_capture out st env SOURCE_DATE_EPOCH=1700000000 "$RIAD" build -t unix
cp dist/bakedcat.unix "$WORK/sde.unix"
run_capture out st env SOURCE_DATE_EPOCH=1700000000 "$RIAD" build -t unix
check "two builds with SOURCE_DATE_EPOCH give the same bytes" cmp -s dist/bakedcat.unix "$WORK/sde.unix"
run_capture out st ./dist/bakedcat.unix
check "SOURCE_DATE_EPOCH is every baked file's mtime" \
	bash -c '[ "$1" = "$2" ]' _ "$(files_of "$out")" "$(expected "$site" "" 1700000000000000000)"
run_capture out st env SOURCE_DATE_EPOCH=yesterday "$RIAD" build -t unix
check "a bad SOURCE_DATE_EPOCH is one line, non-zero exit" \
	bash -c '[ "$1" -ne 0 ] && [ $(wc -l <<<"$2") -eq 1 ] && grep -q SOURCE_DATE_EPOCH <<<"$2"' _ "$st" "$out"

# riad run rebuilds when a baked file changes or appears.
"$RIAD" build -t unix >/dev/null 2>&1
sleep 1
echo "changed" >>site/a/b/c/copy.bin
run_capture out st "$RIAD" run -t unix
check "riad run rebuilds when a baked file changed" \
	bash -c 'grep -q "built dist/bakedcat.unix" <<<"$1" && [ "$2" = "$3" ]' _ "$out" \
	"$(files_of "$out")" "$(expected "$site" "" 0)"
sleep 1
echo new >"site/a/b/new file"
run_capture out st "$RIAD" run -t unix
check "riad run rebuilds when a file is added below a baked directory" \
	bash -c 'grep -q "built dist/bakedcat.unix" <<<"$1" && grep -q "a/b/new file$" <<<"$1"' _ "$out"

# --bake DIR:PREFIX on the command line, relative to where riad started;
# riad run's rebuild keeps it.
mkdir -p "$WORK/more/x"
echo more >"$WORK/more/x/m.txt"
run_capture out st bash -c 'cd "$1" && "$2" build -t unix -C bc --bake more:ext/v1' _ "$WORK" "$RIAD"
run_capture out2 st2 "$RIAD" run -t unix
want=$( (expected "$site" "" 0; expected "$WORK/more" "ext/v1/" 0) | LC_ALL=C sort)
check "--bake DIR:PREFIX adds keys below PREFIX to riad.conf's" \
	bash -c '[ "$1" -eq 0 ] && [ "$2" = "$3" ]' _ "$st" "$(files_of "$out2")" "$want"
sleep 1
touch main.c
run_capture out st "$RIAD" run -t unix
check "riad run's rebuild keeps the last build's --bake" \
	bash -c 'grep -q "built dist" <<<"$1" && grep -q "ext/v1/x/m.txt$" <<<"$1"' _ "$out"

# What cannot be baked: one line naming it, exit 2.
refused() {
	local what=$1 pattern=$2
	shift 2
	run_capture out st "$RIAD" build -t unix "$@"
	check "refused: $what" bash -c '[ "$1" -eq 2 ] && [ $(wc -l <<<"$2") -eq 1 ] && grep -q -- "$3" <<<"$2"' \
		_ "$st" "$out" "$pattern"
}
mkdir -p "$WORK/bad"
ln -s /etc/hostname "$WORK/bad/escape"
refused "a symbolic link that leaves the directory" "escape: a symbolic link that leaves" --bake "$WORK/bad"
rm "$WORK/bad/escape"
ln -s ../bc "$WORK/bad/up"
refused "a symbolic link to a directory outside" "up: a symbolic link that leaves" --bake "$WORK/bad"
rm "$WORK/bad/up"
mkdir "$WORK/bad/d"
ln -s d "$WORK/bad/dlink"
refused "a symbolic link to a directory" "dlink: a symbolic link to a directory" --bake "$WORK/bad"
rm "$WORK/bad/dlink"
ln -s nowhere "$WORK/bad/dangling"
refused "a dangling symbolic link" "dangling: a symbolic link that leads nowhere" --bake "$WORK/bad"
rm "$WORK/bad/dangling"
mkfifo "$WORK/bad/d/fifo"
refused "a named pipe" "fifo: a special file" --bake "$WORK/bad"
rm "$WORK/bad/d/fifo"
refused "the unikernel's own directory (it holds _build)" "holds riad build's own output" --bake .
refused "a directory that does not exist" "nosuch: No such file" --bake "$WORK/nosuch"
refused "a file instead of a directory" "is not a directory" --bake "$WORK/blob"
refused "a prefix that is not a key" "prefix 'a/../b' is not a key" --bake "$WORK/more:a/../b"
refused "the same key twice" "'ext/x/m.txt' is baked twice" --bake "$WORK/more:ext" --bake "$WORK/more:ext"
mkdir -p "$WORK/clash"
cp "$WORK/blob" "$WORK/clash/x"
refused "a key both a file and a directory" "'ext/x' is both a file" --bake "$WORK/more:ext" --bake "$WORK/clash:ext"
# A key longer than RIAD_KV_KEY_MAX (4095 bytes): 17 directories of 250.
seg=$(printf 'd%.0s' $(seq 250))
(mkdir -p "$WORK/deep" && cd "$WORK/deep" && for _ in $(seq 17); do mkdir "$seg" && cd "$seg"; done && : >f)
refused "a key longer than 4095 bytes" "its key is longer than 4095 bytes" --bake "$WORK/deep"
truncate -s $((256 * 1024 * 1024 + 1)) "$WORK/huge"
mkdir -p "$WORK/big" && mv "$WORK/huge" "$WORK/big/"
refused "more bytes than RIAD_KV_BAKED_BYTES_MAX" "RIAD_KV_BAKED_BYTES_MAX" --bake "$WORK/big"
rm -rf "$WORK/big"
mkdir -p "$WORK/many"
(cd "$WORK/many" && seq 0 65536 | xargs touch)
refused "more files than RIAD_KV_BAKED_FILES_MAX" "RIAD_KV_BAKED_FILES_MAX" --bake "$WORK/many"
rm -rf "$WORK/many"
run_capture out st "$RIAD" build -t unix --bake
check "refused: --bake without a directory" bash -c "[ $st -eq 2 ] && grep -q -- '--bake needs' <<<\"\$1\"" _ "$out"

# Without bake lines the store is empty, and the baked object is gone.
sed -i '/^bake/d' riad.conf
run_capture out st "$RIAD" build -t unix
run_capture out st "$RIAD" run -t unix
check "without anything baked the store is empty" \
	bash -c '[ "$1" -eq 0 ] && grep -q "^FILES 0$" <<<"$2" && [ ! -e _build/unix/baked.o ]' _ "$st" "$out"
echo "bake = site" >>riad.conf

# The solo5 targets: the same files, and reproducible too.
for t in spt hvt; do
	if ! "$RIAD" targets | grep -Eq "^$t +ok"; then
		skip "baked files on $t ($t is not usable here: $("$RIAD" targets | grep "^$t"))"
		continue
	fi
	run_capture out st "$RIAD" build -t $t
	check "$t: riad build with a bake line builds" test "$st" -eq 0
	cp "dist/bakedcat.$t" "$WORK/first.$t"
	run_capture out st "$RIAD" run -t $t --mem 16
	check "$t: every baked file reads back byte-exact" \
		bash -c '[ "$1" -eq 0 ] && grep -q "^SUCCESS" <<<"$2" && [ "$3" = "$4" ]' _ "$st" "$out" \
		"$(files_of "$out")" "$(expected "$site" "" 0)"
	find site -exec touch -h -d '2002-03-04 05:06:07' {} +
	run_capture out st "$RIAD" build -t $t
	check "$t: two builds give the same bytes (other file times too)" cmp -s "dist/bakedcat.$t" "$WORK/first.$t"
done
