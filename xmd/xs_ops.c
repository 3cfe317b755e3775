/*
 * The wire requests, one handler each, in a table: which need domain
 * 0's rights, which may run in a transaction.  A handler answers on
 * success; an error it returns becomes an XM_XS_ERROR reply naming the
 * errno, as xenstored answers.  Arguments are NUL-terminated strings;
 * a payload without the NULs a request needs is EINVAL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_int.h"

/* Accesses one transaction may make, a domain's (xenstored: 1024). */
#define XS_TXN_NODES_MAX	1024
#define XS_DOMID_MAX		0x7fefU	/* below Xen's reserved ids */

struct req {
	struct xs_conn		*c;
	const struct xm_xs_hdr	*h;
	const char		*pl;
	size_t			 len;
	struct xs_view		 v;
};

typedef int op_fn(struct req *);

static void
reply(struct req *r, const void *buf, size_t len)
{
	xs_conn_send(r->c, r->h->type, r->h->req_id, r->h->tx_id, buf, len);
}

static int
ok(struct req *r)
{
	reply(r, "OK", 3);
	return 0;
}

/* The payload as exactly n NUL-terminated strings. */
static int
args(struct req *r, const char **argv, size_t n)
{
	size_t i, off = 0;

	for (i = 0; i < n; i++) {
		const char *nul;

		if (off >= r->len ||
		    (nul = memchr(r->pl + off, '\0', r->len - off)) == NULL)
			return EINVAL;
		argv[i] = r->pl + off;
		off = (size_t)(nul - r->pl) + 1;
	}
	return off == r->len ? 0 : EINVAL;
}

/* A node's name: canonical, never a special one. */
static int
node_path(struct req *r, const char *in, char *out)
{
	size_t strip;
	int rc;

	rc = xs_path_canon(r->c->st, r->c->home, in, strlen(in), out, &strip);
	return rc != 0 || out[0] != '/' ? EINVAL : 0;
}

static int
path_arg(struct req *r, char *out)
{
	const char *a[1];
	int rc;

	if ((rc = args(r, a, 1)) != 0)
		return rc;
	return node_path(r, a[0], out);
}

static int
domid_arg(const char *s, uint32_t *domid)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > XS_DOMID_MAX)
		return EINVAL;
	*domid = (uint32_t)v;
	return 0;
}

static int
op_read(struct req *r)
{
	char path[XS_PATH_BUF];
	struct xs_node *n;
	int rc;

	if ((rc = path_arg(r, path)) != 0 ||
	    (rc = xs_tree_get(&r->v, path, 0, &n)) != 0)
		return rc;
	if (n->len > XM_XS_PAYLOAD_MAX)
		return E2BIG;
	reply(r, n->val, n->len);
	return 0;
}

/* The children's names, each NUL-terminated, in buf (len on return). */
static int
names(const struct xs_node *n, char *buf, size_t cap, size_t *len)
{
	size_t i, l, off = 0;

	for (i = 0; i < n->nkids; i++) {
		l = strlen(n->kids[i]->name) + 1;
		if (off + l > cap)
			return E2BIG;
		memcpy(buf + off, n->kids[i]->name, l);
		off += l;
	}
	*len = off;
	return 0;
}

static int
op_directory(struct req *r)
{
	char path[XS_PATH_BUF], buf[XM_XS_PAYLOAD_MAX];
	struct xs_node *n;
	size_t len;
	int rc;

	if ((rc = path_arg(r, path)) != 0 ||
	    (rc = xs_tree_get(&r->v, path, 0, &n)) != 0 ||
	    (rc = names(n, buf, sizeof(buf), &len)) != 0)
		return rc;
	reply(r, buf, len);
	return 0;
}

/*
 * DIRECTORY_PART "path\0offset\0": the node's generation, then the
 * names from byte offset of the whole list that fit; an empty name
 * after the last one says the list is complete (alone past its end).
 */
