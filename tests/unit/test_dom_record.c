/*
 * The domain record on the wire (common/dom_record.c): every field of
 * every record goes through JSON and back; a reply without a required
 * field, or with a field of the wrong type or out of range, is an error
 * that names the field; keys a newer xmd may add are ignored.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dom_record.h"

static const struct dr_record *const records[] = {
	&dr_domain, &dr_domain_state, &dr_event, &dr_defined, &dr_node_info,
	&dr_ping, &dr_sched, &dr_vcpu, &dr_vcpu_pin, &dr_memory, &dr_saved,
	&dr_migrated, &dr_migration_progress, &dr_domain_stats,
	&dr_vcpu_stats, &dr_node_stats, &dr_cpu_stats,
};

static size_t
record_size(const struct dr_record *r)
{
	if (r == &dr_domain || r == &dr_defined)
		return sizeof(struct xmctl_domain);
	if (r == &dr_domain_state)
		return sizeof(struct xmctl_domain_state);
	if (r == &dr_node_info)
		return sizeof(struct xmctl_node_info);
	if (r == &dr_ping)
		return sizeof(struct xmctl_ping);
	if (r == &dr_sched)
		return sizeof(struct xmctl_sched);
	if (r == &dr_vcpu)
		return sizeof(struct xmctl_vcpu);
	if (r == &dr_vcpu_pin)
		return sizeof(struct xmctl_vcpu_pin);
	if (r == &dr_memory)
		return sizeof(struct xmctl_memory);
	if (r == &dr_saved)
		return sizeof(struct xmctl_saved);
	if (r == &dr_migrated)
		return sizeof(struct xmctl_migrated);
	if (r == &dr_migration_progress)
		return sizeof(struct xmctl_migration_progress);
	if (r == &dr_domain_stats)
		return sizeof(struct xmctl_domain_stats);
	if (r == &dr_vcpu_stats)
		return sizeof(struct xmctl_vcpu_stats);
	if (r == &dr_node_stats)
		return sizeof(struct xmctl_node_stats);
	if (r == &dr_cpu_stats)
		return sizeof(struct xmctl_cpu_stats);
	return sizeof(struct xmctl_event);
}

/* A value for every field, different from field to field. */
static void
fill(const struct dr_record *r, void *rec)
{
	const struct dr_field *f;
	size_t i;

	for (i = 0; i < r->r_nfields; i++) {
		f = &r->r_fields[i];
		switch (f->f_type) {
		case DR_STR:
			snprintf(DR_AT(rec, f), f->f_size, "%s-%zu",
			    f->f_key, i);
			break;
		case DR_ID:
			*(int *)DR_AT(rec, f) = (int)i + 7;
			break;
		case DR_UINT:
			*(unsigned int *)DR_AT(rec, f) = UINT_MAX - (unsigned)i;
			break;
		case DR_U64:
			*(uint64_t *)DR_AT(rec, f) = UINT64_MAX - i;
			break;
		case DR_BOOL:
			*(int *)DR_AT(rec, f) = (int)(i & 1);
			break;
		case DR_DOUBLE:
			*(double *)DR_AT(rec, f) = (double)i + 0.25;
			break;
		}
	}
}

static struct json_object *
written(const struct dr_record *r, void *rec)
{
	memset(rec, 0, record_size(r));
	fill(r, rec);
	return dr_write(r, rec);
}

static void
test_round_trip(void **state)
{
	static struct xmctl_domain in, out;
	const struct dr_record *r;
	struct json_object *o;
	char err[256];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		r = records[i];
		o = written(r, &in);
		assert_int_equal(json_object_object_length(o), r->r_nfields);
		memset(&out, 0xa5, sizeof(out));
		assert_int_equal(dr_read(r, o, &out, err, sizeof(err)), 0);
		for (j = 0; j < r->r_nfields; j++)
			assert_memory_equal(DR_AT(&in, &r->r_fields[j]),
			    DR_AT(&out, &r->r_fields[j]),
			    r->r_fields[j].f_size);
		json_object_put(o);
	}
}

