/* tender/common/elf.c: checks and loads the PT_LOAD segments of a Solo5 guest executable. */
#include "elf.h"

#include <elf.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__x86_64__)
#define ELF_HOST_MACHINE EM_X86_64
#define ELF_HOST_MACHINE_NAME "x86-64"
#elif defined(__aarch64__)
#define ELF_HOST_MACHINE EM_AARCH64
#define ELF_HOST_MACHINE_NAME "AArch64"
#else
#error "riad tenders support x86_64 and aarch64 hosts"
#endif

static bool is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* [off, off + len) inside a file of size bytes, without overflow. */
static bool file_range_ok(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

int elf_check_header(const uint8_t *data, size_t size, struct tender_error *err)
{
	Elf64_Ehdr eh;

	if (size < sizeof eh)
		return error_set(err, "file too short for an ELF header (%zu bytes, need %zu)", size,
				 sizeof eh);
	memcpy(&eh, data, sizeof eh);
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return error_set(err, "not an ELF file (bad magic)");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return error_set(err, "not a 64-bit ELF file (class %u)", eh.e_ident[EI_CLASS]);
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return error_set(err, "not a little-endian ELF file (data encoding %u)",
				 eh.e_ident[EI_DATA]);
	if (eh.e_version != EV_CURRENT)
		return error_set(err, "unsupported ELF version %" PRIu32, eh.e_version);
	if (eh.e_ehsize != sizeof(Elf64_Ehdr))
		return error_set(err, "ELF header size is %u, expected %zu", eh.e_ehsize,
				 sizeof(Elf64_Ehdr));
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return error_set(err, "program header entry size is %u, expected %zu", eh.e_phentsize,
				 sizeof(Elf64_Phdr));
	if (eh.e_phnum < 1)
		return error_set(err, "no program headers");
	if (eh.e_type != ET_EXEC)
		return error_set(err, "not a static executable (e_type %u, expected ET_EXEC)",
				 eh.e_type);
	if (eh.e_machine != ELF_HOST_MACHINE)
		return error_set(err, "not an " ELF_HOST_MACHINE_NAME " executable (e_machine %u)",
				 eh.e_machine);
	if (!file_range_ok(size, eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr)))
		return error_set(err, "program headers (%u at offset %" PRIu64 ") lie beyond the end "
				      "of the file (%zu bytes)", eh.e_phnum, eh.e_phoff, size);
	return 0;
}

/* Checks one PT_LOAD segment i against the previous ones (*last_vaddr,
 * *end) and advances them; *start_out and *end_out get its aligned range. */
static int check_segment(const Elf64_Phdr *ph, unsigned i, size_t size, uint64_t mem_size,
			 uint64_t *last_vaddr, uint64_t *end, uint64_t *start_out, uint64_t *end_out,
			 struct tender_error *err)
{
	uint64_t start, stop;

	if (!file_range_ok(size, ph->p_offset, ph->p_filesz))
		return error_set(err, "segment %u: file data (%" PRIu64 " bytes at offset %" PRIu64
				      ") lies beyond the end of the file (%zu bytes)",
				 i, ph->p_filesz, ph->p_offset, size);
	if (ph->p_vaddr < ELF_MIN_LOAD_ADDR)
		return error_set(err, "segment %u: p_vaddr 0x%" PRIx64 " is below the lowest load "
				      "address 0x%x", i, ph->p_vaddr, ELF_MIN_LOAD_ADDR);
	if (ph->p_vaddr < *last_vaddr)
		return error_set(err, "segment %u: p_vaddr 0x%" PRIx64 " is below the previous "
				      "segment's 0x%" PRIx64 " (segments must be sorted)",
				 i, ph->p_vaddr, *last_vaddr);
	if (!is_pow2(ph->p_align))
		return error_set(err, "segment %u: p_align 0x%" PRIx64 " is not a power of two", i,
				 ph->p_align);
	start = ph->p_vaddr & ~(ph->p_align - 1);
	if (start < ELF_MIN_LOAD_ADDR)
		return error_set(err, "segment %u: aligned start 0x%" PRIx64 " is below the lowest "
				      "load address 0x%x", i, start, ELF_MIN_LOAD_ADDR);
	if (start < *end)
		return error_set(err, "segment %u: overlaps the previous segment (starts at 0x%" PRIx64
				      ", previous ends at 0x%" PRIx64 ")", i, start, *end);
	if (ph->p_filesz > ph->p_memsz)
		return error_set(err, "segment %u: p_filesz %" PRIu64 " is larger than p_memsz %" PRIu64,
				 i, ph->p_filesz, ph->p_memsz);
	if (ph->p_memsz > UINT64_MAX - ph->p_vaddr ||
	    ph->p_vaddr + ph->p_memsz > UINT64_MAX - (ph->p_align - 1))
		return error_set(err, "segment %u: end address overflows (p_vaddr 0x%" PRIx64
				      ", p_memsz 0x%" PRIx64 ")", i, ph->p_vaddr, ph->p_memsz);
	stop = (ph->p_vaddr + ph->p_memsz + (ph->p_align - 1)) & ~(ph->p_align - 1);
	if (stop > mem_size)
		return error_set(err, "segment %u: ends at 0x%" PRIx64 ", beyond guest memory "
				      "(0x%" PRIx64 " bytes)", i, stop, mem_size);
	if ((start | stop) & (ELF_PAGE_SIZE - 1))
		return error_set(err, "segment %u: aligned range 0x%" PRIx64 "-0x%" PRIx64
				      " is not page aligned", i, start, stop);
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return error_set(err, "segment %u: is both writable and executable", i);
	*last_vaddr = ph->p_vaddr;
	if (stop > *end)
		*end = stop;
	*start_out = start;
	*end_out = stop;
	return 0;
}

