/*
 * Validation of an XML definition against schemas/domain.rng with
 * libxml2's RelaxNG, after the table reader (def_xml.c) accepted it: the
 * reader gives the precise messages, the schema keeps it honest.  A
 * schema that is not found is an error naming where it was looked for:
 * a definition is never taken unchecked because a file went missing.
 */
#include <pthread.h>
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

/*
 * The compiled schema, kept for the life of the process: compiling
 * domain.rng costs far more than validating a definition with it.  It
 * is compiled again only when the schema's path changes
 * ($XM_SCHEMA_DIR set differently).  One lock for the cache and the
 * validation: libxmctl may be called from several threads.
 */
static pthread_mutex_t	 rng_lock = PTHREAD_MUTEX_INITIALIZER;
static xmlRelaxNG	*rng_schema;
static char		 rng_path[4096];

/* The schema at path, compiled or from the cache; NULL with err set. */
static xmlRelaxNG *
rng_get(const char *path, struct rng_err *r)
{
	xmlRelaxNGParserCtxt *pc;
	xmlRelaxNG *schema;

	if (rng_schema != NULL && strcmp(rng_path, path) == 0)
		return rng_schema;
	if ((pc = xmlRelaxNGNewParserCtxt(path)) == NULL)
		return NULL;
	xmlRelaxNGSetParserStructuredErrors(pc, rng_error, r);
	schema = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	if (schema == NULL)
		return NULL;
	xmlRelaxNGFree(rng_schema);
	rng_schema = schema;
	snprintf(rng_path, sizeof(rng_path), "%s", path);
	return schema;
}

int
dd_rng_validate(xmlDoc *doc, char *err, size_t errlen)
{
	struct rng_err r = { err, errlen, 0 };
	xmlRelaxNGValidCtxt *vc = NULL;
	xmlRelaxNG *schema;
	char path[sizeof(rng_path)];
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
	pthread_mutex_lock(&rng_lock);
	if ((schema = rng_get(path, &r)) == NULL ||
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
	pthread_mutex_unlock(&rng_lock);
	return rc;
}
