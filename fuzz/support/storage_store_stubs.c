/* fuzz/support/storage_store_stubs.c: what fuzz/storage_store.c's store code needs of the runtime (monotonic clock, wait queues) and of BearSSL (kv.c's digest, never called), without linking either; log_off.c and clock_fixed.c supply the log and the wall clock. */
#include <stdlib.h>

#include <bearssl.h>

#include <riad/fiber.h>
#include <riad/time.h>

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

void br_sha256_init(br_sha256_context *ctx) { (void)ctx; abort(); }
void br_sha224_update(br_sha224_context *ctx, const void *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	abort();
}
void br_sha256_out(const br_sha256_context *ctx, void *out) { (void)ctx, (void)out; abort(); }
