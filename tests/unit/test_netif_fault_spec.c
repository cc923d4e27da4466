/* tests/unit/test_netif_fault_spec.c: the --net-faults text (riad_netif_fault_spec_parse and _format): good specs, every kind of bad one, and the round trip. */
#include <stdio.h>
#include <string.h>

#include <riad/netif.h>
#include <riad/netif_fault.h>
#include <riad/time.h>

#include "check.h"

static struct riad_netif_fault_config cfg;
static bool seeded;
static char err[256];

static int parse(const char *spec)
{
	memset(&cfg, 0xa5, sizeof(cfg));
	seeded = false;
	err[0] = 'x';
	return riad_netif_fault_spec_parse(spec, &cfg, &seeded, err, sizeof(err));
}

/* spec is refused, with a message holding want. */
static void bad(const char *spec, const char *want, int line)
{
	struct riad_netif_fault_config before;
	int r = parse(spec);
	memcpy(&before, &cfg, sizeof(before));
	if (r != -RIAD_EINVAL)
		check_fail_int(__FILE__, line, spec, r, -RIAD_EINVAL);
	if (!strstr(err, want))
		check_fail_str(__FILE__, line, spec, err, want);
	if (strchr(err, '\n'))
		check_fail(__FILE__, line, "the message is one line");
	/* cfg is untouched on failure. */
	struct riad_netif_fault_config poison;
	memset(&poison, 0xa5, sizeof(poison));
	if (memcmp(&before, &poison, sizeof(poison)) != 0)
		check_fail(__FILE__, line, "cfg unchanged after an error");
}
#define BAD(spec, want) bad(spec, want, __LINE__)

static void test_both_directions(void)
{
	REQUIRE(parse("seed=42,loss=1%,dup=5%,reorder=25%,corrupt=2%,delay=10ms") == 0);
	CHECK(seeded);
	CHECK_INT(cfg.seed, 42);
	CHECK_INT(cfg.rx.loss_ppm, 10000);
	CHECK_INT(cfg.tx.loss_ppm, 10000);
	CHECK_INT(cfg.rx.duplicate_ppm, 50000);
	CHECK_INT(cfg.tx.reorder_ppm, 250000);
	CHECK_INT(cfg.rx.corrupt_ppm, 20000);
	CHECK_INT(cfg.tx.delay_ns, 10 * RIAD_NS_PER_MS);
	CHECK_INT(cfg.rx.jitter_ns, 0);
	CHECK_INT(cfg.rx.corrupt_bits, 0);
}

static void test_per_direction(void)
{
	REQUIRE(parse("tx:loss=10%,rx:dup=0.5%,rx:jitter=1.5ms,tx:corrupt-bits=3") == 0);
	CHECK(!seeded);
	CHECK_INT(cfg.seed, 0);
	CHECK_INT(cfg.tx.loss_ppm, 100000);
	CHECK_INT(cfg.rx.loss_ppm, 0);
	CHECK_INT(cfg.rx.duplicate_ppm, 5000);
	CHECK_INT(cfg.tx.duplicate_ppm, 0);
	CHECK_INT(cfg.rx.jitter_ns, 1500 * 1000);
	CHECK_INT(cfg.tx.corrupt_bits, 3);
	CHECK_INT(cfg.rx.corrupt_bits, 0);
	/* Both directions, then the other one only: no overlap. */
	REQUIRE(parse("rx:loss=1%,tx:loss=2%") == 0);
	CHECK_INT(cfg.rx.loss_ppm, 10000);
	CHECK_INT(cfg.tx.loss_ppm, 20000);
}

