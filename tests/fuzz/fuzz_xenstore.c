/*
 * libFuzzer target: xmd's xenstore (xmd/xs_*.c) as hostile domains
 * drive it.  Domains 0, 1 and 2 are connected, 1 and 2 with their homes
 * made as a toolstack makes them.  The input is a list of chunks: a
 * byte that says whose (its value mod 3) or, from 0xf0 up, an action of
 * the toolstack (introduce, release, remove a home, reconnect), then a
 * length byte and that many bytes of the domain's request stream.
 * Checked after every chunk:
 *  - everything sent is a well framed message: an answer of a request
 *    type, an XS_ERROR with an errno name and its NUL, or a watch event
 *    of two strings;
 *  - the per-domain counts (nodes owned, watches, transactions and the
 *    bytes they hold) are those of the tree and the lists, recounted;
 *  - a key of domain 0's, closed to others, is never sent to domains 1
 *    and 2 (unless one of them wrote its value itself), and never
 *    changes, unless domain 0 itself had a say;
 *  - nothing leaks (LeakSanitizer) once the store is freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "xs_int.h"

#define SECRET_PATH	"/tool/secret"
#define SECRET		"s3cr3t-v4lu3"

static struct xs_store	*st;
static struct xs_conn	*conn[3];
static int		 dead[3];	/* broken stream: dropped */
static int		 dom0_spoke;	/* then the secret may change */
static int		 secret_known;	/* a domain wrote it itself */
static uint8_t		*stream[3];	/* what each domain sent */
static size_t		 streamlen[3];

static int
contains(const void *hay, size_t n, const char *needle)
{
	size_t l = strlen(needle), i;

	for (i = 0; i + l <= n; i++)
		if (memcmp((const char *)hay + i, needle, l) == 0)
			return 1;
	return 0;
}

static int
known_error(const char *p, size_t len)
{
#define XM_XS_ERR(e)	if (len == sizeof(#e) && memcmp(p, #e, len) == 0) \
				return 1;
	XM_XS_ERRORS
#undef XM_XS_ERR
	return 0;
}

static void
on_send(void *ctx, const void *msg, size_t len)
{
	uintptr_t d = (uintptr_t)ctx;
	struct xm_xs_hdr h;
	const char *pl = (const char *)msg + sizeof(h);
	const char *nul;

	FUZZ_CHECK(len >= sizeof(h));
	memcpy(&h, msg, sizeof(h));
	FUZZ_CHECK(h.len <= XM_XS_PAYLOAD_MAX && len == sizeof(h) + h.len);
	FUZZ_CHECK(h.type < XM_XS_TYPE_COUNT);
	if (h.type == XM_XS_ERROR)
		FUZZ_CHECK(known_error(pl, h.len));
	if (h.type == XM_XS_WATCH_EVENT) {
		FUZZ_CHECK(h.req_id == 0 && h.len > 0 && pl[h.len - 1] == '\0');
		nul = memchr(pl, '\0', h.len);
		FUZZ_CHECK(nul != NULL && nul + 1 < pl + h.len);
		FUZZ_CHECK(memchr(nul + 1, '\0', (size_t)(pl + h.len - nul - 1))
		    == pl + h.len - 1);
	}
	if (d != 0 && !dom0_spoke && !secret_known)
		FUZZ_CHECK(!contains(pl, h.len, SECRET));
}

static unsigned
owned(const struct xs_node *n, uint32_t domid)
{
	unsigned c = n->perms[0].domid == domid;
	size_t i;

	for (i = 0; i < n->nkids; i++)
		c += owned(n->kids[i], domid);
	return c;
}

