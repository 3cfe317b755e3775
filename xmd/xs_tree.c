/*
 * The tree: nodes, their permissions, and the quota of nodes a domain
 * may own.  The operations work on a view (the live tree, or a
 * transaction's copy); on the live tree they queue watch events, in a
 * transaction they note what they saw and log what they changed.
 *
 * Permissions, as xenstored: privileged callers and a node's owner may
 * do anything; another domain gets its own entry of the list, or the
 * first entry's right if it has none.  A node a domain creates is its
 * own: it inherits its parent's list with the owner replaced.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_int.h"

struct xs_dom *
xs_dom_get(struct xs_store *st, uint32_t domid, int create)
{
	struct xs_dom *d;

	for (d = st->doms; d != NULL; d = d->next)
		if (d->domid == domid)
			return d;
	if (!create || (d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->domid = domid;
	d->next = st->doms;
	st->doms = d;
	return d;
}

struct xs_node *
xs_node_new(struct xs_store *st, const char *name, const struct xs_perm *p,
    size_t np)
{
	struct xs_node *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->name = strdup(name);
	n->val = calloc(1, 1);
	n->perms = malloc(np * sizeof(*p));
	if (n->name == NULL || n->val == NULL || n->perms == NULL) {
		xs_node_free(n);
		return NULL;
	}
	memcpy(n->perms, p, np * sizeof(*p));
	n->nperms = np;
	n->gen = ++st->gen;
	return n;
}

void
xs_node_free(struct xs_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		xs_node_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->val);
	free(n->perms);
	free(n);
}

int
xs_node_add_kid(struct xs_node *parent, struct xs_node *kid)
{
	struct xs_node **k;
	size_t cap;

	if (parent->nkids == parent->kcap) {
		cap = parent->kcap ? parent->kcap * 2 : 4;
		if ((k = realloc(parent->kids, cap * sizeof(*k))) == NULL)
			return ENOMEM;
		parent->kids = k;
		parent->kcap = cap;
	}
	parent->kids[parent->nkids++] = kid;
	kid->parent = parent;
	return 0;
}

static void
kid_del(struct xs_node *parent, struct xs_node *kid)
{
	size_t i;

	for (i = 0; i < parent->nkids; i++)
		if (parent->kids[i] == kid)
			break;
	if (i == parent->nkids)
		return;
	memmove(&parent->kids[i], &parent->kids[i + 1],
	    (parent->nkids - i - 1) * sizeof(kid));
	parent->nkids--;
}

static struct xs_node *
kid_find(const struct xs_node *n, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (strncmp(n->kids[i]->name, name, len) == 0 &&
		    n->kids[i]->name[len] == '\0')
			return n->kids[i];
	return NULL;
}

/*
 * Walks a canonical path as far as it exists: the deepest node found,
 * and in *rest what remains of the path after it ("" when all of it).
 */
static struct xs_node *
walk(struct xs_node *root, const char *path, const char **rest)
{
	struct xs_node *n = root, *k;
	const char *p = path + 1, *end;

	while (*p != '\0') {
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		if ((k = kid_find(n, p, (size_t)(end - p))) == NULL)
			break;
		n = k;
		p = *end == '/' ? end + 1 : end;
	}
	*rest = p;
	return n;
}

struct xs_node *
xs_node_find(struct xs_node *root, const char *path)
{
	const char *rest;
	struct xs_node *n = walk(root, path, &rest);

	return *rest == '\0' ? n : NULL;
}

struct xs_node *
xs_node_clone(const struct xs_node *src, struct xs_node *parent)
{
	struct xs_node *n;
	size_t i;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->parent = parent;
	n->name = strdup(src->name);
	n->val = malloc(src->len + 1);
	n->perms = malloc(src->nperms * sizeof(*n->perms));
	if (n->name == NULL || n->val == NULL || n->perms == NULL)
		goto err;
	memcpy(n->val, src->val, src->len + 1);
	n->len = src->len;
	memcpy(n->perms, src->perms, src->nperms * sizeof(*n->perms));
	n->nperms = src->nperms;
	n->gen = src->gen;
	if (src->nkids > 0) {
		n->kids = calloc(src->nkids, sizeof(*n->kids));
		if (n->kids == NULL)
			goto err;
		n->kcap = src->nkids;
		for (i = 0; i < src->nkids; i++) {
			n->kids[i] = xs_node_clone(src->kids[i], n);
			if (n->kids[i] == NULL)
				goto err;
			n->nkids++;
		}
	}
	return n;
err:
	xs_node_free(n);
	return NULL;
}

