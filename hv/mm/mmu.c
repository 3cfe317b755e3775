/*
 * The page-table operations behind mmu_update and update_va_mapping.
 *
 * MMU_NORMAL_PT_UPDATE writes one entry.  In a validated table of the
 * caller's the new entry is checked against its level and its
 * references are taken before the old entry's are dropped, so that
 * rewriting an entry never lets what it points to lose its type in
 * between.  In any other frame of the caller's the write is plain data,
 * as in Xen: it is allowed exactly when the frame could be mapped
 * writable (a frame that is not a page table yet, or no longer), takes
 * no references, and is checked like every other entry when the frame
 * becomes a table.  Linux relies on this: it writes the entries of
 * tables it has not pinned yet with mmu_update too.
 *
 * A grant mapping in a live L1 is the grant code's to install and to
 * take away (mm.h): the guest's own updates may not replace it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_internal.h"

static bool
table_is_live(const struct page_info *pg)
{
	return page_is_pt(pg) && pg->type_count > 0 &&
	    (pg->flags & PGF_VALIDATED);
}

static int
entry_update(struct mm_domain *d, uint64_t mfn, unsigned int level,
    unsigned int slot, uint64_t val, bool keep_ad)
{
	uint64_t *p = (uint64_t *)mm_map_frame(mfn) + slot;
	uint64_t old;
	int rc;

	if (!slot_is_guest(level, slot)) {
		mm_refuse(d, "update of hv's L4 slot %u in mfn %#lx", slot,
		    mfn);
		return -XM_EINVAL;
	}
	/* Only the grant code may take a grant mapping away (mm.h). */
	if (pte_is_grant(level, pte_read(p))) {
		mm_refuse(d, "update of grant mapping %u in mfn %#lx: use "
		    "unmap_grant_ref", slot, mfn);
		return -XM_EINVAL;
	}
	rc = mm_pte_get(d, level, val);
	if (rc != 0)
		return rc;
	old = pte_swap(p, mm_pte_adjust(level, val), keep_ad);
	mm_shadow_entry_changed(d, mfn, slot);
	mm_pte_put(d, level, old);
	return 0;
}

static int
data_write(struct mm_domain *d, struct page_info *pg, unsigned int slot,
    uint64_t val)
{
	uint64_t *t;

	if (mm_type_get(d, pg, MM_PGT_WRITABLE) != 0) {
		mm_refuse(d, "update in mfn %#lx: not writable",
		    page_mfn(pg));
		return -XM_EINVAL;
	}
	t = mm_map_frame(page_mfn(pg));
	pte_write(&t[slot], val);
	mm_mark_dirty(d, page_mfn(pg));
	mm_type_put(d, pg);
	return 0;
}

static int
pt_update(struct mm_domain *d, uint64_t pte_maddr, uint64_t val,
    bool keep_ad)
{
	uint64_t mfn = pte_maddr >> 12;
	unsigned int slot = (unsigned int)(pte_maddr & 0xfff) >> 3;
	struct page_info *pg;
	int rc;

	if ((pte_maddr & 7) != 0) {
		mm_refuse(d, "update at %#lx: not an entry", pte_maddr);
		return -XM_EINVAL;
	}
	if (mm_pg_get(d, mfn) != 0) {
		mm_refuse(d, "update in mfn %#lx: not its frame", mfn);
		return -XM_EINVAL;
	}
	pg = mfn_page(mfn);
	if (table_is_live(pg))
		rc = entry_update(d, mfn, pg->type, slot, val, keep_ad);
	else
		rc = data_write(d, pg, slot, val);
	mm_pg_put(d, pg);
	return rc;
}

int
mm_pt_update(struct mm_domain *d, uint64_t pte_maddr, uint64_t val)
{
	return pt_update(d, pte_maddr, val, false);
}

int
mm_pt_update_preserve_ad(struct mm_domain *d, uint64_t pte_maddr,
    uint64_t val)
{
	return pt_update(d, pte_maddr, val, true);
}

/* A general reference on l1_mfn if it is a live L1 table of d's. */
static struct page_info *
live_l1_get(struct mm_domain *d, uint64_t l1_mfn, unsigned int slot)
{
	struct page_info *pg;

	if (slot >= MM_PT_ENTRIES || mm_pg_get(d, l1_mfn) != 0)
		return NULL;
	pg = mfn_page(l1_mfn);
	if (table_is_live(pg) && pg->type == MM_PGT_L1)
		return pg;
	mm_pg_put(d, pg);
	return NULL;
}

