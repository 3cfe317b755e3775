/*
 * Log-dirty mode (hv/logdirty.c): which of a domain's pages were written
 * since the toolstack last looked, for live migration, without the
 * guest being able to tell.
 *
 * Write-protecting the guest's own L1 entries would show: a PV guest
 * reads its page tables.  So, as Xen does for a PV domain in log-dirty
 * mode, hv runs it on shadows: for each of its validated tables that a
 * vCPU reaches, a frame of hv's with the same entries, except that
 *
 *   - an Ln entry (n > 1) points to the shadow of the table the guest's
 *     entry points to;
 *   - an L1 entry is present only once the guest's has A, and writable
 *     only once it has D and its page is marked dirty (pages whose pfn
 *     is not tracked are writable as the guest says);
 *   - entries are filled on the first fault through them.
 *
 * CR3 holds the shadow of the vCPU's L4.  A fault that the shadow caused
 * (the guest's own entries allow the access) is served by hv: A and D
 * are set in the guest's entry as the CPU would have set them, the page
 * is marked, the shadow entry filled, and the access runs again; the
 * guest never sees the fault.  A change the guest makes to a shadowed
 * table (mmu_update, writable page tables, grant mappings) empties the
 * shadow's entry, so that it is filled again from the new one; a table
 * that stops being one loses its shadow, which goes back to the heap
 * after the next flush of the domain's TLBs.  CLEAN takes write access
 * away again for the pfns it clears.  hv's own writes to the domain's
 * memory mark the page (logdirty_mark), a registered vcpu_info is
 * always dirty.
 *
 * Locking: d->ld.lock, inside d->lock where both are taken.  The fault
 * path takes only d->ld.lock: hv may fault on guest memory while it
 * holds d->lock.
 */
#ifndef HV_LOGDIRTY_H
#define HV_LOGDIRTY_H

#include <stdbool.h>
#include <stdint.h>

#include <hv/spinlock.h>

struct domain;
struct domctl_call;
struct vcpu;

struct logdirty {
	spinlock_t	lock;
	bool		on;
	bool		failed;		/* a shadow could not be made */
	uint64_t	*bitmap;	/* pfn-indexed, hv's frames */
	unsigned int	bitmap_order;
	uint64_t	nr_pfns;
	uint64_t	pages;		/* bits set */
	uint64_t	shadows;	/* frames in use */
	uint32_t	zombies;	/* shadows to free after a flush */
	uint64_t	faults;		/* served */
};

void	logdirty_init(struct domain *);
/* Tear-down: d's vCPUs are off every CPU for good. */
void	logdirty_destroy(struct domain *);

/* The frame CR3 should hold for the vCPU's L4 l4_mfn. */
uint64_t logdirty_cr3(struct domain *, uint64_t l4_mfn);
/* The same for a TLB flush: never makes a shadow, never locks; 0 = keep. */
uint64_t logdirty_cr3_lookup(struct domain *, uint64_t l4_mfn);

/* A page fault at va (error code err) that tracking caused: served. */
bool	logdirty_fault(struct vcpu *, uint64_t va, uint32_t err);

/* hv wrote to d's frame mfn for the domain or for its toolstack. */
void	logdirty_mark(struct domain *, uint64_t mfn);

long	domctl_log_dirty(struct domctl_call *);

#endif
