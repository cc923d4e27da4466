# tests/storage/tar.t: the tar KV store on archives made by GNU tar and bsdtar in every format (names of 99 to 256+ bytes), crafted pax and base-256 size headers over 8 GiB, and members appended by the store read back by GNU tar and bsdtar.
# Needs tar (GNU), bsdtar (libarchive-tools), python3, and build/tests/storage/kvtar-tool (make build-tests).
set -u
cd "$(dirname "$0")/../.."
tool=$PWD/build/tests/storage/kvtar-tool
T=storage/tar
pass() { echo "PASS: $T: $*"; }
fail() { echo "FAIL: $T: $*"; }
if [ ! -x "$tool" ]; then
	fail "$tool not built (make build-tests)"
	exit 0
fi
have_bsdtar=1
command -v bsdtar >/dev/null 2>&1 || have_bsdtar=0
tar --version 2>/dev/null | grep -q 'GNU tar' || { echo "SKIP: $T (no GNU tar)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

name() { # name LEN CHAR: LEN bytes, starting with CHAR
	printf '%s' "$2"
	head -c $(($1 - 1)) /dev/zero | tr '\0' "${3:-x}"
}

# short/: names every format can hold (ustar: 100-byte names, 155-byte prefixes)
s=$tmp/short
mkdir -p "$s/dir/sub" "$s/empty" "$s/$(name 60 p)"
for n in 0 1 511 512 513 10240 70001; do head -c $n /dev/urandom >"$s/size-$n"; done
head -c 3000 /dev/urandom >"$s/$(name 99 a)"
head -c 100 /dev/urandom >"$s/$(name 100 b)"
head -c 7 /dev/urandom >"$s/$(name 60 p)/$(name 90 c)"
echo nested >"$s/dir/sub/file.txt"
echo "spaces and ünïcode" >"$s/dir/name with spaces ü"
ln -s size-1 "$s/dir/symlink"
# long/: names only gnu, oldgnu, pax hold: segments of 101, 254, 255 bytes,
# and paths of 256 and more
l=$tmp/long
cp -a "$s" "$l"
head -c 101 /dev/urandom >"$l/$(name 101 d)"
head -c 254 /dev/urandom >"$l/$(name 254 e)"
head -c 255 /dev/urandom >"$l/$(name 255 f)"
mkdir -p "$l/$(name 200 g)/$(name 200 h)"
head -c 9999 /dev/urandom >"$l/$(name 200 g)/$(name 200 h)/$(name 255 i)"
mkdir -p "$l/$(name 150 j)"
head -c 33 /dev/urandom >"$l/$(name 150 j)/$(name 105 k)" # 256 bytes

check_img() { # check_img LABEL IMAGE DIR
	if out=$("$tool" check "$2" "$3" 2>&1); then
		pass "$1: $(echo "$out" | tail -1)"
	else
		fail "$1: $(echo "$out" | tail -5 | tr '\n' ' ')"
	fi
}

mk() { # mk LABEL DIR COMMAND...: the archive $tmp/LABEL.tar
	local label=$1 dir=$2
	shift 2
	if ! (cd "$dir" && "$@" -f "$tmp/$label.tar" .) 2>"$tmp/$label.err"; then
		fail "$label: the archiver failed: $(head -3 "$tmp/$label.err" | tr '\n' ' ')"
		return 1
	fi
	# a block device is whole sectors
	local sz
	sz=$(stat -c %s "$tmp/$label.tar")
	truncate -s $(((sz + 511) / 512 * 512)) "$tmp/$label.tar"
	check_img "$label" "$tmp/$label.tar" "$dir"
}

mk gnutar-ustar "$s" tar --format=ustar -c
mk gnutar-v7 "$s/dir" tar --format=v7 -c
mk gnutar-oldgnu "$l" tar --format=oldgnu -c
mk gnutar-gnu "$l" tar --format=gnu -c
mk gnutar-pax "$l" tar --format=pax -c
if [ $have_bsdtar = 1 ]; then
	mk bsdtar-default "$l" bsdtar -c
	mk bsdtar-ustar "$s" bsdtar --format=ustar -c
	mk bsdtar-pax "$l" bsdtar --format=pax -c
	mk bsdtar-gnutar "$l" bsdtar --format=gnutar -c
	mk bsdtar-v7 "$s/dir" bsdtar --format=v7 -c
else
	echo "SKIP: $T: bsdtar archives (no bsdtar: apt-get install libarchive-tools)"
fi

# mtimes: the store's are the files'
want=$(stat -c %Y "$l/dir/sub/file.txt")
got=$("$tool" ls "$tmp/gnutar-pax.tar" | awk '$4 == "dir/sub/file.txt" { print $3 }')
[ "$got" = "$want" ] && pass "pax mtime" || fail "pax mtime: $got, want $want"

# ---- sizes over 8 GiB: a pax size record, a base-256 size field ----
python3 - "$tmp" <<'EOF'
import sys, tarfile
tmp = sys.argv[1]
size = 9 * 2**30 + 5
for fmt, label in ((tarfile.PAX_FORMAT, "pax"), (tarfile.GNU_FORMAT, "b256")):
    ti = tarfile.TarInfo("big/" + label)
    ti.size = size
    ti.mtime = 1700000000
    hdr = ti.tobuf(format=fmt)
    data = b"start of the data"
    with open(f"{tmp}/{label}-cut.img", "wb") as f:  # truncated: 64 KiB
        f.write(hdr + data)
        f.truncate(65536)
    with open(f"{tmp}/{label}-sparse.img", "wb") as f:  # sparse: all of it
        f.write(hdr + data)
        f.truncate((len(hdr) + size + 511) // 512 * 512 + 1024)
    print(len(hdr), file=open(f"{tmp}/{label}.hdrlen", "w"))
EOF
for label in pax b256; do
	size=$((9 * 1024 * 1024 * 1024 + 5))
	ls=$("$tool" ls "$tmp/$label-cut.img")
	case "$ls" in *"V $size "*"big/$label"*) pass "$label size header: size $size reported" ;;
		*) fail "$label size header: ls says: $ls" ;; esac
	tarsays=$(tar -tvf "$tmp/$label-sparse.img" 2>/dev/null | awk '{ print $3 }')
	[ "$tarsays" = "$size" ] && pass "$label size header: GNU tar agrees" ||
		fail "$label size header: GNU tar says $tarsays"
	head=$("$tool" get "$tmp/$label-cut.img" "big/$label" 0 17)
	[ "$head" = "start of the data" ] && pass "$label: read inside the device" ||
		fail "$label: read inside the device: '$head'"
	if "$tool" get "$tmp/$label-cut.img" "big/$label" $((8 * 1024 * 1024 * 1024)) 10 >/dev/null 2>&1; then
		fail "$label: a read past the device succeeded"
	else
		pass "$label: a read past the device is refused"
	fi
	"$tool" stats "$tmp/$label-cut.img" | grep -q 'truncated 1' && pass "$label: truncation counted" ||
		fail "$label: truncation not counted: $("$tool" stats "$tmp/$label-cut.img")"
	tail=$("$tool" get "$tmp/$label-sparse.img" "big/$label" $((size - 5)) 10 | od -An -tx1 | tr -d ' \n')
	[ "$tail" = "0000000000" ] && pass "$label: sparse image: the last bytes read" ||
		fail "$label: sparse image: last bytes '$tail'"
