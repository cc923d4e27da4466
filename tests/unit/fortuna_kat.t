# tests/unit/fortuna_kat.t: test_random.c's known answers against their
# independent derivation (tests/unit/fortuna_kat.py: Python's hashlib and
# the openssl command, no riad code). python3 and openssl are test
# dependencies (tool/install-deps --tests), so their absence is a failure.
cd "$(dirname "$0")/../.."
if out=$(python3 tests/unit/fortuna_kat.py --check tests/unit/test_random.c 2>&1); then
	echo "PASS: fortuna_kat.py --check: $out"
else
	echo "$out"
	echo "FAIL: fortuna_kat.py --check: test_random.c's known answers are not the independent derivation's"
fi
