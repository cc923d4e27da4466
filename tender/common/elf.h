/* tender/common/elf.h: checking and loading a Solo5 guest executable held in memory, and reading its notes.
 *
 * The file is an untrusted byte string (data, size): every offset, size and
 * address in it is checked, with overflow-safe arithmetic, before use. The
 * rules are those of Solo5's tenders (docs SOLO5-ABI.md section 3); each
 * violation has its own one-line message. Nothing here exits.
 */
#ifndef RIAD_TENDER_ELF_H
#define RIAD_TENDER_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/elf_note.h"
#include "abi/mft.h"
#include "error.h"
#include "guest.h"

/* Page size segments are aligned to, and the lowest address a guest may
 * load at (both hvt and spt). */
#define ELF_PAGE_SIZE 0x1000u
#define ELF_MIN_LOAD_ADDR 0x100000u

/* Segment permissions, as PROT_* bits for mmap/mprotect. */
typedef int (*elf_protect_fn)(void *arg, uint64_t start, uint64_t end, int prot);

struct elf_loaded {
	uint64_t entry; /* e_entry */
	uint64_t end; /* kernel_end: highest page-aligned end of a loaded segment */
};

/* Checks the ELF header alone: ELF64, little-endian, current version, the
 * header and program header entry sizes, at least one program header, all
 * of them inside the file, ET_EXEC, the host's machine. */
int elf_check_header(const uint8_t *data, size_t size, struct tender_error *err);

/* Checks everything elf_load() relies on, for guest memory of mem_size
 * bytes, without touching memory: the header, e_entry in
 * [ELF_MIN_LOAD_ADDR, mem_size), and each PT_LOAD with p_filesz > 0: data
 * inside the file, p_vaddr >= ELF_MIN_LOAD_ADDR, sorted by p_vaddr,
 * p_align a power of two, the range aligned to p_align page-aligned, not
 * overlapping the previous one and inside memory, p_filesz <= p_memsz, not
 * both writable and executable. On success fills *out. */
int elf_check(const uint8_t *data, size_t size, uint64_t mem_size, struct elf_loaded *out,
	      struct tender_error *err);

/* elf_check(), then copies each loaded segment's file bytes to its p_vaddr
 * in gm, zeroes the rest of p_memsz, and applies the segment's permissions
 * through protect(arg, start, end, prot) over its aligned range. Guest
 * memory outside the segments is left as it was (zero). */
int elf_load(const uint8_t *data, size_t size, const struct guest_mem *gm, elf_protect_fn protect,
	     void *arg, struct elf_loaded *out, struct tender_error *err);

/* Finds the Solo5 note of type n_type (only the first note of each PT_NOTE
 * is looked at) and returns its descriptor, without the align padding, as a
 * pointer into data: 1 if found, 0 if the file has no such note, -1 if the
 * file is malformed (a PT_NOTE under 12 bytes, a descriptor size of 0,
 * above max_descsz, beyond the segment or not above the padding). */
int elf_note_find(const uint8_t *data, size_t size, uint32_t n_type, uint32_t align,
		  uint32_t max_descsz, const uint8_t **desc, size_t *desc_size,
		  struct tender_error *err);

/* Reads the ABI1 note and requires the given target and version. */
int elf_note_abi(const uint8_t *data, size_t size, uint32_t target, uint32_t version,
		 struct tender_error *err);

/* The ABI1 note's reserved0 word: the RIAD_ABI1_F_* extensions a riad guest
 * understands (0 for Solo5's guests, or when the note cannot be read; call
 * it after elf_note_abi() has accepted the note). */
uint32_t elf_note_abi_flags(const uint8_t *data, size_t size);

/* Reads the MFT1 note, copies the manifest into out (room for the largest
 * manifest: RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES) bytes, 8-aligned) and
 * validates it (mft_validate). *out_size receives its size. */
int elf_note_mft(const uint8_t *data, size_t size, struct riad_mft *out, size_t *out_size,
		 struct tender_error *err);

/* Name of a target number ("hvt", "spt", ...), or "unknown". */
const char *elf_note_target_name(uint32_t target);

#endif
