/* tests/tender/test_elf.c: the tender's ELF loader and note reader against crafted good and bad executables. */
#include "check.h"
#include "craft.h"

#include "../../tender/common/elf.h"

#include <sys/mman.h>

#define MEM (512ull << 20)

static struct craft c;

/* Asserts that elf_check rejects c with a message containing sub, and
 * saves the image for the fuzz corpus. */
#define EXPECT_ELF_REJECT(sub, dump) \
	do { \
		struct tender_error e_ = {{0}}; \
		struct elf_loaded l_; \
		craft_dump(&c, dump); \
		CHECK_INT(elf_check(c.buf, c.size, MEM, &l_, &e_), -1); \
		if (strstr(e_.msg, (sub)) == NULL) \
			check_fail_str(__FILE__, __LINE__, "message contains", e_.msg, (sub)); \
	} while (0)

/* The same for elf_note_abi (target spt) or elf_note_mft. */
#define EXPECT_NOTE_REJECT(fn, sub, dump) \
	do { \
		struct tender_error e_ = {{0}}; \
		craft_dump(&c, dump); \
		CHECK_INT(fn, -1); \
		if (strstr(e_.msg, (sub)) == NULL) \
			check_fail_str(__FILE__, __LINE__, "message contains", e_.msg, (sub)); \
	} while (0)
#define ABI_CALL elf_note_abi(c.buf, c.size, RIAD_ABI_TARGET_SPT, RIAD_SPT_ABI_VERSION, &e_)
#define MFT_CALL elf_note_mft(c.buf, c.size, &mbuf.m, &msize, &e_)

static union {
	struct riad_mft m;
	uint8_t b[RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES)];
} mbuf;
static size_t msize;

static const uint32_t net_type[] = {RIAD_MFT_DEV_NET_BASIC};
static const char *const net_name[] = {"service"};

static void fresh(void)
{
	craft_init(&c, 1, net_type, net_name);
}

static void test_valid_image(void)
{
	struct tender_error e = {{0}};
	struct elf_loaded l;

	fresh();
	craft_dump(&c, "valid_one_net");
	CHECK_INT(elf_check(c.buf, c.size, MEM, &l, &e), 0);
	CHECK_INT(l.entry, CRAFT_TEXT_ADDR);
	CHECK_INT(l.end, CRAFT_DATA_ADDR + 0x2000);
	CHECK_INT(elf_note_abi(c.buf, c.size, RIAD_ABI_TARGET_SPT, RIAD_SPT_ABI_VERSION, &e), 0);
	CHECK_INT(elf_note_mft(c.buf, c.size, &mbuf.m, &msize, &e), 0);
	CHECK_INT(msize, RIAD_MFT_SIZE(2));
	CHECK_INT(mbuf.m.entries, 2);
	CHECK_STR(mbuf.m.e[1].name, "service");
}

struct prot_call {
	uint64_t start, end;
	int prot;
};
static struct prot_call calls[8];
static int ncalls;

static int record_protect(void *arg, uint64_t start, uint64_t end, int prot)
{
	(void)arg;
	if (ncalls < 8)
		calls[ncalls++] = (struct prot_call){start, end, prot};
	return 0;
}

