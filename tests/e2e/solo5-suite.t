# tests/e2e/solo5-suite.t: the guest test unikernels of tests/solo5 (Solo5's
# own suite, as far as it applies, and riad's hardening tests) built for spt
# and hvt and run on riad's tenders, each passing or dying exactly the
# expected way: exit status, and on hvt the trap line's type, error code and
# faulting address.
#
# Set RIAD_SOLO5_TENDERS to a directory holding Solo5's solo5-spt and
# solo5-hvt (built outside this tree) to run the same tests on them too.
source "$(dirname "$0")/lib.sh"

cp -R "$ROOT/tests/solo5" "$WORK/suite"
TESTS=(hello quiet output globals exception zeropage xnow rnow rnox wnox bssnox heapnox
	stacknox stackguard notls tls ssp canary time seccomp blk maxdev fiberguard fibernox
	fibersplit ring3 kernelpage privop heapall)

targets=()
for t in spt hvt; do
	st=$("$RIAD" targets | awk -v t="$t" '$1 == t { $1 = ""; sub(/^ /, ""); print }')
	case "$st" in
	ok*) targets+=("$t") ;;
	*) skip "the guest test suite on $t ($t: ${st:-not listed})" ;;
	esac
done

# Build every test once per target.
for t in "${targets[@]+"${targets[@]}"}"; do
	built=1
	for n in "${TESTS[@]}"; do
		if ! "$RIAD" build -t "$t" -C "$WORK/suite/$n" >"$WORK/build.log" 2>&1; then
			sed 's/^/  /' "$WORK/build.log"
			fail "tests/solo5/$n builds for $t"
			built=0
		fi
	done
	[ "$built" = 0 ] || pass "the ${#TESTS[@]} guest tests build for $t"
done

# guest OUT ST NAME [TENDER-ARGS...] -- [GUEST-ARGS...]: run test NAME on
# the current $tender for target $t.
guest() {
	local -n g_out=$1 g_st=$2
	local name=$3 targs=()
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		targs+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	set +e
	g_out=$(timeout 120 "$tender" --mem=32 "${targs[@]+"${targs[@]}"}" \
		"$WORK/suite/$name/dist/$name.$t" "$@" 2>&1)
	g_st=$?
	set -e
}

# hex VALUE: a hex number as decimal.
hex() { printf '%d' "$1"; }

# The trap line's fields (hvt).
trap_field() { sed -n "s/^Solo5: trap: .*\\b$2=\\(0x[0-9a-f]*\\).*/\\1/p" <<<"$1" | head -n 1; }
# The address a test printed ("... at 0x...").
printed_addr() { sed -n 's/.* at \(0x[0-9a-f]*\)$/\1/p' <<<"$1" | head -n 1; }

expect_success() {
	local name=$1 out st
	shift
	guest out st "$name" "$@"
	if [ "$st" -eq 0 ] && grep -q '^SUCCESS$' <<<"$out"; then
		pass "$name on $label-$t"
	else
		fail "$name on $label-$t (status $st)"
		tail -n 8 <<<"$out" | sed 's/^/  /'
	fi
}

