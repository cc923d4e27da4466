/* tests/tender/test_mft.c: manifest validation, lookup and the declared-but-not-attached rule. */
#include "check.h"
#include "craft.h"

#include "../../tender/common/mft.h"

static union {
	struct riad_mft m;
	uint8_t b[RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES + 1)];
} buf;

static const uint32_t types2[] = {RIAD_MFT_DEV_NET_BASIC, RIAD_MFT_DEV_BLOCK_BASIC};
static const char *const names2[] = {"service", "storage"};

/* Writes the manifest to $RIAD_CRAFT_DUMP/NAME for the fuzz corpus. */
static void dump(const char *name, size_t size)
{
	const char *dir = getenv("RIAD_CRAFT_DUMP");
	char path[512];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f != NULL) {
		fwrite(buf.b, 1, size, f);
		fclose(f);
	}
}

#define EXPECT_INVALID(size, sub, name) \
	do { \
		struct tender_error e_ = {{0}}; \
		dump(name, size); \
		CHECK_INT(mft_validate(&buf.m, (size), &e_), -1); \
		if (strstr(e_.msg, (sub)) == NULL) \
			check_fail_str(__FILE__, __LINE__, "message contains", e_.msg, (sub)); \
	} while (0)

static size_t two(void)
{
	return craft_mft(&buf.m, 2, types2, names2);
}

static void test_valid(void)
{
	struct tender_error e = {{0}};
	size_t n;

	n = craft_mft(&buf.m, 0, NULL, NULL);
	dump("valid_empty", n);
	CHECK_INT(n, 112);
	CHECK_INT(mft_validate(&buf.m, n, &e), 0);
	n = two();
	dump("valid_two", n);
	CHECK_INT(n, 320);
	CHECK_INT(mft_validate(&buf.m, n, &e), 0);
}

static void test_64_entries_is_the_limit(void)
{
	static uint32_t types[64];
	static char names[64][8];
	static const char *pn[64];
	struct tender_error e = {{0}};
	size_t n;

	for (int i = 0; i < 64; i++) {
		types[i] = i % 2 ? RIAD_MFT_DEV_NET_BASIC : RIAD_MFT_DEV_BLOCK_BASIC;
		snprintf(names[i], sizeof names[i], "d%d", i);
		pn[i] = names[i];
	}
	n = craft_mft(&buf.m, 63, types, pn);
	dump("valid_64_entries", n);
	CHECK_INT(n, 6664);
	CHECK_INT(mft_validate(&buf.m, n, &e), 0);
	CHECK_INT(mft_find(&buf.m, "d62", RIAD_MFT_DEV_BLOCK_BASIC), 63);
	n = craft_mft(&buf.m, 64, types, pn);
	EXPECT_INVALID(n, "manifest has 65 entries, expected 1 to 64", "bad_65_entries");
}

static void test_invalid(void)
{
	size_t n;

	n = two();
	buf.m.version = 2;
	EXPECT_INVALID(n, "manifest version 2, expected 1", "bad_version");
	n = two();
	buf.m.entries = 0;
	EXPECT_INVALID(8, "manifest has 0 entries", "bad_zero_entries");
	n = two();
	EXPECT_INVALID(4, "manifest too small (4 bytes)", "bad_tiny");
	EXPECT_INVALID(n - 1, "manifest is 319 bytes, but 3 entries need 320", "bad_short");
	EXPECT_INVALID(n + 8, "manifest is 328 bytes", "bad_long");
	n = two();
	buf.m.entries = UINT32_MAX;
	EXPECT_INVALID(n, "manifest has 4294967295 entries", "bad_huge_entries");
	n = two();
	buf.m.e[0].type = RIAD_MFT_DEV_NET_BASIC;
	EXPECT_INVALID(n, "manifest entry 0 has type 2, expected RESERVED_FIRST", "bad_entry0_type");
	n = two();
	buf.m.e[0].name[0] = 'x';
	EXPECT_INVALID(n, "manifest entry 0 has a name", "bad_entry0_name");
	n = two();
	memset(buf.m.e[2].name, 'a', sizeof buf.m.e[2].name);
	EXPECT_INVALID(n, "manifest entry 2: name is not NUL-terminated", "bad_name_unterminated");
	n = two();
	buf.m.e[1].attached = true;
	EXPECT_INVALID(n, "manifest entry 1 ('service'): marked attached in the binary",
		       "bad_attached");
	n = two();
	buf.b[8 + 104 * 2 + 96] = 0x80; /* attached holds a non-bool byte */
	EXPECT_INVALID(n, "manifest entry 2 ('storage'): marked attached", "bad_attached_byte");
}

static void test_find(void)
{
	two();
	CHECK_INT(mft_find(&buf.m, "service", RIAD_MFT_DEV_NET_BASIC), 1);
	CHECK_INT(mft_find(&buf.m, "storage", RIAD_MFT_DEV_BLOCK_BASIC), 2);
	CHECK_INT(mft_find(&buf.m, "service", RIAD_MFT_DEV_BLOCK_BASIC), -1); /* wrong type */
	CHECK_INT(mft_find(&buf.m, "nothing", RIAD_MFT_DEV_NET_BASIC), -1);
	CHECK_INT(mft_find(&buf.m, "", RIAD_MFT_DEV_NET_BASIC), -1);
	CHECK_STR(mft_type_name(RIAD_MFT_DEV_NET_BASIC), "NET_BASIC");
	CHECK_STR(mft_type_name(RIAD_MFT_DEV_BLOCK_BASIC), "BLOCK_BASIC");
	CHECK_STR(mft_type_name(7), "unknown");
}

static void test_declared_but_not_attached(void)
{
	struct tender_error e = {{0}};

	two();
	CHECK_INT(mft_check_attached(&buf.m, &e), -1);
	CHECK_STR(e.msg, "Device 'service' of type NET_BASIC declared but not attached (and 1 "
			 "more); see --help");
	buf.m.e[1].attached = true;
	CHECK_INT(mft_check_attached(&buf.m, &e), -1);
	CHECK_STR(e.msg, "Device 'storage' of type BLOCK_BASIC declared but not attached");
	buf.m.e[2].attached = true;
	CHECK_INT(mft_check_attached(&buf.m, &e), 0);
	craft_mft(&buf.m, 0, NULL, NULL);
	CHECK_INT(mft_check_attached(&buf.m, &e), 0);
}

int main(void)
{
	RUN(test_valid);
	RUN(test_64_entries_is_the_limit);
	RUN(test_invalid);
	RUN(test_find);
	RUN(test_declared_but_not_attached);
	return check_done();
}