/* The table covers every member of the structs, none twice. */
static void
test_covers_structs(void **state)
{
	const struct dr_record *r;
	size_t i, j, sum;

	(void)state;
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		r = records[i];
		if (r == &dr_defined)
			continue;	/* two members of xmctl_domain */
		if (r == &dr_domain_stats || r == &dr_node_stats)
			continue;	/* their arrays: dr_vcpu/cpu_stats */
		sum = 0;
		for (j = 0; j < r->r_nfields; j++) {
			sum += r->r_fields[j].f_size;
			assert_true(r->r_fields[j].f_off +
			    r->r_fields[j].f_size <= record_size(r));
		}
		/* Padding aside: at most 8 bytes of it per member. */
		assert_true(sum <= record_size(r));
		assert_true(sum + 8 * r->r_nfields >= record_size(r));
	}
}

static void
expect_error(const struct dr_record *r, struct json_object *o,
    const char *want)
{
	static struct xmctl_domain out;
	char err[256];

	err[0] = '\0';
	assert_int_equal(dr_read(r, o, &out, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

static void
test_required_missing(void **state)
{
	static struct xmctl_domain in;
	const struct dr_record *r;
	const struct dr_field *f;
	struct json_object *o;
	char want[256];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		r = records[i];
		for (j = 0; j < r->r_nfields; j++) {
			f = &r->r_fields[j];
			if (!f->f_required)
				continue;
			o = written(r, &in);
			json_object_object_del(o, f->f_key);
			snprintf(want, sizeof(want),
			    "%s: field '%s' missing", r->r_what,
			    f->f_key);
			expect_error(r, o, want);
			json_object_put(o);
		}
	}
}

static const char *
type_error(enum dr_type t)
{
	switch (t) {
	case DR_STR:
		return "is not a string";
	case DR_ID:
		return "is not an integer or null";
	case DR_UINT:
	case DR_U64:
		return "is not an integer";
	case DR_BOOL:
		return "is not a boolean";
	case DR_DOUBLE:
		return "is not a number";
	}
	return "";
}

static void
test_wrong_type(void **state)
{
	static struct xmctl_domain in;
	const struct dr_record *r;
	const struct dr_field *f;
	struct json_object *o;
	char want[256];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		r = records[i];
		for (j = 0; j < r->r_nfields; j++) {
			f = &r->r_fields[j];
			o = written(r, &in);
			json_object_object_add(o, f->f_key, f->f_type ==
			    DR_STR ? json_object_new_int(1) :
			    json_object_new_string("1"));
			snprintf(want, sizeof(want), "%s: field '%s' %s",
			    r->r_what, f->f_key, type_error(f->f_type));
			expect_error(r, o, want);
			json_object_put(o);
		}
	}
}

/* A null is a value of no type but the id's. */
static void
test_null(void **state)
{
	static struct xmctl_domain in, out;
	struct json_object *o;
	char err[256];

	(void)state;
	o = written(&dr_domain, &in);
	json_object_object_add(o, "id", NULL);
	assert_int_equal(dr_read(&dr_domain, o, &out, err, sizeof(err)), 0);
	assert_int_equal(out.id, -1);
	json_object_object_add(o, "memory_kib", NULL);
	expect_error(&dr_domain, o,
	    "domain reply: field 'memory_kib' is not an integer");
	json_object_put(o);

	/* And xmd writes -1 as null. */
	in.id = -1;
	o = dr_write(&dr_domain, &in);
	assert_true(json_object_object_get_ex(o, "id", NULL));
	assert_null(json_object_object_get(o, "id"));
	json_object_put(o);
}

static void
test_out_of_range(void **state)
{
	static struct xmctl_domain in;
	struct json_object *o;

	(void)state;
	o = written(&dr_domain, &in);
	json_object_object_add(o, "vcpus", json_object_new_int(-1));
	expect_error(&dr_domain, o,
	    "domain reply: field 'vcpus' is out of range");
	json_object_object_add(o, "vcpus",
	    json_object_new_int64((int64_t)UINT_MAX + 1));
	expect_error(&dr_domain, o,
	    "domain reply: field 'vcpus' is out of range");
	json_object_put(o);

	o = written(&dr_domain, &in);
	json_object_object_add(o, "id",
	    json_object_new_int64((int64_t)INT_MAX + 1));
	expect_error(&dr_domain, o, "domain reply: field 'id' is out of range");
	json_object_object_add(o, "id", json_object_new_int(-2));
	expect_error(&dr_domain, o, "domain reply: field 'id' is out of range");
	json_object_put(o);

	o = written(&dr_domain, &in);
	json_object_object_add(o, "cpu_time_ns", json_object_new_int(-5));
	expect_error(&dr_domain, o,
	    "domain reply: field 'cpu_time_ns' is out of range");
	json_object_put(o);
}

static void
test_too_long(void **state)
{
	static struct xmctl_domain in;
	char name[XMCTL_NAME_MAX + 1];
	struct json_object *o;

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	o = written(&dr_domain, &in);
	json_object_object_add(o, "name", json_object_new_string(name));
	expect_error(&dr_domain, o, "domain reply: field 'name' is too long");
	json_object_put(o);
}

/* Optional fields may be absent; "" is written as absent. */
static void
test_optional(void **state)
{
	static struct xmctl_domain in, out;
	struct json_object *o;
	char err[256];

	(void)state;
	o = written(&dr_domain, &in);
	json_object_object_del(o, "kernel");
	json_object_object_del(o, "cmdline");
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(dr_read(&dr_domain, o, &out, err, sizeof(err)), 0);
	assert_string_equal(out.kernel, "");
	assert_string_equal(out.cmdline, "");
	json_object_put(o);

	in.kernel[0] = '\0';
	o = dr_write(&dr_domain, &in);
	assert_false(json_object_object_get_ex(o, "kernel", NULL));
	assert_true(json_object_object_get_ex(o, "cmdline", NULL));
	json_object_put(o);
}

/* What domain.state answers for a running domain: no reason. */
static void
test_state_running(void **state)
{
	struct xmctl_domain_state st;
	struct json_object *o;

	(void)state;
	memset(&st, 0, sizeof(st));
	snprintf(st.domain, sizeof(st.domain), "p1");
	snprintf(st.state, sizeof(st.state), "running");
	o = dr_write(&dr_domain_state, &st);
	assert_string_equal(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN),
	    "{\"domain\":\"p1\",\"state\":\"running\"}");
	json_object_put(o);
}

