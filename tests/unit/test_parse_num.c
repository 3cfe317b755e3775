/*
 * Unit tests for the parser of users' numbers and sizes
 * (common/parse_num.c): the syntax, the range's ends, overflow, and the
 * words of the messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parse_num.h"

#define KIB	1024ULL
#define MIB	(1024ULL * KIB)
#define GIB	(1024ULL * MIB)
#define TIB	(1024ULL * GIB)

struct num_case {
	const char		*s;
	uint64_t		 min, max;
	enum xm_num_err		 err;
	uint64_t		 v;	/* when XM_NUM_OK */
};

static void
check_num(const struct num_case *c)
{
	uint64_t v = 12345;
	enum xm_num_err e = xm_num_parse(c->s, c->min, c->max, &v);

	if (e != c->err)
		fail_msg("'%s' in %llu..%llu: error %d, not %d", c->s,
		    (unsigned long long)c->min, (unsigned long long)c->max,
		    e, c->err);
	assert_int_equal(v, c->err == XM_NUM_OK ? c->v : 12345);
}

static void
test_num_syntax(void **state)
{
	static const struct num_case cases[] = {
		{ "", 0, 100, XM_NUM_EMPTY, 0 },
		{ "0", 0, 100, XM_NUM_OK, 0 },
		{ "7", 0, 100, XM_NUM_OK, 7 },
		{ "007", 0, 100, XM_NUM_OK, 7 },	/* not octal */
		{ "010", 0, 100, XM_NUM_OK, 10 },
		{ "12x", 0, 100, XM_NUM_INVALID, 0 },
		{ "x12", 0, 100, XM_NUM_INVALID, 0 },
		{ "1 ", 0, 100, XM_NUM_INVALID, 0 },
		{ " 1", 0, 100, XM_NUM_INVALID, 0 },
		{ "1\n", 0, 100, XM_NUM_INVALID, 0 },
		{ "+1", 0, 100, XM_NUM_INVALID, 0 },
		{ "-", 0, 100, XM_NUM_INVALID, 0 },
		{ "--1", 0, 100, XM_NUM_INVALID, 0 },
		{ "1-", 0, 100, XM_NUM_INVALID, 0 },
		{ "1.5", 0, 100, XM_NUM_INVALID, 0 },
		{ "1e3", 0, 10000, XM_NUM_INVALID, 0 },
		{ "0x10", 0, 100, XM_NUM_INVALID, 0 },	/* no hex */
		{ "0X10", 0, 100, XM_NUM_INVALID, 0 },
		{ "ff", 0, 100, XM_NUM_INVALID, 0 },
		{ "1M", 0, 100, XM_NUM_INVALID, 0 },	/* no unit */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_num(&cases[i]);
}

/* Nothing here is negative: a sign is no part of a number. */
static void
test_num_sign(void **state)
{
	static const struct num_case cases[] = {
		{ "-1", 0, 100, XM_NUM_INVALID, 0 },
		{ "-5", 1, 3600, XM_NUM_INVALID, 0 },
		{ "-0", 0, 100, XM_NUM_INVALID, 0 },
		{ "+0", 0, 100, XM_NUM_INVALID, 0 },
		{ "-99999999999999999999999", 0, 100, XM_NUM_INVALID, 0 },
		{ "-12x", 0, 100, XM_NUM_INVALID, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_num(&cases[i]);
}

static void
test_num_range(void **state)
{
	static const struct num_case cases[] = {
		{ "0", 1, 3600, XM_NUM_TOO_SMALL, 0 },
		{ "1", 1, 3600, XM_NUM_OK, 1 },
		{ "3600", 1, 3600, XM_NUM_OK, 3600 },
		{ "3601", 1, 3600, XM_NUM_TOO_LARGE, 0 },
		{ "5", 5, 5, XM_NUM_OK, 5 },
		{ "4", 5, 5, XM_NUM_TOO_SMALL, 0 },
		{ "6", 5, 5, XM_NUM_TOO_LARGE, 0 },
		{ "32751", 0, 0x7fef, XM_NUM_OK, 0x7fef },
		{ "32752", 0, 0x7fef, XM_NUM_TOO_LARGE, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_num(&cases[i]);
}

static void
test_num_overflow(void **state)
{
	static const struct num_case cases[] = {
		{ "18446744073709551615", 0, UINT64_MAX, XM_NUM_OK,
		    UINT64_MAX },
		{ "18446744073709551616", 0, UINT64_MAX, XM_NUM_TOO_LARGE, 0 },
		{ "18446744073709551620", 0, UINT64_MAX, XM_NUM_TOO_LARGE, 0 },
		{ "99999999999999999999999", 0, UINT64_MAX, XM_NUM_TOO_LARGE,
		    0 },
		{ "00000000000000000000000000001", 0, 10, XM_NUM_OK, 1 },
		{ "4294967296", 0, UINT32_MAX, XM_NUM_TOO_LARGE, 0 },
		{ "99999999999999999999999x", 0, UINT64_MAX, XM_NUM_INVALID,
		    0 },	/* the syntax first */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_num(&cases[i]);
}

struct size_case {
	const char		*s;
	enum xm_num_err		 err;
	uint64_t		 bytes;
};

/* QEMU's -m: bare numbers in MiB, 16M..1T. */
static void
test_size(void **state)
{
	static const struct size_case cases[] = {
		{ "256", XM_NUM_OK, 256 * MIB },
		{ "256M", XM_NUM_OK, 256 * MIB },
		{ "256m", XM_NUM_OK, 256 * MIB },
		{ "1G", XM_NUM_OK, GIB },
		{ "1g", XM_NUM_OK, GIB },
		{ "1T", XM_NUM_OK, TIB },
		{ "16384K", XM_NUM_OK, 16 * MIB },
		{ "16385k", XM_NUM_OK, 16385 * KIB },
		{ "16", XM_NUM_OK, 16 * MIB },
		{ "16383K", XM_NUM_TOO_SMALL, 0 },
		{ "15", XM_NUM_TOO_SMALL, 0 },
		{ "0", XM_NUM_TOO_SMALL, 0 },
		{ "-1G", XM_NUM_INVALID, 0 },
		{ "1025G", XM_NUM_TOO_LARGE, 0 },
		{ "2T", XM_NUM_TOO_LARGE, 0 },
		{ "16777216T", XM_NUM_TOO_LARGE, 0 },	/* 2^64 */
		{ "99999999999999999999M", XM_NUM_TOO_LARGE, 0 },
		{ "", XM_NUM_EMPTY, 0 },
		{ "M", XM_NUM_INVALID, 0 },
		{ "-", XM_NUM_INVALID, 0 },
		{ "+1G", XM_NUM_INVALID, 0 },
		{ " 1G", XM_NUM_INVALID, 0 },
		{ "0x10M", XM_NUM_UNIT, 0 },
		{ "4q", XM_NUM_UNIT, 0 },
		{ "1P", XM_NUM_UNIT, 0 },
		{ "1GB", XM_NUM_UNIT, 0 },
		{ "1GiB", XM_NUM_UNIT, 0 },
		{ "1 G", XM_NUM_UNIT, 0 },
		{ "1G ", XM_NUM_UNIT, 0 },
		{ "1.5G", XM_NUM_UNIT, 0 },
	};
	size_t i;
	uint64_t b;
	enum xm_num_err e;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b = 1;
		e = xm_size_parse(cases[i].s, MIB, 16 * MIB, TIB, &b);
		if (e != cases[i].err)
			fail_msg("size '%s': error %d, not %d", cases[i].s, e,
			    cases[i].err);
		assert_int_equal(b, e == XM_NUM_OK ? cases[i].bytes : 1);
	}
}

/* Numbers in lists: the digits at the start, where they end. */
static void
test_num_scan(void **state)
{
	const char *list = "0-4095,^0012,4096", *s = list;
	uint64_t v = 99;

	(void)state;
	assert_int_equal(xm_num_scan(&s, 0, 4095, &v), XM_NUM_OK);
	assert_int_equal(v, 0);
	assert_ptr_equal(s, list + 1);
	assert_int_equal(xm_num_scan(&s, 0, 4095, &v), XM_NUM_INVALID);
	assert_ptr_equal(s, list + 1);		/* "-": not moved */
	s++;
	assert_int_equal(xm_num_scan(&s, 0, 4095, &v), XM_NUM_OK);
	assert_int_equal(v, 4095);
	assert_ptr_equal(s, list + 6);
	s += 2;
	assert_int_equal(xm_num_scan(&s, 0, 4095, &v), XM_NUM_OK);
	assert_int_equal(v, 12);
	s++;
	v = 99;
	assert_int_equal(xm_num_scan(&s, 0, 4095, &v), XM_NUM_TOO_LARGE);
	assert_int_equal(v, 99);
	assert_int_equal(*s, '\0');
	s = "7";
	assert_int_equal(xm_num_scan(&s, 8, 10, &v), XM_NUM_TOO_SMALL);
	s = "99999999999999999999,1";
	assert_int_equal(xm_num_scan(&s, 0, UINT64_MAX, &v),
	    XM_NUM_TOO_LARGE);
	assert_int_equal(*s, ',');
	s = "";
	assert_int_equal(xm_num_scan(&s, 0, 1, &v), XM_NUM_INVALID);
}

/* A bare number counts units of scale. */
static void
test_size_scale(void **state)
{
	uint64_t b = 0;

	(void)state;
	assert_int_equal(xm_size_parse("3", 1, 0, UINT64_MAX, &b), XM_NUM_OK);
	assert_int_equal(b, 3);
	assert_int_equal(xm_size_parse("3", KIB, 0, UINT64_MAX, &b),
	    XM_NUM_OK);
	assert_int_equal(b, 3 * KIB);
	assert_int_equal(xm_size_parse("16777215T", 1, 0, UINT64_MAX, &b),
	    XM_NUM_OK);
	assert_int_equal(b, 16777215 * TIB);
}

/* libvirt's units, as virsh's sizes and definitions spell them. */
static void
test_unit_bytes(void **state)
{
	(void)state;
	assert_int_equal(xm_unit_bytes(NULL), KIB);
	assert_int_equal(xm_unit_bytes("b"), 1);
	assert_int_equal(xm_unit_bytes("Bytes"), 1);
	assert_int_equal(xm_unit_bytes("k"), KIB);
	assert_int_equal(xm_unit_bytes("KiB"), KIB);
	assert_int_equal(xm_unit_bytes("KB"), 1000);
	assert_int_equal(xm_unit_bytes("mib"), MIB);
	assert_int_equal(xm_unit_bytes("MB"), 1000 * 1000);
	assert_int_equal(xm_unit_bytes("G"), 1024 * MIB);
	assert_int_equal(xm_unit_bytes("T"), TIB);
	assert_int_equal(xm_unit_bytes("TB"), UINT64_C(1000000000000));
	assert_int_equal(xm_unit_bytes(""), 0);
	assert_int_equal(xm_unit_bytes("Q"), 0);
	assert_int_equal(xm_unit_bytes("KiBs"), 0);
	assert_int_equal(xm_unit_bytes("Mi"), 0);
}

static void
test_why(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(xm_num_why(XM_NUM_INVALID, 1, 3600, buf,
	    sizeof(buf)), "not a number");
	assert_string_equal(xm_num_why(XM_NUM_EMPTY, 1, 3600, buf,
	    sizeof(buf)), "empty, not a number");
	assert_string_equal(xm_num_why(XM_NUM_TOO_SMALL, 1, 3600, buf,
	    sizeof(buf)), "too small (1..3600)");
	assert_string_equal(xm_num_why(XM_NUM_TOO_LARGE, 1, 3600, buf,
	    sizeof(buf)), "too large (1..3600)");
	assert_string_equal(xm_num_why(XM_NUM_TOO_LARGE, 0, UINT64_MAX, buf,
	    sizeof(buf)), "too large (0..18446744073709551615)");
	assert_string_equal(xm_size_why(XM_NUM_INVALID, 16 * MIB, TIB, buf,
	    sizeof(buf)), "not a size");
	assert_string_equal(xm_size_why(XM_NUM_TOO_SMALL, 16 * MIB, TIB, buf,
	    sizeof(buf)), "too small (16M..1T)");
	assert_string_equal(xm_size_why(XM_NUM_UNIT, 16 * MIB, TIB, buf,
	    sizeof(buf)), "unknown unit (K, M, G or T)");
}

static void
test_size_format(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(xm_size_format(256 * MIB, buf, sizeof(buf)),
	    "256M");
	assert_string_equal(xm_size_format(1536 * KIB, buf, sizeof(buf)),
	    "1536K");
	assert_string_equal(xm_size_format(2 * TIB, buf, sizeof(buf)), "2T");
	assert_string_equal(xm_size_format(7, buf, sizeof(buf)), "7B");
	assert_string_equal(xm_size_format(0, buf, sizeof(buf)), "0B");
	/* What the format writes, the parser reads back (but bytes). */
	assert_int_equal(xm_size_parse(xm_size_format(1536 * KIB, buf,
	    sizeof(buf)), 1, 0, UINT64_MAX, &(uint64_t){ 0 }), XM_NUM_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num_syntax),
		cmocka_unit_test(test_num_sign),
		cmocka_unit_test(test_num_range),
		cmocka_unit_test(test_num_overflow),
		cmocka_unit_test(test_num_scan),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_size_scale),
		cmocka_unit_test(test_unit_bytes),
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_size_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
