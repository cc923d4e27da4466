/* tests/solo5/privop: privileged instructions in the application fault (hvt: a #GP that the trap handler reports, status 255; spt: SIGSEGV), except what ring 0 performs on its behalf, which is no more than the hypercall ports and the FS base: the first word of the command line says what to try. */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	const char *op = si->cmdline;
	t_puts("trying ");
	t_puts(op);
	t_puts("\n");
	if (t_streq(op, "cr3")) { /* read the page tables' address */
		uint64_t v;
		__asm__ volatile("movq %%cr3, %0" : "=r"(v));
	} else if (t_streq(op, "msr")) { /* write an MSR other than the FS base: EFER */
		__asm__ volatile("wrmsr" : : "c"(0xc0000080u), "a"(0x500u), "d"(0u));
	} else if (t_streq(op, "fsbase")) { /* the FS base, non-canonical */
		__asm__ volatile("wrmsr" : : "c"(0xc0000100u), "a"(0u), "d"(0x8000u));
	} else if (t_streq(op, "rdmsr")) { /* reading it is not offered */
		uint32_t lo, hi;
		__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000100u));
	} else if (t_streq(op, "hlt")) { /* not one of the privileged calls */
		__asm__ volatile("hlt" : : "a"(0ul));
	} else if (t_streq(op, "io")) { /* a port beside the hypercalls' */
		__asm__ volatile("outl %0, %1" : : "a"(0u), "d"((uint16_t)0x50c));
	} else {
		return T_FAILURE("unknown operation");
	}
	return T_FAILURE("the privileged instruction did not fault");
}
