/* fuzz/support/log_off.c: riad_log for fuzz targets that link code which logs, without the runtime: every level is off, nothing is written. */
#include <stdarg.h>

#include <riad/log.h>

bool riad_log_enabled(const struct riad_log_src *src, enum riad_log_level level)
{
	(void)src;
	(void)level;
	return false;
}

void riad_log(const struct riad_log_src *src, enum riad_log_level level, const char *fmt, ...)
{
	(void)src;
	(void)level;
	(void)fmt;
}

void riad_logv(const struct riad_log_src *src, enum riad_log_level level, const char *fmt,
               va_list ap)
{
	(void)src;
	(void)level;
	(void)fmt;
	(void)ap;
}
