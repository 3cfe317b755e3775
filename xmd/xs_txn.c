/*
 * Transactions.  A transaction works on its own copy of the tree, made
 * when it starts; it remembers the generation of every node it read or
 * changed (0 for one that did not exist) as it first saw it, and logs
 * its changes.  Committing replays the log on the live tree, so that
 * watches fire then, unless one of those nodes has changed meanwhile:
 * then the answer is EAGAIN and the caller starts again, as with
 * xenstored.
 *
 * Quotas are checked in the transaction's view as its requests come;
 * the replay does not check them again (a domain may briefly go over
 * its node quota by what its open transactions added at once).  The
 * copies a domain's transactions hold are limited in bytes too
 * (xs_limits.txn_bytes), as copying is what they cost.
 *
 * A save keeps the ids of the open transactions, not their changes: a
 * domain's transaction that was open across xmd's restart comes back
 * on its new connection as one that conflicted (its requests work on a
 * fresh copy; committing it is EAGAIN), and the domain does it again,
 * as with any transaction that conflicts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_int.h"

static void
txn_free(struct xs_txn *t)
{
	size_t i;

	xs_node_free(t->root);
	for (i = 0; i < t->nacc; i++)
		free(t->acc[i].path);
	free(t->acc);
	for (i = 0; i < t->nlog; i++) {
		free(t->log[i].path);
		free(t->log[i].val);
		free(t->log[i].perms);
	}
	free(t->log);
	free(t);
}

static uint32_t
new_id(struct xs_store *st)
{
	struct xs_conn *c;
	uint32_t id;

again:
	if ((id = st->next_txid++) == 0)
		goto again;
	for (c = st->conns; c != NULL; c = c->next)
		if (xs_txn_find(c, id) != NULL)
			goto again;
	return id;
}

/* A transaction of c, with the given id (0: a new one). */
static int
txn_open(struct xs_conn *c, uint32_t want, uint32_t *id)
{
	struct xs_store *st = c->st;
	struct xs_dom *d;
	struct xs_txn *t;
	size_t bytes;

	if ((d = xs_dom_get(st, c->who.domid, 1)) == NULL)
		return ENOMEM;
	if (!c->who.priv && d->txns >= st->lim.txns_per_domain)
		return ENOSPC;
	bytes = xs_node_bytes(st->root);
	if (!c->who.priv && d->txn_bytes + bytes > st->lim.txn_bytes)
		return ENOSPC;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return ENOMEM;
	if ((t->root = xs_node_clone(st->root, NULL)) == NULL) {
		free(t);
		return ENOMEM;
	}
	t->conn = c;
	t->bytes = bytes;
	t->id = want != 0 ? want : new_id(st);
	t->lost = want != 0;
	t->next = c->txns;
	c->txns = t;
	d->txns++;
	d->txn_bytes += bytes;
	*id = t->id;
	st->changes++;		/* the ids of open transactions are saved */
	return 0;
}

int
xs_txn_start(struct xs_conn *c, uint32_t *id)
{
	return txn_open(c, 0, id);
}

/*
 * A domain's connection made again after a load: the transactions it
 * had open come back, lost (see above).  One that cannot be made is
 * left out, and the domain's requests in it get ENOENT.
 */
void
xs_txn_unpark(struct xs_store *st, struct xs_conn *c)
{
	struct xs_dom *d = xs_dom_get(st, c->who.domid, 0);
	uint32_t id;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nlost_txns; i++)
		(void)txn_open(c, d->lost_txns[i], &id);
	free(d->lost_txns);
	d->lost_txns = NULL;
	d->nlost_txns = 0;
}

