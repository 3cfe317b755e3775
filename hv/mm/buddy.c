/*
 * The buddy allocator for machine frames.  Free memory is kept in
 * naturally aligned blocks of 2^order frames, one free list per order,
 * linked through the head frame's page_info.  Allocating splits a larger
 * block, freeing merges a block with its buddy (the block it was split
 * from) for as long as the buddy is free too; both are O(MM_MAX_ORDER).
 *
 * A free block's head is owned by MM_OWNER_FREE and has PGF_FREE_HEAD
 * and its order; the other frames of the block stay hv's, as they were
 * when the block was freed.  A frame owned by MM_OWNER_FREE is only
 * touched with the heap lock held, which is what makes it safe to look
 * at a buddy that may be some domain's frame: its owner is read first.
 */
#include <stddef.h>
#include <stdint.h>

#include "mm_internal.h"

static uint32_t	free_head[MM_MAX_ORDER + 1];
static uint64_t	free_frames;

void
mm_heap_reset(void)
{
	unsigned int o;

	for (o = 0; o <= MM_MAX_ORDER; o++)
		free_head[o] = MM_NIL;
	free_frames = 0;
}

static void
list_push(uint64_t mfn, unsigned int order)
{
	struct page_info *pg = mfn_page(mfn);

	pg->order = (uint8_t)order;
	pg->flags = PGF_FREE_HEAD;
	pg->prev = MM_NIL;
	pg->next = free_head[order];
	if (free_head[order] != MM_NIL)
		mfn_page(free_head[order])->prev = (uint32_t)mfn;
	free_head[order] = (uint32_t)mfn;
	page_set_owner(pg, MM_OWNER_FREE);
}

static void
list_remove(struct page_info *pg, unsigned int order)
{
	if (pg->prev != MM_NIL)
		mfn_page(pg->prev)->next = pg->next;
	else
		free_head[order] = pg->next;
	if (pg->next != MM_NIL)
		mfn_page(pg->next)->prev = pg->prev;
	pg->next = pg->prev = MM_NIL;
	pg->flags = 0;
	pg->order = 0;
	page_set_owner(pg, MM_OWNER_XEN);
}

/* The free block of this order whose head is mfn, if there is one. */
static struct page_info *
free_block(uint64_t mfn, unsigned int order)
{
	struct page_info *pg;

	if (mfn >= mm_max_mfn)
		return NULL;
	pg = mfn_page(mfn);
	if (page_owner(pg) != MM_OWNER_FREE)
		return NULL;
	if (!(pg->flags & PGF_FREE_HEAD) || pg->order != order)
		return NULL;
	return pg;
}

int64_t
mm_alloc_frames(unsigned int order)
{
	unsigned int o;
	uint64_t mfn;

	if (order > MM_MAX_ORDER)
		return -1;
	mm_heap_lock();
	for (o = order; o <= MM_MAX_ORDER && free_head[o] == MM_NIL; o++)
		continue;
	if (o > MM_MAX_ORDER) {
		mm_heap_unlock();
		return -1;
	}
	mfn = free_head[o];
	list_remove(mfn_page(mfn), o);
	while (o > order) {
		o--;
		list_push(mfn + (UINT64_C(1) << o), o);
	}
	free_frames -= UINT64_C(1) << order;
	mm_heap_unlock();
	return (int64_t)mfn;
}

void
mm_free_frames(uint64_t mfn, unsigned int order)
{
	const struct page_info *pg;
	struct page_info *buddy;

	ASSERT(order <= MM_MAX_ORDER);
	ASSERT((mfn & ((UINT64_C(1) << order) - 1)) == 0);
	ASSERT(mfn + (UINT64_C(1) << order) <= mm_max_mfn);
	pg = mfn_page(mfn);
	ASSERT(page_owner(pg) == MM_OWNER_XEN);
	ASSERT(pg->count == 0 && pg->type_count == 0);

	mm_heap_lock();
	free_frames += UINT64_C(1) << order;
	while (order < MM_MAX_ORDER) {
		buddy = free_block(mfn ^ (UINT64_C(1) << order), order);
		if (buddy == NULL)
			break;
		list_remove(buddy, order);
		mfn &= ~(UINT64_C(1) << order);
		order++;
	}
	list_push(mfn, order);
	mm_heap_unlock();
}

/* The largest aligned block at mfn that fits in count frames. */
static unsigned int
fit_order(uint64_t mfn, uint64_t count)
{
	unsigned int order = 0;

	while (order < MM_MAX_ORDER &&
	    (mfn & ((UINT64_C(2) << order) - 1)) == 0 &&
	    (UINT64_C(2) << order) <= count)
		order++;
	return order;
}

void
mm_heap_add(uint64_t first_mfn, uint64_t count)
{
	unsigned int order;

	if (first_mfn >= mm_max_mfn)
		return;
	if (count > mm_max_mfn - first_mfn)
		count = mm_max_mfn - first_mfn;
	while (count > 0) {
		order = fit_order(first_mfn, count);
		mm_free_frames(first_mfn, order);
		first_mfn += UINT64_C(1) << order;
		count -= UINT64_C(1) << order;
	}
}

uint64_t
mm_free_count(void)
{
	uint64_t n;

	mm_heap_lock();
	n = free_frames;
	mm_heap_unlock();
	return n;
}
