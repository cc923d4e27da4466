/* tender/common/sandbox.h: what both tenders' seccomp sandboxes share. */
#ifndef RIAD_TENDER_SANDBOX_H
#define RIAD_TENDER_SANDBOX_H

#include <seccomp.h>

#include "error.h"

/* Add an allow rule for system call nr with n argument comparisons; what
 * names the call in the error message. 0, or -1 with err set. */
int sandbox_allow(scmp_filter_ctx ctx, int nr, const char *what, unsigned n,
		  const struct scmp_arg_cmp *cmp, struct tender_error *err);

/* Release ctx (always) and put its filter in force for the calling thread,
 * or for every thread with SECCOMP_FILTER_FLAG_TSYNC in flags. The program
 * is exported through a memfd (named name) into static memory and loaded
 * with seccomp(2), because seccomp_load() might call free(), and so brk(),
 * once the filter is in force. 0, or -1 with err set. */
int sandbox_load(scmp_filter_ctx ctx, const char *name, unsigned flags,
		 struct tender_error *err);

#endif
