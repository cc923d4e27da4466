/* libc/src/reallocarray.c: realloc for nmemb elements of size bytes, failing
 * with ENOMEM instead of wrapping when the product overflows (BSD, glibc). */
#include <errno.h>
#include <stdlib.h>

void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, nmemb * size);
}