# expect_fault NAME KIND: the guest dies of a memory fault. spt: SIGSEGV
# (139). hvt: the guest's trap handler reports a #PF and ABORT, status 255.
# KIND says what the page fault must be: cr2=ADDR (the faulting address),
# printed (cr2 is the address the test printed), write-protect (a write to
# a present read-only page: error code bits P and W), nx (an instruction
# fetch from a present page: bits P and I/D), guard (cr2 inside the guard
# page whose address the test printed), ring0 (cr2 is the address the test
# printed, and the error code says a read by ring 3 of a present page).
expect_fault() {
	local name=$1 kind=$2 out st ok=1 why=""
	guest out st "$name" --
	if [ "$t" = spt ]; then
		[ "$st" -eq 139 ] || { ok=0; why="status $st, expected 139 (SIGSEGV)"; }
	else
		local ec cr2 addr
		ec=$(trap_field "$out" ec)
		cr2=$(trap_field "$out" cr2)
		addr=$(printed_addr "$out")
		if [ "$st" -ne 255 ]; then
			ok=0 why="status $st, expected 255"
		elif ! grep -q '^Solo5: trap: type=#PF ' <<<"$out" ||
			! grep -q '^Solo5: ABORT: .*: Fatal trap$' <<<"$out"; then
			ok=0 why="no #PF trap line and ABORT"
		else
			case "$kind" in
			cr2=*) [ "$(hex "$cr2")" = "$(hex "${kind#cr2=}")" ] || { ok=0; why="cr2 $cr2"; } ;;
			printed) [ "$(hex "$cr2")" = "$(hex "$addr")" ] || { ok=0; why="cr2 $cr2, not $addr"; } ;;
			write-protect)
				[ $(($(hex "$ec") & 3)) -eq 3 ] && [ "$(hex "$cr2")" = "$(hex "$addr")" ] ||
					{ ok=0; why="ec $ec cr2 $cr2 (expected a write to present $addr)"; } ;;
			nx)
				[ $(($(hex "$ec") & 0x11)) -eq $((0x11)) ] && [ "$(hex "$cr2")" = "$(hex "$addr")" ] ||
					{ ok=0; why="ec $ec cr2 $cr2 (expected a fetch from present $addr)"; } ;;
			guard)
				[ "$(hex "$cr2")" -ge "$(hex "$addr")" ] && [ "$(hex "$cr2")" -lt $(($(hex "$addr") + 4096)) ] ||
					{ ok=0; why="cr2 $cr2 outside the guard page at $addr"; } ;;
			ring0)
				[ "$(hex "$ec")" -eq 5 ] && [ "$(hex "$cr2")" = "$(hex "$addr")" ] ||
					{ ok=0; why="ec $ec cr2 $cr2 (expected a ring-3 read of present $addr)"; } ;;
			esac
		fi
	fi
	if [ "$ok" = 1 ] && ! grep -q '^FAILURE' <<<"$out"; then
		pass "$name faults as expected on $label-$t"
	else
		fail "$name on $label-$t: ${why:-it printed FAILURE}"
		tail -n 6 <<<"$out" | sed 's/^/  /'
	fi
}

tender_sets=("riad:$ROOT/build/stage/bin/riad-")
if [ -n "${RIAD_SOLO5_TENDERS:-}" ]; then
	tender_sets+=("solo5:$RIAD_SOLO5_TENDERS/solo5-")
else
	skip "Solo5's own tenders (set RIAD_SOLO5_TENDERS to the directory of solo5-spt and solo5-hvt)"
fi

