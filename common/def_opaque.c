/*
 * Free-form XML that a definition keeps without reading it (DK_XML:
 * <metadata>, where other tools put their own elements).  It is kept as
 * the text of its child elements, in a canonical form so that a
 * definition written and read again is the same: each element carries
 * the namespace declarations it uses, the blanks between elements are
 * dropped (the writer indents), comments and processing instructions
 * are dropped.  The JSON form carries that text as a string.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "def_table.h"

int	dd_xml_capture(xmlNode *, char **out, char *why, size_t len);
int	dd_xml_attach(xmlNode *, const char *text);

static int
blank(const xmlChar *s)
{
	while (s != NULL && *s != '\0' && isspace(*s))
		s++;
	return s == NULL || *s == '\0';
}

/* Drop comments, PIs and the blanks beside elements, all the way down. */
static void
strip(xmlNode *n)
{
	xmlNode *k, *next;
	int elems = 0;

	for (k = n->children; k != NULL; k = k->next)
		elems += k->type == XML_ELEMENT_NODE;
	for (k = n->children; k != NULL; k = next) {
		next = k->next;
		if (k->type == XML_COMMENT_NODE || k->type == XML_PI_NODE ||
		    (elems && k->type == XML_TEXT_NODE && blank(k->content))) {
			xmlUnlinkNode(k);
			xmlFreeNode(k);
		} else if (k->type == XML_ELEMENT_NODE)
			strip(k);
	}
}

/* Element k, alone in a document of its own, appended to buf. */
static int
dump_alone(xmlNode *k, xmlBuffer *buf)
{
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *copy;
	int rc = -1;

	if (doc == NULL)
		return -1;
	/* The copy declares the namespaces it takes from k's ancestors. */
	if ((copy = xmlDocCopyNode(k, doc, 1)) != NULL) {
		xmlDocSetRootElement(doc, copy);
		strip(copy);
		if (xmlNodeDump(buf, doc, copy, 0, 0) >= 0)
			rc = 0;
	}
	xmlFreeDoc(doc);
	return rc;
}

/* The child elements of n as text in *out: 0, or -1 with why set. */
static int
dump_children(xmlNode *n, char **out, char *why, size_t len)
{
	xmlBuffer *buf = xmlBufferCreate();
	xmlNode *k;
	int rc = -1;

	*out = NULL;
	if (buf == NULL)
		return snprintf(why, len, "out of memory"), -1;
	for (k = n->children; k != NULL; k = k->next) {
		if (k->type == XML_ELEMENT_NODE && k->ns == NULL) {
			snprintf(why, len, "<%s> is in no namespace (each element in <metadata> needs one of its own)",
			    k->name);
			goto out;
		}
		if (k->type == XML_TEXT_NODE && !blank(k->content)) {
			snprintf(why, len, "has text outside an element");
			goto out;
		}
		if (k->type == XML_ELEMENT_NODE && dump_alone(k, buf) != 0) {
			snprintf(why, len, "out of memory");
			goto out;
		}
	}
	if ((*out = strdup((const char *)xmlBufferContent(buf))) == NULL)
		snprintf(why, len, "out of memory");
	else
		rc = 0;
out:
	xmlBufferFree(buf);
	return rc;
}

/* text wrapped in an element, as a document; NULL when not XML. */
static xmlDoc *
parse_wrapped(const char *text)
{
	static const char head[] = "<metadata>", tail[] = "</metadata>";
	size_t n = strlen(text);
	xmlDoc *doc;
	char *s;

	if ((s = malloc(sizeof(head) + n + sizeof(tail))) == NULL)
		return NULL;
	snprintf(s, sizeof(head) + n + sizeof(tail), "%s%s%s", head, text,
	    tail);
	doc = xmlReadMemory(s, (int)strlen(s), "metadata", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA);
	free(s);
	return doc;
}

int
dd_xml_canon(const char *s, char **out, char *why, size_t len)
{
	xmlDoc *doc;
	int rc;

	*out = NULL;
	if (strlen(s) > XM_DEF_TEXT_MAX)
		return snprintf(why, len, "is longer than %d bytes",
		    XM_DEF_TEXT_MAX), -1;
	if ((doc = parse_wrapped(s)) == NULL)
		return snprintf(why, len, "is not well-formed XML"), -1;
	rc = dump_children(xmlDocGetRootElement(doc), out, why, len);
	xmlFreeDoc(doc);
	return rc;
}

/* The child elements of n as canonical text: 0, or -1 with why set. */
int
dd_xml_capture(xmlNode *n, char **out, char *why, size_t len)
{
	return dump_children(n, out, why, len);
}

/* Copies of the elements of text appended to n: 0, or -1. */
int
dd_xml_attach(xmlNode *n, const char *text)
{
	xmlDoc *doc = parse_wrapped(text);
	xmlNode *k, *copy;
	int rc = 0;

	if (doc == NULL)
		return -1;
	for (k = xmlDocGetRootElement(doc)->children; k != NULL && rc == 0;
	    k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if ((copy = xmlDocCopyNode(k, n->doc, 1)) == NULL ||
		    xmlAddChild(n, copy) == NULL)
			rc = -1;
	}
	xmlFreeDoc(doc);
	return rc;
}
