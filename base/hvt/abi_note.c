/* base/hvt/abi_note.c: the ELF notes that make this a Solo5 hvt (ABI 2) executable. */
#include <abi/elf_note.h>

/* Named by EXTERN in solo5_hvt.lds, so that it is always linked. */
const struct riad_abi1_note riad_solo5_abi_note
	__attribute__((section(".note.solo5.abi"), aligned(4), used)) = {
	.h = {
		.n_namesz = RIAD_NOTE_NAMESZ,
		.n_descsz = sizeof(struct riad_abi1_info),
		.n_type = RIAD_ABI1_NOTE_TYPE,
		.n_name = RIAD_NOTE_NAME,
	},
	.i = { .abi_target = RIAD_ABI_TARGET_HVT, .abi_version = RIAD_HVT_ABI_VERSION,
	       /* riad's extensions this guest understands */
	       .reserved0 = RIAD_ABI1_F_BLOCK_EXT },
};

/* So that OpenBSD honours the fake PT_INTERP; tenders ignore it. */
const struct riad_openbsd_note riad_solo5_openbsd_note
	__attribute__((section(".note.solo5.not_openbsd"), aligned(4), used)) = {
	.n_namesz = 8, .n_descsz = 4, .n_type = 1, .n_name = "OpenBSD", .data = 0,
};

/* The host kernel refuses to execute a file whose interpreter is missing. */
const char riad_solo5_interp[] __attribute__((section(".interp"), used)) = RIAD_GUEST_INTERP;
