/* tests/tender/test_args.c: the tender command line, device options, attaching, MACs, and guest_range_ok. */
#include "check.h"
#include "craft.h"

#include "../../tender/common/block.h"
#include "../../tender/common/guest.h"
#include "../../tender/common/mft.h"
#include "../../tender/common/tap.h"
#include "../../tender/common/tender.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct tender_target target = {
	.prog = "riad-test", .abi_target = RIAD_ABI_TARGET_SPT,
	.abi_version = RIAD_SPT_ABI_VERSION, .default_mem_mib = 512};
/* The same, offering riad's net extension (--net-offload). */
static const struct tender_target target_offload = {
	.prog = "riad-test", .abi_target = RIAD_ABI_TARGET_SPT,
	.abi_version = RIAD_SPT_ABI_VERSION, .default_mem_mib = 512, .net_offload = true};
static const struct tender_target *tgt = &target; /* what parse() uses */

static struct tender t;
static struct tender_error e;

static const uint32_t types[] = {RIAD_MFT_DEV_NET_BASIC, RIAD_MFT_DEV_BLOCK_BASIC};
static const char *const names[] = {"service", "storage"};

/* A tender whose manifest declares net "service" and block "storage",
 * with argv = riad-test OPTIONS... kernel.spt guest args. */
static int parse(const char *const *opts)
{
	static char *argv[64];
	int argc = 0;

	memset(&t, 0, sizeof t);
	memset(&e, 0, sizeof e);
	t.target = tgt;
	t.mem_mib = tgt->default_mem_mib;
	t.mft = &t.mft_buf.mft;
	t.mft_size = craft_mft(t.mft, 2, types, names);
	argv[argc++] = (char *)"riad-test";
	for (; *opts != NULL; opts++)
		argv[argc++] = (char *)*opts;
	argv[argc++] = (char *)"kernel.spt";
	argv[argc++] = (char *)"guest-arg";
	argv[argc] = NULL;
	if (args_scan(&t, argc, argv, &e) != 0)
		return -2;
	return args_parse(&t, argc, argv, &e);
}

#define EXPECT_PARSE_ERROR(sub, ...) \
	do { \
		const char *o_[] = {__VA_ARGS__, NULL}; \
		CHECK_INT(parse(o_), -1); \
		if (strstr(e.msg, (sub)) == NULL) \
			check_fail_str(__FILE__, __LINE__, "message contains", e.msg, (sub)); \
	} while (0)

#define EXPECT_PARSE_OK(...) \
	do { \
		const char *o_[] = {__VA_ARGS__, NULL}; \
		CHECK_INT(parse(o_), 0); \
		if (e.msg[0]) \
			check_fail_str(__FILE__, __LINE__, "no error", e.msg, ""); \
	} while (0)

static void test_scan(void)
{
	char *a1[] = {"p", "--mem=8", "k", "x", "y", NULL};
	char *a2[] = {"p", "--mem=8", "--", "--k", "x", NULL};
	char *a3[] = {"p", "--mem=8", NULL};
	char *a4[] = {"p", "--bogus", "--help", "k", NULL};
	char *a5[] = {"p", "--version", NULL};
	char *a6[] = {"p", "--", "--help", NULL};

	memset(&t, 0, sizeof t);
	CHECK_INT(args_scan(&t, 5, a1, &e), 0);
	CHECK_STR(t.kernel, "k");
	CHECK_INT(t.kernel_index, 2);
	CHECK_INT(t.guest_argc, 2);
	CHECK_STR(t.guest_argv[0], "x");
	CHECK_INT(args_scan(&t, 5, a2, &e), 0);
	CHECK_STR(t.kernel, "--k");
	CHECK_INT(t.guest_argc, 1);
	CHECK_INT(args_scan(&t, 2, a3, &e), -1);
	CHECK_STR(e.msg, "missing KERNEL operand (see --help)");
	CHECK_INT(args_scan(&t, 4, a4, &e), ARGS_HELP);
	CHECK_INT(args_scan(&t, 2, a5, &e), ARGS_VERSION);
	CHECK_INT(args_scan(&t, 3, a6, &e), 0); /* after --, --help is KERNEL */
	CHECK_STR(t.kernel, "--help");
}

