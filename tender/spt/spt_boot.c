/* tender/spt/spt_boot.c: writes the spt boot info, manifest copy and command line into guest memory. */
#include "spt.h"

#include "abi/spt.h"

#include <string.h>

int spt_boot_write(struct spt *s, const struct tender *t, uint64_t kernel_end,
		   struct tender_error *err)
{
	uint64_t bi_addr = RIAD_SPT_BOOT_INFO_BASE;
	uint64_t mft_addr = bi_addr + sizeof(struct riad_spt_boot_info);
	uint64_t cmd_addr = mft_addr + t->mft_size;
	struct riad_spt_boot_info bi;
	void *bi_p, *mft_p;
	char *cmd_p;

	bi_p = guest_ptr(&s->mem, bi_addr, sizeof bi);
	mft_p = guest_ptr(&s->mem, mft_addr, t->mft_size);
	cmd_p = guest_ptr(&s->mem, cmd_addr, RIAD_SPT_CMDLINE_SIZE);
	if (bi_p == NULL || mft_p == NULL || cmd_p == NULL || cmd_addr + RIAD_SPT_CMDLINE_SIZE >
	    RIAD_SPT_GUEST_MIN_BASE)
		return error_set(err, "boot information does not fit in guest memory");
	if (args_cmdline(cmd_p, RIAD_SPT_CMDLINE_SIZE, t->guest_argc, t->guest_argv, err) < 0)
		return -1;
	memcpy(mft_p, t->mft, t->mft_size);
	memset(&bi, 0, sizeof bi);
	bi.mem_size = s->mem.size;
	bi.kernel_end = kernel_end;
	bi.cmdline = cmd_addr;
	bi.mft = mft_addr;
	bi.epollfd = s->epollfd;
	bi.timerfd = s->timerfd;
	memcpy(bi_p, &bi, sizeof bi);
	return 0;
}