done

# ---- appending: GNU tar and bsdtar read back what the store wrote ----
append_test() { # append_test LABEL SOURCE-IMAGE SOURCE-DIR
	local label=$1 img=$tmp/$1.img x=$tmp/$1.x
	cp "$2" "$img"
	truncate -s +1M "$img"
	local longkey
	longkey="appended/$(name 200 L)/$(name 120 M)"
	head -c 5000 /dev/urandom >"$tmp/new1"
	head -c 123457 /dev/urandom >"$tmp/new2"
	echo "replaced by the store" >"$tmp/new3"
	if "$tool" put "$img" appended/one "$tmp/new1" &&
		"$tool" put "$img" "$longkey" "$tmp/new2" &&
		"$tool" put "$img" dir/sub/file.txt "$tmp/new3" &&
		"$tool" put "$img" "$(name 60 p)/$(name 90 c)-too" "$tmp/new3"; then
		pass "$label: four members appended"
	else
		fail "$label: append failed"
		return
	fi
	if out=$(tar -tvf "$img" 2>&1) && echo "$out" | grep -q "appended/one" &&
		echo "$out" | grep -q "$(name 120 M)"; then
		pass "$label: tar -tvf lists the appended members"
	else
		fail "$label: tar -tvf: $(echo "$out" | tail -3 | tr '\n' ' ')"
	fi
	if tar -xOf "$img" appended/one | cmp -s - "$tmp/new1" &&
		tar -xOf "$img" "$longkey" | cmp -s - "$tmp/new2"; then
		pass "$label: tar -xOf reads the appended values"
	else
		fail "$label: tar -xOf differs"
	fi
	for x in tar bsdtar; do
		[ $x = bsdtar ] && [ $have_bsdtar = 0 ] && continue
		rm -rf "$tmp/x" && mkdir "$tmp/x"
		if ! $x -C "$tmp/x" -xf "$img" 2>"$tmp/x.err"; then
			fail "$label: $x -x failed: $(head -2 "$tmp/x.err" | tr '\n' ' ')"
			continue
		fi
		cmp -s "$tmp/x/dir/sub/file.txt" "$tmp/new3" && pass "$label: $x extracts the replacement" ||
			fail "$label: $x extracts the old value"
		check_img "$label: $x's extraction is the store" "$img" "$tmp/x"
	done
}
append_test append-gnutar-gnu "$tmp/gnutar-gnu.tar"
append_test append-gnutar-ustar "$tmp/gnutar-ustar.tar"
[ $have_bsdtar = 1 ] && append_test append-bsdtar-pax "$tmp/bsdtar-pax.tar"

# ---- a damaged archive is refused, with its reason counted ----
off=$(python3 - "$tmp/gnutar-gnu.tar" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
# the second header: after the first member's data
size = int(d[124:136].strip(b"\0 ") or b"0", 8)
print(512 + (size + 511) // 512 * 512)
EOF
)
cp "$tmp/gnutar-gnu.tar" "$tmp/bad.img"
printf 'X' | dd of="$tmp/bad.img" bs=1 seek="$off" conv=notrunc 2>/dev/null
"$tool" stats "$tmp/bad.img" | grep -q 'open -74 .*bad_checksum 1' && pass "bad checksum refused and counted" ||
	fail "bad checksum: $("$tool" stats "$tmp/bad.img")"
exit 0
