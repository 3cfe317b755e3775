/*
 * The console backend (see conback.h).  The ring page is the
 * domain's and the domain is not trusted: indices are read once into
 * dom0's memory, checked, and only then used.  Output: read the
 * indices, then the bytes between them, then write out_cons back; the
 * bytes and the index write go in one FOREIGN_COPY, whose segments hv
 * copies in order, so out_cons moves only after the bytes were read.
 * Input mirrors it: bytes first, then in_prod.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/event_channel.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/events.h>
#include <guest/time.h>

#include "conback.h"
#include "ctl_ops.h"
#include "ctl_server.h"
#include "dom0.h"
#include "hc.h"
#include "log.h"
#include "ops.h"

#define CON_MAX		64
#define CONBACK_SWEEP_NS (200 * NSEC_PER_MSEC)
#define OUT_SIZE	sizeof(((struct xm_console_interface *)0)->out)
#define IN_SIZE		sizeof(((struct xm_console_interface *)0)->in)
#define IDX_OFF		offsetof(struct xm_console_interface, in_cons)

/* The four indices, as they lie in the ring page. */
struct con_idx {
	xm_console_ring_idx_t	in_cons;
	xm_console_ring_idx_t	in_prod;
	xm_console_ring_idx_t	out_cons;
	xm_console_ring_idx_t	out_prod;
};
_Static_assert(sizeof(struct con_idx) == 16, "con_idx");
_Static_assert(offsetof(struct xm_console_interface, out_prod) ==
    IDX_OFF + offsetof(struct con_idx, out_prod), "console indices");

struct con {
	int			c_used;
	xm_domid_t		c_domid;
	xm_evtchn_port_t	c_port;		/* ours */
	uint64_t		c_mfn;
	volatile int		c_pending;
};

static struct con	con_tab[CON_MAX];
static uint64_t		con_next_sweep;
static uint8_t		con_buf[OUT_SIZE];
static struct ratelimit	con_rl;

static void
con_event(xm_evtchn_port_t port, void *data)
{
	struct con *c = data;

	(void)port;
	c->c_pending = 1;
	dom0_kick();
}

static struct con *
con_find(xm_domid_t domid)
{
	unsigned int i;

	for (i = 0; i < CON_MAX; i++)
		if (con_tab[i].c_used && con_tab[i].c_domid == domid)
			return &con_tab[i];
	return NULL;
}

static void
con_close(struct con *c)
{
	(void)evtchn_close(c->c_port);
	c->c_used = 0;
}

void
conback_detach(xm_domid_t domid)
{
	struct con *c = con_find(domid);

	if (c != NULL) {
		con_close(c);
		dlog("console of d%u detached", domid);
	}
}

static void
seg(struct xm_domctl_copy_op *op, const struct con *c, size_t off,
    size_t len, uint8_t dir, void *buf)
{
	op->mfn = c->c_mfn;
	op->offset = (uint16_t)off;
	op->len = (uint16_t)len;
	op->dir = dir;
	op->pad[0] = op->pad[1] = op->pad[2] = 0;
	op->buf = (xm_guest_handle_t)buf;
}

static int
con_read_idx(const struct con *c, struct con_idx *idx)
{
	struct xm_domctl_copy_op op;

	seg(&op, c, IDX_OFF, sizeof(*idx), XM_COPY_FROM_DOMAIN, idx);
	return ops_foreign_copy(c->c_domid, &op, 1);
}

/*
 * Segments for n bytes of a ring of size at ring_off, from index at
 * on; buf holds them in order.  Returns how many segments (1 or 2).
 */
static unsigned int
ring_segs(struct xm_domctl_copy_op *ops, const struct con *c,
    size_t ring_off, size_t size, uint32_t at, uint32_t n, uint8_t dir,
    uint8_t *buf)
{
	uint32_t start = at & (size - 1), first = n;

	if (first > size - start)
		first = (uint32_t)(size - start);
	seg(&ops[0], c, ring_off + start, first, dir, buf);
	if (first == n)
		return 1;
	seg(&ops[1], c, ring_off, n - first, dir, buf + first);
	return 2;
}

/* Take what the domain wrote; 0 or -XM_E* (the domain may be gone). */
static int
con_output(struct con *c)
{
	struct xm_domctl_copy_op ops[3];
	struct xm_ctl_console_data d = { .domid = c->c_domid };
	struct con_idx idx;
	uint32_t n;
	unsigned int k = 0;
	int rc;

	if ((rc = con_read_idx(c, &idx)) < 0)
		return rc;
	n = idx.out_prod - idx.out_cons;
	if (n == 0)
		return 0;
	if (n > OUT_SIZE) {
		dlog_limited(&con_rl, "d%u: console ring indices out of "
		    "range (%u), output dropped", c->c_domid, n);
		n = 0;
	} else
		k = ring_segs(ops, c, offsetof(struct xm_console_interface,
		    out), OUT_SIZE, idx.out_cons, n, XM_COPY_FROM_DOMAIN,
		    con_buf);
	seg(&ops[k], c, IDX_OFF + offsetof(struct con_idx, out_cons),
	    sizeof(idx.out_cons), XM_COPY_TO_DOMAIN, &idx.out_prod);
	if ((rc = ops_foreign_copy(c->c_domid, ops, k + 1)) < 0)
		return rc;
	(void)evtchn_notify(c->c_port);
	d.len = n;
	if (n > 0)
		(void)ctl_send_event(XM_CTL_OP_CONSOLE_OUTPUT, &d, sizeof(d),
		    con_buf, n);
	return 0;
}