static void test_mem(void)
{
	uint64_t mib = 0;

	CHECK_INT(args_mem("512", &mib, &e), 0);
	CHECK_INT(mib, 512);
	CHECK_INT(args_mem("0", &mib, &e), -1);
	CHECK_STR(e.msg, "--mem=0: must be at least 1 MiB");
	CHECK_INT(args_mem("", &mib, &e), -1);
	CHECK_INT(args_mem("12M", &mib, &e), -1);
	CHECK_STR(e.msg, "--mem=12M: not a whole number of MiB");
	CHECK_INT(args_mem("-1", &mib, &e), -1);
	CHECK_INT(args_mem("17592186044415", &mib, &e), 0); /* (2^64 - 1) >> 20 */
	CHECK_INT(args_mem("17592186044416", &mib, &e), -1);
	CHECK_STR(e.msg, "--mem=17592186044416: too large");
	CHECK_INT(args_mem("99999999999999999999999", &mib, &e), -1);
	EXPECT_PARSE_OK("--mem=64");
	CHECK_INT(t.mem_mib, 64);
	CHECK(t.mem_set);
	EXPECT_PARSE_ERROR("--mem=x: not a whole number", "--mem=x");
}

static void test_net_options(void)
{
	EXPECT_PARSE_OK("--net:service=tap0");
	CHECK_STR(t.dev[1].source, "tap0");
	EXPECT_PARSE_OK("--net:service=@3", "--net-mac:service=02:AB:cd:00:11:22");
	CHECK_STR(t.dev[1].source, "@3");
	CHECK(t.dev[1].mac_set);
	CHECK_INT(t.dev[1].mac[1], 0xab);
	CHECK_INT(t.dev[1].mac[5], 0x22);
	EXPECT_PARSE_OK("--net:service=abcdefghijklmno"); /* 15 characters */
	EXPECT_PARSE_ERROR("--net:service=abcdefghijklmnop: interface name 'abcdefghijklmnop' is "
			   "16 characters, at most 15", "--net:service=abcdefghijklmnop");
	EXPECT_PARSE_ERROR("interface name", "--net:service=");
	EXPECT_PARSE_ERROR("expected @N with N a descriptor number", "--net:service=@x");
	EXPECT_PARSE_ERROR("expected @N", "--net:service=@99999999999");
	EXPECT_PARSE_ERROR("holds '/'", "--net:service=a/b");
	EXPECT_PARSE_ERROR("Resource not declared in manifest: 'nothing'",
			   "--net:nothing=tap0");
	EXPECT_PARSE_ERROR("Resource not declared in manifest: 'storage'",
			   "--net:storage=tap0");
	EXPECT_PARSE_ERROR("device 'service' is already attached", "--net:service=tap0",
			   "--net:service=tap1");
	EXPECT_PARSE_ERROR("'zz:00:00:00:00:00' is not a MAC address",
			   "--net-mac:service=zz:00:00:00:00:00");
	EXPECT_PARSE_ERROR("not a MAC address", "--net-mac:service=02:00:00:00:00");
	EXPECT_PARSE_ERROR("not a MAC address", "--net-mac:service=02:00:00:00:00:001");
	EXPECT_PARSE_ERROR("not a MAC address", "--net-mac:service=02-00-00-00-00-01");
	EXPECT_PARSE_ERROR("not a MAC address", "--net-mac:service=2:0:0:0:0:1");
	EXPECT_PARSE_ERROR("01:00:5e:00:00:01 is a multicast address",
			   "--net-mac:service=01:00:5e:00:00:01");
	EXPECT_PARSE_ERROR("not declared", "--net-mac:nothing=02:00:00:00:00:01");
}

/* Whether args_usage() for tt mentions what. */
static bool usage_has(const struct tender_target *tt, const char *what)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	bool has;

	CHECK(f != NULL);
	args_usage(f, tt);
	fclose(f);
	has = strstr(buf, what) != NULL;
	free(buf);
	return has;
}

/* --net-offload exists only on a target that offers the extension. */
static void test_net_offload(void)
{
	EXPECT_PARSE_ERROR("invalid option '--net-offload=off'", "--net-offload=off");
	CHECK(!usage_has(&target, "--net-offload"));
	CHECK(usage_has(&target_offload, "--net-offload=on|off"));
	tgt = &target_offload;
	EXPECT_PARSE_OK("--net:service=tap0");
	CHECK(!t.net_offload_off);
	EXPECT_PARSE_OK("--net-offload=off", "--net:service=tap0");
	CHECK(t.net_offload_off);
	EXPECT_PARSE_OK("--net-offload=off", "--net-offload=on");
	CHECK(!t.net_offload_off);
	EXPECT_PARSE_ERROR("--net-offload=maybe: 'maybe' is neither on nor off", "--net-offload=maybe");
	EXPECT_PARSE_ERROR("invalid option '--net-offload'", "--net-offload");
	tgt = &target;
}

