/*
 * Unit tests for the written forms of a definition (common/def_write.c,
 * def_json.c): every tests/defs/accept/NAME.xml or NAME.json is written
 * as canonical XML and JSON, which must equal NAME.xml.out and
 * NAME.json.out (a generated UUID is zeroed first); every such file and
 * every examples/NAME.xml goes XML -> JSON -> XML and JSON -> XML -> JSON
 * without loss, and the canonical forms read back to themselves.
 * Files are found through $XM_SRCDIR (default "."); with
 * XM_GOLDEN_UPDATE=1 the .out files are written instead of compared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "def_table.h"
#include "domain_def.h"

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		fail_msg("%s: cannot open", path);
	buf = malloc(XM_DEF_TEXT_MAX + 1);
	assert_non_null(buf);
	n = fread(buf, 1, XM_DEF_TEXT_MAX, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char *
src_path(const char *dir, const char *name)
{
	const char *src = getenv("XM_SRCDIR");
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s/%s", src != NULL ? src : ".",
	    dir, name);
	return path;
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a > b && strcmp(s + a - b, suffix) == 0;
}

static void
parse_text(const char *what, const char *text, struct xm_domain_def *def)
{
	char err[1024];

	xm_domain_def_init(def);
	if (dd_parse_auto(def, text, strlen(text), err, sizeof(err)) != 0)
		fail_msg("%s: %s", what, err);
	if (!def->dd_uuid_given)
		memset(def->dd_uuid, 0, sizeof(def->dd_uuid));
}

static char *
write_form(const struct xm_domain_def *def, int json)
{
	char *out;

	assert_int_equal(json ? dd_write_json(def, &out) :
	    dd_write_xml(def, &out), 0);
	return out;
}

static void
compare_golden(const char *name, const char *ext, const char *got)
{
	char path[4096], *want;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", src_path("tests/defs/accept",
	    name), ext);
	if (getenv("XM_GOLDEN_UPDATE") != NULL) {
		assert_non_null(f = fopen(path, "w"));
		fputs(got, f);
		fclose(f);
		return;
	}
	want = slurp(path);
	if (strcmp(got, want) != 0)
		fail_msg("%s%s:\n--- got\n%s--- want\n%s", name, ext, got, want);
	free(want);
}

/* text read, written in form json, read again, written again: equal. */
static void
round_trip(const char *what, const char *text, int json)
{
	struct xm_domain_def a, b;
	char *first, *other, *second;

	parse_text(what, text, &a);
	first = write_form(&a, json);
	other = write_form(&a, !json);
	parse_text(what, other, &b);
	if (!a.dd_uuid_given)
		b.dd_uuid_given = 0;
	second = write_form(&b, json);
	if (strcmp(first, second) != 0)
		fail_msg("%s: lost in the round trip:\n%s---\n%s", what, first,
		    second);
	free(second);
	xm_domain_def_dispose(&b);
	parse_text(what, first, &b);	/* canonical reads as itself */
	second = write_form(&b, json);
	assert_string_equal(first, second);
	free(first);
	free(other);
	free(second);
	xm_domain_def_dispose(&a);
	xm_domain_def_dispose(&b);
}

static void
test_accept_golden(void **state)
{
	struct xm_domain_def def;
	struct dirent *e;
	size_t n = 0;
	char *text, *out;
	DIR *dir;

	(void)state;
	assert_non_null(dir = opendir(src_path("tests/defs", "accept")));
	while ((e = readdir(dir)) != NULL) {
		if (!has_suffix(e->d_name, ".xml") &&
		    !has_suffix(e->d_name, ".json"))
			continue;
		text = slurp(src_path("tests/defs/accept", e->d_name));
		parse_text(e->d_name, text, &def);
		*strrchr(e->d_name, '.') = '\0';
		compare_golden(e->d_name, ".xml.out", out = write_form(&def, 0));
		free(out);
		compare_golden(e->d_name, ".json.out", out = write_form(&def, 1));
		free(out);
		xm_domain_def_dispose(&def);
		round_trip(e->d_name, text, 0);
		round_trip(e->d_name, text, 1);
		free(text);
		n++;
	}
	closedir(dir);
	assert_true(n >= 7);
}

