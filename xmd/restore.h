/*
 * node.restore: a domain made again from a save file (xm-save(5)), as
 * Xen's toolstack restores a PV domain.  The file is read and checked
 * whole first (restore_image.h); then a new domain gets fresh frames for
 * the saved pfns, the pages are written with page tables rebuilt from
 * pfns to the new frames and the guest's p2m rewritten, start_info gets
 * the new shared_info, store and console frames and ports, the saved
 * pins are made again, the vCPUs get their contexts (vCPU 0's suspend
 * call returns 0) and the domain runs (or, for a migration, waits
 * paused).  Any failure destroys what was made; the file is never
 * changed.
 */
#ifndef XMD_RESTORE_H
#define XMD_RESTORE_H

struct dom;
struct xmd;

/* Once: code 0 and the domain, or an XMCTL_E_* code and why. */
typedef void	restore_done_fn(void *arg, int code, const char *msg,
		    struct dom *);

struct restore_req {
	const char	*rq_path;	/* absolute */
	int		 rq_paused;	/* leave it paused (and busy) */
	restore_done_fn	*rq_done;
	void		*rq_arg;
};

/* done() is called once, maybe before this returns. */
void	restore_start(struct xmd *, const struct restore_req *);

#endif
