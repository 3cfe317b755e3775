/*
 * What hv's memory bookkeeping (hv/mm) needs from the x86 side: frames
 * through the direct map, hv's L4 slots, TLB flushes, the m2p table, the
 * heap lock, and descriptor checks.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <xm/hypercall.h>

#include <hv/bootmem.h>
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/flush.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/paging.h>
#include <hv/spinlock.h>

static spinlock_t heap_lock = SPINLOCK_INIT;

void *
mm_map_frame(uint64_t mfn)
{
	return phys_to_virt(mfn << PAGE_SHIFT);
}

void
mm_log_refusal(uint16_t domid, const char *fmt, ...)
{
	struct domain *d = domain_get(domid);
	va_list ap;

	va_start(ap, fmt);
	if (d != NULL)
		domain_vlog_refusal(d, fmt, ap);
	va_end(ap);
}

bool
mm_frame_is_ram(uint64_t mfn)
{
	return bootmem_is_ram(mfn);
}

void
mm_fill_hv_l4_slots(uint64_t *l4, uint64_t l4_mfn)
{
	(void)l4_mfn;
	paging_fill_hv_slots(l4);
}

void
mm_tlb_flush_domain(struct mm_domain *mm)
{
	struct domain *d = (struct domain *)((char *)mm -
	    __builtin_offsetof(struct domain, mm));

	flush_domain(d);
}

void
mm_m2p_set(uint64_t mfn, uint64_t pfn)
{
	if (mfn < hv_m2p_entries)
		hv_m2p[mfn] = pfn;
}

uint64_t
mm_m2p_get(uint64_t mfn)
{
	return mfn < hv_m2p_entries ? hv_m2p[mfn] : MM_M2P_INVALID;
}

void
mm_heap_lock(void)
{
	spin_lock(&heap_lock);
}

void
mm_heap_unlock(void)
{
	spin_unlock(&heap_lock);
}

/* Each of the frame's descriptors as update_descriptor takes one. */
int
mm_check_seg_desc_page(uint64_t *descs)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		if (!desc_check(&descs[i]))
			return -XM_EINVAL;
	return 0;
}
