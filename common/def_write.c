/*
 * The canonical XML form of a definition, written from the field table
 * (def_table.h) with libxml2: the table's order, set fields only (and
 * the required ones), two spaces of indentation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "def_table.h"

static int	write_type(xmlNode *, const struct dd_type *, const void *);
int	dd_xml_attach(xmlNode *, const char *text);

/* The field's value as text in buf; its unit in *unit (DK_SIZE). */
static const char *
field_text(const struct dd_field *f, const void *base, char *buf,
    size_t len, const char **unit)
{
	const void *p = (const char *)base + f->f_off;
	const struct xm_def_size *sz = p;

	*unit = NULL;
	switch (f->f_kind) {
	case DK_STR:
	case DK_XML:
		return *(char *const *)p != NULL ? *(char *const *)p : "";
	case DK_U32:
		snprintf(buf, len, "%u", *(const unsigned int *)p);
		return buf;
	case DK_U64:
		snprintf(buf, len, "%" PRIu64, *(const uint64_t *)p);
		return buf;
	case DK_SIZE:
		snprintf(buf, len, "%" PRIu64, sz->sz_value);
		*unit = sz->sz_unit;
		return buf;
	case DK_UUID:
		xm_uuid_format(p, buf);
		return buf;
	default:
		return "";
	}
}

static int
write_elem(xmlNode *n, const struct dd_field *f, const void *base)
{
	const struct dd_anylist *l;
	const char *text, *unit;
	char buf[64];
	xmlNode *k;
	size_t i;

	if (f->f_kind == DK_LIST) {
		l = (const void *)((const char *)base + f->f_off);
		for (i = 0; i < l->n; i++) {
			k = xmlNewChild(n, NULL, BAD_CAST f->f_name, NULL);
			if (k == NULL || write_type(k, f->f_type,
			    (const char *)l->items + i * f->f_type->t_size))
				return -1;
		}
		return 0;
	}
	if (f->f_kind == DK_XML) {
		k = xmlNewChild(n, NULL, BAD_CAST f->f_name, NULL);
		return k == NULL ? -1 : dd_xml_attach(k, *(char *const *)
		    ((const char *)base + f->f_off));
	}
	if (f->f_kind == DK_OBJ) {
		k = xmlNewChild(n, NULL, BAD_CAST f->f_name, NULL);
		if (k == NULL)
			return -1;
		return write_type(k, f->f_type, (const char *)base + f->f_off);
	}
	text = field_text(f, base, buf, sizeof(buf), &unit);
	if ((k = xmlNewTextChild(n, NULL, BAD_CAST f->f_name,
	    f->f_kind == DK_FLAG ? NULL : BAD_CAST text)) == NULL)
		return -1;
	if (unit != NULL && xmlNewProp(k, BAD_CAST "unit", BAD_CAST unit) ==
	    NULL)
		return -1;
	return 0;
}

static int
write_field(xmlNode *n, const struct dd_field *f, const void *base)
{
	const char *text, *unit;
	char buf[64];
	xmlNode *t;

	if (!f->f_required && !dd_field_isset(f, base))
		return 0;
	switch (f->f_where) {
	case DW_ATTR:
		text = field_text(f, base, buf, sizeof(buf), &unit);
		return xmlNewProp(n, BAD_CAST f->f_name, BAD_CAST text) ==
		    NULL ? -1 : 0;
	case DW_TEXT:
		text = field_text(f, base, buf, sizeof(buf), &unit);
		if ((t = xmlNewText(BAD_CAST text)) == NULL)
			return -1;
		xmlAddChild(n, t);
		return 0;
	default:
		return write_elem(n, f, base);
	}
}

static int
write_type(xmlNode *n, const struct dd_type *t, const void *base)
{
	size_t i;

	for (i = 0; i < t->t_nfields; i++)
		if (write_field(n, &t->t_fields[i], base) != 0)
			return -1;
	return 0;
}

static int
save(xmlDoc *doc, char **out)
{
	xmlBuffer *buf = xmlBufferCreate();
	xmlSaveCtxt *sc = NULL;
	int rc = -1;

	if (buf == NULL || (sc = xmlSaveToBuffer(buf, "UTF-8",
	    XML_SAVE_FORMAT | XML_SAVE_NO_DECL)) == NULL)
		goto out;
	if (xmlSaveDoc(sc, doc) < 0 || xmlSaveClose(sc) < 0) {
		sc = NULL;
		goto out;
	}
	sc = NULL;
	if ((*out = strdup((const char *)xmlBufferContent(buf))) != NULL)
		rc = 0;
out:
	if (sc != NULL)
		xmlSaveClose(sc);
	if (buf != NULL)
		xmlBufferFree(buf);
	return rc;
}

int
dd_write_xml(const struct xm_domain_def *def, char **out)
{
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *root;
	int rc = -1;

	*out = NULL;
	if (doc == NULL ||
	    (root = xmlNewNode(NULL, BAD_CAST dd_domain_type.t_name)) == NULL)
		goto out;
	xmlDocSetRootElement(doc, root);
	if (write_type(root, &dd_domain_type, def) != 0)
		goto out;
	rc = save(doc, out);
out:
	xmlFreeDoc(doc);
	return rc;
}
