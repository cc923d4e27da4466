/* tests/storage/storeapp: a test unikernel on the writable store over the block device "storage": writes keys and prints them (write), prints values (read), runs a seeded write load printing what each flush acknowledged (load, for store_crash.t), prints every key with the SHA-256 of its value (dump), or times flushed sets and gets (bench). Used by tests/storage/store.t, store_crash.t and bench/storage_store.sh. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bearssl.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/console.h>
#include <riad/devices.h>
#include <riad/kv.h>
#include <riad/time.h>

RIAD_DEVICE_BLOCK(storage);

RIAD_ARG_STRING(mode, "mode", "write", "write, read, load or dump.");
RIAD_ARG_BOOL(fmt, "format", false, "Format the store first.");
RIAD_ARG_STRING(prefix, "prefix", "uk", "write: the dictionary the keys go in.");
RIAD_ARG_INT(count, "count", 10, "write: keys to write; load: steps (0: for ever).");
RIAD_ARG_INT(seed, "seed", 1, "load: the seed of the load.");
RIAD_ARG_INT(batch, "batch", 8, "load: at most this many changes between two flushes.");
RIAD_ARG_INT(keys, "keys", 64, "load: how many distinct keys.");
RIAD_ARG_INT(maxlen, "max-len", 3000, "load: longest value; bench: the size of every value.");

/* One line, written at once (never left in a buffer if the process is
 * killed: store_crash.t relies on every line before a kill being there). */
static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	riad_console_write(buf, (size_t)n);
}

static void hex_sha256(const void *data, size_t len, char out[65])
{
	uint8_t d[32];
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, data, len);
	br_sha256_out(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static uint64_t rng;
static uint64_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

static char value[65536];

static int do_write(struct riad_kv *kv)
{
	char key[128];
	for (int i = 0; i < count; i++) {
		snprintf(key, sizeof(key), "%s/k%d", prefix, i);
		int n = snprintf(value, sizeof(value), "value %d of %s", i, prefix);
		int r = riad_kv_set(kv, key, value, (size_t)n);
		if (r < 0) {
			line("FAIL: set %s: %d", key, r);
			return 1;
		}
	}
	int r = riad_kv_flush(kv);
	if (r < 0) {
		line("FAIL: flush: %d", r);
		return 1;
	}
	for (int i = 0; i < count; i++)
		line("WROTE %s/k%d value %d of %s", prefix, i, i, prefix);
	line("SUCCESS");
	return 0;
}

static int do_read(struct riad_kv *kv, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t got = 0;
		int r = riad_kv_get(kv, argv[i], 0, value, sizeof(value) - 1, &got);
		if (r < 0) {
			line("ERR %s %d", argv[i], r);
			continue;
		}
		value[got] = '\0';
		line("GOT %s %s", argv[i], value);
	}
	line("SUCCESS");
	return 0;
}

static int dump(struct riad_kv *kv, const char *dir);

struct dump_ctx {
	struct riad_kv *kv;
	const char *dir;
	int err;
};

static int dump_one(void *arg, const char *name, enum riad_kv_type type)
{
	struct dump_ctx *c = arg;
	char path[512];
	snprintf(path, sizeof(path), "%s%s%s", c->dir, *c->dir ? "/" : "", name);
	if (type == RIAD_KV_DICT)
		return dump(c->kv, path);
	br_sha256_context sc;
	br_sha256_init(&sc);
	uint64_t off = 0;
	for (;;) {
		size_t got = 0;
		int r = riad_kv_get(c->kv, path, off, value, sizeof(value), &got);
		if (r < 0) {
			line("BAD %s %d", path, r);
			return r;
		}
		if (got == 0)
			break;
		br_sha256_update(&sc, value, got);
		off += got;
	}
	uint8_t d[32];
	char h[65];
	br_sha256_out(&sc, d);
	for (int i = 0; i < 32; i++)
		snprintf(h + 2 * i, 3, "%02x", d[i]);
	line("HAVE %s %s", path, h);
	return 0;
}

static int dump(struct riad_kv *kv, const char *dir)
{
	struct dump_ctx c = { kv, dir, 0 };
	return riad_kv_list(kv, dir, dump_one, &c);
}

/* The load: SET/DEL lines before each change, ACK after each flush that
 * returned 0. */
