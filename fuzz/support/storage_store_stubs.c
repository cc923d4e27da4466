/* fuzz/support/storage_store_stubs.c: what fuzz/storage_store.c's store code needs of the runtime (clock, wait queues, log) and of BearSSL (kv.c's digest, never called), without linking either. */
#include <stdarg.h>
#include <stdlib.h>

#include <bearssl.h>

#include <riad/clock.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/time.h>

int64_t riad_clock_wall_ns(void) { return 1700000000LL * 1000000000LL; }
int64_t riad_time_ns(void) { return 1; }

/* The fuzz target is one fiber: the store's lock is never contended. */
int riad_waitq_wait(struct riad_waitq *q, int64_t deadline)
{
	(void)q, (void)deadline;
	abort();
}
int riad_waitq_wake_one(struct riad_waitq *q)
{
	(void)q;
	return 0;
}

bool riad_log_enabled(const struct riad_log_src *src, enum riad_log_level level)
{
	(void)src, (void)level;
	return false;
}
void riad_log(const struct riad_log_src *src, enum riad_log_level level, const char *fmt, ...)
{
	(void)src, (void)level, (void)fmt;
}

void br_sha256_init(br_sha256_context *ctx) { (void)ctx; abort(); }
void br_sha224_update(br_sha224_context *ctx, const void *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	abort();
}
void br_sha256_out(const br_sha256_context *ctx, void *out) { (void)ctx, (void)out; abort(); }
