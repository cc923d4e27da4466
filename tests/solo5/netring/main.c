/* tests/solo5/netring: hvt's net ring (SOLO5-ABI.md 4.7) seen from the guest: whether the tender offers one (the boot info), how many ring entries the bindings publish for a burst of small frames and for one larger than a ring slot's buffer (an entry too, pointing at the frame where it is), and a large answer read back (tests/e2e/hvt-ring.t plays the host). */
#include <riad/devices.h>

#include "../common.h"

RIAD_DEVICE_NET(service0);

/* struct riad_hvt_boot_info (abi/hvt.h) at 0x10000, read-only to the guest:
 * host_features at 40 (bit 0: the ring), net_ring at 48. ent_tail is the
 * ring's first field. */
#define BOOT_INFO 0x10000u
#define RING_IO 1u
#define RING_BUF_SIZE 2048u
#define BURST 100u
#define FRAME_MIN 64u
#define NS_PER_MS 1000000ull

static const char tag[] = "riad ring";
static volatile const uint32_t *ent_tail;

static uint32_t entries(void)
{
	return ent_tail ? *ent_tail : 0;
}

static void frame(uint8_t *f, const struct solo5_net_info *ni, uint32_t seq, size_t len)
{
	for (int i = 0; i < 6; i++) {
		f[i] = 0xff;
		f[6 + i] = ni->mac_address[i];
	}
	f[12] = 0x88; /* 0x88b5: IEEE local experimental */
	f[13] = 0xb5;
	for (size_t i = 0; i < sizeof(tag) - 1; i++)
		f[14 + i] = (uint8_t)tag[i];
	f[23] = (uint8_t)(seq >> 8);
	f[24] = (uint8_t)seq;
	for (size_t i = 25; i < len; i++)
		f[i] = (uint8_t)(i * 7 + seq);
}

int solo5_app_main(const struct solo5_start_info *si)
{
	solo5_handle_t h;
	struct solo5_net_info ni;
	if (solo5_net_acquire("service0", &h, &ni) != SOLO5_R_OK)
		return T_FAILURE("cannot acquire 'service0'");
	uint32_t features = *(volatile const uint32_t *)(uintptr_t)(BOOT_INFO + 40);
	uint64_t ring = *(volatile const uint64_t *)(uintptr_t)(BOOT_INFO + 48);
	if ((features & RING_IO) && ring != 0) {
		ent_tail = (volatile const uint32_t *)(uintptr_t)ring;
		t_puts("ring offered at ");
		t_puthex(ring);
		t_puts("\n");
	} else {
		t_puts("ring not offered\n");
	}

	size_t fmax = ni.mtu + SOLO5_NET_HLEN, n;
	uint8_t *f = (uint8_t *)si->heap_start, *buf = f + fmax;
	uint32_t frames = 0, t0 = entries();
	for (uint32_t i = 0; i < BURST; i++, frames++) {
		frame(f, &ni, i, FRAME_MIN);
		if (solo5_net_write(h, f, FRAME_MIN) != SOLO5_R_OK)
			return T_FAILURE("solo5_net_write failed");
	}
	if (fmax > RING_BUF_SIZE) {
		frame(f, &ni, BURST, fmax);
		if (solo5_net_write(h, f, fmax) != SOLO5_R_OK)
			return T_FAILURE("solo5_net_write of a large frame failed");
		frames++;
	}
	uint32_t used = entries() - t0;
	t_puts("ring entries ");
	t_putdec(used);
	t_puts(" for ");
	t_putdec(frames);
	t_puts(" frames\n");

	/* The host answers with one frame as large as the MTU allows. */
	solo5_time_t deadline = solo5_clock_monotonic() + 20000 * NS_PER_MS;
	while (solo5_clock_monotonic() < deadline) {
		solo5_handle_set_t ready = 0;
		solo5_yield(deadline, &ready);
		if (!(ready & (1ull << h)))
			continue;
		solo5_result_t r;
		while ((r = solo5_net_read(h, buf, fmax, &n)) == SOLO5_R_OK) {
			if (n < 25 || buf[12] != 0x88 || buf[13] != 0xb5)
				continue;
			t_puts("answer of ");
			t_putdec(n);
			t_puts(" bytes\n");
			for (size_t i = 25; i < n; i++)
				if (buf[i] != (uint8_t)(i * 7 + 1))
					return T_FAILURE("the answer's bytes are wrong");
			if (n != fmax)
				return T_FAILURE("the answer is not MTU-sized");
			return T_SUCCESS();
		}
		if (r != SOLO5_R_AGAIN)
			return T_FAILURE("solo5_net_read failed");
	}
	return T_FAILURE("no answer from the host");
}
