/*
 * The definition round trip (see def_check.h).  The schema is only
 * used for the canonical forms: libxml2 reads the RelaxNG schema anew
 * for each validation, which for every fuzz input would cost most of
 * the time; an input's own schema check adds nothing a canonical form
 * does not show, since the table reader decides what is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "def_check.h"
#include "fuzz.h"

#define ERR_LEN	512

static void
schema(int on)
{
	if (on)
		setenv("XM_SCHEMA_DIR", FUZZ_SCHEMA_DIR, 1);
	else
		unsetenv("XM_SCHEMA_DIR");
}

/* Read text (a canonical form) back; it must be accepted. */
static void
reread(int (*parse)(struct xm_domain_def *, const char *, size_t, char *,
    size_t), const char *text, struct xm_domain_def *def)
{
	char err[ERR_LEN];

	xm_domain_def_init(def);
	if (parse(def, text, strlen(text), err, sizeof(err)) != 0) {
		fprintf(stderr, "a canonical form is refused: %s\n%s", err,
		    text);
		abort();
	}
}

static void
written(const struct xm_domain_def *def, char **xml, char **json)
{
	FUZZ_CHECK(dd_write_xml(def, xml) == 0 && *xml != NULL);
	FUZZ_CHECK(dd_write_json(def, json) == 0 && *json != NULL);
}

/* def's forms must be xml and json, read back from either. */
static void
same_forms(const char *xml, const char *json,
    int (*parse)(struct xm_domain_def *, const char *, size_t, char *,
    size_t), const char *from)
{
	struct xm_domain_def d;
	char *x, *j;

	reread(parse, from, &d);
	written(&d, &x, &j);
	if (strcmp(x, xml) != 0 || strcmp(j, json) != 0) {
		fprintf(stderr, "the round trip changed the definition:\n"
		    "--- first\n%s%s--- then\n%s%s", xml, json, x, j);
		abort();
	}
	free(x);
	free(j);
	xm_domain_def_dispose(&d);
}

static void
round_trip(const struct xm_domain_def *def)
{
	char *xml, *json, err[ERR_LEN];

	FUZZ_CHECK(dd_validate(def, err, sizeof(err)) == 0);
	written(def, &xml, &json);
	schema(1);
	same_forms(xml, json, dd_parse_xml, xml);
	same_forms(xml, json, dd_parse_json, json);
	same_forms(xml, json, dd_parse_auto, json);
	schema(0);
	free(xml);
	free(json);
}

void
def_fuzz_one(int (*parse)(struct xm_domain_def *, const char *, size_t,
    char *, size_t), const char *data, size_t len)
{
	struct xm_domain_def def;
	char err[ERR_LEN];
	char *text;

	/* Exactly len bytes, so that ASan sees a read past them. */
	if ((text = malloc(len > 0 ? len : 1)) == NULL)
		return;
	memcpy(text, data, len);
	schema(0);
	xm_domain_def_init(&def);
	err[0] = '\0';
	if (parse(&def, text, len, err, sizeof(err)) == 0)
		round_trip(&def);
	else
		FUZZ_CHECK(err[0] != '\0' && strlen(err) < sizeof(err));
	xm_domain_def_dispose(&def);
	free(text);
}
