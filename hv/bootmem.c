/*
 * Boot-time memory. Ranges are kept in frames, sorted and disjoint;
 * reserving splits them, allocating takes from the top of the highest
 * range so that low memory (the APs' trampoline, later DMA) stays free.
 */
#include <stdbool.h>
#include <stdint.h>

#include <hv/bootmem.h>
#include <hv/console.h>
#include <hv/layout.h>

static struct bootmem_range ranges[BOOTMEM_MAX_RANGES];
static unsigned int nr_ranges;
static uint64_t max_mfn;
static uint64_t ceiling = ~0ULL;	/* frames at or above are not given */

static void
range_remove(unsigned int i)
{
	for (; i + 1 < nr_ranges; i++)
		ranges[i] = ranges[i + 1];
	nr_ranges--;
}

static void
range_insert(unsigned int i, uint64_t start, uint64_t end)
{
	unsigned int j;

	if (nr_ranges == BOOTMEM_MAX_RANGES) {
		log_warn("bootmem: too many ranges, dropping %#lx-%#lx",
		    start << PAGE_SHIFT, end << PAGE_SHIFT);
		return;
	}
	for (j = nr_ranges; j > i; j--)
		ranges[j] = ranges[j - 1];
	ranges[i].start = start;
	ranges[i].end = end;
	nr_ranges++;
}

/* The RAM ranges as the loader reported them, for mm_frame_is_ram. */
static struct bootmem_range ram[BOOTMEM_MAX_RANGES];
static unsigned int nr_ram;

bool
bootmem_is_ram(uint64_t mfn)
{
	unsigned int i;

	for (i = 0; i < nr_ram; i++)
		if (mfn >= ram[i].start && mfn < ram[i].end)
			return true;
	return false;
}

void
bootmem_init(const struct mb2_boot *b)
{
	unsigned int i, j;

	nr_ranges = 0;
	for (i = 0; i < b->nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &b->mmap[i];
		uint64_t s = (e->base + PAGE_SIZE - 1) >> PAGE_SHIFT;
		uint64_t t = (e->base + e->length) >> PAGE_SHIFT;

		if (e->type != MB2_MEM_AVAILABLE || t <= s)
			continue;
		for (j = 0; j < nr_ranges && ranges[j].start < s; j++)
			;
		range_insert(j, s, t);
		if (nr_ram < BOOTMEM_MAX_RANGES)
			ram[nr_ram++] = (struct bootmem_range){ s, t };
		if (t > max_mfn)
			max_mfn = t;
	}
	/* The first MiB holds the BIOS's data and the APs' trampoline. */
	bootmem_reserve(0, 0x100000);
}

void
bootmem_reserve(uint64_t start_pa, uint64_t end_pa)
{
	uint64_t s = start_pa >> PAGE_SHIFT;
	uint64_t t = (end_pa + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned int i;

	for (i = 0; i < nr_ranges;) {
		struct bootmem_range *r = &ranges[i];

		if (t <= r->start || s >= r->end) {
			i++;
		} else if (s <= r->start && t >= r->end) {
			range_remove(i);
		} else if (s <= r->start) {
			r->start = t;
			i++;
		} else if (t >= r->end) {
			r->end = s;
			i++;
		} else {
			uint64_t end = r->end;

			r->end = s;
			range_insert(i + 1, t, end);
			i += 2;
		}
	}
}

uint64_t
bootmem_alloc(uint64_t nr_frames)
{
	unsigned int i;

	for (i = nr_ranges; i-- > 0;) {
		struct bootmem_range *r = &ranges[i];
		uint64_t end = r->end < ceiling ? r->end : ceiling;
		uint64_t first;

		if (end <= r->start || end - r->start < nr_frames)
			continue;
		first = end - nr_frames;
		if (end == r->end)
			r->end = first;
		else
			bootmem_reserve(first << PAGE_SHIFT, end << PAGE_SHIFT);
		return first << PAGE_SHIFT;
	}
	hv_panic("out of boot memory allocating %lu frames", nr_frames);
}

void
bootmem_set_ceiling(uint64_t pa)
{
	ceiling = pa >> PAGE_SHIFT;
}

uint64_t
bootmem_max_mfn(void)
{
	return max_mfn;
}

unsigned int
bootmem_ranges(const struct bootmem_range **out)
{
	*out = ranges;
	return nr_ranges;
}

void
bootmem_release_all(void (*give)(uint64_t first, uint64_t count))
{
	unsigned int i;

	for (i = 0; i < nr_ranges; i++)
		if (ranges[i].end > ranges[i].start)
			give(ranges[i].start, ranges[i].end - ranges[i].start);
	nr_ranges = 0;
}
