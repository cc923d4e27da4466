/* runtime/strerror.c: riad_strerror(), a short text for each RIAD_E* value of riad/errno.h. */
#include <limits.h>
#include <stddef.h>

#include <riad/errno.h>

static const struct {
	int err;
	const char *text;
} texts[] = {
	{ 0, "success" },
	{ RIAD_ENOENT, "no such entry" },
	{ RIAD_EINTR, "interrupted" },
	{ RIAD_EIO, "input/output error" },
	{ RIAD_EAGAIN, "try again" },
	{ RIAD_ENOMEM, "out of memory" },
	{ RIAD_EACCES, "access refused (wrong key?)" },
	{ RIAD_EBUSY, "busy (already open)" },
	{ RIAD_EEXIST, "already exists" },
	{ RIAD_ENODEV, "no such device" },
	{ RIAD_ENOTDIR, "not a dictionary" },
	{ RIAD_EISDIR, "is a dictionary" },
	{ RIAD_EINVAL, "invalid argument" },
	{ RIAD_EFBIG, "too large" },
	{ RIAD_ENOSPC, "no space left" },
	{ RIAD_EROFS, "read-only" },
	{ RIAD_EPIPE, "broken pipe" },
	{ RIAD_ERANGE, "out of range" },
	{ RIAD_ENAMETOOLONG, "name too long" },
	{ RIAD_ENOTEMPTY, "not empty" },
	{ RIAD_EBADMSG, "bad data (failed checksum, authentication or format)" },
	{ RIAD_EMSGSIZE, "message too long" },
	{ RIAD_ENOTSUP, "not supported" },
	{ RIAD_EADDRINUSE, "address in use" },
	{ RIAD_EADDRNOTAVAIL, "address not available" },
	{ RIAD_ENETDOWN, "network is down" },
	{ RIAD_ENETUNREACH, "network unreachable" },
	{ RIAD_ECONNRESET, "connection reset" },
	{ RIAD_ENOBUFS, "no buffer space" },
	{ RIAD_ENOTCONN, "not connected" },
	{ RIAD_ETIMEDOUT, "timed out" },
	{ RIAD_ECONNREFUSED, "connection refused" },
	{ RIAD_EHOSTUNREACH, "host unreachable" },
};

const char *riad_strerror(int err)
{
	if (err < 0 && err != INT_MIN)
		err = -err;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].err == err)
			return texts[i].text;
	return "unknown error";
}
