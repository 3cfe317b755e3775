/*
 * The store as a whole and the toolstack's direct calls: domain 0's
 * rights, absolute paths only, no wire format.  Each call delivers the
 * watch events it caused before it returns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_int.h"

static const struct xs_limits defaults = {
	.nodes_per_domain = 1000,
	.watches_per_domain = 128,
	.txns_per_domain = 10,
	.entry_size = 2048,
	.perms_per_node = 5,
	.path_max = XM_XS_ABS_PATH_MAX,
	.txn_bytes = 16 << 20,
};

/* The tree xenstored starts with, all domain 0's, closed to others. */
static const char *const initial[] = {
	"/local", "/local/domain", "/tool", "/vm",
};

static void
limits(struct xs_limits *l, const struct xs_limits *in)
{
	*l = defaults;
	if (in == NULL)
		return;
#define TAKE(f)	if (in->f != 0) l->f = in->f
	TAKE(nodes_per_domain);
	TAKE(watches_per_domain);
	TAKE(txns_per_domain);
	TAKE(entry_size);
	TAKE(perms_per_node);
	TAKE(path_max);
	TAKE(txn_bytes);
#undef TAKE
	if (l->path_max > XM_XS_ABS_PATH_MAX)
		l->path_max = XM_XS_ABS_PATH_MAX;
}

struct xs_store *
xs_store_new(const struct xs_limits *lim)
{
	static const struct xs_perm closed = { 0, XS_PERM_NONE };
	struct xs_store *st;
	size_t i;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	limits(&st->lim, lim);
	st->ev_tail = &st->ev_head;
	st->next_txid = 1;
	st->admin.priv = 1;
	if ((st->root = xs_node_new(st, "", &closed, 1)) == NULL)
		goto err;
	for (i = 0; i < sizeof(initial) / sizeof(initial[0]); i++)
		if (xs_mkdir(st, initial[i]) != 0)
			goto err;
	return st;
err:
	xs_store_free(st);
	return NULL;
}

void
xs_store_free(struct xs_store *st)
{
	struct xs_watch *w;
	struct xs_event *e;
	struct xs_dom *d;

	if (st == NULL)
		return;
	while (st->conns != NULL)
		xs_conn_free(st->conns);
	while ((w = st->watches) != NULL) {
		st->watches = w->next;
		xs_watch_free(w);
	}
	while ((w = st->parked) != NULL) {
		st->parked = w->next;
		xs_watch_free(w);
	}
	while ((e = st->ev_head) != NULL) {
		st->ev_head = e->next;
		free(e->path);
		free(e->token);
		free(e);
	}
	while ((d = st->doms) != NULL) {
		st->doms = d->next;
		free(d->partial);
		free(d->lost_txns);
		free(d);
	}
	xs_node_free(st->root);
	free(st);
}

/* An absolute node path from the toolstack, canonical in out. */
static int
admin_path(struct xs_store *st, const char *path, char *out)
{
	size_t strip;

	if (path == NULL || path[0] != '/')
		return EINVAL;
	return xs_path_canon(st, NULL, path, strlen(path), out, &strip);
}

int
xs_read(struct xs_store *st, const char *path, char **val, size_t *len)
{
	char p[XS_PATH_BUF];
	struct xs_view v;
	struct xs_node *n;
	int rc;

	xs_view_live(&v, st, &st->admin);
	if ((rc = admin_path(st, path, p)) != 0 ||
	    (rc = xs_tree_get(&v, p, 0, &n)) != 0)
		return rc;
	if ((*val = malloc(n->len + 1)) == NULL)
		return ENOMEM;
	memcpy(*val, n->val, n->len + 1);
	if (len != NULL)
		*len = n->len;
	return 0;
}

/* A change by the toolstack, then the watches it fired. */
static int
admin_change(struct xs_store *st, int type, const char *path,
    const void *val, size_t len, const struct xs_perm *p, size_t np)
{
	char buf[XS_PATH_BUF];
	struct xs_view v;
	int rc;

	xs_view_live(&v, st, &st->admin);
	if ((rc = admin_path(st, path, buf)) == 0)
		rc = xs_tree_apply(&v, type, buf, val, len, p, np);
	xs_watch_deliver(st);
	return rc;
}

int
xs_write(struct xs_store *st, const char *path, const void *val, size_t len)
{
	if (len > XM_XS_PAYLOAD_MAX)
		return E2BIG;	/* no domain could read it back */
	return admin_change(st, XM_XS_WRITE, path, val, len, NULL, 0);
}

int
xs_mkdir(struct xs_store *st, const char *path)
{
	return admin_change(st, XM_XS_MKDIR, path, NULL, 0, NULL, 0);
}

int
xs_rm(struct xs_store *st, const char *path)
{
	return admin_change(st, XM_XS_RM, path, NULL, 0, NULL, 0);
}

