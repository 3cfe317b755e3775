/*
 * Watches.  A change of a node fires every watch at or above it; the
 * removal of a subtree also fires the watches on the nodes inside it,
 * with their own paths.  A domain only hears of nodes it may read, or
 * whose parent it may read (as xenstored); the special names
 * @introduceDomain and @releaseDomain reach privileged watchers only.
 * A new watch fires once at once, as xenstored's do.
 *
 * Events are queued while an operation runs and delivered after it, so
 * that a watcher (a local one may call back into the store) never sees
 * the tree half changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_int.h"

static int
same_owner(const struct xs_watch *w, struct xs_conn *c, xs_watch_fn *fn,
    void *ctx)
{
	if (c != NULL)
		return w->conn == c;
	return w->conn == NULL && w->fn == fn && w->ctx == ctx;
}

void
xs_watch_free(struct xs_watch *w)
{
	free(w->path);
	free(w->token);
	free(w);
}

static void
count(struct xs_store *st, struct xs_conn *c, int delta)
{
	struct xs_dom *d;

	if (c != NULL && (d = xs_dom_get(st, c->who.domid, 0)) != NULL)
		d->watches = (unsigned)((int)d->watches + delta);
	if (c != NULL)
		st->changes++;	/* a domain's watches are saved */
}

/*
 * A domain's connection made again after a load takes the watches
 * saved for it, in their order, without firing them: the domain set
 * them long ago.
 */
void
xs_watch_unpark(struct xs_store *st, struct xs_conn *c)
{
	struct xs_watch *w, **pp, **tail;

	for (tail = &st->watches; *tail != NULL; tail = &(*tail)->next)
		;
	for (pp = &st->parked; (w = *pp) != NULL;) {
		if (w->domid != c->who.domid) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		w->next = NULL;
		w->conn = c;
		*tail = w;
		tail = &w->next;
		count(st, c, 1);
	}
}

void
xs_watch_drop_parked(struct xs_store *st, uint32_t domid)
{
	struct xs_watch *w, **pp;

	for (pp = &st->parked; (w = *pp) != NULL;)
		if (w->domid == domid) {
			*pp = w->next;
			xs_watch_free(w);
			st->changes++;
		} else
			pp = &w->next;
}

