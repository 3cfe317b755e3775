/*
 * klib string and memory functions.
 *
 * The functions carry a k prefix so that the host unit tests can link
 * them next to the C library.  In a freestanding build (__STDC_HOSTED__
 * is 0) this header also declares the standard names; klib/mem.c, which
 * only the kernel builds compile, defines them.  GCC emits calls to
 * memcpy, memmove, memset and memcmp on its own (structure copies, large
 * initializers), so every kernel must link mem.c.
 *
 * The semantics are those of C11 and, for strlcpy and strlcat, of
 * OpenBSD.  Characters compare as unsigned char.
 */

#ifndef KLIB_STRING_H
#define KLIB_STRING_H

#include <stddef.h>

void	*kmemcpy(void *restrict dst, const void *restrict src, size_t n);
void	*kmemmove(void *dst, const void *src, size_t n);
void	*kmemset(void *dst, int c, size_t n);
int	 kmemcmp(const void *a, const void *b, size_t n);

size_t	 kstrlen(const char *s);
size_t	 kstrnlen(const char *s, size_t maxlen);
int	 kstrcmp(const char *a, const char *b);
int	 kstrncmp(const char *a, const char *b, size_t n);
char	*kstrchr(const char *s, int c);
char	*kstrrchr(const char *s, int c);

/*
 * Copy or append src to dst, writing at most size bytes including the
 * terminating NUL, which is always written when size > 0.  Both return
 * the length of the string they tried to create: truncation happened
 * if the result is >= size.
 */
size_t	 kstrlcpy(char *restrict dst, const char *restrict src, size_t size);
size_t	 kstrlcat(char *restrict dst, const char *restrict src, size_t size);

#if __STDC_HOSTED__ == 0
void	*memcpy(void *restrict dst, const void *restrict src, size_t n);
void	*memmove(void *dst, const void *src, size_t n);
void	*memset(void *dst, int c, size_t n);
int	 memcmp(const void *a, const void *b, size_t n);

size_t	 strlen(const char *s);
size_t	 strnlen(const char *s, size_t maxlen);
int	 strcmp(const char *a, const char *b);
int	 strncmp(const char *a, const char *b, size_t n);
char	*strchr(const char *s, int c);
char	*strrchr(const char *s, int c);
size_t	 strlcpy(char *restrict dst, const char *restrict src, size_t size);
size_t	 strlcat(char *restrict dst, const char *restrict src, size_t size);
#endif

#endif /* KLIB_STRING_H */
