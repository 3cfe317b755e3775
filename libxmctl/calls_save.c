/*
 * libxmctl's save, restore and migration: domain.save, answered with
 * what was written (common/dom_record.c's dr_saved), node.restore,
 * answered with the new domain, and domain.migrate (dr_migrated).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "dom_record.h"

/* The answer as record r at out (unless NULL); res is released. */
static int
read_answer(struct xmctl *x, const struct dr_record *r,
    struct json_object *res, void *out)
{
	char err[256];
	int rc = XMCTL_OK;

	if (out != NULL && dr_read(r, res, out, err, sizeof(err)) != 0)
		rc = xc_fail(x, XMCTL_E_PROTOCOL, "%s", err);
	json_object_put(res);
	return rc;
}

/* xmd reads the path on its host: a relative one would be its own. */
static int
check_path(struct xmctl *x, const char *method, const char *path)
{
	if (path == NULL || path[0] != '/')
		return xc_fail(x, XMCTL_E_ARG, "%s: path '%s': not absolute",
		    method, path != NULL ? path : "");
	if (strlen(path) >= XMCTL_PATH_LEN)
		return xc_fail(x, XMCTL_E_ARG, "%s: path too long", method);
	return XMCTL_OK;
}

XMCTL_API int
xmctl_domain_save(struct xmctl *x, const char *dom, const char *path,
    unsigned int timeout_s, struct xmctl_saved *out)
{
	struct json_object *p, *res;
	int rc;

	if ((rc = check_path(x, "domain.save", path)) != XMCTL_OK)
		return rc;
	p = xc_dom_params(dom);
	json_object_object_add(p, "path", json_object_new_string(path));
	if (timeout_s != 0)
		json_object_object_add(p, "timeout",
		    json_object_new_int64((int64_t)timeout_s));
	if ((rc = xc_call(x, "domain.save", p, &res)) != XMCTL_OK)
		return rc;
	return read_answer(x, &dr_saved, res, out);
}

XMCTL_API int
xmctl_node_restore(struct xmctl *x, const char *path,
    struct xmctl_domain *out)
{
	struct json_object *p, *res;
	int rc;

	if ((rc = check_path(x, "node.restore", path)) != XMCTL_OK)
		return rc;
	p = json_object_new_object();
	json_object_object_add(p, "path", json_object_new_string(path));
	if ((rc = xc_call(x, "node.restore", p, &res)) != XMCTL_OK)
		return rc;
	return read_answer(x, &dr_domain, res, out);
}

XMCTL_API int
xmctl_domain_migrate(struct xmctl *x, const char *dom, const char *uri,
    unsigned int timeout_s, struct xmctl_migrated *out)
{
	struct json_object *p, *res;
	int rc;

	if (uri == NULL || strlen(uri) >= XMCTL_PATH_LEN)
		return xc_fail(x, XMCTL_E_ARG, "domain.migrate: no uri, or "
		    "one too long");
	p = xc_dom_params(dom);
	json_object_object_add(p, "uri", json_object_new_string(uri));
	if (timeout_s != 0)
		json_object_object_add(p, "timeout",
		    json_object_new_int64((int64_t)timeout_s));
	if ((rc = xc_call(x, "domain.migrate", p, &res)) != XMCTL_OK)
		return rc;
	return read_answer(x, &dr_migrated, res, out);
}

XMCTL_API int
xmctl_domain_abort_job(struct xmctl *x, const char *dom)
{
	struct json_object *res;
	int rc;

	if ((rc = xc_call(x, "domain.abortJob", xc_dom_params(dom), &res)) ==
	    XMCTL_OK)
		json_object_put(res);
	return rc;
}
