/*
 * xenstore for administrators, as xenstore-read, -write, -rm, -ls and
 * -watch give it on Xen (with domain 0's rights: admin role only):
 *
 *	store.read  {path}		-> {path, value}
 *	store.write {path, value}	-> {}
 *	store.rm    {path}		-> {}
 *	store.ls    {path}		-> {entries: [{path, value, perms}]}
 *	store.watch {path}		-> {watching}, then store.watch
 *	    notifications {watch, path} until the connection closes
 */
#include <sys/queue.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmctl.h>

#include "methods.h"
#include "xenstore.h"
#include "xmd.h"
#include "xsd.h"

#define LS_MAX		20000	/* entries in one store.ls answer */
#define LS_DEPTH	32

struct store_watch {
	TAILQ_ENTRY(store_watch) w_entry;
	struct rpc_peer		*w_peer;
	char			*w_path;
	char			 w_token[32];
	int			 w_answered;	/* store.watch's result sent */
	char			*w_first;	/* fired before that */
};

static TAILQ_HEAD(, store_watch) watches = TAILQ_HEAD_INITIALIZER(watches);

static const char *
param(struct json_object *params, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(params, key, &v))
		return NULL;
	return json_object_get_string(v);
}

/* An errno of the store's, answered with the path it concerns. */
static void
store_error(struct rpc_call *call, const char *path, int err)
{
	switch (err) {
	case ENOENT:
		rpc_error(call, XMCTL_E_NO_KEY, "xenstore: '%s': no such path",
		    path);
		break;
	case EINVAL:
		rpc_error(call, XMCTL_E_INVALID_PARAMS,
		    "xenstore: '%s' is not a valid path", path);
		break;
	default:
		rpc_error(call, XMCTL_E_INTERNAL, "xenstore: '%s': %s", path,
		    strerror(err));
	}
}

static struct xs_store *
store_of(struct rpc_call *call, void *ctx)
{
	struct xs_store *st = xsd_store(ctx);

	if (st == NULL)
		rpc_error(call, XMCTL_E_INTERNAL, "xenstore is not running");
	return st;
}

void
m_store_read(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xs_store *st = store_of(call, ctx);
	const char *path = param(params, "path");
	struct json_object *r;
	size_t len;
	char *val;
	int rc;

	if (st == NULL)
		return;
	if ((rc = xs_read(st, path, &val, &len)) != 0) {
		store_error(call, path, rc);
		return;
	}
	r = json_object_new_object();
	json_object_object_add(r, "path", json_object_new_string(path));
	json_object_object_add(r, "value", rpc_json_bytes(val, len));
	free(val);
	rpc_result(call, r);
}

void
m_store_write(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xs_store *st = store_of(call, ctx);
	const char *path = param(params, "path"), *val = param(params, "value");
	int rc;

	if (st == NULL)
		return;
	if ((rc = xs_write(st, path, val, strlen(val))) != 0)
		store_error(call, path, rc);
	else
		rpc_result(call, json_object_new_object());
}

void
m_store_rm(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xs_store *st = store_of(call, ctx);
	const char *path = param(params, "path");
	int rc;

	if (st == NULL)
		return;
	if (strcmp(path, "/") == 0)
		rc = EINVAL;
	else
		rc = xs_rm(st, path);
	if (rc != 0)
		store_error(call, path, rc);
	else
		rpc_result(call, json_object_new_object());
}

/* "n0,r3": the owner and everyone's right first, as xenstore-ls -p. */
static struct json_object *
perms_json(struct xs_store *st, const char *path)
{
	struct xs_perm *p;
	char buf[512];
	size_t n, i, at = 0;

	if (xs_get_perms(st, path, &p, &n) != 0)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < n && at < sizeof(buf) - 16; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%c%u",
		    i > 0 ? "," : "", p[i].perm, p[i].domid);
	free(p);
	return json_object_new_string(buf);
}