static void
test_examples_round_trip(void **state)
{
	struct dirent *e;
	size_t n = 0;
	char *text;
	DIR *dir;

	(void)state;
	assert_non_null(dir = opendir(src_path(".", "examples")));
	while ((e = readdir(dir)) != NULL) {
		if (!has_suffix(e->d_name, ".xml"))
			continue;
		text = slurp(src_path("examples", e->d_name));
		round_trip(e->d_name, text, 0);
		round_trip(e->d_name, text, 1);
		free(text);
		n++;
	}
	closedir(dir);
	assert_true(n >= 5);
}

/* The libvirt example keeps every field it gives. */
static void
test_libvirt_example_fields(void **state)
{
	struct xm_domain_def d;
	char *text, err[256];

	(void)state;
	text = slurp(src_path("examples", "libvirt-pv.xml"));
	parse_text("libvirt-pv.xml", text, &d);
	free(text);
	assert_string_equal(d.dd_title, "Web server");
	assert_int_equal(d.dd_memory_kib, 524288);
	assert_int_equal(d.dd_current_memory.sz_kib, 262144);
	assert_int_equal(d.dd_vcpus, 2);
	assert_int_equal(d.dd_vcpu_current, 1);
	assert_string_equal(d.dd_vcpu_cpuset, "0-1");
	assert_string_equal(d.dd_initrd, "/var/lib/xen/images/initrd.img");
	assert_int_equal(d.dd_shares, 512);
	assert_int_equal(d.dd_period, 100000);
	assert_int_equal(d.dd_quota, 50000);
	assert_int_equal(d.dd_vcpupin.n, 2);
	assert_string_equal(d.dd_vcpupin.items[1].vp_cpuset, "1");
	assert_int_equal(d.dd_hard_limit.sz_kib, 1024 * 1024);
	assert_string_equal(d.dd_hard_limit.sz_unit, "MiB");
	assert_string_equal(d.dd_on_crash, "preserve");
	assert_int_equal(d.dd_disks.n, 2);
	assert_string_equal(d.dd_disks.items[0].dk_source_file,
	    "/var/lib/xen/images/web1.img");
	assert_true(d.dd_disks.items[1].dk_readonly);
	assert_int_equal(d.dd_interfaces.n, 2);
	assert_string_equal(d.dd_interfaces.items[0].if_mac,
	    "00:16:3e:1a:b3:4c");
	assert_string_equal(d.dd_interfaces.items[1].if_source_network,
	    "default");
	assert_int_equal(d.dd_consoles.n, 1);
	assert_int_equal(dd_sched_weight(&d), 512);
	assert_int_equal(dd_sched_cap(&d), 50);
	assert_int_equal(dd_check_startable(&d, err, sizeof(err)), -1);
	assert_string_equal(err, "disk xvda: disks are not supported yet");
	xm_domain_def_dispose(&d);
	text = slurp(src_path("examples", "hello.xml"));
	parse_text("hello.xml", text, &d);
	free(text);
	assert_int_equal(dd_sched_weight(&d), 256);
	assert_int_equal(dd_sched_cap(&d), 0);
	assert_int_equal(dd_check_startable(&d, err, sizeof(err)), 0);
	xm_domain_def_dispose(&d);
}

/*
 * What xmd reads of cputune and how it changes it (schedinfo and
 * vcpupin --config): the changed definition is written and read back.
 */
static void
test_sched_fields_and_setters(void **state)
{
	struct xm_domain_def d, back;
	char *text, *xml;

	(void)state;
	text = slurp(src_path("tests/defs/accept", "sched.xml"));
	parse_text("sched.xml", text, &d);
	free(text);
	assert_true(dd_sched_given(&d));
	assert_int_equal(dd_sched_weight(&d), 1024);
	assert_int_equal(dd_sched_cap(&d), 150);
	assert_string_equal(dd_vcpu_pin(&d, 0), "0-3,^2");
	assert_string_equal(dd_vcpu_pin(&d, 1), "0-3");	/* <vcpu cpuset> */
	assert_string_equal(dd_vcpu_pin(&d, 3), "5");
	assert_int_equal(dd_set_vcpupin(&d, 0, "1"), 0);	/* replaces */
	assert_int_equal(dd_set_vcpupin(&d, 2, "2-3"), 0);	/* adds */
	assert_int_equal(d.dd_vcpupin.n, 3);
	d.dd_quota = 50000;
	dd_set_cap(&d, 0);
	assert_int_equal(d.dd_quota, 0);
	assert_int_equal(dd_sched_cap(&d), 0);
	assert_int_equal(dd_write_xml(&d, &xml), 0);
	parse_text("sched.xml, changed", xml, &back);
	free(xml);
	assert_string_equal(dd_vcpu_pin(&back, 0), "1");
	assert_string_equal(dd_vcpu_pin(&back, 2), "2-3");
	assert_int_equal(dd_sched_cap(&back), 0);
	assert_int_equal(dd_sched_weight(&back), 1024);
	xm_domain_def_dispose(&back);
	xm_domain_def_dispose(&d);
	xm_domain_def_init(&d);
	assert_false(dd_sched_given(&d));
	assert_null(dd_vcpu_pin(&d, 0));
	xm_domain_def_dispose(&d);
}

