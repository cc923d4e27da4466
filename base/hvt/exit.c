/* base/hvt/exit.c: the end of an hvt guest: the HALT hypercall, the only way out (a real hlt would be an unhandled exit). */
#include "hvt.h"

void hvt_halt(int status, void *cookie)
{
	volatile struct riad_hvt_hc_halt h = {
		.cookie = (uintptr_t)cookie,
		.exit_status = status,
	};
	for (;;)
		hvt_hypercall(RIAD_HVT_HYPERCALL_HALT, &h);
}

void solo5_exit(int status)
{
	base_log(BASE_LOG_INFO, "solo5_exit(%d) called", status);
	hvt_halt(status, 0);
}

void solo5_abort(void)
{
	base_log(BASE_LOG_INFO, "solo5_abort() called");
	hvt_halt(SOLO5_EXIT_ABORT, 0);
}
