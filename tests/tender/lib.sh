# tests/tender/lib.sh: what the tender test scripts share (sourced; set
# suite=NAME first, the prefix of every result line).

# run NAME WANT_STATUS WANT_OUTPUT(substring, or =exact, or empty) -- COMMAND...
run() {
	local name=$1 want=$2 text=$3 out status
	shift 4
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" -ne "$want" ]; then
		echo "FAIL: $suite: $name: status $status, expected $want; output: $out"
	elif [ "${text#=}" != "$text" ] && [ "$out" != "${text#=}" ]; then
		echo "FAIL: $suite: $name: output '$out', expected '${text#=}'"
	elif [ -n "$text" ] && [ "${text#=}" = "$text" ] && [ "${out#*"$text"}" = "$out" ]; then
		echo "FAIL: $suite: $name: output '$out' lacks '$text'"
	else
		echo "PASS: $suite: $name"
	fi
}
