/*
 * Page types and their reference counts, pinning and base pointers.
 *
 * A frame's type can change only while nobody holds a reference to its
 * current type; the first reference to a page-table or descriptor type
 * validates the contents, the last reference to a page-table type
 * devalidates them.  The type survives its count reaching zero, so that
 * a change of type can be noticed: whenever a frame that had a type
 * takes another one, translations cached from its old use (a writable
 * mapping of a future page table, a paging-structure cache entry of a
 * former one) are flushed before the new use is trusted.
 */
#include <stdbool.h>
#include <stdint.h>

#include "mm_internal.h"

static const char *const type_names[] = {
	[MM_PGT_NONE] = "none",
	[MM_PGT_L1] = "L1",
	[MM_PGT_L2] = "L2",
	[MM_PGT_L3] = "L3",
	[MM_PGT_L4] = "L4",
	[MM_PGT_SEG_DESC] = "descriptor",
	[MM_PGT_WRITABLE] = "writable",
};

static int
validate(struct mm_domain *d, struct page_info *pg)
{
	uint64_t mfn = page_mfn(pg);

	switch (pg->type) {
	case MM_PGT_L1:
	case MM_PGT_L2:
	case MM_PGT_L3:
	case MM_PGT_L4:
		return mm_table_validate(d, mfn, pg->type);
	case MM_PGT_SEG_DESC:
		return mm_check_seg_desc_page(mm_map_frame(mfn));
	default:
		return 0;
	}
}

/* Whether PAGE_INFO tells the two types apart: not none from writable. */
static bool
type_shown(enum mm_pgt a, enum mm_pgt b)
{
	bool plain_a = a == MM_PGT_NONE || a == MM_PGT_WRITABLE;
	bool plain_b = b == MM_PGT_NONE || b == MM_PGT_WRITABLE;

	return !(plain_a && plain_b) && a != b;
}

/*
 * A live migration reads each frame's type again only when log-dirty
 * says the frame changed (as Xen dirties a page table whose type goes):
 * a change PAGE_INFO shows marks it.
 */
static void
type_change(struct mm_domain *d, struct page_info *pg, enum mm_pgt type)
{
	if (pg->type != MM_PGT_NONE)
		mm_tlb_flush_domain(d);
	if (type_shown(pg->type, type))
		mm_mark_dirty(d, page_mfn(pg));
	pg->type = (uint8_t)type;
	pg->flags &= ~PGF_VALIDATED;
}

/*
 * Asking an L(n+1) table for Ln is how a guest probes for linear page
 * tables; that refusal is expected and not worth a log line.
 */
static void
refuse_type(struct mm_domain *d, const struct page_info *pg,
    enum mm_pgt type)
{
	if (page_is_pt(pg) && (int)type == pg->type - 1)
		return;
	mm_refuse(d, "mfn %#lx is %s, not %s", page_mfn(pg),
	    type_names[pg->type], type_names[type]);
}

int
mm_type_get(struct mm_domain *d, struct page_info *pg, enum mm_pgt type)
{
	int rc;

	if (pg->type_count == 0) {
		if (pg->type != type)
			type_change(d, pg, type);
	} else if (pg->type != type) {
		refuse_type(d, pg, type);
		return -XM_EINVAL;
	} else if (!(pg->flags & PGF_VALIDATED)) {
		/* Being validated further up this very call chain. */
		return -XM_EINVAL;
	}
	if (pg->type_count >= MM_REF_MAX) {
		mm_refuse(d, "mfn %#lx: too many type references",
		    page_mfn(pg));
		return -XM_EINVAL;
	}
	pg->type_count++;
	if (pg->flags & PGF_VALIDATED)
		return 0;
	rc = validate(d, pg);
	if (rc != 0) {
		pg->type_count--;
		if (type_shown(pg->type, MM_PGT_NONE))
			mm_mark_dirty(d, page_mfn(pg));
		pg->type = MM_PGT_NONE;
		return rc;
	}
	pg->flags |= PGF_VALIDATED;
	return 0;
}