struct xs_txn *
xs_txn_find(struct xs_conn *c, uint32_t id)
{
	struct xs_txn *t;

	for (t = c->txns; t != NULL; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

void
xs_txn_view(struct xs_view *v, struct xs_txn *t)
{
	v->st = t->conn->st;
	v->root = t->root;
	v->txn = t;
	v->who = &t->conn->who;
	v->quota = 1;
}

void
xs_txn_note(struct xs_view *v, const char *path, const struct xs_node *n)
{
	struct xs_txn *t = v->txn;
	struct xs_access *a;
	size_t i, cap;

	if (t == NULL)
		return;
	for (i = 0; i < t->nacc; i++)
		if (strcmp(t->acc[i].path, path) == 0)
			return;
	if (t->nacc == t->acap) {
		cap = t->acap ? t->acap * 2 : 8;
		if ((a = realloc(t->acc, cap * sizeof(*a))) == NULL) {
			t->failed = 1;
			return;
		}
		t->acc = a;
		t->acap = cap;
	}
	if ((t->acc[t->nacc].path = strdup(path)) == NULL) {
		t->failed = 1;
		return;
	}
	t->acc[t->nacc++].gen = n != NULL ? n->gen : 0;
}

int
xs_txn_log(struct xs_view *v, int type, const char *path, const void *val,
    size_t len, const struct xs_perm *p, size_t np)
{
	struct xs_txn *t = v->txn;
	struct xs_op *op;
	size_t cap;

	if (t == NULL)
		return 0;
	if (t->nlog == t->lcap) {
		cap = t->lcap ? t->lcap * 2 : 8;
		if ((op = realloc(t->log, cap * sizeof(*op))) == NULL) {
			t->failed = 1;
			return ENOMEM;
		}
		t->log = op;
		t->lcap = cap;
	}
	op = &t->log[t->nlog];
	memset(op, 0, sizeof(*op));
	op->type = type;
	op->path = strdup(path);
	if (val != NULL && (op->val = malloc(len ? len : 1)) != NULL)
		memcpy(op->val, val, len);
	op->len = len;
	if (p != NULL && (op->perms = malloc(np * sizeof(*p))) != NULL)
		memcpy(op->perms, p, np * sizeof(*p));
	op->nperms = np;
	if (op->path == NULL || (val != NULL && op->val == NULL) ||
	    (p != NULL && op->perms == NULL)) {
		free(op->path);
		free(op->val);
		free(op->perms);
		t->failed = 1;
		return ENOMEM;
	}
	t->nlog++;
	return 0;
}

static int
conflicts(struct xs_store *st, const struct xs_txn *t)
{
	const struct xs_node *n;
	size_t i;

	for (i = 0; i < t->nacc; i++) {
		n = xs_node_find(st->root, t->acc[i].path);
		if ((n != NULL ? n->gen : 0) != t->acc[i].gen)
			return 1;
	}
	return 0;
}

static void
replay(struct xs_store *st, const struct xs_txn *t)
{
	struct xs_view v;
	const struct xs_op *op;
	size_t i;

	xs_view_live(&v, st, &t->conn->who);
	v.quota = 0;
	for (i = 0; i < t->nlog; i++) {
		op = &t->log[i];
		(void)xs_tree_apply(&v, op->type, op->path, op->val, op->len,
		    op->perms, op->nperms);
	}
}

static void
unlink_txn(struct xs_conn *c, struct xs_txn *t)
{
	struct xs_txn **pp;
	struct xs_dom *d;

	for (pp = &c->txns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	if ((d = xs_dom_get(c->st, c->who.domid, 0)) != NULL && d->txns > 0) {
		d->txns--;
		d->txn_bytes -= t->bytes;
	}
}

/* Ends t: commits it (0 or EAGAIN) or throws it away. */
int
xs_txn_end(struct xs_conn *c, struct xs_txn *t, int commit)
{
	int rc = 0;

	unlink_txn(c, t);
	c->st->changes++;
	if (commit) {
		if (t->failed)
			rc = ENOMEM;
		else if (t->lost || conflicts(c->st, t))
			rc = EAGAIN;
		else
			replay(c->st, t);
	}
	txn_free(t);
	return rc;
}

void
xs_txn_drop_all(struct xs_conn *c)
{
	while (c->txns != NULL)
		xs_txn_end(c, c->txns, 0);
}