static void
con_serve(struct con *c)
{
	int rc;

	c->c_pending = 0;
	rc = con_output(c);
	if (rc == -XM_ESRCH) {
		dlog("console of d%u: the domain is gone", c->c_domid);
		con_close(c);
	} else if (rc < 0)
		dlog_limited(&con_rl, "console of d%u: cannot read the "
		    "ring (%d)", c->c_domid, rc);
}

/*
 * Take what is left in domid's ring now: a domain that wrote and shut
 * down at once may be destroyed before its event is served.
 */
void
conback_flush(xm_domid_t domid)
{
	struct con *c = con_find(domid);

	if (c != NULL)
		con_serve(c);
}

void
conback_poll(uint64_t now)
{
	int sweep = now >= con_next_sweep;
	unsigned int i;

	for (i = 0; i < CON_MAX; i++)
		if (con_tab[i].c_used && (sweep || con_tab[i].c_pending))
			con_serve(&con_tab[i]);
	if (sweep)
		con_next_sweep = now + CONBACK_SWEEP_NS;
}

uint64_t
conback_deadline(void)
{
	unsigned int i;

	for (i = 0; i < CON_MAX; i++)
		if (con_tab[i].c_used)
			return con_next_sweep;
	return 0;
}

static struct con *
con_slot(void)
{
	unsigned int i;

	for (i = 0; i < CON_MAX; i++)
		if (!con_tab[i].c_used)
			return &con_tab[i];
	return NULL;
}

/* Bind the domain's console port and start serving its ring. */
static int
con_attach(xm_domid_t domid, uint64_t mfn, xm_evtchn_port_t remote)
{
	struct con *c;
	int port;

	if ((c = con_slot()) == NULL)
		return -XM_ENOSPC;
	port = evtchn_bind_interdomain(domid, remote);
	if (port < 0)
		return port;
	c->c_used = 1;
	c->c_domid = domid;
	c->c_mfn = mfn;
	c->c_port = (xm_evtchn_port_t)port;
	c->c_pending = 1;
	(void)evtchn_bind(c->c_port, con_event, c);
	dlog("console of d%u attached (mfn %#lx, port %d)", domid, mfn, port);
	dom0_kick();
	return 0;
}

/*
 * Have hv record the console page (mfn 0: the one it knows already)
 * and make the domain's port; bind to it, unless bound to that page
 * already.  The reply names the domain's port for its start_info.
 */
int
ctl_op_console_attach(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_console_attach req;
	struct xm_ctl_console_port rep = { 0 };
	struct xm_domctl d;
	struct con *c;
	int rc;

	(void)len;
	kmemcpy(&req, p, sizeof(req));
	if ((rc = ops_domid_change(req.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_CONSOLE_RING, req.domid);
	d.u.console.mfn = req.mfn;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	c = con_find(req.domid);
	if (c != NULL && c->c_mfn != d.u.console.mfn) {
		con_close(c);
		c = NULL;
	}
	if (c != NULL) {
		c->c_pending = 1;
		dom0_kick();
	} else if ((rc = con_attach(req.domid, d.u.console.mfn,
	    d.u.console.port)) < 0)
		return rc;
	rep.port = d.u.console.port;
	kmemcpy(r->buf, &rep, sizeof(rep));
	r->len = sizeof(rep);
	return 0;
}

/* All of the bytes go into the ring, or none (-XM_EAGAIN: full). */
int
ctl_op_console_input(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_domctl_copy_op ops[3];
	struct xm_ctl_console_data d;
	struct con_idx idx;
	struct con *c;
	unsigned int k;
	uint32_t used;
	int rc;

	(void)len;
	(void)r;
	kmemcpy(&d, p, sizeof(d));
	if ((c = con_find(d.domid)) == NULL)
		return -XM_ENOENT;
	if (d.len > IN_SIZE)
		return -XM_EMSGSIZE;
	if (d.len == 0)
		return 0;
	if ((rc = con_read_idx(c, &idx)) < 0)
		return rc;
	used = idx.in_prod - idx.in_cons;
	if (used > IN_SIZE)
		return -XM_EIO;
	if (d.len > IN_SIZE - used)
		return -XM_EAGAIN;
	k = ring_segs(ops, c, offsetof(struct xm_console_interface, in),
	    IN_SIZE, idx.in_prod, d.len, XM_COPY_TO_DOMAIN,
	    (uint8_t *)p + sizeof(d));
	idx.in_prod += d.len;
	seg(&ops[k], c, IDX_OFF + offsetof(struct con_idx, in_prod),
	    sizeof(idx.in_prod), XM_COPY_TO_DOMAIN, &idx.in_prod);
	if ((rc = ops_foreign_copy(c->c_domid, ops, k + 1)) < 0)
		return rc;
	return evtchn_notify(c->c_port);
}
