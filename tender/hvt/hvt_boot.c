/* tender/hvt/hvt_boot.c: writes the hvt boot info, manifest copy and command line into low guest memory. */
#include "hvt.h"

#include <string.h>
#include <sys/mman.h>

int hvt_boot_write(struct hvt *h, const struct tender *t, uint64_t kernel_end,
		   struct tender_error *err)
{
	uint64_t bi_addr = RIAD_HVT_BOOT_INFO_BASE;
	uint64_t mft_addr = bi_addr + sizeof(struct riad_hvt_boot_info);
	uint64_t cmd_addr = mft_addr + t->mft_size;
	struct riad_hvt_boot_info bi;
	void *bi_p, *mft_p;
	char *cmd_p;

	bi_p = guest_ptr(&h->mem, bi_addr, sizeof bi);
	mft_p = guest_ptr(&h->mem, mft_addr, t->mft_size);
	cmd_p = guest_ptr(&h->mem, cmd_addr, RIAD_HVT_CMDLINE_SIZE);
	if (bi_p == NULL || mft_p == NULL || cmd_p == NULL ||
	    cmd_addr + RIAD_HVT_CMDLINE_SIZE > RIAD_HVT_GUEST_MIN_BASE)
		return error_set(err, "boot information does not fit in guest memory");
	if (args_cmdline(cmd_p, RIAD_HVT_CMDLINE_SIZE, t->guest_argc, t->guest_argv, err) < 0)
		return -1;
	memcpy(mft_p, t->mft, t->mft_size);
	memset(&bi, 0, sizeof bi);
	bi.mem_size = h->mem_size;
	bi.kernel_end = kernel_end;
	bi.cpu_cycle_freq = h->tsc_hz;
	bi.cmdline = cmd_addr;
	bi.mft = mft_addr;
	if (h->ring != NULL) {
		bi.host_features = RIAD_HVT_FEATURE_RING_IO;
		bi.net_ring = h->ring_gpa;
	}
	memcpy(bi_p, &bi, sizeof bi);
	/* The guest's page tables make the low MiB read-only (or absent); the
	 * tender does not write there on its behalf either. */
	if (hvt_mem_region(h, 0, RIAD_HVT_GUEST_MIN_BASE, PROT_READ) < 0)
		return error_set(err, "too many memory regions");
	return 0;
}