int
mm_l1_update(struct mm_domain *d, uint64_t l1_mfn, unsigned int slot,
    uint64_t val)
{
	struct page_info *pg;
	int rc;

	pg = live_l1_get(d, l1_mfn, slot);
	if (pg == NULL)
		return -XM_EINVAL;
	rc = entry_update(d, l1_mfn, 1, slot, val, false);
	mm_pg_put(d, pg);
	return rc;
}

/*
 * Grant mappings.  The caller holds the references the entry stands
 * for and both domains' locks; see mm.h.
 */
int
mm_l1_grant_install(struct mm_domain *d, uint64_t l1_mfn, unsigned int slot,
    uint64_t e)
{
	struct page_info *pg;
	uint64_t *p, old;
	int rc = 0;

	ASSERT(pte_is_grant(1, e) && mm_mfn_valid(MM_PTE_MFN(e)));
	ASSERT((e & ~MM_PTE_ADDR & ~MM_PTE_GRANT_FLAGS) == 0);
	pg = live_l1_get(d, l1_mfn, slot);
	if (pg == NULL) {
		mm_refuse(d, "grant mapping in mfn %#lx: not a live L1 table",
		    l1_mfn);
		return -XM_EINVAL;
	}
	p = (uint64_t *)mm_map_frame(l1_mfn) + slot;
	if (pte_is_grant(1, pte_read(p))) {
		mm_refuse(d, "grant mapping over grant mapping %u in mfn %#lx",
		    slot, l1_mfn);
		rc = -XM_EBUSY;
	} else {
		old = pte_swap(p, mm_pte_adjust(1, e), false);
		mm_shadow_entry_changed(d, l1_mfn, slot);
		mm_pte_put(d, 1, old);
	}
	mm_pg_put(d, pg);
	return rc;
}

int
mm_l1_grant_remove(struct mm_domain *d, uint64_t l1_mfn, unsigned int slot,
    uint64_t mfn, bool rw)
{
	struct page_info *pg;
	uint64_t *p, e;
	int rc = 0;

	pg = live_l1_get(d, l1_mfn, slot);
	if (pg == NULL)
		return -XM_EINVAL;
	p = (uint64_t *)mm_map_frame(l1_mfn) + slot;
	e = pte_read(p);
	if (!pte_is_grant(1, e) || MM_PTE_MFN(e) != mfn ||
	    ((e & MM_PTE_RW) != 0) != rw)
		rc = -XM_EINVAL;
	else {
		pte_write(p, 0);
		mm_shadow_entry_changed(d, l1_mfn, slot);
	}
	mm_pg_put(d, pg);
	return rc;
}

static bool
va_is_canonical(uint64_t va)
{
	return ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;
}

/* The table an entry of a validated table points to. */
static int
walk_step(uint64_t mfn, unsigned int level, uint64_t va, uint64_t *next)
{
	const uint64_t *t = mm_map_frame(mfn);
	unsigned int slot = (unsigned int)(va >> (12 + 9 * (level - 1))) & 511;
	uint64_t e;

	if (!slot_is_guest(level, slot))
		return -XM_EINVAL;
	e = pte_read(&t[slot]);
	if (!(e & MM_PTE_P) || (e & MM_PTE_PSE) ||
	    !mm_mfn_valid(MM_PTE_MFN(e)))
		return -XM_EINVAL;
	*next = MM_PTE_MFN(e);
	return 0;
}

int
mm_walk_to_l1(struct mm_domain *d, uint64_t l4_mfn, uint64_t va,
    uint64_t *l1_mfn, unsigned int *slot)
{
	const struct page_info *pg;
	uint64_t mfn = l4_mfn;
	unsigned int level;
	int rc;

	if (!va_is_canonical(va) || !mm_mfn_valid(l4_mfn))
		return -XM_EINVAL;
	pg = mfn_page(l4_mfn);
	if (page_owner(pg) != d->id || pg->type != MM_PGT_L4 ||
	    !table_is_live(pg))
		return -XM_EINVAL;
	for (level = 4; level > 1; level--) {
		rc = walk_step(mfn, level, va, &mfn);
		if (rc != 0)
			return rc;
	}
	*l1_mfn = mfn;
	*slot = (unsigned int)(va >> 12) & 511;
	return 0;
}

/* MMU_MACHPHYS_UPDATE: the guest says which of its pfns mfn is. */
int
mm_machphys_update(struct mm_domain *d, uint64_t mfn, uint64_t pfn)
{
	if (!mm_mfn_valid(mfn) || page_owner(mfn_page(mfn)) != d->id) {
		mm_refuse(d, "m2p update of mfn %#lx: not its frame", mfn);
		return -XM_EINVAL;
	}
	/* Log-dirty goes by pfn: the old one and the new one changed. */
	mm_mark_dirty(d, mfn);
	mm_m2p_set(mfn, pfn);
	mm_mark_dirty(d, mfn);
	return 0;
}
