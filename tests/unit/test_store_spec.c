/* tests/unit/test_store_spec.c: the --store and --crypt-key parsers (riad/store.h), their checks in the argument parser before main, and riad_strerror. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/errno.h>
#include <riad/random.h>
#include <riad/store.h>

#include "args.h"
#include "check.h"
#include "runtime.h"

/* Registered as an application's would be, for riad_args_boot(). */
RIAD_STORE_ARGS("tar:disk@site");

static struct riad_store_spec spec;
static char why[200];

static int parse(const char *text)
{
	memset(&spec, 0, sizeof(spec));
	memset(why, 'x', sizeof(why));
	return riad_store_spec_parse(text, &spec, why, sizeof(why));
}

static void check_good(const char *text, enum riad_store_kind kind, const char *dev,
                       const char *part)
{
	int r = parse(text);
	if (r != 0)
		printf("  '%s' rejected: %s\n", text, why);
	CHECK_INT(r, 0);
	CHECK_INT(spec.kind, kind);
	CHECK_STR(spec.device, dev);
	CHECK_STR(spec.part, part);
	CHECK_INT(why[0], 0);
}

static void test_good(void)
{
	check_good("tar:disk", RIAD_STORE_TAR, "disk", "");
	check_good("tar:disk@site", RIAD_STORE_TAR, "disk", "site");
	check_good("store:disk0@2", RIAD_STORE_STORE, "disk0", "2");
	check_good("store:D@65535", RIAD_STORE_STORE, "D", "65535");
	check_good("tar:disk@type:0FC63DAF-8483-4772-8e79-3d69d8477de4", RIAD_STORE_TAR, "disk",
	           "type:0FC63DAF-8483-4772-8e79-3d69d8477de4");
	check_good("baked", RIAD_STORE_BAKED, "", "");
	check_good("baked:", RIAD_STORE_BAKED, "", "");
	check_good("tar:disk@my site", RIAD_STORE_TAR, "disk", "my site");
	check_good("tar:disk@a@b:c", RIAD_STORE_TAR, "disk", "a@b:c");
	check_good("tar:disk@\xc3\xa9t\xc3\xa9", RIAD_STORE_TAR, "disk", "\xc3\xa9t\xc3\xa9");
	check_good("tar:disk@12a", RIAD_STORE_TAR, "disk", "12a");
	/* 36 UTF-16 code units: 36 ASCII letters, 18 astral characters. */
	check_good("tar:disk@abcdefghijabcdefghijabcdefghijabcdef", RIAD_STORE_TAR, "disk",
	           "abcdefghijabcdefghijabcdefghijabcdef");
	char name[80] = "", text[120];
	for (int i = 0; i < 18; i++)
		strcat(name, "\xf0\x9f\x98\x80");
	snprintf(text, sizeof(text), "tar:disk@%s", name);
	check_good(text, RIAD_STORE_TAR, "disk", name);
	/* A device of 67 letters, Solo5's longest name. */
	char dev[68];
	memset(dev, 'a', 67);
	dev[67] = 0;
	snprintf(text, sizeof(text), "store:%s", dev);
	check_good(text, RIAD_STORE_STORE, dev, "");
}

/* text is rejected with a one-line message containing what, and the
 * output left untouched. */
static void check_bad(const char *text, const char *what)
{
	struct riad_store_spec poison;
	memset(&spec, 0x5a, sizeof(spec));
	memcpy(&poison, &spec, sizeof(spec));
	memset(why, 'x', sizeof(why));
	int r = riad_store_spec_parse(text, &spec, why, sizeof(why));
	CHECK_INT(r, -RIAD_EINVAL);
	CHECK(memcmp(&spec, &poison, sizeof(spec)) == 0);
	CHECK(memchr(why, 0, sizeof(why)) != NULL);
	CHECK(why[0] != 0);
	CHECK(strchr(why, '\n') == NULL && strchr(why, '\t') == NULL);
	if (!strstr(why, what)) {
		printf("  '%s': expected \"%s\" in \"%s\"\n", text, what, why);
		CHECK(0);
	}
}