/* What a copy of the subtree at n takes, roughly. */
size_t
xs_node_bytes(const struct xs_node *n)
{
	size_t b, i;

	b = sizeof(*n) + strlen(n->name) + 1 + n->len + 1 +
	    n->nperms * sizeof(*n->perms) + n->nkids * sizeof(*n->kids);
	for (i = 0; i < n->nkids; i++)
		b += xs_node_bytes(n->kids[i]);
	return b;
}

int
xs_can_perms(const struct xs_who *who, const struct xs_perm *perms, size_t np,
    int write)
{
	char p = perms[0].perm;
	size_t i;

	if (who->priv || perms[0].domid == who->domid)
		return 1;
	if (who->has_target && perms[0].domid == who->target)
		return 1;
	for (i = 1; i < np; i++)
		if (perms[i].domid == who->domid) {
			p = perms[i].perm;
			break;
		}
	if (p == XS_PERM_BOTH)
		return 1;
	return p == (write ? XS_PERM_WRITE : XS_PERM_READ);
}

int
xs_can(const struct xs_who *who, const struct xs_node *n, int write)
{
	return xs_can_perms(who, n->perms, n->nperms, write);
}

/* A missing node is not disclosed to one who may not read its parent. */
int
xs_hide_enoent(struct xs_view *v, const char *path, int err)
{
	const char *rest;
	struct xs_node *anc;

	if (err != ENOENT)
		return err;
	anc = walk(v->root, path, &rest);
	return xs_can(v->who, anc, 0) ? ENOENT : EACCES;
}

void
xs_view_live(struct xs_view *v, struct xs_store *st, const struct xs_who *who)
{
	v->st = st;
	v->root = st->root;
	v->txn = NULL;
	v->who = who;
	v->quota = 1;
}

/* Nodes owned by domid change by delta, in the view's accounting. */
static void
account(struct xs_view *v, uint32_t domid, long delta)
{
	struct xs_dom *d;

	if (v->txn != NULL) {
		if (domid == v->txn->conn->who.domid)
			v->txn->node_delta += delta;
		return;
	}
	if ((d = xs_dom_get(v->st, domid, 1)) != NULL)
		d->nodes = (unsigned)((long)d->nodes + delta);
}

static int
quota_nodes(struct xs_view *v, unsigned more)
{
	struct xs_dom *d;
	long have;

	if (v->who->priv || !v->quota)
		return 0;
	d = xs_dom_get(v->st, v->who->domid, 0);
	have = (d != NULL ? (long)d->nodes : 0) +
	    (v->txn != NULL ? v->txn->node_delta : 0);
	return have + (long)more > (long)v->st->lim.nodes_per_domain ?
	    ENOSPC : 0;
}

int
xs_tree_get(struct xs_view *v, const char *path, int write,
    struct xs_node **np)
{
	struct xs_node *n = xs_node_find(v->root, path);

	xs_txn_note(v, path, n);
	if (n == NULL)
		return xs_hide_enoent(v, path, ENOENT);
	if (!xs_can(v->who, n, write))
		return EACCES;
	*np = n;
	return 0;
}

static void
changed(struct xs_view *v, const char *path, struct xs_node *n, int recurse)
{
	n->gen = ++v->st->gen;
	if (v->txn == NULL)
		xs_watch_fire(v->st, path, n, NULL, 0, recurse);
}

