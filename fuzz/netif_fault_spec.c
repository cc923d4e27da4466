/* fuzz/netif_fault_spec.c: libFuzzer target for riad_netif_fault_spec_parse, the --net-faults boot option's parser (untrusted: it comes from whoever starts the unikernel).
 *
 * Input: the spec (up to the first NUL). Checks that the parser stays
 * inside the string and the error buffer (ASan), leaves the config alone
 * on failure, gives a non-empty one-line message, accepts only values the
 * fault wrapper takes (riad/netif_fault.h), and that a spec it accepts, written
 * back by riad_netif_fault_spec_format, parses to the same config.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad/netif.h>
#include <riad/netif_fault.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_dir(const struct riad_netif_fault_dir *d)
{
	if (d->loss_ppm > 1000000 || d->corrupt_ppm > 1000000 || d->duplicate_ppm > 1000000 ||
	    d->reorder_ppm > 1000000 || d->corrupt_bits > 64 || d->reorder_gap > 65535)
		abort();
	if (d->delay_ns < 0 || d->jitter_ns < 0 || d->reorder_max_ns < 0 ||
	    d->delay_ns > 60000000000LL || d->jitter_ns > 60000000000LL ||
	    d->reorder_max_ns > 60000000000LL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = strnlen((const char *)data, size);
	char *spec = malloc(len + 1);
	memcpy(spec, data, len);
	spec[len] = 0;
	/* An error buffer of a size chosen by the input, so that truncation
	 * is exercised too; exactly that big, so ASan sees an overrun. */
	size_t errlen = 1 + (len ? (unsigned char)spec[0] % 200 : 0);
	char *err = malloc(errlen);
	struct riad_netif_fault_config cfg, poison, again;
	memset(&cfg, 0x5a, sizeof(cfg));
	memcpy(&poison, &cfg, sizeof(cfg));
	bool seeded;

	int r = riad_netif_fault_spec_parse(spec, &cfg, &seeded, err, errlen);
	if (r != 0) {
		if (r != -RIAD_EINVAL || memcmp(&cfg, &poison, sizeof(cfg)) != 0)
			abort();
		if (strlen(err) >= errlen || strchr(err, '\n') || (errlen > 1 && !err[0]))
			abort();
		goto out;
	}
	check_dir(&cfg.rx);
	check_dir(&cfg.tx);
	size_t n = riad_netif_fault_spec_format(&cfg, NULL, 0);
	char *text = malloc(n + 1);
	if (riad_netif_fault_spec_format(&cfg, text, n + 1) != n || strlen(text) != n)
		abort();
	if (riad_netif_fault_spec_parse(text, &again, NULL, NULL, 0) != 0 ||
	    memcmp(&cfg, &again, sizeof(cfg)) != 0)
		abort();
	free(text);
out:
	free(err);
	free(spec);
	return 0;
}
