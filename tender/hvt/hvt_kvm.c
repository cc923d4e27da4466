/* tender/hvt/hvt_kvm.c: opens KVM, creates the VM and its one vCPU, installs guest memory, and runs the vCPU loop. */
#include "hvt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Newer than some installed kernel headers (Linux 6.8): the exit, and
 * the layout of its member of kvm_run's exit union. */
#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT 39
#endif
struct hvt_memory_fault {
	uint64_t flags, gpa, size;
};

#define HVT_KVM_API_VERSION 12

static void say(const char *fmt, va_list ap)
{
	char line[512];
	int n;

	n = snprintf(line, sizeof line, "%s: ", HVT_PROG);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	/* No stdio and no exit handlers: this may run in either thread, and
	 * after the sandbox is in place. */
	if (write(2, line, (size_t)n) < 0) {
		/* Nothing left to report it to. */
	}
}

void hvt_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void hvt_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	_exit(1);
}

static int kvm_cap(int fd, long cap)
{
	return ioctl(fd, KVM_CHECK_EXTENSION, cap);
}

int hvt_kvm_open(struct hvt *h, struct tender_error *err)
{
	int v, n;

	h->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (h->kvm < 0)
		return error_set(err, "cannot open /dev/kvm: %s", strerror(errno));
	v = ioctl(h->kvm, KVM_GET_API_VERSION, 0);
	if (v != HVT_KVM_API_VERSION)
		return error_set(err, "/dev/kvm speaks KVM API version %d, expected %d", v,
				 HVT_KVM_API_VERSION);
	if (kvm_cap(h->kvm, KVM_CAP_USER_MEMORY) <= 0)
		return error_set(err, "KVM lacks KVM_CAP_USER_MEMORY");
	if (kvm_cap(h->kvm, KVM_CAP_GET_TSC_KHZ) <= 0)
		return error_set(err, "KVM lacks KVM_CAP_GET_TSC_KHZ (the guest's clock needs it)");
	h->vm = ioctl(h->kvm, KVM_CREATE_VM, 0);
	if (h->vm < 0)
		return error_set(err, "KVM_CREATE_VM: %s", strerror(errno));
	h->has_ioeventfd = kvm_cap(h->vm, KVM_CAP_IOEVENTFD) > 0;
	h->vcpu = ioctl(h->vm, KVM_CREATE_VCPU, 0);
	if (h->vcpu < 0)
		return error_set(err, "KVM_CREATE_VCPU: %s", strerror(errno));
	n = ioctl(h->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (n < (int)sizeof(struct kvm_run))
		return error_set(err, "KVM_GET_VCPU_MMAP_SIZE: %s",
				 n < 0 ? strerror(errno) : "too small");
	h->run_size = (size_t)n;
	h->run = mmap(NULL, h->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, h->vcpu, 0);
	if (h->run == MAP_FAILED)
		return error_set(err, "cannot map the vCPU's kvm_run: %s", strerror(errno));
	return 0;
}

int hvt_kvm_set_memory(struct hvt *h, struct tender_error *err)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = h->mem.size,
		.userspace_addr = (uint64_t)(uintptr_t)h->mem.host,
	};

	if (ioctl(h->vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return error_set(err, "KVM_SET_USER_MEMORY_REGION (%" PRIu64 " MiB): %s",
				 h->mem.size >> 20, strerror(errno));
	return 0;
}

/* What a stopped vCPU was doing, for the fatal messages; sig is what a
 * process would have died of, for the core dump that follows the message
 * with --dumpcore. */
static void fatal_at(const struct hvt *h, const char *what, int sig) __attribute__((noreturn));

static void fatal_at(const struct hvt *h, const char *what, int sig)
{
	char where[128];

	hvt_cpu_where(h, where, sizeof where);
	if (!hvt_dumpcore_wanted() && !hvt_gdb_wanted())
		hvt_fatal("%s%s%s", what, where[0] ? " at " : "", where);
	hvt_say("%s%s%s", what, where[0] ? " at " : "", where);
	/* With --gdb, the line first, then gdb looks at the guest as it
	 * stopped. */
	hvt_gdb_fault((struct hvt *)h, sig, 0);
	hvt_dumpcore(h, sig, 0);
	_exit(1);
}

static void exit_mmio(const struct hvt *h)
{
	const struct kvm_run *r = h->run;
	char what[160];

	if (r->mmio.phys_addr < h->mem.size && r->mmio.is_write)
		snprintf(what, sizeof what, "guest wrote to read-only memory at gpa 0x%llx",
			 (unsigned long long)r->mmio.phys_addr);
	else if (r->mmio.phys_addr < h->mem.size)
		snprintf(what, sizeof what, "guest read unreadable memory at gpa 0x%llx",
			 (unsigned long long)r->mmio.phys_addr);
	else
		snprintf(what, sizeof what, "guest %s gpa 0x%llx, outside its memory (0x%" PRIx64
			 " bytes)", r->mmio.is_write ? "wrote to" : "read from",
			 (unsigned long long)r->mmio.phys_addr, h->mem.size);
	fatal_at(h, what, SIGSEGV);
}

void hvt_kvm_run(struct hvt *h)
{
	struct kvm_run *r = h->run;
	char what[160];

	hvt_gdb_begin(h);
	for (;;) {
		if (ioctl(h->vcpu, KVM_RUN, 0) < 0) {
			/* A signal: its handler has already ended the tender,
			 * unless it was one we ignore, or gdb's SIGIO. */
			if (errno == EINTR || errno == EAGAIN) {
				hvt_gdb_interrupted(h);
				continue;
			}
			if (errno == EFAULT)
				fatal_at(h, "guest touched memory the host cannot map "
					    "(KVM_RUN: EFAULT)", SIGBUS);
			hvt_fatal("KVM_RUN: %s", strerror(errno));
		}
		switch (r->exit_reason) {
		case KVM_EXIT_IO:
			if (r->io.data_offset > h->run_size || h->run_size - r->io.data_offset < 4)
				hvt_fatal("KVM_EXIT_IO: bad data offset %llu",
					  (unsigned long long)r->io.data_offset);
			{
				uint32_t v;

				memcpy(&v, (const uint8_t *)r + r->io.data_offset, sizeof v);
				hvt_gdb_io(h);
				if (hvt_gdb_hook(h, r->io.port))
					break;
				hvt_hypercall(h, r->io.port, r->io.size, r->io.count, r->io.direction,
					      v);
			}
			break;
		case KVM_EXIT_DEBUG:
			if (hvt_gdb_debug_exit(h))
				break;
			fatal_at(h, "unexpected debug exit", SIGTRAP);
		case KVM_EXIT_HLT:
			fatal_at(h, "guest executed hlt (an hvt guest ends only through the HALT "
				    "hypercall)", SIGILL);
		case KVM_EXIT_SHUTDOWN:
			fatal_at(h, "guest shut down (triple fault: an exception it could not "
				    "handle)", SIGSEGV);
		case KVM_EXIT_MMIO:
			exit_mmio(h);
			break;
		case KVM_EXIT_MEMORY_FAULT: {
			struct hvt_memory_fault mf;

			memcpy(&mf, &r->mmio, sizeof mf); /* the start of the exit union */
			snprintf(what, sizeof what, "guest memory fault at gpa 0x%" PRIx64, mf.gpa);
			fatal_at(h, what, SIGBUS);
		}
		case KVM_EXIT_INTERNAL_ERROR:
			if (hvt_gdb_internal_error(h))
				break;
			snprintf(what, sizeof what, "KVM internal error (suberror %u)",
				 r->internal.suberror);
			fatal_at(h, what, SIGILL);
		case KVM_EXIT_FAIL_ENTRY:
			hvt_fatal("KVM could not enter the guest (hardware reason 0x%llx)",
				  (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
		default:
			snprintf(what, sizeof what, "unexpected KVM exit reason %u", r->exit_reason);
			fatal_at(h, what, SIGILL);
		}
	}
}
