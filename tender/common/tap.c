/* tender/common/tap.c: opening an existing tap interface or a passed-in descriptor, and MAC addresses. */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

_Static_assert(TAP_IFNAME_MAX == IFNAMSIZ - 1, "interface name length");

/* Parses "@N"; -1 if malformed. */
static int parse_fd(const char *s)
{
	long v = 0;

	if (s[0] != '@' || s[1] == '\0')
		return -1;
	for (const char *p = s + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	return (int)v;
}

int tap_check_source(const char *source, struct tender_error *err)
{
	size_t n = strlen(source);

	if (source[0] == '@') {
		if (parse_fd(source) < 0)
			return error_set(err, "'%s': expected @N with N a descriptor number", source);
		return 0;
	}
	if (n == 0)
		return error_set(err, "missing interface name");
	if (n > TAP_IFNAME_MAX)
		return error_set(err, "interface name '%s' is %zu characters, at most %d", source, n,
				 TAP_IFNAME_MAX);
	if (strchr(source, '/') != NULL || strchr(source, '%') != NULL)
		return error_set(err, "interface name '%s' holds '/' or '%%'", source);
	return 0;
}

/* The MTU of the tap behind a passed-in descriptor, or 1500 if it is not
 * one (a socket or pipe that an orchestrator or a test wires up). */
static int fd_mtu(int fd)
{
	struct ifreq ifr;
	int sock, mtu = 1500;

	memset(&ifr, 0, sizeof ifr);
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return mtu;
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return mtu;
	if (ioctl(sock, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	close(sock);
	return mtu;
}

/* Turns GRO and GSO off (on == 0) or back on (errors ignored: not every
 * interface has them). */
static void gro_gso(int sock, const char *ifname, uint32_t on)
{
	static const uint32_t cmds[] = {ETHTOOL_SGRO, ETHTOOL_SGSO};

	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		struct ethtool_value ev = {.cmd = cmds[i], .data = on};
		struct ifreq ifr;

		memset(&ifr, 0, sizeof ifr);
		memcpy(ifr.ifr_name, ifname, strlen(ifname));
		ifr.ifr_data = (void *)&ev;
		(void)ioctl(sock, SIOCETHTOOL, &ifr);
	}
}

/* A descriptor attached to the tap ifname with flags, or -1 with err set
 * (if not NULL). */
static int attach(const char *ifname, short flags, struct tender_error *err)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC), e;

	if (fd < 0) {
		if (err != NULL)
			error_set(err, "/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = flags;
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		e = errno;
		close(fd);
		if (err != NULL)
			error_set(err, "interface '%s': cannot attach as a tap (%s)", ifname,
				  strerror(e));
		return -1;
	}
	if (strncmp(ifr.ifr_name, ifname, IFNAMSIZ) != 0) {
		close(fd);
		if (err != NULL)
			error_set(err, "interface '%s': the kernel attached '%.*s' instead", ifname,
				  IFNAMSIZ, ifr.ifr_name);
		return -1;
	}
	return fd;
}

/* The tap with offloads: the virtio-net header before every frame (10
 * bytes, no mergeable buffers) and the host taking and giving partial
 * checksums and TCP/IPv4 segments of up to 64 KiB. -1 if the kernel
 * refuses any of it (IFF_VNET_HDR cannot be dropped from an attached
 * descriptor, so the caller then attaches afresh). */
static int attach_vnet(const char *ifname)
{
	int fd = attach(ifname, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, NULL), sz = 10;

	if (fd < 0)
		return -1;
	if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0 ||
	    ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int tap_attach(const char *source, int *mtu, struct tender_error *err)
{
	return tap_attach_ex(source, false, mtu, NULL, err);
}

int tap_attach_ex(const char *source, bool offload, int *mtu, bool *vnet,
		  struct tender_error *err)
{
	struct ifreq ifr;
	int fd = -1, sock, e;
	bool on;

	if (tap_check_source(source, err) < 0)
		return -1;
	if (vnet != NULL)
		*vnet = false;
	if (source[0] == '@') {
		fd = parse_fd(source);
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
			return error_set(err, "descriptor %d: %s", fd, strerror(errno));
		*mtu = fd_mtu(fd);
		return fd;
	}
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return error_set(err, "%s: socket: %s", source, strerror(errno));
	/* Without this check, TUNSETIFF would create a new interface. */
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, source, strlen(source));
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
		e = errno;
		close(sock);
		if (e == ENODEV)
			return error_set(err, "interface '%s' does not exist (create it first, e.g. "
					      "ip tuntap add %s mode tap)", source, source);
		return error_set(err, "interface '%s': %s", source, strerror(e));
	}
	if (!(ifr.ifr_flags & IFF_UP)) {
		close(sock);
		return error_set(err, "interface '%s' is down (ip link set %s up)", source, source);
	}
	/* Offloads if asked and the kernel takes them; else plainly, which
	 * meets and explains any other failure (busy, no permission). */
	if (offload)
		fd = attach_vnet(source);
	on = fd >= 0;
	if (vnet != NULL)
		*vnet = on;
	if (fd < 0) {
		fd = attach(source, IFF_TAP | IFF_NO_PI, err);
		if (fd < 0) {
			close(sock);
			return -1;
		}
		/* The offloads belong to the interface and outlive the last
		 * process that set them (riad-spt cannot clear them once its
		 * guest runs): a plain user must not be handed 64 KiB frames. */
		(void)ioctl(fd, TUNSETOFFLOAD, 0);
	}
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, source, strlen(source));
	if (ioctl(sock, SIOCGIFMTU, &ifr) < 0) {
		e = errno;
		close(fd);
		close(sock);
		return error_set(err, "interface '%s': cannot read its MTU (%s)", source, strerror(e));
	}
	*mtu = ifr.ifr_mtu;
	/* Plain: no frame beyond the MTU. With offloads the kernel's
	 * defaults again, in case a plain attach turned them off. */
	gro_gso(sock, source, on);
	close(sock);
	return fd;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool tap_mac_parse(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hex(s[3 * i]), lo = hex(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

int tap_mac_generate(uint8_t mac[6], struct tender_error *err)
{
	if (getrandom(mac, 6, 0) != 6)
		return error_set(err, "cannot generate a MAC address: getrandom: %s", strerror(errno));
	mac[0] &= 0xfe; /* unicast */
	mac[0] |= 0x02; /* locally administered */
	return 0;
}