static void test_load_copies_and_zeroes(void)
{
	const uint64_t size = 4u << 20;
	struct tender_error e = {{0}};
	struct elf_loaded l;
	struct guest_mem gm;

	fresh();
	gm.host = malloc(size);
	REQUIRE(gm.host != NULL);
	memset(gm.host, 0x55, size); /* the bss must be zeroed by the loader */
	gm.base = 0;
	gm.size = size;
	ncalls = 0;
	CHECK_INT(elf_load(c.buf, c.size, &gm, record_protect, NULL, &l, &e), 0);
	CHECK_INT(gm.host[CRAFT_TEXT_ADDR], 0xcc);
	CHECK_INT(gm.host[CRAFT_TEXT_ADDR + CRAFT_TEXT_SIZE - 1], 0xcc);
	CHECK_INT(gm.host[CRAFT_DATA_ADDR + 0xf], 0xda);
	CHECK_INT(gm.host[CRAFT_DATA_ADDR + 0x10], 0); /* bss, not the file's 0xee */
	CHECK_INT(gm.host[CRAFT_DATA_ADDR + 0x1fff], 0);
	CHECK_INT(ncalls, 2);
	CHECK_INT(calls[0].start, CRAFT_TEXT_ADDR);
	CHECK_INT(calls[0].end, CRAFT_TEXT_ADDR + 0x1000);
	CHECK_INT(calls[0].prot, PROT_READ | PROT_EXEC);
	CHECK_INT(calls[1].start, CRAFT_DATA_ADDR);
	CHECK_INT(calls[1].end, CRAFT_DATA_ADDR + 0x2000);
	CHECK_INT(calls[1].prot, PROT_READ | PROT_WRITE);
	free(gm.host);
}

static void test_bss_only_segment_ignored(void)
{
	struct tender_error e = {{0}};
	struct elf_loaded l;

	fresh();
	c.ph[CRAFT_PH_DATA].p_filesz = 0;
	c.ph[CRAFT_PH_DATA].p_flags = PF_R | PF_W | PF_X; /* ignored with it */
	CHECK_INT(elf_check(c.buf, c.size, MEM, &l, &e), 0);
	CHECK_INT(l.end, CRAFT_TEXT_ADDR + 0x1000);
}

static void test_truncated(void)
{
	fresh();
	c.size = 10;
	EXPECT_ELF_REJECT("file too short for an ELF header", "bad_truncated_10");
	c.size = 0;
	EXPECT_ELF_REJECT("file too short", "bad_empty");
	fresh();
	c.size = sizeof(Elf64_Ehdr) + 56; /* room for one of four phdrs */
	EXPECT_ELF_REJECT("program headers", "bad_truncated_phdrs");
	fresh();
	c.size = CRAFT_TEXT_OFF + CRAFT_TEXT_SIZE / 2; /* text cut in half */
	EXPECT_ELF_REJECT("segment 0: file data", "bad_truncated_text");
}

static void test_bad_header(void)
{
	fresh();
	c.buf[1] = 'F';
	EXPECT_ELF_REJECT("not an ELF file", "bad_magic");
	fresh();
	c.eh->e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_ELF_REJECT("not a 64-bit ELF file", "bad_class");
	fresh();
	c.eh->e_ident[EI_DATA] = ELFDATA2MSB;
	EXPECT_ELF_REJECT("not a little-endian", "bad_data");
	fresh();
	c.eh->e_version = 2;
	EXPECT_ELF_REJECT("unsupported ELF version", "bad_version");
	fresh();
	c.eh->e_ehsize = 52;
	EXPECT_ELF_REJECT("ELF header size is 52", "bad_ehsize");
	fresh();
	c.eh->e_phentsize = 32;
	EXPECT_ELF_REJECT("program header entry size is 32", "bad_phentsize");
	fresh();
	c.eh->e_phnum = 0;
	EXPECT_ELF_REJECT("no program headers", "bad_phnum");
	fresh();
	c.eh->e_type = ET_DYN;
	EXPECT_ELF_REJECT("not a static executable", "bad_type_dyn");
	fresh();
	c.eh->e_machine = EM_386;
	EXPECT_ELF_REJECT("not an x86-64 executable", "bad_machine");
	fresh();
	c.eh->e_phoff = UINT64_MAX - 8;
	EXPECT_ELF_REJECT("program headers", "bad_phoff_overflow");
}

