# tests/storage/kvcat.t: examples/kvcat on unix, spt and hvt, the storage stack chosen at boot with --store and --crypt-key: GPT disks made by sgdisk and MBR disks made by sfdisk with several partitions, a GNU tar archive in the partition named site (by name and by index), plain and under the encryption overlay (riad disk encrypt), each file printed byte-exact; a flipped byte under the overlay is one error line for that file while the others print; --set appends to the archive (read back by GNU tar); the writable store, plain and encrypted, written by riad disk put and read by kvcat, and written by kvcat --set and read by riad disk get; --store=baked; wrong key, missing partition or device (status 2); bad --store and --crypt-key values rejected before main (one line, 64).
# Needs sgdisk (gdisk), sfdisk (fdisk), GNU tar; spt needs riad-spt, hvt /dev/kvm (riad targets says why not: skipped, or failed when CI=true).
source "$(dirname "$0")/../e2e/lib.sh"
# lib.sh's run_capture leaves set -e on: every other command that may fail
# is written "cmd || st=$?".
set -u
T=kvcat

missing=""
for c in sgdisk sfdisk tar cmp; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
tar --version 2>/dev/null | grep -q 'GNU tar' || missing="$missing GNU-tar"
if [ -n "$missing" ]; then
	if [ "${CI:-}" = true ]; then fail "$T: missing$missing"; else skip "$T (missing$missing)"; fi
	exit 0
fi

# ---- fixtures ----

# site/: nested paths, a binary file with every byte value, an empty file, a
# name over 100 bytes (a GNU long name), and big.bin, first in the archive,
# so that its data starts at the archive's second sector.
site=$WORK/site
mkdir -p "$site/img" "$site/a/b/c" "$site/docs"
head -c 1048576 /dev/urandom >"$site/big.bin"
printf '<h1>hello from riad</h1>\n' >"$site/index.html"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 300)' >"$site/img/logo.png"
printf 'deep\n' >"$site/a/b/c/deep.txt"
: >"$site/docs/empty"
long=docs/$(head -c 120 /dev/zero | tr '\0' n).txt
printf 'long name\n' >"$site/$long"
files=(big.bin index.html img/logo.png a/b/c/deep.txt docs/empty "$long")
(cd "$site" && tar --format=gnu -cf "$WORK/site.tar" big.bin index.html img a docs)
# What kvcat --list prints for it.
expected_list=$(cd "$site" && find . -mindepth 1 \( -type d -printf '/%P/\n' -o -printf '/%P\n' \) | LC_ALL=C sort)

key=$WORK/key.hex
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$key"
wrongkey=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The overlay image of the archive, and one with one byte flipped in the
# middle of big.bin: plain sector d (big.bin's data starts at sector 1) is
# stored at 1 + (d / 14) * 15 + 1 + d % 14 with 512-byte sectors
# (docs/storage-crypt.md: 14 data sectors per metadata sector).
have_crypt=0
"$RIAD" disk encrypt --key-file="$key" "$WORK/site.tar" "$WORK/site.crypt" >"$WORK/enc.out" 2>&1 ||
	have_crypt=$?
if [ "$have_crypt" -ne 0 ]; then
	fail "$T: riad disk encrypt failed: $(head -3 "$WORK/enc.out" | tr '\n' ' ')"
fi
d=1001
flip_sector=$((1 + (d / 14) * 15 + 1 + d % 14))
cp "$WORK/site.crypt" "$WORK/flipped.crypt"
byte=$(od -An -tu1 -j $((flip_sector * 512 + 100)) -N1 "$WORK/site.crypt" | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 0x20)))" |
	dd of="$WORK/flipped.crypt" bs=1 seek=$((flip_sector * 512 + 100)) conv=notrunc status=none