static void test_device_names(void)
{
	char longname[128];

	snprintf(longname, sizeof longname, "--net:%.*s=tap0", 68,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	EXPECT_PARSE_ERROR("device name is 68 characters, at most 67", longname);
	snprintf(longname, sizeof longname, "--net:%.*s=tap0", 67,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	EXPECT_PARSE_ERROR("Resource not declared in manifest", longname);
	EXPECT_PARSE_ERROR("device name may hold only letters and digits", "--net:serv-ice=tap0");
	EXPECT_PARSE_ERROR("missing device name", "--net:=tap0");
	EXPECT_PARSE_ERROR("expected --net:NAME=VALUE", "--net:service");
	EXPECT_PARSE_ERROR("invalid option '--bogus' (see --help)", "--bogus");
	EXPECT_PARSE_ERROR("invalid option '--net'", "--net");
	EXPECT_PARSE_ERROR("invalid option '-x'", "-x");
}

static void test_block_options(void)
{
	EXPECT_PARSE_OK("--block:storage=/tmp/disk.img");
	CHECK_STR(t.dev[2].source, "/tmp/disk.img");
	CHECK_INT(t.dev[2].sector_size, 0);
	EXPECT_PARSE_OK("--block-sector-size:storage=4096", "--block:storage=d");
	CHECK_INT(t.dev[2].sector_size, 4096);
	EXPECT_PARSE_OK("--block-sector-size:storage=512");
	EXPECT_PARSE_OK("--block-sector-size:storage=32768");
	EXPECT_PARSE_ERROR("sector size 256 must be a power of two from 512 to 32768",
			   "--block-sector-size:storage=256");
	EXPECT_PARSE_ERROR("sector size 521 must be a power of two",
			   "--block-sector-size:storage=521");
	EXPECT_PARSE_ERROR("sector size 65536 must be a power of two from 512 to 32768",
			   "--block-sector-size:storage=65536");
	EXPECT_PARSE_ERROR("sector size 0 must be", "--block-sector-size:storage=0");
	EXPECT_PARSE_ERROR("sector size '4k' must be", "--block-sector-size:storage=4k");
	EXPECT_PARSE_ERROR("sector size '99999999999999999999' must be",
			   "--block-sector-size:storage=99999999999999999999");
	EXPECT_PARSE_ERROR("missing sector size", "--block-sector-size:storage=");
	EXPECT_PARSE_ERROR("missing PATH", "--block:storage=");
	EXPECT_PARSE_ERROR("Resource not declared in manifest: 'service'",
			   "--block:service=/tmp/x");
	EXPECT_PARSE_ERROR("already attached", "--block:storage=a", "--block:storage=b");
}

static char tmpdir[] = "/tmp/riad-test-args-XXXXXX";

static const char *make_file(const char *name, off_t size)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	if (fd < 0 || ftruncate(fd, size) < 0)
		return NULL;
	close(fd);
	return path;
}

static void test_block_attach(void)
{
	uint64_t cap = 0;
	const char *p;
	int fd;

	REQUIRE((p = make_file("ok", 8192)) != NULL);
	fd = block_attach(p, 512, &cap, &e);
	CHECK(fd >= 0);
	CHECK_INT(cap, 8192);
	close(fd);
	fd = block_attach(p, 4096, &cap, &e);
	CHECK(fd >= 0);
	close(fd);
	fd = block_attach(p, 16384, &cap, &e);
	CHECK_INT(fd, -1);
	CHECK(strstr(e.msg, "Backing storage size must be block aligned (16384 bytes); it is 8192 bytes") != NULL);
	REQUIRE((p = make_file("odd", 1000)) != NULL);
	CHECK_INT(block_attach(p, 512, &cap, &e), -1);
	CHECK(strstr(e.msg, "Backing storage size must be block aligned (512 bytes); it is 1000 bytes") != NULL);
	REQUIRE((p = make_file("empty", 0)) != NULL);
	CHECK_INT(block_attach(p, 512, &cap, &e), -1);
	CHECK(strstr(e.msg, "at least 1 block") != NULL);
	CHECK_INT(block_attach("/nonexistent/riad/disk", 512, &cap, &e), -1);
	CHECK(strstr(e.msg, "Could not open block device: /nonexistent/riad/disk") != NULL);
}

static void test_attach_and_declared_check(void)
{
	char opt[300];
	int sv[2];

	REQUIRE(make_file("disk", 4096 * 4) != NULL);
	REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
	/* Only the block device: the net device is declared but not attached. */
	snprintf(opt, sizeof opt, "--block:storage=%s/disk", tmpdir);
	EXPECT_PARSE_OK(opt, "--block-sector-size:storage=4096");
	CHECK_INT(tender_attach(&t, &e), -1);
	CHECK_STR(e.msg, "Device 'service' of type NET_BASIC declared but not attached");
	CHECK(t.mft->e[2].attached);
	CHECK_INT(t.mft->e[2].u.block_basic.capacity, 4096 * 4);
	CHECK_INT(t.mft->e[2].u.block_basic.block_size, 4096);
	CHECK(t.mft->e[2].b.hostfd > 2);
	close(t.mft->e[2].b.hostfd);
	/* Both, the net device on a passed-in descriptor. */
	char fdopt[64];
	snprintf(fdopt, sizeof fdopt, "--net:service=@%d", sv[0]);
	EXPECT_PARSE_OK(opt, fdopt);
	CHECK_INT(tender_attach(&t, &e), 0);
	CHECK(t.mft->e[1].attached);
	CHECK_INT(t.mft->e[1].b.hostfd, sv[0]);
	CHECK_INT(t.mft->e[1].u.net_basic.mtu, 1500);
	CHECK_INT(t.mft->e[1].u.net_basic.mac[0] & 3, 2); /* generated: unicast, local */
	CHECK_INT(fcntl(sv[0], F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	CHECK_INT(t.mft->e[2].u.block_basic.block_size, 512); /* the default */
	close(t.mft->e[2].b.hostfd);
	/* A MAC given on the command line is used. */
	EXPECT_PARSE_OK(opt, fdopt, "--net-mac:service=02:00:00:00:00:2a");
	CHECK_INT(tender_attach(&t, &e), 0);
	CHECK_INT(t.mft->e[1].u.net_basic.mac[5], 0x2a);
	close(t.mft->e[2].b.hostfd);
	/* A missing block file fails at attach time with its own message. */
	EXPECT_PARSE_OK("--block:storage=/nonexistent/disk", fdopt);
	CHECK_INT(tender_attach(&t, &e), -1);
	CHECK(strstr(e.msg, "Could not open block device") != NULL);
	close(sv[0]);
	close(sv[1]);
}

static void test_63_block_devices(void)
{
	static uint32_t ty[63];
	static char nm[63][8], opts[63][300];
	static const char *pn[63];
	static char *argv[70];
	int argc = 0;

	REQUIRE(make_file("shared", 512 * 8) != NULL);
	memset(&t, 0, sizeof t);
	t.target = &target;
	t.mft = &t.mft_buf.mft;
	for (int i = 0; i < 63; i++) {
		ty[i] = RIAD_MFT_DEV_BLOCK_BASIC;
		snprintf(nm[i], sizeof nm[i], "blk%d", i);
		pn[i] = nm[i];
		snprintf(opts[i], sizeof opts[i], "--block:blk%d=%s/shared", i, tmpdir);
	}
	t.mft_size = craft_mft(t.mft, 63, ty, pn);
	argv[argc++] = "riad-test";
	for (int i = 0; i < 63; i++)
		argv[argc++] = opts[i];
	argv[argc++] = "k";
	argv[argc] = NULL;
	REQUIRE(args_scan(&t, argc, argv, &e) == 0);
	CHECK_INT(args_parse(&t, argc, argv, &e), 0);
	CHECK_INT(tender_attach(&t, &e), 0);
	CHECK(t.mft->e[1].attached && t.mft->e[63].attached);
	for (int i = 1; i < 64; i++)
		close(t.mft->e[i].b.hostfd);
}

static void test_tap_attach_errors(void)
{
	int mtu;

	CHECK_INT(tap_attach("riadnosuch0", &mtu, &e), -1);
	CHECK(strstr(e.msg, "interface 'riadnosuch0' does not exist") != NULL);
	CHECK_INT(tap_attach("abcdefghijklmnop", &mtu, &e), -1);
	CHECK(strstr(e.msg, "at most 15") != NULL);
	CHECK_INT(tap_attach("@999999", &mtu, &e), -1);
	CHECK(strstr(e.msg, "descriptor 999999") != NULL);
}

static void test_mac(void)
{
	uint8_t mac[6];
	int local = 0;

	for (int i = 0; i < 200; i++) {
		REQUIRE(tap_mac_generate(mac, &e) == 0);
		CHECK_INT(mac[0] & 1, 0);
		CHECK_INT(mac[0] & 2, 2);
		local += mac[1] != 0;
	}
	CHECK(local > 150); /* the rest is random */
	CHECK(tap_mac_parse("00:11:22:aa:BB:ff", mac));
	CHECK_INT(mac[3], 0xaa);
	CHECK_INT(mac[4], 0xbb);
	CHECK(!tap_mac_parse("", mac));
	CHECK(!tap_mac_parse("00:11:22:aa:BB:fg", mac));
	CHECK(!tap_mac_parse("00:11:22:aa:BB:f", mac));
	CHECK(!tap_mac_parse("00:11:22:aa:BB-ff", mac));
}

static void test_cmdline(void)
{
	static char big[9000];
	char buf[16];
	char *words[] = {"a", "bc", "", "d", NULL};
	char *one[] = {big, NULL};

	CHECK_INT(args_cmdline(buf, sizeof buf, 4, words, &e), 0);
	CHECK_STR(buf, "a bc  d");
	CHECK_INT(args_cmdline(buf, sizeof buf, 0, words, &e), 0);
	CHECK_STR(buf, "");
	memset(big, 'x', 16);
	big[16] = '\0';
	CHECK_INT(args_cmdline(buf, sizeof buf, 1, one, &e), -1);
	CHECK_STR(e.msg, "guest command line too long (at most 15 characters)");
	big[15] = '\0';
	CHECK_INT(args_cmdline(buf, sizeof buf, 1, one, &e), 0);
	CHECK_INT(strlen(buf), 15);
	CHECK_INT(args_cmdline(buf, sizeof buf, 2, (char *[]){"abcdefg", "hijklmn"}, &e), 0);
	CHECK_INT(args_cmdline(buf, sizeof buf, 2, (char *[]){"abcdefg", "hijklmno"}, &e), -1);
	{
		static char cl[8192];
		memset(big, 'y', 8191);
		big[8191] = '\0';
		CHECK_INT(args_cmdline(cl, sizeof cl, 1, one, &e), 0);
		big[8191] = 'y';
		big[8192] = '\0';
		CHECK_INT(args_cmdline(cl, sizeof cl, 1, one, &e), -1);
	}
}

static void test_guest_range(void)
{
	const uint64_t mem = 512ull << 20;
	uint8_t backing[64];
	struct guest_mem gm = {.host = backing, .base = 0x10000, .size = 0x10000 + 64};

	CHECK(guest_range_ok(mem, 0, mem));
	CHECK(guest_range_ok(mem, mem - 1, 1));
	CHECK(!guest_range_ok(mem, mem - 1, 2));
	CHECK(guest_range_ok(mem, mem - 1, 0));
	CHECK(!guest_range_ok(mem, mem, 0));
	CHECK(!guest_range_ok(mem, mem, 1));
	CHECK(!guest_range_ok(mem, 0, mem + 1));
	CHECK(!guest_range_ok(mem, 0, UINT64_MAX));
	CHECK(!guest_range_ok(mem, 1, UINT64_MAX)); /* 1 + (2^64 - 1) wraps to 0 */
	CHECK(!guest_range_ok(mem, UINT64_MAX, 1));
	CHECK(!guest_range_ok(mem, UINT64_MAX, 2)); /* wraps to 1 */
	CHECK(!guest_range_ok(mem, 0x1000, UINT64_MAX - 0xfff)); /* wraps to 0 */
	CHECK(guest_range_ok(UINT64_MAX, UINT64_MAX - 1, 1));
	CHECK(!guest_range_ok(0, 0, 0));
	CHECK(guest_ptr(&gm, 0x10000, 64) == backing);
	CHECK(guest_ptr(&gm, 0x10000 + 63, 1) == backing + 63);
	CHECK(guest_ptr(&gm, 0x10000 + 63, 2) == NULL);
	CHECK(guest_ptr(&gm, 0xffff, 1) == NULL); /* below the base */
	CHECK(guest_ptr(&gm, 0, 1) == NULL);
	CHECK(guest_ptr(&gm, 0x10001, UINT64_MAX) == NULL);
}

int main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(test_scan);
	RUN(test_mem);
	RUN(test_net_options);
	RUN(test_net_offload);
	RUN(test_device_names);
	RUN(test_block_options);
	RUN(test_block_attach);
	RUN(test_attach_and_declared_check);
	RUN(test_63_block_devices);
	RUN(test_tap_attach_errors);
	RUN(test_mac);
	RUN(test_cmdline);
	RUN(test_guest_range);
	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return 1;
	}
	return check_done();
}
