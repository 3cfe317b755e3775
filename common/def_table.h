/*
 * The field table of struct xm_domain_def (def_fields.c): the one place
 * that knows each field.  A type is an XML element (and a JSON object);
 * its fields are its attributes, its child elements and its own text
 * (JSON key "value").  A field of kind DK_OBJ whose type lives in the
 * same struct has offset 0: its fields' offsets are the parent's.
 * The readers (def_xml.c, def_json.c) and the writers (def_write.c)
 * only walk these tables.
 */
#ifndef XM_COMMON_DEF_TABLE_H
#define XM_COMMON_DEF_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "domain_def.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

enum dd_kind {
	DK_STR,		/* char *, trimmed unless f_raw */
	DK_U32,		/* unsigned int, 0: not set */
	DK_U64,		/* uint64_t, 0: not set */
	DK_SIZE,	/* struct xm_def_size: text and a unit attribute */
	DK_UUID,	/* uint8_t[16] */
	DK_FLAG,	/* int: an empty element, JSON true/false */
	DK_OBJ,		/* an element of type f_type, at base + f_off */
	DK_LIST,	/* XM_DEF_LIST of f_type items */
	DK_XML,		/* char *: an element's children kept as XML text
			   (JSON: that text as a string), def_opaque.c */
};

enum dd_where {
	DW_ELEM,	/* a child element; JSON key f_name */
	DW_ATTR,	/* an attribute; JSON key f_name */
	DW_TEXT,	/* the element's text; JSON key "value" */
};

struct dd_type;

/*
 * A rule on a string beyond its length and enum, twice: as C for the
 * readers and as a JSON Schema (ECMA-262) pattern for the generated
 * schema (tools/xm-def-schema.c), which wraps it in ^, $ and, unless the
 * field keeps its blanks, DD_BLANKS.  tests/defs/jsonschema.sh checks
 * that the two agree on every test definition.
 */
struct dd_check {
	int		(*c_fn)(const char *, const char **why);
	const char	*c_pattern;
};

/*
 * As patterns: what text_why() (def_fields.c) takes, text that XML 1.0
 * can carry; and the blanks that a reader trims (C locale isspace()).
 */
#define DD_TEXT_PATTERN	\
	"^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]*$"
#define DD_BLANKS_CHARS	"\\t\\n\\v\\f\\r "
#define DD_BLANKS	"[" DD_BLANKS_CHARS "]*"

struct dd_field {
	const char		*f_name;
	enum dd_kind		 f_kind;
	enum dd_where		 f_where;
	size_t			 f_off;
	int			 f_required;
	const struct dd_type	*f_type;	/* DK_OBJ, DK_LIST */
	const char *const	*f_enum;	/* DK_STR: allowed values */
	uint64_t		 f_min, f_max;	/* bounds; DK_STR: length */
	int			 f_raw;		/* DK_STR: blanks kept */
	const struct dd_check	*f_check;	/* DK_STR, or NULL */
	int			 f_noeffect;	/* kept, written, warned of */
	int			 f_ignored;	/* read and dropped; written */
	size_t			 f_given;	/* DK_U32: offset of an int
						   set when given, 0: none */
	const char		*f_key;		/* JSON key, if not f_name */
};

struct dd_type {
	const char		*t_name;	/* the element */
	const struct dd_field	*t_fields;
	size_t			 t_nfields;
	size_t			 t_size;	/* of a list item */
};

struct dd_anylist {
	void	*items;
	size_t	 n;
};

extern const struct dd_type dd_domain_type;

#define DD_AT(base, f)	((void *)((char *)(base) + (f)->f_off))

/*
 * Set field f of base from text s (and unit, for DK_SIZE): 0, or -1 with
 * the reason in why ("is not a whole number", "out of range (1 to 128)").
 */
int	dd_field_set(const struct dd_field *f, void *base, const char *s,
	    const char *unit, char *why, size_t whylen);
/*
 * How a reader shows a value with dd_field_set's reason: "'v' is ..."
 * for the reasons that are predicates, "'v': reason" for the others;
 * "is empty", "is longer than" and the reasons about bytes ("has a
 * control character", "is not valid UTF-8") go without the value.
 */
const char *dd_why_sep(const char *why);
int	dd_why_alone(const char *why);
/* Whether the field holds something to write. */
int	dd_field_isset(const struct dd_field *f, const void *base);
/* Whether any field of type t (at base) is set. */
int	dd_type_isset(const struct dd_type *t, const void *base);
/* The field holding the type's text, or NULL. */
const struct dd_field *dd_text_field(const struct dd_type *t);
/* A new zeroed item at the end of list field f: NULL when full. */
void	*dd_list_add(const struct dd_field *f, void *base,
	    const char **why);
/*
 * def_opaque.c: the children of an element kept as text (DK_XML).  s
 * as its canonical text in *out (elements in a namespace of their own,
 * blanks between elements dropped): 0, or -1 with why set.
 */
int	dd_xml_canon(const char *s, char **out, char *why, size_t len);
/* Free what the fields of t at base hold. */
void	dd_type_dispose(const struct dd_type *t, void *base);
/* After a reader: defaults, the derived fields, dd_validate. */
int	dd_finish(struct xm_domain_def *, char *err, size_t errlen);
/*
 * The RelaxNG schema's path into buf: 0.  -1 when it is not there, with
 * the paths tried in buf; 1 when the build names no schema directory and
 * $XM_SCHEMA_DIR is not set (only the fuzz targets are built so).
 */
int	dd_schema_path(char *buf, size_t len);

#endif
