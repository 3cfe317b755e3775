/*
 * Byte-ring backends (see ringback.h).  The ring page is the domain's
 * and the domain is not trusted: indexes are read once into domain 0's
 * memory, checked, and only then used.  Out: read the indexes, then the
 * bytes between them, then write out_cons back; the bytes and the index
 * write go in one FOREIGN_COPY, whose segments hv copies in order, so
 * out_cons moves only after the bytes were read.  In mirrors it: bytes
 * first, then in_prod.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/event_channel.h>
#include <xm/hypercall.h>

#include <guest/events.h>
#include <guest/time.h>

#include "ctl_server.h"
#include "dom0.h"
#include "log.h"
#include "ops.h"
#include "ringback.h"

#define RB_MAX		512	/* 2 a domain (console, store), 255 domUs */
#define RINGBACK_SWEEP_NS (200 * NSEC_PER_MSEC)
#define RB_BUF		2048	/* the largest out ring */

/* The four indexes: 16 bytes from the lowest of their offsets. */
struct rb_idx {
	uint32_t	v[4];
};

struct rb {
	int			rb_used;
	const struct ring_kind	*rb_kind;
	xm_domid_t		rb_domid;
	xm_evtchn_port_t	rb_port;	/* ours */
	uint64_t		rb_mfn;
	volatile int		rb_pending;
};

static struct rb	rb_tab[RB_MAX];
static uint64_t		rb_next_sweep;
static uint8_t		rb_buf[RB_BUF];
static struct ratelimit	rb_rl;

static uint16_t
idx_base(const struct ring_kind *k)
{
	uint16_t b = k->rk_out_cons;

	if (k->rk_out_prod < b)
		b = k->rk_out_prod;
	if (k->rk_in_cons < b)
		b = k->rk_in_cons;
	if (k->rk_in_prod < b)
		b = k->rk_in_prod;
	return b;
}

static uint32_t *
idx_at(const struct ring_kind *k, struct rb_idx *idx, uint16_t off)
{
	return &idx->v[(off - idx_base(k)) / sizeof(uint32_t)];
}

static void
rb_event(xm_evtchn_port_t port, void *data)
{
	struct rb *r = data;

	(void)port;
	r->rb_pending = 1;
	dom0_kick();
}

static struct rb *
rb_find(const struct ring_kind *k, xm_domid_t domid)
{
	unsigned int i;

	for (i = 0; i < RB_MAX; i++)
		if (rb_tab[i].rb_used && rb_tab[i].rb_kind == k &&
		    rb_tab[i].rb_domid == domid)
			return &rb_tab[i];
	return NULL;
}

static void
rb_close(struct rb *r)
{
	(void)evtchn_close(r->rb_port);
	r->rb_used = 0;
}

void
ringback_detach(xm_domid_t domid)
{
	unsigned int i;

	for (i = 0; i < RB_MAX; i++)
		if (rb_tab[i].rb_used && rb_tab[i].rb_domid == domid) {
			rb_close(&rb_tab[i]);
			dlog("%s of d%u detached", rb_tab[i].rb_kind->rk_name,
			    domid);
		}
}

static void
seg(struct xm_domctl_copy_op *op, const struct rb *r, size_t off,
    size_t len, uint8_t dir, void *buf)
{
	op->mfn = r->rb_mfn;
	op->offset = (uint16_t)off;
	op->len = (uint16_t)len;
	op->dir = dir;
	op->pad[0] = op->pad[1] = op->pad[2] = 0;
	op->buf = (xm_guest_handle_t)buf;
}

static int
rb_read_idx(const struct rb *r, struct rb_idx *idx)
{
	struct xm_domctl_copy_op op;

	seg(&op, r, idx_base(r->rb_kind), sizeof(*idx), XM_COPY_FROM_DOMAIN,
	    idx);
	return ops_foreign_copy(r->rb_domid, &op, 1);
}

/*
 * Segments for n bytes of a ring of size at ring_off, from index at
 * on; buf holds them in order.  Returns how many segments (1 or 2).
 */
static unsigned int
ring_segs(struct xm_domctl_copy_op *ops, const struct rb *r,
    size_t ring_off, size_t size, uint32_t at, uint32_t n, uint8_t dir,
    uint8_t *buf)
{
	uint32_t start = at & (size - 1), first = n;

	if (first > size - start)
		first = (uint32_t)(size - start);
	seg(&ops[0], r, ring_off + start, first, dir, buf);
	if (first == n)
		return 1;
	seg(&ops[1], r, ring_off, n - first, dir, buf + first);
	return 2;
}

/* Take what the domain wrote; 0 or -XM_E* (the domain may be gone). */
static int
rb_output(struct rb *r)
{
	const struct ring_kind *k = r->rb_kind;
	struct xm_domctl_copy_op ops[3];
	struct xm_ctl_console_data d = { .domid = r->rb_domid };
	struct rb_idx idx;
	uint32_t n, *prod;
	unsigned int nseg = 0;
	int rc;

	if ((rc = rb_read_idx(r, &idx)) < 0)
		return rc;
	prod = idx_at(k, &idx, k->rk_out_prod);
	n = *prod - *idx_at(k, &idx, k->rk_out_cons);
	if (n == 0)
		return 0;
	if (n > k->rk_out_size) {
		dlog_limited(&rb_rl, "d%u: %s ring indexes out of range "
		    "(%u), output dropped", r->rb_domid, k->rk_name, n);
		n = 0;
	} else
		nseg = ring_segs(ops, r, k->rk_out_off, k->rk_out_size,
		    *idx_at(k, &idx, k->rk_out_cons), n, XM_COPY_FROM_DOMAIN,
		    rb_buf);
	seg(&ops[nseg], r, k->rk_out_cons, sizeof(*prod), XM_COPY_TO_DOMAIN,
	    prod);
	if ((rc = ops_foreign_copy(r->rb_domid, ops, nseg + 1)) < 0)
		return rc;
	(void)evtchn_notify(r->rb_port);
	d.len = n;
	if (n > 0)
		(void)ctl_send_event(k->rk_event, &d, sizeof(d), rb_buf, n);
	return 0;
}