static bool is_loaded(const Elf64_Phdr *ph)
{
	return ph->p_type == PT_LOAD && ph->p_filesz > 0;
}

static void read_phdr(const uint8_t *data, const Elf64_Ehdr *eh, unsigned i, Elf64_Phdr *ph)
{
	memcpy(ph, data + eh->e_phoff + (uint64_t)i * sizeof *ph, sizeof *ph);
}

int elf_check(const uint8_t *data, size_t size, uint64_t mem_size, struct elf_loaded *out,
	      struct tender_error *err)
{
	Elf64_Ehdr eh;
	uint64_t last_vaddr = 0, end = 0, start_i, end_i;

	if (elf_check_header(data, size, err) < 0)
		return -1;
	memcpy(&eh, data, sizeof eh);
	if (eh.e_entry < ELF_MIN_LOAD_ADDR || eh.e_entry >= mem_size)
		return error_set(err, "entry point 0x%" PRIx64 " outside guest memory "
				      "[0x%x, 0x%" PRIx64 ")", eh.e_entry, ELF_MIN_LOAD_ADDR, mem_size);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		read_phdr(data, &eh, i, &ph);
		if (!is_loaded(&ph))
			continue;
		if (check_segment(&ph, i, size, mem_size, &last_vaddr, &end, &start_i, &end_i, err) < 0)
			return -1;
	}
	if (end == 0)
		return error_set(err, "no loadable segment");
	out->entry = eh.e_entry;
	out->end = end;
	return 0;
}

static int segment_prot(const Elf64_Phdr *ph)
{
	int prot = PROT_NONE;

	if (ph->p_flags & PF_R)
		prot |= PROT_READ;
	if (ph->p_flags & PF_W)
		prot |= PROT_WRITE;
	if (ph->p_flags & PF_X)
		prot |= PROT_EXEC;
	return prot;
}

int elf_load(const uint8_t *data, size_t size, const struct guest_mem *gm, elf_protect_fn protect,
	     void *arg, struct elf_loaded *out, struct tender_error *err)
{
	Elf64_Ehdr eh;
	uint64_t last_vaddr = 0, end = 0, start, stop;

	if (elf_check(data, size, gm->size, out, err) < 0)
		return -1;
	memcpy(&eh, data, sizeof eh);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint8_t *dst;

		read_phdr(data, &eh, i, &ph);
		if (!is_loaded(&ph))
			continue;
		/* Checked by elf_check(); repeated for start and stop. */
		if (check_segment(&ph, i, size, gm->size, &last_vaddr, &end, &start, &stop, err) < 0)
			return -1;
		dst = guest_ptr(gm, start, stop - start);
		if (dst == NULL)
			return error_set(err, "segment %u: 0x%" PRIx64 "-0x%" PRIx64 " is outside "
					      "the tender's guest memory", i, start, stop);
		dst += ph.p_vaddr - start;
		memcpy(dst, data + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
		if (protect != NULL && protect(arg, start, stop, segment_prot(&ph)) < 0)
			return error_set(err, "segment %u: cannot apply its permissions", i);
	}
	return 0;
}