/* Every field of the table is named in both schemas. */
static void
schema_names(const struct dd_type *t, const char *rng, const char *js)
{
	const struct dd_field *f;
	char want[128];
	size_t i;

	for (i = 0; i < t->t_nfields; i++) {
		f = &t->t_fields[i];
		if (f->f_where != DW_TEXT) {
			snprintf(want, sizeof(want), "name=\"%s\"", f->f_name);
			if (strstr(rng, want) == NULL)
				fail_msg("domain.rng lacks %s", want);
		}
		snprintf(want, sizeof(want), "\"%s\":", f->f_where == DW_TEXT ?
		    "value" : f->f_name);
		if (strstr(js, want) == NULL)
			fail_msg("domain.schema.json lacks %s", want);
		if (f->f_kind == DK_OBJ || f->f_kind == DK_LIST)
			schema_names(f->f_type, rng, js);
	}
}

static void
test_schemas_name_every_field(void **state)
{
	char *rng, *js;

	(void)state;
	rng = slurp(src_path("schemas", "domain.rng"));
	js = slurp(src_path("schemas", "domain.schema.json"));
	schema_names(&dd_domain_type, rng, js);
	free(rng);
	free(js);
}

/* dd_parse_xml validates against the schema that XM_SCHEMA_DIR names. */
static void
test_schema_is_used(void **state)
{
	static const char strict[] =
	    "<grammar xmlns='http://relaxng.org/ns/structure/1.0'>\n"
	    "<start><element name='domain'><attribute name='type'/>\n"
	    "<element name='title'><text/></element>\n"
	    "<zeroOrMore><element><anyName/><text/></element></zeroOrMore>\n"
	    "</element></start></grammar>\n";
	static const char def[] = "<domain type='xen'>\n"
	    "<name>web1</name><memory>16384</memory>\n"
	    "<os><kernel>k</kernel></os></domain>\n";
	struct xm_domain_def d;
	char dir[] = "/tmp/xm-schema-XXXXXX", path[64], err[256];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/domain.rng", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(strict, f);
	fclose(f);
	setenv("XM_SCHEMA_DIR", dir, 1);
	xm_domain_def_init(&d);
	assert_int_equal(dd_parse_xml(&d, def, strlen(def), err, sizeof(err)),
	    -1);
	if (strstr(err, "schema: ") == NULL)
		fail_msg("%s", err);
	xm_domain_def_dispose(&d);
	unsetenv("XM_SCHEMA_DIR");
	unlink(path);
	rmdir(dir);
}

/*
 * A schema directory without the schema is an error naming the path,
 * not a definition taken unchecked (nor one checked against another
 * directory's schema).
 */
static void
test_schema_missing(void **state)
{
	static const char def[] = "<domain type='xen'>\n"
	    "<name>web1</name><memory>16384</memory>\n"
	    "<os><kernel>k</kernel></os></domain>\n";
	struct xm_domain_def d;
	char dir[] = "/tmp/xm-schema-XXXXXX", want[64], err[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XM_SCHEMA_DIR", dir, 1);
	xm_domain_def_init(&d);
	assert_int_equal(dd_parse_xml(&d, def, strlen(def), err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "no schema at %s/domain.rng", dir);
	if (strstr(err, want) == NULL)
		fail_msg("got '%s', want '%s'", err, want);
	xm_domain_def_dispose(&d);
	/* The same text with the schema found is accepted. */
	unsetenv("XM_SCHEMA_DIR");
	xm_domain_def_init(&d);
	assert_int_equal(dd_parse_xml(&d, def, strlen(def), err, sizeof(err)),
	    0);
	xm_domain_def_dispose(&d);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_golden),
		cmocka_unit_test(test_examples_round_trip),
		cmocka_unit_test(test_libvirt_example_fields),
		cmocka_unit_test(test_sched_fields_and_setters),
		cmocka_unit_test(test_schemas_name_every_field),
		cmocka_unit_test(test_schema_is_used),
		cmocka_unit_test(test_schema_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
