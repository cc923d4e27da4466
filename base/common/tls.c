/* base/common/tls.c: thread-local storage blocks (x86_64, variant II: .tdata, .tbss, then the TCB whose first word points to itself).
 *
 * The linker script makes _ltbss include the padding that rounds the TLS
 * segment up to its alignment, because that rounded size is the distance
 * the linker puts between the thread pointer and the start of .tdata.
 */
#include "base.h"

#define TCB_SIZE sizeof(uintptr_t)

size_t solo5_tls_size(void)
{
	return (size_t)(uintptr_t)_ltdata + (size_t)(uintptr_t)_ltbss + TCB_SIZE;
}

uintptr_t solo5_tls_tp_offset(uintptr_t tls)
{
	return tls + (uintptr_t)_ltdata + (uintptr_t)_ltbss;
}

solo5_result_t solo5_tls_init(uintptr_t tls)
{
	if (tls == 0)
		return SOLO5_R_EINVAL;
	size_t ltdata = (size_t)(uintptr_t)_ltdata, ltbss = (size_t)(uintptr_t)_ltbss;
	base_memcpy((void *)tls, _stdata, ltdata);
	base_memset((void *)(tls + ltdata), 0, ltbss);
	uintptr_t tp = solo5_tls_tp_offset(tls);
	*(uintptr_t *)tp = tp;
	return SOLO5_R_OK;
}