static void test_bad(void)
{
	check_bad("", "empty store");
	check_bad("foo", "'foo' is not a store kind (tar, store, baked)");
	check_bad("foo:disk", "'foo' is not a store kind");
	check_bad("TAR:disk", "'TAR' is not a store kind");
	check_bad("tar", "tar needs a device: tar:DEVICE[@PARTITION]");
	check_bad("store", "store needs a device");
	check_bad("tar:", "no device after 'tar:'");
	check_bad("tar:@site", "no device after 'tar:'");
	check_bad("tar:di-sk", "device 'di-sk' is not 1 to 67 letters and digits");
	check_bad("tar:disk:x", "device 'disk:x' is not");
	check_bad("tar:disk@", "nothing after '@'");
	check_bad("tar:disk@0", "partition index 0: partitions are counted from 1");
	check_bad("tar:disk@01", "partition index '01' has a leading zero");
	check_bad("tar:disk@65536", "partition index '65536' is larger than 65535");
	check_bad("tar:disk@99999999999999999999999", "is larger than 65535");
	check_bad("tar:disk@type:xyz", "'type:xyz' is not type:GUID");
	check_bad("tar:disk@type:0FC63DAF-8483-4772-8E79-3D69D8477DE", "is not type:GUID");
	check_bad("tar:disk@type:0FC63DAF-8483-4772-8E79_3D69D8477DE4", "is not type:GUID");
	check_bad("baked:disk", "baked takes no device or partition");
	check_bad("baked@x", "'baked@x' is not a store kind");
	check_bad("tar:disk@a\tb", "partition name contains a control character");
	check_bad("tar:disk@a\xc2\x85", "control character"); /* U+0085, C1 */
	check_bad("tar:disk@\xff", "not valid UTF-8");
	check_bad("tar:disk@\xc0\xaf", "not valid UTF-8");      /* overlong '/' */
	check_bad("tar:disk@\xe0\x80\xaf", "not valid UTF-8");  /* overlong */
	check_bad("tar:disk@\xed\xa0\x80", "not valid UTF-8");  /* a surrogate */
	check_bad("tar:disk@\xf4\x90\x80\x80", "not valid UTF-8"); /* past U+10FFFF */
	check_bad("tar:disk@\xc3", "not valid UTF-8");          /* cut short */
	check_bad("tar:disk@abcdefghijabcdefghijabcdefghijabcdefg",
	          "is longer than a GPT name (36 UTF-16 code units)");
	char text[400], name[80] = "";
	for (int i = 0; i < 18; i++)
		strcat(name, "\xf0\x9f\x98\x80");
	snprintf(text, sizeof(text), "tar:disk@a%s", name);
	check_bad(text, "longer than a GPT name");
	char dev[69];
	memset(dev, 'a', 68);
	dev[68] = 0;
	snprintf(text, sizeof(text), "store:%s", dev);
	check_bad(text, "is not 1 to 67 letters and digits");
	memset(text, 'a', RIAD_STORE_SPEC_MAX + 1);
	memcpy(text, "tar:disk@", 9);
	text[RIAD_STORE_SPEC_MAX + 1] = 0;
	char want[40];
	snprintf(want, sizeof(want), "longer than %d bytes", RIAD_STORE_SPEC_MAX);
	check_bad(text, want);
	/* A control character in the kind is shown as '?'. */
	check_bad("t\nr:disk", "'t?r' is not a store kind");
	/* A long piece is shown cut short. */
	check_bad("tarxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx:disk", "xxx...'");
}

static void test_why_buffer(void)
{
	char small[8];
	memset(small, 'x', sizeof(small));
	CHECK_INT(riad_store_spec_parse("foo", &spec, small, sizeof(small)), -RIAD_EINVAL);
	CHECK(memchr(small, 0, sizeof(small)) != NULL);
	CHECK_INT(riad_store_spec_parse("foo", &spec, NULL, 0), -RIAD_EINVAL);
	char one[1] = { 'x' };
	CHECK_INT(riad_store_spec_parse("foo", &spec, one, 0), -RIAD_EINVAL);
	CHECK_INT(one[0], 'x');
	CHECK_INT(riad_store_spec_parse("foo", &spec, one, 1), -RIAD_EINVAL);
	CHECK_INT(one[0], 0);
}

