/* storage/store_open.c: riad_store_open(), the storage stack a --store SPEC names (device, partition, overlay, store), as one KV instance that owns the stack. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/kv.h>
#include <riad/log.h>
#include <riad/random.h>
#include <riad/store.h>

RIAD_LOG_SRC(kv_log, "kv", "Key-value stores");

/* The store at the top and the block instances under it, closed in the
 * reverse order of opening. The ops forward to the top through the checked
 * riad_kv_*() wrappers (normalising an already normal key again is
 * harmless). */
struct stack {
	struct riad_kv kv;
	struct riad_kv *top;
	struct riad_block *dev, *part, *crypt;
	bool writable;
};

static struct riad_kv *top_of(struct riad_kv *kv)
{
	return ((struct stack *)kv)->top;
}

static bool writable(struct riad_kv *kv)
{
	return ((struct stack *)kv)->writable;
}

static int st_stat(struct riad_kv *kv, const char *key, struct riad_kv_stat *st)
{
	return riad_kv_stat(top_of(kv), key, st);
}

static int st_get(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
                  size_t *got)
{
	return riad_kv_get(top_of(kv), key, off, buf, len, got);
}

static int st_list(struct riad_kv *kv, const char *key, riad_kv_list_fn fn, void *arg)
{
	return riad_kv_list(top_of(kv), key, fn, arg);
}

static int st_digest(struct riad_kv *kv, const char *key, uint8_t out[RIAD_KV_DIGEST_LEN])
{
	return riad_kv_digest(top_of(kv), key, out);
}

static int st_set(struct riad_kv *kv, const char *key, const void *data, size_t len)
{
	return writable(kv) ? riad_kv_set(top_of(kv), key, data, len) : -RIAD_EROFS;
}

static int st_set_partial(struct riad_kv *kv, const char *key, uint64_t off, const void *data,
                          size_t len)
{
	return writable(kv) ? riad_kv_set_partial(top_of(kv), key, off, data, len) : -RIAD_EROFS;
}

static int st_remove(struct riad_kv *kv, const char *key)
{
	return writable(kv) ? riad_kv_remove(top_of(kv), key) : -RIAD_EROFS;
}

static int st_rename(struct riad_kv *kv, const char *from, const char *to)
{
	return writable(kv) ? riad_kv_rename(top_of(kv), from, to) : -RIAD_EROFS;
}

static int st_flush(struct riad_kv *kv)
{
	return riad_kv_flush(top_of(kv));
}

static void stack_free(struct stack *s)
{
	riad_kv_close(s->top);
	riad_block_close(s->crypt);
	riad_block_close(s->part);
	riad_block_close(s->dev);
	free(s);
}

static void st_close(struct riad_kv *kv)
{
	stack_free((struct stack *)kv);
}

static const struct riad_kv_ops stack_ops = {
	.stat = st_stat,
	.get = st_get,
	.list = st_list,
	.digest = st_digest,
	.set = st_set,
	.set_partial = st_set_partial,
	.remove = st_remove,
	.rename = st_rename,
	.flush = st_flush,
	.close = st_close,
};

/* Log why opening spec failed at one layer, close what is open, and
 * return NULL with *err = e. */
__attribute__((format(printf, 4, 5)))
static struct riad_kv *fail(struct stack *s, int *err, int e, const char *fmt, ...)
{
	char msg[RIAD_LOG_LINE_MAX / 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	riad_err(kv_log, "store: %s: %s", msg, riad_strerror(e));
	if (s)
		stack_free(s);
	if (err)
		*err = e;
	return NULL;
}

struct riad_kv *riad_store_open(const char *spec, const uint8_t *key, size_t keylen,
                                bool writable_, int *err)
{
	struct riad_store_spec sp;
	char why[RIAD_LOG_LINE_MAX / 2];
	if (!spec)
		return fail(NULL, err, -RIAD_EINVAL, "no store given (--store=KIND:DEVICE[@PARTITION])");
	if (riad_store_spec_parse(spec, &sp, why, sizeof(why)) < 0)
		return fail(NULL, err, -RIAD_EINVAL, "%s", why);
	if (key && sp.kind == RIAD_STORE_BAKED)
		return fail(NULL, err, -RIAD_EINVAL, "baked takes no key (--crypt-key)");
	if (key && (keylen < RIAD_STORE_KEY_MIN || keylen > RIAD_STORE_KEY_MAX))
		return fail(NULL, err, -RIAD_EINVAL, "a key of %zu bytes (expected %d to %d)", keylen,
		            RIAD_STORE_KEY_MIN, RIAD_STORE_KEY_MAX);
	struct stack *s = calloc(1, sizeof(*s));
	if (!s)
		return fail(NULL, err, -RIAD_ENOMEM, "%s", spec);
	s->writable = writable_;
	int e = 0;
	const char *kind = riad_store_kind_name(sp.kind);
	if (sp.kind == RIAD_STORE_BAKED) {
		s->top = riad_kv_baked_open(&e);
		if (!s->top)
			return fail(s, err, e, "the baked files");
		goto done;
	}
	s->dev = riad_block_open(sp.device, &e);
	if (!s->dev)
		return fail(s, err, e, "block device '%s'", sp.device);
	struct riad_block *below = s->dev;
	if (sp.part[0]) {
		s->part = riad_block_part_open(below, sp.part, &e);
		if (!s->part)
			return fail(s, err, e, "partition '%s' of '%s'", sp.part, sp.device);
		below = s->part;
	}
	if (key) {
		s->crypt = riad_block_crypt_open(below, key, keylen, false, &e);
		if (!s->crypt)
			return fail(s, err, e, "the encryption overlay on '%s%s%s'", sp.device,
			            sp.part[0] ? "@" : "", sp.part);
		below = s->crypt;
	}
	if (sp.kind == RIAD_STORE_TAR)
		s->top = riad_kv_tar_open(below, writable_, &e);
	else
		s->top = riad_kv_store_open(below, false, &e);
	if (!s->top)
		return fail(s, err, e, "the %s store on '%s%s%s'%s", kind, sp.device,
		            sp.part[0] ? "@" : "", sp.part, key ? " (encrypted)" : "");
done:
	s->kv.ops = &stack_ops;
	s->kv.kind = s->top->kind;
	return &s->kv;
}

struct riad_kv *riad_store_open_hex(const char *spec, const char *key_hex, bool writable_,
                                    int *err)
{
	uint8_t key[RIAD_STORE_KEY_MAX];
	size_t keylen = 0;
	if (key_hex && riad_store_key_decode(key_hex, key, &keylen) < 0) {
		riad_wipe(key, sizeof(key));
		return fail(NULL, err, -RIAD_EINVAL, "the key (--crypt-key) is not 16 to 64 bytes "
		            "in hex");
	}
	struct riad_kv *kv = riad_store_open(spec, key_hex ? key : NULL, keylen, writable_, err);
	riad_wipe(key, sizeof(key));
	return kv;
}
