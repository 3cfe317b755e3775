/*
 * Unit tests for CPU lists (common/cpulist.c), the one parser behind
 * xmctl vcpupin, domain.vcpupin and the definitions' cpuset: virsh's
 * syntax, the refusals and their words, and the shortest form back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cpulist.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char	*s;
	uint64_t	 map;
} good[] = {
	{ "0", 0x1 },
	{ "5", 0x20 },
	{ "0-3", 0xf },
	{ "0-3,^2,5", 0x2b },
	{ "0-3,^2,2", 0xf },		/* later items win */
	{ "1,1,1", 0x2 },
	{ "007", 0x80 },		/* leading zeros */
	{ "63", UINT64_C(1) << 63 },
	{ "0-63", ~UINT64_C(0) },
	{ "0-63,^0-62", UINT64_C(1) << 63 },
	{ "4-4", 0x10 },
};

static const struct {
	const char	*s;
	const char	*why;
} bad[] = {
	{ "", "is empty" },
	{ "9-2", "has a range that runs backwards" },
	{ "64", "has a CPU above 63" },
	{ "0-64", "has a CPU above 63" },
	{ "99999999999999999999", "has a CPU above 63" },
	{ "0,^0", "has no CPU" },
	{ "^2", "has no CPU" },
	{ "0-", "is not a CPU list (like 0-3,^2,5)" },
	{ "-1", "is not a CPU list (like 0-3,^2,5)" },
	{ "0,,1", "is not a CPU list (like 0-3,^2,5)" },
	{ "0,", "is not a CPU list (like 0-3,^2,5)" },
	{ "1 ", "is not a CPU list (like 0-3,^2,5)" },
	{ " 1", "is not a CPU list (like 0-3,^2,5)" },
	{ "0x3", "is not a CPU list (like 0-3,^2,5)" },
	{ "^^1", "is not a CPU list (like 0-3,^2,5)" },
	{ "+1", "is not a CPU list (like 0-3,^2,5)" },
	{ "a", "is not a CPU list (like 0-3,^2,5)" },
};

static void
test_parse_accepts_virsh_lists(void **state)
{
	const char *why;
	uint64_t map;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(good); i++) {
		map = 0;
		if (xm_cpulist_parse(good[i].s, &map, &why) != 0)
			fail_msg("'%s' refused: %s", good[i].s, why);
		if (map != good[i].map)
			fail_msg("'%s' is %#llx, not %#llx", good[i].s,
			    (unsigned long long)map,
			    (unsigned long long)good[i].map);
	}
}

static void
test_parse_refuses_and_says_why(void **state)
{
	const char *why;
	uint64_t map;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		map = 42;
		why = NULL;
		if (xm_cpulist_parse(bad[i].s, &map, &why) == 0)
			fail_msg("'%s' accepted", bad[i].s);
		assert_non_null(why);
		if (strcmp(why, bad[i].why) != 0)
			fail_msg("'%s': \"%s\", not \"%s\"", bad[i].s, why,
			    bad[i].why);
		assert_int_equal(map, 42);	/* untouched */
	}
}

static void
test_format_is_shortest_and_reads_back(void **state)
{
	static const struct {
		uint64_t	 map;
		const char	*s;
	} f[] = {
		{ 0, "" },
		{ 0x1, "0" },
		{ 0x3, "0-1" },
		{ 0xf, "0-3" },
		{ 0x2b, "0-1,3,5" },
		{ 0x3b, "0-1,3-5" },
		{ ~UINT64_C(0), "0-63" },
		{ UINT64_C(3) << 62, "62-63" },
	};
	char buf[XM_CPULIST_LEN];
	const char *why;
	uint64_t map;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(f); i++) {
		assert_string_equal(xm_cpulist_format(f[i].map, buf,
		    sizeof(buf)), f[i].s);
		if (f[i].map != 0) {
			assert_int_equal(xm_cpulist_parse(buf, &map, &why), 0);
			assert_int_equal(map, f[i].map);
		}
	}
	/* The longest form fits. */
	xm_cpulist_format(UINT64_C(0x5555555555555555), buf, sizeof(buf));
	assert_int_equal(xm_cpulist_parse(buf, &map, &why), 0);
	assert_int_equal(map, UINT64_C(0x5555555555555555));
}

static void
test_first(void **state)
{
	(void)state;
	assert_int_equal(xm_cpulist_first(0), 0);
	assert_int_equal(xm_cpulist_first(1), 1);
	assert_int_equal(xm_cpulist_first(4), 0xf);
	assert_true(xm_cpulist_first(64) == ~UINT64_C(0));
	assert_true(xm_cpulist_first(200) == ~UINT64_C(0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts_virsh_lists),
		cmocka_unit_test(test_parse_refuses_and_says_why),
		cmocka_unit_test(test_format_is_shortest_and_reads_back),
		cmocka_unit_test(test_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
