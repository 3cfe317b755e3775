/*
 * The control protocol server (see ctl_server.h).  Each received chunk
 * is fed to the stream; each item out of it is answered at once: a
 * frame through the op table, a bad header with XM_CTL_OP_ERROR.  A
 * frame goes out whole or not at all: when the port stops taking data
 * for too long, whole frames are dropped, never a part of one.  (The
 * port pushes back when it is a virtserialport, as tools/xm-qemu makes
 * it: QEMU throttles it while the host reads slowly.  A virtconsole
 * instead drops whatever its host socket cannot take at once.)
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include <guest/time.h>

#include "ctl_ops.h"
#include "ctl_server.h"
#include "ctl_stream.h"
#include "dom0.h"
#include "log.h"
#include "ops.h"
#include "chan.h"

/* An unfinished frame this old is dropped: xmd went away mid-frame. */
#define PARTIAL_MAX_NS	(2 * NSEC_PER_SEC)

static struct ctl_stream	srv_stream;
static uint8_t			srv_reply_buf[XM_CTL_MAX_PAYLOAD]
    __attribute__((aligned(16)));
static uint64_t			srv_last_rx;
static unsigned int		srv_hellos;
static struct ratelimit		srv_rl_bad, srv_rl_drop, srv_rl_hello;

void
ctl_server_init(void)
{
	ctl_stream_init(&srv_stream);
}

int
dom0_connected(void)
{
	return srv_hellos > 0;
}

static int
frame_send(const struct xm_ctl_hdr *h, const void *s, size_t slen,
    const void *data, size_t dlen)
{
	const struct ctl_chan *c = dom0_chan;

	if (c == NULL)
		return -XM_ENOTCONN;
	if (c->reserve(sizeof(*h) + slen + dlen) < 0) {
		dlog_limited(&srv_rl_drop, "control port stalled: dropped "
		    "a frame (op %u seq %u)", h->op, h->seq);
		return -XM_EAGAIN;
	}
	c->write(h, sizeof(*h));
	c->write(s, slen);
	c->write(data, dlen);
	c->flush();
	return 0;
}

int
ctl_send_event(uint16_t op, const void *s, size_t slen, const void *data,
    size_t dlen)
{
	struct xm_ctl_hdr h;

	if (!dom0_connected())
		return -XM_ENOTCONN;
	ctl_hdr_fill(&h, op, 0, 0, (uint32_t)(slen + dlen), XM_CTL_F_EVENT);
	return frame_send(&h, s, slen, data, dlen);
}

static void
frame_answer(const struct ctl_item *it)
{
	struct ctl_reply r = { .buf = srv_reply_buf };

	ctl_dispatch(&it->hdr, it->payload, &r);
	if (r.hdr.op == XM_CTL_OP_ERROR)
		dlog_limited(&srv_rl_bad, "control: refused a frame (op %u "
		    "seq %u len %u): %d", it->hdr.op, it->hdr.seq,
		    it->hdr.len, r.hdr.status);
	(void)frame_send(&r.hdr, r.buf, r.len, NULL, 0);
}

static void
error_answer(const struct ctl_item *it)
{
	struct ctl_reply r = { .buf = srv_reply_buf };

	dlog_limited(&srv_rl_bad, "control: bad frame header (seq %u): %d, "
	    "skipping to the next frame", it->hdr.seq, it->status);
	ctl_reply_error(&r, it->hdr.seq, it->status);
	(void)frame_send(&r.hdr, NULL, 0, NULL, 0);
}

/* Answer every item the stream has; returns how many there were. */
static unsigned int
stream_drain(void)
{
	struct ctl_item it;
	unsigned int n = 0;

	for (;;) {
		ctl_stream_next(&srv_stream, &it);
		if (it.kind == CTL_ITEM_NONE)
			return n;
		if (it.kind == CTL_ITEM_FRAME)
			frame_answer(&it);
		else
			error_answer(&it);
		n++;
	}
}

void
ctl_server_input(void *arg, const uint8_t *p, size_t n)
{
	size_t k;

	(void)arg;
	srv_last_rx = monotonic_ns();
	while (n > 0) {
		k = ctl_stream_put(&srv_stream, p, n);
		p += k;
		n -= k;
		if (stream_drain() == 0 && k == 0) {
			/* Cannot happen: a full buffer holds an item. */
			dlog("control: stream stuck, resetting it");
			ctl_stream_reset(&srv_stream);
		}
	}
}

int
ctl_server_partial(void)
{
	return ctl_stream_pending(&srv_stream) > 0;
}

void
ctl_server_tick(uint64_t now)
{
	size_t n = ctl_stream_pending(&srv_stream);

	if (n == 0 || now < srv_last_rx + PARTIAL_MAX_NS)
		return;
	dlog("control: dropped %lu bytes of an unfinished frame", n);
	ctl_stream_reset(&srv_stream);
}

/* HELLO: agree on a version; xmd learns what the node is. */
int
ctl_op_hello(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_hello h;
	struct xm_ctl_hello_reply *rep = (void *)r->buf;
	int rc;

	(void)len;
	kmemcpy(&h, p, sizeof(h));
	kmemset(rep, 0, sizeof(*rep));
	rep->version = XM_CTL_VERSION;
	kstrlcpy(rep->dom0_version, "xm-dom0 " XM_VERSION,
	    sizeof(rep->dom0_version));
	r->len = sizeof(*rep);
	if (h.min_version > XM_CTL_VERSION || h.max_version < XM_CTL_VERSION) {
		dlog_limited(&srv_rl_hello, "control: xmd wants protocol "
		    "%u..%u, we speak %u", h.min_version, h.max_version,
		    XM_CTL_VERSION);
		return -XM_EOPNOTSUPP;
	}
	rc = ops_physinfo(&rep->physinfo);
	srv_hellos++;
	dlog_limited(&srv_rl_hello, "control: xmd connected (hello %u, "
	    "protocol %u)", srv_hellos, XM_CTL_VERSION);
	return rc;
}
