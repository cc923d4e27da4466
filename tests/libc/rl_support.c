/* tests/libc/rl_support.c: the host side of the libc tests: a console that
 * records, a platform abort/exit that jumps back into the test, a settable
 * wall clock, and the stack-protector guard, all under their rl_ names. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rl.h"

/* Declared here only: they exist for the libc objects, not for tests. */
void rl_riad_console_write(const char *buf, size_t len);
__attribute__((noreturn)) void rl_riad_platform_abort(void);
__attribute__((noreturn)) void rl_riad_platform_exit(int status);
int64_t rl_riad_clock_wall_ns(void);
__attribute__((noreturn)) void rl___stack_chk_fail(void);
extern uintptr_t rl___stack_chk_guard;

uintptr_t rl___stack_chk_guard = 0x2f8e0a1b3c4d5e00u;

static char *console;
static size_t console_len, console_cap;
static int console_writes;

void rl_riad_console_write(const char *buf, size_t len)
{
	if (console_len + len + 1 > console_cap) {
		console_cap = (console_len + len + 1) * 2;
		console = realloc(console, console_cap);
		if (!console)
			abort();
	}
	memcpy(console + console_len, buf, len);
	console_len += len;
	console[console_len] = '\0';
	console_writes++;
}

const char *rl_console_take(size_t *len, int *writes)
{
	static char *taken;

	free(taken);
	taken = console ? console : strdup("");
	if (len)
		*len = console_len;
	if (writes)
		*writes = console_writes;
	console = NULL;
	console_len = console_cap = 0;
	console_writes = 0;
	return taken;
}

static jmp_buf *end_jump;

void rl_riad_platform_abort(void)
{
	if (!end_jump) {
		fprintf(stderr, "unexpected abort from the riad libc: %s\n", rl_console_take(NULL, NULL));
		abort();
	}
	longjmp(*end_jump, 256 + 255);
}

void rl_riad_platform_exit(int status)
{
	if (!end_jump) {
		fprintf(stderr, "unexpected exit(%d) from the riad libc\n", status);
		abort();
	}
	longjmp(*end_jump, 256 + (status & 255));
}

void rl___stack_chk_fail(void)
{
	fprintf(stderr, "stack smashing detected in the riad libc\n");
	abort();
}

bool rl_expect_end(void (*fn)(void), int *status)
{
	jmp_buf jb;
	int r;

	end_jump = &jb;
	if ((r = setjmp(jb)) == 0) {
		fn();
		end_jump = NULL;
		return false;
	}
	end_jump = NULL;
	if (status)
		*status = r - 256;
	return true;
}

static int64_t wall_ns;

int64_t rl_riad_clock_wall_ns(void)
{
	return wall_ns;
}

void rl_wall_ns_set(int64_t ns)
{
	wall_ns = ns;
}
