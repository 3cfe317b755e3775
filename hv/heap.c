/*
 * hv's heap on top of the frame allocator. Objects up to 2 KiB come from
 * power-of-two size classes, each object in a page ("slab") of its class
 * that keeps its own free list and count; a page whose last object is
 * freed goes back to the frame allocator, so that destroying a domain
 * gives every frame back. Anything larger takes whole frames. A 16-byte
 * header before each object names its class, so hv_free needs no size.
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
#define HEAP_MAGIC	0x68656170	/* "heap" */
/*
 * Freed objects are filled with this: a pointer read from one after it
 * was freed is not canonical, so a use after free faults in hv at once
 * instead of going on with stale data.
 */
#define FREE_POISON	0xdb

struct heap_hdr {
	uint32_t	cls;		/* class, or LARGE | frame order */
	uint32_t	magic;
	uint64_t	pad;
};

struct free_obj {
	struct free_obj	*next;
};

/* At the start of every slab page; objects follow, class-aligned. */
struct slab {
	struct slab	*next, *prev;	/* the class's pages with room */
	struct free_obj	*free;
	uint32_t	used;
	uint32_t	cls;
};

static struct slab *partial[NR_CLASSES];
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

static size_t
class_size(unsigned int cls)
{
	return (size_t)1 << (cls + MIN_SHIFT);
}

static void
partial_add(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->cls];
	if (s->next != NULL)
		s->next->prev = s;
	partial[s->cls] = s;
}

static void
partial_remove(struct slab *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
}

static struct slab *
slab_new(unsigned int cls)
{
	size_t size = class_size(cls);
	size_t first = (sizeof(struct slab) + size - 1) & ~(size - 1);
	struct slab *s = hv_alloc_pages(0);
	size_t off;

	if (s == NULL)
		return NULL;
	s->cls = cls;
	for (off = PAGE_SIZE - size; off >= first; off -= size) {
		struct free_obj *o = (struct free_obj *)((uint8_t *)s + off);

		o->next = s->free;
		s->free = o;
		if (off < size)
			break;
	}
	partial_add(s);
	return s;
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
	struct slab *s;

	if (total > class_size(NR_CLASSES - 1))
		return alloc_large(total);
	while (class_size(cls) < total)
		cls++;
	spin_lock(&heap_lock);
	s = partial[cls];
	if (s == NULL && (s = slab_new(cls)) == NULL) {
		spin_unlock(&heap_lock);
		return NULL;
	}
	h = (struct heap_hdr *)s->free;
	s->free = s->free->next;
	if (++s->used && s->free == NULL)
		partial_remove(s);
	spin_unlock(&heap_lock);
	kmemset(h, 0, class_size(cls));
	h->cls = cls;
	h->magic = HEAP_MAGIC;
	return h + 1;
}

void
hv_free(void *p)
{
	struct heap_hdr *h;
	struct free_obj *o;
	struct slab *s;
	uint32_t cls;

	if (p == NULL)
		return;
	h = (struct heap_hdr *)p - 1;
	ASSERT(h->magic == HEAP_MAGIC);
	h->magic = 0;
	cls = h->cls;
	if (cls & LARGE) {
		kmemset(p, FREE_POISON, (PAGE_SIZE << (cls & ~LARGE)) -
		    sizeof(*h));
		hv_free_pages(h, cls & ~LARGE);
		return;
	}
	ASSERT(cls < NR_CLASSES);
	kmemset(p, FREE_POISON, class_size(cls) - sizeof(*h));
	s = (struct slab *)((uint64_t)h & PAGE_MASK);
	o = (struct free_obj *)h;	/* the header is reused as the link */
	spin_lock(&heap_lock);
	if (s->free == NULL)
		partial_add(s);		/* it was full */
	o->next = s->free;
	s->free = o;
	if (--s->used == 0) {
		partial_remove(s);
		hv_free_pages(s, 0);
	}
	spin_unlock(&heap_lock);
}