static int
op_directory_part(struct req *r)
{
	char path[XS_PATH_BUF], buf[XM_XS_PAYLOAD_MAX];
	const char *a[2];
	struct xs_node *n;
	size_t off, i, l, pos = 0, at = 0;
	char *end;
	int rc;

	if ((rc = args(r, a, 2)) != 0 || (rc = node_path(r, a[0], path)) != 0)
		return rc;
	off = strtoul(a[1], &end, 10);
	if (*a[1] < '0' || *a[1] > '9' || *end != '\0')
		return EINVAL;
	if ((rc = xs_tree_get(&r->v, path, 0, &n)) != 0)
		return rc;
	pos = (size_t)snprintf(buf, sizeof(buf), "%llu",
	    (unsigned long long)n->gen) + 1;
	for (i = 0; i < n->nkids; i++, at += l) {
		l = strlen(n->kids[i]->name) + 1;
		if (at < off)
			continue;
		if (pos + l + 1 > sizeof(buf))
			break;
		memcpy(buf + pos, n->kids[i]->name, l);
		pos += l;
	}
	if (i == n->nkids)
		buf[pos++] = '\0';
	reply(r, buf, pos);
	return 0;
}

static int
op_get_perms(struct req *r)
{
	char path[XS_PATH_BUF], buf[XM_XS_PAYLOAD_MAX];
	struct xs_node *n;
	size_t i, pos = 0;
	int rc, l;

	if ((rc = path_arg(r, path)) != 0 ||
	    (rc = xs_tree_get(&r->v, path, 0, &n)) != 0)
		return rc;
	for (i = 0; i < n->nperms; i++) {
		l = snprintf(buf + pos, sizeof(buf) - pos, "%c%u",
		    n->perms[i].perm, n->perms[i].domid);
		if (l < 0 || (size_t)l + 1 > sizeof(buf) - pos)
			return E2BIG;
		pos += (size_t)l + 1;
	}
	reply(r, buf, pos);
	return 0;
}

static int
op_write(struct req *r)
{
	char path[XS_PATH_BUF];
	const char *nul = memchr(r->pl, '\0', r->len);
	size_t pl;
	int rc;

	if (nul == NULL)
		return EINVAL;
	pl = (size_t)(nul - r->pl) + 1;
	if ((rc = node_path(r, r->pl, path)) != 0 ||
	    (rc = xs_tree_write(&r->v, path, r->pl + pl, r->len - pl)) != 0)
		return rc;
	return ok(r);
}

static int
op_mkdir(struct req *r)
{
	char path[XS_PATH_BUF];
	int rc;

	if ((rc = path_arg(r, path)) != 0 ||
	    (rc = xs_tree_mkdir(&r->v, path)) != 0)
		return rc;
	return ok(r);
}

static int
op_rm(struct req *r)
{
	char path[XS_PATH_BUF];
	int rc;

	if ((rc = path_arg(r, path)) != 0 ||
	    (rc = xs_tree_rm(&r->v, path)) != 0)
		return rc;
	return ok(r);
}

static int
op_set_perms(struct req *r)
{
	char path[XS_PATH_BUF];
	const char *nul = memchr(r->pl, '\0', r->len);
	struct xs_perm *p = NULL;
	size_t pl, np;
	int rc;

	if (nul == NULL)
		return EINVAL;
	pl = (size_t)(nul - r->pl) + 1;
	if ((rc = node_path(r, r->pl, path)) != 0 ||
	    (rc = xs_perms_parse(r->pl + pl, r->len - pl, &p, &np)) != 0)
		return rc;
	rc = xs_tree_set_perms(&r->v, path, p, np);
	free(p);
	return rc != 0 ? rc : ok(r);
}

static int
op_watch(struct req *r)
{
	char path[XS_PATH_BUF];
	const char *a[2];
	size_t strip;
	int rc;

	if ((rc = args(r, a, 2)) != 0 ||
	    (rc = xs_path_canon(r->c->st, r->c->home, a[0], strlen(a[0]),
	    path, &strip)) != 0)
		return rc;
	if (r->h->type == XM_XS_UNWATCH)
		rc = xs_watch_del(r->c->st, r->c, path, a[1], NULL, NULL);
	else
		rc = xs_watch_add(r->c->st, r->c, path, a[1], strip, NULL,
		    NULL);
	return rc != 0 ? rc : ok(r);
}

