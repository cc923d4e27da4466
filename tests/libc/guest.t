# tests/libc/guest.t: the libc inside real guests. tests/libc/guest/main.c
# is built with the staged riad tool and run on each solo5 target this
# machine can run: its own checks must pass, and each kind of misuse
# (double free, abort, failed assert) must end it with status 255 and the
# libc's message.
cd "$(dirname "$0")/../.."
riad=$PWD/build/stage/bin/riad
if [ ! -x "$riad" ]; then
	echo "SKIP: guest.t: no staged riad tool (run make)"
	exit 0
fi
work=$(mktemp -d /tmp/riad-libc-guest.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/libcguest"
cp tests/libc/guest/main.c "$work/libcguest/"
dir=$work/libcguest
targets=$("$riad" targets 2>/dev/null)

for t in spt hvt; do
	if ! printf '%s\n' "$targets" | grep -Eq "^$t +ok"; then
		echo "SKIP: guest.t: $t (not available on this machine)"
		continue
	fi
	if ! out=$("$riad" build -C "$dir" -t "$t" 2>&1); then
		echo "FAIL: guest.t: $t: build failed"
		printf '%s\n' "$out" | tail -5
		continue
	fi
	out=$("$riad" run -C "$dir" -t "$t" --mem 16 -- --solo5:quiet 2>&1)
	st=$?
	if [ "$st" -eq 0 ] && printf '%s\n' "$out" | grep -Eq '^libc-guest: [0-9]+ checks, 0 failed$'; then
		echo "PASS: guest.t: $t: checks inside the guest"
	else
		echo "FAIL: guest.t: $t: checks inside the guest (status $st)"
		printf '%s\n' "$out" | tail -10
	fi
	for misuse in "doublefree:riad libc: malloc: free\\(0x[0-9a-f]+\\): double free" \
	              "abort:riad libc: abort\(\)" \
	              "assert:riad libc: assertion failed: argc == 1 \(.*main\.c:[0-9]+: main\)"; do
		arg=${misuse%%:*}
		want=${misuse#*:}
		out=$("$riad" run -C "$dir" -t "$t" --mem 16 -- --solo5:quiet "$arg" 2>&1)
		st=$?
		if [ "$st" -eq 255 ] && printf '%s\n' "$out" | grep -Eq "^$want\$"; then
			echo "PASS: guest.t: $t: $arg is stopped"
		else
			echo "FAIL: guest.t: $t: $arg is stopped (status $st)"
			printf '%s\n' "$out" | tail -5
		fi
	done
done
