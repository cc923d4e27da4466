/* runtime/crypto_impl.h: which BearSSL AES and GHASH code riad's own
 * cryptography uses (private; the generator in fortuna.c, the encryption
 * overlay in storage/block_crypt.c).
 *
 * The fastest constant-time one the CPU and the build allow: AES-NI
 * (aes_x86ni) and PCLMULQDQ (ghash_pclmul) where BearSSL was built with its
 * x86 code (unix, the host's library; spt, mk/bearssl.mk) and CPUID says
 * the CPU has them; otherwise the portable bitsliced 64-bit AES (aes_ct64)
 * and the constant-time 64-bit GHASH (ghash_ctmul64), which hvt guests,
 * built without SSE, always get. Both produce the same bytes; only speed
 * differs. The runtime option --crypto-portable forces the portable code
 * on any CPU (for tests and comparisons).
 */
#ifndef RIAD_RUNTIME_CRYPTO_IMPL_H
#define RIAD_RUNTIME_CRYPTO_IMPL_H

#include <bearssl.h>

/* AES in CTR mode (keys: br_aes_gen_ctr_keys, started with ->init). */
const br_block_ctr_class *crypto_impl_aes_ctr(void);

/* GHASH, for br_gcm_init(). */
br_ghash crypto_impl_ghash(void);

/* The two names, e.g. "aes_x86ni+ghash_pclmul", for log lines. */
const char *crypto_impl_name(void);

#endif