# gpt_disk OUT IMAGE: a 16 MiB GPT disk (sgdisk) with partitions boot, site
# and data, IMAGE written into site with dd, random bytes at the start of data.
gpt_disk() {
	truncate -s 16M "$1"
	sgdisk -n 1:2048:+1M -c 1:boot -t 1:ef00 -n 2:0:+6M -c 2:site -n 3:0:0 -c 3:data "$1" >/dev/null
	local first
	first=$(sgdisk -i 2 "$1" | awk '/^First sector/ { print $3 }')
	dd if="$2" of="$1" bs=512 seek="$first" conv=notrunc status=none
	first=$(sgdisk -i 3 "$1" | awk '/^First sector/ { print $3 }')
	head -c 65536 /dev/urandom | dd of="$1" bs=512 seek="$first" conv=notrunc status=none
}
# mbr_disk OUT IMAGE: a 16 MiB MBR disk (sfdisk) with three primary
# partitions, IMAGE written into the second.
mbr_disk() {
	truncate -s 16M "$1"
	printf 'label: dos\n,1M,83\n,6M,83\n,,83\n' | sfdisk -q "$1" >/dev/null
	local first
	first=$(sfdisk -d "$1" | sed -n 's/^.*2 : start= *\([0-9]*\),.*$/\1/p')
	dd if="$2" of="$1" bs=512 seek="$first" conv=notrunc status=none
}
# mbr_logical_disk OUT IMAGE: an MBR disk with a primary partition, an
# extended one holding logical partitions 5 and 6, IMAGE written into 6.
mbr_logical_disk() {
	truncate -s 16M "$1"
	printf 'label: dos\n,1M,83\n,,5\n,1M,83\n,6M,83\n' | sfdisk -q "$1" >/dev/null
	local first
	first=$(sfdisk -d "$1" | sed -n 's/^.*6 : start= *\([0-9]*\),.*$/\1/p')
	dd if="$2" of="$1" bs=512 seek="$first" conv=notrunc status=none
}
gpt_disk "$WORK/gpt.img" "$WORK/site.tar"
mbr_disk "$WORK/mbr.img" "$WORK/site.tar"
mbr_logical_disk "$WORK/mbr-logical.img" "$WORK/site.tar"
# The archive alone as the whole device (padded to whole sectors).
cp "$WORK/site.tar" "$WORK/whole.img"
if [ "$have_crypt" -eq 0 ]; then
	gpt_disk "$WORK/gpt-crypt.img" "$WORK/site.crypt"
	gpt_disk "$WORK/gpt-flipped.img" "$WORK/flipped.crypt"
	mbr_disk "$WORK/mbr-crypt.img" "$WORK/site.crypt"
fi
# The writable store: a 4 MiB image made by riad disk format and put (three
# of the files), alone and under the overlay, each in a GPT partition
# named state of exactly its size. store_disk OUT IMAGE.
store_files=(index.html img/logo.png a/b/c/deep.txt)
store_disk() {
	local sectors
	sectors=$(($(stat -c %s "$2") / 512))
	truncate -s 16M "$1"
	sgdisk -n 1:2048:+1M -c 1:boot -n "2:0:+$sectors" -c 2:state "$1" >/dev/null
	dd if="$2" of="$1" bs=512 seek="$(part_first "$1" 2)" conv=notrunc status=none
}
part_first() { # part_first DISK N: the first sector of GPT partition N
	sgdisk -i "$2" "$1" | awk '/^First sector/ { print $3 }'
}
part_out() { # part_out DISK N OUT SECTORS: copy GPT partition N out
	dd if="$1" of="$3" bs=512 skip="$(part_first "$1" "$2")" count="$4" status=none
}
have_store=0
{
	truncate -s 4M "$WORK/store.img" &&
		"$RIAD" disk format "$WORK/store.img" &&
		for f in "${store_files[@]}"; do "$RIAD" disk put "$WORK/store.img" "/$f" "$site/$f" || exit 1; done
} >"$WORK/store.out" 2>&1 || have_store=$?
if [ "$have_store" -ne 0 ]; then
	fail "$T: riad disk format/put failed: $(head -3 "$WORK/store.out" | tr '\n' ' ')"
else
	store_disk "$WORK/store-disk.img" "$WORK/store.img"
	if [ "$have_crypt" -eq 0 ]; then
		"$RIAD" disk encrypt --key-file="$key" "$WORK/store.img" "$WORK/store.crypt" >/dev/null 2>&1 ||
			fail "$T: riad disk encrypt of the store image failed"
		store_disk "$WORK/store-crypt-disk.img" "$WORK/store.crypt"
	fi
