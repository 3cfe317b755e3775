/*
 * libxmctl's save, restore and migration: domain.save, answered with
 * what was written (common/dom_record.c's dr_saved), node.restore,
 * answered with the new domain, and domain.migrate (dr_migrated), whose
 * migration.progress notifications (dr_migration_progress) go to the
 * caller's callback while the call waits for its answer.
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

/* domain.migrate's parameters from opts. */
static struct json_object *
migrate_params(const char *dom, const char *uri,
    const struct xmctl_migrate_opts *o)
{
	struct json_object *p = xc_dom_params(dom);

	json_object_object_add(p, "uri", json_object_new_string(uri));
	if (o->timeout_s != 0)
		json_object_object_add(p, "timeout",
		    json_object_new_int64((int64_t)o->timeout_s));
	if (o->live)
		json_object_object_add(p, "live", json_object_new_boolean(1));
	if (o->max_rounds != 0)
		json_object_object_add(p, "max_rounds",
		    json_object_new_int64((int64_t)o->max_rounds));
	if (o->max_downtime_ms != 0)
		json_object_object_add(p, "max_downtime_ms",
		    json_object_new_int64((int64_t)o->max_downtime_ms));
	if (o->bandwidth != 0)
		json_object_object_add(p, "bandwidth",
		    json_object_new_int64((int64_t)o->bandwidth));
	if (o->persistent)
		json_object_object_add(p, "persistent",
		    json_object_new_boolean(1));
	if (o->undefine_source)
		json_object_object_add(p, "undefine_source",
		    json_object_new_boolean(1));
	return p;
}

/*
 * Before a migration with a progress callback: xmd's events to this
 * connection, and the domain's name, which they carry, for dom.
 */
static int
progress_start(struct xmctl *x, const char *dom)
{
	struct xmctl_domain_state st;
	struct json_object *r;
	int rc;

	if ((rc = xc_call(x, "events.subscribe", NULL, &r)) != XMCTL_OK)
		return rc;
	json_object_put(r);
	if ((rc = xmctl_domain_state(x, dom, &st)) != XMCTL_OK)
		return rc;
	snprintf(x->x_progress_dom, sizeof(x->x_progress_dom), "%s",
	    st.domain);
	return XMCTL_OK;
}

/*
 * A caller's options of opts_size bytes, as this library's struct: what
 * the caller's struct did not have is zero.
 */
static const struct xmctl_migrate_opts *
opts_copy(const struct xmctl_migrate_opts *opts, size_t opts_size,
    struct xmctl_migrate_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (opts != NULL)
		memcpy(o, opts, opts_size < sizeof(*o) ? opts_size :
		    sizeof(*o));
	return o;
}

XMCTL_API int
xmctl_domain_migrate_opts_sized(struct xmctl *x, const char *dom,
    const char *uri, const struct xmctl_migrate_opts *o, size_t o_size,
    struct xmctl_migrated *out)
{
	struct xmctl_migrate_opts buf;
	const struct xmctl_migrate_opts *opts;
	struct json_object *res;
	int rc;

	if (o != NULL && o_size < XMCTL_MIGRATE_OPTS_SIZE_V9)
		return xc_fail(x, XMCTL_E_ARG, "domain.migrate: options of "
		    "%zu bytes, fewer than any struct xmctl_migrate_opts",
		    o_size);
	opts = opts_copy(o, o_size, &buf);
	if (uri == NULL || strlen(uri) >= XMCTL_PATH_LEN)
		return xc_fail(x, XMCTL_E_ARG, "domain.migrate: no uri, or "
		    "one too long");
	if (dom == NULL)
		return xc_fail(x, XMCTL_E_ARG, "domain.migrate: no domain");
	if (opts->progress != NULL &&
	    (rc = progress_start(x, dom)) != XMCTL_OK)
		return rc;
	x->x_progress_fn = opts->progress;
	x->x_progress_arg = opts->progress_arg;
	rc = xc_call(x, "domain.migrate", migrate_params(dom, uri, opts),
	    &res);
	x->x_progress_fn = NULL;
	x->x_progress_arg = NULL;
	if (rc != XMCTL_OK)
		return rc;
	return read_answer(x, &dr_migrated, res, out);
}

/* The call of programs built against libxmctl 9:0:7, their struct's size. */
XMCTL_API int
(xmctl_domain_migrate_opts)(struct xmctl *x, const char *dom,
    const char *uri, const struct xmctl_migrate_opts *opts,
    struct xmctl_migrated *out)
{
	return xmctl_domain_migrate_opts_sized(x, dom, uri, opts,
	    XMCTL_MIGRATE_OPTS_SIZE_V9, out);
}

XMCTL_API int
xmctl_domain_migrate(struct xmctl *x, const char *dom, const char *uri,
    unsigned int timeout_s, struct xmctl_migrated *out)
{
	struct xmctl_migrate_opts o;

	memset(&o, 0, sizeof(o));
	o.timeout_s = timeout_s;
	return xmctl_domain_migrate_opts_sized(x, dom, uri, &o, sizeof(o),
	    out);
}

int
xc_read_progress(struct json_object *msg, struct xmctl_migration_progress *p,
    char *err, size_t errlen)
{
	struct json_object *params;

	memset(p, 0, sizeof(*p));
	if (!json_object_object_get_ex(msg, "params", &params)) {
		snprintf(err, errlen, "migration.progress: no params");
		return -1;
	}
	return dr_read(&dr_migration_progress, params, p, err, errlen);
}

int
xc_take_progress(struct xmctl *x, struct json_object *msg)
{
	struct xmctl_migration_progress p;
	struct json_object *m;
	char err[256];

	if (!json_object_object_get_ex(msg, "method", &m) ||
	    !json_object_is_type(m, json_type_string) ||
	    strcmp(json_object_get_string(m), "migration.progress") != 0)
		return 0;
	if (x->x_progress_fn != NULL &&
	    xc_read_progress(msg, &p, err, sizeof(err)) == 0 &&
	    strcmp(p.domain, x->x_progress_dom) == 0)
		x->x_progress_fn(x->x_progress_arg, &p);
	json_object_put(msg);
	return 1;
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
