/* tender/hvt/hvt_boot.c: writes the hvt boot info, manifest copy and command line into low guest memory. */
#include "hvt.h"

#include <string.h>
#include <sys/mman.h>

int hvt_boot_write(struct hvt *h, const struct tender *t, uint64_t kernel_end,
		   struct tender_error *err)
{
	struct riad_hvt_boot_info bi;
	struct boot_place bp;

	if (boot_place(&h->mem, t, RIAD_HVT_BOOT_INFO_BASE, sizeof bi, RIAD_HVT_CMDLINE_SIZE,
		       RIAD_HVT_GUEST_MIN_BASE, &bp, err) < 0)
		return -1;
	memset(&bi, 0, sizeof bi);
	bi.mem_size = h->mem_size;
	bi.kernel_end = kernel_end;
	bi.cpu_cycle_freq = h->tsc_hz;
	bi.cmdline = bp.cmd_addr;
	bi.mft = bp.mft_addr;
	bi.host_features = RIAD_HVT_FEATURE_ENTROPY;
	if (h->ring != NULL) {
		bi.host_features |= RIAD_HVT_FEATURE_RING_IO;
		bi.net_ring = h->ring_gpa;
	}
	memcpy(bp.bi, &bi, sizeof bi);
	/* The guest's page tables make the low MiB read-only (or absent); the
	 * tender does not write there on its behalf either. */
	if (hvt_mem_region(h, 0, RIAD_HVT_GUEST_MIN_BASE, PROT_READ) < 0)
		return error_set(err, "too many memory regions");
	return 0;
}
