# tests/libc/headers.t: every header of libc/include compiles on its own,
# with the guest flags, in C99, C11 and C17 with -pedantic and every
# warning an error, and twice in a row (include guards, repeated typedefs).
cd "$(dirname "$0")/../.."
cc=${CC:-cc}
ccinc=$($cc -print-file-name=include)
flags="-ffreestanding -nostdinc -isystem $ccinc -Ilibc/include -Iinclude -mno-sse -mno-mmx
	-mno-avx -mno-red-zone -fno-pic -Wall -Wextra -Werror -pedantic -fsyntax-only"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for h in $(cd libc/include && find . -name '*.h' | sed 's|^\./||' | sort); do
	ok=1
	for std in c99 c11 c17; do
		printf '#include <%s>\n#include <%s>\nint riad_headers_t;\n' "$h" "$h" >"$tmp/t.c"
		if ! $cc $flags -std=$std "$tmp/t.c" 2>"$tmp/err"; then
			echo "FAIL: headers.t: <$h> with -std=$std:"
			head -5 "$tmp/err"
			ok=0
			break
		fi
	done
	[ $ok = 1 ] && echo "PASS: headers.t: <$h>"
done

# All of them together, as a typical service includes them.
{
	for h in $(cd libc/include && find . -name '*.h' | sed 's|^\./||' | sort); do
		echo "#include <$h>"
	done
	echo 'int riad_headers_t;'
} >"$tmp/all.c"
if $cc $flags -std=c11 "$tmp/all.c" 2>"$tmp/err"; then
	echo "PASS: headers.t: all headers together"
else
	echo "FAIL: headers.t: all headers together:"
	head -5 "$tmp/err"
fi
