/*
 * Unit tests for domain definitions (common/domain_def.c, def_xml.c).
 *
 * Golden files: every tests/defs/reject/NAME.xml or NAME.json must be
 * refused with exactly the message in NAME.err; every tests/defs/accept/NAME.xml must
 * be accepted, and the fields of each are checked here.  The files are
 * found through $XM_SRCDIR (default ".").
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

#include "domain_def.h"

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		fail_msg("%s: cannot open", path);
	buf = malloc(2 * XM_DEF_TEXT_MAX);
	assert_non_null(buf);
	n = fread(buf, 1, 2 * XM_DEF_TEXT_MAX - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *
def_path(const char *dir, const char *name)
{
	const char *src = getenv("XM_SRCDIR");
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s/%s", src != NULL ? src : ".",
	    dir, name);
	return path;
}

/* Parse the file; 0 or -1 with the message in err. */
static int
parse_file(const char *path, struct xm_domain_def *def, char *err,
    size_t len)
{
	char *text = slurp(path);
	int rc;

	xm_domain_def_init(def);
	err[0] = '\0';
	rc = xm_domain_def_parse(def, text, strlen(text), err, len);
	free(text);
	return rc;
}

static void
test_rejected_golden(void **state)
{
	struct xm_domain_def def;
	char err[1024], *want, *nl, path[4096];
	struct dirent *e;
	size_t n = 0, len;
	DIR *dir;

	(void)state;
	dir = opendir(def_path("tests/defs", "reject"));
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		len = strlen(e->d_name);
		if ((len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0) &&
		    (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0))
			continue;
		snprintf(path, sizeof(path), "%s", def_path("tests/defs/reject",
		    e->d_name));
		assert_int_equal(parse_file(path, &def, err, sizeof(err)), -1);
		xm_domain_def_dispose(&def);
		strcpy(strrchr(path, '.'), ".err");
		want = slurp(path);
		if ((nl = strchr(want, '\n')) != NULL)
			*nl = '\0';
		if (strcmp(err, want) != 0)
			fail_msg("%s:\n  got  \"%s\"\n  want \"%s\"", e->d_name,
			    err, want);
		free(want);
		n++;
	}
	closedir(dir);
	assert_true(n >= 60);
}

static void
accept_file(const char *dir, const char *name, struct xm_domain_def *def)
{
	char err[1024];

	if (parse_file(def_path(dir, name), def, err, sizeof(err)) != 0)
		fail_msg("%s: %s", name, err);
}

static void
test_accepted_minimal(void **state)
{
	struct xm_domain_def def;
	int i, zero = 1;

	(void)state;
	accept_file("tests/defs/accept", "minimal.xml", &def);
	assert_string_equal(def.dd_name, "web1");
	assert_int_equal(def.dd_memory_kib, 16384);	/* KiB by default */
	assert_int_equal(def.dd_vcpus, 1);
	assert_string_equal(def.dd_kernel, "/boot/vmlinuz");
	assert_string_equal(def.dd_cmdline, "");
	assert_false(def.dd_uuid_given);
	for (i = 0; i < XM_UUID_LEN; i++)
		zero &= def.dd_uuid[i] == 0;
	assert_false(zero);
	assert_int_equal(def.dd_uuid[6] >> 4, 4);	/* random: version 4 */
	xm_domain_def_dispose(&def);
}