static int
op_reset_watches(struct req *r)
{
	xs_watch_drop_conn(r->c->st, r->c);
	xs_txn_drop_all(r->c);
	return ok(r);
}

static int
op_txn_start(struct req *r)
{
	const char *a[1];
	char buf[16];
	uint32_t id;
	int rc;

	if ((rc = args(r, a, 1)) != 0)
		return rc;
	if (r->h->tx_id != 0)
		return EBUSY;
	if ((rc = xs_txn_start(r->c, &id)) != 0)
		return rc;
	reply(r, buf, (size_t)snprintf(buf, sizeof(buf), "%u", id) + 1);
	return 0;
}

static int
op_txn_end(struct req *r)
{
	struct xs_txn *t;
	const char *a[1];
	int rc;

	if ((rc = args(r, a, 1)) != 0)
		return rc;
	if (strcmp(a[0], "T") != 0 && strcmp(a[0], "F") != 0)
		return EINVAL;
	if ((t = xs_txn_find(r->c, r->h->tx_id)) == NULL)
		return ENOENT;
	if ((rc = xs_txn_end(r->c, t, a[0][0] == 'T')) != 0)
		return rc;
	return ok(r);
}

static int
op_get_domain_path(struct req *r)
{
	const char *a[1];
	uint32_t domid;
	char buf[32];
	int rc;

	if ((rc = args(r, a, 1)) != 0 || (rc = domid_arg(a[0], &domid)) != 0)
		return rc;
	reply(r, buf,
	    (size_t)snprintf(buf, sizeof(buf), "/local/domain/%u", domid) + 1);
	return 0;
}

/* INTRODUCE "domid\0mfn\0port\0"; RELEASE, RESUME, IS_..."domid\0". */
static int
op_domain(struct req *r)
{
	const char *a[3];
	uint32_t domid;
	int rc;

	rc = args(r, a, r->h->type == XM_XS_INTRODUCE ? 3 : 1);
	if (rc != 0 || (rc = domid_arg(a[0], &domid)) != 0)
		return rc;
	switch (r->h->type) {
	case XM_XS_INTRODUCE:
		rc = xs_introduce(r->c->st, domid);
		break;
	case XM_XS_RELEASE:
		rc = xs_release(r->c->st, domid);
		break;
	case XM_XS_RESUME:
		rc = xs_is_introduced(r->c->st, domid) ? 0 : ENOENT;
		break;
	case XM_XS_IS_DOMAIN_INTRODUCED:
		reply(r, xs_is_introduced(r->c->st, domid) ? "T" : "F", 2);
		return 0;
	}
	return rc != 0 ? rc : ok(r);
}

/* SET_TARGET "domid\0target\0": domid acts with target's rights. */
static int
op_set_target(struct req *r)
{
	const char *a[2];
	uint32_t domid, target;
	struct xs_conn *c;
	int rc, found = 0;

	if ((rc = args(r, a, 2)) != 0 || (rc = domid_arg(a[0], &domid)) != 0 ||
	    (rc = domid_arg(a[1], &target)) != 0)
		return rc;
	for (c = r->c->st->conns; c != NULL; c = c->next)
		if (c->who.domid == domid) {
			c->who.has_target = 1;
			c->who.target = target;
			found = 1;
			r->c->st->changes++;	/* saved */
		}
	return found ? ok(r) : ENOENT;
}

/* XS_CONTROL (xmd/xs_control.c): words ended by NULs, up to 4. */
static int
op_control(struct req *r)
{
	const char *argv[4];
	size_t argc = 0, off = 0;
	const char *nul;
	char *out;
	size_t len;
	int rc;

	if (!r->c->who.priv)
		return EACCES;
	while (off < r->len) {
		nul = memchr(r->pl + off, '\0', r->len - off);
		if (nul == NULL || argc == 4)
			return EINVAL;
		argv[argc++] = r->pl + off;
		off = (size_t)(nul - r->pl) + 1;
	}
	if ((rc = xs_control(r->c->st, argv, argc, &out, &len)) != 0)
		return rc;
	reply(r, out, len);
	free(out);
	return 0;
}

