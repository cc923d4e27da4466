/* tender/common/elf_note.c: finds and checks the Solo5 ABI1 and MFT1 notes of a guest executable. */
#include "elf.h"
#include "mft.h"

#include <elf.h>
#include <inttypes.h>
#include <string.h>

static const char *note_type_name(uint32_t n_type)
{
	switch (n_type) {
	case RIAD_ABI1_NOTE_TYPE:
		return "ABI1";
	case RIAD_MFT1_NOTE_TYPE:
		return "MFT1";
	default:
		return "Solo5";
	}
}

const char *elf_note_target_name(uint32_t target)
{
	switch (target) {
	case RIAD_ABI_TARGET_HVT:
		return "hvt";
	case RIAD_ABI_TARGET_SPT:
		return "spt";
	case RIAD_ABI_TARGET_VIRTIO:
		return "virtio";
	case RIAD_ABI_TARGET_MUEN:
		return "muen";
	case RIAD_ABI_TARGET_GENODE:
		return "genode";
	case RIAD_ABI_TARGET_XEN:
		return "xen";
	default:
		return "unknown";
	}
}

int elf_note_find(const uint8_t *data, size_t size, uint32_t n_type, uint32_t align,
		  uint32_t max_descsz, const uint8_t **desc, size_t *desc_size,
		  struct tender_error *err)
{
	const char *tn = note_type_name(n_type);
	Elf64_Ehdr eh;
	uint32_t pad;

	if (elf_check_header(data, size, err) < 0)
		return -1;
	if (align == 0 || (align & (align - 1)) != 0 || align > 64)
		return error_set(err, "%s note: bad alignment %" PRIu32, tn, align);
	pad = ((uint32_t)sizeof(struct riad_note_hdr) + align - 1) & ~(align - 1);
	pad -= (uint32_t)sizeof(struct riad_note_hdr);
	memcpy(&eh, data, sizeof eh);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct riad_note_hdr nh;
		Elf64_Phdr ph;

		memcpy(&ph, data + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
		if (ph.p_type != PT_NOTE)
			continue;
		if (ph.p_filesz < sizeof(Elf64_Nhdr))
			return error_set(err, "PT_NOTE segment %u is too small for a note (%" PRIu64
					      " bytes)", i, ph.p_filesz);
		if (ph.p_filesz < sizeof nh)
			continue; /* too small to be a Solo5 note */
		if (ph.p_offset > size || size - ph.p_offset < sizeof nh)
			return error_set(err, "PT_NOTE segment %u lies beyond the end of the file", i);
		memcpy(&nh, data + ph.p_offset, sizeof nh);
		if (nh.n_namesz != RIAD_NOTE_NAMESZ ||
		    memcmp(nh.n_name, RIAD_NOTE_NAME, RIAD_NOTE_NAMESZ) != 0 || nh.n_type != n_type)
			continue;
		if (nh.n_descsz < 1 || nh.n_descsz > max_descsz)
			return error_set(err, "%s note: descriptor size %" PRIu32 " is outside "
					      "[1, %" PRIu32 "]", tn, nh.n_descsz, max_descsz);
		if (ph.p_filesz - sizeof nh < nh.n_descsz)
			return error_set(err, "%s note: descriptor size %" PRIu32 " exceeds its PT_NOTE "
					      "segment (%" PRIu64 " bytes)", tn, nh.n_descsz, ph.p_filesz);
		if (nh.n_descsz <= pad)
			return error_set(err, "%s note: descriptor size %" PRIu32 " is not larger than "
					      "its alignment padding (%" PRIu32 " bytes)",
					 tn, nh.n_descsz, pad);
		if (size - ph.p_offset - sizeof nh < nh.n_descsz)
			return error_set(err, "%s note: descriptor lies beyond the end of the file", tn);
		*desc = data + ph.p_offset + sizeof nh + pad;
		*desc_size = nh.n_descsz - pad;
		return 1;
	}
	return 0;
}

int elf_note_abi(const uint8_t *data, size_t size, uint32_t target, uint32_t version,
		 struct tender_error *err)
{
	struct riad_abi1_info info;
	const uint8_t *desc;
	size_t desc_size;
	int rc;

	rc = elf_note_find(data, size, RIAD_ABI1_NOTE_TYPE, RIAD_ABI1_NOTE_ALIGN,
			   RIAD_ABI1_NOTE_MAX_SIZE, &desc, &desc_size, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, "No Solo5 ABI information found in executable (no ABI1 note)");
	if (desc_size != sizeof info)
		return error_set(err, "ABI1 note: descriptor is %zu bytes, expected %zu", desc_size,
				 sizeof info);
	memcpy(&info, desc, sizeof info);
	if (info.abi_target != target)
		return error_set(err, "executable is not for the %s target (it is for %s, ABI "
				      "target %" PRIu32 ")", elf_note_target_name(target),
				 elf_note_target_name(info.abi_target), info.abi_target);
	if (info.abi_version != version)
		return error_set(err, "Executable requests unsupported ABI version %" PRIu32
				      " (this tender speaks version %" PRIu32 ")",
				 info.abi_version, version);
	return 0;
}

uint32_t elf_note_abi_flags(const uint8_t *data, size_t size)
{
	struct riad_abi1_info info;
	struct tender_error err;
	const uint8_t *desc;
	size_t desc_size;

	if (elf_note_find(data, size, RIAD_ABI1_NOTE_TYPE, RIAD_ABI1_NOTE_ALIGN,
			  RIAD_ABI1_NOTE_MAX_SIZE, &desc, &desc_size, &err) != 1 ||
	    desc_size != sizeof info)
		return 0;
	memcpy(&info, desc, sizeof info);
	return info.reserved0;
}

int elf_note_mft(const uint8_t *data, size_t size, struct riad_mft *out, size_t *out_size,
		 struct tender_error *err)
{
	const uint8_t *desc;
	size_t desc_size;
	int rc;

	rc = elf_note_find(data, size, RIAD_MFT1_NOTE_TYPE, RIAD_MFT1_NOTE_ALIGN,
			   RIAD_MFT1_NOTE_MAX_SIZE, &desc, &desc_size, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, "No Solo5 manifest found in executable (no MFT1 note)");
	/* desc_size <= RIAD_MFT1_NOTE_MAX_SIZE - pad, the size of out. */
	memcpy(out, desc, desc_size);
	if (mft_validate(out, desc_size, err) < 0) {
		struct tender_error e2 = *err;
		return error_set(err, "Solo5 manifest is invalid: %s", e2.msg);
	}
	*out_size = desc_size;
	return 0;
}