static void check_round_trip(const char *text, const char *want)
{
	struct riad_store_spec again;
	char buf[RIAD_STORE_SPEC_MAX + 1];
	REQUIRE(parse(text) == 0);
	size_t n = riad_store_spec_format(&spec, buf, sizeof(buf));
	CHECK_INT(n, strlen(want));
	CHECK_STR(buf, want);
	REQUIRE(riad_store_spec_parse(buf, &again, NULL, 0) == 0);
	CHECK(memcmp(&again, &spec, sizeof(spec)) == 0);
}

static void test_format(void)
{
	check_round_trip("tar:disk@site", "tar:disk@site");
	check_round_trip("store:d", "store:d");
	check_round_trip("baked:", "baked");
	char small[4];
	REQUIRE(parse("tar:disk@site") == 0);
	CHECK_INT(riad_store_spec_format(&spec, small, sizeof(small)), 13);
	CHECK_STR(small, "tar");
	CHECK_STR(riad_store_kind_name(RIAD_STORE_STORE), "store");
	CHECK_STR(riad_store_kind_name((enum riad_store_kind)9), "?");
}

static const char key32[] = "000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F";

static void test_keys(void)
{
	uint8_t key[RIAD_STORE_KEY_MAX];
	size_t len = 0;
	CHECK_INT(riad_store_key_decode(key32, key, &len), 0);
	CHECK_INT(len, 32);
	for (int i = 0; i < 32; i++)
		CHECK_INT(key[i], i);
	CHECK_INT(riad_store_key_decode("ffFF00112233445566778899aabbccdd", key, &len), 0);
	CHECK_INT(len, 16);
	CHECK_INT(key[0], 0xff);
	CHECK_INT(key[1], 0xff);
	CHECK_INT(key[15], 0xdd);
	char max[129];
	memset(max, 'e', 128);
	max[128] = 0;
	CHECK_INT(riad_store_key_decode(max, key, &len), 0);
	CHECK_INT(len, 64);
	CHECK_INT(key[63], 0xee);
	CHECK_INT(riad_store_key_check(max, why, sizeof(why)), 0);
}

static void check_bad_key(const char *hex, const char *what)
{
	uint8_t key[RIAD_STORE_KEY_MAX];
	size_t len = 99;
	CHECK_INT(riad_store_key_decode(hex, key, &len), -RIAD_EINVAL);
	CHECK_INT(len, 99);
	memset(why, 'x', sizeof(why));
	CHECK(riad_store_key_check(hex, why, sizeof(why)) != 0);
	CHECK(memchr(why, 0, sizeof(why)) != NULL);
	if (!strstr(why, what)) {
		printf("  expected \"%s\" in \"%s\"\n", what, why);
		CHECK(0);
	}
	/* The message never shows the key. */
	if (strlen(hex) >= 4)
		CHECK(strstr(why, hex) == NULL);
}

static void test_bad_keys(void)
{
	check_bad_key("", "empty key");
	check_bad_key("000102030405060708090a0b0c0d0e", "30 hex digits, fewer than 32 (16 bytes)");
	check_bad_key("000102030405060708090a0b0c0d0e0f1", "odd number of hex digits (33)");
	check_bad_key("000102030405060708090a0b0c0d0e0g", "not hexadecimal");
	check_bad_key("0x0102030405060708090a0b0c0d0e0f", "not hexadecimal");
	check_bad_key("00010203 405060708090a0b0c0d0e0f", "not hexadecimal");
	char big[140];
	memset(big, 'a', 130);
	big[130] = 0;
	check_bad_key(big, "longer than 128 hex digits (64 bytes)");
}

static void test_wipe(void)
{
	uint8_t buf[40];
	memset(buf, 0xa5, sizeof(buf));
	riad_wipe(buf + 1, 38);
	CHECK_INT(buf[0], 0xa5);
	for (int i = 1; i < 39; i++)
		CHECK_INT(buf[i], 0);
	CHECK_INT(buf[39], 0xa5);
}

