/* tender/hvt/hvt_main.c: riad-hvt, the tender that runs a Solo5 hvt unikernel in a KVM virtual machine. */
#include "hvt.h"

#include "../common/elf.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <unistd.h>

static const struct tender_target hvt_target = {
	.prog = HVT_PROG,
	.abi_target = RIAD_ABI_TARGET_HVT,
	.abi_version = RIAD_HVT_ABI_VERSION,
	.default_mem_mib = 512,
	.net_offload = true,
};

static void on_signal(int sig)
{
	static const char term[] = HVT_PROG ": Exiting on signal 15\n";
	static const char intr[] = HVT_PROG ": Exiting on signal 2\n";
	ssize_t rc;

	if (sig == SIGTERM)
		rc = write(2, term, sizeof term - 1);
	else
		rc = write(2, intr, sizeof intr - 1);
	(void)rc;
	_exit(1);
}

static void signals_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed console must not kill the tender; PUTS is best effort. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static bool has_net(const struct riad_mft *mft)
{
	for (uint32_t i = 1; i < mft->entries; i++)
		if (mft->e[i].type == RIAD_MFT_DEV_NET_BASIC && mft->e[i].attached)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static struct tender t;
	static struct hvt h;
	struct tender_error err, what;
	struct elf_loaded img;
	uint64_t mem, alloc;
	bool rounded, ring;
	int persona;

	tender_setup(&t, &hvt_target, argc, argv);
	signals_setup();
	h.mft = t.mft;
	h.epollfd = h.timerfd = h.memfd = -1;
	h.mem_memfd = hvt_dumpcore_wanted() || hvt_gdb_wanted();
	if (hvt_mem_size(t.mem_mib, &mem, &rounded, &err) < 0)
		goto fail;
	if (rounded)
		fprintf(stderr, "%s: warning: --mem=%" PRIu64 " rounded down to %" PRIu64
			" MiB (a multiple of 2 MiB)\n", HVT_PROG, t.mem_mib, mem >> 20);
	if (hvt_kvm_open(&h, &err) < 0)
		goto fail;
	/* The ring goes above the guest's memory, within the 4 GiB cap. */
	ring = h.has_ioeventfd && has_net(t.mft);
	alloc = mem;
	if (ring) {
		alloc = mem + HVT_RING_ALLOC > HVT_MEM_MAX ? HVT_MEM_MAX : mem + HVT_RING_ALLOC;
		mem = alloc - HVT_RING_ALLOC;
		h.ring_gpa = mem;
	}
	h.mem_size = mem;
	/* Check the image before mapping anything for it. */
	if (elf_check(t.image, t.image_size, mem, &img, &err) < 0)
		goto fail_kernel;
	if (hvt_mem_map(&h, alloc, &err) < 0 || hvt_kvm_set_memory(&h, &err) < 0)
		goto fail;
	{
		/* Load into the guest's part only. */
		struct guest_mem gm = {.host = h.mem.host, .base = 0, .size = mem};

		if (elf_load(t.image, t.image_size, &gm, hvt_mem_protect, &h, &img, &err) < 0)
			goto fail_kernel;
	}
	/* Before the ring thread: the core writer is a fork of this process. */
	if (hvt_dumpcore_start(&h, &err) < 0)
		goto fail;
	if (hvt_cpu_init(&h, img.entry, &err) < 0 || hvt_hypercall_init(&err) < 0 ||
	    hvt_net_setup(&h, &err) < 0 || (ring && hvt_ring_setup(&h, &err) < 0) ||
	    hvt_boot_write(&h, &t, img.end, &err) < 0)
		goto fail;
	free(t.image);
	t.image = NULL;
	/* With READ_IMPLIES_EXEC every readable mapping would be executable. */
	persona = personality(0xffffffff);
	if (persona < 0 || (persona & READ_IMPLIES_EXEC)) {
		error_set(&err, "refusing to run with the READ_IMPLIES_EXEC personality");
		goto fail;
	}
	if (hvt_gdb_start(&h, &err) < 0 || hvt_seccomp_apply(&h, &err) < 0)
		goto fail;
	hvt_kvm_run(&h);

fail_kernel:
	what = err;
	error_set(&err, "%s: %s", t.kernel, what.msg);
fail:
	tender_die(&t, &err);
}
