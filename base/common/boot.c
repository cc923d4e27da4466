/* base/common/boot.c: the part of start-up both targets share: options, manifest, banner, the application, exit. */
#include "base.h"
#include "../riad_base.h"

void base_boot(const char *cmdline, const struct riad_mft *mft, uint64_t mem_size,
	       uintptr_t heap_start, size_t heap_size)
{
	static struct solo5_start_info info;

	info.cmdline = base_cmdline_options(cmdline);
	base_mft_init(mft);
	info.heap_start = heap_start;
	info.heap_size = heap_size;

	base_log_hold(true); /* the banner: one console write */
	base_log(BASE_LOG_INFO, "riad bindings, %s target, %lu MiB of memory", riad_base_target,
		 (unsigned long)(mem_size >> 20));
	base_log(BASE_LOG_INFO, "  text   %p-%p   rodata %p-%p", (void *)_stext, (void *)_etext,
		 (void *)_srodata, (void *)_erodata);
	base_log(BASE_LOG_INFO, "  data   %p-%p   bss    %p-%p", (void *)_sdata, (void *)_edata,
		 (void *)_sbss, (void *)_ebss);
	base_log(BASE_LOG_INFO, "  stack  %p-%p   heap   %p-%p", (void *)_sstack, (void *)_estack,
		 (void *)heap_start, (void *)(heap_start + heap_size));
	base_log_hold(false);

	int status = solo5_app_main(&info);
	solo5_exit(status);
}
