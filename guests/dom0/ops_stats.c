/*
 * STATS: every domain's and CPU's figures, one XM_DOMCTL_STATS into
 * the reply buffer (the reply's fixed part, then the domains). The op
 * table has checked the payload's size.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include "ctl_ops.h"
#include "hc.h"

int
ctl_op_stats(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_stats req;
	struct xm_ctl_stats_reply head;
	struct xm_domctl d;
	int rc;

	(void)len;
	kmemcpy(&req, p, sizeof(req));
	kmemset(&head, 0, sizeof(head));
	domctl_init(&d, XM_DOMCTL_STATS, 0);
	d.u.stats.first = req.first;
	d.u.stats.max = req.max < XM_CTL_STATS_MAX ? req.max :
	    XM_CTL_STATS_MAX;
	d.u.stats.buffer = (xm_guest_handle_t)(r->buf + sizeof(head));
	d.u.stats.cpus = (xm_guest_handle_t)head.cpu;
	d.u.stats.nr_cpus = XM_STATS_MAX_CPUS;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	if (d.u.stats.count > d.u.stats.max)
		return -XM_EIO;
	head.now_ns = d.u.stats.now_ns;
	head.nr_cpus = d.u.stats.nr_cpus;
	head.count = d.u.stats.count;
	kmemcpy(r->buf, &head, sizeof(head));
	r->len = sizeof(head) + head.count * sizeof(struct xm_dom_stats);
	return 0;
}
