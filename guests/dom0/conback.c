/*
 * The console backend: each domain's console page (struct
 * xm_console_interface) served as a byte ring (ringback.c); output goes
 * to xmd as CONSOLE_OUTPUT events, CONSOLE_INPUT requests go into the
 * ring.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/xen_core.h>

#include <guest/events.h>

#include "ctl_ops.h"
#include "ctl_server.h"
#include "hc.h"
#include "ops.h"
#include "ringback.h"

#define CON_FIELD(f)	offsetof(struct xm_console_interface, f)
#define CON_SIZE(f)	sizeof(((struct xm_console_interface *)0)->f)

static const struct ring_kind con_kind = {
	.rk_name = "console",
	.rk_event = XM_CTL_OP_CONSOLE_OUTPUT,
	.rk_out_off = CON_FIELD(out), .rk_out_size = CON_SIZE(out),
	.rk_in_off = CON_FIELD(in), .rk_in_size = CON_SIZE(in),
	.rk_out_cons = CON_FIELD(out_cons), .rk_out_prod = CON_FIELD(out_prod),
	.rk_in_cons = CON_FIELD(in_cons), .rk_in_prod = CON_FIELD(in_prod),
};

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
	int rc;

	(void)len;
	kmemcpy(&req, p, sizeof(req));
	if ((rc = ops_domid_change(req.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_CONSOLE_RING, req.domid);
	d.u.console.mfn = req.mfn;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	if (!ringback_attached(&con_kind, req.domid, d.u.console.mfn) &&
	    (rc = ringback_bind(&con_kind, req.domid, d.u.console.mfn,
	    d.u.console.port)) < 0)
		return rc;
	rep.port = d.u.console.port;
	kmemcpy(r->buf, &rep, sizeof(rep));
	r->len = sizeof(rep);
	return 0;
}

int
ctl_op_console_input(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	(void)len;
	(void)r;
	return ringback_ctl_input(&con_kind, p);
}
