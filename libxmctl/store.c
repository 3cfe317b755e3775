/*
 * libxmctl's xenstore calls: store.read, store.write, store.rm,
 * store.ls and store.watch (xm-jsonrpc(7)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"

static struct json_object *
path_params(const char *path)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "path", json_object_new_string(path));
	return p;
}

/* A call whose result is not needed. */
static int
plain_call(struct xmctl *x, const char *method, struct json_object *p)
{
	struct json_object *r;
	int rc;

	if ((rc = xc_call(x, method, p, &r)) == XMCTL_OK)
		json_object_put(r);
	return rc;
}

/* The string member key of o, or NULL. */
static const char *
string_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

XMCTL_API int
xmctl_store_read(struct xmctl *x, const char *path, char **value)
{
	struct json_object *r;
	const char *v;
	int rc;

	*value = NULL;
	if ((rc = xc_call(x, "store.read", path_params(path), &r)) !=
	    XMCTL_OK)
		return rc;
	if ((v = string_of(r, "value")) == NULL)
		rc = xc_fail(x, XMCTL_E_PROTOCOL, "store.read: no value");
	else if ((*value = strdup(v)) == NULL)
		rc = xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	json_object_put(r);
	return rc;
}

XMCTL_API int
xmctl_store_write(struct xmctl *x, const char *path, const char *value)
{
	struct json_object *p = path_params(path);

	json_object_object_add(p, "value", json_object_new_string(value));
	return plain_call(x, "store.write", p);
}

XMCTL_API int
xmctl_store_rm(struct xmctl *x, const char *path)
{
	return plain_call(x, "store.rm", path_params(path));
}

XMCTL_API void
xmctl_store_entries_free(struct xmctl_store_entry *e, size_t n)
{
	size_t i;

	for (i = 0; e != NULL && i < n; i++) {
		free(e[i].path);
		free(e[i].value);
	}
	free(e);
}

static int
entry_read(struct json_object *o, struct xmctl_store_entry *e)
{
	const char *path = string_of(o, "path"), *v = string_of(o, "value"),
	    *perms = string_of(o, "perms");

	if (path == NULL || (e->path = strdup(path)) == NULL)
		return -1;
	if (v != NULL && (e->value = strdup(v)) == NULL)
		return -1;
	snprintf(e->perms, sizeof(e->perms), "%s", perms != NULL ? perms : "");
	return 0;
}

XMCTL_API int
xmctl_store_ls(struct xmctl *x, const char *path,
    struct xmctl_store_entry **out, size_t *n, int *truncated)
{
	struct json_object *r, *list, *t;
	size_t i, len;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = xc_call(x, "store.ls", path_params(path), &r)) != XMCTL_OK)
		return rc;
	if (!json_object_object_get_ex(r, "entries", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(r);
		return xc_fail(x, XMCTL_E_PROTOCOL, "store.ls: no entries");
	}
	*truncated = json_object_object_get_ex(r, "truncated", &t) &&
	    json_object_get_boolean(t);
	len = json_object_array_length(list);
	if ((*out = calloc(len + 1, sizeof(**out))) == NULL)
		rc = xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	for (i = 0; rc == XMCTL_OK && i < len; i++)
		if (entry_read(json_object_array_get_idx(list, i),
		    &(*out)[i]) != 0)
			rc = xc_fail(x, XMCTL_E_PROTOCOL,
			    "store.ls: entry %zu has no path", i);
	json_object_put(r);
	if (rc != XMCTL_OK) {
		xmctl_store_entries_free(*out, len);
		*out = NULL;
		return rc;
	}
	*n = len;
	return XMCTL_OK;
}

XMCTL_API int
xmctl_store_watch(struct xmctl *x, const char *path, xmctl_watch_fn *cb,
    void *arg)
{
	int rc;

	if (cb == NULL)
		return xc_fail(x, XMCTL_E_ARG, "no watch callback");
	x->x_watch_fn = cb;
	x->x_watch_arg = arg;
	if ((rc = plain_call(x, "store.watch", path_params(path))) !=
	    XMCTL_OK)
		x->x_watch_fn = NULL;
	return rc;
}
