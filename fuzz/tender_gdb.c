/* fuzz/tender_gdb.c: libFuzzer target: arbitrary bytes as the debugger's side of riad-hvt's gdb connection (packets, acks, Ctrl-C) through its stub (tender/hvt/hvt_gdb.c), against 64 KiB of fake guest memory and a fake vCPU; the input may also be the guest code the stub searches for trap stubs.
 *
 * Input: one byte of flags, then, if bit 0 is set, up to 1024 bytes of
 * read-only "code" at 0x1000 (a region as hvt_mem_protect records one),
 * then the byte stream gdb would send. */
#if defined(RIAD_FUZZING) && defined(__clang__)
/* The fuzzer is built with clang, which names the GNU extension in
 * tender.h's manifest buffer. */
#pragma clang diagnostic ignored "-Wgnu-variable-sized-type-not-at-end"
#endif
#include "../tender/hvt/hvt.h"

#include <linux/kvm.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>

#define FUZZ_MEM (64u * 1024)

void hvt_gdb_fuzz_session(struct hvt *h) __attribute__((noreturn));
ssize_t hvt_gdb_fuzz_read(void *buf, size_t len);
int hvt_gdb_fuzz_ioctl(unsigned long req, void *arg);

static const uint8_t *in;
static size_t in_len;
static jmp_buf done;
static uint8_t mem[FUZZ_MEM];
static struct kvm_run run;
static struct kvm_regs regs;
static struct kvm_sregs sregs;

ssize_t hvt_gdb_fuzz_read(void *buf, size_t len)
{
	size_t n = len < in_len ? len : in_len;

	/* A few bytes at a time, so that packets straddle reads. */
	if (n > 7)
		n = 7;
	memcpy(buf, in, n);
	in += n;
	in_len -= n;
	return (ssize_t)n;
}

int hvt_gdb_fuzz_ioctl(unsigned long req, void *arg)
{
	if (req == KVM_GET_REGS)
		memcpy(arg, &regs, sizeof regs);
	else if (req == KVM_SET_REGS)
		memcpy(&regs, arg, sizeof regs);
	else if (req == KVM_GET_SREGS)
		memcpy(arg, &sregs, sizeof sregs);
	return 0;
}

void hvt_fatal(const char *fmt, ...)
{
	(void)fmt;
	longjmp(done, 1);
}

void hvt_say(const char *fmt, ...)
{
	(void)fmt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hvt h;

	if (size < 1)
		return 0;
	memset(mem, 0, sizeof mem);
	memset(&regs, 0, sizeof regs);
	memset(&sregs, 0, sizeof sregs);
	in = data + 1;
	in_len = size - 1;
	memset(&h, 0, sizeof h);
	if (data[0] & 1) {
		size_t n = in_len < 1024 ? in_len : 1024;

		memcpy(mem + 0x1000, in, n);
		in += n, in_len -= n;
		h.region[0].start = 0x1000;
		h.region[0].end = 0x1000 + 1024;
		h.region[0].prot = PROT_READ;
		h.nregion = 1;
	}
	regs.rsp = FUZZ_MEM - 64;
	h.run = &run;
	h.mem.host = mem;
	h.mem.base = 0;
	h.mem.size = FUZZ_MEM;
	h.mem_size = FUZZ_MEM;
	h.vcpu = -1;
	if (setjmp(done) == 0)
		hvt_gdb_fuzz_session(&h);
	return 0;
}