/* path and what lies below, depth first; -1 past LS_MAX entries. */
static int
ls_walk(struct xs_store *st, const char *path, int depth,
    struct json_object *out)
{
	struct json_object *e;
	char **names, *val, child[4096];
	size_t n, i, len;
	int rc = 0;

	if (json_object_array_length(out) >= LS_MAX)
		return -1;
	e = json_object_new_object();
	json_object_object_add(e, "path", json_object_new_string(path));
	if (xs_read(st, path, &val, &len) == 0) {
		json_object_object_add(e, "value", rpc_json_bytes(val, len));
		free(val);
	}
	json_object_object_add(e, "perms", perms_json(st, path));
	json_object_array_add(out, e);
	if (depth >= LS_DEPTH || xs_directory(st, path, &names, &n) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		snprintf(child, sizeof(child), "%s/%s",
		    strcmp(path, "/") == 0 ? "" : path, names[i]);
		if (rc == 0)
			rc = ls_walk(st, child, depth + 1, out);
	}
	free(names);		/* one block, names and all */
	return rc;
}

void
m_store_ls(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xs_store *st = store_of(call, ctx);
	const char *path = param(params, "path");
	struct json_object *r, *list;
	char *val;
	size_t len;
	int rc;

	if (st == NULL)
		return;
	if (path == NULL)
		path = "/";
	if ((rc = xs_read(st, path, &val, &len)) != 0) {
		store_error(call, path, rc);
		return;
	}
	free(val);
	list = json_object_new_array();
	r = json_object_new_object();
	json_object_object_add(r, "truncated", json_object_new_boolean(
	    ls_walk(st, path, 0, list) != 0));
	json_object_object_add(r, "entries", list);
	rpc_result(call, r);
}

static void
watch_fired(void *ctx, const char *path, const char *token)
{
	struct store_watch *w = ctx;
	struct json_object *n;

	(void)token;
	if (!w->w_answered) {
		free(w->w_first);
		w->w_first = strdup(path);
		return;
	}
	n = json_object_new_object();
	json_object_object_add(n, "watch", json_object_new_string(w->w_path));
	json_object_object_add(n, "path", json_object_new_string(path));
	rpc_notify(w->w_peer, "store.watch", n);
}

void
m_store_watch(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xs_store *st = store_of(call, ctx);
	const char *path = param(params, "path");
	struct rpc_peer *peer = rpc_call_peer(call);
	struct store_watch *w;
	struct json_object *r;
	static unsigned long next;
	int rc;

	if (st == NULL || peer == NULL)
		return;
	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->w_path = strdup(path)) == NULL) {
		free(w);
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	w->w_peer = peer;
	snprintf(w->w_token, sizeof(w->w_token), "rpc%lu", ++next);
	/* The store fires the watch at once: that goes after the answer. */
	r = json_object_new_object();
	json_object_object_add(r, "watching", json_object_new_string(path));
	TAILQ_INSERT_TAIL(&watches, w, w_entry);
	if ((rc = xs_watch_local(st, path, w->w_token, watch_fired, w)) != 0) {
		TAILQ_REMOVE(&watches, w, w_entry);
		free(w->w_first);
		free(w->w_path);
		free(w);
		json_object_put(r);
		store_error(call, path, rc);
		return;
	}
	rpc_result(call, r);
	w->w_answered = 1;
	if (w->w_first != NULL) {
		watch_fired(w, w->w_first, w->w_token);
		free(w->w_first);
		w->w_first = NULL;
	}
}

/* The peer went: its watches with it. */
void
methods_store_peer_closed(struct xmd *x, struct rpc_peer *peer)
{
	struct store_watch *w, *next;
	struct xs_store *st = xsd_store(x);

	TAILQ_FOREACH_SAFE(w, &watches, w_entry, next) {
		if (w->w_peer != peer)
			continue;
		if (st != NULL)
			(void)xs_unwatch_local(st, w->w_path, w->w_token,
			    watch_fired, w);
		TAILQ_REMOVE(&watches, w, w_entry);
		free(w->w_first);
		free(w->w_path);
		free(w);
	}
}
