/*
 * The XML form of a domain definition (libvirt's domain XML, the subset
 * that domain_def.h shows), read with libxml2 into struct xm_domain_def.
 *
 * Each element that may hold children has a table of the children it
 * allows, with the attributes each may carry and the function that reads
 * it.  Whatever is not in a table is an error that names it and its line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_def.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

struct xml_ctx {
	struct xm_domain_def	*def;
	char			*err;
	size_t			 errlen;
};

struct elem_rule {
	const char		*name;
	int			(*read)(struct xml_ctx *, xmlNode *);
	const char *const	*attrs;	/* NULL-ended, or NULL */
	int			 required;
};

static int	read_children(struct xml_ctx *, xmlNode *,
		    const struct elem_rule *, size_t);

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

/* leaf_text without the blanks around it; empty text is an error. */
static char *
leaf_word(struct xml_ctx *c, xmlNode *n)
{
	char *s = leaf_text(c, n), *p, *e;

	if (s == NULL)
		return NULL;
	for (p = s; isspace((unsigned char)*p); p++)
		;
	for (e = p + strlen(p); e > p && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	memmove(s, p, (size_t)(e - p) + 1);
	if (*s == '\0') {
		fail(c, n, "<%s> is empty", n->name);
		free(s);
		return NULL;
	}
	return s;
}

static int
read_name(struct xml_ctx *c, xmlNode *n)
{
	const char *why;

	if ((c->def->dd_name = leaf_word(c, n)) == NULL)
		return -1;
	if (!xm_domain_name_valid(c->def->dd_name, &why))
		return fail(c, n, "<name>: '%s': %s", c->def->dd_name, why);
	return 0;
}

static int
read_uuid(struct xml_ctx *c, xmlNode *n)
{
	char *s = leaf_word(c, n);
	int rc = -1;

	if (s == NULL)
		return -1;
	if (xm_uuid_parse(s, c->def->dd_uuid) != 0)
		fail(c, n, "<uuid>: '%s' is not a UUID", s);
	else
		rc = 0, c->def->dd_uuid_given = 1;
	free(s);
	return rc;
}

static int
read_memory(struct xml_ctx *c, xmlNode *n)
{
	xmlChar *unit = xmlGetNoNsProp(n, (const xmlChar *)"unit");
	const char *why;
	char *s = leaf_word(c, n);
	int rc = -1;

	if (s != NULL && xm_memory_parse(s, (const char *)unit,
	    &c->def->dd_memory_kib, &why) != 0)
		fail(c, n, "<memory>: '%s%s%s' %s", s, unit != NULL ? " " : "",
		    unit != NULL ? (const char *)unit : "", why);
	else if (s != NULL)
		rc = 0;
	free(s);
	xmlFree(unit);
	return rc;
}

static int
read_vcpu(struct xml_ctx *c, xmlNode *n)
{
	char *s = leaf_word(c, n), *end;
	unsigned long v = 0;
	int rc = -1;

	if (s == NULL)
		return -1;
	if (isdigit((unsigned char)s[0]))
		v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)s[0]) || *end != '\0')
		fail(c, n, "<vcpu>: '%s' is not a whole number", s);
	else if (v < 1 || v > XM_DEF_VCPUS_MAX)
		fail(c, n, "<vcpu>: %s is out of range (1 to %d)", s,
		    XM_DEF_VCPUS_MAX);
	else
		rc = 0, c->def->dd_vcpus = (unsigned int)v;
	free(s);
	return rc;
}

/* An attribute that, when present, must have the value want. */
static int
check_attr(struct xml_ctx *c, xmlNode *n, const char *attr, const char *want)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)attr);
	int rc = 0;

	if (v != NULL && strcmp((const char *)v, want) != 0)
		rc = fail(c, n, "<%s %s='%s'>: only '%s' is supported", n->name,
		    attr, (const char *)v, want);
	xmlFree(v);
	return rc;
}

static int
read_os_type(struct xml_ctx *c, xmlNode *n)
{
	char *s;
	int rc = -1;

	if (check_attr(c, n, "arch", "x86_64") != 0 ||
	    check_attr(c, n, "machine", "xenpv") != 0 ||
	    (s = leaf_word(c, n)) == NULL)
		return -1;
	if (strcmp(s, "linux") != 0 && strcmp(s, "xen") != 0)
		fail(c, n, "<type>: only 'linux' (a PV kernel) is supported, not '%s'", s);
	else
		rc = 0;
	free(s);
	return rc;
}

static int
read_kernel(struct xml_ctx *c, xmlNode *n)
{
	c->def->dd_kernel = leaf_word(c, n);
	return c->def->dd_kernel != NULL ? 0 : -1;
}

static int
read_cmdline(struct xml_ctx *c, xmlNode *n)
{
	free(c->def->dd_cmdline);
	if ((c->def->dd_cmdline = leaf_text(c, n)) == NULL)
		return -1;
	if (strlen(c->def->dd_cmdline) > XM_DEF_CMDLINE_MAX)
		return fail(c, n, "<cmdline> is longer than %d bytes",
		    XM_DEF_CMDLINE_MAX);
	return 0;
}

