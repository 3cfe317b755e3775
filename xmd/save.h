/*
 * domain.save: a domain to a save file (xm-save(5)), as Xen's toolstack
 * saves a PV domain.  The guest is asked to suspend through xenstore
 * (control/shutdown = "suspend"; a domain already suspended is taken as
 * it is); once it has, its memory, page tables (as pfns), vCPU contexts,
 * shared_info and the frames of its p2m go to a file written beside the
 * target and renamed over it only when complete and synced; then the
 * domain is destroyed.  On any failure the file is removed and the
 * domain's suspend is cancelled (its suspend call returns 1): it runs
 * on where it stopped.
 */
#ifndef XMD_SAVE_H
#define XMD_SAVE_H

struct dom;
struct rpc_call;
struct xmd;

#define SAVE_SUSPEND_TIMEOUT_S	60	/* the guest's time to suspend */

/* Answers call once saved (or failed). */
void	save_start(struct xmd *, struct rpc_call *, struct dom *,
	    const char *path, unsigned int timeout_s);
/* Domain d suspended itself: a save waiting for that goes on. */
void	save_domain_suspended(struct xmd *, struct dom *);
/* Domain id shut down or went (why): a save waiting for it fails. */
void	save_domain_ended(struct xmd *, int id, const char *why);
/* Whether a save of domain id is under way. */
int	save_active(int id);

#endif