/* The checks in the argument parser, on a table of the test's own. */
static const char *t_store, *t_key;
static struct riad_arg a_store = {
	.name = "store", .type = RIAD_ARG_TYPE_STRING, .var = &t_store,
	.def.s = "baked", .doc = "The store.", .check = riad_store_spec_check,
};
static struct riad_arg a_key = {
	.name = "crypt-key", .type = RIAD_ARG_TYPE_STRING, .var = &t_key,
	.def.s = NULL, .doc = "The key.", .check = riad_store_key_check,
};
static struct riad_arg *table[] = { &a_store, &a_key };

static int parse_argv(const char *const *args, const char **printed)
{
	static char *argv[16];
	int argc = 0, ac;
	char **av;
	while (args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	fake_console_take();
	int r = riad_args_parse(table, table + 2, argc, argv, &ac, &av);
	*printed = fake_console_take();
	return r;
}

#define ARGS(...) (const char *const[]){ "kvcat", __VA_ARGS__, NULL }

static void test_args(void)
{
	const char *printed;
	CHECK_INT(parse_argv(ARGS("x"), &printed), 0);
	CHECK_STR(t_store, "baked");
	CHECK(t_key == NULL);
	CHECK_INT(parse_argv(ARGS("--store=tar:disk@site", "--crypt-key", key32), &printed), 0);
	CHECK_STR(t_store, "tar:disk@site");
	CHECK_STR(t_key, key32);
	CHECK_STR(printed, "");

	CHECK_INT(parse_argv(ARGS("--store=tar:disk@0"), &printed), 64);
	CHECK_STR(printed, "kvcat: option '--store': partition index 0: partitions are counted "
	                   "from 1\n");
	CHECK_INT(parse_argv(ARGS("--store", "nfs:server"), &printed), 64);
	CHECK_STR(printed, "kvcat: option '--store': 'nfs' is not a store kind (tar, store, baked)\n");
	CHECK_INT(parse_argv(ARGS("--store="), &printed), 64);
	CHECK(strncmp(printed, "kvcat: option '--store': empty store", 36) == 0);

	/* A bad key: one line that names the option and not the key. */
	const char *k = "000102030405060708090a0b0c0d0e0fZZ";
	CHECK_INT(parse_argv(ARGS("--crypt-key", k), &printed), 64);
	CHECK_STR(printed, "kvcat: option '--crypt-key': the key is not hexadecimal (only 0-9, "
	                   "a-f, A-F)\n");
	CHECK_INT(parse_argv(ARGS("--crypt-key=abcd"), &printed), 64);
	CHECK_STR(printed, "kvcat: option '--crypt-key': the key has 4 hex digits, fewer than 32 "
	                   "(16 bytes)\n");
	CHECK(strstr(printed, "abcd") == NULL);
}

static void parse_bad_default(void)
{
	static const char *v;
	static struct riad_arg a = {
		.name = "store", .type = RIAD_ARG_TYPE_STRING, .var = &v,
		.def.s = "tar", .check = riad_store_spec_check,
	};
	static struct riad_arg *t[] = { &a };
	char *argv[] = { "x", NULL };
	int ac;
	char **av;
	riad_args_parse(t, t + 1, 1, argv, &ac, &av);
}

static void parse_check_on_int(void)
{
	static int64_t v;
	static struct riad_arg a = {
		.name = "n", .type = RIAD_ARG_TYPE_INT, .var = &v, .check = riad_store_spec_check,
	};
	static struct riad_arg *t[] = { &a };
	char *argv[] = { "x", NULL };
	int ac;
	char **av;
	riad_args_parse(t, t + 1, 1, argv, &ac, &av);
}

static void test_args_programmer_errors(void)
{
	fake_console_take();
	CHECK(expect_abort(parse_bad_default));
	CHECK(strstr(fake_console_take(), "option '--store' has a malformed default: tar needs a "
	                                  "device") != NULL);
	CHECK(expect_abort(parse_check_on_int));
	CHECK(strstr(fake_console_take(), "option '--n' has a check but is not a string") != NULL);
}

/* RIAD_STORE_ARGS() registers both options, checked at boot. */
static int boot(const char *const *args, const char **printed)
{
	static char *argv[16];
	int argc = 0, ac;
	char **av;
	while (args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	fake_console_take();
	int r = riad_args_boot(argc, argv, &ac, &av);
	*printed = fake_console_take();
	return r;
}

static void test_boot(void)
{
	const char *printed;
	CHECK_INT(boot(ARGS("/a"), &printed), 0);
	CHECK_STR(riad_store_arg, "tar:disk@site");
	CHECK(riad_crypt_key_arg == NULL);
	CHECK_INT(boot(ARGS("--store=store:disk@2", "--crypt-key", key32), &printed), 0);
	CHECK_STR(riad_store_arg, "store:disk@2");
	CHECK_STR(riad_crypt_key_arg, key32);
	CHECK_INT(boot(ARGS("--store=tar:disk@"), &printed), 64);
	CHECK(strncmp(printed, "kvcat: option '--store': nothing after '@'", 42) == 0);
	CHECK_INT(boot(ARGS("--crypt-key=00"), &printed), 64);
	CHECK(strncmp(printed, "kvcat: option '--crypt-key': ", 29) == 0);
	CHECK_INT(boot(ARGS("--help"), &printed), 63);
	CHECK(strstr(printed, "--store=STRING (default: \"tar:disk@site\")") != NULL);
	CHECK(strstr(printed, "--crypt-key=STRING (default: none)") != NULL);
}

static void test_strerror(void)
{
	CHECK_STR(riad_strerror(0), "success");
	CHECK_STR(riad_strerror(-RIAD_ENOENT), "no such entry");
	CHECK_STR(riad_strerror(RIAD_ENOENT), "no such entry");
	CHECK(strstr(riad_strerror(-RIAD_EBADMSG), "authentication") != NULL);
	CHECK_STR(riad_strerror(-RIAD_EACCES), "access refused (wrong key?)");
	CHECK_STR(riad_strerror(-RIAD_ENODEV), "no such device");
	CHECK_STR(riad_strerror(-1000), "unknown error");
	CHECK_STR(riad_strerror(INT_MIN), "unknown error");
	CHECK_STR(riad_strerror(INT_MAX), "unknown error");
	/* Every value riad/errno.h defines has a text of its own. */
	static const int all[] = {
		RIAD_ENOENT, RIAD_EINTR, RIAD_EIO, RIAD_EAGAIN, RIAD_ENOMEM, RIAD_EACCES,
		RIAD_EBUSY, RIAD_EEXIST, RIAD_ENODEV, RIAD_ENOTDIR, RIAD_EISDIR, RIAD_EINVAL,
		RIAD_EFBIG, RIAD_ENOSPC, RIAD_EROFS, RIAD_EPIPE, RIAD_ERANGE, RIAD_ENAMETOOLONG,
		RIAD_ENOTEMPTY, RIAD_EBADMSG, RIAD_EMSGSIZE, RIAD_ENOTSUP, RIAD_EADDRINUSE,
		RIAD_EADDRNOTAVAIL, RIAD_ENETDOWN, RIAD_ENETUNREACH, RIAD_ECONNRESET,
		RIAD_ENOBUFS, RIAD_ENOTCONN, RIAD_ETIMEDOUT, RIAD_ECONNREFUSED,
		RIAD_EHOSTUNREACH,
	};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		CHECK(strcmp(riad_strerror(-all[i]), "unknown error") != 0);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(riad_strerror(all[i]), riad_strerror(all[j])) != 0);
	}
}

int main(void)
{
	RUN(test_good);
	RUN(test_bad);
	RUN(test_why_buffer);
	RUN(test_format);
	RUN(test_keys);
	RUN(test_bad_keys);
	RUN(test_wipe);
	RUN(test_args);
	RUN(test_args_programmer_errors);
	RUN(test_boot);
	RUN(test_strerror);
	return check_done();
}