/* Creates the missing part of path below its deepest existing node. */
static int
create(struct xs_view *v, const char *path, struct xs_node **np)
{
	char sub[XS_PATH_BUF];
	const char *rest, *p;
	struct xs_node *anc, *n, *k;
	unsigned count = 1;
	size_t len;
	int rc;

	anc = walk(v->root, path, &rest);
	xs_txn_note(v, path, NULL);
	if (!xs_can(v->who, anc, 1))
		return EACCES;
	for (p = rest; (p = strchr(p, '/')) != NULL; p++)
		count++;
	if ((rc = quota_nodes(v, count)) != 0)
		return rc;
	len = rest > path + 1 ? (size_t)(rest - path - 1) : 1;
	memcpy(sub, path, len);
	sub[len] = '\0';
	xs_txn_note(v, sub, anc);
	anc->gen = ++v->st->gen;
	for (n = anc, p = rest; *p != '\0'; n = k) {
		const char *end = strchr(p, '/');

		len = end ? (size_t)(end - p) : strlen(p);
		/* Noted absent: their generation is the transaction's. */
		memcpy(sub, path, (size_t)(p - path) + len);
		sub[(size_t)(p - path) + len] = '\0';
		xs_txn_note(v, sub, NULL);
		memcpy(sub, p, len);
		sub[len] = '\0';
		k = xs_node_new(v->st, sub, n->perms, n->nperms);
		if (k == NULL || xs_node_add_kid(n, k) != 0) {
			xs_node_free(k);
			return ENOMEM;
		}
		if (!v->who->priv)
			k->perms[0].domid = v->who->domid;
		account(v, k->perms[0].domid, 1);
		p = end ? end + 1 : p + len;
	}
	*np = n;
	return 0;
}

int
xs_tree_write(struct xs_view *v, const char *path, const void *val,
    size_t len)
{
	struct xs_node *n = xs_node_find(v->root, path);
	char *copy;
	int rc;

	if (!v->who->priv && v->quota && len > v->st->lim.entry_size)
		return ENOSPC;
	if ((copy = malloc(len + 1)) == NULL)
		return ENOMEM;
	memcpy(copy, val, len);
	copy[len] = '\0';
	if (n != NULL) {
		xs_txn_note(v, path, n);
		rc = xs_can(v->who, n, 1) ? 0 : EACCES;
	} else
		rc = create(v, path, &n);
	if (rc == 0)
		rc = xs_txn_log(v, XM_XS_WRITE, path, val, len, NULL, 0);
	if (rc != 0) {
		free(copy);
		return rc;
	}
	free(n->val);
	n->val = copy;
	n->len = len;
	changed(v, path, n, 0);
	return 0;
}

int
xs_tree_mkdir(struct xs_view *v, const char *path)
{
	struct xs_node *n = xs_node_find(v->root, path);
	int rc;

	if (n != NULL) {
		xs_txn_note(v, path, n);
		return xs_can(v->who, n, 1) ? 0 : EACCES;
	}
	if ((rc = create(v, path, &n)) != 0)
		return rc;
	if ((rc = xs_txn_log(v, XM_XS_MKDIR, path, NULL, 0, NULL, 0)) != 0)
		return rc;
	changed(v, path, n, 0);
	return 0;
}

static void
unaccount(struct xs_view *v, const struct xs_node *n)
{
	size_t i;

	account(v, n->perms[0].domid, -1);
	for (i = 0; i < n->nkids; i++)
		unaccount(v, n->kids[i]);
}

int
xs_tree_rm(struct xs_view *v, const char *path)
{
	char pbuf[XS_PATH_BUF];
	struct xs_node *n, *parent;
	int rc;

	if (strcmp(path, "/") == 0)
		return EINVAL;
	rc = xs_tree_get(v, path, 1, &n);
	if (rc == ENOENT) {
		/* Like xenstored: gone already is fine if its parent is. */
		rc = xs_tree_get(v, xs_path_parent(path, pbuf), 0, &parent);
		return rc;
	}
	if (rc != 0)
		return rc;
	if ((rc = xs_txn_log(v, XM_XS_RM, path, NULL, 0, NULL, 0)) != 0)
		return rc;
	parent = n->parent;
	xs_txn_note(v, xs_path_parent(path, pbuf), parent);
	unaccount(v, n);
	if (v->txn == NULL)
		xs_watch_fire(v->st, path, n, NULL, 0, 1);
	kid_del(parent, n);
	parent->gen = ++v->st->gen;
	xs_node_free(n);
	return 0;
}

