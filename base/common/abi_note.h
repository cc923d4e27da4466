/* base/common/abi_note.h: the ABI1 note that makes a guest a Solo5 executable of one target, with the riad extensions it understands.
 *
 * In assembly so that one bit of the extensions (reserved0) can come from
 * the link: riad's net device (runtime/solo5/netif_solo5.c), which reads
 * frames behind a virtio-net header when riad's tender grants it,
 * defines the absolute symbol riad_abi1_net_request as
 * RIAD_ABI1_F_NET_OFFLOAD. A guest that does not link it (a plain Solo5
 * application reading frames with solo5_net_read) leaves the weak
 * reference 0 and does not ask. Every riad guest understands the block
 * extension (RIAD_ABI1_F_BLOCK_EXT). The note is riad_solo5_abi_note,
 * which each target's linker script names by EXTERN, so that it is
 * always linked.
 *
 * BASE_ABI1_NOTE(TARGET, VERSION) takes plain decimal numbers (the
 * assembler knows no C suffixes); each target checks them against
 * abi/elf_note.h with BASE_ABI1_NOTE_CHECK.
 */
#ifndef RIAD_BASE_ABI_NOTE_H
#define RIAD_BASE_ABI_NOTE_H

#include <abi/elf_note.h>

_Static_assert(RIAD_NOTE_NAMESZ == 6 && RIAD_ABI1_NOTE_TYPE == 0x31494241u &&
		       sizeof(struct riad_abi1_info) == 16 && sizeof(struct riad_abi1_note) == 36,
	       "the ABI1 note below");
_Static_assert(RIAD_ABI1_F_BLOCK_EXT == 1, "reserved0");

#define BASE_ABI1_NOTE_CHECK(target, version, want_target, want_version) \
	_Static_assert((target) == (want_target) && (version) == (want_version), \
		       "abi_target, abi_version")

#define BASE_ABI1_NOTE(target, version) \
	__asm__(".pushsection .note.solo5.abi, \"a\", @note\n" \
		"\t.balign 4\n" \
		"\t.globl riad_solo5_abi_note\n" \
		"\t.type riad_solo5_abi_note, @object\n" \
		"riad_solo5_abi_note:\n" \
		"\t.long 6, 16, 0x31494241\n" /* n_namesz, n_descsz, n_type "ABI1" */ \
		"\t.ascii \"Solo5\\0\\0\\0\"\n" \
		"\t.long " #target ", " #version "\n" /* abi_target, abi_version */ \
		"\t.long 1 + riad_abi1_net_request\n" /* reserved0: BLOCK_EXT, NET_OFFLOAD if linked */ \
		"\t.long 0\n" /* reserved1 */ \
		"\t.size riad_solo5_abi_note, 36\n" \
		"\t.weak riad_abi1_net_request\n" \
		"\t.popsection\n")

#endif
