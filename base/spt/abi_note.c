/* base/spt/abi_note.c: the ELF notes that make this a Solo5 spt (ABI 2) executable. */
#include <abi/elf_note.h>

/* The ABI1 note, in assembly so that one bit of the extensions this guest
 * understands (reserved0) can come from the link: riad's net device
 * (runtime/solo5/netif_solo5.c), which reads frames behind a virtio-net
 * header when riad-spt grants it, defines the absolute symbol
 * riad_abi1_net_request as RIAD_ABI1_F_NET_OFFLOAD. A guest that does not
 * link it (a plain Solo5 application reading frames with solo5_net_read)
 * leaves the weak reference 0 and does not ask. Named by EXTERN in
 * solo5_spt.lds, so that it is always linked. */
_Static_assert(RIAD_NOTE_NAMESZ == 6 && RIAD_ABI1_NOTE_TYPE == 0x31494241u &&
	       sizeof(struct riad_abi1_info) == 16 && sizeof(struct riad_abi1_note) == 36,
	       "the ABI1 note below");
_Static_assert(RIAD_ABI_TARGET_SPT == 2 && RIAD_SPT_ABI_VERSION == 2, "abi_target, abi_version");
_Static_assert(RIAD_ABI1_F_BLOCK_EXT == 1, "reserved0");
__asm__(".pushsection .note.solo5.abi, \"a\", @note\n"
	"\t.balign 4\n"
	"\t.globl riad_solo5_abi_note\n"
	"\t.type riad_solo5_abi_note, @object\n"
	"riad_solo5_abi_note:\n"
	"\t.long 6, 16, 0x31494241\n" /* n_namesz, n_descsz, n_type "ABI1" */
	"\t.ascii \"Solo5\\0\\0\\0\"\n"
	"\t.long 2, 2\n" /* abi_target SPT, abi_version */
	"\t.long 1 + riad_abi1_net_request\n" /* reserved0: BLOCK_EXT, NET_OFFLOAD if linked */
	"\t.long 0\n" /* reserved1 */
	"\t.size riad_solo5_abi_note, 36\n"
	"\t.weak riad_abi1_net_request\n"
	"\t.popsection\n");

/* So that OpenBSD honours the fake PT_INTERP; tenders ignore it. */
const struct riad_openbsd_note riad_solo5_openbsd_note
	__attribute__((section(".note.solo5.not_openbsd"), aligned(4), used)) = {
	.n_namesz = 8, .n_descsz = 4, .n_type = 1, .n_name = "OpenBSD", .data = 0,
};

/* The host kernel refuses to execute a file whose interpreter is missing. */
const char riad_solo5_interp[] __attribute__((section(".interp"), used)) = RIAD_GUEST_INTERP;
