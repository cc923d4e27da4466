/* fuzz/storage_spec.c: libFuzzer target for riad_store_spec_parse and riad_store_key_decode, the --store and --crypt-key boot options' parsers (untrusted: they come from whoever starts the unikernel).
 *
 * Input: the spec up to the first NUL, then the key text up to the next.
 * Checks that the parsers stay inside the strings and the error buffer
 * (ASan), leave the output alone on failure with a non-empty one-line
 * message, accept only specs riad/store.h describes (a kind, an
 * alphanumeric device of 1 to 67 bytes unless baked, a partition of at
 * most 108 bytes), that an accepted spec written back parses to the same
 * one, and that the key's check and decoder agree, the decoded key
 * written back in hex being the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad/random.h>
#include <riad/store.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_spec(const char *spec, size_t errlen)
{
	char *err = malloc(errlen);
	struct riad_store_spec s, poison, again;
	memset(&s, 0x5a, sizeof(s));
	memcpy(&poison, &s, sizeof(s));
	int r = riad_store_spec_parse(spec, &s, err, errlen);
	if (r != 0) {
		if (r != -RIAD_EINVAL || memcmp(&s, &poison, sizeof(s)) != 0)
			abort();
		if (strlen(err) >= errlen || strchr(err, '\n') || (errlen > 1 && !err[0]))
			abort();
		if (riad_store_spec_check(spec, NULL, 0) == 0)
			abort();
		goto out;
	}
	if (riad_store_spec_check(spec, NULL, 0) != 0 || err[0])
		abort();
	size_t dlen = strnlen(s.device, sizeof(s.device)), plen = strnlen(s.part, sizeof(s.part));
	if (dlen == sizeof(s.device) || plen == sizeof(s.part))
		abort();
	if (s.kind == RIAD_STORE_BAKED) {
		if (dlen || plen)
			abort();
	} else if (s.kind == RIAD_STORE_TAR || s.kind == RIAD_STORE_STORE) {
		if (dlen == 0 || dlen > RIAD_STORE_DEVICE_MAX ||
		    strspn(s.device, "0123456789abcdefghijklmnopqrstuvwxyz"
		                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != dlen)
			abort();
		for (size_t i = 0; i < plen; i++)
			if ((unsigned char)s.part[i] < 0x20 || s.part[i] == 0x7f)
				abort();
	} else {
		abort();
	}
	char text[RIAD_STORE_SPEC_MAX + 1];
	size_t n = riad_store_spec_format(&s, NULL, 0);
	if (n > RIAD_STORE_SPEC_MAX || riad_store_spec_format(&s, text, sizeof(text)) != n ||
	    strlen(text) != n)
		abort();
	if (riad_store_spec_parse(text, &again, NULL, 0) != 0 || memcmp(&s, &again, sizeof(s)) != 0)
		abort();
out:
	free(err);
}

static void check_key(const char *hex)
{
	uint8_t key[RIAD_STORE_KEY_MAX];
	size_t len = 12345;
	char why[64];
	int r = riad_store_key_decode(hex, key, &len);
	int c = riad_store_key_check(hex, why, sizeof(why));
	if ((r == 0) != (c == 0))
		abort();
	if (r != 0) {
		if (r != -RIAD_EINVAL || len != 12345 || !why[0] || strchr(why, '\n'))
			abort();
		return;
	}
	if (len < RIAD_STORE_KEY_MIN || len > RIAD_STORE_KEY_MAX || strlen(hex) != 2 * len)
		abort();
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		char lo = (char)(hex[2 * i] | 0x20), lo2 = (char)(hex[2 * i + 1] | 0x20);
		if (lo != digits[key[i] >> 4] || lo2 != digits[key[i] & 15])
			abort();
	}
	riad_wipe(key, sizeof(key));
	for (size_t i = 0; i < sizeof(key); i++)
		if (key[i])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = strnlen((const char *)data, size);
	char *spec = malloc(len + 1);
	memcpy(spec, data, len);
	spec[len] = 0;
	/* An error buffer of a size chosen by the input, so that truncation
	 * is exercised too; exactly that big, so ASan sees an overrun. */
	check_spec(spec, 1 + (len ? (unsigned char)spec[len - 1] % 200 : 0));
	free(spec);

	const char *rest = len < size ? (const char *)data + len + 1 : "";
	size_t rlen = len < size ? strnlen(rest, size - len - 1) : 0;
	char *hex = malloc(rlen + 1);
	memcpy(hex, rest, rlen);
	hex[rlen] = 0;
	check_key(hex);
	free(hex);
	return 0;
}
