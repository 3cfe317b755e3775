/*
 * Unit tests for what a definition keeps without effect (issue 14): the
 * virsh-dumpxml-style tests/defs/accept/virsh-pv.xml is read into the
 * fields it names, goes XML -> JSON -> XML without loss, warns of each
 * kept element once; id= is ignored when read and written when set;
 * <metadata> is kept as canonical XML (namespaces carried, comments and
 * blanks dropped) and refused without a namespace.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain_def.h"

static char *
slurp(const char *name)
{
	const char *src = getenv("XM_SRCDIR");
	char path[4096], *buf;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/defs/accept/%s",
	    src != NULL ? src : ".", name);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s: cannot open", path);
	buf = malloc(XM_DEF_TEXT_MAX + 1);
	assert_non_null(buf);
	n = fread(buf, 1, XM_DEF_TEXT_MAX, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
parse_ok(struct xm_domain_def *def, const char *text)
{
	char err[512];

	xm_domain_def_init(def);
	if (dd_parse_auto(def, text, strlen(text), err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
}

static void
test_virsh_fields(void **state)
{
	struct xm_domain_def def;
	const struct xm_def_console *co;
	const struct xm_def_graphics *gr;
	char *text = slurp("virsh-pv.xml");

	(void)state;
	parse_ok(&def, text);
	assert_int_equal(def.dd_id, 0);		/* id='7' is not kept */
	assert_non_null(strstr(def.dd_metadata, "<shop:rack slot=\"12\">"));
	assert_string_equal(def.dd_bootloader, "/usr/lib/xen-4.17/bin/pygrub");
	assert_string_equal(def.dd_bootloader_args, "--kernel=/boot/vmlinuz");
	assert_string_equal(def.dd_clock_offset, "utc");
	assert_string_equal(def.dd_clock_adjustment, "reset");
	assert_int_equal(def.dd_consoles.n, 1);
	co = &def.dd_consoles.items[0];
	assert_string_equal(co->co_tty, "/dev/pts/3");
	assert_string_equal(co->co_source_path, "/dev/pts/3");
	assert_int_equal(co->co_target_port_given, 1);
	assert_int_equal(def.dd_inputs.n, 2);
	assert_string_equal(def.dd_inputs.items[1].in_type, "keyboard");
	assert_int_equal(def.dd_graphics.n, 1);
	gr = &def.dd_graphics.items[0];
	assert_string_equal(gr->gr_type, "vnc");
	assert_string_equal(gr->gr_port, "5900");
	assert_string_equal(gr->gr_listen, "127.0.0.1");
	assert_string_equal(gr->gr_listen_address, "127.0.0.1");
	assert_string_equal(def.dd_memballoon_model, "xen");
	xm_domain_def_dispose(&def);
	free(text);
}

/* XML -> JSON -> XML gives the same XML: JSON carries all of it. */
static void
test_virsh_json_round_trip(void **state)
{
	struct xm_domain_def a, b;
	char *text = slurp("virsh-pv.xml"), *xml1, *json, *xml2;

	(void)state;
	parse_ok(&a, text);
	assert_int_equal(dd_write_xml(&a, &xml1), 0);
	assert_int_equal(dd_write_json(&a, &json), 0);
	parse_ok(&b, json);
	assert_int_equal(dd_write_xml(&b, &xml2), 0);
	assert_string_equal(xml1, xml2);
	assert_non_null(strstr(json, "\"listen_elem\""));
	xm_domain_def_dispose(&a);
	xm_domain_def_dispose(&b);
	free(xml1);
	free(xml2);
	free(json);
	free(text);
}

static void
test_id_written_not_read(void **state)
{
	struct xm_domain_def def, back;
	char *text = slurp("virsh-pv.xml"), *xml, *json;

	(void)state;
	parse_ok(&def, text);
	def.dd_id = 7;
	assert_int_equal(dd_write_xml(&def, &xml), 0);
	assert_non_null(strstr(xml, "<domain type=\"xen\" id=\"7\">"));
	assert_int_equal(dd_write_json(&def, &json), 0);
	assert_non_null(strstr(json, "\"id\": 7,"));
	parse_ok(&back, json);
	assert_int_equal(back.dd_id, 0);
	xm_domain_def_dispose(&back);
	parse_ok(&back, xml);
	assert_int_equal(back.dd_id, 0);
	xm_domain_def_dispose(&back);
	xm_domain_def_dispose(&def);
	free(xml);
	free(json);
	free(text);
}