static void test_entry_range(void)
{
	struct tender_error e = {{0}};
	struct elf_loaded l;

	fresh();
	c.eh->e_entry = 0xfffff;
	EXPECT_ELF_REJECT("entry point 0xfffff outside guest memory", "bad_entry_low");
	c.eh->e_entry = MEM;
	EXPECT_ELF_REJECT("entry point", "bad_entry_high");
	c.eh->e_entry = MEM - 1;
	CHECK_INT(elf_check(c.buf, c.size, MEM, &l, &e), 0);
	/* Memory too small for the entry: --mem=1 */
	c.eh->e_entry = CRAFT_TEXT_ADDR;
	CHECK_INT(elf_check(c.buf, c.size, 1u << 20, &l, &e), -1);
	CHECK(strstr(e.msg, "entry point") != NULL);
}

static void test_segment_rules(void)
{
	fresh();
	c.ph[CRAFT_PH_TEXT].p_vaddr = 0xff000;
	EXPECT_ELF_REJECT("segment 0: p_vaddr 0xff000 is below the lowest load address",
			  "bad_vaddr_low");
	fresh();
	c.ph[CRAFT_PH_TEXT].p_vaddr = 0x100800;
	c.ph[CRAFT_PH_TEXT].p_align = 0x200000;
	EXPECT_ELF_REJECT("aligned start 0x0 is below", "bad_aligned_start_low");
	fresh();
	c.ph[CRAFT_PH_DATA].p_vaddr = 0x100000 - 0x1000 + 0x100000; /* below text */
	c.ph[CRAFT_PH_TEXT].p_vaddr = 0x300000;
	c.eh->e_entry = 0x300000;
	EXPECT_ELF_REJECT("segments must be sorted", "bad_unsorted");
	fresh();
	c.ph[CRAFT_PH_TEXT].p_memsz = 0x1800; /* aligned end 0x102000 > data start */
	EXPECT_ELF_REJECT("segment 1: overlaps the previous segment", "bad_overlap");
	fresh();
	c.ph[CRAFT_PH_DATA].p_vaddr = CRAFT_TEXT_ADDR; /* same start: sorted, overlapping */
	EXPECT_ELF_REJECT("overlaps the previous segment", "bad_overlap_same");
	fresh();
	c.ph[CRAFT_PH_TEXT].p_align = 0x1800;
	EXPECT_ELF_REJECT("segment 0: p_align 0x1800 is not a power of two", "bad_align");
	fresh();
	c.ph[CRAFT_PH_TEXT].p_align = 0;
	EXPECT_ELF_REJECT("p_align 0x0 is not a power of two", "bad_align_zero");
	fresh();
	c.ph[CRAFT_PH_DATA].p_vaddr = CRAFT_DATA_ADDR + 0x800;
	c.ph[CRAFT_PH_DATA].p_align = 0x800;
	EXPECT_ELF_REJECT("segment 1: aligned range 0x101800-0x103800 is not page aligned",
			  "bad_unaligned");
	fresh();
	c.ph[CRAFT_PH_DATA].p_memsz = 0x8;
	EXPECT_ELF_REJECT("segment 1: p_filesz 16 is larger than p_memsz 8", "bad_filesz");
	fresh();
	c.ph[CRAFT_PH_DATA].p_memsz = MEM;
	EXPECT_ELF_REJECT("segment 1: ends at 0x20101000, beyond guest memory", "bad_beyond_mem");
	fresh();
	c.ph[CRAFT_PH_DATA].p_memsz = UINT64_MAX - 0x1000;
	EXPECT_ELF_REJECT("segment 1: end address overflows", "bad_memsz_overflow");
	fresh();
	c.ph[CRAFT_PH_DATA].p_vaddr = UINT64_MAX & ~0xfffull;
	EXPECT_ELF_REJECT("end address overflows", "bad_vaddr_overflow");
	fresh();
	c.ph[CRAFT_PH_DATA].p_flags = PF_R | PF_W | PF_X;
	EXPECT_ELF_REJECT("segment 1: is both writable and executable", "bad_wx");
	fresh();
	c.ph[CRAFT_PH_DATA].p_offset = UINT64_MAX - 4;
	EXPECT_ELF_REJECT("segment 1: file data", "bad_offset_overflow");
	fresh();
	c.ph[CRAFT_PH_TEXT].p_type = PT_NULL;
	c.ph[CRAFT_PH_DATA].p_type = PT_NULL;
	EXPECT_ELF_REJECT("no loadable segment", "bad_no_load");
}

