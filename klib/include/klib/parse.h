/*
 * klib parsers for numbers, sizes and kernel command lines.
 */

#ifndef KLIB_PARSE_H
#define KLIB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parse an unsigned 64-bit number in base 2 to 36.  Base 0 picks 16 for
 * a "0x" or "0X" prefix, 8 for a leading "0", 10 otherwise; base 16
 * also accepts the "0x" prefix.  A prefix not followed by a hex digit is
 * not one: "0x" parses as 0 and stops at the 'x'.  Unlike strtoull, no
 * white space or sign is accepted.
 *
 * If end is not NULL, *end is set to the first character not parsed (to
 * s on failure).  If end is NULL, the whole string must be the number.
 * Return 0 and store the value in *out, or return -1 without touching
 * *out if there are no digits, the value overflows, trailing characters
 * remain with end NULL, or base is invalid.
 */
int	kstrtou64(const char *s, const char **end, unsigned base,
	    uint64_t *out);

/*
 * Parse a size in bytes: a decimal number, or a hexadecimal one after
 * "0x", then an optional binary unit K, M, G, T, P or E (powers of 1024),
 * then an optional "B" ("iB" after a unit).  Case does not matter:
 * "512", "64K", "64KiB", "16m", "2GB", "0x1000" are all sizes.  In a
 * hex number B and E are digits, so "0x10B" is 267 bytes.  Return 0 and
 * store the size in *bytes, or -1 without touching it for anything else,
 * including white space, signs and values past 2^64 - 1.
 */
int	kparse_size(const char *s, uint64_t *bytes);

/*
 * Look for key in a kernel command line of words separated by spaces,
 * tabs or newlines.  A word is "key" (a flag) or "key=value"; double
 * quotes in a word group spaces into it and are removed from the value:
 * console="com1 vga" or console=com1" "vga give "com1 vga".  Keys match
 * whole: "cons" does not find "console=x".  When a key is given more
 * than once the last one counts, so that later words override earlier
 * ones.
 *
 * Return true if key is present.  Its value (empty for a flag or
 * "key=") is then copied to val as by strlcpy, truncated to valsz - 1
 * characters; val may be NULL to only test presence.  val is left
 * alone if the key is absent.
 */
bool	kcmdline_get(const char *cmdline, const char *key, char *val,
	    size_t valsz);

#endif /* KLIB_PARSE_H */
