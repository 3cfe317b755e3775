/*
 * The XML form of a domain definition (libvirt's domain XML, the subset
 * that domain_def.h shows), read with libxml2 into struct xm_domain_def
 * by walking the field table (def_table.h): an element's attributes, its
 * children and its text must each be a field of its type.  Whatever is
 * not in the table is an error that names it and its line.  The document
 * is then validated against schemas/domain.rng (def_rng.c).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "def_table.h"

struct xml_ctx {
	char		*err;
	size_t		 errlen;
};

int	dd_rng_validate(xmlDoc *, char *err, size_t errlen);
int	dd_xml_capture(xmlNode *, char **out, char *why, size_t len);

static int	read_type(struct xml_ctx *, xmlNode *, const struct dd_type *,
		    void *);

static int
fail(struct xml_ctx *c, const xmlNode *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n != NULL)
		snprintf(c->err, c->errlen, "line %ld: %s", xmlGetLineNo(n),
		    msg);
	else
		snprintf(c->err, c->errlen, "%s", msg);
	return -1;
}

static int
is_blank(const xmlChar *s)
{
	while (s != NULL && *s != '\0' && isspace(*s))
		s++;
	return s == NULL || *s == '\0';
}

/* The element's text, which must not contain elements; NULL on error. */
static char *
leaf_text(struct xml_ctx *c, xmlNode *n)
{
	xmlNode *k;
	xmlChar *t;
	char *s;

	for (k = n->children; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE) {
			fail(c, k, "unknown element <%s> in <%s>", k->name,
			    n->name);
			return NULL;
		}
	t = xmlNodeGetContent(n);
	s = strdup(t != NULL ? (const char *)t : "");
	xmlFree(t);
	if (s == NULL)
		fail(c, n, "out of memory");
	return s;
}

/* Set f from the text s of element n (or of its attribute f). */
static int
set_field(struct xml_ctx *c, xmlNode *n, const struct dd_field *f,
    void *base, const char *s, const char *unit)
{
	char why[256];

	if (dd_field_set(f, base, s, unit, why, sizeof(why)) == 0)
		return 0;
	if (f->f_where == DW_ATTR)
		return fail(c, n, "attribute '%s' of <%s>: '%s'%s%s", f->f_name,
		    n->name, s, dd_why_sep(why), why);
	if (dd_why_alone(why))
		return fail(c, n, "<%s> %s", n->name, why);
	return fail(c, n, "<%s>: '%s%s%s'%s%s", n->name, s,
	    unit != NULL ? " " : "", unit != NULL ? unit : "", dd_why_sep(why),
	    why);
}

static const struct dd_field *
find_field(const struct dd_type *t, const xmlChar *name, enum dd_where w)
{
	size_t i;

	for (i = 0; i < t->t_nfields; i++)
		if (t->t_fields[i].f_where == w &&
		    strcmp(t->t_fields[i].f_name, (const char *)name) == 0)
			return &t->t_fields[i];
	return NULL;
}

