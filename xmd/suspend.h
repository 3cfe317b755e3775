/*
 * A domain that suspended itself (SCHEDOP_shutdown with
 * SHUTDOWN_suspend, as a Xen PV guest does when control/shutdown says
 * "suspend") waits in state "suspended" rather than going the way of a
 * poweroff; domain.resume lets it run on where it stopped, as Xen's
 * toolstack cancels a suspend: its suspend call returns 1.
 */
#ifndef XMD_SUSPEND_H
#define XMD_SUSPEND_H

struct dom;
struct rpc_call;
struct xmd;

/* status 0, or the failed request's and the step it was ("RESUME"). */
typedef void	suspend_cancel_fn(void *arg, int status, const char *step);

/* Cancel domain id's suspend: 0 (done is called later), or -1. */
int	suspend_cancel(struct xmd *, int id, suspend_cancel_fn *done,
	    void *arg);
/* Answers call with the domain's info once it runs again, or an error. */
void	suspend_cancel_start(struct xmd *, struct rpc_call *, struct dom *);

#endif
