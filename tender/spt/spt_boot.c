/* tender/spt/spt_boot.c: writes the spt boot info, manifest copy and command line into guest memory. */
#include "spt.h"

#include "abi/spt.h"

#include <string.h>

int spt_boot_write(struct spt *s, const struct tender *t, uint64_t kernel_end,
		   struct tender_error *err)
{
	struct riad_spt_boot_info bi;
	struct boot_place bp;

	if (boot_place(&s->mem, t, RIAD_SPT_BOOT_INFO_BASE, sizeof bi, RIAD_SPT_CMDLINE_SIZE,
		       RIAD_SPT_GUEST_MIN_BASE, &bp, err) < 0)
		return -1;
	memset(&bi, 0, sizeof bi);
	bi.mem_size = s->mem.size;
	bi.kernel_end = kernel_end;
	bi.cmdline = bp.cmd_addr;
	bi.mft = bp.mft_addr;
	bi.epollfd = s->epollfd;
	bi.timerfd = s->timerfd;
	memcpy(bp.bi, &bi, sizeof bi);
	return 0;
}
