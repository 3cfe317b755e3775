/*
 * The store saved as text and loaded back (xenstore.h).  The format,
 * one record a line, fields separated by one space; strings that may
 * hold anything (paths, values, tokens) are written as 'x' and their
 * bytes in hex, so that a value stays binary-safe:
 *
 *	xm-xenstore 1
 *	store GEN NEXT_TXID
 *	node PATH GEN PERMS VALUE	(PERMS: "r0,n5": letter and domid)
 *	dom DOMID INTRODUCED TARGET	(TARGET: a domid, or -)
 *	watch DOMID PATH TOKEN STRIP
 *	partial DOMID BYTES		(a request it had begun to send)
 *	txn DOMID ID			(a transaction it had open)
 *	end
 *
 * Nodes come parent first, each kid in its parent's order; watches in
 * the order they fire.  The quota accounting (nodes and watches per
 * domain) is counted again at load rather than trusted.  Version 1
 * had no txn records; it is read too.  A text that
 * is not exactly this (another version, no "end", a node without its
 * parent, a bad permission) is refused whole.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_int.h"

#define SAVE_MAGIC	"xm-xenstore"
#define SAVE_VERSION	2

struct out {
	char	*buf;
	size_t	 len, cap;
	int	 err;
};

static void
put(struct out *o, const char *s, size_t n)
{
	char *b;
	size_t cap;

	if (o->err)
		return;
	if (o->len + n + 1 > o->cap) {
		cap = o->cap ? o->cap : 4096;
		while (o->len + n + 1 > cap)
			cap *= 2;
		if ((b = realloc(o->buf, cap)) == NULL) {
			o->err = ENOMEM;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
putf(struct out *o, const char *fmt, ...)
{
	char s[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s))
		o->err = EINVAL;
	else
		put(o, s, (size_t)n);
}

static void
put_hex(struct out *o, const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;
	char pair[2];
	size_t i;

	put(o, " x", 2);
	for (i = 0; i < n; i++) {
		pair[0] = digits[b[i] >> 4];
		pair[1] = digits[b[i] & 15];
		put(o, pair, 2);
	}
}

static void
save_node(struct out *o, const struct xs_node *n, char *path, size_t plen)
{
	size_t i, l;

	put(o, "node", 4);
	put_hex(o, plen == 0 ? "/" : path, plen == 0 ? 1 : plen);
	putf(o, " %" PRIu64 " ", n->gen);
	for (i = 0; i < n->nperms; i++)
		putf(o, "%s%c%" PRIu32, i ? "," : "", n->perms[i].perm,
		    n->perms[i].domid);
	put_hex(o, n->val, n->len);
	put(o, "\n", 1);
	for (i = 0; i < n->nkids && !o->err; i++) {
		l = strlen(n->kids[i]->name);
		if (plen + 1 + l >= XS_PATH_BUF) {
			o->err = ENAMETOOLONG;
			return;
		}
		path[plen] = '/';
		memcpy(path + plen + 1, n->kids[i]->name, l + 1);
		save_node(o, n->kids[i], path, plen + 1 + l);
		path[plen] = '\0';
	}
}

static void
save_watch(struct out *o, const struct xs_watch *w, uint32_t domid)
{
	putf(o, "watch %" PRIu32, domid);
	put_hex(o, w->path, strlen(w->path));
	put_hex(o, w->token, strlen(w->token));
	putf(o, " %zu\n", w->strip);
}

/* The domains in the order of their ids, so that a save is stable. */
static const struct xs_dom *
next_dom(const struct xs_store *st, const struct xs_dom *after)
{
	const struct xs_dom *d, *best = NULL;

	for (d = st->doms; d != NULL; d = d->next)
		if ((after == NULL || d->domid > after->domid) &&
		    (best == NULL || d->domid < best->domid))
			best = d;
	return best;
}

static void
save_dom(struct out *o, const struct xs_store *st, const struct xs_dom *d)
{
	const struct xs_conn *c;
	int has_target = d->has_target;
	uint32_t target = d->target;

	for (c = st->conns; c != NULL; c = c->next)
		if (c->who.domid == d->domid && c->who.has_target) {
			has_target = 1;
			target = c->who.target;
		}
	if (!d->introduced && !has_target)
		return;
	putf(o, "dom %" PRIu32 " %d ", d->domid, d->introduced);
	if (has_target)
		putf(o, "%" PRIu32 "\n", target);
	else
		put(o, "-\n", 2);
}