static void
test_accepted_libvirt(void **state)
{
	struct xm_domain_def def;
	char uuid[XM_UUID_STRLEN];

	(void)state;
	accept_file("tests/defs/accept", "libvirt-pv.xml", &def);
	assert_string_equal(def.dd_name, "web-2.example_com+x");
	assert_true(def.dd_uuid_given);
	xm_uuid_format(def.dd_uuid, uuid);
	assert_string_equal(uuid, "4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
	assert_int_equal(def.dd_memory_kib, 262144);
	assert_int_equal(def.dd_vcpus, 2);
	assert_string_equal(def.dd_kernel, "/var/lib/xen/vmlinuz");
	/* The command line as written; kernel and numbers are trimmed. */
	assert_string_equal(def.dd_cmdline, " console=hvc0 root=/dev/xvda1 ");
	xm_domain_def_dispose(&def);
}

static void
test_accepted_compact(void **state)
{
	struct xm_domain_def def;
	char uuid[XM_UUID_STRLEN];

	(void)state;
	accept_file("tests/defs/accept", "xm-type.xml", &def);
	assert_string_equal(def.dd_name, "t");
	xm_uuid_format(def.dd_uuid, uuid);
	assert_string_equal(uuid, "4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
	assert_int_equal(def.dd_memory_kib, 1024 * 1024);
	assert_int_equal(def.dd_vcpus, 128);
	assert_string_equal(def.dd_kernel, "k.elf");
	xm_domain_def_dispose(&def);
	accept_file("tests/defs/accept", "units.xml", &def);
	/* 10^8 bytes, rounded up to KiB */
	assert_int_equal(def.dd_memory_kib, 97657);
	assert_string_equal(def.dd_cmdline, "");
	xm_domain_def_dispose(&def);
}

static void
test_example_hello(void **state)
{
	struct xm_domain_def def;

	(void)state;
	accept_file("examples", "hello.xml", &def);
	assert_string_equal(def.dd_name, "hello");
	assert_int_equal(def.dd_memory_kib, 16 * 1024);
	assert_string_equal(def.dd_kernel, "guests/hello/hello.elf");
	xm_domain_def_dispose(&def);
}

static void
test_memory_units(void **state)
{
	static const struct {
		const char	*value, *unit;
		uint64_t	 kib;
		const char	*why;
	} cases[] = {
		{ "16", NULL, 16, NULL },
		{ "1", "b", 1, NULL },
		{ "1024", "bytes", 1, NULL },
		{ "1025", "byte", 2, NULL },
		{ "1", "KB", 1, NULL },
		{ "1024", "KB", 1000, NULL },
		{ "3", "k", 3, NULL },
		{ "3", "KiB", 3, NULL },
		{ "2", "M", 2048, NULL },
		{ "2", "mib", 2048, NULL },
		{ "1", "MB", 977, NULL },
		{ "1", "GiB", 1048576, NULL },
		{ "1", "GB", 976563, NULL },
		{ "1", "TiB", 1073741824, NULL },
		{ "2", "T", 0, "is more than 1 TiB" },
		{ "1", "PiB", 0, "is more than 1 TiB" },
		{ "1", "EB", 0, "is more than 1 TiB" },
		{ "99999999999999999999999", "b", 0, "is more than 1 TiB" },
		{ "1", "KiBs", 0, "has an unknown unit" },
		{ "1", "", 0, "has an unknown unit" },
		{ "1", "x", 0, "has an unknown unit" },
		{ "", NULL, 0, "is not a whole number" },
		{ "1.5", "M", 0, "is not a whole number" },
		{ "+1", NULL, 0, "is not a whole number" },
		{ "0", "b", 0, "is too small" },
	};
	const char *why;
	uint64_t kib;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kib = 0;
		rc = xm_memory_parse(cases[i].value, cases[i].unit, &kib, &why);
		if (cases[i].why == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(kib, cases[i].kib);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(why, cases[i].why);
		}
	}
}

static void
test_names(void **state)
{
	static const char *const good[] = { "a", "web1", "Domain-0", "_x",
	    "a.b+c-d_e", "0x", "12a" };
	static const char *const bad[] = { "", "-a", ".a", "a b", "a/b",
	    "123", "4dea22b31d52d8f32516782e98ab3fa0", "é" };
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(xm_domain_name_valid(good[i], &why));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(xm_domain_name_valid(bad[i], &why));
		assert_non_null(why);
	}
}

