/* base/spt/spt.h: what the spt base's files share (private to base/spt). */
#ifndef RIAD_BASE_SPT_H
#define RIAD_BASE_SPT_H

#include "../common/base.h"
#include "sys.h"

/* From the boot info: the epoll set and timer solo5_yield uses. */
extern int spt_epollfd, spt_timerfd;

/* Called by _start on its own stack; never returns. */
void spt_boot(const void *boot_info) __attribute__((noreturn));

#endif
