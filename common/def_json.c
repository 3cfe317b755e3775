/*
 * The JSON form of a domain definition, with json-c: the XML's names as
 * keys, an element's text as "value", sizes as {"value": N, "unit": U},
 * flags as booleans, lists as arrays.  Read and written by walking the
 * field table (def_table.h); an unknown key or a wrong type is an error
 * naming its JSON path ("$.vcpu.cpuset: expected a string").
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "def_table.h"

#define PATH_MAX_LEN	256

struct json_ctx {
	char	*err;
	size_t	 errlen;
};

static int	read_obj(struct json_ctx *, struct json_object *,
		    const struct dd_type *, void *, const char *);

static int
fail(struct json_ctx *c, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s: %s", path, msg);
	return -1;
}

static void	sub_path(char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* A path and its suffix in sub (PATH_MAX_LEN bytes), cut if too long. */
static void
sub_path(char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sub, PATH_MAX_LEN, fmt, ap);
	va_end(ap);
}

static const char *
key_of(const struct dd_field *f)
{
	if (f->f_key != NULL)
		return f->f_key;
	return f->f_where == DW_TEXT ? "value" : f->f_name;
}

static const struct dd_field *
find_key(const struct dd_type *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->t_nfields; i++)
		if (strcmp(key_of(&t->t_fields[i]), key) == 0)
			return &t->t_fields[i];
	return NULL;
}

static int
set_text(struct json_ctx *c, const char *path, const struct dd_field *f,
    void *base, const char *s, const char *unit)
{
	char why[256];

	if (dd_field_set(f, base, s, unit, why, sizeof(why)) == 0)
		return 0;
	if (dd_why_alone(why))
		return fail(c, path, "%s", why);
	return fail(c, path, "'%s%s%s'%s%s", s, unit != NULL ? " " : "",
	    unit != NULL ? unit : "", dd_why_sep(why), why);
}

/* A JSON whole number as text; NULL (after the error) if it is not one. */
static const char *
number_text(struct json_ctx *c, const char *path, struct json_object *v,
    char *buf, size_t len)
{
	if (!json_object_is_type(v, json_type_int)) {
		fail(c, path, "expected a whole number");
		return NULL;
	}
	if (json_object_get_int64(v) < 0)
		snprintf(buf, len, "%" PRId64, json_object_get_int64(v));
	else
		snprintf(buf, len, "%" PRIu64, json_object_get_uint64(v));
	return buf;
}

static int
read_size(struct json_ctx *c, const char *path, const struct dd_field *f,
    void *base, struct json_object *v)
{
	struct json_object *val = NULL, *unit = NULL;
	char buf[32], sub[PATH_MAX_LEN];
	const char *s;

	if (!json_object_is_type(v, json_type_object))
		return fail(c, path, "expected an object {\"value\", \"unit\"}");
	json_object_object_foreach(v, key, kv) {
		if (strcmp(key, "value") == 0)
			val = kv;
		else if (strcmp(key, "unit") == 0)
			unit = kv;
		else {
			sub_path(sub, "%s.%s", path, key);
			return fail(c, sub, "unknown key");
		}
	}
	if (val == NULL)
		return fail(c, path, "missing key \"value\"");
	sub_path(sub, "%s.value", path);
	if ((s = number_text(c, sub, val, buf, sizeof(buf))) == NULL)
		return -1;
	sub_path(sub, "%s.unit", path);
	if (unit != NULL && !json_object_is_type(unit, json_type_string))
		return fail(c, sub, "expected a string");
	return set_text(c, path, f, base, s, unit != NULL ?
	    json_object_get_string(unit) : NULL);
}

static int
read_list(struct json_ctx *c, const char *path, const struct dd_field *f,
    void *base, struct json_object *v)
{
	char sub[PATH_MAX_LEN];
	const char *why;
	size_t i;
	void *item;

	if (!json_object_is_type(v, json_type_array))
		return fail(c, path, "expected an array");
	for (i = 0; i < json_object_array_length(v); i++) {
		sub_path(sub, "%s[%zu]", path, i);
		if ((item = dd_list_add(f, base, &why)) == NULL)
			return fail(c, sub, "%s", why);
		if (read_obj(c, json_object_array_get_idx(v, i), f->f_type,
		    item, sub) != 0)
			return -1;
	}
	return 0;
}

static int
read_value(struct json_ctx *c, const char *path, const struct dd_field *f,
    void *base, struct json_object *v)
{
	char buf[32];
	const char *s;

	switch (f->f_kind) {
	case DK_OBJ:
		return read_obj(c, v, f->f_type, DD_AT(base, f), path);
	case DK_LIST:
		return read_list(c, path, f, base, v);
	case DK_SIZE:
		return read_size(c, path, f, base, v);
	case DK_FLAG:
		if (!json_object_is_type(v, json_type_boolean))
			return fail(c, path, "expected true or false");
		*(int *)DD_AT(base, f) = json_object_get_boolean(v);
		return 0;
	case DK_U32:
	case DK_U64:
		if ((s = number_text(c, path, v, buf, sizeof(buf))) == NULL)
			return -1;
		return set_text(c, path, f, base, s, NULL);
	default:
		if (!json_object_is_type(v, json_type_string))
			return fail(c, path, "expected a string");
		return set_text(c, path, f, base, json_object_get_string(v),
		    NULL);
	}
}

