/* fuzz/support/storage_stubs.c: what storage code needs of the runtime in fuzz targets: logging that writes nothing and a fixed wall clock. */
#include <stdarg.h>

#include <riad/clock.h>
#include <riad/log.h>

bool riad_log_enabled(const struct riad_log_src *src, enum riad_log_level level)
{
	(void)src, (void)level;
	return false;
}

void riad_logv(const struct riad_log_src *src, enum riad_log_level level, const char *fmt,
               va_list ap)
{
	(void)src, (void)level, (void)fmt, (void)ap;
}

void riad_log(const struct riad_log_src *src, enum riad_log_level level, const char *fmt, ...)
{
	(void)src, (void)level, (void)fmt;
}

int64_t riad_clock_wall_ns(void)
{
	return 1700000000LL * 1000000000;
}
