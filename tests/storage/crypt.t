# tests/storage/crypt.t: riad disk encrypt/decrypt against an independent Python reader (tests/storage/crypt_reader.py, from docs/storage-crypt.md alone); bad key files, wrong keys, damaged headers and sectors give clear errors.
source "$(dirname "$0")/../e2e/lib.sh"
DISK=$ROOT/build/stage/libexec/riad/riad-disk
READER=$ROOT/tests/storage/crypt_reader.py
[ -x "$DISK" ] || { fail "riad-disk is not built (make stage)"; exit 0; }
if ! python3 -c 'import cryptography' 2>/dev/null; then
	skip "crypt reader (python3-cryptography is not installed: apt-get install python3-cryptography)"
	have_py=
else
	have_py=1
fi
cd "$WORK"
python3 -c 'import os; print(os.urandom(32).hex())' >key
python3 -c 'import os; print(os.urandom(32).hex())' >key2

for ss in 512 4096; do
	# Random contents with a run of zeros and a partial last group.
	head -c $((ss * 1000)) /dev/urandom >in.img
	dd if=/dev/zero of=in.img bs=$ss seek=100 count=50 conv=notrunc status=none
	rm -f enc.img dec.img py.img
	run_capture out st "$DISK" encrypt --key-file=key --sector-size=$ss in.img enc.img
	check "encrypt at $ss-byte sectors (exit 0)" test "$st" -eq 0
	insize=$(stat -c %s in.img) encsize=$(stat -c %s enc.img)
	check "encrypt at $ss: OUT just large enough ($encsize for $insize)" \
		python3 -c "import sys; ss=$ss; e=(ss-16)//34; d=$insize//ss; sys.exit(0 if $encsize == ss*(1+(d+e-1)//e+d) else 1)"
	check "encrypt at $ss: no plaintext in OUT" bash -c "! cmp -s <(head -c $ss in.img) <(dd if=enc.img bs=$ss skip=2 count=1 status=none)"
	run_capture out st "$DISK" decrypt --key-file=key enc.img dec.img
	check "riad disk decrypt at $ss gives IN back byte for byte" bash -c "[ $st -eq 0 ] && cmp -s in.img dec.img"
	if [ -n "$have_py" ]; then
		run_capture out st python3 "$READER" key enc.img py.img
		check "the Python reader decrypts the $ss-byte image byte for byte" bash -c "[ $st -eq 0 ] && cmp -s in.img py.img"
	fi
done

# Errors: one line, non-zero exit, OUT not left behind.
one_line_err() { # NAME WANT-STATUS PATTERN CMD...
	local name=$1 want=$2 pat=$3
	shift 3
	run_capture out st "$@"
	check "$name" bash -c "[ $st -eq $want ] && [ \$(wc -l <<<\"\$1\") -eq 1 ] && grep -q -- \"$pat\" <<<\"\$1\" && [ ! -e bad.img ]" _ "$out"
}
rm -f bad.img
printf 'not hex at all\n' >badkey
printf '0123\n' >shortkey
one_line_err "a key file that is not hex" 1 "key file badkey" "$DISK" decrypt --key-file=badkey enc.img bad.img
one_line_err "a key that is too short" 1 "32 to 128 hex digits" "$DISK" encrypt --key-file=shortkey in.img bad.img
one_line_err "a missing key file" 1 "key file nokey" "$DISK" encrypt --key-file=nokey in.img bad.img
one_line_err "the wrong key" 1 "wrong key" "$DISK" decrypt --key-file=key2 enc.img bad.img
one_line_err "not an overlay image" 1 "not an overlay" "$DISK" decrypt --key-file=key in.img bad.img
one_line_err "OUT exists already" 1 "File exists" "$DISK" encrypt --key-file=key in.img enc.img
one_line_err "no arguments" 2 "needs --key-file" "$DISK" encrypt
one_line_err "a bad sector size" 2 "sector-size" "$DISK" encrypt --key-file=key --sector-size=1000 in.img bad.img
head -c 1000 /dev/urandom >odd.img
one_line_err "IN not a multiple of the sector size" 1 "multiple" "$DISK" encrypt --key-file=key odd.img bad.img
cp enc.img dmg.img
printf 'X' | dd of=dmg.img bs=1 seek=40 conv=notrunc status=none
one_line_err "a damaged header (salt)" 1 "header is damaged" "$DISK" decrypt --key-file=key dmg.img bad.img
cp enc.img dmg.img
# A byte of data sector 0 of the 4096-byte image (sector 2: header, metadata).
printf 'X' | dd of=dmg.img bs=1 seek=$((2 * 4096 + 7)) conv=notrunc status=none
one_line_err "a damaged data sector is named, OUT removed" 1 "sector 0: authentication failed" "$DISK" decrypt --key-file=key dmg.img bad.img
if [ -n "$have_py" ]; then
	run_capture out st python3 "$READER" key dmg.img bad.img
	check "the Python reader also rejects the damaged sector" bash -c "[ $st -eq 1 ] && grep -q 'sector 0 fails' <<<\"\$1\"" _ "$out"
	rm -f bad.img
fi
cp enc.img dmg.img
printf 'X' | dd of=dmg.img bs=1 seek=$((4096 + 3)) conv=notrunc status=none
one_line_err "a damaged metadata sector" 1 "authentication failed" "$DISK" decrypt --key-file=key dmg.img bad.img
run_capture out st "$DISK" encrypt --help
check "riad disk encrypt --help" bash -c "[ $st -eq 0 ] && grep -q '^usage: riad disk encrypt' <<<\"\$1\"" _ "$out"
run_capture out st "$DISK" decrypt --help
check "riad disk decrypt --help" bash -c "[ $st -eq 0 ] && grep -q '^usage: riad disk decrypt' <<<\"\$1\"" _ "$out"