for set in "${tender_sets[@]}"; do
	label=${set%%:*}
	for t in "${targets[@]+"${targets[@]}"}"; do
		tender=${set#*:}$t
		if [ ! -x "$tender" ]; then
			skip "the guest tests on $label-$t (no $tender)"
			continue
		fi

		guest out st hello -- one " two" "'three'"
		check "hello on $label-$t: banner, exact command line, SUCCESS" \
			bash -c '[ "$2" -eq 0 ] && grep -q "^Solo5: " <<<"$1" &&
				grep -qF "Command line is: '"'"'one  two '"'"'three'"'"''"'"'" <<<"$1" &&
				grep -q "^SUCCESS$" <<<"$1"' _ "$out" "$st"
		guest out st quiet -- --solo5:quiet rest
		check "quiet on $label-$t: --solo5:quiet removes every Solo5: line" \
			bash -c '[ "$2" -eq 0 ] && ! grep -q "^Solo5:" <<<"$1" && grep -q "^SUCCESS$" <<<"$1"' _ "$out" "$st"
		guest out st output --
		check "output on $label-$t: a 4100-byte console write arrives whole" \
			bash -c '[ "$2" -eq 0 ] && grep -Eq "^(abcdefghijklmnopqrstuvwxyz){157}abcdefghijklmnopq$" <<<"$1"' _ "$out" "$st"
		expect_success globals
		expect_success tls
		expect_fault exception cr2=0x400000000
		expect_fault zeropage cr2=0x8
		expect_fault notls cr2=0x0
		expect_fault xnow write-protect
		expect_fault rnow write-protect
		expect_fault rnox nx
		expect_fault wnox nx
		expect_fault bssnox nx
		expect_fault heapnox nx
		expect_fault stacknox nx
		expect_fault fibernox nx
		expect_fault stackguard guard

		guest out st ssp --
		check "ssp on $label-$t: the stack protector aborts with 255" \
			bash -c '[ "$2" -eq 255 ] && grep -q "^Solo5: ABORT: .*stack smashing detected$" <<<"$1" &&
				! grep -q FAILURE <<<"$1"' _ "$out" "$st"

		for name in fiberguard fibersplit; do
			guest out st "$name" --
			if [ "$t" = hvt ]; then
				# ec 0x6: a write, by ring 3 (where the application runs), to a page that is not present.
				check "$name on $label-hvt: a fiber stack overrun faults on its guard page" \
					bash -c '[ "$2" -eq 255 ] && grep -q "^Solo5: trap: type=#PF ec=0x6 " <<<"$1" &&
						! grep -q FAILURE <<<"$1"' _ "$out" "$st"
			else
				check "$name on $label-spt: a fiber stack overrun is found when the fiber is freed" \
					bash -c '[ "$2" -eq 255 ] && grep -q "^riad: fatal: fiber stack overflow" <<<"$1" &&
						! grep -q FAILURE <<<"$1"' _ "$out" "$st"
			fi
		done

		# The application runs in ring 3; ring 0's pages and privileged
		# instructions are out of its reach, except what ring 0 does for it.
		expect_success ring3
		expect_success heapall
		if [ "$t" = hvt ]; then
			expect_fault kernelpage ring0
		else
			expect_fault kernelpage cr2=0x0
		fi
		for op in cr3 msr fsbase rdmsr hlt io; do
			guest out st privop -- "$op"
			if [ "$t" = hvt ]; then
				check "privop $op on $label-hvt: a #GP, reported, status 255" \
					bash -c '[ "$2" -eq 255 ] && grep -q "^Solo5: trap: type=#GP ec=0x0 " <<<"$1" &&
						grep -q "^Solo5: ABORT: .*: Fatal trap$" <<<"$1" && ! grep -q FAILURE <<<"$1"' _ "$out" "$st"
			else
				check "privop $op on $label-spt: SIGSEGV (139)" \
					bash -c '[ "$2" -eq 139 ] && ! grep -q FAILURE <<<"$1"' _ "$out" "$st"
			fi
		done

		guards=()
		for i in 1 2 3; do
			guest out st canary --
			guards+=("$(sed -n 's/^guard=\(0x[0-9a-f]*\)$/\1/p' <<<"$out")")
		done
		check "canary on $label-$t: the stack protector's guard differs at every boot (${guards[*]})" \
			bash -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] && [ "$1" != "$2" ] && [ "$2" != "$3" ] && [ "$1" != "$3" ]' \
			_ "${guards[@]}"

		expect_success time

		if [ "$t" = spt ]; then
			guest out st seccomp --
			check "seccomp on $label-spt: a forbidden system call dies of SIGSYS (159)" test "$st" -eq 159
		fi

		# Block devices.
		img=$WORK/disk.img
		rm -f "$img"
		truncate -s 1M "$img"
		expect_success blk --block:storage="$img" --
		rm -f "$img"
		truncate -s 4M "$img"
		expect_success blk --block:storage="$img" --block-sector-size:storage=4096 --
		guest out st blk --
		check "blk on $label-$t: the tender refuses to start without the declared device" \
			bash -c '[ "$2" -eq 1 ] && grep -q "storage" <<<"$1"' _ "$out" "$st"
		for bad in 521 256; do
			guest out st blk --block:storage="$img" --block-sector-size:storage=$bad --
			check "blk on $label-$t: the tender refuses a sector size of $bad" test "$st" -eq 1
		done
		rm -f "$img"
		truncate -s $((1024 * 1024 + 100)) "$img"
		guest out st blk --block:storage="$img" --
		check "blk on $label-$t: the tender refuses a capacity that is not whole sectors" test "$st" -eq 1

		# 63 devices, the most a manifest holds.
		devs=()
		for i in $(seq -w 0 62); do
			truncate -s 4096 "$WORK/d$i.img"
			devs+=("--block:d$i=$WORK/d$i.img")
		done
		expect_success maxdev "${devs[@]}" --
	done
done
