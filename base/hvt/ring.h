/* base/hvt/ring.h: what the C and the assembly of base/hvt share about the two rings (see hvt.h): the segment selectors of the guest's own GDT (cpu.c), the privileged calls, the one MSR ring 3 may write. */
#ifndef RIAD_BASE_HVT_RING_H
#define RIAD_BASE_HVT_RING_H

/* Selectors; the ring-3 ones with RPL 3. */
#define HVT_SEL_KCODE 0x08
#define HVT_SEL_KDATA 0x10
#define HVT_SEL_TSS 0x18 /* 16 bytes */
#define HVT_SEL_UDATA 0x2b
#define HVT_SEL_UCODE 0x33

/* Privileged calls: what ring 3 asks ring 0 to do (hvt_privcall). */
#define HVT_PRIV_MMU_ACTIVATE 1 /* step C of start-up (mmu.c), once */
#define HVT_PRIV_GUARD_PAGES 2  /* (addr, len, guard): riad_base_guard_pages */
#define HVT_PRIV_LAST 2

#define HVT_MSR_EFER 0xc0000080
#define HVT_MSR_FS_BASE 0xc0000100

#endif
