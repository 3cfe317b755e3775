/*
 * Well-formed UTF-8 by the table of the Unicode Standard (chapter 3,
 * table 3-7), written apart from rpc_dispatch.c's decoder so that one
 * checks the other.
 */
#ifndef XM_FUZZ_UTF8_H
#define XM_FUZZ_UTF8_H

#include <stddef.h>

static inline int
utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo, hi;
	size_t i = 0, n, k;

	while (i < len) {
		lo = 0x80, hi = 0xbf;
		if (s[i] <= 0x7f)
			n = 0;
		else if (s[i] >= 0xc2 && s[i] <= 0xdf)
			n = 1;
		else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 2;
			if (s[i] == 0xe0)
				lo = 0xa0;
			if (s[i] == 0xed)
				hi = 0x9f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			if (s[i] == 0xf0)
				lo = 0x90;
			if (s[i] == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (n > len - i - 1)
			return 0;
		/* Only the second byte has the narrower range. */
		for (k = 1; k <= n; k++) {
			if (s[i + k] < (k == 1 ? lo : 0x80) ||
			    s[i + k] > (k == 1 ? hi : 0xbf))
				return 0;
		}
		i += n + 1;
	}
	return 1;
}

#endif