static void test_values(void)
{
	REQUIRE(parse("loss=0.0001%") == 0);
	CHECK_INT(cfg.rx.loss_ppm, 1);
	REQUIRE(parse("loss=100%") == 0);
	CHECK_INT(cfg.rx.loss_ppm, 1000000);
	REQUIRE(parse("loss=100.0000%") == 0);
	CHECK_INT(cfg.rx.loss_ppm, 1000000);
	REQUIRE(parse("loss=0%") == 0);
	CHECK_INT(cfg.rx.loss_ppm, 0);
	REQUIRE(parse("loss=250ppm") == 0);
	CHECK_INT(cfg.tx.loss_ppm, 250);
	REQUIRE(parse("loss=1000000ppm") == 0);
	CHECK_INT(cfg.tx.loss_ppm, 1000000);
	REQUIRE(parse("seed=0xdeadBEEF") == 0);
	CHECK_INT(cfg.seed, 0xdeadbeef);
	REQUIRE(parse("seed=18446744073709551615") == 0);
	CHECK(cfg.seed == UINT64_MAX);
	REQUIRE(parse("seed=0xffffffffffffffff") == 0);
	CHECK(cfg.seed == UINT64_MAX);
	REQUIRE(parse("seed=0") == 0);
	CHECK(seeded);
	REQUIRE(parse("delay=7ns,jitter=3us,reorder-max=2s") == 0);
	CHECK_INT(cfg.rx.delay_ns, 7);
	CHECK_INT(cfg.tx.jitter_ns, 3000);
	CHECK_INT(cfg.rx.reorder_max_ns, 2 * RIAD_NS_PER_S);
	REQUIRE(parse("delay=60s,jitter=0.000000001s") == 0);
	CHECK_INT(cfg.rx.delay_ns, 60 * RIAD_NS_PER_S);
	CHECK_INT(cfg.rx.jitter_ns, 1);
	REQUIRE(parse("reorder=5%,reorder-gap=3,reorder-max=20ms") == 0);
	CHECK_INT(cfg.tx.reorder_gap, 3);
	REQUIRE(parse("corrupt-bits=64,reorder-gap=65535") == 0);
	CHECK_INT(cfg.rx.corrupt_bits, 64);
	CHECK_INT(cfg.rx.reorder_gap, 65535);
	/* Only a seed: no faults, but a valid spec. */
	REQUIRE(parse("seed=7") == 0);
	CHECK_INT(cfg.rx.loss_ppm, 0);
}

static void test_unknown(void)
{
	BAD("lose=1%", "unknown key 'lose'");
	BAD("seed=1,jiter=1ms", "'jiter=1ms': unknown key");
	BAD("up:loss=1%", "unknown direction 'up'");
	BAD("rx:seed=1", "the seed is for both directions");
	BAD("tx:=1%", "unknown key ''");
	BAD("LOSS=1%", "unknown key");
}

static void test_missing_value(void)
{
	BAD("loss", "missing value");
	BAD("loss=", "missing value");
	BAD("seed=1,", "empty item");
	BAD(",loss=1%", "empty item");
	BAD("loss=1%,,dup=1%", "empty item");
	BAD("", "empty");
	CHECK_INT(riad_netif_fault_spec_parse(NULL, &cfg, NULL, err, sizeof(err)), -RIAD_EINVAL);
}

static void test_range(void)
{
	BAD("loss=101%", "more than 100%");
	BAD("loss=100.0001%", "more than 100%");
	BAD("loss=1000001ppm", "more than 1000000ppm");
	BAD("corrupt-bits=0", "out of range (1 to 64)");
	BAD("corrupt-bits=65", "out of range (1 to 64)");
	BAD("reorder-gap=65536", "out of range");
	BAD("delay=61s", "more than 60s");
	BAD("delay=60.000000001s", "more than 60s");
	BAD("jitter=0.5ns", "finer than a nanosecond");
	BAD("loss=0.00001%", "more than 4 decimals");
	BAD("delay=1.0000000001s", "more than 9 decimals");
}

static void test_negative(void)
{
	BAD("loss=-1%", "negative");
	BAD("delay=-10ms", "negative");
	BAD("corrupt-bits=-1", "negative");
	BAD("seed=-1", "not a number");
}

static void test_garbage(void)
{
	BAD("loss=abc", "not a percentage");
	BAD("loss=1", "no '%'");
	BAD("loss=1%%", "not a percentage");
	BAD("loss=1.%", "not a percentage");
	BAD("loss=.5%", "not a percentage");
	BAD("loss= 1%", "not a percentage");
	BAD("loss=1 %", "not a percentage");
	BAD("delay=10", "no unit");
	BAD("delay=10m", "unknown unit 'm'");
	BAD("delay=10msec", "unknown unit");
	BAD("delay=ms", "not a duration");
	BAD("seed=42x", "not a number");
	BAD("seed=0x", "not a number");
	BAD("seed=0xg", "not a number");
	BAD("reorder-gap=2.5", "not an integer");
	BAD("loss=1%=2", "not a percentage");
	BAD("loss=1%\n", "not a percentage");
	/* A control character never reaches the message. */
	CHECK(strchr(err, '\n') == NULL);
}