int
xs_tree_set_perms(struct xs_view *v, const char *path,
    const struct xs_perm *p, size_t np)
{
	struct xs_perm *copy, *old;
	struct xs_node *n;
	size_t nold;
	int rc;

	if (np == 0)
		return EINVAL;
	if (!v->who->priv && v->quota && np > v->st->lim.perms_per_node)
		return ENOSPC;
	if ((rc = xs_tree_get(v, path, 1, &n)) != 0)
		return rc;
	/* Only the owner hands out rights, and only dom0 gives a node away. */
	if (!v->who->priv && n->perms[0].domid != v->who->domid &&
	    !(v->who->has_target && n->perms[0].domid == v->who->target))
		return EACCES;
	if (!v->who->priv && p[0].domid != n->perms[0].domid)
		return EPERM;
	if ((copy = malloc(np * sizeof(*p))) == NULL)
		return ENOMEM;
	if ((rc = xs_txn_log(v, XM_XS_SET_PERMS, path, NULL, 0, p, np)) != 0) {
		free(copy);
		return rc;
	}
	memcpy(copy, p, np * sizeof(*p));
	account(v, n->perms[0].domid, -1);
	account(v, p[0].domid, 1);
	old = n->perms;
	nold = n->nperms;
	n->perms = copy;
	n->nperms = np;
	n->gen = ++v->st->gen;
	/* Those who could read it before hear of it too. */
	if (v->txn == NULL)
		xs_watch_fire(v->st, path, n, old, nold, 0);
	free(old);
	return 0;
}

/* "r5\0b0\0": a letter and a domain id, each NUL-terminated. */
int
xs_perms_parse(const char *buf, size_t len, struct xs_perm **pp, size_t *np)
{
	struct xs_perm *p;
	size_t n = 0, i, max = len / 3 + 1;
	unsigned long id;
	char *end;

	if (len == 0 || buf[len - 1] != '\0')
		return EINVAL;
	if ((p = calloc(max, sizeof(*p))) == NULL)
		return ENOMEM;
	for (i = 0; i < len; i += strlen(buf + i) + 1) {
		const char *s = buf + i;

		if (strchr("nrwb", s[0]) == NULL || s[0] == '\0' ||
		    s[1] < '0' || s[1] > '9')
			goto bad;
		id = strtoul(s + 1, &end, 10);
		if (*end != '\0' || id > UINT32_MAX || n == max)
			goto bad;
		p[n].perm = s[0];
		p[n++].domid = (uint32_t)id;
	}
	*pp = p;
	*np = n;
	return 0;
bad:
	free(p);
	return EINVAL;
}

static void
count_kids(struct xs_store *st, const struct xs_node *n)
{
	struct xs_dom *d;
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		if ((d = xs_dom_get(st, n->kids[i]->perms[0].domid, 1)) != NULL)
			d->nodes++;
		count_kids(st, n->kids[i]);
	}
}

/* Each domain's node count from the tree: the nodes it owns. */
void
xs_count_nodes(struct xs_store *st)
{
	struct xs_dom *d;

	for (d = st->doms; d != NULL; d = d->next)
		d->nodes = 0;
	count_kids(st, st->root);
}

int
xs_tree_apply(struct xs_view *v, int type, const char *path, const void *val,
    size_t len, const struct xs_perm *p, size_t np)
{
	switch (type) {
	case XM_XS_WRITE:
		return xs_tree_write(v, path, val, len);
	case XM_XS_MKDIR:
		return xs_tree_mkdir(v, path);
	case XM_XS_RM:
		return xs_tree_rm(v, path);
	case XM_XS_SET_PERMS:
		return xs_tree_set_perms(v, path, p, np);
	}
	return EINVAL;
}