/* The ids of open transactions: of connections, and loaded ones. */
static void
save_txns(struct out *o, const struct xs_store *st)
{
	const struct xs_conn *c;
	const struct xs_txn *t;
	const struct xs_dom *d;
	size_t i;

	for (c = st->conns; c != NULL; c = c->next)
		for (t = c->txns; t != NULL; t = t->next)
			putf(o, "txn %" PRIu32 " %" PRIu32 "\n", c->who.domid,
			    t->id);
	for (d = st->doms; d != NULL; d = d->next)
		for (i = 0; i < d->nlost_txns; i++)
			putf(o, "txn %" PRIu32 " %" PRIu32 "\n", d->domid,
			    d->lost_txns[i]);
}

int
xs_save(struct xs_store *st, char **text, size_t *len)
{
	struct out o = { 0 };
	char path[XS_PATH_BUF] = "";
	const struct xs_watch *w;
	const struct xs_conn *c;
	const struct xs_dom *d;

	putf(&o, "%s %d\nstore %" PRIu64 " %" PRIu32 "\n", SAVE_MAGIC,
	    SAVE_VERSION, st->gen, st->next_txid);
	save_node(&o, st->root, path, 0);
	for (d = next_dom(st, NULL); d != NULL; d = next_dom(st, d))
		save_dom(&o, st, d);
	for (w = st->watches; w != NULL; w = w->next)
		if (w->conn != NULL)
			save_watch(&o, w, w->conn->who.domid);
	for (w = st->parked; w != NULL; w = w->next)
		save_watch(&o, w, w->domid);
	for (c = st->conns; c != NULL; c = c->next)
		if (c->have > 0 && !c->broken) {
			putf(&o, "partial %" PRIu32, c->who.domid);
			put_hex(&o, c->in, c->have);
			put(&o, "\n", 1);
		}
	for (d = st->doms; d != NULL; d = d->next)
		if (d->partial != NULL) {
			putf(&o, "partial %" PRIu32, d->domid);
			put_hex(&o, d->partial, d->npartial);
			put(&o, "\n", 1);
		}
	save_txns(&o, st);
	put(&o, "end\n", 4);
	if (o.err) {
		free(o.buf);
		return o.err;
	}
	*text = o.buf;
	*len = o.len;
	return 0;
}

/* Loading: the fields of one line, taken in order. */
struct in {
	char	*line;		/* what remains of it */
	char	*err;
	size_t	 errlen;
	unsigned lineno;
};

