/* bench/tap_ceiling.c: how many MTU-sized frames a trivial C program moves
 * through a Linux tap per second, one read() or write() per frame: the
 * ceiling of the tap I/O path that riad's network benchmarks compare with.
 * Run by bench/tap_ceiling.sh inside a namespace it makes.
 *
 *   tap_ceiling write TAP SECONDS   program -> kernel: UDP datagrams to the
 *                                   kernel's 10.203.0.1:9 (no listener: the
 *                                   kernel takes each up to UDP and drops it)
 *   tap_ceiling read TAP SECONDS    kernel -> program: a thread sends UDP
 *                                   datagrams to 10.203.0.2:9 through the
 *                                   tap (static neighbour entry), the main
 *                                   thread reads them off the tap
 *   tap_ceiling send TAP SECONDS    only that sender, for another reader
 *                                   (riad's, in bench/tap_ceiling.sh)
 *
 * The sender segments as cheaply as Linux's TCP does: with UDP_SEGMENT
 * (UDP GSO) each sendmmsg entry is one 64 KB datagram that goes down the
 * stack as one packet and is cut into MTU-sized frames (checksums done in
 * software, the tap having no offloads) only at the device, as TCP's 64 KB
 * GSO packets are; so the read ceiling is what one read() per frame takes
 * when the kernel's side costs what it costs an iperf3 client. Where the
 * kernel refuses UDP_SEGMENT, or with the mode names read-dgram and
 * send-dgram, it sends one MTU-sized datagram per sendmmsg entry instead,
 * each going through UDP and IP alone (the ceiling earlier versions
 * measured, lower because of the sender's side).
 *
 * Prints one line per run: frames/s and Gbit/s counting whole Ethernet
 * frames (MTU + 14 bytes), plus what the kernel's counters say arrived;
 * then a line "counters: ..." with the tap's own counters over the timed
 * window (tx: frames the program read, rx: frames it wrote; the same
 * counters the network benchmarks read for riad, so both are counted one
 * way) and the CPU each thread used as a fraction of one core. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define KERNEL_IP "10.203.0.1"
#define PROGRAM_IP "10.203.0.2"
static const uint8_t program_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/* The tap's counter NAME (tx_bytes, rx_packets...) from sysfs, -1 if unreadable. */
static long long tap_stat(const char *tap, const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", tap, name);
	FILE *f = fopen(path, "r");
	long long v = -1;
	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static double cpu_s(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "tap_ceiling: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The interface's MTU and the kernel side's MAC address. */
static void tap_ceiling_mtu(const char *name, uint8_t mac[6], int *mtu)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || ioctl(s, SIOCGIFMTU, &ifr) < 0)
		die("SIOCGIFMTU");
	*mtu = ifr.ifr_mtu;
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR");
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(s);
}

static int tap_open(const char *name, uint8_t mac[6], int *mtu)
{
	struct ifreq ifr;
	tap_ceiling_mtu(name, mac, mtu);
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("/dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		die("TUNSETIFF");
	return fd;
}

/* A counter from /proc/net/snmp ("Udp", "NoPorts"), of this namespace. */
static long long snmp(const char *proto, const char *field)
{
	FILE *f = fopen("/proc/net/snmp", "r");
	if (!f)
		return -1;
	char names[4096], values[4096];
	long long v = -1;
	size_t plen = strlen(proto);
	while (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		if (strncmp(names, proto, plen) != 0 || names[plen] != ':')
			continue;
		char *sn, *sv;
		char *n = strtok_r(names + plen + 1, " \n", &sn);
		char *val = strtok_r(values + plen + 1, " \n", &sv);
		while (n && val) {
			if (strcmp(n, field) == 0)
				v = atoll(val);
			n = strtok_r(NULL, " \n", &sn);
			val = strtok_r(NULL, " \n", &sv);
		}
	}
	fclose(f);
	return v;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void report(const char *dir, double frames, double secs, int mtu, const char *extra)
{
	double fps = frames / secs;
	printf("tap ceiling, %s: %.0f frames/s, %.2f Gbit/s (%d-byte frames, %.1f s)%s\n", dir, fps,
	       fps * (mtu + 14) * 8 / 1e9, mtu + 14, secs, extra);
}

static void run_write(const char *tap, double secs)
{
	uint8_t kmac[6];
	int mtu;
	int fd = tap_open(tap, kmac, &mtu);
	size_t len = (size_t)mtu + 14;
	uint8_t *f = calloc(1, len);
	memcpy(f, kmac, 6);
	memcpy(f + 6, program_mac, 6);
	f[12] = 0x08;
	uint8_t *ip = f + 14, *udp = ip + 20;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(mtu >> 8), ip[3] = (uint8_t)mtu;
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 17;
	inet_pton(AF_INET, PROGRAM_IP, ip + 12);
	inet_pton(AF_INET, KERNEL_IP, ip + 16);
	uint16_t c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
	udp[0] = 0x27, udp[1] = 0x0f; /* 9999 */
	udp[3] = 9;
	udp[4] = (uint8_t)((mtu - 20) >> 8), udp[5] = (uint8_t)(mtu - 20);
	/* UDP checksum 0: none (RFC 768), so the kernel checks nothing. */

	long long noports0 = snmp("Udp", "NoPorts");
	long long rb0 = tap_stat(tap, "rx_bytes"), rp0 = tap_stat(tap, "rx_packets");
	double c0 = cpu_s(CLOCK_THREAD_CPUTIME_ID);
	double t0 = now_s(), t = t0;
	unsigned long long n = 0, errors = 0;
	while (t - t0 < secs) {
		for (int i = 0; i < 1024; i++) {
			if (write(fd, f, len) == (ssize_t)len)
				n++;
			else
				errors++;
		}
		t = now_s();
	}
	double el = t - t0;
	double cpu = cpu_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	long long rb = tap_stat(tap, "rx_bytes") - rb0, rp = tap_stat(tap, "rx_packets") - rp0;
	long long arrived = snmp("Udp", "NoPorts") - noports0;
	char extra[160];
	snprintf(extra, sizeof(extra), "; %.0f/s reached the kernel's UDP (%.1f%%), %llu write errors",
	         arrived / el, n ? 100.0 * (double)arrived / (double)n : 0, errors);
	report("program -> kernel (write)", (double)n, el, mtu, extra);
	printf("counters: tap rx %.0f frames/s %.3f Gbit/s; CPU writer %.3f core\n", rp / el,
	       (double)rb * 8 / el / 1e9, cpu / el);
	close(fd);
	free(f);
}

static atomic_bool stop;
static atomic_ullong sent;
static bool use_gso = true;
static int gso_segs; /* frames per datagram sent: > 1 with UDP_SEGMENT */

static void *sender(void *arg)
{
	int mtu = *(int *)arg;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	inet_pton(AF_INET, PROGRAM_IP, &to.sin_addr);
	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)) < 0)
		die("sender socket");
	int seg = mtu - 28;
	size_t plen = (size_t)seg;
	int segs = 1;
	/* As many segments as fit a 64 KB datagram (44 of 1472 bytes at MTU
	 * 1500): the size of TCP's GSO packets. */
	if (use_gso && setsockopt(s, SOL_UDP, UDP_SEGMENT, &seg, sizeof(seg)) == 0) {
		segs = 65507 / seg;
		if (segs > 64)
			segs = 64; /* UDP_MAX_SEGMENTS of older kernels */
		plen = (size_t)seg * (size_t)segs;
	}
	gso_segs = segs;
	char *payload = calloc(1, plen);
	enum { BATCH = 64 };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ payload, plen };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (!atomic_load(&stop)) {
		int r = sendmmsg(s, msgs, segs > 1 ? 4 : BATCH, 0);
		if (r > 0)
			atomic_fetch_add(&sent, (unsigned long long)r * (unsigned long long)segs);
		else
			sched_yield(); /* ENOBUFS: the tap's queue is full */
	}
	free(payload);
	close(s);
	return NULL;
}

