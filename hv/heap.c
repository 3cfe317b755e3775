/*
 * hv's heap on top of the frame allocator. Objects up to 2 KiB come from
 * power-of-two size classes carved out of single frames; anything larger
 * takes whole frames. A 16-byte header before each object remembers its
 * class, so hv_free needs no size.
 */
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <hv/console.h>
#include <hv/heap.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/spinlock.h>

#define MIN_SHIFT	5		/* 32 bytes */
#define MAX_SHIFT	11		/* 2 KiB */
#define NR_CLASSES	(MAX_SHIFT - MIN_SHIFT + 1)
#define LARGE		0x80000000u

struct heap_hdr {
	uint32_t	cls;		/* class, or LARGE | frame order */
	uint32_t	magic;
	uint64_t	pad;
};
#define HEAP_MAGIC	0x68656170	/* "heap" */

struct free_obj {
	struct free_obj	*next;
};

static struct free_obj *free_lists[NR_CLASSES];
static spinlock_t heap_lock = SPINLOCK_INIT;

void *
hv_alloc_pages(unsigned int order)
{
	int64_t mfn = mm_alloc_frames(order);
	void *p;

	if (mfn < 0)
		return NULL;
	p = phys_to_virt((uint64_t)mfn << PAGE_SHIFT);
	kmemset(p, 0, PAGE_SIZE << order);
	return p;
}

void
hv_free_pages(void *p, unsigned int order)
{
	mm_free_frames(virt_to_phys(p) >> PAGE_SHIFT, order);
}

static int
refill(unsigned int cls)
{
	size_t size = (size_t)1 << (cls + MIN_SHIFT);
	uint8_t *page = hv_alloc_pages(0);
	size_t off;

	if (page == NULL)
		return -1;
	for (off = 0; off + size <= PAGE_SIZE; off += size) {
		struct free_obj *o = (struct free_obj *)(page + off);

		o->next = free_lists[cls];
		free_lists[cls] = o;
	}
	return 0;
}

static void *
alloc_large(size_t total)
{
	unsigned int order = 0;
	struct heap_hdr *h;

	while ((PAGE_SIZE << order) < total)
		order++;
	h = hv_alloc_pages(order);
	if (h == NULL)
		return NULL;
	h->cls = LARGE | order;
	h->magic = HEAP_MAGIC;
	return h + 1;
}

void *
hv_alloc(size_t n)
{
	size_t total = n + sizeof(struct heap_hdr);
	unsigned int cls = 0;
	struct heap_hdr *h;

	if (total > ((size_t)1 << MAX_SHIFT))
		return alloc_large(total);
	while (((size_t)1 << (cls + MIN_SHIFT)) < total)
		cls++;
	spin_lock(&heap_lock);
	if (free_lists[cls] == NULL && refill(cls) != 0) {
		spin_unlock(&heap_lock);
		return NULL;
	}
	h = (struct heap_hdr *)free_lists[cls];
	free_lists[cls] = free_lists[cls]->next;
	spin_unlock(&heap_lock);
	kmemset(h, 0, (size_t)1 << (cls + MIN_SHIFT));
	h->cls = cls;
	h->magic = HEAP_MAGIC;
	return h + 1;
}

void
hv_free(void *p)
{
	struct heap_hdr *h;
	struct free_obj *o;
	uint32_t cls;

	if (p == NULL)
		return;
	h = (struct heap_hdr *)p - 1;
	ASSERT(h->magic == HEAP_MAGIC);
	h->magic = 0;
	cls = h->cls;
	if (cls & LARGE) {
		hv_free_pages(h, cls & ~LARGE);
		return;
	}
	ASSERT(cls < NR_CLASSES);
	o = (struct free_obj *)h;	/* the header is reused as the link */
	spin_lock(&heap_lock);
	o->next = free_lists[cls];
	free_lists[cls] = o;
	spin_unlock(&heap_lock);
}
