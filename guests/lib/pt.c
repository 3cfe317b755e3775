/*
 * Page tables: walking the guest's own tables through their read-only
 * direct mapping, and the hypercalls that change them.
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>

/* Frames whose tables pt_walk may read: the direct map as it stands. */
static xm_pfn_t
pt_direct_limit(void)
{
	xm_pfn_t n = guest_start_info->nr_pages;

	if (mm_nr_pfns != 0)
		return mm_nr_pfns;
	return n < MM_MAX_PFNS ? n : MM_MAX_PFNS;
}

/*
 * Find va's entry in its level table: its address in the direct map and
 * its machine address.  -1 when a table above is missing, a superpage,
 * or not a frame of ours.
 */
static int
pt_walk(uint64_t va, int level, uint64_t **entry, uint64_t *maddr)
{
	uint64_t *table = (uint64_t *)guest_start_info->pt_base;
	xm_pfn_t mfn = virt_to_mfn(table), pfn;
	uint64_t e;
	int l;

	if (level < 1 || level > 4)
		return -1;
	for (l = 4; l > level; l--) {
		e = table[pt_index(va, l)];
		if (!(e & PTE_P) || (e & PTE_PS))
			return -1;
		mfn = PTE_MFN(e);
		pfn = mfn_to_pfn(mfn);
		if (pfn >= pt_direct_limit())
			return -1;
		table = pfn_to_virt(pfn);
	}
	*entry = &table[pt_index(va, level)];
	*maddr = (mfn << PAGE_SHIFT) + pt_index(va, level) * sizeof(e);
	return 0;
}

uint64_t *
pt_entry(uint64_t va, int level)
{
	uint64_t *entry, maddr;

	if (pt_walk(va, level, &entry, &maddr) < 0)
		return NULL;
	return entry;
}

uint64_t
pt_entry_maddr(uint64_t va, int level)
{
	uint64_t *entry, maddr;

	if (pt_walk(va, level, &entry, &maddr) < 0)
		return 0;
	return maddr;
}

uint64_t
pt_lookup(uint64_t va)
{
	uint64_t *entry = pt_entry(va, 1);

	return entry == NULL ? 0 : *(volatile uint64_t *)entry;
}

int
map_frame_at(uint64_t va, xm_pfn_t mfn, uint64_t flags)
{
	return HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) | flags,
	    XM_UVMF_INVLPG | XM_UVMF_LOCAL);
}

int
unmap_at(uint64_t va)
{
	return HYPERVISOR_update_va_mapping(va, 0,
	    XM_UVMF_INVLPG | XM_UVMF_LOCAL);
}

int
mmu_update_one(uint64_t ptr, uint64_t val)
{
	struct xm_mmu_update req = { .ptr = ptr, .val = val };
	unsigned int done = 0;

	return HYPERVISOR_mmu_update(&req, 1, &done, XM_DOMID_SELF);
}

static int
mmuext_one(unsigned int cmd, uint64_t arg1)
{
	struct xm_mmuext_op op = { .cmd = cmd };
	unsigned int done = 0;

	op.arg1.linear_addr = arg1;
	return HYPERVISOR_mmuext_op(&op, 1, &done, XM_DOMID_SELF);
}

int
pin_table(int level, xm_pfn_t mfn)
{
	if (level < 1 || level > 4)
		return -XM_EINVAL;
	return mmuext_one(XM_MMUEXT_PIN_L1_TABLE + level - 1, mfn);
}

int
unpin_table(xm_pfn_t mfn)
{
	return mmuext_one(XM_MMUEXT_UNPIN_TABLE, mfn);
}

int
tlb_flush_local(void)
{
	return mmuext_one(XM_MMUEXT_TLB_FLUSH_LOCAL, 0);
}

int
invlpg_local(uint64_t va)
{
	return mmuext_one(XM_MMUEXT_INVLPG_LOCAL, va);
}

void
mmu_batch_init(struct mmu_batch *b)
{
	b->n = 0;
	b->done = 0;
	b->rc = 0;
}

int
mmu_batch_flush(struct mmu_batch *b)
{
	unsigned int done = 0;
	int rc;

	if (b->n > 0 && b->rc == 0) {
		rc = HYPERVISOR_mmu_update(b->req, b->n, &done, XM_DOMID_SELF);
		b->done += done;
		if (rc < 0)
			b->rc = rc;
	}
	b->n = 0;
	return b->rc;
}

int
mmu_batch_add(struct mmu_batch *b, uint64_t ptr, uint64_t val)
{
	if (b->rc < 0)
		return b->rc;
	b->req[b->n].ptr = ptr;
	b->req[b->n].val = val;
	if (++b->n == MMU_BATCH_MAX)
		return mmu_batch_flush(b);
	return 0;
}
