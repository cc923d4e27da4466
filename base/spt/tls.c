/* base/spt/tls.c: the thread pointer is the FS base, set with arch_prctl. */
#include "spt.h"

solo5_result_t solo5_set_tls_base(uintptr_t base)
{
	return spt_syscall3(SYS_ARCH_PRCTL, SPT_ARCH_SET_FS, (long)base, 0) == 0 ? SOLO5_R_OK
										 : SOLO5_R_EUNSPEC;
}
