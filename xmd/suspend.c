/*
 * Cancelling a domain's suspend (suspend.h), in Xen's toolstack's steps
 * (xc_domain_resume of a guest that declares SUSPEND_CANCEL): vCPU 0's
 * context read, its rax (the suspend call's result) set to 1, the
 * context written back, RESUME.  domain.resume then reads the domain's
 * info for its answer; a failed save just lets the domain run on.
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
	int			 c_id;
	suspend_cancel_fn	*c_done;
	void			*c_arg;
	struct xm_vcpu_guest_context c_ctx;
};

static void	got_context(void *, int, const uint8_t *, size_t);
static void	set_context(void *, int, const uint8_t *, size_t);
static void	resumed(void *, int, const uint8_t *, size_t);

static void
finish(struct cancel *c, int status, const char *step)
{
	c->c_done(c->c_arg, status, step);
	free(c);
}

static void
send(struct cancel *c, uint16_t op, const struct iovec *iov, int iovcnt,
    ctl_reply_fn *fn, const char *step)
{
	if (ctl_request(c->c_x->x_ctl, op, iov, iovcnt, 0, fn, c) != 0)
		finish(c, CTL_E_DOWN, step);
}

int
suspend_cancel(struct xmd *x, int id, suspend_cancel_fn *done, void *arg)
{
	struct xm_ctl_vcpu v = { (xm_domid_t)id, 0, 0 };
	struct iovec iov = { &v, sizeof(v) };
	struct cancel *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return -1;
	c->c_x = x;
	c->c_id = id;
	c->c_done = done;
	c->c_arg = arg;
	if (ctl_request(x->x_ctl, XM_CTL_OP_GET_VCPU, &iov, 1, 0, got_context,
	    c) != 0) {
		free(c);
		return -1;
	}
	return 0;
}

static void
got_context(void *arg, int status, const uint8_t *data, size_t len)
{
	struct cancel *c = arg;
	struct xm_ctl_vcpu v = { (xm_domid_t)c->c_id, 0, 0 };
	struct iovec iov[2] = { { &v, sizeof(v) },
	    { &c->c_ctx, sizeof(c->c_ctx) } };

	if (status == 0 && len != sizeof(c->c_ctx))
		status = -XM_EIO;
	if (status != 0) {
		finish(c, status, "its vCPU 0");
		return;
	}
	memcpy(&c->c_ctx, data, sizeof(c->c_ctx));
	c->c_ctx.user_regs.rax = 1;	/* the suspend was cancelled */
	send(c, XM_CTL_OP_SET_VCPU, iov, 2, set_context,
	    "its suspend call's result");
}

static void
set_context(void *arg, int status, const uint8_t *data, size_t len)
{
	struct cancel *c = arg;
	struct xm_ctl_domid id = { (xm_domid_t)c->c_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };

	(void)data, (void)len;
	if (status != 0)
		finish(c, status, "its suspend call's result");
	else
		send(c, XM_CTL_OP_RESUME, &iov, 1, resumed, "RESUME");
}

static void
resumed(void *arg, int status, const uint8_t *data, size_t len)
{
	(void)data, (void)len;
	finish(arg, status, "RESUME");
}

/* domain.resume of a suspended domain. */
struct resume_call {
	struct xmd		*r_x;
	struct rpc_call		*r_call;
	int			 r_id;
	char			 r_name[XM_DEF_NAME_MAX + 1];
};

static void
resume_info(void *arg, int status, const uint8_t *data, size_t len)
{
	struct resume_call *r = arg;

	methods_answer_info(r->r_x, r->r_call, r->r_id, status, data, len);
	free(r);
}

static void
resume_done(void *arg, int status, const char *step)
{
	struct resume_call *r = arg;
	struct xm_ctl_domid id = { (xm_domid_t)r->r_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };

	if (status == 0 && ctl_request(r->r_x->x_ctl, XM_CTL_OP_GETINFO, &iov,
	    1, 0, resume_info, r) == 0)
		return;
	if (status == 0)
		status = CTL_E_DOWN;
	rpc_error(r->r_call, status == -XM_ESRCH ? XMCTL_E_NO_DOMAIN :
	    XMCTL_E_NODE, "domain '%s': cannot resume it after its suspend "
	    "(%s): %s", r->r_name, step, ctl_strerror(status));
	free(r);
}

void
suspend_cancel_start(struct xmd *x, struct rpc_call *call, struct dom *d)
{
	struct resume_call *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	r->r_x = x;
	r->r_call = call;
	r->r_id = d->d_id;
	snprintf(r->r_name, sizeof(r->r_name), "%s", d->d_name);
	if (suspend_cancel(x, d->d_id, resume_done, r) != 0) {
		rpc_error(call, XMCTL_E_NODE, "domain '%s': cannot reach the "
		    "node", r->r_name);
		free(r);
	}
}
