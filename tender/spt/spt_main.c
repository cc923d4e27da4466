/* tender/spt/spt_main.c: riad-spt, the tender that runs a Solo5 spt unikernel as a seccomp-sandboxed process. */
#include "spt.h"

#include "../common/elf.h"
#include "abi/spt.h"

#include <stdlib.h>

static const struct tender_target spt_target = {
	.prog = "riad-spt",
	.abi_target = RIAD_ABI_TARGET_SPT,
	.abi_version = RIAD_SPT_ABI_VERSION,
	.default_mem_mib = 512,
	.net_offload = true,
};

int main(int argc, char **argv)
{
	static struct tender t;
	struct tender_error err, what;
	struct elf_loaded img;
	struct spt s;

	tender_setup(&t, &spt_target, argc, argv);
	/* args_mem() keeps mem_mib << 20 within a uint64_t. The image is
	 * checked against the memory size before anything is mapped. */
	if (elf_check(t.image, t.image_size, t.mem_mib << 20, &img, &err) < 0)
		goto fail_kernel;
	if (spt_mem_map(&s, t.mem_mib << 20, &err) < 0)
		goto fail;
	if (elf_load(t.image, t.image_size, &s.mem, spt_mem_protect, &s, &img, &err) < 0)
		goto fail_kernel;
	if (spt_poll_init(&s, t.mft, &err) < 0 || spt_boot_write(&s, &t, img.end, &err) < 0)
		goto fail;
	free(t.image);
	t.image = NULL;
	if (spt_seccomp_apply(&s, t.mft, &err) < 0)
		goto fail;
	spt_launch(s.mem.size - 8, img.entry, RIAD_SPT_BOOT_INFO_BASE);

fail_kernel:
	what = err;
	error_set(&err, "%s: %s", t.kernel, what.msg);
fail:
	tender_die(&t, &err);
}
