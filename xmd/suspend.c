/*
 * Cancelling a domain's suspend (suspend.h), in Xen's toolstack's steps
 * (xc_domain_resume of a guest that declares SUSPEND_CANCEL): vCPU 0's
 * context read, its rax (the suspend call's result) set to 1, the
 * context written back, RESUME; then the domain's info read for the
 * answer.
 */
#include <sys/uio.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "ctl.h"
#include "methods.h"
#include "registry.h"
#include "rpc.h"
#include "suspend.h"
#include "xmd.h"

struct cancel {
	struct xmd		*c_x;
	struct rpc_call		*c_call;
	int			 c_id;
	char			 c_name[XM_DEF_NAME_MAX + 1];
	struct xm_vcpu_guest_context c_ctx;
};

static void	got_context(void *, int, const uint8_t *, size_t);
static void	set_context(void *, int, const uint8_t *, size_t);
static void	resumed(void *, int, const uint8_t *, size_t);
static void	got_info(void *, int, const uint8_t *, size_t);

static int
fail(struct cancel *c, int status, const char *step)
{
	rpc_error(c->c_call, status == -XM_ESRCH ? XMCTL_E_NO_DOMAIN :
	    XMCTL_E_NODE, "domain '%s': cannot resume it after its suspend "
	    "(%s): %s", c->c_name, step, ctl_strerror(status));
	free(c);
	return -1;
}

static int
send(struct cancel *c, uint16_t op, const struct iovec *iov, int iovcnt,
    ctl_reply_fn *fn)
{
	if (ctl_request(c->c_x->x_ctl, op, iov, iovcnt, 0, fn, c) == 0)
		return 0;
	rpc_error(c->c_call, XMCTL_E_NODE, "domain '%s': cannot reach the "
	    "node", c->c_name);
	free(c);
	return -1;
}

static void
send_domid(struct cancel *c, uint16_t op, ctl_reply_fn *fn)
{
	struct xm_ctl_domid id = { (xm_domid_t)c->c_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };

	(void)send(c, op, &iov, 1, fn);
}

void
suspend_cancel_start(struct xmd *x, struct rpc_call *call, struct dom *d)
{
	struct xm_ctl_vcpu v = { (xm_domid_t)d->d_id, 0, 0 };
	struct iovec iov = { &v, sizeof(v) };
	struct cancel *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	c->c_x = x;
	c->c_call = call;
	c->c_id = d->d_id;
	snprintf(c->c_name, sizeof(c->c_name), "%s", d->d_name);
	(void)send(c, XM_CTL_OP_GET_VCPU, &iov, 1, got_context);
}

static void
got_context(void *arg, int status, const uint8_t *data, size_t len)
{
	struct cancel *c = arg;
	struct xm_ctl_vcpu v = { (xm_domid_t)c->c_id, 0, 0 };
	struct iovec iov[2] = { { &v, sizeof(v) },
	    { &c->c_ctx, sizeof(c->c_ctx) } };

	if (status != 0)
		(void)fail(c, status, "its vCPU 0");
	else if (len != sizeof(c->c_ctx))
		(void)fail(c, -XM_EIO, "its vCPU 0");
	else {
		memcpy(&c->c_ctx, data, sizeof(c->c_ctx));
		c->c_ctx.user_regs.rax = 1;	/* the suspend was cancelled */
		(void)send(c, XM_CTL_OP_SET_VCPU, iov, 2, set_context);
	}
}

static void
set_context(void *arg, int status, const uint8_t *data, size_t len)
{
	struct cancel *c = arg;

	(void)data, (void)len;
	if (status != 0)
		(void)fail(c, status, "its suspend call's result");
	else
		send_domid(c, XM_CTL_OP_RESUME, resumed);
}

static void
resumed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct cancel *c = arg;

	(void)data, (void)len;
	if (status != 0)
		(void)fail(c, status, "RESUME");
	else
		send_domid(c, XM_CTL_OP_GETINFO, got_info);
}

static void
got_info(void *arg, int status, const uint8_t *data, size_t len)
{
	struct cancel *c = arg;

	methods_answer_info(c->c_x, c->c_call, c->c_id, status, data, len);
	free(c);
}
