/*
 * domain.save: a domain to a save file (xm-save(5)), as Xen's toolstack
 * saves a PV domain.  The guest is asked to suspend through xenstore
 * (control/shutdown = "suspend"; a domain already suspended is taken as
 * it is); once it has, its memory, page tables (as pfns), vCPU contexts,
 * shared_info and the frames of its p2m go to a file written beside the
 * target and renamed over it only when complete and synced; then the
 * domain is destroyed.  On any failure the file is removed and the
 * domain's suspend is cancelled (its suspend call returns 1): it runs
 * on where it stopped.  A migration keeps the domain, suspended and
 * busy, once the file is complete: it destroys it or cancels the
 * suspend itself.
 */
#ifndef XMD_SAVE_H
#define XMD_SAVE_H

struct dom;
struct xmctl_saved;
struct xmd;

#define SAVE_SUSPEND_TIMEOUT_S	60	/* the guest's time to suspend */

/* Once: code 0 and what was written, or an XMCTL_E_* code and why. */
typedef void	save_done_fn(void *arg, int code, const char *msg,
		    const struct xmctl_saved *);

struct save_req {
	struct dom	*sr_dom;
	const char	*sr_path;	/* absolute */
	unsigned int	 sr_timeout_s;	/* for the suspend */
	int		 sr_keep;	/* keep it suspended (and busy) */
	save_done_fn	*sr_done;
	void		*sr_arg;
};

/* done() is called once, maybe before this returns. */
void	save_start(struct xmd *, const struct save_req *);
/* Domain d suspended itself: a save waiting for that goes on. */
void	save_domain_suspended(struct xmd *, struct dom *);
/* Domain id shut down or went (why): a save waiting for it fails. */
void	save_domain_ended(struct xmd *, int id, const char *why);
/* Whether a save of domain id is under way. */
int	save_active(int id);

#endif