#define F_PRIV	1	/* domain 0 only */
#define F_TXN	2	/* runs in the transaction tx_id names */
#define F_NOTID	4	/* tx_id ignored; others need it 0 or known */

static const struct {
	op_fn	*fn;
	int	 flags;
} ops[XM_XS_TYPE_COUNT] = {
	[XM_XS_CONTROL] =		{ op_control, 0 },
	[XM_XS_DIRECTORY] =		{ op_directory, F_TXN },
	[XM_XS_READ] =			{ op_read, F_TXN },
	[XM_XS_GET_PERMS] =		{ op_get_perms, F_TXN },
	[XM_XS_WATCH] =			{ op_watch, F_NOTID },
	[XM_XS_UNWATCH] =		{ op_watch, F_NOTID },
	[XM_XS_TRANSACTION_START] =	{ op_txn_start, 0 },
	[XM_XS_TRANSACTION_END] =	{ op_txn_end, 0 },
	[XM_XS_INTRODUCE] =		{ op_domain, F_PRIV },
	[XM_XS_RELEASE] =		{ op_domain, F_PRIV },
	[XM_XS_GET_DOMAIN_PATH] =	{ op_get_domain_path, 0 },
	[XM_XS_WRITE] =			{ op_write, F_TXN },
	[XM_XS_MKDIR] =			{ op_mkdir, F_TXN },
	[XM_XS_RM] =			{ op_rm, F_TXN },
	[XM_XS_SET_PERMS] =		{ op_set_perms, F_TXN },
	[XM_XS_IS_DOMAIN_INTRODUCED] =	{ op_domain, F_PRIV },
	[XM_XS_RESUME] =		{ op_domain, F_PRIV },
	[XM_XS_SET_TARGET] =		{ op_set_target, F_PRIV },
	[XM_XS_RESET_WATCHES] =		{ op_reset_watches, 0 },
	[XM_XS_DIRECTORY_PART] =	{ op_directory_part, F_TXN },
};

static const char *
errname(int err)
{
#define XM_XS_ERR(e)	if (err == e) return #e;
	XM_XS_ERRORS
#undef XM_XS_ERR
	return "EIO";
}

/* The view a request works on: the live tree or its transaction's. */
static int
view(struct req *r)
{
	int flags = ops[r->h->type].flags;
	struct xs_txn *t;

	xs_view_live(&r->v, r->c->st, &r->c->who);
	if (r->h->tx_id == 0 || (flags & F_NOTID))
		return 0;
	/* As xenstored: an unknown transaction is ENOENT for any request. */
	if ((t = xs_txn_find(r->c, r->h->tx_id)) == NULL)
		return ENOENT;
	if (!(flags & F_TXN))
		return 0;
	if (!r->c->who.priv && t->nacc >= XS_TXN_NODES_MAX)
		return ENOSPC;
	xs_txn_view(&r->v, t);
	return 0;
}

void
xs_ops_dispatch(struct xs_conn *c, const struct xm_xs_hdr *h, const char *pl)
{
	struct req r = { .c = c, .h = h, .pl = pl, .len = h->len };
	const char *e;
	int rc;

	if (h->type >= XM_XS_TYPE_COUNT || ops[h->type].fn == NULL)
		rc = ENOSYS;
	else if ((ops[h->type].flags & F_PRIV) && !c->who.priv)
		rc = EACCES;
	else if ((rc = view(&r)) == 0)
		rc = ops[h->type].fn(&r);
	if (rc != 0) {
		e = errname(rc);
		xs_conn_send(c, XM_XS_ERROR, h->req_id, h->tx_id, e,
		    strlen(e) + 1);
	}
}
