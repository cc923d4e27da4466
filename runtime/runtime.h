/* runtime/runtime.h: internals shared by the target-independent runtime
 * (private; not installed). */
#ifndef RIAD_RUNTIME_RUNTIME_H
#define RIAD_RUNTIME_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

/* Print "riad: " and the message on the console, then abort (status 255).
 * For programmer errors and broken invariants only. */
_Noreturn void riad_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Start-up as DESIGN.md section 5 orders it: parse the command line, set up
 * logging, seed the random generator, acquire devices, run main() in the
 * first fiber. Returns the exit status. Called by the target's entry point. */
int riad_start(int argc, char **argv);

/* Seed the generator from riad_platform_entropy(). Defined in random.c. */
void riad_random_boot(void);

#endif
