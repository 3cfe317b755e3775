/*
 * The frame table and the frames each domain owns: general references,
 * the owner's page list, allocation, and giving everything back when the
 * domain dies.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>

#include "mm_internal.h"

struct page_info	*mm_frame_table;
uint64_t		 mm_max_mfn;

void
mm_frame_table_init(struct page_info *table, uint64_t nr_frames)
{
	struct page_info *pg;
	uint64_t mfn;

	ASSERT(nr_frames <= MM_MAX_FRAMES);
	mm_frame_table = table;
	mm_max_mfn = nr_frames;
	for (mfn = 0; mfn < nr_frames; mfn++) {
		pg = &table[mfn];
		pg->next = pg->prev = MM_NIL;
		pg->count = pg->type_count = 0;
		pg->type = MM_PGT_NONE;
		pg->flags = 0;
		pg->order = 0;
		pg->shadow = 0;
		page_set_owner(pg, MM_OWNER_XEN);
	}
	mm_heap_reset();
}

bool
mm_mfn_valid(uint64_t mfn)
{
	return mfn < mm_max_mfn && mm_frame_is_ram(mfn);
}

const struct page_info *
mm_page_info(uint64_t mfn)
{
	return mm_mfn_valid(mfn) ? mfn_page(mfn) : NULL;
}

/*
 * The owner's page list.
 */

static void
list_add_tail(struct mm_domain *d, struct page_info *pg)
{
	uint32_t mfn = (uint32_t)page_mfn(pg);

	pg->next = MM_NIL;
	pg->prev = d->tail;
	if (d->tail != MM_NIL)
		mfn_page(d->tail)->next = mfn;
	else
		d->head = mfn;
	d->tail = mfn;
	d->frames_gen++;
}

static void
list_del(struct mm_domain *d, struct page_info *pg)
{
	if (pg->prev != MM_NIL)
		mfn_page(pg->prev)->next = pg->next;
	else
		d->head = pg->next;
	if (pg->next != MM_NIL)
		mfn_page(pg->next)->prev = pg->prev;
	else
		d->tail = pg->prev;
	pg->next = pg->prev = MM_NIL;
	d->frames_gen++;
}

/* Make a frame hv's again: off d's list, counted out, m2p forgotten. */
static void
page_disown(struct mm_domain *d, struct page_info *pg)
{
	ASSERT(pg->count == 0 && pg->type_count == 0);
	list_del(d, pg);
	d->tot_pages--;
	pg->type = MM_PGT_NONE;
	pg->flags = 0;
	page_set_owner(pg, MM_OWNER_XEN);
	mm_m2p_set(page_mfn(pg), MM_M2P_INVALID);
	/* Stale translations must not outlive the frame's ownership. */
	if (!d->dying)
		mm_tlb_flush_domain(d);
}

/*
 * General references.
 */

int
mm_pg_get(struct mm_domain *d, uint64_t mfn)
{
	struct page_info *pg;

	if (!mm_mfn_valid(mfn))
		return -XM_EINVAL;
	pg = mfn_page(mfn);
	if (page_owner(pg) != d->id || pg->count == 0)
		return -XM_EINVAL;
	if (pg->count >= MM_REF_MAX) {
		mm_refuse(d, "mfn %#lx: too many references", mfn);
		return -XM_EINVAL;
	}
	pg->count++;
	return 0;
}

void
mm_pg_put(struct mm_domain *d, struct page_info *pg)
{
	ASSERT(pg->count > 0);
	if (--pg->count > 0)
		return;
	page_disown(d, pg);
	mm_free_frames(page_mfn(pg), 0);
}

int
mm_get_page(struct mm_domain *d, uint64_t mfn)
{
	return mm_pg_get(d, mfn);
}

void
mm_put_page(struct mm_domain *d, uint64_t mfn)
{
	ASSERT(mfn < mm_max_mfn && page_owner(mfn_page(mfn)) == d->id);
	mm_pg_put(d, mfn_page(mfn));
}

/*
 * Allocation.
 */

void
mm_domain_init(struct mm_domain *d, uint16_t id, uint64_t max_pages)
{
	ASSERT(id < XM_DOMID_FIRST_RESERVED);
	d->id = id;
	d->dying = false;
	d->head = d->tail = MM_NIL;
	d->tot_pages = 0;
	d->max_pages = max_pages;
	d->frames_gen = 0;
}

int
mm_domain_assign(struct mm_domain *d, uint64_t mfn)
{
	struct page_info *pg;

	ASSERT(mfn < mm_max_mfn);
	pg = mfn_page(mfn);
	ASSERT(page_owner(pg) == MM_OWNER_XEN && pg->count == 0);
	if (d->dying)
		return -XM_EINVAL;
	if (d->tot_pages >= d->max_pages)
		return -XM_ENOMEM;
	pg->count = 1;
	pg->type_count = 0;
	pg->type = MM_PGT_NONE;
	pg->flags = PGF_ALLOCATED;
	list_add_tail(d, pg);
	d->tot_pages++;
	page_set_owner(pg, d->id);
	return 0;
}

