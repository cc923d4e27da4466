/* setjmp.h: non-local jumps, for x86_64.
 *
 * Provided: jmp_buf, setjmp and longjmp as C11 describes them. The buffer
 * holds the callee-saved registers (rbx, rbp, r12-r15), the stack pointer
 * and the return address. There are no signals, so there is no signal mask
 * to save: sigsetjmp/siglongjmp are not provided.
 *
 * longjmp must target a setjmp whose function is still active on the same
 * fiber's stack: jumping between fibers' stacks bypasses the scheduler and
 * is undefined. longjmp(env, 0) makes setjmp return 1, as C11 requires.
 * The x87 and SSE control words are not saved (riad guests use neither).
 */
#ifndef RIAD_LIBC_SETJMP_H
#define RIAD_LIBC_SETJMP_H

typedef long jmp_buf[8];

__attribute__((__returns_twice__)) int setjmp(jmp_buf env);
__attribute__((__noreturn__)) void longjmp(jmp_buf env, int val);

#endif
