/*
 * memory_op: the caller's reservation (increase, decrease, populate),
 * queries of sizes and of where the m2p table is, and the memory maps.
 * Extents are single frames (order 0) for now.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/memory.h>

#include <hv/bootmem.h>
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/grant_table.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/paging.h>
#include <hv/percpu.h>

#define MAX_EXTENTS	65536
/* A reservation op's continuation: the next extent above the op. */
#define MEMOP_EXTENT_SHIFT	6
#define MEMOP_CMD_MASK		((1U << MEMOP_EXTENT_SHIFT) - 1)
#define PREEMPT_EVERY		64
#define MAX_DMA_ORDER	4	/* domain 0's contiguous extents, for DMA */

/* The domain a request names, or NULL with *rc saying why not. */
static struct domain *
target_domain(struct domain *self, uint16_t id, long *rc)
{
	struct domain *d;

	if (id == XM_DOMID_SELF || id == self->id)
		return self;
	*rc = -XM_EPERM;
	if (!self->privileged)
		return NULL;
	*rc = -XM_ESRCH;
	d = domain_get(id);
	return d;
}

/*
 * Whether n more frames fit in d's reservation, leaving the grant
 * frames max_pages holds for its table (not allocated yet) alone: the
 * guest may not take them and then use more than its limit.
 */
static bool
guest_room(const struct domain *d, uint64_t n)
{
	return d->mm.tot_pages + gnttab_room(d) + n <= d->mm.max_pages;
}

/*
 * 2^order machine-contiguous frames for d (domain 0's device rings);
 * the first mfn in *frame. All or nothing.
 */
static long
increase_contiguous(struct domain *d, unsigned int order, uint64_t *frame)
{
	int64_t first = mm_alloc_frames(order);
	uint64_t i, n = 1ULL << order;
	long rc = 0;

	if (first < 0)
		return -XM_ENOMEM;
	if (!guest_room(d, n))
		rc = -XM_ENOMEM;
	for (i = 0; i < n && rc == 0; i++) {
		kmemset(mm_map_frame((uint64_t)first + i), 0, PAGE_SIZE);
		rc = mm_domain_assign(&d->mm, (uint64_t)first + i);
		logdirty_mark(d, (uint64_t)first + i);
	}
	if (rc != 0) {
		while (i-- > 0)
			mm_domain_unassign(&d->mm, (uint64_t)first + i);
		mm_free_frames((uint64_t)first, order);
		return rc;
	}
	*frame = (uint64_t)first;
	return 0;
}

/* One extent: returns 0 or a negative error. */
static long
reservation_one(struct domain *d, unsigned int cmd, uint64_t *frame)
{
	int64_t mfn;

	if (cmd != XM_XENMEM_DECREASE_RESERVATION && !guest_room(d, 1))
		return -XM_ENOMEM;
	switch (cmd) {
	case XM_XENMEM_INCREASE_RESERVATION:
		mfn = mm_domain_alloc_frame(&d->mm);
		if (mfn < 0)
			return (long)mfn;
		*frame = (uint64_t)mfn;
		return 0;
	case XM_XENMEM_POPULATE_PHYSMAP:
		if (*frame >= d->nr_pfns)
			return -XM_EINVAL;
		mfn = mm_domain_alloc_frame(&d->mm);
		if (mfn < 0)
			return (long)mfn;
		mm_m2p_set((uint64_t)mfn, *frame);
		*frame = (uint64_t)mfn;
		return 0;
	case XM_XENMEM_DECREASE_RESERVATION:
		return mm_domain_free_frame(&d->mm, *frame);
	}
	return -XM_ENOSYS;
}

static void
reservation_undo(struct domain *d, unsigned int order, uint64_t first)
{
	uint64_t i;

	for (i = 0; i < (1ULL << order); i++)
		mm_domain_free_frame(&d->mm, first + i);
}

/*
 * Extents from start on; a long list is continued (hv/continuation.c)
 * with the next extent in cmd's upper bits, as Xen encodes it, and the
 * answer is the number of extents done in all parts.
 */