static void
rb_serve(struct rb *r)
{
	int rc;

	r->rb_pending = 0;
	rc = rb_output(r);
	if (rc == -XM_ESRCH) {
		dlog("%s of d%u: the domain is gone", r->rb_kind->rk_name,
		    r->rb_domid);
		rb_close(r);
	} else if (rc < 0)
		dlog_limited(&rb_rl, "%s of d%u: cannot read the ring (%d)",
		    r->rb_kind->rk_name, r->rb_domid, rc);
}

/*
 * A domain that wrote and shut down at once may be destroyed before its
 * event is served: take what is left now.
 */
void
ringback_flush(xm_domid_t domid)
{
	unsigned int i;

	for (i = 0; i < RB_MAX; i++)
		if (rb_tab[i].rb_used && rb_tab[i].rb_domid == domid)
			rb_serve(&rb_tab[i]);
}

void
ringback_poll(uint64_t now)
{
	int sweep = now >= rb_next_sweep;
	unsigned int i;

	for (i = 0; i < RB_MAX; i++)
		if (rb_tab[i].rb_used && (sweep || rb_tab[i].rb_pending))
			rb_serve(&rb_tab[i]);
	if (sweep)
		rb_next_sweep = now + RINGBACK_SWEEP_NS;
}

uint64_t
ringback_deadline(void)
{
	unsigned int i;

	for (i = 0; i < RB_MAX; i++)
		if (rb_tab[i].rb_used)
			return rb_next_sweep;
	return 0;
}

int
ringback_attached(const struct ring_kind *k, xm_domid_t domid,
    uint64_t mfn)
{
	struct rb *r = rb_find(k, domid);

	if (r == NULL)
		return 0;
	if (r->rb_mfn != mfn) {
		rb_close(r);
		return 0;
	}
	r->rb_pending = 1;
	dom0_kick();
	return 1;
}

int
ringback_attach(const struct ring_kind *k, xm_domid_t domid, uint64_t mfn,
    xm_evtchn_port_t port)
{
	struct rb *r = rb_find(k, domid);
	unsigned int i;

	if (r != NULL)
		rb_close(r);
	for (i = 0, r = NULL; i < RB_MAX && r == NULL; i++)
		if (!rb_tab[i].rb_used)
			r = &rb_tab[i];
	if (r == NULL)
		return -XM_ENOSPC;
	r->rb_used = 1;
	r->rb_kind = k;
	r->rb_domid = domid;
	r->rb_mfn = mfn;
	r->rb_port = port;
	r->rb_pending = 1;
	(void)evtchn_bind(port, rb_event, r);
	dlog("%s of d%u attached (mfn %#lx, port %u)", k->rk_name, domid,
	    mfn, port);
	dom0_kick();
	return 0;
}

int
ringback_bind(const struct ring_kind *k, xm_domid_t domid, uint64_t mfn,
    xm_evtchn_port_t remote)
{
	int port, rc;

	if ((port = evtchn_bind_interdomain(domid, remote)) < 0)
		return port;
	if ((rc = ringback_attach(k, domid, mfn, (xm_evtchn_port_t)port)) < 0)
		(void)evtchn_close((xm_evtchn_port_t)port);
	return rc;
}

int
ringback_ctl_input(const struct ring_kind *k, const uint8_t *p)
{
	struct xm_ctl_console_data d;

	kmemcpy(&d, p, sizeof(d));
	return ringback_input(k, d.domid, p + sizeof(d), d.len);
}

int
ringback_input(const struct ring_kind *k, xm_domid_t domid,
    const uint8_t *bytes, uint32_t len)
{
	struct xm_domctl_copy_op ops[3];
	struct rb_idx idx;
	struct rb *r;
	unsigned int nseg;
	uint32_t used, *prod;
	int rc;

	if ((r = rb_find(k, domid)) == NULL)
		return -XM_ENOENT;
	if (len > k->rk_in_size)
		return -XM_EMSGSIZE;
	if (len == 0)
		return 0;
	if ((rc = rb_read_idx(r, &idx)) < 0)
		return rc;
	prod = idx_at(k, &idx, k->rk_in_prod);
	used = *prod - *idx_at(k, &idx, k->rk_in_cons);
	if (used > k->rk_in_size)
		return -XM_EIO;
	if (len > k->rk_in_size - used)
		return -XM_EAGAIN;
	nseg = ring_segs(ops, r, k->rk_in_off, k->rk_in_size, *prod, len,
	    XM_COPY_TO_DOMAIN, (uint8_t *)bytes);
	*prod += len;
	seg(&ops[nseg], r, k->rk_in_prod, sizeof(*prod), XM_COPY_TO_DOMAIN,
	    prod);
	if ((rc = ops_foreign_copy(r->rb_domid, ops, nseg + 1)) < 0)
		return rc;
	return evtchn_notify(r->rb_port);
}
