/*
 * node.restore: a domain made again from a save file (xm-save(5)), as
 * Xen's toolstack restores a PV domain.  The file is read and checked
 * whole first (restore_image.h); then a new domain gets fresh frames for
 * the saved pfns, the pages are written with page tables rebuilt from
 * pfns to the new frames and the guest's p2m rewritten, start_info gets
 * the new shared_info, store and console frames and ports, the saved
 * pins are made again, the vCPUs get their contexts (vCPU 0's suspend
 * call returns 0) and the domain runs.  Any failure destroys what was
 * made; the file is never changed.
 */
#ifndef XMD_RESTORE_H
#define XMD_RESTORE_H

struct rpc_call;
struct xmd;

/* Answers call with the running domain, or an error. */
void	restore_start(struct xmd *, struct rpc_call *, const char *path);

#endif
