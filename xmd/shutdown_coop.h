/*
 * Shutdown and reboot through the guest, as Xen's toolstack asks for
 * them: "poweroff" or "reboot" in the domain's control/shutdown, which
 * a PV kernel watches (Linux's drivers/xen/manage.c), and an answer
 * when the domain has shut down, or a clear error when it has not
 * within the timeout.  Only for domains that said they listen
 * (control/feature-poweroff, -reboot = 1); the others are shut down by
 * hv, as before.
 */
#ifndef XMD_SHUTDOWN_COOP_H
#define XMD_SHUTDOWN_COOP_H

struct xmd;
struct dom;
struct rpc_call;

#define COOP_TIMEOUT_S	60	/* default: as long as libvirt waits */

/*
 * 1: asked through xenstore, call is answered later; 0: the domain does
 * not listen (the caller asks hv); -1: call was answered (an error).
 * reboot: 0 for poweroff.  timeout_s 0: answer once asked.
 */
int	coop_shutdown_start(struct xmd *, struct rpc_call *, struct dom *,
	    int reboot, unsigned int timeout_s);
/* Domain domid shut down or went: answer the calls that wait for it. */
void	coop_shutdown_done(struct xmd *, int domid);
/* xmd stops: answer them all. */
void	coop_shutdown_clear(struct xmd *);

#endif
