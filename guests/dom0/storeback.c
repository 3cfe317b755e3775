/*
 * The xenstore relay: each domain's xenstore page (struct
 * xm_xenstore_interface) served as a byte ring (ringback.c).  The
 * store itself is xmd's: requests go to it as STORE_OUTPUT events, its
 * answers and watch events come back as STORE_INPUT requests.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/event_channel.h>
#include <xm/xen_core.h>

#include <guest/events.h>

#include "ctl_ops.h"
#include "ctl_server.h"
#include "ops.h"
#include "ringback.h"

#define XS_FIELD(f)	offsetof(struct xm_xenstore_interface, f)
#define XS_SIZE(f)	sizeof(((struct xm_xenstore_interface *)0)->f)

static const struct ring_kind store_kind = {
	.rk_name = "store",
	.rk_event = XM_CTL_OP_STORE_OUTPUT,
	.rk_out_off = XS_FIELD(req), .rk_out_size = XS_SIZE(req),
	.rk_in_off = XS_FIELD(rsp), .rk_in_size = XS_SIZE(rsp),
	.rk_out_cons = XS_FIELD(req_cons), .rk_out_prod = XS_FIELD(req_prod),
	.rk_in_cons = XS_FIELD(rsp_cons), .rk_in_prod = XS_FIELD(rsp_prod),
};

/*
 * Make the domain's store port, bind to it and serve the page.  The
 * reply names the domain's port for its start_info.
 */
int
ctl_op_store_attach(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_console_attach req;
	struct xm_ctl_console_port rep = { 0 };
	int rc, remote;

	(void)len;
	kmemcpy(&req, p, sizeof(req));
	if ((rc = ops_domid_change(req.domid)) < 0)
		return rc;
	if ((remote = evtchn_alloc_unbound_in(req.domid, 0)) < 0)
		return remote;
	if ((rc = ringback_bind(&store_kind, req.domid, req.mfn,
	    (xm_evtchn_port_t)remote)) < 0)
		return rc;
	rep.port = (uint32_t)remote;
	kmemcpy(r->buf, &rep, sizeof(rep));
	r->len = sizeof(rep);
	return 0;
}

int
ctl_op_store_input(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	(void)len;
	(void)r;
	return ringback_ctl_input(&store_kind, p);
}
