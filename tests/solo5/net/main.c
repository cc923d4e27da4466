/* tests/solo5/net: a net device: acquire it, send a frame, wait in solo5_yield until the host answers, read the answer (tests/e2e/solo5-net.t plays the host with an AF_PACKET socket on the tap). */
#include <riad/devices.h>

#include "../common.h"

RIAD_DEVICE_NET(service0);

#define ETHERTYPE_HI 0x88 /* 0x88b5: IEEE local experimental */
#define ETHERTYPE_LO 0xb5
#define FRAME_MIN 64
#define NS_PER_MS 1000000ull

static const char ping[] = "riad ping";
static const char pong[] = "riad pong";

static int same(const uint8_t *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != (uint8_t)b[i])
			return 0;
	return 1;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	solo5_handle_t h;
	struct solo5_net_info ni;
	if (solo5_net_acquire("service0", &h, &ni) != SOLO5_R_OK)
		return T_FAILURE("cannot acquire 'service0'");
	t_puts("mac ");
	for (int i = 0; i < SOLO5_NET_ALEN; i++) {
		char hx[3] = { "0123456789abcdef"[ni.mac_address[i] >> 4],
			       "0123456789abcdef"[ni.mac_address[i] & 15], i < 5 ? ':' : ' ' };
		solo5_console_write(hx, 3);
	}
	t_puts("mtu ");
	t_putdec(ni.mtu);
	t_puts("\n");

	size_t bufsize = ni.mtu + SOLO5_NET_HLEN, n;
	uint8_t *frame = (uint8_t *)si->heap_start, *buf = frame + FRAME_MIN;
	if (solo5_net_read(h, buf, bufsize - 1, &n) != SOLO5_R_EINVAL)
		return T_FAILURE("a read buffer smaller than mtu + 14 was accepted");
	for (int i = 0; i < 6; i++) {
		frame[i] = 0xff;
		frame[6 + i] = ni.mac_address[i];
	}
	frame[12] = ETHERTYPE_HI;
	frame[13] = ETHERTYPE_LO;
	for (size_t i = 0; i < sizeof(ping) - 1; i++)
		frame[14 + i] = (uint8_t)ping[i];

	/* Ping every 500 ms until the host answers (it may start listening
	 * after the first one), for at most 20 s. */
	for (int tries = 0; tries < 40; tries++) {
		if (solo5_net_write(h, frame, FRAME_MIN) != SOLO5_R_OK)
			return T_FAILURE("solo5_net_write failed");
		solo5_time_t deadline = solo5_clock_monotonic() + 500 * NS_PER_MS;
		while (solo5_clock_monotonic() < deadline) {
			solo5_handle_set_t ready = 0;
			solo5_yield(deadline, &ready);
			if (ready & ~(1ull << h))
				return T_FAILURE("yield reported a handle that is not ours");
			if (!(ready & (1ull << h)))
				continue;
			while (solo5_net_read(h, buf, bufsize, &n) == SOLO5_R_OK) {
				if (n >= 14 + sizeof(pong) - 1 && buf[12] == ETHERTYPE_HI &&
				    buf[13] == ETHERTYPE_LO && same(buf, (const char *)ni.mac_address, 6) &&
				    same(buf + 14, pong, sizeof(pong) - 1)) {
					t_puts("got the answer\n");
					return T_SUCCESS();
				}
			}
		}
	}
	return T_FAILURE("no answer from the host");
}
