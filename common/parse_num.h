/*
 * Numbers and sizes that users give: xmd's options and xmd.conf's
 * values, xmctl's operands, the definitions' numbers.  Every one goes
 * through here, so that "12x", "" and "99999999999999999999" get the
 * same answer everywhere.
 *
 * A number is decimal digits (leading zeros allowed, not octal): no
 * sign, no blanks, no hexadecimal, nothing after the digits; every
 * number here counts something, none is negative.  A size is a number
 * with an optional suffix K, M, G or T (either case, powers of 1024).
 *
 * The caller names the thing in its message, this module says what is
 * wrong with the value:
 *
 *	xmd: -T 12x: not a number
 *	xmd: -T 0: too small (1..3600)
 *	xmctl: memory '4q': unknown unit (K, M, G or T)
 */
#ifndef XM_COMMON_PARSE_NUM_H
#define XM_COMMON_PARSE_NUM_H

#include <stddef.h>
#include <stdint.h>

enum xm_num_err {
	XM_NUM_OK = 0,
	XM_NUM_EMPTY,		/* "" */
	XM_NUM_INVALID,		/* no digits, or something after them */
	XM_NUM_TOO_SMALL,	/* below min */
	XM_NUM_TOO_LARGE,	/* above max, or past 2^64 - 1 */
	XM_NUM_UNIT,		/* a size's suffix is none of K, M, G, T */
};

/* s in min..max: XM_NUM_OK with *v set, or what is wrong (*v as was). */
enum xm_num_err	xm_num_parse(const char *s, uint64_t min, uint64_t max,
		    uint64_t *v);
/*
 * The number at the start of *sp, for lists ("0-3,^2"): its digits are
 * read and *sp left after them; XM_NUM_INVALID (and *sp as was) when
 * there are none.
 */
enum xm_num_err	xm_num_scan(const char **sp, uint64_t min, uint64_t max,
		    uint64_t *v);

/*
 * The size s in bytes, min..max bytes; a number without a suffix counts
 * units of scale bytes (QEMU's -m: 1 MiB).
 */
enum xm_num_err	xm_size_parse(const char *s, uint64_t scale,
		    uint64_t min, uint64_t max, uint64_t *bytes);

/*
 * The bytes of one libvirt (and virsh) size unit: "b", "byte" or
 * "bytes" 1; "k", "KiB", "m", "MiB" ... up to "e", "EiB" powers of
 * 1024; "KB", "MB" ... powers of 1000; any case.  NULL is KiB.  0: it
 * is none of them.
 */
uint64_t	xm_unit_bytes(const char *unit);

/* What is wrong, in buf: "not a number", "too small (1..3600)". */
const char	*xm_num_why(enum xm_num_err, uint64_t min, uint64_t max,
		    char *buf, size_t len);
/* The same for a size, its range in units: "too small (16M..1T)". */
const char	*xm_size_why(enum xm_num_err, uint64_t min, uint64_t max,
		    char *buf, size_t len);
/* bytes in the largest unit that holds it whole: "256M", "1536K", "7B". */
const char	*xm_size_format(uint64_t bytes, char *buf, size_t len);

#endif