/* One allocation: the pointers, then the names; free(*names) frees all. */
int
xs_directory(struct xs_store *st, const char *path, char ***names, size_t *n)
{
	char p[XS_PATH_BUF], **out, *s;
	struct xs_view v;
	struct xs_node *node;
	size_t i, bytes = 0;
	int rc;

	xs_view_live(&v, st, &st->admin);
	if ((rc = admin_path(st, path, p)) != 0 ||
	    (rc = xs_tree_get(&v, p, 0, &node)) != 0)
		return rc;
	for (i = 0; i < node->nkids; i++)
		bytes += strlen(node->kids[i]->name) + 1;
	out = malloc((node->nkids + 1) * sizeof(*out) + bytes);
	if (out == NULL)
		return ENOMEM;
	s = (char *)(out + node->nkids + 1);
	for (i = 0; i < node->nkids; i++) {
		out[i] = s;
		s = stpcpy(s, node->kids[i]->name) + 1;
	}
	out[i] = NULL;
	*names = out;
	*n = node->nkids;
	return 0;
}

int
xs_set_perms(struct xs_store *st, const char *path, const struct xs_perm *p,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i].perm == '\0' || strchr("nrwb", p[i].perm) == NULL)
			return EINVAL;
	return admin_change(st, XM_XS_SET_PERMS, path, NULL, 0, p, n);
}

int
xs_get_perms(struct xs_store *st, const char *path, struct xs_perm **p,
    size_t *n)
{
	char buf[XS_PATH_BUF];
	struct xs_view v;
	struct xs_node *node;
	int rc;

	xs_view_live(&v, st, &st->admin);
	if ((rc = admin_path(st, path, buf)) != 0 ||
	    (rc = xs_tree_get(&v, buf, 0, &node)) != 0)
		return rc;
	if ((*p = malloc(node->nperms * sizeof(**p))) == NULL)
		return ENOMEM;
	memcpy(*p, node->perms, node->nperms * sizeof(**p));
	*n = node->nperms;
	return 0;
}

int
xs_introduce(struct xs_store *st, uint32_t domid)
{
	struct xs_dom *d;

	if ((d = xs_dom_get(st, domid, 1)) == NULL)
		return ENOMEM;
	d->introduced = 1;
	st->changes++;
	xs_watch_fire_special(st, "@introduceDomain");
	xs_watch_deliver(st);
	return 0;
}

/* The domain's watches and transactions go; the nodes it owns stay. */
int
xs_release(struct xs_store *st, uint32_t domid)
{
	struct xs_dom *d = xs_dom_get(st, domid, 0);
	struct xs_conn *c;

	if (d == NULL || !d->introduced)
		return ENOENT;
	d->introduced = 0;
	d->has_target = 0;
	free(d->partial);
	d->partial = NULL;
	free(d->lost_txns);
	d->lost_txns = NULL;
	d->nlost_txns = 0;
	st->changes++;
	xs_watch_drop_parked(st, domid);
	for (c = st->conns; c != NULL; c = c->next)
		if (c->who.domid == domid) {
			xs_txn_drop_all(c);
			xs_watch_drop_conn(st, c);
		}
	xs_watch_fire_special(st, "@releaseDomain");
	xs_watch_deliver(st);
	return 0;
}

int
xs_is_introduced(struct xs_store *st, uint32_t domid)
{
	struct xs_dom *d = xs_dom_get(st, domid, 0);

	return d != NULL && d->introduced;
}

int
xs_introduced(struct xs_store *st, uint32_t **ids, size_t *n)
{
	struct xs_dom *d;
	size_t k = 0;

	for (d = st->doms; d != NULL; d = d->next)
		k += d->introduced != 0;
	if ((*ids = calloc(k + 1, sizeof(**ids))) == NULL)
		return ENOMEM;
	*n = 0;
	for (d = st->doms; d != NULL; d = d->next)
		if (d->introduced)
			(*ids)[(*n)++] = d->domid;
	return 0;
}

int
xs_watch_local(struct xs_store *st, const char *path, const char *token,
    xs_watch_fn *fn, void *ctx)
{
	char p[XS_PATH_BUF];
	size_t strip;
	int rc;

	if (path == NULL || token == NULL || fn == NULL)
		return EINVAL;
	if ((rc = xs_path_canon(st, NULL, path, strlen(path), p, &strip)) != 0)
		return rc;
	rc = xs_watch_add(st, NULL, p, token, 0, fn, ctx);
	xs_watch_deliver(st);
	return rc;
}

int
xs_unwatch_local(struct xs_store *st, const char *path, const char *token,
    xs_watch_fn *fn, void *ctx)
{
	char p[XS_PATH_BUF];
	size_t strip;
	int rc;

	if (path == NULL || token == NULL || fn == NULL)
		return EINVAL;
	if ((rc = xs_path_canon(st, NULL, path, strlen(path), p, &strip)) != 0)
		return rc;
	return xs_watch_del(st, NULL, p, token, fn, ctx);
}

uint64_t
xs_store_version(const struct xs_store *st)
{
	return st->gen + st->changes;
}

void
xs_store_set_hook(struct xs_store *st, void (*fn)(void *), void *ctx)
{
	st->hook = fn;
	st->hook_ctx = ctx;
	st->notified = xs_store_version(st);
}

unsigned
xs_domain_nodes(struct xs_store *st, uint32_t domid)
{
	struct xs_dom *d = xs_dom_get(st, domid, 0);

	return d != NULL ? d->nodes : 0;
}
