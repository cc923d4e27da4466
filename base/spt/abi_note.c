/* base/spt/abi_note.c: the ELF notes that make this a Solo5 spt (ABI 2) executable. */
#include "../common/abi_note.h"

/* The ABI1 note (abi_note.h): spt, ABI version 2. */
BASE_ABI1_NOTE_CHECK(2, 2, RIAD_ABI_TARGET_SPT, RIAD_SPT_ABI_VERSION);
BASE_ABI1_NOTE(2, 2);

/* So that OpenBSD honours the fake PT_INTERP; tenders ignore it. */
const struct riad_openbsd_note riad_solo5_openbsd_note
	__attribute__((section(".note.solo5.not_openbsd"), aligned(4), used)) = {
	.n_namesz = 8, .n_descsz = 4, .n_type = 1, .n_name = "OpenBSD", .data = 0,
};

/* The host kernel refuses to execute a file whose interpreter is missing. */
const char riad_solo5_interp[] __attribute__((section(".interp"), used)) = RIAD_GUEST_INTERP;
