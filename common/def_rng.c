/*
 * Validation of an XML definition against schemas/domain.rng with
 * libxml2's RelaxNG, after the table reader (def_xml.c) accepted it: the
 * reader gives the precise messages, the schema keeps it honest.  A
 * schema that is not found is an error naming where it was looked for:
 * a definition is never taken unchecked because a file went missing.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlversion.h>

#include "def_table.h"

struct rng_err {
	char	*err;
	size_t	 errlen;
	int	 seen;
};

int	dd_rng_validate(xmlDoc *, char *err, size_t errlen);

#if LIBXML_VERSION >= 21200
#define RNG_ERROR	const xmlError
#else
#define RNG_ERROR	xmlError
#endif

/* The first error only: later ones follow from it. */
static void
rng_error(void *arg, RNG_ERROR *e)
{
	struct rng_err *r = arg;
	size_t n;

	if (r->seen++)
		return;
	snprintf(r->err, r->errlen, "line %d: schema: %s", e->line,
	    e->message != NULL ? e->message : "invalid");
	n = strlen(r->err);
	while (n > 0 && r->err[n - 1] == '\n')
		r->err[--n] = '\0';
}

int
dd_rng_validate(xmlDoc *doc, char *err, size_t errlen)
{
	struct rng_err r = { err, errlen, 0 };
	xmlRelaxNGParserCtxt *pc = NULL;
	xmlRelaxNGValidCtxt *vc = NULL;
	xmlRelaxNG *schema = NULL;
	char path[4096];
	int rc = -1;

	switch (dd_schema_path(path, sizeof(path))) {
	case 0:
		break;
	case 1:
		return 0;	/* a build without a schema (def_table.h) */
	default:
		snprintf(err, errlen, "cannot validate: no schema at %s", path);
		return -1;
	}
	if ((pc = xmlRelaxNGNewParserCtxt(path)) == NULL)
		goto out;
	xmlRelaxNGSetParserStructuredErrors(pc, rng_error, &r);
	if ((schema = xmlRelaxNGParse(pc)) == NULL ||
	    (vc = xmlRelaxNGNewValidCtxt(schema)) == NULL) {
		snprintf(err, errlen, "%s: cannot read the schema", path);
		goto out;
	}
	xmlRelaxNGSetValidStructuredErrors(vc, rng_error, &r);
	if (xmlRelaxNGValidateDoc(vc, doc) == 0)
		rc = 0;
	else if (!r.seen)
		snprintf(err, errlen, "the definition does not match %s", path);
out:
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pc);
	return rc;
}