static int
read_obj(struct json_ctx *c, struct json_object *o, const struct dd_type *t,
    void *base, const char *path)
{
	const struct dd_field *f;
	char sub[PATH_MAX_LEN];
	size_t i;

	if (!json_object_is_type(o, json_type_object))
		return fail(c, path, "expected an object");
	json_object_object_foreach(o, key, v) {
		sub_path(sub, "%s.%s", path, key);
		if ((f = find_key(t, key)) == NULL)
			return fail(c, sub, "unknown key");
		if (f->f_ignored)
			continue;
		if (read_value(c, sub, f, base, v) != 0)
			return -1;
	}
	for (i = 0; i < t->t_nfields; i++)
		if (t->t_fields[i].f_required &&
		    !json_object_object_get_ex(o, key_of(&t->t_fields[i]),
		    NULL))
			return fail(c, path, "missing key \"%s\"",
			    key_of(&t->t_fields[i]));
	return 0;
}

static struct json_object *
tokenize(struct json_ctx *c, const char *text, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = NULL;
	enum json_tokener_error e;
	size_t off;

	if (tok == NULL) {
		fail(c, "$", "out of memory");
		return NULL;
	}
	/* RFC 8259's JSON: no single quotes, "1E", trailing commas. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, text, (int)len);
	e = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	if (e == json_tokener_continue)
		fail(c, "$", "the JSON text ends too early");
	else if (e != json_tokener_success)
		fail(c, "$", "not JSON: %s at byte %zu",
		    json_tokener_error_desc(e), off);
	else {
		/* Not strchr(): it finds the NUL too. */
		while (off < len && text[off] != '\0' &&
		    strchr(" \t\r\n", text[off]) != NULL)
			off++;
		if (off < len)
			fail(c, "$", "not JSON: text after the object at byte %zu",
			    off);
		else if (o == NULL)
			fail(c, "$", "expected an object");	/* null */
	}
	if (e != json_tokener_success || off < len) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

int
dd_parse_json(struct xm_domain_def *def, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct json_ctx c = { err, errlen };
	struct json_object *o;
	int rc = -1;

	if (len > XM_DEF_TEXT_MAX)
		return fail(&c, "$", "the definition is larger than %d bytes",
		    XM_DEF_TEXT_MAX);
	if ((o = tokenize(&c, text, len)) == NULL)
		return -1;
	if (read_obj(&c, o, &dd_domain_type, def, "$") == 0)
		rc = dd_finish(def, err, errlen);
	json_object_put(o);
	return rc;
}

static struct json_object *write_obj(const struct dd_type *, const void *);

static struct json_object *
write_size(const struct xm_def_size *sz)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "value",
	    json_object_new_int64((int64_t)sz->sz_value));
	json_object_object_add(o, "unit", json_object_new_string(sz->sz_unit));
	return o;
}

static struct json_object *
write_list(const struct dd_field *f, const struct dd_anylist *l)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_object_array_add(a, write_obj(f->f_type,
		    (const char *)l->items + i * f->f_type->t_size));
	return a;
}

static struct json_object *
write_value(const struct dd_field *f, const void *base)
{
	const void *p = (const char *)base + f->f_off;
	char uuid[XM_UUID_STRLEN];

	switch (f->f_kind) {
	case DK_STR:
	case DK_XML:
		return json_object_new_string(*(char *const *)p != NULL ?
		    *(char *const *)p : "");
	case DK_U32:
		return json_object_new_int64(*(const unsigned int *)p);
	case DK_U64:
		return json_object_new_int64((int64_t)*(const uint64_t *)p);
	case DK_SIZE:
		return write_size(p);
	case DK_UUID:
		xm_uuid_format(p, uuid);
		return json_object_new_string(uuid);
	case DK_FLAG:
		return json_object_new_boolean(*(const int *)p);
	case DK_OBJ:
		return write_obj(f->f_type, p);
	case DK_LIST:
		return write_list(f, p);
	}
	return NULL;
}

static struct json_object *
write_obj(const struct dd_type *t, const void *base)
{
	struct json_object *o = json_object_new_object();
	const struct dd_field *f;
	size_t i;

	for (i = 0; i < t->t_nfields; i++) {
		f = &t->t_fields[i];
		if (f->f_required || dd_field_isset(f, base))
			json_object_object_add(o, key_of(f), write_value(f,
			    base));
	}
	return o;
}

int
dd_write_json(const struct xm_domain_def *def, char **out)
{
	struct json_object *o = write_obj(&dd_domain_type, def);
	const char *s;
	int rc = -1;

	*out = NULL;
	if (o == NULL)
		return -1;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s != NULL && asprintf(out, "%s\n", s) >= 0)
		rc = 0;
	json_object_put(o);
	return rc;
}