static const char *const unit_attrs[] = { "unit", NULL };
static const char *const os_type_attrs[] = { "arch", "machine", NULL };

static const struct elem_rule os_rules[] = {
	{ "type",	read_os_type,	os_type_attrs,	0 },
	{ "kernel",	read_kernel,	NULL,		1 },
	{ "cmdline",	read_cmdline,	NULL,		0 },
};

static int
read_os(struct xml_ctx *c, xmlNode *n)
{
	return read_children(c, n, os_rules, nitems(os_rules));
}

static const struct elem_rule domain_rules[] = {
	{ "name",	read_name,	NULL,		1 },
	{ "uuid",	read_uuid,	NULL,		0 },
	{ "memory",	read_memory,	unit_attrs,	1 },
	{ "vcpu",	read_vcpu,	NULL,		0 },
	{ "os",		read_os,	NULL,		1 },
};

static int
check_attrs(struct xml_ctx *c, xmlNode *n, const char *const *allowed)
{
	const char *const *a;
	xmlAttr *attr;

	for (attr = n->properties; attr != NULL; attr = attr->next) {
		for (a = allowed; a != NULL && *a != NULL; a++)
			if (attr->ns == NULL &&
			    strcmp((const char *)attr->name, *a) == 0)
				break;
		if (a == NULL || *a == NULL)
			return fail(c, n, "unknown attribute '%s' on <%s>",
			    attr->name, n->name);
	}
	return 0;
}

static const struct elem_rule *
find_rule(const xmlNode *k, const struct elem_rule *rules, size_t nrules)
{
	size_t i;

	if (k->ns != NULL)
		return NULL;
	for (i = 0; i < nrules; i++)
		if (strcmp((const char *)k->name, rules[i].name) == 0)
			return &rules[i];
	return NULL;
}

static int
read_child(struct xml_ctx *c, xmlNode *n, xmlNode *k,
    const struct elem_rule *rules, size_t nrules, unsigned int *seen)
{
	const struct elem_rule *r = find_rule(k, rules, nrules);

	if (r == NULL)
		return fail(c, k, "unknown element <%s> in <%s>", k->name,
		    n->name);
	if (*seen & (1U << (r - rules)))
		return fail(c, k, "<%s> appears twice in <%s>", k->name,
		    n->name);
	*seen |= 1U << (r - rules);
	if (check_attrs(c, k, r->attrs) != 0)
		return -1;
	return r->read(c, k);
}

static int
is_blank(const xmlChar *s)
{
	while (s != NULL && *s != '\0' && isspace(*s))
		s++;
	return s == NULL || *s == '\0';
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
read_children(struct xml_ctx *c, xmlNode *n, const struct elem_rule *rules,
    size_t nrules)
{
	unsigned int seen = 0;
	xmlNode *k;
	size_t i;

	for (k = n->children; k != NULL; k = k->next) {
		if (k->type == XML_ELEMENT_NODE) {
			if (read_child(c, n, k, rules, nrules, &seen) != 0)
				return -1;
		} else if ((k->type == XML_TEXT_NODE ||
		    k->type == XML_CDATA_SECTION_NODE) && !is_blank(k->content))
			return fail_text(c, n, k);
	}
	for (i = 0; i < nrules; i++)
		if (rules[i].required && !(seen & (1U << i)))
			return fail(c, n, "<%s> has no <%s>", n->name,
			    rules[i].name);
	return 0;
}

static int
read_domain(struct xml_ctx *c, xmlNode *root)
{
	static const char *const attrs[] = { "type", NULL };
	xmlChar *type;
	int rc;

	if (root->ns != NULL || strcmp((const char *)root->name, "domain") != 0)
		return fail(c, root, "the root element is <%s>, not <domain>",
		    root->name);
	if (check_attrs(c, root, attrs) != 0)
		return -1;
	type = xmlGetNoNsProp(root, (const xmlChar *)"type");
	if (type == NULL)
		rc = fail(c, root, "<domain> needs type='xen'");
	else if (strcmp((const char *)type, "xen") != 0 &&
	    strcmp((const char *)type, "xm") != 0)
		rc = fail(c, root, "<domain type='%s'>: only type 'xen' (or 'xm') is supported", type);
	else
		rc = read_children(c, root, domain_rules, nitems(domain_rules));
	xmlFree(type);
	return rc;
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

int
xm_domain_def_parse_xml(struct xm_domain_def *def, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct xml_ctx c = { def, err, errlen };
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
	if (doc->intSubset != NULL) {
		fail(&c, NULL, "a definition must not have a <!DOCTYPE>");
		goto out;
	}
	rc = read_domain(&c, xmlDocGetRootElement(doc));
	if (rc == 0 && def->dd_cmdline == NULL &&
	    (def->dd_cmdline = strdup("")) == NULL)
		rc = fail(&c, NULL, "out of memory");
	if (rc == 0 && !def->dd_uuid_given &&
	    xm_uuid_generate(def->dd_uuid) != 0)
		rc = fail(&c, NULL, "cannot generate a UUID");
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pc);
	return rc;
}
