/* base/hvt/abi_note.c: the ELF notes that make this a Solo5 hvt (ABI 2) executable. */
#include "../common/abi_note.h"

/* The ABI1 note (abi_note.h): hvt, ABI version 2. */
BASE_ABI1_NOTE_CHECK(1, 2, RIAD_ABI_TARGET_HVT, RIAD_HVT_ABI_VERSION);
BASE_ABI1_NOTE(1, 2);

/* So that OpenBSD honours the fake PT_INTERP; tenders ignore it. */
const struct riad_openbsd_note riad_solo5_openbsd_note
	__attribute__((section(".note.solo5.not_openbsd"), aligned(4), used)) = {
	.n_namesz = 8, .n_descsz = 4, .n_type = 1, .n_name = "OpenBSD", .data = 0,
};

/* The host kernel refuses to execute a file whose interpreter is missing. */
const char riad_solo5_interp[] __attribute__((section(".interp"), used)) = RIAD_GUEST_INTERP;