static int __attribute__((format(printf, 2, 3)))
bad(struct in *in, const char *fmt, ...)
{
	char s[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	snprintf(in->err, in->errlen, "line %u: %s", in->lineno, s);
	return EINVAL;
}

static char *
field(struct in *in)
{
	char *f = in->line, *sp;

	if (f == NULL || *f == '\0')
		return NULL;
	if ((sp = strchr(f, ' ')) != NULL) {
		*sp = '\0';
		in->line = sp + 1;
	} else
		in->line = NULL;
	return f;
}

static int
num(struct in *in, uint64_t max, uint64_t *v)
{
	char *f = field(in), *end;

	if (f == NULL || *f < '0' || *f > '9')
		return bad(in, "a number is missing");
	errno = 0;
	*v = strtoull(f, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return bad(in, "bad number '%s'", f);
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A hex string decoded in place, NUL-terminated; *n its bytes. */
static int
hex(struct in *in, char **s, size_t *n)
{
	char *f = field(in);
	size_t i, l;
	int hi, lo;

	if (f == NULL || f[0] != 'x' || (l = strlen(f + 1)) % 2 != 0)
		return bad(in, "a string is missing or malformed");
	for (i = 0; i < l / 2; i++) {
		hi = hexval(f[1 + 2 * i]);
		lo = hexval(f[2 + 2 * i]);
		if (hi < 0 || lo < 0)
			return bad(in, "bad hex");
		f[i] = (char)(hi << 4 | lo);
	}
	f[l / 2] = '\0';
	*s = f;
	*n = l / 2;
	return 0;
}

/* A string without NULs (a path or a token). */
static int
str(struct in *in, char **s)
{
	size_t n;
	int rc;

	if ((rc = hex(in, s, &n)) != 0)
		return rc;
	if (n == 0 || strlen(*s) != n)
		return bad(in, "an empty string or one with a NUL");
	return 0;
}

static int
end_of_line(struct in *in)
{
	return in->line == NULL ? 0 : bad(in, "trailing fields");
}

static int
perms(struct in *in, struct xs_perm **pp, size_t *np)
{
	char *f = field(in), *s, *end;
	struct xs_perm *p;
	size_t n = 1, i;
	unsigned long v;

	if (f == NULL)
		return bad(in, "permissions are missing");
	for (s = f; *s != '\0'; s++)
		n += *s == ',';
	if ((p = calloc(n, sizeof(*p))) == NULL)
		return ENOMEM;
	for (i = 0, s = f; i < n; i++) {
		if (*s == '\0' || strchr("nrwb", *s) == NULL)
			goto err;
		p[i].perm = *s++;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (end == s || errno != 0 || v > UINT32_MAX ||
		    (*end != ',' && *end != '\0'))
			goto err;
		p[i].domid = (uint32_t)v;
		s = *end == ',' ? end + 1 : end;
	}
	*pp = p;
	*np = n;
	return 0;
err:
	free(p);
	return bad(in, "bad permissions '%s'", f);
}

static int
load_node(struct xs_store *st, struct in *in)
{
	char *path, *val, canon[XS_PATH_BUF], pbuf[XS_PATH_BUF], *name;
	struct xs_node *n, *parent;
	struct xs_perm *p = NULL;
	size_t len, np = 0, strip;
	uint64_t gen, keep = st->gen;	/* xs_node_new counts one more */
	int rc;

	if ((rc = str(in, &path)) != 0 || (rc = num(in, UINT64_MAX, &gen)) ||
	    (rc = perms(in, &p, &np)) != 0)
		return rc;
	if ((rc = hex(in, &val, &len)) != 0 || (rc = end_of_line(in)) != 0)
		goto out;
	rc = bad(in, "node '%s': not a canonical path, or its parent comes "
	    "later", path);
	if (xs_path_canon(st, NULL, path, strlen(path), canon, &strip) != 0 ||
	    strcmp(canon, path) != 0)
		goto out;
	if (strcmp(path, "/") == 0) {
		n = st->root;
		if (n->nkids != 0)
			goto out;
	} else {
		parent = xs_node_find(st->root, xs_path_parent(path, pbuf));
		name = strrchr(path, '/') + 1;
		if (parent == NULL || xs_node_find(st->root, path) != NULL)
			goto out;
		if ((n = xs_node_new(st, name, p, np)) == NULL ||
		    xs_node_add_kid(parent, n) != 0) {
			xs_node_free(n);
			rc = ENOMEM;
			goto out;
		}
	}
	free(n->perms);
	free(n->val);
	n->perms = p;
	n->nperms = np;
	p = NULL;
	rc = ENOMEM;
	if ((n->val = malloc(len + 1)) == NULL)
		goto out;
	memcpy(n->val, val, len + 1);
	n->len = len;
	n->gen = gen;
	st->gen = keep;
	if (gen > st->gen)
		st->gen = gen;
	rc = 0;
out:
	free(p);
	return rc;
}

static int
load_dom(struct xs_store *st, struct in *in)
{
	uint64_t id, intro, target = 0;
	struct xs_dom *d;
	char *f;
	int rc;

	if ((rc = num(in, UINT32_MAX, &id)) != 0 ||
	    (rc = num(in, 1, &intro)) != 0)
		return rc;
	if ((f = in->line) != NULL && strcmp(f, "-") == 0)
		in->line = NULL;
	else if ((rc = num(in, UINT32_MAX, &target)) != 0)
		return rc;
	else
		f = NULL;
	if ((rc = end_of_line(in)) != 0)
		return rc;
	if ((d = xs_dom_get(st, (uint32_t)id, 1)) == NULL)
		return ENOMEM;
	d->introduced = (int)intro;
	d->has_target = f == NULL;
	d->target = (uint32_t)target;
	return 0;
}

static int
load_watch(struct xs_store *st, struct in *in)
{
	char *path, *token;
	struct xs_watch *w, **tail;
	uint64_t id, strip;
	int rc;

	if ((rc = num(in, UINT32_MAX, &id)) != 0 ||
	    (rc = str(in, &path)) != 0 || (rc = str(in, &token)) != 0 ||
	    (rc = num(in, XS_PATH_BUF, &strip)) != 0 ||
	    (rc = end_of_line(in)) != 0)
		return rc;
	if ((path[0] != '/' && path[0] != '@') || strip > strlen(path))
		return bad(in, "bad watch path '%s'", path);
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	w->domid = (uint32_t)id;
	w->strip = (size_t)strip;
	if (w->path == NULL || w->token == NULL) {
		xs_watch_free(w);
		return ENOMEM;
	}
	for (tail = &st->parked; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = w;
	return 0;
}

/* The start of a request, short of its end (xs_conn_input's rules). */
static int
load_partial(struct xs_store *st, struct in *in)
{
	struct xm_xs_hdr h;
	struct xs_dom *d;
	uint64_t id;
	size_t n;
	char *b;
	int rc;

	if ((rc = num(in, UINT32_MAX, &id)) != 0 ||
	    (rc = hex(in, &b, &n)) != 0 || (rc = end_of_line(in)) != 0)
		return rc;
	if (n >= sizeof(h))
		memcpy(&h, b, sizeof(h));
	if (n == 0 || (n >= sizeof(h) && (h.len > XM_XS_PAYLOAD_MAX ||
	    n >= sizeof(h) + h.len)))
		return bad(in, "not the start of a request");
	if ((d = xs_dom_get(st, (uint32_t)id, 1)) == NULL)
		return ENOMEM;
	if (d->partial != NULL)
		return bad(in, "a second one for domain %" PRIu64, id);
	if ((d->partial = malloc(n)) == NULL)
		return ENOMEM;
	memcpy(d->partial, b, n);
	d->npartial = n;
	return 0;
}

static int
load_txn(struct xs_store *st, struct in *in)
{
	uint64_t domid, id;
	struct xs_dom *d;
	uint32_t *ids;
	size_t i;
	int rc;

	if ((rc = num(in, UINT32_MAX, &domid)) != 0 ||
	    (rc = num(in, UINT32_MAX, &id)) != 0 ||
	    (rc = end_of_line(in)) != 0)
		return rc;
	if (id == 0)
		return bad(in, "transaction id 0");
	if ((d = xs_dom_get(st, (uint32_t)domid, 1)) == NULL)
		return ENOMEM;
	for (i = 0; i < d->nlost_txns; i++)
		if (d->lost_txns[i] == id)
			return bad(in, "transaction %" PRIu64 " twice", id);
	if (d->nlost_txns >= st->lim.txns_per_domain && domid != 0)
		return bad(in, "more transactions than a domain may have");
	ids = realloc(d->lost_txns, (d->nlost_txns + 1) * sizeof(*ids));
	if (ids == NULL)
		return ENOMEM;
	ids[d->nlost_txns++] = (uint32_t)id;
	d->lost_txns = ids;
	return 0;
}

static int
load_line(struct xs_store *st, struct in *in, int *state)
{
	char *kind = field(in);
	uint64_t v, gen, txid;
	int rc;

	if (kind == NULL)
		return bad(in, "an empty line");
	if (*state == 0) {	/* the header: magic and version */
		if (strcmp(kind, SAVE_MAGIC) != 0)
			return bad(in, "not a saved xenstore");
		if ((rc = num(in, UINT32_MAX, &v)) != 0)
			return rc;
		if (v != 1 && v != SAVE_VERSION)
			return bad(in, "version %" PRIu64 ", not 1 or %d", v,
			    SAVE_VERSION);
		*state = 1;
		return end_of_line(in);
	}
	if (strcmp(kind, "store") == 0 && *state == 1) {
		if ((rc = num(in, UINT64_MAX, &gen)) != 0 ||
		    (rc = num(in, UINT32_MAX, &txid)) != 0)
			return rc;
		st->gen = gen;
		st->next_txid = txid != 0 ? (uint32_t)txid : 1;
		*state = 2;
		return end_of_line(in);
	}
	if (*state < 2)
		return bad(in, "'store' must follow the header");
	if (strcmp(kind, "node") == 0)
		return load_node(st, in);
	if (strcmp(kind, "dom") == 0)
		return load_dom(st, in);
	if (strcmp(kind, "watch") == 0)
		return load_watch(st, in);
	if (strcmp(kind, "partial") == 0)
		return load_partial(st, in);
	if (strcmp(kind, "txn") == 0)
		return load_txn(st, in);
	if (strcmp(kind, "end") == 0) {
		*state = 3;
		return end_of_line(in);
	}
	return bad(in, "unknown record '%s'", kind);
}

struct xs_store *
xs_load(const struct xs_limits *lim, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct xs_store *st;
	struct in in = { .err = err, .errlen = errlen };
	struct xs_dom *d;
	char *copy, *line, *nl;
	int state = 0, rc = 0;

	snprintf(err, errlen, "out of memory");
	if (strnlen(text, len) != len) {
		snprintf(err, errlen, "a NUL byte inside");
		return NULL;
	}
	if ((st = xs_store_new(lim)) == NULL || (copy = strndup(text, len)) == NULL) {
		xs_store_free(st);
		return NULL;
	}
	/* An empty root: the file has it all, and its own accounting. */
	while (st->root->nkids > 0)
		xs_node_free(st->root->kids[--st->root->nkids]);
	for (d = st->doms; d != NULL; d = d->next)
		d->nodes = 0;
	for (line = copy; rc == 0 && state != 3 && *line != '\0';
	    line = nl + 1) {
		in.lineno++;
		if ((nl = strchr(line, '\n')) == NULL) {
			rc = bad(&in, "the last line is cut short");
			break;
		}
		*nl = '\0';
		in.line = line;
		rc = load_line(st, &in, &state);
	}
	if (rc == 0 && state != 3)
		rc = bad(&in, "the file ends before 'end'");
	else if (rc == 0 && *line != '\0')
		rc = bad(&in, "data after 'end'");
	free(copy);
	if (rc != 0) {
		if (rc == ENOMEM)
			snprintf(err, errlen, "out of memory");
		xs_store_free(st);
		return NULL;
	}
	xs_count_nodes(st);
	return st;
}
