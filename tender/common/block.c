/* tender/common/block.c: the block module: --block:NAME=PATH and --block-sector-size:NAME=N for BLOCK_BASIC devices. */
#include "block.h"
#include "elf.h"
#include "mft.h"
#include "tender.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

int block_sector_parse(const char *s, uint32_t *sector, struct tender_error *err)
{
	uint64_t v = 0;

	if (*s == '\0')
		return error_set(err, "missing sector size");
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > BLOCK_SECTOR_MAX)
			return error_set(err, "Block size must be a multiple of 2 greater than or "
					      "equal 512 (sector size '%s' must be a power of two "
					      "from %u to %u)", s, BLOCK_SECTOR_MIN, BLOCK_SECTOR_MAX);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v < BLOCK_SECTOR_MIN || v > BLOCK_SECTOR_MAX || (v & (v - 1)) != 0)
		return error_set(err, "Block size must be a multiple of 2 greater than or equal "
				      "512 (sector size %s must be a power of two from %u to %u)", s,
				 BLOCK_SECTOR_MIN, BLOCK_SECTOR_MAX);
	*sector = (uint32_t)v;
	return 0;
}

int block_attach(const char *path, uint32_t sector, uint64_t *capacity, struct tender_error *err)
{
	off_t end;
	int fd, e;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, "Could not open block device: %s: %s", path, strerror(errno));
	end = lseek(fd, 0, SEEK_END);
	if (end < 0) {
		e = errno;
		close(fd);
		return error_set(err, "%s: Could not determine capacity: %s", path, strerror(e));
	}
	if ((uint64_t)end % sector != 0) {
		close(fd);
		return error_set(err, "%s: Backing storage size must be block aligned (%" PRIu32
				      " bytes); it is %" PRIu64 " bytes", path, sector, (uint64_t)end);
	}
	if ((uint64_t)end < sector) {
		close(fd);
		return error_set(err, "%s: Backing storage must be at least 1 block (%" PRIu32
				      " bytes) in size", path, sector);
	}
	*capacity = (uint64_t)end;
	return fd;
}

static int block_parse(struct tender *t, const char *arg, struct tender_error *err)
{
	const char *value;
	int i;

	i = args_attach(t, arg, "--block:", RIAD_MFT_DEV_BLOCK_BASIC, &value, err);
	if (i != 0) {
		if (i < 0)
			return -1;
		if (*value == '\0')
			return error_set(err, "%s: missing PATH", arg);
		t->dev[i].source = value;
		return 1;
	}
	i = args_device(t, arg, "--block-sector-size:", RIAD_MFT_DEV_BLOCK_BASIC, &value, err);
	if (i != 0) {
		if (i < 0)
			return -1;
		if (block_sector_parse(value, &t->dev[i].sector_size, err) < 0) {
			struct tender_error e2 = *err;
			return error_set(err, "%s: %s", arg, e2.msg);
		}
		return 1;
	}
	return 0;
}

/* riad's block extension on spt costs two seccomp rules per allowed
 * request size and device; BPF programs are capped at 4096 instructions,
 * so the sizes offered shrink as devices multiply (63 devices: 1 and 2). */
#define BLOCK_EXT_RULES 256u

static int block_attach_all(struct tender *t, struct tender_error *err)
{
	uint32_t ndev = 0, levels;

	for (uint32_t i = 1; i < t->mft->entries; i++)
		if (t->mft->e[i].type == RIAD_MFT_DEV_BLOCK_BASIC && t->dev[i].source != NULL)
			ndev++;
	levels = ndev ? BLOCK_EXT_RULES / (2 * ndev) : 1;
	for (uint32_t i = 1; i < t->mft->entries; i++) {
		struct riad_mft_entry *e = &t->mft->e[i];
		struct tender_dev *d = &t->dev[i];
		uint32_t sector = d->sector_size ? d->sector_size : BLOCK_SECTOR_DEFAULT;
		uint64_t capacity;
		int fd;

		if (e->type != RIAD_MFT_DEV_BLOCK_BASIC || d->source == NULL)
			continue;
		fd = block_attach(d->source, sector, &capacity, err);
		if (fd < 0)
			return -1;
		e->u.block_basic.capacity = capacity;
		e->u.block_basic.block_size = (uint16_t)sector;
		if (t->abi_flags & RIAD_ABI1_F_BLOCK_EXT) {
			/* riad's block extension (abi/mft.h), for guests that ask. */
			uint32_t max = 1;

			for (uint32_t l = 1; l < levels && max * 2 <= 32768u &&
					     (uint64_t)max * 2 * sector <= BLOCK_EXT_MAX_BYTES &&
					     (uint64_t)max * 2 * sector <= capacity; l++)
				max *= 2;
			e->u.block_basic.riad_max_blocks = (uint16_t)max;
			e->u.block_basic.riad_flags = RIAD_MFT_BLOCK_F_FLUSH;
		}
		e->b.hostfd = fd;
		e->attached = true;
	}
	return 0;
}

TENDER_MODULE(block, .name = "block",
	      .usage = "  --block:NAME=PATH\n"
		       "                   attach block device NAME to the file or device PATH\n"
		       "  --block-sector-size:NAME=N\n"
		       "                   its sector size: a power of two from 512 to 32768 (default 512)\n",
	      .parse = block_parse, .attach = block_attach_all);
