/* tender/common/boot.c: places the boot information, the manifest copy and the command line in low guest memory, for every target. */
#include "tender.h"
#include "guest.h"

#include <string.h>

int boot_place(const struct guest_mem *mem, const struct tender *t, uint64_t bi_addr,
	       size_t bi_size, size_t cmd_size, uint64_t limit, struct boot_place *out,
	       struct tender_error *err)
{
	uint64_t mft_addr = bi_addr + bi_size;
	uint64_t cmd_addr = mft_addr + t->mft_size;
	void *bi_p = guest_ptr(mem, bi_addr, bi_size);
	void *mft_p = guest_ptr(mem, mft_addr, t->mft_size);
	char *cmd_p = guest_ptr(mem, cmd_addr, cmd_size);

	if (bi_p == NULL || mft_p == NULL || cmd_p == NULL || cmd_addr + cmd_size > limit)
		return error_set(err, "boot information does not fit in guest memory");
	if (args_cmdline(cmd_p, cmd_size, t->guest_argc, t->guest_argv, err) < 0)
		return -1;
	memcpy(mft_p, t->mft, t->mft_size);
	out->bi = bi_p;
	out->mft_addr = mft_addr;
	out->cmd_addr = cmd_addr;
	return 0;
}
