/* abi/elf_note.h: the Solo5 ELF notes (ABI1, MFT1) that identify a guest executable.
 *
 * A Solo5 guest is an ELF64 ET_EXEC file that carries two notes, each the
 * only note in its own PT_NOTE segment (the tender reads just the first note
 * of each PT_NOTE):
 *
 *   ABI1 (section .note.solo5.abi): which tender the guest is for and the
 *        ABI version it speaks. The descriptor (16 bytes) starts at note
 *        offset 20: the 12-byte ELF note header plus the name "Solo5",
 *        NUL-padded to 8 bytes. The whole note is 36 bytes.
 *   MFT1 (section .note.solo5.manifest): the application manifest (see
 *        abi/mft.h). The manifest starts at note offset 24, because it is
 *        8-byte aligned: 4 bytes of padding follow the name, and n_descsz
 *        counts them, so n_descsz = 4 + 8 + entries * 104 (116 with no user
 *        devices, 220 with one).
 *
 * Both notes have n_namesz = 6 ("Solo5" and its NUL). A reader finds a
 * PT_NOTE whose note has that name and the wanted n_type, and rejects the
 * file if n_descsz is 0, above the note's maximum, larger than what the
 * segment holds, or not larger than the alignment padding; it also rejects a
 * PT_NOTE shorter than an ELF note header (12 bytes).
 *
 * Self-contained C99 (plus _Static_assert).
 */
#ifndef RIAD_ABI_ELF_NOTE_H
#define RIAD_ABI_ELF_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "mft.h"

/* The name every Solo5 note carries, and its n_namesz (with the NUL). */
#define RIAD_NOTE_NAME "Solo5"
#define RIAD_NOTE_NAMESZ 6u

/* n_type values: the four ASCII bytes read as a little-endian uint32. */
#define RIAD_ABI1_NOTE_TYPE 0x31494241u /* "ABI1" */
#define RIAD_MFT1_NOTE_TYPE 0x3154464du /* "MFT1" */

/* abi_target values. riad provides hvt and spt. */
#define RIAD_ABI_TARGET_HVT 1u
#define RIAD_ABI_TARGET_SPT 2u
#define RIAD_ABI_TARGET_VIRTIO 3u
#define RIAD_ABI_TARGET_MUEN 4u
#define RIAD_ABI_TARGET_GENODE 5u
#define RIAD_ABI_TARGET_XEN 6u

/* ABI versions the tenders accept (and guests declare). */
#define RIAD_HVT_ABI_VERSION 2u
#define RIAD_SPT_ABI_VERSION 2u

/* The common head of a Solo5 note: ELF note header and padded name. */
struct riad_note_hdr {
	uint32_t n_namesz; /* RIAD_NOTE_NAMESZ */
	uint32_t n_descsz; /* descriptor size, including internal padding */
	uint32_t n_type; /* RIAD_ABI1_NOTE_TYPE or RIAD_MFT1_NOTE_TYPE */
	char n_name[8]; /* "Solo5", NUL-padded */
};

/* The ABI1 descriptor. The reserved words are 0 in Solo5's guests; they
 * are where a later guest and tender may negotiate extensions. riad's
 * guests set RIAD_ABI1_F_* bits in reserved0 to say which of riad's
 * extensions they understand; a tender that does not know a bit ignores
 * it, and Solo5's tenders ignore the word. */
struct riad_abi1_info {
	uint32_t abi_target; /* RIAD_ABI_TARGET_* */
	uint32_t abi_version; /* RIAD_*_ABI_VERSION */
	uint32_t reserved0;
	uint32_t reserved1;
};

/* reserved0 bits a riad guest may set. */
#define RIAD_ABI1_F_BLOCK_EXT 1u /* multi-block calls and a flush (abi/mft.h) */
#define RIAD_ABI1_F_NET_OFFLOAD 2u /* frames with a virtio-net header, offloads (abi/mft.h) */

struct riad_abi1_note {
	struct riad_note_hdr h;
	struct riad_abi1_info i;
};

/* Alignment of each descriptor within its note, and where it starts. */
#define RIAD_ABI1_NOTE_ALIGN 4u
#define RIAD_ABI1_DESC_OFFSET 20u
#define RIAD_MFT1_NOTE_ALIGN 8u
#define RIAD_MFT1_DESC_OFFSET 24u
#define RIAD_MFT1_NOTE_PAD (RIAD_MFT1_DESC_OFFSET - sizeof(struct riad_note_hdr))

/* Largest n_descsz each reader accepts. */
#define RIAD_ABI1_NOTE_MAX_SIZE 16u
#define RIAD_MFT1_NOTE_MAX_SIZE (RIAD_MFT1_NOTE_PAD + RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES))

/* n_descsz of an MFT1 note whose manifest has n entries (n including entry 0). */
#define RIAD_MFT1_DESCSZ(n) (RIAD_MFT1_NOTE_PAD + RIAD_MFT_SIZE(n))

/* The type of an MFT1 note holding a manifest of n entries, for guests that
 * declare theirs in C: put one object of it, 8-aligned, in section
 * .note.solo5.manifest, with h.n_descsz = sizeof(it) - sizeof(h). */
#define RIAD_MFT1_NOTE_STRUCT(n) \
	struct { \
		struct riad_note_hdr h; \
		struct { \
			uint32_t version; \
			uint32_t entries; \
			struct riad_mft_entry e[(n)]; \
		} m; \
	}

/* An OpenBSD NT_VERSION note, placed in the first PT_NOTE of a guest so that
 * OpenBSD honours the guest's fake PT_INTERP; tenders ignore it. */
struct riad_openbsd_note {
	uint32_t n_namesz; /* 8 */
	uint32_t n_descsz; /* 4 */
	uint32_t n_type; /* 1 */
	char n_name[8]; /* "OpenBSD" */
	uint32_t data; /* 0 */
};

/* The PT_INTERP of every guest: the host kernel refuses to exec it. */
#define RIAD_GUEST_INTERP "/nonexistent/solo5/"

_Static_assert(sizeof(struct riad_note_hdr) == 20, "note header size");
_Static_assert(offsetof(struct riad_note_hdr, n_descsz) == 4, "n_descsz offset");
_Static_assert(offsetof(struct riad_note_hdr, n_type) == 8, "n_type offset");
_Static_assert(offsetof(struct riad_note_hdr, n_name) == 12, "n_name offset");
_Static_assert(sizeof(struct riad_abi1_info) == 16, "abi1 descriptor size");
_Static_assert(offsetof(struct riad_abi1_info, abi_version) == 4, "abi_version offset");
_Static_assert(sizeof(struct riad_abi1_note) == 36, "abi1 note size");
_Static_assert(offsetof(struct riad_abi1_note, i) == RIAD_ABI1_DESC_OFFSET, "abi1 desc offset");
_Static_assert(RIAD_MFT1_NOTE_PAD == 4, "mft1 padding");
_Static_assert(RIAD_MFT1_NOTE_MAX_SIZE == 6668, "mft1 max size");
_Static_assert(RIAD_MFT1_DESCSZ(1) == 116 && RIAD_MFT1_DESCSZ(2) == 220, "mft1 descsz");
_Static_assert(offsetof(RIAD_MFT1_NOTE_STRUCT(1), m) == RIAD_MFT1_DESC_OFFSET, "mft1 offset");
_Static_assert(sizeof(RIAD_MFT1_NOTE_STRUCT(2)) - sizeof(struct riad_note_hdr) == 220,
	       "mft1 note size");
_Static_assert(sizeof(struct riad_openbsd_note) == 24, "openbsd note size");

#endif
