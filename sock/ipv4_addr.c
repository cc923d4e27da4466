/* sock/ipv4_addr.c: IPv4 addresses as text (riad/net.h), shared by riad's own stack and the host-socket stack. */
#include <stdio.h>

#include <riad/net.h>

int riad_ipv4_parse(const char *s, uint32_t *out)
{
	uint32_t addr = 0;
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255)
			return -RIAD_EINVAL;
		addr = addr << 8 | v;
		if (i < 3 && *s++ != '.')
			return -RIAD_EINVAL;
	}
	if (*s)
		return -RIAD_EINVAL;
	*out = addr;
	return 0;
}

char *riad_ipv4_format(uint32_t a, char buf[RIAD_IPV4_STRLEN])
{
	snprintf(buf, RIAD_IPV4_STRLEN, "%u.%u.%u.%u", (unsigned)(a >> 24), (unsigned)(a >> 16 & 255),
	         (unsigned)(a >> 8 & 255), (unsigned)(a & 255));
	return buf;
}