static long
memory_reservation(struct domain *self, unsigned int cmd, uint64_t start,
    uint64_t arg)
{
	struct xm_memory_reservation r;
	struct domain *d;
	uint64_t i, frame;
	long rc = 0;

	if (copy_from_guest(&r, arg, sizeof(r)) != 0)
		return -XM_EFAULT;
	d = target_domain(self, r.domid, &rc);
	if (d == NULL)
		return rc;
	if (r.nr_extents > MAX_EXTENTS || (r.extent_order != 0 &&
	    (cmd != XM_XENMEM_INCREASE_RESERVATION || !self->privileged ||
	    r.extent_order > MAX_DMA_ORDER)))
		return -XM_EINVAL;
	/* A list outside guest memory: no extent done, as Xen answers. */
	if (r.nr_extents != 0 && !guest_range_ok(r.extent_start,
	    r.nr_extents * sizeof(frame)))
		return 0;
	if (start >= r.nr_extents)
		return (long)start;
	for (i = start; i < r.nr_extents; i++) {
		uint64_t at = r.extent_start + i * sizeof(frame);

		if (i != start && i % PREEMPT_EVERY == 0 &&
		    hypercall_preempt_check())
			return hypercall_continue(XM_HYPERCALL_MEMORY_OP,
			    cmd | (i << MEMOP_EXTENT_SHIFT), arg);

		if (cmd != XM_XENMEM_INCREASE_RESERVATION &&
		    copy_from_guest(&frame, at, sizeof(frame)) != 0)
			break;
		spin_lock(&d->lock);
		if (r.extent_order != 0)
			rc = increase_contiguous(d, r.extent_order, &frame);
		else
			rc = reservation_one(d, cmd, &frame);
		spin_unlock(&d->lock);
		if (rc == -XM_ENOMEM)
			domain_log_refusal(d, "memory_op %u: extent %lu "
			    "refused (ENOMEM): %lu pages, at most %lu", cmd, i,
			    d->mm.tot_pages, d->mm.max_pages);
		if (rc != 0)
			break;
		if (cmd != XM_XENMEM_DECREASE_RESERVATION &&
		    copy_to_guest(at, &frame, sizeof(frame)) != 0) {
			/* The guest cannot learn it: take the frame back. */
			spin_lock(&d->lock);
			reservation_undo(d, r.extent_order, frame);
			spin_unlock(&d->lock);
			break;
		}
	}
	return (long)i;
}

static long
pseudo_memory_map(struct domain *d, uint64_t arg)
{
	struct xm_memory_map m;
	struct xm_e820_entry e = { 0, d->nr_pfns << PAGE_SHIFT, XM_E820_RAM };

	if (copy_from_guest(&m, arg, sizeof(m)) != 0)
		return -XM_EFAULT;
	if (m.nr_entries < 1)
		return -XM_EINVAL;
	m.nr_entries = 1;
	if (copy_to_guest(m.buffer, &e, sizeof(e)) != 0 ||
	    copy_to_guest(arg, &m, sizeof(m)) != 0)
		return -XM_EFAULT;
	return 0;
}

long
do_memory_op(uint64_t cmd, uint64_t arg)
{
	struct domain *self = current_vcpu()->domain, *d;
	struct xm_machphys_mapping mm;
	uint16_t domid;
	long rc;

	switch (cmd & MEMOP_CMD_MASK) {
	case XM_XENMEM_INCREASE_RESERVATION:
	case XM_XENMEM_DECREASE_RESERVATION:
	case XM_XENMEM_POPULATE_PHYSMAP:
		return memory_reservation(self, cmd & MEMOP_CMD_MASK,
		    cmd >> MEMOP_EXTENT_SHIFT, arg);
	}
	switch (cmd) {
	case XM_XENMEM_MAXIMUM_RAM_PAGE:
		return (long)bootmem_max_mfn();
	case XM_XENMEM_CURRENT_RESERVATION:
	case XM_XENMEM_MAXIMUM_RESERVATION:
		if (copy_from_guest(&domid, arg, sizeof(domid)) != 0)
			return -XM_EFAULT;
		d = target_domain(self, domid, &rc);
		if (d == NULL)
			return rc;
		return (long)(cmd == XM_XENMEM_CURRENT_RESERVATION ?
		    d->mm.tot_pages : d->mm.max_pages);
	case XM_XENMEM_MACHPHYS_MAPPING:
		mm.v_start = HV_RO_MPT_START;
		mm.v_end = HV_RO_MPT_START + hv_m2p_entries * 8;
		mm.max_mfn = hv_m2p_entries - 1;
		return copy_to_guest(arg, &mm, sizeof(mm)) == 0 ? 0 :
		    -XM_EFAULT;
	case XM_XENMEM_MEMORY_MAP:
		return pseudo_memory_map(self, arg);
	}
	return -XM_ENOSYS;
}
