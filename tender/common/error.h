/* tender/common/error.h: how tender functions report a failure: one line, kept for the caller to print. */
#ifndef RIAD_TENDER_ERROR_H
#define RIAD_TENDER_ERROR_H

/* A failed function fills msg with one line (no trailing newline, no
 * program name) naming what was wrong, and returns -1. The caller decides
 * whether to print it and exit (the tender's main) or to compare it (the
 * tests). */
struct tender_error {
	char msg[320];
};

/* Formats msg into e and returns -1, so that `return error_set(e, ...)`
 * reads as the failure it is. e may be NULL. */
int error_set(struct tender_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
