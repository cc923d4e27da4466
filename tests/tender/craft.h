/* tests/tender/craft.h: builds Solo5 guest images and manifests in memory, valid by default, for the tender tests to break one field at a time.
 *
 * Image layout (size: up to the end of the manifest, at most CRAFT_BUF):
 *   0x000 ELF header            0x040 program headers (CRAFT_PH_*)
 *   0x200 ABI1 note (36 bytes)  0x240 text (0x40 bytes)
 *   0x280 data (0x10 bytes; 0x100 more bytes of junk that is bss)
 *   0x390 MFT1 note (24 + manifest)
 * Segments: text R+X at 0x100000, data R+W at 0x101000 (memsz 0x2000).
 */
#ifndef RIAD_TESTS_TENDER_CRAFT_H
#define RIAD_TESTS_TENDER_CRAFT_H

#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/elf_note.h"
#include "abi/mft.h"

#define CRAFT_BUF 0x2000u
#define CRAFT_ABI_OFF 0x200u
#define CRAFT_TEXT_OFF 0x240u
#define CRAFT_TEXT_SIZE 0x40u
#define CRAFT_DATA_OFF 0x280u
#define CRAFT_MFT_OFF 0x390u
#define CRAFT_TEXT_ADDR 0x100000u
#define CRAFT_DATA_ADDR 0x101000u

enum { CRAFT_PH_TEXT, CRAFT_PH_DATA, CRAFT_PH_ABI, CRAFT_PH_MFT, CRAFT_PHNUM };

struct craft {
	uint8_t buf[CRAFT_BUF];
	size_t size;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	struct riad_note_hdr *abi;
	struct riad_abi1_info *abi_info;
	struct riad_note_hdr *mft_note;
	struct riad_mft *mft; /* 8-aligned: buf is, and the note is at 0x390 */
};

/* A manifest with entry 0 and the given user devices (types[i], names[i]). */
static inline size_t craft_mft(struct riad_mft *m, unsigned ndev, const uint32_t *types,
			       const char *const *names)
{
	memset(m, 0, RIAD_MFT_SIZE(ndev + 1));
	m->version = RIAD_MFT_VERSION;
	m->entries = ndev + 1;
	m->e[0].type = RIAD_MFT_RESERVED_FIRST;
	for (unsigned i = 0; i < ndev; i++) {
		m->e[i + 1].type = types[i];
		snprintf(m->e[i + 1].name, sizeof m->e[i + 1].name, "%s", names[i]);
	}
	return RIAD_MFT_SIZE(ndev + 1);
}

static inline void craft_note(struct riad_note_hdr *h, uint32_t type, uint32_t descsz)
{
	h->n_namesz = RIAD_NOTE_NAMESZ;
	h->n_descsz = descsz;
	h->n_type = type;
	memset(h->n_name, 0, sizeof h->n_name);
	memcpy(h->n_name, RIAD_NOTE_NAME, RIAD_NOTE_NAMESZ);
}

/* A valid spt image whose manifest declares ndev devices. */
static inline void craft_init(struct craft *c, unsigned ndev, const uint32_t *types,
			      const char *const *names)
{
	size_t msize;

	memset(c, 0, sizeof *c);
	c->eh = (Elf64_Ehdr *)c->buf;
	c->ph = (Elf64_Phdr *)(c->buf + sizeof(Elf64_Ehdr));
	memcpy(c->eh->e_ident, ELFMAG, SELFMAG);
	c->eh->e_ident[EI_CLASS] = ELFCLASS64;
	c->eh->e_ident[EI_DATA] = ELFDATA2LSB;
	c->eh->e_ident[EI_VERSION] = EV_CURRENT;
	c->eh->e_type = ET_EXEC;
	c->eh->e_machine = EM_X86_64;
	c->eh->e_version = EV_CURRENT;
	c->eh->e_entry = CRAFT_TEXT_ADDR;
	c->eh->e_phoff = sizeof(Elf64_Ehdr);
	c->eh->e_ehsize = sizeof(Elf64_Ehdr);
	c->eh->e_phentsize = sizeof(Elf64_Phdr);
	c->eh->e_phnum = CRAFT_PHNUM;

	c->ph[CRAFT_PH_TEXT] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_X,
					    .p_offset = CRAFT_TEXT_OFF, .p_vaddr = CRAFT_TEXT_ADDR,
					    .p_paddr = CRAFT_TEXT_ADDR, .p_filesz = CRAFT_TEXT_SIZE,
					    .p_memsz = CRAFT_TEXT_SIZE, .p_align = 0x1000};
	c->ph[CRAFT_PH_DATA] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_W,
					    .p_offset = CRAFT_DATA_OFF, .p_vaddr = CRAFT_DATA_ADDR,
					    .p_paddr = CRAFT_DATA_ADDR, .p_filesz = 0x10,
					    .p_memsz = 0x2000, .p_align = 0x1000};
	memset(c->buf + CRAFT_TEXT_OFF, 0xcc, CRAFT_TEXT_SIZE);
	memset(c->buf + CRAFT_DATA_OFF, 0xda, 0x10);
	memset(c->buf + CRAFT_DATA_OFF + 0x10, 0xee, 0x100); /* must not be loaded */

	c->abi = (struct riad_note_hdr *)(c->buf + CRAFT_ABI_OFF);
	craft_note(c->abi, RIAD_ABI1_NOTE_TYPE, sizeof(struct riad_abi1_info));
	c->abi_info = (struct riad_abi1_info *)(c->buf + CRAFT_ABI_OFF + RIAD_ABI1_DESC_OFFSET);
	c->abi_info->abi_target = RIAD_ABI_TARGET_SPT;
	c->abi_info->abi_version = RIAD_SPT_ABI_VERSION;
	c->ph[CRAFT_PH_ABI] = (Elf64_Phdr){.p_type = PT_NOTE, .p_flags = PF_R,
					   .p_offset = CRAFT_ABI_OFF, .p_filesz = 36, .p_memsz = 36,
					   .p_align = 4};

	c->mft_note = (struct riad_note_hdr *)(c->buf + CRAFT_MFT_OFF);
	c->mft = (struct riad_mft *)(void *)(c->buf + CRAFT_MFT_OFF + RIAD_MFT1_DESC_OFFSET);
	msize = craft_mft(c->mft, ndev, types, names);
	craft_note(c->mft_note, RIAD_MFT1_NOTE_TYPE, (uint32_t)(RIAD_MFT1_NOTE_PAD + msize));
	c->ph[CRAFT_PH_MFT] = (Elf64_Phdr){.p_type = PT_NOTE, .p_flags = PF_R,
					   .p_offset = CRAFT_MFT_OFF,
					   .p_filesz = RIAD_MFT1_DESC_OFFSET + msize,
					   .p_memsz = RIAD_MFT1_DESC_OFFSET + msize, .p_align = 8};
	c->size = CRAFT_MFT_OFF + RIAD_MFT1_DESC_OFFSET + msize;
}

/* If RIAD_CRAFT_DUMP names a directory, writes the image there as NAME
 * (how the fuzz seed corpus was made). */
static inline void craft_dump(const struct craft *c, const char *name)
{
	const char *dir = getenv("RIAD_CRAFT_DUMP");
	char path[512];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f != NULL) {
		fwrite(c->buf, 1, c->size, f);
		fclose(f);
	}
}

#endif