static void
check_counts(void)
{
	const struct xs_dom *d;
	const struct xs_watch *w;
	const struct xs_conn *c;
	const struct xs_txn *t;
	unsigned nw, nt;
	size_t nb;

	for (d = st->doms; d != NULL; d = d->next) {
		/* The root is nobody's; it is domain 0's in the tree. */
		FUZZ_CHECK(d->nodes + (d->domid == 0) ==
		    owned(st->root, d->domid));
		nw = nt = 0;
		nb = 0;
		for (w = st->watches; w != NULL; w = w->next)
			nw += w->conn != NULL && w->conn->who.domid == d->domid;
		for (c = st->conns; c != NULL; c = c->next)
			for (t = c->txns; t != NULL; t = t->next)
				if (c->who.domid == d->domid) {
					nt++;
					nb += t->bytes;
				}
		FUZZ_CHECK(d->watches == nw);
		FUZZ_CHECK(d->txns == nt);
		FUZZ_CHECK(d->txn_bytes == nb);
	}
}

static void
home(uint32_t domid)
{
	char p[64];
	struct xs_perm ro[2] = { { 0, XS_PERM_NONE }, { domid, XS_PERM_READ } };
	struct xs_perm own = { domid, XS_PERM_NONE };

	snprintf(p, sizeof(p), "/local/domain/%u", domid);
	FUZZ_CHECK(xs_mkdir(st, p) == 0);
	FUZZ_CHECK(xs_set_perms(st, p, ro, 2) == 0);
	snprintf(p, sizeof(p), "/local/domain/%u/data", domid);
	FUZZ_CHECK(xs_mkdir(st, p) == 0);
	FUZZ_CHECK(xs_set_perms(st, p, &own, 1) == 0);
	FUZZ_CHECK(xs_introduce(st, domid) == 0);
}

static void
reconnect(int d)
{
	xs_conn_free(conn[d]);
	conn[d] = xs_conn_new(st, (uint32_t)d, on_send, (void *)(uintptr_t)d);
	FUZZ_CHECK(conn[d] != NULL);
	dead[d] = 0;
}

static void
action(uint8_t a)
{
	switch (a & 7) {
	case 0:
		xs_introduce(st, 1 + (a >> 3) % 2);
		break;
	case 1:
		xs_release(st, 1 + (a >> 3) % 2);
		break;
	case 2:
		xs_rm(st, "/local/domain/1");
		break;
	default:
		reconnect((a >> 3) % 3);
		break;
	}
}

static void
setup(void)
{
	const struct xs_perm closed = { 0, XS_PERM_NONE };
	int d;

	st = xs_store_new(&(struct xs_limits){ .nodes_per_domain = 64,
	    .watches_per_domain = 8, .txns_per_domain = 3 });
	FUZZ_CHECK(st != NULL);
	for (d = 0; d < 3; d++)
		reconnect(d);
	home(1);
	home(2);
	FUZZ_CHECK(xs_write(st, SECRET_PATH, SECRET, strlen(SECRET)) == 0);
	FUZZ_CHECK(xs_set_perms(st, SECRET_PATH, &closed, 1) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0, n;
	char *v = NULL;
	size_t vl;
	int d;

	dom0_spoke = secret_known = 0;
	for (d = 0; d < 3; d++) {
		stream[d] = malloc(size + 1);
		streamlen[d] = 0;
		FUZZ_CHECK(stream[d] != NULL);
	}
	setup();
	while (i + 2 <= size) {
		if (data[i] >= 0xf0) {
			action(data[i + 1]);
			i += 2;
			check_counts();
			continue;
		}
		d = data[i] % 3;
		dom0_spoke |= d == 0;
		n = data[i + 1];
		i += 2;
		if (n > size - i)
			n = size - i;
		memcpy(stream[d] + streamlen[d], data + i, n);
		streamlen[d] += n;
		secret_known |= contains(stream[d], streamlen[d], SECRET);
		if (!dead[d] && xs_conn_input(conn[d], data + i, n) != 0)
			dead[d] = 1;
		i += n;
		check_counts();
	}
	if (!dom0_spoke) {
		FUZZ_CHECK(xs_read(st, SECRET_PATH, &v, &vl) == 0);
		FUZZ_CHECK(vl == strlen(SECRET) &&
		    memcmp(v, SECRET, vl) == 0);
		free(v);
	}
	xs_store_free(st);
	memset(conn, 0, sizeof(conn));
	for (d = 0; d < 3; d++)
		free(stream[d]);
	return 0;
}
