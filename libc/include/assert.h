/* assert.h: assert() and static_assert.
 *
 * A failed assert prints "riad libc: assertion failed: EXPR (FILE:LINE:
 * FUNCTION)" on the console and ends the unikernel with status 255 through
 * riad_platform_abort(), as abort() does. With NDEBUG defined when this
 * header is included, assert(e) expands to ((void)0) and e is not
 * evaluated, as C11 requires; like every C library, this header may be
 * included several times with NDEBUG changing in between.
 *
 * riad's own code keeps its hardening checks on in release builds and so
 * does not rely on assert() for them (see STYLE.md).
 */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : riad_libc_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef RIAD_LIBC_ASSERT_H
#define RIAD_LIBC_ASSERT_H

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && __STDC_VERSION__ < 202311L
#define static_assert _Static_assert
#endif

__attribute__((__noreturn__)) void riad_libc_assert_fail(const char *expr, const char *file,
                                                        int line, const char *func);

#endif
