/*
 * CLOCK: hv's clock as domain 0 reads it, and setting hv's wall clock
 * (include/xm/ctl.h).  xmd reads it to learn how hv's system time maps
 * onto the host's clock, then has it set, as a Linux domain 0 keeps
 * Xen's wall clock to its own NTP-disciplined one.
 */

#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/hypercall.h>
#include <xm/platform.h>

#include <guest/hypercall.h>
#include <guest/time.h>

#include "ctl_ops.h"

static int
clock_set(const struct xm_ctl_clock *req)
{
	struct xm_platform_op op;

	kmemset(&op, 0, sizeof(op));
	op.cmd = XM_PF_SETTIME64;
	op.interface_version = XM_PF_INTERFACE_VERSION;
	op.u.settime64.secs = req->wall_ns / NSEC_PER_SEC;
	op.u.settime64.nsecs = (uint32_t)(req->wall_ns % NSEC_PER_SEC);
	op.u.settime64.system_time = req->system_ns;
	return (int)_hypercall1(XM_HYPERCALL_PLATFORM_OP, &op);
}

int
ctl_op_clock(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_clock req;
	struct xm_ctl_clock_reply rep;
	uint64_t sec;
	uint32_t nsec;
	int rc;

	(void)len;
	kmemcpy(&req, p, sizeof(req));
	if (req.pad != 0 || (req.op != XM_CTL_CLOCK_READ &&
	    req.op != XM_CTL_CLOCK_SET))
		return -XM_EINVAL;
	if (req.op == XM_CTL_CLOCK_SET && (rc = clock_set(&req)) < 0)
		return rc;
	rep.system_ns = monotonic_ns();
	wallclock(&sec, &nsec);
	rep.wall_ns = sec * NSEC_PER_SEC + nsec;
	kmemcpy(r->buf, &rep, sizeof(rep));
	r->len = sizeof(rep);
	return 0;
}