static int do_load(struct riad_kv *kv)
{
	rng = 0x9e3779b97f4a7c15ull * (uint64_t)(seed + 1);
	char key[64], h[65];
	int pending = 0;
	for (long step = 0; count == 0 || step < count; step++) {
		snprintf(key, sizeof(key), "load/d%d/k%d", (int)(rnd() % 4),
		         (int)(rnd() % (uint64_t)(keys > 0 ? keys : 1)));
		int r;
		if (rnd() % 10 == 0) {
			line("DEL %s", key);
			r = riad_kv_remove(kv, key);
			if (r == -RIAD_ENOENT)
				r = 0;
		} else {
			size_t len = (size_t)(rnd() % (uint64_t)(maxlen + 1));
			for (size_t i = 0; i < len; i++)
				value[i] = (char)('a' + rnd() % 26);
			hex_sha256(value, len, h);
			line("SET %s %s", key, h);
			r = riad_kv_set(kv, key, value, len);
		}
		if (r < 0) {
			line("FAIL: step %ld: %s: %d", step, key, r);
			return 1;
		}
		if (++pending >= 1 + (int)(rnd() % (uint64_t)(batch > 0 ? batch : 1))) {
			r = riad_kv_flush(kv);
			if (r < 0) {
				line("FAIL: flush: %d", r);
				return 1;
			}
			line("ACK");
			pending = 0;
		}
	}
	line("SUCCESS");
	return 0;
}

/* count sets of max-len bytes, each followed by a flush; then count gets
 * of whole values in another order. */
static int do_bench(struct riad_kv *kv)
{
	char key[64];
	size_t len = (size_t)maxlen < sizeof(value) ? (size_t)maxlen : sizeof(value);
	for (size_t i = 0; i < len; i++)
		value[i] = (char)('a' + i % 26);
	int64_t t0 = riad_time_ns();
	for (int i = 0; i < count; i++) {
		snprintf(key, sizeof(key), "bench/k%d", i);
		value[0] = (char)('a' + i % 26);
		int r = riad_kv_set(kv, key, value, len);
		if (r == 0)
			r = riad_kv_flush(kv);
		if (r < 0) {
			line("FAIL: set %s: %d", key, r);
			return 1;
		}
	}
	int64_t t1 = riad_time_ns();
	for (int i = 0; i < count; i++) {
		snprintf(key, sizeof(key), "bench/k%d", (int)(((uint64_t)i * 7919) % (uint64_t)count));
		size_t got = 0;
		int r = riad_kv_get(kv, key, 0, value, len, &got);
		if (r < 0 || got != len) {
			line("FAIL: get %s: %d", key, r);
			return 1;
		}
	}
	int64_t t2 = riad_time_ns();
	uint64_t ds = (uint64_t)(t1 - t0 > 0 ? t1 - t0 : 1), dg = (uint64_t)(t2 - t1 > 0 ? t2 - t1 : 1);
	line("BENCH sets_per_s=%llu gets_per_s=%llu",
	     (unsigned long long)((uint64_t)count * 1000000000ull / ds),
	     (unsigned long long)((uint64_t)count * 1000000000ull / dg));
	line("SUCCESS");
	return 0;
}

int main(int argc, char **argv)
{
	int err = 0;
	struct riad_block *b = riad_block_open("storage", &err);
	if (!b) {
		line("FAIL: riad_block_open: %d", err);
		return 1;
	}
	struct riad_kv *kv = riad_kv_store_open(b, fmt, &err);
	if (!kv) {
		line("FAIL: riad_kv_store_open: %d", err);
		return 1;
	}
	int r;
	if (strcmp(mode, "write") == 0)
		r = do_write(kv);
	else if (strcmp(mode, "read") == 0)
		r = do_read(kv, argc, argv);
	else if (strcmp(mode, "load") == 0)
		r = do_load(kv);
	else if (strcmp(mode, "bench") == 0)
		r = do_bench(kv);
	else if (strcmp(mode, "dump") == 0) {
		r = dump(kv, "") < 0;
		line(r ? "FAIL: dump" : "SUCCESS");
	} else {
		line("FAIL: unknown --mode %s", mode);
		r = 64;
	}
	riad_kv_close(kv);
	riad_block_close(b);
	return r;
}
