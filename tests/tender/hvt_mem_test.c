/* tests/tender/hvt_mem_test.c: riad-hvt's memory size rules and its checked guest access, at every boundary, without KVM (built as build/tests/tender/test_hvt_mem). */
#include "check.h"

#include "../../tender/hvt/hvt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

/* hvt_fatal() would end the process: record the message and jump back. */
static jmp_buf fatal_jb;
static char fatal_msg[512];

void hvt_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fatal_msg, sizeof fatal_msg, fmt, ap);
	va_end(ap);
	longjmp(fatal_jb, 1);
}

#define MEM (4ull << 20)

static struct hvt h;

enum { IN, OUT };

/* 1 if the access is allowed, 0 if it is fatal (and its message says so). */
static int access_ok(int dir, uint64_t gpa, uint64_t len, const char *want)
{
	volatile int ok = 0;

	fatal_msg[0] = '\0';
	if (setjmp(fatal_jb) == 0) {
		void *p = dir == IN ? hvt_guest_in(&h, gpa, len, "test") :
				      hvt_guest_out(&h, gpa, len, "test");
		ok = p == h.mem.host + gpa;
	} else if (strncmp(fatal_msg, "Invalid guest access: test: ", 28) != 0 ||
		   (want != NULL && strstr(fatal_msg, want) == NULL)) {
		check_fail_str(__FILE__, __LINE__, "fatal message", fatal_msg, want);
	}
	return ok;
}

static void setup(void)
{
	struct tender_error err;

	memset(&h, 0, sizeof h);
	if (hvt_mem_map(&h, MEM, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
}

static void teardown(void)
{
	munmap(h.mem.host, h.mem.size);
}

static void test_mem_size(void)
{
	struct tender_error err;
	uint64_t b = 0;
	bool r = true;

	CHECK_INT(hvt_mem_size(1, &b, &r, &err), -1);
	CHECK_STR(err.msg, "--mem=1: at least 2 MiB");
	CHECK_INT(hvt_mem_size(2, &b, &r, &err), 0);
	CHECK_INT(b, 2ull << 20);
	CHECK(!r);
	CHECK_INT(hvt_mem_size(3, &b, &r, &err), 0);
	CHECK_INT(b, 2ull << 20);
	CHECK(r);
	CHECK_INT(hvt_mem_size(513, &b, &r, &err), 0);
	CHECK_INT(b, 512ull << 20);
	CHECK(r);
	CHECK_INT(hvt_mem_size(4096, &b, &r, &err), 0);
	CHECK_INT(b, 4ull << 30);
	CHECK(!r);
	CHECK_INT(hvt_mem_size(4097, &b, &r, &err), -1);
	CHECK_STR(err.msg, "--mem=4097: at most 4096 MiB");
	CHECK_INT(hvt_mem_size(UINT64_MAX >> 20, &b, &r, &err), -1);
}

static void test_bounds(void)
{
	setup();
	CHECK(access_ok(IN, 0, 0, NULL));
	CHECK(access_ok(IN, 0, MEM, NULL));
	CHECK(access_ok(OUT, MEM - 1, 1, NULL));
	CHECK(access_ok(OUT, MEM - 8, 8, NULL));
	CHECK(!access_ok(IN, 0, MEM + 1, "outside guest memory"));
	CHECK(!access_ok(IN, MEM - 1, 2, "gpa=0x3fffff len=0x2 is outside"));
	CHECK(!access_ok(IN, MEM, 0, "outside"));
	CHECK(!access_ok(IN, MEM, 1, "outside"));
	CHECK(!access_ok(OUT, UINT64_MAX, 1, "outside"));
	CHECK(!access_ok(IN, 16, UINT64_MAX, "len=0xffffffffffffffff"));
	CHECK(!access_ok(IN, 1, UINT64_MAX - 0, "outside"));
	/* gpa + len wraps around to something small. */
	CHECK(!access_ok(IN, UINT64_MAX - 15, 32, "outside"));
	CHECK(!access_ok(OUT, MEM - 8, UINT64_MAX - MEM + 16, "outside"));
	teardown();
}

/* The permissions of the host mapping at p, from /proc/self/maps ("r--s"). */
static void host_perms(const void *p, char out[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	char perms[5], line[512];

	strcpy(out, "????");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 && (unsigned long)p >= lo &&
		    (unsigned long)p < hi) {
			memcpy(out, perms, 5);
			break;
		}
	fclose(f);
}

static void test_permissions(void)
{
	char perms[5];

	setup();
	/* Text, read-only data, data, a segment with no permission. */
	REQUIRE(hvt_mem_protect(&h, 0x100000, 0x101000, PROT_READ | PROT_EXEC) == 0);
	REQUIRE(hvt_mem_protect(&h, 0x101000, 0x102000, PROT_READ) == 0);
	REQUIRE(hvt_mem_protect(&h, 0x102000, 0x104000, PROT_READ | PROT_WRITE) == 0);
	REQUIRE(hvt_mem_protect(&h, 0x104000, 0x105000, PROT_NONE) == 0);
	REQUIRE(hvt_mem_region(&h, 0, 0x100000, PROT_READ) == 0);
	/* Guest code is never executable in the tender. */
	host_perms(h.mem.host + 0x100000, perms);
	CHECK_STR(perms, "r--s");
	host_perms(h.mem.host + 0x102000, perms);
	CHECK_STR(perms, "rw-s");
	host_perms(h.mem.host + 0x104000, perms);
	CHECK_STR(perms, "---s");

	CHECK(access_ok(IN, 0x100000, 0x4000, NULL));
	CHECK(!access_ok(OUT, 0x100000, 8, "covers guest memory that is read-only"));
	CHECK(!access_ok(OUT, 0x101ff8, 8, "read-only"));
	CHECK(access_ok(OUT, 0x102000, 0x2000, NULL));
	CHECK(!access_ok(OUT, 0x101ff8, 16, "read-only")); /* straddles R and RW */
	CHECK(!access_ok(OUT, 0x103ff8, 16, "not readable")); /* straddles RW and none */
	CHECK(!access_ok(IN, 0x104800, 1, "not readable"));
	CHECK(access_ok(IN, 0x104800, 0, NULL)); /* nothing is touched */
	CHECK(access_ok(OUT, 0x105000, 0x1000, NULL)); /* beyond the image: the heap */
	CHECK(!access_ok(OUT, 0x10000, 56, "read-only")); /* the boot info */
	CHECK(!access_ok(OUT, 0xffff8, 16, "read-only"));
	CHECK(access_ok(IN, 0x10000, 56, NULL));
	teardown();
}

static void test_regions_bounded(void)
{
	unsigned i;

	setup();
	for (i = 0; i < HVT_REGIONS_MAX; i++)
		REQUIRE(hvt_mem_region(&h, 0x100000 + i * 0x1000, 0x101000 + i * 0x1000,
				       PROT_READ) == 0);
	CHECK_INT(hvt_mem_region(&h, 0x300000, 0x301000, PROT_READ), -1);
	CHECK_INT(hvt_mem_region(&h, 0x2000, 0x2000, PROT_READ), -1);
	teardown();
}

int main(void)
{
	RUN(test_mem_size);
	RUN(test_bounds);
	RUN(test_permissions);
	RUN(test_regions_bounded);
	return check_done();
}
