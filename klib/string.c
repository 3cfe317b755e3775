/*
 * klib string and memory functions.  See klib/string.h.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

/*
 * Copies and fills move a machine word at a time once both pointers are
 * word aligned.  The word type may alias anything, so the accesses are
 * valid whatever the objects' declared types.
 */
typedef uint64_t __attribute__((__may_alias__)) kword_t;

#define WORD		sizeof(kword_t)
#define WORD_MASK	((uintptr_t)WORD - 1)
#define MISALIGN(p)	((uintptr_t)(p) & WORD_MASK)

/*
 * Unless told the environment is freestanding (-ffreestanding or
 * -fno-builtin), GCC at -O2 turns copy and fill loops into calls to
 * memcpy and memset.  In a kernel those names are defined on top of the
 * functions below (mem.c), so a build that lost the flag would recurse
 * forever.  An empty asm that claims to change the pointer hides the
 * loop's shape whatever the flags; it costs no instruction.
 */
#define OPAQUE(p)	__asm__("" : "+r"(p))

static void
copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if (MISALIGN(d) == MISALIGN(s)) {
		for (; n > 0 && MISALIGN(d) != 0; n--) {
			*d++ = *s++;
			OPAQUE(d);
		}
		for (; n >= WORD; n -= WORD) {
			*(kword_t *)d = *(const kword_t *)s;
			d += WORD;
			s += WORD;
			OPAQUE(d);
		}
	}
	for (; n > 0; n--) {
		*d++ = *s++;
		OPAQUE(d);
	}
}

static void
copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	if (MISALIGN(d) == MISALIGN(s)) {
		for (; n > 0 && MISALIGN(d) != 0; n--) {
			*--d = *--s;
			OPAQUE(d);
		}
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*(kword_t *)d = *(const kword_t *)s;
			OPAQUE(d);
		}
	}
	for (; n > 0; n--) {
		*--d = *--s;
		OPAQUE(d);
	}
}

void *
kmemcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *
kmemmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n);	/* dst below src or apart */
	else
		copy_backward(dst, src, n);	/* dst inside src's range */
	return dst;
}

void *
kmemset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	kword_t w = (unsigned char)c * (kword_t)0x0101010101010101ULL;

	for (; n > 0 && MISALIGN(d) != 0; n--) {
		*d++ = (unsigned char)c;
		OPAQUE(d);
	}
	for (; n >= WORD; n -= WORD) {
		*(kword_t *)d = w;
		d += WORD;
		OPAQUE(d);
	}
	for (; n > 0; n--) {
		*d++ = (unsigned char)c;
		OPAQUE(d);
	}
	return dst;
}

int
kmemcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

size_t
kstrlen(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		;
	return p - s;
}

size_t
kstrnlen(const char *s, size_t maxlen)
{
	size_t n;

	for (n = 0; n < maxlen && s[n] != '\0'; n++)
		;
	return n;
}

int
kstrcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; *p == *q; p++, q++) {
		if (*p == '\0')
			return 0;
	}
	return *p - *q;
}

int
kstrncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (*p == '\0')
			break;
	}
	return 0;
}

char *
kstrchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
kstrrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

size_t
kstrlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = kstrlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		kmemcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t
kstrlcat(char *restrict dst, const char *restrict src, size_t size)
{
	size_t dlen = kstrnlen(dst, size);

	/* No NUL within size bytes: nothing can be appended. */
	if (dlen == size)
		return size + kstrlen(src);
	return dlen + kstrlcpy(dst + dlen, src, size - dlen);
}