void
mm_type_put(struct mm_domain *d, struct page_info *pg)
{
	ASSERT(pg->type_count > 0);
	if (pg->type_count == 1 && page_is_pt(pg) &&
	    (pg->flags & PGF_VALIDATED)) {
		pg->flags &= ~PGF_VALIDATED;
		mm_table_devalidate(d, page_mfn(pg), pg->type);
	}
	pg->type_count--;
}

/* Tear-down only: drop what the entries hold, whoever holds the table. */
void
mm_type_force_devalidate(struct mm_domain *d, struct page_info *pg)
{
	ASSERT(d->dying && page_is_pt(pg) && (pg->flags & PGF_VALIDATED));
	pg->flags &= ~PGF_VALIDATED;
	mm_table_devalidate(d, page_mfn(pg), pg->type);
}

int
mm_pgtype_get(struct mm_domain *d, uint64_t mfn, enum mm_pgt type)
{
	int rc;

	rc = mm_pg_get(d, mfn);
	if (rc != 0)
		return rc;
	rc = mm_type_get(d, mfn_page(mfn), type);
	if (rc != 0)
		mm_pg_put(d, mfn_page(mfn));
	return rc;
}

void
mm_pgtype_put(struct mm_domain *d, struct page_info *pg)
{
	mm_type_put(d, pg);
	mm_pg_put(d, pg);
}

int
mm_get_page_and_type(struct mm_domain *d, uint64_t mfn, enum mm_pgt type)
{
	if (type == MM_PGT_NONE || type > MM_PGT_WRITABLE)
		return -XM_EINVAL;
	return mm_pgtype_get(d, mfn, type);
}

void
mm_put_page_and_type(struct mm_domain *d, uint64_t mfn)
{
	ASSERT(mfn < mm_max_mfn && page_owner(mfn_page(mfn)) == d->id);
	mm_pgtype_put(d, mfn_page(mfn));
}

/*
 * MMUEXT_PIN_Ln_TABLE: a type reference that keeps the table validated
 * while nothing else uses it.  A frame is pinned at most once.
 */
int
mm_pin(struct mm_domain *d, uint64_t mfn, enum mm_pgt level)
{
	struct page_info *pg;
	int rc;

	if (level < MM_PGT_L1 || level > MM_PGT_L4)
		return -XM_EINVAL;
	rc = mm_pgtype_get(d, mfn, level);
	if (rc != 0) {
		mm_refuse(d, "pin of mfn %#lx as %s failed (%d)", mfn,
		    type_names[level], rc);
		return rc;
	}
	pg = mfn_page(mfn);
	if (pg->flags & PGF_PINNED) {
		mm_pgtype_put(d, pg);
		mm_refuse(d, "mfn %#lx already pinned", mfn);
		return -XM_EINVAL;
	}
	pg->flags |= PGF_PINNED;
	mm_mark_dirty(d, mfn);		/* PAGE_INFO shows the pin */
	return 0;
}

int
mm_unpin(struct mm_domain *d, uint64_t mfn)
{
	struct page_info *pg;

	if (mm_pg_get(d, mfn) != 0) {
		mm_refuse(d, "unpin of mfn %#lx: not its frame", mfn);
		return -XM_EINVAL;
	}
	pg = mfn_page(mfn);
	if (!(pg->flags & PGF_PINNED)) {
		mm_pg_put(d, pg);
		mm_refuse(d, "unpin of mfn %#lx: not pinned", mfn);
		return -XM_EINVAL;
	}
	pg->flags &= ~PGF_PINNED;
	mm_mark_dirty(d, mfn);
	mm_pgtype_put(d, pg);
	mm_pg_put(d, pg);
	return 0;
}

/* MMUEXT_NEW_BASEPTR and NEW_USER_BASEPTR: what a vCPU runs on. */
int
mm_get_base_table(struct mm_domain *d, uint64_t l4_mfn)
{
	int rc;

	rc = mm_pgtype_get(d, l4_mfn, MM_PGT_L4);
	if (rc != 0)
		mm_refuse(d, "mfn %#lx cannot be a base table (%d)", l4_mfn,
		    rc);
	return rc;
}

void
mm_put_base_table(struct mm_domain *d, uint64_t l4_mfn)
{
	mm_put_page_and_type(d, l4_mfn);
}