static int
read_attrs(struct xml_ctx *c, xmlNode *n, const struct dd_type *t,
    void *base)
{
	const struct dd_field *f;
	xmlAttr *a;
	xmlChar *v;
	int rc;

	for (a = n->properties; a != NULL; a = a->next) {
		if (a->ns != NULL || (f = find_field(t, a->name, DW_ATTR)) ==
		    NULL)
			return fail(c, n, "unknown attribute '%s' on <%s>",
			    a->name, n->name);
		if (f->f_ignored)
			continue;
		v = xmlNodeListGetString(n->doc, a->children, 1);
		rc = set_field(c, n, f, base, v != NULL ? (const char *)v : "",
		    NULL);
		xmlFree(v);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Attributes that only a size (unit) or nothing may carry. */
static int
no_attrs(struct xml_ctx *c, xmlNode *n, const char *allowed)
{
	xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next)
		if (a->ns != NULL || allowed == NULL ||
		    strcmp((const char *)a->name, allowed) != 0)
			return fail(c, n, "unknown attribute '%s' on <%s>",
			    a->name, n->name);
	return 0;
}

static int
read_leaf(struct xml_ctx *c, xmlNode *n, const struct dd_field *f,
    void *base)
{
	xmlChar *unit = NULL;
	char *s;
	int rc = -1;

	if (no_attrs(c, n, f->f_kind == DK_SIZE ? "unit" : NULL) != 0)
		return -1;
	if ((s = leaf_text(c, n)) == NULL)
		return -1;
	if (f->f_kind == DK_SIZE)
		unit = xmlGetNoNsProp(n, (const xmlChar *)"unit");
	rc = set_field(c, n, f, base, s, (const char *)unit);
	xmlFree(unit);
	free(s);
	return rc;
}

static int
read_flag(struct xml_ctx *c, xmlNode *n, const struct dd_field *f,
    void *base)
{
	if (no_attrs(c, n, NULL) != 0)
		return -1;
	if (n->children != NULL)
		return fail(c, n, "<%s> must be empty", n->name);
	*(int *)DD_AT(base, f) = 1;
	return 0;
}

/* Free-form XML (<metadata>): its elements as they are, as text. */
static int
read_opaque(struct xml_ctx *c, xmlNode *n, const struct dd_field *f,
    void *base)
{
	char why[256], *s;
	int rc;

	if (no_attrs(c, n, NULL) != 0)
		return -1;
	if (dd_xml_capture(n, &s, why, sizeof(why)) != 0)
		return fail(c, n, "<%s>: %s", n->name, why);
	rc = set_field(c, n, f, base, s, NULL);
	free(s);
	return rc;
}

static int
read_elem(struct xml_ctx *c, xmlNode *k, const struct dd_field *f,
    void *base)
{
	const char *why;
	void *item;

	switch (f->f_kind) {
	case DK_XML:
		return read_opaque(c, k, f, base);
	case DK_OBJ:
		return read_type(c, k, f->f_type, DD_AT(base, f));
	case DK_LIST:
		if ((item = dd_list_add(f, base, &why)) == NULL)
			return fail(c, k, "<%s>: %s", k->name, why);
		return read_type(c, k, f->f_type, item);
	case DK_FLAG:
		return read_flag(c, k, f, base);
	default:
		return read_leaf(c, k, f, base);
	}
}

/*
 * Stray text, at the line where it starts: libxml2 gives a text node the
 * line where it ends.
 */
static int
fail_text(struct xml_ctx *c, const xmlNode *n, const xmlNode *text)
{
	const xmlChar *s = text->content;
	long line = xmlGetLineNo(text);

	while (*s != '\0' && isspace(*s))
		s++;
	for (; *s != '\0'; s++)
		line -= *s == '\n';
	snprintf(c->err, c->errlen, "line %ld: text in <%s>, where only elements may be",
	    line, n->name);
	return -1;
}

static int
read_children(struct xml_ctx *c, xmlNode *n, const struct dd_type *t,
    void *base, uint64_t *seen)
{
	const struct dd_field *f;
	xmlNode *k;

	for (k = n->children; k != NULL; k = k->next) {
		if ((k->type == XML_TEXT_NODE ||
		    k->type == XML_CDATA_SECTION_NODE) && !is_blank(k->content))
			return fail_text(c, n, k);
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (k->ns != NULL || (f = find_field(t, k->name, DW_ELEM)) ==
		    NULL)
			return fail(c, k, "unknown element <%s> in <%s>",
			    k->name, n->name);
		if (f->f_kind != DK_LIST &&
		    (*seen & (UINT64_C(1) << (f - t->t_fields))))
			return fail(c, k, "<%s> appears twice in <%s>",
			    k->name, n->name);
		*seen |= UINT64_C(1) << (f - t->t_fields);
		if (read_elem(c, k, f, base) != 0)
			return -1;
	}
	return 0;
}

static int
check_required(struct xml_ctx *c, xmlNode *n, const struct dd_type *t,
    uint64_t seen)
{
	const struct dd_field *f;
	size_t i;

	for (i = 0; i < t->t_nfields; i++) {
		f = &t->t_fields[i];
		if (!f->f_required || f->f_where == DW_TEXT)
			continue;
		if (f->f_where == DW_ATTR &&
		    !xmlHasNsProp(n, (const xmlChar *)f->f_name, NULL))
			return fail(c, n, "<%s> has no attribute '%s'", n->name,
			    f->f_name);
		if (f->f_where == DW_ELEM && !(seen & (UINT64_C(1) << i)))
			return fail(c, n, "<%s> has no <%s>", n->name,
			    f->f_name);
	}
	return 0;
}

static int
read_type(struct xml_ctx *c, xmlNode *n, const struct dd_type *t,
    void *base)
{
	const struct dd_field *tf = dd_text_field(t);
	uint64_t seen = 0;
	char *s;
	int rc;

	if (read_attrs(c, n, t, base) != 0)
		return -1;
	if (tf != NULL) {
		if ((s = leaf_text(c, n)) == NULL)
			return -1;
		rc = set_field(c, n, tf, base, s, NULL);
		free(s);
		if (rc != 0)
			return -1;
	} else if (read_children(c, n, t, base, &seen) != 0)
		return -1;
	return check_required(c, n, t, seen);
}

/* libxml2's own message, without its newline. */
static int
fail_syntax(struct xml_ctx *c, xmlParserCtxt *pc)
{
	const xmlError *e = xmlCtxtGetLastError(pc);
	char msg[256];
	size_t len;

	snprintf(msg, sizeof(msg), "%s", e != NULL && e->message != NULL ?
	    e->message : "not well-formed XML");
	len = strlen(msg);
	while (len > 0 && isspace((unsigned char)msg[len - 1]))
		msg[--len] = '\0';
	snprintf(c->err, c->errlen, "line %d: %s", e != NULL ? e->line : 0,
	    msg);
	return -1;
}

static int
read_doc(struct xml_ctx *c, xmlDoc *doc, struct xm_domain_def *def)
{
	xmlNode *root = xmlDocGetRootElement(doc);

	if (doc->intSubset != NULL)
		return fail(c, NULL, "a definition must not have a <!DOCTYPE>");
	if (root->ns != NULL || strcmp((const char *)root->name, "domain") != 0)
		return fail(c, root, "the root element is <%s>, not <domain>",
		    root->name);
	if (read_type(c, root, &dd_domain_type, def) != 0)
		return -1;
	return dd_rng_validate(doc, c->err, c->errlen);
}

int
dd_parse_xml(struct xm_domain_def *def, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct xml_ctx c = { err, errlen };
	xmlParserCtxt *pc = NULL;
	xmlDoc *doc = NULL;
	int rc = -1;

	if (len > XM_DEF_TEXT_MAX)
		return fail(&c, NULL, "the definition is larger than %d bytes",
		    XM_DEF_TEXT_MAX);
	if ((pc = xmlNewParserCtxt()) == NULL) {
		fail(&c, NULL, "out of memory");
		goto out;
	}
	doc = xmlCtxtReadMemory(pc, text, (int)len, "definition", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		fail_syntax(&c, pc);
		goto out;
	}
	if (read_doc(&c, doc, def) == 0)
		rc = dd_finish(def, err, errlen);
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pc);
	return rc;
}
