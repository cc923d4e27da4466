/* tender/hvt/hvt_block.c: the BLOCK_WRITE and BLOCK_READ hypercalls on attached BLOCK_BASIC devices (any whole length inside the device; with riad's block extension a zero-length write is a barrier). */
#include "hvt.h"

#include <errno.h>
#include <inttypes.h>
#include <solo5.h>
#include <string.h>
#include <unistd.h>

/* The device for handle if [offset, offset + len) lies inside it, else NULL
 * (the guest gets EINVAL). Alignment is the guest's business. */
static const struct riad_mft_entry *block_check(const struct hvt *h, uint64_t handle,
						uint64_t offset, uint64_t len)
{
	const struct riad_mft_entry *e = hvt_device(h, handle, RIAD_MFT_DEV_BLOCK_BASIC);

	if (e == NULL)
		return NULL;
	if (offset >= e->u.block_basic.capacity || len > e->u.block_basic.capacity - offset)
		return NULL;
	return e;
}

static void hc_block_write(struct hvt *h, uint64_t gpa)
{
	struct riad_hvt_hc_block_write a;
	const struct riad_mft_entry *e;
	const uint8_t *p;
	uint64_t done = 0;

	memcpy(&a, hvt_guest_in(h, gpa, sizeof a, "BLOCK_WRITE struct"), sizeof a);
	p = hvt_guest_in(h, a.data, a.len, "BLOCK_WRITE data");
	e = block_check(h, a.handle, a.offset, a.len);
	if (e == NULL) {
		a.ret = SOLO5_R_EINVAL;
	} else if (a.len == 0 && (e->u.block_basic.riad_flags & RIAD_MFT_BLOCK_F_FLUSH)) {
		/* riad's barrier (abi/mft.h): offered only to guests that asked. */
		a.ret = SOLO5_R_OK;
		if (fdatasync(e->b.hostfd) < 0)
			a.ret = SOLO5_R_EUNSPEC;
	} else {
		while (done < a.len) {
			ssize_t n = pwrite(e->b.hostfd, p + done, a.len - done,
					   (off_t)(a.offset + done));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				hvt_fatal("block device '%s': write of %" PRIu64 " bytes at offset %"
					  PRIu64 " failed: %s", e->name, a.len, a.offset,
					  n < 0 ? strerror(errno) : "no progress");
			done += (uint64_t)n;
		}
		a.ret = SOLO5_R_OK;
	}
	memcpy(hvt_guest_out(h, gpa, sizeof a, "BLOCK_WRITE struct"), &a, sizeof a);
}

static void hc_block_read(struct hvt *h, uint64_t gpa)
{
	struct riad_hvt_hc_block_read a;
	const struct riad_mft_entry *e;
	uint8_t *p;
	uint64_t done = 0;

	memcpy(&a, hvt_guest_in(h, gpa, sizeof a, "BLOCK_READ struct"), sizeof a);
	(void)hvt_guest_out(h, gpa, sizeof a, "BLOCK_READ struct");
	p = hvt_guest_out(h, a.data, a.len, "BLOCK_READ data");
	e = block_check(h, a.handle, a.offset, a.len);
	if (e == NULL) {
		a.ret = SOLO5_R_EINVAL;
	} else {
		while (done < a.len) {
			ssize_t n = pread(e->b.hostfd, p + done, a.len - done,
					  (off_t)(a.offset + done));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				hvt_fatal("block device '%s': read of %" PRIu64 " bytes at offset %"
					  PRIu64 " failed: %s", e->name, a.len, a.offset,
					  n < 0 ? strerror(errno) : "the file has shrunk");
			done += (uint64_t)n;
		}
		a.ret = SOLO5_R_OK;
	}
	memcpy(hvt_guest_out(h, gpa, sizeof a, "BLOCK_READ struct"), &a, sizeof a);
}

HVT_HYPERCALL(block_write, RIAD_HVT_HYPERCALL_BLOCK_WRITE, hc_block_write);
HVT_HYPERCALL(block_read, RIAD_HVT_HYPERCALL_BLOCK_READ, hc_block_read);
