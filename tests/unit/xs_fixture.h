/*
 * What the xenstore tests share: a store with domain 0 and two guest
 * domains connected, each connection's outgoing bytes captured, and
 * helpers to send a request and take the answers apart.
 */
#ifndef XS_FIXTURE_H
#define XS_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/xs_wire.h>

#include "xenstore.h"

struct cap {
	unsigned char	buf[1 << 16];
	size_t		len;
};

struct msg {
	struct xm_xs_hdr h;
	char		 pl[XM_XS_PAYLOAD_MAX + 1];	/* NUL added */
};

struct fx {
	struct xs_store	*st;
	struct xs_conn	*c[3];		/* domains 0, 1, 2 */
	struct cap	 cap[3];
};

static void __attribute__((unused))
cap_send(void *ctx, const void *m, size_t len)
{
	struct cap *c = ctx;

	assert_true(c->len + len <= sizeof(c->buf));
	memcpy(c->buf + c->len, m, len);
	c->len += len;
}

/* Takes the first message the store sent on a connection. */
static int __attribute__((unused))
cap_pop(struct cap *c, struct msg *m)
{
	size_t n;

	if (c->len < sizeof(m->h))
		return 0;
	memcpy(&m->h, c->buf, sizeof(m->h));
	n = sizeof(m->h) + m->h.len;
	assert_true(m->h.len <= XM_XS_PAYLOAD_MAX);
	assert_true(c->len >= n);
	memcpy(m->pl, c->buf + sizeof(m->h), m->h.len);
	m->pl[m->h.len] = '\0';
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	return 1;
}

static size_t __attribute__((unused))
frame(unsigned char *out, uint32_t type, uint32_t rid, uint32_t tx,
    const void *pl, size_t len)
{
	struct xm_xs_hdr h = { type, rid, tx, (uint32_t)len };

	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), pl, len);
	return sizeof(h) + len;
}

/* Sends a request of len bytes of payload ("a\0b" style literals). */
static void __attribute__((unused))
req(struct fx *f, int d, uint32_t type, uint32_t tx, const void *pl,
    size_t len)
{
	unsigned char buf[sizeof(struct xm_xs_hdr) + XM_XS_PAYLOAD_MAX];

	assert_int_equal(xs_conn_input(f->c[d], buf,
	    frame(buf, type, 77, tx, pl, len)), 0);
}

/* A literal's bytes with its final NUL: S("a\0b") is 4 bytes. */
#define S(lit)	lit, sizeof(lit)
/* Without it, for a value after its path: W("p\0val") is 5 bytes. */
#define W(lit)	lit, sizeof(lit) - 1

/* The one answer to the last request: its type, payload in m. */
static void __attribute__((unused))
answer(struct fx *f, int d, struct msg *m)
{
	assert_true(cap_pop(&f->cap[d], m));
	assert_int_equal(m->h.req_id, 77);
}

static void __attribute__((unused))
expect_err(struct fx *f, int d, const char *err)
{
	struct msg m;

	answer(f, d, &m);
	assert_int_equal(m.h.type, XM_XS_ERROR);
	assert_string_equal(m.pl, err);
	assert_int_equal(m.h.len, strlen(err) + 1);
}

static void __attribute__((unused))
expect_ok(struct fx *f, int d, uint32_t type)
{
	struct msg m;

	answer(f, d, &m);
	if (m.h.type == XM_XS_ERROR)
		fail_msg("type %u answered %s", type, m.pl);
	assert_int_equal(m.h.type, type);
	assert_int_equal(m.h.len, 3);
	assert_memory_equal(m.pl, "OK", 3);
}

/* The answer's payload must be exactly want (len bytes). */
static void __attribute__((unused))
expect_data(struct fx *f, int d, uint32_t type, const void *want,
    size_t len)
{
	struct msg m;

	answer(f, d, &m);
	if (m.h.type == XM_XS_ERROR)
		fail_msg("type %u answered %s", type, m.pl);
	assert_int_equal(m.h.type, type);
	assert_int_equal(m.h.len, len);
	assert_memory_equal(m.pl, want, len);
}

static void __attribute__((unused))
expect_event(struct fx *f, int d, const char *path, const char *token)
{
	struct msg m;

	assert_true(cap_pop(&f->cap[d], &m));
	assert_int_equal(m.h.type, XM_XS_WATCH_EVENT);
	assert_int_equal(m.h.req_id, 0);
	assert_string_equal(m.pl, path);
	assert_string_equal(m.pl + strlen(path) + 1, token);
	assert_int_equal(m.h.len, strlen(path) + strlen(token) + 2);
}

static void __attribute__((unused))
expect_nothing(struct fx *f, int d)
{
	struct msg m;

	if (cap_pop(&f->cap[d], &m))
		fail_msg("unexpected message type %u \"%s\"", m.h.type, m.pl);
}

/*
 * Domains 1 and 2 introduced, their homes made as a toolstack makes
 * them: owned by dom0, readable by the domain; in them, "data" owned by
 * the domain, as the toolstack hands out device and data dirs.
 */
static void __attribute__((unused))
home(struct xs_store *st, uint32_t domid)
{
	char p[64];
	struct xs_perm own[1] = { { domid, XS_PERM_NONE } };
	struct xs_perm ro[2] = { { 0, XS_PERM_NONE }, { domid, XS_PERM_READ } };

	snprintf(p, sizeof(p), "/local/domain/%u", domid);
	assert_int_equal(xs_mkdir(st, p), 0);
	assert_int_equal(xs_set_perms(st, p, ro, 2), 0);
	snprintf(p, sizeof(p), "/local/domain/%u/data", domid);
	assert_int_equal(xs_mkdir(st, p), 0);
	assert_int_equal(xs_set_perms(st, p, own, 1), 0);
}

static int __attribute__((unused))
fx_setup_lim(void **state, const struct xs_limits *lim)
{
	struct fx *f = calloc(1, sizeof(*f));
	int d;

	assert_non_null(f);
	assert_non_null(f->st = xs_store_new(lim));
	for (d = 0; d < 3; d++)
		assert_non_null(f->c[d] = xs_conn_new(f->st, (uint32_t)d,
		    cap_send, &f->cap[d]));
	home(f->st, 1);
	home(f->st, 2);
	assert_int_equal(xs_introduce(f->st, 1), 0);
	assert_int_equal(xs_introduce(f->st, 2), 0);
	*state = f;
	return 0;
}

static int __attribute__((unused))
fx_setup(void **state)
{
	return fx_setup_lim(state, NULL);
}

static int __attribute__((unused))
fx_teardown(void **state)
{
	struct fx *f = *state;

	xs_store_free(f->st);
	free(f);
	return 0;
}

#endif /* XS_FIXTURE_H */
