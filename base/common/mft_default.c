/* base/common/mft_default.c: the manifest of a unikernel that declares no devices.
 *
 * `riad build` generates every unikernel's manifest note from the devices
 * its sources declare (riad/devices.h) and links it as an object defining
 * riad_solo5_manifest_note. The linker scripts name that symbol with
 * EXTERN, so this archive member, an empty manifest, is linked only when
 * nothing else defines it: a unikernel built with pkg-config alone and no
 * generated manifest still boots, with no devices.
 */
#include <abi/elf_note.h>

const RIAD_MFT1_NOTE_STRUCT(1) riad_solo5_manifest_note
	__attribute__((section(".note.solo5.manifest"), aligned(8), used)) = {
	.h = {
		.n_namesz = RIAD_NOTE_NAMESZ,
		.n_descsz = RIAD_MFT1_DESCSZ(1),
		.n_type = RIAD_MFT1_NOTE_TYPE,
		.n_name = RIAD_NOTE_NAME,
	},
	.m = {
		.version = RIAD_MFT_VERSION,
		.entries = 1,
		.e = { { .name = "", .type = RIAD_MFT_RESERVED_FIRST } },
	},
};
