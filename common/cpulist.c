/* CPU lists, "0-3,^2,5" (cpulist.h). */
#include <stdio.h>
#include <string.h>

#include "cpulist.h"
#include "parse_num.h"

#define BIT(n)	(UINT64_C(1) << (n))

/* CPUs a to b as a map. */
static uint64_t
span(uint64_t a, uint64_t b)
{
	uint64_t hi = b == 63 ? ~UINT64_C(0) : BIT(b + 1) - 1;

	return hi & ~(BIT(a) - 1);
}

/* One CPU number at *sp: 0, or -1 with *why. */
static int
cpu_at(const char **sp, uint64_t *cpu, const char **why)
{
	enum xm_num_err e = xm_num_scan(sp, 0, XM_CPULIST_MAX_CPU, cpu);

	if (e == XM_NUM_TOO_LARGE) {
		*why = "has a CPU above 63";
		return -1;
	}
	if (e != XM_NUM_OK) {
		*why = "is not a CPU list (like 0-3,^2,5)";
		return -1;
	}
	return 0;
}

/* One item, "^A-B", at *sp into *map. */
static int
item(const char **sp, uint64_t *map, const char **why)
{
	int exclude = **sp == '^';
	uint64_t a, b;

	if (exclude)
		(*sp)++;
	if (cpu_at(sp, &a, why) != 0)
		return -1;
	b = a;
	if (**sp == '-') {
		(*sp)++;
		if (cpu_at(sp, &b, why) != 0)
			return -1;
		if (b < a) {
			*why = "has a range that runs backwards";
			return -1;
		}
	}
	if (exclude)
		*map &= ~span(a, b);
	else
		*map |= span(a, b);
	return 0;
}

int
xm_cpulist_parse(const char *s, uint64_t *map, const char **why)
{
	uint64_t m = 0;

	if (*s == '\0') {
		*why = "is empty";
		return -1;
	}
	for (;;) {
		if (item(&s, &m, why) != 0)
			return -1;
		if (*s == '\0')
			break;
		if (*s++ != ',') {
			*why = "is not a CPU list (like 0-3,^2,5)";
			return -1;
		}
	}
	if (m == 0) {
		*why = "has no CPU";
		return -1;
	}
	*map = m;
	return 0;
}

const char *
xm_cpulist_format(uint64_t map, char *buf, size_t len)
{
	unsigned int a, b;
	size_t off = 0;
	int n;

	buf[0] = '\0';
	for (a = 0; a < 64; a = b + 1) {
		if (!(map & BIT(a))) {
			b = a;
			continue;
		}
		for (b = a; b < 63 && (map & BIT(b + 1)); b++)
			;
		n = snprintf(buf + off, len - off, b == a ? "%s%u" : "%s%u-%u",
		    off ? "," : "", a, b);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	return buf;
}

uint64_t
xm_cpulist_first(unsigned int n)
{
	if (n == 0)
		return 0;
	return n >= 64 ? ~UINT64_C(0) : BIT(n) - 1;
}