int
xs_watch_add(struct xs_store *st, struct xs_conn *c, const char *path,
    const char *token, size_t strip, xs_watch_fn *fn, void *ctx)
{
	struct xs_watch *w, **pp;
	struct xs_dom *d;

	for (pp = &st->watches; *pp != NULL; pp = &(*pp)->next) {
		w = *pp;
		if (same_owner(w, c, fn, ctx) && strcmp(w->path, path) == 0 &&
		    strcmp(w->token, token) == 0)
			return EEXIST;
	}
	if (c != NULL) {
		if ((d = xs_dom_get(st, c->who.domid, 1)) == NULL)
			return ENOMEM;
		if (!c->who.priv && d->watches >= st->lim.watches_per_domain)
			return E2BIG;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	if (w->path == NULL || w->token == NULL) {
		xs_watch_free(w);
		return ENOMEM;
	}
	w->strip = strip;
	w->conn = c;
	w->fn = fn;
	w->ctx = ctx;
	*pp = w;
	count(st, c, 1);
	xs_watch_queue(st, w, path);
	return 0;
}

int
xs_watch_del(struct xs_store *st, struct xs_conn *c, const char *path,
    const char *token, xs_watch_fn *fn, void *ctx)
{
	struct xs_watch *w, **pp;

	for (pp = &st->watches; (w = *pp) != NULL; pp = &w->next)
		if (same_owner(w, c, fn, ctx) && strcmp(w->path, path) == 0 &&
		    strcmp(w->token, token) == 0) {
			*pp = w->next;
			count(st, c, -1);
			xs_watch_free(w);
			return 0;
		}
	return ENOENT;
}

static void
event_free(struct xs_event *e)
{
	free(e->path);
	free(e->token);
	free(e);
}

/* Forgets a connection's watches and the events queued for it. */
void
xs_watch_drop_conn(struct xs_store *st, struct xs_conn *c)
{
	struct xs_watch *w, **pp;
	struct xs_event *e, **ep;

	for (pp = &st->watches; (w = *pp) != NULL;) {
		if (w->conn == c) {
			*pp = w->next;
			count(st, c, -1);
			xs_watch_free(w);
		} else
			pp = &w->next;
	}
	st->ev_tail = &st->ev_head;
	for (ep = &st->ev_head; (e = *ep) != NULL;) {
		if (e->conn == c) {
			*ep = e->next;
			event_free(e);
		} else {
			ep = &e->next;
			st->ev_tail = ep;
		}
	}
}

void
xs_watch_queue(struct xs_store *st, const struct xs_watch *w,
    const char *path)
{
	struct xs_event *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;
	e->conn = w->conn;
	e->fn = w->fn;
	e->ctx = w->ctx;
	e->path = strdup(strlen(path) > w->strip ? path + w->strip : path);
	e->token = strdup(w->token);
	if (e->path == NULL || e->token == NULL) {
		event_free(e);
		return;
	}
	*st->ev_tail = e;
	st->ev_tail = &e->next;
}

/*
 * Whether a domain hears of a change of n: it may read n or n's parent
 * (as xenstored), or could read n before its permissions changed.
 */
static int
permitted(const struct xs_conn *c, const struct xs_node *n,
    const struct xs_perm *old, size_t nold)
{
	if (c == NULL)
		return 1;
	if (old != NULL && xs_can_perms(&c->who, old, nold, 0))
		return 1;
	return xs_can(&c->who, n, 0) ||
	    (n->parent != NULL && xs_can(&c->who, n->parent, 0));
}

/*
 * n at path changed: the watches at or above it fire with path.  When
 * a subtree goes (recurse), the watches on the nodes inside it fire
 * too, with their own paths.
 */
void
xs_watch_fire(struct xs_store *st, const char *path,
    const struct xs_node *n, const struct xs_perm *old, size_t nold,
    int recurse)
{
	const struct xs_watch *w;
	const struct xs_node *in;

	for (w = st->watches; w != NULL; w = w->next) {
		if (w->path[0] == '@')
			continue;
		if (xs_path_is_below(path, w->path)) {
			if (permitted(w->conn, n, old, nold))
				xs_watch_queue(st, w, path);
		} else if (recurse && xs_path_is_below(w->path, path)) {
			in = xs_node_find((struct xs_node *)n,
			    w->path + strlen(path));
			if (in != NULL && permitted(w->conn, in, NULL, 0))
				xs_watch_queue(st, w, w->path);
		}
	}
}

void
xs_watch_fire_special(struct xs_store *st, const char *name)
{
	const struct xs_watch *w;

	for (w = st->watches; w != NULL; w = w->next)
		if (strcmp(w->path, name) == 0 &&
		    (w->conn == NULL || w->conn->who.priv))
			xs_watch_queue(st, w, name);
}

static void
send_event(struct xs_event *e)
{
	char buf[XM_XS_PAYLOAD_MAX];
	size_t pl = strlen(e->path) + 1, tl = strlen(e->token) + 1;

	if (pl + tl > sizeof(buf))
		return;		/* cannot be framed: dropped */
	memcpy(buf, e->path, pl);
	memcpy(buf + pl, e->token, tl);
	xs_conn_send(e->conn, XM_XS_WATCH_EVENT, 0, 0, buf, pl + tl);
}

void
xs_watch_deliver(struct xs_store *st)
{
	struct xs_event *e;

	if (st->delivering)
		return;		/* the outer loop takes what is added */
	st->delivering = 1;
	while ((e = st->ev_head) != NULL) {
		if ((st->ev_head = e->next) == NULL)
			st->ev_tail = &st->ev_head;
		if (e->conn != NULL)
			send_event(e);
		else
			e->fn(e->ctx, e->path, e->token);
		event_free(e);
	}
	st->delivering = 0;
	if (st->hook != NULL && xs_store_version(st) != st->notified) {
		st->notified = xs_store_version(st);
		st->hook(st->hook_ctx);
	}
}
