/*
 * The handler table, made from XM_CTL_OPS, and the dispatcher (see
 * ctl_ops.h).  Payload sizes are checked from the same rows, by
 * klib/ctlop.c, which xmd shares.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/ctlop.h>
#include <klib/string.h>

#include <xm/ctl.h>

#include "ctl_ops.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define HANDLER_REQUEST(op, name)	[op] = ctl_op_##name,
#define HANDLER_EVENT(op, name)
#define HANDLER(op, num, name, dir, ...)	HANDLER_##dir(op, name)

static ctl_handler_t *const handlers[] = {
	XM_CTL_OPS(HANDLER)
};

ctl_handler_t *
ctl_op_handler(uint16_t op)
{
	return op < nitems(handlers) ? handlers[op] : NULL;
}

/* XM_CTL_OP_ECHO: the payload back as it came (the header bounds it). */
int
ctl_op_echo(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	kmemcpy(r->buf, p, len);
	r->len = len;
	return 0;
}

int
ctl_check(const struct xm_ctl_hdr *h, const uint8_t *payload)
{
	if (h->magic != XM_CTL_MAGIC || h->version != XM_CTL_VERSION)
		return -XM_EBADMSG;
	if (h->len > XM_CTL_MAX_PAYLOAD)
		return -XM_EMSGSIZE;
	if (ctl_op_handler(h->op) == NULL)
		return -XM_ENOSYS;
	if (h->flags & (XM_CTL_F_REPLY | XM_CTL_F_EVENT))
		return -XM_EINVAL;
	return ctlop_check(h->op, payload, h->len);
}

void
ctl_hdr_fill(struct xm_ctl_hdr *h, uint16_t op, uint32_t seq, int status,
    uint32_t len, uint16_t flags)
{
	kmemset(h, 0, sizeof(*h));
	h->magic = XM_CTL_MAGIC;
	h->version = XM_CTL_VERSION;
	h->op = op;
	h->seq = seq;
	h->status = status;
	h->len = len;
	h->flags = flags;
}

void
ctl_reply_error(struct ctl_reply *r, uint32_t seq, int status)
{
	r->len = 0;
	ctl_hdr_fill(&r->hdr, XM_CTL_OP_ERROR, seq, status, 0,
	    XM_CTL_F_REPLY);
}

void
ctl_dispatch(const struct xm_ctl_hdr *h, const uint8_t *payload,
    struct ctl_reply *r)
{
	int rc;

	rc = ctl_check(h, payload);
	if (rc < 0) {
		ctl_reply_error(r, h->seq, rc);
		return;
	}
	r->len = 0;
	rc = ctl_op_handler(h->op)(payload, h->len, r);
	if (rc < 0 || r->len > XM_CTL_MAX_PAYLOAD)
		r->len = 0;
	ctl_hdr_fill(&r->hdr, h->op, h->seq, rc, r->len, XM_CTL_F_REPLY);
}