static void run_read(const char *tap, double secs)
{
	uint8_t kmac[6];
	int mtu;
	int fd = tap_open(tap, kmac, &mtu);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		die("O_NONBLOCK");
	static uint8_t buf[65536];
	pthread_t th;
	if (pthread_create(&th, NULL, sender, &mtu) != 0)
		die("pthread_create");
	/* Let the sender fill the pipe first. */
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	poll(&pfd, 1, 1000);
	unsigned long long n = 0, other = 0, sent0 = atomic_load(&sent);
	long long tb0 = tap_stat(tap, "tx_bytes"), tp0 = tap_stat(tap, "tx_packets");
	clockid_t sclk;
	if (pthread_getcpuclockid(th, &sclk) != 0)
		sclk = CLOCK_THREAD_CPUTIME_ID;
	double c0 = cpu_s(CLOCK_THREAD_CPUTIME_ID), sc0 = cpu_s(sclk);
	double t0 = now_s(), t = t0;
	while (t - t0 < secs) {
		for (int i = 0; i < 1024; i++) {
			ssize_t r = read(fd, buf, sizeof(buf));
			if (r == (ssize_t)mtu + 14) {
				n++;
			} else if (r >= 0) {
				other++;
			} else if (errno == EAGAIN) {
				poll(&pfd, 1, 100);
			}
		}
		t = now_s();
	}
	double el = t - t0;
	double cpu = cpu_s(CLOCK_THREAD_CPUTIME_ID) - c0, scpu = cpu_s(sclk) - sc0;
	long long tb = tap_stat(tap, "tx_bytes") - tb0, tp = tap_stat(tap, "tx_packets") - tp0;
	unsigned long long s = atomic_load(&sent) - sent0;
	atomic_store(&stop, true);
	pthread_join(th, NULL);
	char extra[160];
	snprintf(extra, sizeof(extra), "; the sender sent %.0f/s (%s), %llu other frames",
	         (double)s / el, gso_segs > 1 ? "UDP_SEGMENT, 64 KB sends" : "one datagram a frame",
	         other);
	report("kernel -> program (read)", (double)n, el, mtu, extra);
	printf("counters: tap tx %.0f frames/s %.3f Gbit/s; CPU reader %.3f core, sender %.3f core\n",
	       tp / el, (double)tb * 8 / el / 1e9, cpu / el, scpu / el);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc == 4 && (strcmp(argv[1], "read-dgram") == 0 || strcmp(argv[1], "send-dgram") == 0)) {
		use_gso = false;
		argv[1][4] = 0; /* "read" or "send" */
	}
	if (argc != 4 || (strcmp(argv[1], "write") != 0 && strcmp(argv[1], "read") != 0 &&
	                  strcmp(argv[1], "send") != 0)) {
		fprintf(stderr, "usage: tap_ceiling write|read|send|read-dgram|send-dgram TAP SECONDS\n");
		return 64;
	}
	double secs = atof(argv[3]);
	if (strcmp(argv[1], "write") == 0) {
		run_write(argv[2], secs);
	} else if (strcmp(argv[1], "read") == 0) {
		run_read(argv[2], secs);
	} else {
		uint8_t kmac[6];
		int mtu;
		tap_ceiling_mtu(argv[2], kmac, &mtu);
		pthread_t th;
		if (pthread_create(&th, NULL, sender, &mtu) != 0)
			die("pthread_create");
		usleep((useconds_t)(secs * 1e6));
		atomic_store(&stop, true);
		pthread_join(th, NULL);
	}
	return 0;
}
