/*
 * The C library's names for klib's string functions, for the kernel
 * builds only: GCC emits calls to memcpy, memmove, memset and memcmp
 * even in freestanding code, and kernel code may use the familiar
 * names.  The host unit tests get these from the C library instead.
 */

#include <stddef.h>

#include <klib/string.h>

#if __STDC_HOSTED__ != 0
#error "klib/mem.c is for freestanding (kernel) builds only"
#endif

void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	return kmemcpy(dst, src, n);
}

void *
memmove(void *dst, const void *src, size_t n)
{
	return kmemmove(dst, src, n);
}

void *
memset(void *dst, int c, size_t n)
{
	return kmemset(dst, c, n);
}

int
memcmp(const void *a, const void *b, size_t n)
{
	return kmemcmp(a, b, n);
}

size_t
strlen(const char *s)
{
	return kstrlen(s);
}

size_t
strnlen(const char *s, size_t maxlen)
{
	return kstrnlen(s, maxlen);
}

int
strcmp(const char *a, const char *b)
{
	return kstrcmp(a, b);
}

int
strncmp(const char *a, const char *b, size_t n)
{
	return kstrncmp(a, b, n);
}

char *
strchr(const char *s, int c)
{
	return kstrchr(s, c);
}

char *
strrchr(const char *s, int c)
{
	return kstrrchr(s, c);
}

size_t
strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	return kstrlcpy(dst, src, size);
}

size_t
strlcat(char *restrict dst, const char *restrict src, size_t size)
{
	return kstrlcat(dst, src, size);
}
