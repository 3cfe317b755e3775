/*
 * klib formatted output: a printf for kernels.
 *
 * kvformat is the core: it hands each output character to emit(ctx, c),
 * so a console can print without a buffer.  ksnprintf and kvsnprintf
 * behave as C99 snprintf and vsnprintf: they write at most size bytes,
 * always NUL-terminate when size > 0, and return the length the output
 * would have had without truncation (not counting the NUL).  buf may be
 * NULL when size is 0.  All three return -1 if that length exceeds
 * INT_MAX.
 *
 * Supported:
 *	conversions	d i u x X o c s p %
 *	length		hh h l ll z t j
 *	flags		- 0 + space #
 *	width and precision, as numbers or '*' (taken from an int argument;
 *	a negative width means '-' flag, a negative precision means none)
 *
 * Differences from C:
 *	%p prints "0x" and 16 zero-padded hex digits, NULL included
 *	   ("0x0000000000000000", where glibc prints "(nil)"), so that
 *	   addresses line up in register dumps.  Only width and '-' apply.
 *	%s of NULL prints "(null)", cut by the precision like any string.
 *	No floating point, %n, wide characters (%lc %ls), positional
 *	   arguments (%1$d) or L/q modifiers.  An unsupported or malformed
 *	   conversion is printed as it was written and consumes no argument;
 *	   the format attribute lets GCC catch these at compile time.
 */

#ifndef KLIB_FORMAT_H
#define KLIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void	kformat_emit_t(void *ctx, char c);

int	kvformat(kformat_emit_t *emit, void *ctx, const char *fmt, va_list ap)
	    __attribute__((__format__(__printf__, 3, 0)));
int	kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	    __attribute__((__format__(__printf__, 3, 0)));
int	ksnprintf(char *buf, size_t size, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));

#endif /* KLIB_FORMAT_H */