/* A newer xmd may send more: clients take what they know. */
static void
test_unknown_key(void **state)
{
	static struct xmctl_domain in, out;
	struct json_object *o;
	char err[256];

	(void)state;
	o = written(&dr_domain, &in);
	json_object_object_add(o, "numa_node", json_object_new_int(1));
	assert_int_equal(dr_read(&dr_domain, o, &out, err, sizeof(err)), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	json_object_put(o);
}

static void
test_not_object(void **state)
{
	struct json_object *o = json_object_new_array();

	(void)state;
	expect_error(&dr_domain, o, "domain reply: not an object");
	expect_error(&dr_domain_state, NULL,
	    "domain.state reply: not an object");
	json_object_put(o);
}

/* domain.stats' per-vCPU keys: after a prefix, beside other keys. */
static void
test_prefixed(void **state)
{
	struct xmctl_vcpu_stats in, out;
	struct json_object *o, *v;
	char err[256];

	(void)state;
	memset(&in, 0, sizeof(in));
	fill(&dr_vcpu_stats, &in);
	o = json_object_new_object();
	json_object_object_add(o, "cpu.time", json_object_new_int(5));
	dr_write_prefixed(&dr_vcpu_stats, &in, "vcpu.3.", o);
	assert_true(json_object_object_get_ex(o, "vcpu.3.time", &v));
	assert_true(json_object_object_get_ex(o, "vcpu.3.wait", &v));
	assert_int_equal(dr_read_prefixed(&dr_vcpu_stats, o, "vcpu.3.", &out,
	    err, sizeof(err)), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	json_object_object_add(o, "vcpu.3.time", json_object_new_string("x"));
	assert_int_equal(dr_read_prefixed(&dr_vcpu_stats, o, "vcpu.3.", &out,
	    err, sizeof(err)), -1);
	assert_string_equal(err,
	    "domain.stats reply: field 'vcpu.3.time' is not an integer");
	json_object_put(o);
}

/* Hypercalls by number as xm.hypercalls.NAME, the ones not 0 only. */
static void
test_hypercalls(void **state)
{
	uint64_t in[XMCTL_STATS_HYPERCALLS], out[XMCTL_STATS_HYPERCALLS];
	struct json_object *o, *v;

	(void)state;
	memset(in, 0, sizeof(in));
	in[29] = 7;		/* sched_op */
	in[11] = 2;		/* no name: by number */
	in[55] = UINT64_MAX;	/* arch_7 */
	o = json_object_new_object();
	dr_write_hypercalls(in, o);
	assert_int_equal(json_object_object_length(o), 3);
	assert_true(json_object_object_get_ex(o, "xm.hypercalls.sched_op", &v));
	assert_true(json_object_object_get_ex(o, "xm.hypercalls.11", &v));
	assert_true(json_object_object_get_ex(o, "xm.hypercalls.arch_7", &v));
	memset(out, 0xa5, sizeof(out));
	dr_read_hypercalls(o, out);
	assert_memory_equal(in, out, sizeof(in));
	json_object_put(o);
}

/*
 * migration.progress's parameters as xmd's migrate_out.c writes them:
 * "event" is not a member; a large page count and a phase that does not
 * fit are named.
 */
static void
test_migration_progress(void **state)
{
	struct xmctl_migration_progress p;
	struct json_object *o;
	char err[256];

	(void)state;
	o = json_tokener_parse("{\"event\": \"migration.progress\", "
	    "\"domain\": \"web1\", \"uri\": \"xm+tls://b.example/\", "
	    "\"phase\": \"precopy\", \"round\": 2, \"sent\": 9000000000, "
	    "\"remaining\": 310, \"dirty\": 295, \"dirty_rate\": 1475, "
	    "\"mbps\": 97, \"bytes\": 36864000000}");
	assert_non_null(o);
	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(dr_read(&dr_migration_progress, o, &p, err,
	    sizeof(err)), 0);
	assert_string_equal(p.domain, "web1");
	assert_string_equal(p.uri, "xm+tls://b.example/");
	assert_string_equal(p.phase, "precopy");
	assert_int_equal(p.round, 2);
	assert_true(p.sent == 9000000000ULL);
	assert_int_equal(p.remaining, 310);
	assert_int_equal(p.dirty, 295);
	assert_int_equal(p.dirty_rate, 1475);
	assert_int_equal(p.mbps, 97);
	assert_true(p.bytes == 36864000000ULL);

	json_object_object_add(o, "round", json_object_new_int(-1));
	assert_int_equal(dr_read(&dr_migration_progress, o, &p, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "migration.progress: field 'round'"));
	json_object_object_add(o, "round", json_object_new_int(2));
	json_object_object_add(o, "phase",
	    json_object_new_string("a-phase-of-sixteen-or-more"));
	assert_int_equal(dr_read(&dr_migration_progress, o, &p, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "migration.progress: field 'phase'"));
	json_object_put(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_covers_structs),
		cmocka_unit_test(test_required_missing),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_optional),
		cmocka_unit_test(test_state_running),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_not_object),
		cmocka_unit_test(test_prefixed),
		cmocka_unit_test(test_hypercalls),
		cmocka_unit_test(test_migration_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
