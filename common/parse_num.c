/* Numbers and sizes from users (see parse_num.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parse_num.h"

/* The suffixes of a size, each 1024 times the one before. */
static const char units[] = "KMGT";

/* A number's digits, read from *sp; where they stop in *sp. */
struct scanned {
	uint64_t	 n;
	int		 overflow;	/* more than 2^64 - 1 */
	int		 digits;	/* how many */
};

static void
scan(const char **sp, struct scanned *sc)
{
	const char *s = *sp;
	unsigned int d;

	memset(sc, 0, sizeof(*sc));
	for (; *s >= '0' && *s <= '9'; s++, sc->digits++) {
		d = (unsigned int)(*s - '0');
		if (sc->n > (UINT64_MAX - d) / 10)
			sc->overflow = 1;
		else if (!sc->overflow)
			sc->n = sc->n * 10 + d;
	}
	*sp = s;
}

/* The range check of a well-formed number. */
static enum xm_num_err
in_range(const struct scanned *sc, uint64_t min, uint64_t max)
{
	if (sc->overflow || sc->n > max)
		return XM_NUM_TOO_LARGE;
	if (sc->n < min)
		return XM_NUM_TOO_SMALL;
	return XM_NUM_OK;
}

enum xm_num_err
xm_num_parse(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	struct scanned sc;
	enum xm_num_err e;

	if (*s == '\0')
		return XM_NUM_EMPTY;
	scan(&s, &sc);
	if (sc.digits == 0 || *s != '\0')
		return XM_NUM_INVALID;
	if ((e = in_range(&sc, min, max)) == XM_NUM_OK)
		*v = sc.n;
	return e;
}

enum xm_num_err
xm_num_scan(const char **sp, uint64_t min, uint64_t max, uint64_t *v)
{
	struct scanned sc;
	enum xm_num_err e;

	scan(sp, &sc);
	if (sc.digits == 0)
		return XM_NUM_INVALID;
	if ((e = in_range(&sc, min, max)) == XM_NUM_OK)
		*v = sc.n;
	return e;
}

/* The bytes of a suffix ("" for scale), or 0 if it is none of ours. */
static uint64_t
suffix_bytes(const char *s, uint64_t scale)
{
	const char *u;
	char c;

	if (*s == '\0')
		return scale;
	c = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
	if (s[1] != '\0' || (u = strchr(units, c)) == NULL)
		return 0;
	return (uint64_t)1 << (10 * (u - units + 1));
}

enum xm_num_err
xm_size_parse(const char *s, uint64_t scale, uint64_t min, uint64_t max,
    uint64_t *bytes)
{
	struct scanned sc;
	uint64_t unit;
	enum xm_num_err e;

	if (*s == '\0')
		return XM_NUM_EMPTY;
	scan(&s, &sc);
	if (sc.digits == 0)
		return XM_NUM_INVALID;
	if ((unit = suffix_bytes(s, scale)) == 0)
		return XM_NUM_UNIT;
	if (sc.n > UINT64_MAX / unit)
		sc.overflow = 1;
	else
		sc.n *= unit;
	if ((e = in_range(&sc, min, max)) == XM_NUM_OK)
		*bytes = sc.n;
	return e;
}

uint64_t
xm_unit_bytes(const char *unit)
{
	static const char powers[] = "kmgtpe";
	const char *p;
	uint64_t base, scale = 1;
	size_t i;

	if (unit == NULL)
		return 1024;
	if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
	    strcasecmp(unit, "bytes") == 0)
		return 1;
	if (unit[0] == '\0' ||
	    (p = strchr(powers, tolower((unsigned char)unit[0]))) == NULL)
		return 0;
	if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
		base = 1024;
	else if (strcasecmp(unit + 1, "B") == 0)
		base = 1000;
	else
		return 0;
	for (i = 0; i <= (size_t)(p - powers); i++)
		scale *= base;
	return scale;
}

const char *
xm_size_format(uint64_t bytes, char *buf, size_t len)
{
	int i;

	for (i = (int)sizeof(units) - 2; i >= 0; i--) {
		uint64_t unit = (uint64_t)1 << (10 * (i + 1));

		if (bytes != 0 && bytes % unit == 0) {
			snprintf(buf, len, "%llu%c",
			    (unsigned long long)(bytes / unit), units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%lluB", (unsigned long long)bytes);
	return buf;
}

/* The reason for e; lo and hi are the range's ends as the user writes. */
static const char *
why(enum xm_num_err e, const char *what, const char *lo, const char *hi,
    char *buf, size_t len)
{
	switch (e) {
	case XM_NUM_OK:
		snprintf(buf, len, "no error");
		break;
	case XM_NUM_EMPTY:
		snprintf(buf, len, "empty, not %s", what);
		break;
	case XM_NUM_INVALID:
		snprintf(buf, len, "not %s", what);
		break;
	case XM_NUM_TOO_SMALL:
		snprintf(buf, len, "too small (%s..%s)", lo, hi);
		break;
	case XM_NUM_TOO_LARGE:
		snprintf(buf, len, "too large (%s..%s)", lo, hi);
		break;
	case XM_NUM_UNIT:
		snprintf(buf, len, "unknown unit (K, M, G or T)");
		break;
	}
	return buf;
}

const char *
xm_num_why(enum xm_num_err e, uint64_t min, uint64_t max, char *buf,
    size_t len)
{
	char lo[24], hi[24];

	snprintf(lo, sizeof(lo), "%llu", (unsigned long long)min);
	snprintf(hi, sizeof(hi), "%llu", (unsigned long long)max);
	return why(e, "a number", lo, hi, buf, len);
}

const char *
xm_size_why(enum xm_num_err e, uint64_t min, uint64_t max, char *buf,
    size_t len)
{
	char lo[24], hi[24];

	xm_size_format(min, lo, sizeof(lo));
	xm_size_format(max, hi, sizeof(hi));
	return why(e, "a size", lo, hi, buf, len);
}