static void test_abi_note(void)
{
	struct tender_error e = {{0}};

	fresh();
	c.abi_info->abi_target = RIAD_ABI_TARGET_HVT;
	EXPECT_NOTE_REJECT(ABI_CALL, "executable is not for the spt target (it is for hvt",
			   "bad_abi_target_hvt");
	fresh();
	c.abi_info->abi_version = 1;
	EXPECT_NOTE_REJECT(ABI_CALL, "requests unsupported ABI version 1", "bad_abi_version");
	fresh();
	c.abi->n_type = 0x32494241; /* "ABI2" */
	EXPECT_NOTE_REJECT(ABI_CALL, "No Solo5 ABI information found in executable", "bad_abi_missing");
	fresh();
	c.abi->n_name[4] = '6'; /* "Solo6": not a Solo5 note */
	EXPECT_NOTE_REJECT(ABI_CALL, "No Solo5 ABI information found in executable", "bad_abi_name");
	fresh();
	c.abi->n_namesz = 5;
	EXPECT_NOTE_REJECT(ABI_CALL, "No Solo5 ABI information found in executable", "bad_abi_namesz");
	fresh();
	c.abi->n_descsz = 8;
	EXPECT_NOTE_REJECT(ABI_CALL, "ABI1 note: descriptor is 8 bytes, expected 16",
			   "bad_abi_descsz_short");
	fresh();
	c.abi->n_descsz = 0;
	EXPECT_NOTE_REJECT(ABI_CALL, "ABI1 note: descriptor size 0 is outside [1, 16]",
			   "bad_abi_descsz_zero");
	fresh();
	c.abi->n_descsz = 17;
	c.ph[CRAFT_PH_ABI].p_filesz = 64;
	EXPECT_NOTE_REJECT(ABI_CALL, "descriptor size 17 is outside [1, 16]", "bad_abi_descsz_big");
	fresh();
	c.ph[CRAFT_PH_ABI].p_filesz = 30;
	EXPECT_NOTE_REJECT(ABI_CALL, "descriptor size 16 exceeds its PT_NOTE segment (30 bytes)",
			   "bad_abi_segment_short");
	fresh();
	c.ph[CRAFT_PH_ABI].p_filesz = 8;
	EXPECT_NOTE_REJECT(ABI_CALL, "PT_NOTE segment 2 is too small for a note (8 bytes)",
			   "bad_note_tiny");
	fresh();
	c.ph[CRAFT_PH_ABI].p_filesz = 16; /* a note header, but too small for Solo5's: skipped */
	EXPECT_NOTE_REJECT(ABI_CALL, "No Solo5 ABI information found in executable", "bad_note_small");
	fresh();
	c.ph[CRAFT_PH_ABI].p_offset = c.size - 10;
	EXPECT_NOTE_REJECT(ABI_CALL, "PT_NOTE segment 2 lies beyond the end of the file",
			   "bad_note_offset");
	fresh();
	c.ph[CRAFT_PH_ABI].p_offset = c.size - 30;
	memcpy(c.buf + c.size - 30, c.abi, 20);
	c.ph[CRAFT_PH_ABI].p_filesz = 36; /* the segment claims more than the file has */
	EXPECT_NOTE_REJECT(ABI_CALL, "ABI1 note: descriptor lies beyond the end of the file",
			   "bad_note_desc_beyond");
	fresh();
	CHECK_INT(elf_note_abi(c.buf, c.size, RIAD_ABI_TARGET_SPT, RIAD_SPT_ABI_VERSION, &e), 0);
}

