/*
 * LOG_DIRTY: log-dirty mode of a domain, for xmd's live migration
 * (include/xm/ctl.h).  One XM_DOMCTL_LOG_DIRTY; hv copies a PEEK's or
 * CLEAN's bits into a buffer of domain 0's own, which bounds count,
 * and they go to xmd after the reply's figures.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include "ctl_ops.h"
#include "hc.h"
#include "ops.h"

#define BITS_PER_WORD	64

static uint64_t	ld_bits[XM_LOG_DIRTY_BATCH / BITS_PER_WORD];

/* Whether op copies bits out (and count says how many). */
static int
ld_has_bits(uint32_t op)
{
	return op == XM_LOG_DIRTY_PEEK || op == XM_LOG_DIRTY_CLEAN;
}

/* The request as dom0 passes it on: 0, or -XM_EINVAL. */
static int
ld_check(const struct xm_ctl_log_dirty *req)
{
	switch (req->op) {
	case XM_LOG_DIRTY_ENABLE:
	case XM_LOG_DIRTY_DISABLE:
		return 0;
	case XM_LOG_DIRTY_PEEK:
	case XM_LOG_DIRTY_CLEAN:
		/* ld_bits holds a batch: count decides how much hv writes. */
		if (req->count == 0 || req->count > XM_LOG_DIRTY_BATCH ||
		    req->count % BITS_PER_WORD != 0)
			return -XM_EINVAL;
		return 0;
	default:
		return -XM_EINVAL;
	}
}

int
ctl_op_log_dirty(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_log_dirty req;
	struct xm_ctl_log_dirty_reply rep = { 0 };
	struct xm_domctl d;
	uint64_t bytes = 0;
	int rc;

	(void)len;
	kmemcpy(&req, p, sizeof(req));
	if ((rc = ops_domid_change(req.domid)) < 0)
		return rc;
	if ((rc = ld_check(&req)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_LOG_DIRTY, req.domid);
	d.u.log_dirty.op = req.op;
	if (req.op == XM_LOG_DIRTY_ENABLE)
		d.u.log_dirty.nr_pfns = req.nr_pfns;
	if (ld_has_bits(req.op)) {
		d.u.log_dirty.start_pfn = req.start_pfn;
		d.u.log_dirty.count = req.count;
		d.u.log_dirty.buf = (xm_guest_handle_t)ld_bits;
		bytes = req.count / 8;
	}
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	if (ld_has_bits(req.op) && d.u.log_dirty.dirty > req.count)
		return -XM_EIO;
	rep.nr_pfns = d.u.log_dirty.nr_pfns;
	rep.dirty = bytes > 0 ? d.u.log_dirty.dirty : 0;
	rep.pages = d.u.log_dirty.pages;
	kmemcpy(r->buf, &rep, sizeof(rep));
	if (bytes > 0)
		kmemcpy(r->buf + sizeof(rep), ld_bits, bytes);
	r->len = sizeof(rep) + (uint32_t)bytes;
	return 0;
}