fi

cat_all() { # the files' contents, one after the other, as kvcat prints them
	for f in "${files[@]}"; do cat "$site/$f"; done
}
cat_all >"$WORK/all.expected"
paths=()
for f in "${files[@]}"; do paths+=("/$f"); done

# ---- the targets ----

targets=(unix)
for t in spt hvt; do
	st=$("$RIAD" targets | awk -v t="$t" '$1 == t { $1 = ""; sub(/^ /, ""); print }')
	case "$st" in
	ok*) targets+=("$t") ;;
	*) if [ "${CI:-}" = true ]; then fail "$T on $t: $t: ${st:-not listed}"
	   else skip "$T on $t ($t: ${st:-not listed})"; fi ;;
	esac
done

dir=$(example kvcat)
# The same with site/ baked into the image, for --store=baked.
bdir=$WORK/kvcat-baked
cp -R "$dir" "$bdir"

# kv IMAGE ARGS...: run kvcat on $t with IMAGE as its disk; on the solo5
# targets without the tender's banner (--solo5:quiet).
kv() {
	local img=$1
	shift
	local q=()
	[ "$t" = unix ] || q=(--solo5:quiet)
	"$RIAD" run -t "$t" -C "$dir" --block "disk=$img" -- "${q[@]+"${q[@]}"}" "$@"
}