static void test_mft_note(void)
{
	fresh();
	c.mft_note->n_descsz = 1; /* Solo5's buggyelf: less than the 4 bytes of padding */
	EXPECT_NOTE_REJECT(MFT_CALL, "MFT1 note: descriptor size 1 is not larger than its "
				     "alignment padding (4 bytes)", "bad_mft_buggyelf");
	fresh();
	c.mft_note->n_descsz = 4;
	EXPECT_NOTE_REJECT(MFT_CALL, "not larger than its alignment padding", "bad_mft_pad_only");
	fresh();
	c.mft_note->n_descsz = RIAD_MFT1_NOTE_MAX_SIZE + 1;
	c.ph[CRAFT_PH_MFT].p_filesz = 0x2000;
	EXPECT_NOTE_REJECT(MFT_CALL, "MFT1 note: descriptor size 6669 is outside [1, 6668]",
			   "bad_mft_too_large");
	fresh();
	c.mft_note->n_descsz = 0;
	EXPECT_NOTE_REJECT(MFT_CALL, "descriptor size 0 is outside", "bad_mft_zero");
	fresh();
	c.ph[CRAFT_PH_MFT].p_filesz = 100;
	EXPECT_NOTE_REJECT(MFT_CALL, "MFT1 note: descriptor size 220 exceeds its PT_NOTE segment",
			   "bad_mft_segment_short");
	fresh();
	c.mft_note->n_type = 0;
	EXPECT_NOTE_REJECT(MFT_CALL, "No Solo5 manifest found in executable", "bad_mft_missing");
	fresh();
	c.mft->version = 2;
	EXPECT_NOTE_REJECT(MFT_CALL, "Solo5 manifest is invalid: manifest version 2, expected 1", "bad_mft_version");
	fresh();
	c.mft->e[1].attached = true;
	EXPECT_NOTE_REJECT(MFT_CALL, "marked attached in the binary", "bad_mft_attached");
	fresh();
	c.mft_note->n_descsz -= 8; /* manifest shorter than its entries */
	EXPECT_NOTE_REJECT(MFT_CALL, "but 2 entries need 216", "bad_mft_size");
}

static void test_largest_manifest(void)
{
	static uint32_t types[63];
	static char names[63][8];
	static const char *pn[63];
	struct tender_error e = {{0}};

	for (int i = 0; i < 63; i++) {
		types[i] = RIAD_MFT_DEV_BLOCK_BASIC;
		snprintf(names[i], sizeof names[i], "blk%d", i);
		pn[i] = names[i];
	}
	craft_init(&c, 63, types, pn);
	craft_dump(&c, "valid_63_block");
	CHECK_INT(c.mft_note->n_descsz, RIAD_MFT1_NOTE_MAX_SIZE);
	CHECK_INT(elf_note_mft(c.buf, c.size, &mbuf.m, &msize, &e), 0);
	CHECK_INT(mbuf.m.entries, 64);
	CHECK_STR(mbuf.m.e[63].name, "blk62");
}

static void test_no_devices(void)
{
	struct tender_error e = {{0}};

	craft_init(&c, 0, NULL, NULL);
	craft_dump(&c, "valid_no_devices");
	CHECK_INT(c.mft_note->n_descsz, 116);
	CHECK_INT(elf_note_mft(c.buf, c.size, &mbuf.m, &msize, &e), 0);
	CHECK_INT(msize, 112);
}

int main(void)
{
	RUN(test_valid_image);
	RUN(test_load_copies_and_zeroes);
	RUN(test_bss_only_segment_ignored);
	RUN(test_truncated);
	RUN(test_bad_header);
	RUN(test_entry_range);
	RUN(test_segment_rules);
	RUN(test_abi_note);
	RUN(test_mft_note);
	RUN(test_largest_manifest);
	RUN(test_no_devices);
	return check_done();
}