static void test_overflow(void)
{
	BAD("seed=18446744073709551616", "out of range");
	BAD("seed=99999999999999999999999", "out of range");
	BAD("seed=0x10000000000000000", "out of range");
	BAD("loss=99999999999999999999999%", "more than 100%");
	BAD("loss=18446744073709551615ppm", "more than 1000000ppm");
	BAD("delay=99999999999999999999999s", "more than 60s");
	BAD("delay=18446744073709551615ns", "more than 60s");
	BAD("corrupt-bits=4294967297", "out of range");
}

static void test_duplicates(void)
{
	BAD("loss=1%,loss=2%", "rx:loss given twice");
	BAD("loss=1%,tx:loss=2%", "tx:loss given twice");
	BAD("tx:delay=1ms,tx:delay=1ms", "tx:delay given twice");
	BAD("seed=1,seed=1", "seed given twice");
}

static void test_long_item_is_shortened(void)
{
	char spec[400];
	memset(spec, 'a', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = 0;
	spec[0] = 'x';
	spec[1] = '=';
	BAD(spec, "...': unknown key");
	CHECK(strlen(err) < 200);
	/* A small buffer is filled, terminated, and not overrun. */
	char small[8] = "zzzzzzz";
	CHECK_INT(riad_netif_fault_spec_parse("nope=1", &cfg, NULL, small, 5), -RIAD_EINVAL);
	CHECK_INT(strlen(small), 4);
	CHECK_INT(small[5], 'z');
}

/* format(parse(s)) is canonical, and parses back to the same config. */
static void roundtrip(const char *spec, const char *canonical, int line)
{
	char buf[512];
	struct riad_netif_fault_config a, b;
	if (riad_netif_fault_spec_parse(spec, &a, NULL, err, sizeof(err)) != 0) {
		check_fail_str(__FILE__, line, spec, err, "");
		return;
	}
	size_t n = riad_netif_fault_spec_format(&a, buf, sizeof(buf));
	if (n != strlen(buf))
		check_fail_int(__FILE__, line, "format's length", (long long)n, (long long)strlen(buf));
	if (strcmp(buf, canonical) != 0)
		check_fail_str(__FILE__, line, spec, buf, canonical);
	if (riad_netif_fault_spec_parse(buf, &b, NULL, err, sizeof(err)) != 0 ||
	    memcmp(&a, &b, sizeof(a)) != 0)
		check_fail(__FILE__, line, "format parses back");
}
#define ROUNDTRIP(s, c) roundtrip(s, c, __LINE__)

static void test_format(void)
{
	ROUNDTRIP("seed=42,tx:loss=10%", "seed=42,tx:loss=10%");
	ROUNDTRIP("loss=1%,seed=0x10", "seed=16,loss=1%");
	ROUNDTRIP("delay=1500us,rx:jitter=0.25ms,dup=0.125%,tx:corrupt-bits=2,corrupt=1%",
	          "seed=0,corrupt=1%,tx:corrupt-bits=2,dup=0.125%,delay=1500us,rx:jitter=250us");
	ROUNDTRIP("rx:loss=1%,tx:loss=2%,reorder=3%,reorder-gap=4,reorder-max=1s,delay=7ns",
	          "seed=0,rx:loss=1%,tx:loss=2%,reorder=3%,reorder-gap=4,reorder-max=1s,delay=7ns");
	ROUNDTRIP("loss=250ppm", "seed=0,loss=0.025%");
	ROUNDTRIP("loss=1ppm,dup=100%", "seed=0,loss=0.0001%,dup=100%");
	/* Truncated like snprintf. */
	struct riad_netif_fault_config c = { .seed = 12345 };
	char small[6];
	CHECK_INT(riad_netif_fault_spec_format(&c, small, sizeof(small)), 10);
	CHECK_STR(small, "seed=");
}

int main(void)
{
	RUN(test_both_directions);
	RUN(test_per_direction);
	RUN(test_values);
	RUN(test_unknown);
	RUN(test_missing_value);
	RUN(test_range);
	RUN(test_negative);
	RUN(test_garbage);
	RUN(test_overflow);
	RUN(test_duplicates);
	RUN(test_long_item_is_shortened);
	RUN(test_format);
	return check_done();
}
