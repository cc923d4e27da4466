/* runtime/crypto_impl.c: the choice of BearSSL AES and GHASH code (see crypto_impl.h). */
#include <stdbool.h>

#include <riad/args.h>

#include "crypto_impl.h"

static bool portable;
static struct riad_arg portable_arg = {
	.name = "crypto-portable",
	.type = RIAD_ARG_TYPE_BOOL,
	.flags = RIAD_ARG_RUNTIME,
	.var = (void *)&portable,
	.def.b = false,
	.doc = "Use BearSSL's portable constant-time AES and GHASH for riad's own cryptography "
	       "(random generator, encrypted block devices) even where the CPU has AES-NI.",
};
RIAD_ARG_REGISTER(portable_arg);

/* The option is read on every call, not cached: the generator may key
 * itself before start-up has parsed the command line, and either choice
 * gives the same bytes. */
const br_block_ctr_class *crypto_impl_aes_ctr(void)
{
	const br_block_ctr_class *c = portable ? NULL : br_aes_x86ni_ctr_get_vtable();
	return c ? c : &br_aes_ct64_ctr_vtable;
}

br_ghash crypto_impl_ghash(void)
{
	br_ghash g = portable ? 0 : br_ghash_pclmul_get();
	return g ? g : br_ghash_ctmul64;
}

const char *crypto_impl_name(void)
{
	bool aes = crypto_impl_aes_ctr() != &br_aes_ct64_ctr_vtable;
	bool gh = crypto_impl_ghash() != br_ghash_ctmul64;
	if (aes && gh)
		return "aes_x86ni+ghash_pclmul";
	if (aes)
		return "aes_x86ni+ghash_ctmul64";
	if (gh)
		return "aes_ct64+ghash_pclmul";
	return "aes_ct64+ghash_ctmul64";
}