static void
test_warnings(void **state)
{
	static const char *const want[] = {
		"<bootloader> is kept but has no effect on xm\n",
		"<clock> is kept but has no effect on xm\n",
		"attribute 'tty' of <console> is kept but has no effect on xm\n",
		"<source> in <console> is kept but has no effect on xm\n",
		"<input> is kept but has no effect on xm\n",
		"<graphics> is kept but has no effect on xm\n",
		"<memballoon> is kept but has no effect on xm\n",
	};
	struct xm_domain_def def;
	char *text = slurp("virsh-pv.xml"), buf[2048];
	const char *p;
	size_t i;

	(void)state;
	parse_ok(&def, text);
	assert_true(dd_warnings(&def, buf, sizeof(buf)) >= 8);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_non_null(p = strstr(buf, want[i]));
		assert_null(strstr(p + 1, want[i]));	/* once */
	}
	assert_null(strstr(buf, "metadata"));
	xm_domain_def_dispose(&def);
	free(text);
	text = slurp("minimal.xml");
	parse_ok(&def, text);
	assert_int_equal(dd_warnings(&def, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	xm_domain_def_dispose(&def);
	free(text);
}

#define MD_HEAD	"<domain type='xen' xmlns:a='urn:a'><name>m</name>" \
	"<memory>16384</memory><os><kernel>k</kernel></os><metadata>"
#define MD_TAIL	"</metadata></domain>"

/* A prefix declared on <domain>, a default namespace, comments, blanks. */
static void
test_metadata_canonical(void **state)
{
	static const char text[] = MD_HEAD
	    "\n  <!-- a note -->\n  <a:x k='v'>\n    <a:y>t</a:y>\n  </a:x>\n"
	    "  <z xmlns='urn:z'/>\n" MD_TAIL;
	struct xm_domain_def def, back;
	char *xml, *again;

	(void)state;
	parse_ok(&def, text);
	assert_string_equal(def.dd_metadata,
	    "<a:x xmlns:a=\"urn:a\" k=\"v\"><a:y>t</a:y></a:x>"
	    "<z xmlns=\"urn:z\"/>");
	assert_int_equal(dd_write_xml(&def, &xml), 0);
	parse_ok(&back, xml);
	assert_string_equal(back.dd_metadata, def.dd_metadata);
	assert_int_equal(dd_write_xml(&back, &again), 0);
	assert_string_equal(xml, again);
	xm_domain_def_dispose(&def);
	xm_domain_def_dispose(&back);
	free(xml);
	free(again);
}

static void
test_metadata_refused(void **state)
{
	static const char xml[] = MD_HEAD "<owner>ops</owner>" MD_TAIL;
	static const char json[] = "{\"type\": \"xen\", \"name\": \"m\", "
	    "\"memory\": {\"value\": 16}, \"os\": {\"kernel\": \"k\"}, "
	    "\"metadata\": \"<owner>ops</owner>\"}";
	struct xm_domain_def def;
	char err[512];

	(void)state;
	xm_domain_def_init(&def);
	assert_int_equal(dd_parse_auto(&def, xml, strlen(xml), err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "<owner> is in no namespace"));
	xm_domain_def_dispose(&def);
	assert_int_equal(dd_parse_auto(&def, json, strlen(json), err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "$.metadata: "));
	assert_non_null(strstr(err, "<owner> is in no namespace"));
	xm_domain_def_dispose(&def);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virsh_fields),
		cmocka_unit_test(test_virsh_json_round_trip),
		cmocka_unit_test(test_id_written_not_read),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_metadata_canonical),
		cmocka_unit_test(test_metadata_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