static void
test_uuids(void **state)
{
	uint8_t a[XM_UUID_LEN], b[XM_UUID_LEN];
	char s[XM_UUID_STRLEN];

	(void)state;
	assert_int_equal(xm_uuid_parse("4dea22b3-1d52-d8f3-2516-782e98ab3fa0",
	    a), 0);
	assert_int_equal(xm_uuid_parse("4DEA22B31D52D8F32516782E98AB3FA0", b),
	    0);
	assert_memory_equal(a, b, XM_UUID_LEN);
	xm_uuid_format(a, s);
	assert_string_equal(s, "4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
	assert_int_equal(xm_uuid_parse("4dea22b3-1d52-d8f3-2516-782e98ab3fa", a),
	    -1);
	assert_int_equal(xm_uuid_parse("4dea22b31-d52-d8f3-2516-782e98ab3fa0", a),
	    -1);
	assert_int_equal(xm_uuid_parse("4dea22b3-1d52-d8f3-2516-782e98ab3fg0", a),
	    -1);
	/* As before libuuid: no blanks, no partial dashes, no "0x". */
	assert_int_equal(xm_uuid_parse(" 4dea22b3-1d52-d8f3-2516-782e98ab3fa0",
	    a), -1);
	assert_int_equal(xm_uuid_parse("4dea22b3-1d52d8f3-2516-782e98ab3fa0",
	    a), -1);
	assert_int_equal(xm_uuid_parse("4dea22b3-1d52-d8f3-2516782e98ab3fa0",
	    a), -1);
	assert_int_equal(xm_uuid_parse("4dea22b3-1d52d8f32516782e98ab3fa0", a),
	    -1);
	assert_int_equal(xm_uuid_parse("0x4dea22b31d52d8f32516782e98ab3f", a),
	    -1);
	assert_int_equal(xm_uuid_parse("", a), -1);
	assert_int_equal(xm_uuid_generate(a), 0);
	assert_int_equal(xm_uuid_generate(b), 0);
	assert_memory_not_equal(a, b, XM_UUID_LEN);
	assert_int_equal(a[8] & 0xc0, 0x80);
	assert_int_equal(a[6] >> 4, 4);
}

static void
test_too_large(void **state)
{
	struct xm_domain_def def;
	char err[256], *text = malloc(XM_DEF_TEXT_MAX + 2);

	(void)state;
	assert_non_null(text);
	memset(text, ' ', XM_DEF_TEXT_MAX + 1);
	text[0] = '<';
	xm_domain_def_init(&def);
	assert_int_equal(xm_domain_def_parse(&def, text, XM_DEF_TEXT_MAX + 1,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "the definition is larger than 1048576 bytes");
	xm_domain_def_dispose(&def);
	free(text);
}

/*
 * dd_parse_json() on its own (dd_parse_auto() wants a '{' first): a
 * JSON null was refused with an empty message, and NUL bytes after the
 * object passed for blanks (found by fuzz_def_json).
 */
static void
test_json_null_and_nul(void **state)
{
	static const char obj[] = "{\"type\": \"xen\", \"name\": \"j\", "
	    "\"memory\": {\"value\": 16}, \"os\": {\"kernel\": \"k\"}}";
	struct xm_domain_def def;
	char err[256], text[256];

	(void)state;
	xm_domain_def_init(&def);
	err[0] = '\0';
	assert_int_equal(dd_parse_json(&def, "null\n", 5, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "$: expected an object");
	xm_domain_def_dispose(&def);

	memcpy(text, obj, sizeof(obj));		/* and its NUL */
	text[sizeof(obj)] = '\0';
	xm_domain_def_init(&def);
	assert_int_equal(dd_parse_json(&def, text, sizeof(obj) - 1, err,
	    sizeof(err)), 0);
	xm_domain_def_dispose(&def);
	xm_domain_def_init(&def);
	assert_int_equal(dd_parse_json(&def, text, sizeof(obj) + 1, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "$: not JSON: text after the object at byte 76");
	xm_domain_def_dispose(&def);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejected_golden),
		cmocka_unit_test(test_accepted_minimal),
		cmocka_unit_test(test_accepted_libvirt),
		cmocka_unit_test(test_accepted_compact),
		cmocka_unit_test(test_example_hello),
		cmocka_unit_test(test_memory_units),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_uuids),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_json_null_and_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
