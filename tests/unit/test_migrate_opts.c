/*
 * domain.migrate's options as xmd reads them (xmd/migrate_opts.c):
 * bandwidth, persistent and undefine_source beside live, max_rounds
 * and max_downtime_ms; a bad value is refused with the parameter
 * named.  And the token bucket that paces the pre-copy rounds
 * (xmd/pace.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "migrate_opts.h"
#include "pace.h"

/* params (JSON text) read: the return, err and o kept. */
static int
read_text(const char *text, struct migrate_opts *o, char *err,
    size_t errlen)
{
	struct json_object *p = json_tokener_parse(text);
	int rc;

	assert_non_null(p);
	err[0] = '\0';
	rc = migrate_opts_read(p, o, err, errlen);
	json_object_put(p);
	return rc;
}

static void
test_all_given(void **state)
{
	struct migrate_opts o;
	char err[256];

	(void)state;
	assert_int_equal(read_text("{\"domain\": \"web1\", \"uri\": \"x\", "
	    "\"live\": true, \"max_rounds\": 5, \"max_downtime_ms\": 100, "
	    "\"bandwidth\": 4, \"persistent\": true, \"undefine_source\": "
	    "true}", &o, err, sizeof(err)), 0);
	assert_true(o.mop_live);
	assert_int_equal(o.mop_max_rounds, 5);
	assert_int_equal(o.mop_max_downtime_ms, 100);
	assert_int_equal(o.mop_bandwidth, 4);
	assert_true(o.mop_persistent);
	assert_true(o.mop_undefine_source);
}

static void
test_none_given(void **state)
{
	struct migrate_opts o;
	char err[256];

	(void)state;
	assert_int_equal(read_text("{\"domain\": \"web1\"}", &o, err,
	    sizeof(err)), 0);
	assert_false(o.mop_live);
	assert_int_equal(o.mop_bandwidth, 0);
	assert_false(o.mop_persistent);
	assert_false(o.mop_undefine_source);
}

/* A bandwidth bounds a stop-and-copy's stream too; 0 is no limit. */
static void
test_bandwidth_without_live(void **state)
{
	struct migrate_opts o;
	char err[256];

	(void)state;
	assert_int_equal(read_text("{\"bandwidth\": 0}", &o, err,
	    sizeof(err)), 0);
	assert_int_equal(o.mop_bandwidth, 0);
	assert_int_equal(read_text("{\"bandwidth\": 1048576, \"persistent\": "
	    "false}", &o, err, sizeof(err)), 0);
	assert_int_equal(o.mop_bandwidth, 1048576);
	assert_false(o.mop_live);
	assert_false(o.mop_persistent);
}

/* Each bad value: refused, the parameter named first. */
static void
test_refused(void **state)
{
	static const struct {
		const char	*params;
		const char	*starts;
	} bad[] = {
		{ "{\"bandwidth\": -1}", "bandwidth -1: MiB/s" },
		{ "{\"bandwidth\": 1048577}", "bandwidth 1048577: MiB/s" },
		{ "{\"bandwidth\": \"4\"}", "bandwidth: MiB/s" },
		{ "{\"bandwidth\": 4.5}", "bandwidth: MiB/s" },
		{ "{\"bandwidth\": null}", "bandwidth: MiB/s" },
		{ "{\"bandwidth\": true}", "bandwidth: MiB/s" },
		{ "{\"persistent\": 1}", "persistent: true or false" },
		{ "{\"undefine_source\": \"yes\"}",
		    "undefine_source: true or false" },
		{ "{\"live\": true, \"max_rounds\": 0}", "max_rounds 0" },
		{ "{\"max_rounds\": 3}", "max_rounds and max_downtime_ms" },
		{ "{\"max_downtime_ms\": 3}",
		    "max_rounds and max_downtime_ms" },
	};
	struct migrate_opts o;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(read_text(bad[i].params, &o, err,
		    sizeof(err)), -1);
		if (strncmp(err, bad[i].starts, strlen(bad[i].starts)) != 0)
			fail_msg("%s: \"%s\", not starting \"%s\"",
			    bad[i].params, err, bad[i].starts);
	}
}

/* 4 MiB/s: a burst of a tenth of a second, then a batch per 15 ms. */
static void
test_pace(void **state)
{
	struct pace p;
	uint64_t t = 1000, sent = 0, ms;

	(void)state;
	pace_init(&p, 4 * PACE_MIB, t);
	while ((ms = pace_wait_ms(&p, 15 * 4096, t)) == 0)
		sent += 15 * 4096;
	assert_true(sent <= 4 * PACE_MIB / 10);
	assert_true(sent >= 4 * PACE_MIB / 10 - 15 * 4096);
	assert_in_range(ms, 1, 15);
	/* Ten seconds of asking whenever told: 40 MiB, and the burst. */
	for (sent = 0; t < 11000; t += ms)
		if ((ms = pace_wait_ms(&p, 15 * 4096, t)) == 0)
			sent += 15 * 4096;
	assert_in_range(sent, 40 * PACE_MIB - 15 * 4096,
	    40 * PACE_MIB + 4 * PACE_MIB / 10 + 15 * 4096);
	/* No limit: never a wait. */
	pace_init(&p, 0, t);
	assert_int_equal(pace_wait_ms(&p, UINT64_C(1) << 40, t), 0);
	assert_true(pace_pages_per_ms(&p) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_given),
		cmocka_unit_test(test_none_given),
		cmocka_unit_test(test_bandwidth_without_live),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_pace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