# byte_exact LABEL IMAGE SPEC [KEY]: every file, each on its own and all in
# one run, printed byte-exact (-l quiet: nothing but the values).
byte_exact() {
	local label=$1 img=$2 spec=$3 k=()
	[ $# -ge 4 ] && k=(--crypt-key="$4")
	local ok=1 f st
	for f in "${files[@]}"; do
		st=0
		kv "$img" -l quiet --store="$spec" "${k[@]+"${k[@]}"}" "/$f" >"$WORK/out" 2>&1 || st=$?
		if [ "$st" -ne 0 ] || ! cmp -s "$WORK/out" "$site/$f"; then
			echo "  $label: /$f differs or failed (status $st): $(head -c 200 "$WORK/out" | tr -c '[:print:]' '?')"
			ok=0
		fi
	done
	check "$label on $t: each file byte-exact (--store=$spec)" test "$ok" = 1
	st=0
	kv "$img" -l quiet --store="$spec" "${k[@]+"${k[@]}"}" "${paths[@]}" >"$WORK/out" 2>&1 || st=$?
	check "$label on $t: all files in one run, byte-exact, status 0" \
		bash -c '[ "$1" -eq 0 ] && cmp -s "$2" "$3"' _ "$st" "$WORK/out" "$WORK/all.expected"
}

# one_line_64 LABEL ARGS...: status 64 and exactly one line, the argument
# parser's ("kvcat.TARGET: option '--NAME': ..."), so main never ran.
one_line_64() {
	local label=$1 opt=$2
	shift 2
	run_capture out st kv "$WORK/gpt.img" "$@"
	if [ "$st" -eq 64 ] && [ "$(wc -l <<<"$out")" -eq 1 ] &&
		grep -Eq "^kvcat(\.$t)?: option '$opt': " <<<"$out"; then
		pass "$label on $t: one line naming $opt, status 64, before main"
	else
		fail "$label on $t: status $st, output: $(head -3 <<<"$out" | tr '\n' '|')"
	fi
}

for t in "${targets[@]}"; do
	run_capture out st "$RIAD" build -t "$t" -C "$dir"
	check "kvcat builds for $t" test "$st" -eq 0
	[ "$st" -eq 0 ] || continue

	byte_exact "GPT (sgdisk), partition by name" "$WORK/gpt.img" tar:disk@site
	byte_exact "GPT (sgdisk), partition by index" "$WORK/gpt.img" tar:disk@2
	byte_exact "GPT (sgdisk), first partition of a type" "$WORK/gpt.img" \
		tar:disk@type:0FC63DAF-8483-4772-8E79-3D69D8477DE4
	byte_exact "MBR (sfdisk), partition 2" "$WORK/mbr.img" tar:disk@2
	byte_exact "MBR (sfdisk), logical partition 6" "$WORK/mbr-logical.img" tar:disk@6
	byte_exact "the archive as the whole device" "$WORK/whole.img" tar:disk

	run_capture out st kv "$WORK/gpt.img" -l quiet --store=tar:disk@site --list
	check "--list on $t: every key of the archive, dictionaries with a '/'" \
		bash -c '[ "$1" -eq 0 ] && [ "$2" = "$3" ]' _ "$st" "$out" "$expected_list"
	run_capture out st kv "$WORK/gpt.img" -l quiet --store=tar:disk@site --list /a/b
	check "--list /a/b on $t: one dictionary, one level" \
		bash -c '[ "$1" -eq 0 ] && [ "$2" = "/a/b/c/" ]' _ "$st" "$out"

	run_capture out st kv "$WORK/gpt.img" --store=tar:disk@site /index.html /no/such /a /a/b/c/deep.txt
	check "missing keys on $t: one error line each, the others print, status 1" \
		bash -c '[ "$1" -eq 1 ] && grep -q "\[ERROR\] \[application\] /no/such: no such entry$" <<<"$2" &&
			grep -q "\[ERROR\] \[application\] /a: is a dictionary$" <<<"$2" &&
			grep -qx "<h1>hello from riad</h1>" <<<"$2" && grep -qx deep <<<"$2"' _ "$st" "$out"

	run_capture out st kv "$WORK/gpt.img" --store=tar:disk@nosuch /index.html
	check "a partition that is not there on $t: status 2, a line naming it" \
		bash -c '[ "$1" -eq 2 ] && grep -q "\[kv\] store: partition '"'"'nosuch'"'"' of '"'"'disk'"'"': no such entry" <<<"$2"' _ "$st" "$out"
	run_capture out st kv "$WORK/gpt.img" --store=tar:disk@data /index.html
	check "a partition of random bytes, not an archive, on $t: status 2" \
		bash -c '[ "$1" -eq 2 ] && grep -q "\[kv\] store: the tar store on '"'"'disk@data'"'"'" <<<"$2"' _ "$st" "$out"
	if [ "$t" = unix ]; then
		run_capture out st "$RIAD" run -t unix -C "$dir" -- --store=tar:disk /index.html
		check "no device attached on unix: status 2, a line naming it" \
			bash -c '[ "$1" -eq 2 ] && grep -q "block device '"'"'disk'"'"': no such device" <<<"$2"' _ "$st" "$out"
	fi

	if [ "$have_crypt" -eq 0 ]; then
		byte_exact "GPT, encrypted site" "$WORK/gpt-crypt.img" tar:disk@site "$(cat "$key")"
		byte_exact "MBR, encrypted partition 2" "$WORK/mbr-crypt.img" tar:disk@2 "$(cat "$key")"
		run_capture out st kv "$WORK/gpt-crypt.img" --store=tar:disk@site --crypt-key="$wrongkey" /index.html
		check "a wrong key on $t: status 2, 'access refused', the key not shown" \
			bash -c '[ "$1" -eq 2 ] && grep -q "encryption overlay on '"'"'disk@site'"'"': access refused" <<<"$2" &&
				! grep -q "$3" <<<"$2"' _ "$st" "$out" "$wrongkey"
		run_capture out st kv "$WORK/gpt-crypt.img" --store=tar:disk@site /index.html
		check "the encrypted partition without a key on $t: status 2" test "$st" -eq 2

		# One flipped byte in big.bin's sectors: its error line, then the
		# next file; the one before printed whole.
		st=0
		kv "$WORK/gpt-flipped.img" --store=tar:disk@site --crypt-key="$(cat "$key")" \
			/index.html /big.bin /a/b/c/deep.txt >"$WORK/out" 2>&1 || st=$?
		html=$(cat "$site/index.html")
		check "a flipped byte under the overlay on $t: status 1" test "$st" -eq 1
		check "a flipped byte on $t: one error line naming /big.bin and bad data" \
			bash -c '[ "$(grep -ac "\[ERROR\] \[application\] /big.bin: bad data" "$1")" -eq 1 ] &&
				[ "$(grep -ac "\[ERROR\]" "$1")" -eq 1 ]' _ "$WORK/out"
		check "a flipped byte on $t: the file before it printed whole, the one after it too" \
			bash -c '[ "$(head -c ${#2} "$1")" = "$2" ] && [ "$(tail -c 5 "$1")" = "deep" ]' \
			_ "$WORK/out" "$html"
		# What came of big.bin: its first bytes, up to the error line.
		at=$(grep -abo -E '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}-00:00: \[ERROR\]' "$WORK/out" | head -1 | cut -d: -f1)
		part=$((${at:-0} - ${#html} - 1))
		check "a flipped byte on $t: big.bin printed up to the damaged sector ($part of 1048576 bytes), none after" \
			bash -c '[ "$4" -ge 0 ] && [ "$4" -le $(((1001 - 1) * 512)) ] &&
				cmp -s <(head -c "$4" "$3") <(tail -c +$((${#2} + 2)) "$1" | head -c "$4")' \
			_ "$WORK/out" "$html" "$site/big.bin" "$part"
		run_capture out st kv "$WORK/gpt-flipped.img" -l quiet --store=tar:disk@site \
			--crypt-key="$(cat "$key")" /index.html /a/b/c/deep.txt "/$long"
		check "a flipped byte on $t: the other files still byte-exact" \
			bash -c '[ "$1" -eq 0 ] && [ "$2" = "$3" ]' _ "$st" "$out" \
			"$(cat "$site/index.html" "$site/a/b/c/deep.txt" "$site/$long")"
	fi

	# Written by kvcat --set through the tar store, read by GNU tar.
	cp "$WORK/gpt.img" "$WORK/gpt-w.img"
	run_capture out st kv "$WORK/gpt-w.img" --store=tar:disk@site --set /new/hello.txt=written-by-kvcat "/sp ace=a b"
	first=$(sgdisk -i 2 "$WORK/gpt-w.img" | awk '/^First sector/ { print $3 }')
	dd if="$WORK/gpt-w.img" of="$WORK/part.tar" bs=512 skip="$first" count=12288 status=none
	check "--set on $t: values appended to the archive, read back by GNU tar" \
		bash -c '[ "$1" -eq 0 ] && [ "$(tar -xOf "$2" new/hello.txt)" = written-by-kvcat ] &&
			[ "$(tar -xOf "$2" "sp ace")" = "a b" ] && cmp -s <(tar -xOf "$2" index.html) "$3"' \
		_ "$st" "$WORK/part.tar" "$site/index.html"
	st=0
	kv "$WORK/gpt-w.img" -l quiet --store=tar:disk@site /new/hello.txt /big.bin >"$WORK/out" 2>&1 || st=$?
	check "--set on $t: kvcat reads the new value and the old ones" \
		bash -c '[ "$1" -eq 0 ] && cmp -s "$2" <(printf written-by-kvcat; cat "$3")' \
		_ "$st" "$WORK/out" "$site/big.bin"
	run_capture out st kv "$WORK/gpt.img" --store=tar:disk@site --set x
	check "--set with an argument that is not KEY=VALUE on $t: 64" test "$st" -eq 64

	# The writable store: riad disk put -> kvcat, kvcat --set -> riad disk get.
	if [ "$have_store" -eq 0 ]; then
		for c in plain crypt; do
			img=$WORK/store-disk.img k=() label="the writable store (riad disk put)"
			if [ "$c" = crypt ]; then
				[ "$have_crypt" -eq 0 ] || continue
				img=$WORK/store-crypt-disk.img k=(--crypt-key="$(cat "$key")")
				label="the writable store, encrypted"
			fi
			ok=1
			for f in "${store_files[@]}"; do
				st=0
				kv "$img" -l quiet --store=store:disk@state "${k[@]+"${k[@]}"}" "/$f" >"$WORK/out" 2>&1 || st=$?
				if [ "$st" -ne 0 ] || ! cmp -s "$WORK/out" "$site/$f"; then
					echo "  $label: /$f differs or failed (status $st): $(head -c 200 "$WORK/out" | tr -c '[:print:]' '?')"
					ok=0
				fi
			done
			check "$label on $t: kvcat prints each value byte-exact" test "$ok" = 1
			run_capture out st kv "$img" -l quiet --store=store:disk@state "${k[@]+"${k[@]}"}" --list
			check "$label on $t: --list" test "$out" = "$(printf '/a/\n/a/b/\n/a/b/c/\n/a/b/c/deep.txt\n/img/\n/img/logo.png\n/index.html')"
			cp "$img" "$WORK/sw.img"
			run_capture out st kv "$WORK/sw.img" --store=store:disk@state "${k[@]+"${k[@]}"}" --set "/from/$t.txt=written by kvcat on $t"
			check "$label on $t: kvcat --set writes and flushes (status 0)" test "$st" -eq 0
			if [ "$c" = plain ]; then
				part_out "$WORK/sw.img" 2 "$WORK/sw.part" $(($(stat -c %s "$WORK/store.img") / 512))
			else
				part_out "$WORK/sw.img" 2 "$WORK/sw.enc" $(($(stat -c %s "$WORK/store.crypt") / 512))
				rm -f "$WORK/sw.part"
				"$RIAD" disk decrypt --key-file="$key" "$WORK/sw.enc" "$WORK/sw.part" >/dev/null 2>&1 || true
			fi
			check "$label on $t: riad disk get reads what kvcat wrote, and what was there" \
				bash -c '[ "$("$1" disk get "$2" "/from/$3.txt")" = "written by kvcat on $3" ] &&
					cmp -s <("$1" disk get "$2" /index.html) "$4"' _ "$RIAD" "$WORK/sw.part" "$t" "$site/index.html"
			run_capture out st kv "$WORK/store-disk.img" --store=store:disk@2 "${k[@]+"${k[@]}"}" /index.html
			if [ "$c" = crypt ]; then
				check "$label on $t: the key on the plain store is refused (status 2)" test "$st" -eq 2
			fi
		done
	fi

	# --store=baked: no device used, but on hvt and spt the tender wants the
	# declared one attached.
	run_capture out st "$RIAD" build -t "$t" -C "$bdir" --bake "$site"
	check "kvcat builds for $t with site/ baked in" test "$st" -eq 0
	saved=$dir
	dir=$bdir
	byte_exact "baked files" "$WORK/gpt.img" baked
	run_capture out st kv "$WORK/gpt.img" -l quiet --store=baked --list
	check "--list of the baked store on $t" bash -c '[ "$1" -eq 0 ] && [ "$2" = "$3" ]' _ "$st" "$out" "$expected_list"
	run_capture out st kv "$WORK/gpt.img" --store=baked --crypt-key="$(cat "$key")" /index.html
	check "baked with a key on $t: status 2, a line saying baked takes no key" \
		bash -c '[ "$1" -eq 2 ] && grep -q "store: baked takes no key" <<<"$2"' _ "$st" "$out"
	dir=$saved

	one_line_64 "an unknown store kind" --store --store=nfs:disk /index.html
	one_line_64 "a store without a device" --store --store=tar /index.html
	one_line_64 "a bad device name" --store --store=tar:my-disk /index.html
	one_line_64 "partition 0" --store --store=tar:disk@0 /index.html
	one_line_64 "an empty partition" --store --store=tar:disk@ /index.html
	one_line_64 "baked with a device" --store --store=baked:disk /index.html
	one_line_64 "a key that is not hex" --crypt-key --crypt-key=xyz /index.html
	one_line_64 "a key of 15 bytes" --crypt-key --crypt-key=000102030405060708090a0b0c0d0e /index.html
	one_line_64 "a key of 65 bytes" --crypt-key "--crypt-key=$(head -c 130 /dev/zero | tr '\0' a)" /index.html
	run_capture out st kv "$WORK/gpt.img" --crypt-key=0011223344556677889900112233445566778899001122334455667788990g
	check "a bad key's line on $t does not show the key" \
		bash -c '[ "$1" -eq 64 ] && ! grep -q 00112233445566778899 <<<"$2"' _ "$st" "$out"
done