int
mm_domain_unassign(struct mm_domain *d, uint64_t mfn)
{
	struct page_info *pg;

	if (!mm_mfn_valid(mfn) || page_owner(mfn_page(mfn)) != d->id)
		return -XM_EINVAL;
	pg = mfn_page(mfn);
	if (pg->count != 1 || !(pg->flags & PGF_ALLOCATED) ||
	    pg->type_count != 0)
		return -XM_EBUSY;
	pg->count = 0;
	page_disown(d, pg);
	return 0;
}

int64_t
mm_domain_alloc_frame(struct mm_domain *d)
{
	int64_t mfn;
	int rc;

	if (d->dying)
		return -XM_EINVAL;
	if (d->tot_pages >= d->max_pages)
		return -XM_ENOMEM;
	mfn = mm_alloc_frames(0);
	if (mfn < 0)
		return -XM_ENOMEM;
	/* Nothing of the frame's last owner may show through. */
	kmemset(mm_map_frame((uint64_t)mfn), 0, 4096);
	rc = mm_domain_assign(d, (uint64_t)mfn);
	if (rc != 0) {
		mm_free_frames((uint64_t)mfn, 0);
		return rc;
	}
	return mfn;
}

/* decrease_reservation: the guest lets go of a frame. */
int
mm_domain_free_frame(struct mm_domain *d, uint64_t mfn)
{
	struct page_info *pg;

	if (!mm_mfn_valid(mfn) || page_owner(mfn_page(mfn)) != d->id) {
		mm_refuse(d, "free of mfn %#lx: not its frame", mfn);
		return -XM_EINVAL;
	}
	pg = mfn_page(mfn);
	if (!(pg->flags & PGF_ALLOCATED)) {
		mm_refuse(d, "free of mfn %#lx: already freed", mfn);
		return -XM_EINVAL;
	}
	if (pg->flags & PGF_PINNED) {
		pg->flags &= ~PGF_PINNED;
		mm_pgtype_put(d, pg);
	}
	mm_mark_dirty(d, mfn);		/* PAGE_INFO: no longer its */
	pg->flags &= ~PGF_ALLOCATED;
	mm_pg_put(d, pg);
	return 0;
}

/*
 * Tear-down.  Pins go first; then every table still validated (held by
 * a base pointer, or by a table that is itself held) is devalidated by
 * force, which drops every reference one frame of d holds on another;
 * last the allocation references go, freeing each frame nobody outside
 * holds.  A frame always survives its own devalidation (its type
 * references come with general ones), so walking the list is safe as
 * long as the next link is read after a frame is done with, and before
 * a frame may be freed.
 */

/*
 * A pinned frame the guest already gave back (decrease_reservation,
 * then a pin) may be held by its pin alone: its put frees it and takes
 * it off the list, next link and all.  A reference of our own keeps it
 * until its next link has been read.
 */
static void
release_pins(struct mm_domain *d)
{
	struct page_info *pg;
	uint32_t i, next;

	for (i = d->head; i != MM_NIL; i = next) {
		pg = mfn_page(i);
		if (!(pg->flags & PGF_PINNED)) {
			next = pg->next;
			continue;
		}
		pg->flags &= ~PGF_PINNED;
		pg->count++;
		mm_pgtype_put(d, pg);
		next = pg->next;
		mm_pg_put(d, pg);
	}
}

static void
release_tables(struct mm_domain *d)
{
	struct page_info *pg;
	uint32_t i;

	for (i = d->head; i != MM_NIL; i = pg->next) {
		pg = mfn_page(i);
		if (page_is_pt(pg) && (pg->flags & PGF_VALIDATED))
			mm_type_force_devalidate(d, pg);
	}
}

static void
release_allocations(struct mm_domain *d)
{
	struct page_info *pg;
	uint32_t i, next;

	for (i = d->head; i != MM_NIL; i = next) {
		pg = mfn_page(i);
		next = pg->next;
		if (pg->flags & PGF_ALLOCATED) {
			pg->flags &= ~PGF_ALLOCATED;
			mm_pg_put(d, pg);
		}
	}
}

uint64_t
mm_domain_release_all(struct mm_domain *d)
{
	d->dying = true;
	/* Once, for every frame freed below: the vCPUs no longer run. */
	mm_tlb_flush_domain(d);
	release_pins(d);
	release_tables(d);
	release_allocations(d);
	if (d->tot_pages != 0)
		log_info("d%u: %lu frames still referenced after release",
		    (unsigned)d->id, d->tot_pages);
	return d->tot_pages;
}
