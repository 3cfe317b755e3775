/*
 * The direct map of all the guest's frames, and a frame allocator on
 * top of it.
 *
 * hv maps only the bootstrap region (image, start_info, p2m, page
 * tables, stack and some padding).  mm_init() maps the remaining
 * frames by adding L1 tables under the L2 that maps the image, taking
 * the frames for them right after the bootstrap region.  Page-table
 * frames are mapped read-only everywhere, as hv insists; a new L1 is
 * filled through a scratch window that is gone again before it is
 * pinned.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>

#define REGION_PFNS		PT_ENTRIES	/* frames under one L1 */
#define BITMAP_WORDS		(MM_MAX_PFNS / 64)

xm_pfn_t	mm_nr_pfns;
xm_pfn_t	mm_first_free;

static uint64_t	mm_used[BITMAP_WORDS];		/* not free */
static uint64_t	mm_table[BITMAP_WORDS];		/* map read-only */
static xm_pfn_t	mm_hint;
static xm_pfn_t	mm_free_count;

static uint8_t	mm_scratch[PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));
static struct mmu_batch mm_batch;

static inline int
bit_test(const uint64_t *map, xm_pfn_t n)
{
	return (map[n / 64] >> (n % 64)) & 1;
}

static inline void
bit_set(uint64_t *map, xm_pfn_t n)
{
	map[n / 64] |= UINT64_C(1) << (n % 64);
}

static inline void
bit_clear(uint64_t *map, xm_pfn_t n)
{
	map[n / 64] &= ~(UINT64_C(1) << (n % 64));
}

static inline xm_pfn_t
max_pfn(xm_pfn_t a, xm_pfn_t b)
{
	return a > b ? a : b;
}

/* The pfn after the last page of [va, va + len), 0 if not ours. */
static xm_pfn_t
va_pfn_end(uint64_t va, uint64_t len)
{
	if (va < GUEST_VIRT_BASE || len == 0)
		return 0;
	return virt_to_pfn((const void *)(va + len - 1)) + 1;
}

static xm_pfn_t
mfn_end(xm_pfn_t mfn)
{
	xm_pfn_t pfn;

	if (mfn == 0)
		return 0;
	pfn = mfn_to_pfn(mfn);
	return pfn < guest_start_info->nr_pages ? pfn + 1 : 0;
}

/*
 * Mark the bootstrap page tables (every table reachable from pt_base
 * outside hv's slots) read-only and return the pfn after the last one.
 */
static xm_pfn_t
boot_tables_mark(xm_pfn_t pfn, int level)
{
	const uint64_t *t = pfn_to_virt(pfn);
	xm_pfn_t end = pfn + 1, child;
	unsigned int i;
	uint64_t e;

	bit_set(mm_table, pfn);
	if (level == 1)
		return end;
	for (i = 0; i < PT_ENTRIES; i++) {
		if (level == 4 && i >= 256 && i < 272)
			continue;
		e = t[i];
		if (!(e & PTE_P) || (e & PTE_PS))
			continue;
		child = mfn_to_pfn(PTE_MFN(e));
		if (child >= MM_MAX_PFNS ||
		    child >= guest_start_info->nr_pages)
			continue;
		end = max_pfn(end, boot_tables_mark(child, level - 1));
	}
	return end;
}

/* The first pfn that nothing hv set up at boot lives in. */
static xm_pfn_t
bootstrap_end(void)
{
	const struct xm_start_info *si = guest_start_info;
	xm_pfn_t end;

	end = boot_tables_mark(virt_to_pfn((void *)si->pt_base), 4);
	end = max_pfn(end, va_pfn_end((uint64_t)guest_image_start,
	    guest_image_end - guest_image_start));
	end = max_pfn(end, va_pfn_end((uint64_t)si, sizeof(*si)));
	end = max_pfn(end, va_pfn_end(si->mfn_list,
	    si->nr_pages * sizeof(xm_pfn_t)));
	end = max_pfn(end, va_pfn_end(guest_boot_sp - 1, 1));
	if (si->mod_start != 0 && (si->flags & XM_SIF_MOD_START_PFN))
		end = max_pfn(end, si->mod_start +
		    (si->mod_len + PAGE_SIZE - 1) / PAGE_SIZE);
	else if (si->mod_start != 0)
		end = max_pfn(end, va_pfn_end(si->mod_start, si->mod_len));
	if (!(si->flags & XM_SIF_INITDOMAIN)) {
		end = max_pfn(end, mfn_end(si->console.domU.mfn));
		end = max_pfn(end, mfn_end(si->store_mfn));
	}
	return end;
}

static uint64_t
direct_pte(xm_pfn_t pfn)
{
	return (pfn_to_mfn(pfn) << PAGE_SHIFT) |
	    (bit_test(mm_table, pfn) ? PTE_KERNEL_RO : PTE_KERNEL);
}

static uint64_t
region_va(xm_pfn_t region)
{
	return (uint64_t)pfn_to_virt(region * REGION_PFNS);
}

/*
 * In a region hv already has an L1 for: map what is missing, and take
 * write access away from frames about to become page tables.
 */
static int
region_complete(xm_pfn_t region, xm_pfn_t npfns)
{
	const volatile uint64_t *l1 = pt_entry(region_va(region), 1);
	uint64_t maddr = pt_entry_maddr(region_va(region), 1);
	xm_pfn_t pfn;
	unsigned int i;
	uint64_t e;

	if (l1 == NULL)
		return -XM_EFAULT;
	for (i = 0; i < REGION_PFNS; i++) {
		pfn = region * REGION_PFNS + i;
		if (pfn >= npfns)
			break;
		e = l1[i];
		if ((e & PTE_P) && !((e & PTE_RW) && bit_test(mm_table, pfn)))
			continue;
		mmu_batch_add(&mm_batch, maddr + i * sizeof(e),
		    direct_pte(pfn));
	}
	return mmu_batch_flush(&mm_batch);
}

/* A new L1 for a region, in frame l1pfn: fill, pin, hook into the L2. */
static int
region_build(xm_pfn_t region, xm_pfn_t l1pfn, xm_pfn_t npfns)
{
	uint64_t *t = (uint64_t *)mm_scratch;
	xm_pfn_t l1mfn = pfn_to_mfn(l1pfn), pfn;
	unsigned int i;
	int rc;

	rc = map_frame_at((uint64_t)mm_scratch, l1mfn, PTE_KERNEL);
	if (rc < 0)
		return rc;
	for (i = 0; i < REGION_PFNS; i++) {
		pfn = region * REGION_PFNS + i;
		t[i] = pfn < npfns ? direct_pte(pfn) : 0;
	}
	rc = map_frame_at((uint64_t)mm_scratch,
	    pfn_to_mfn(virt_to_pfn(mm_scratch)), PTE_KERNEL);
	if (rc < 0)
		return rc;
	rc = pin_table(1, l1mfn);
	if (rc < 0)
		return rc;
	return mmu_update_one(pt_entry_maddr(region_va(region), 2),
	    (l1mfn << PAGE_SHIFT) | PTE_TABLE);
}

static int
region_has_l1(xm_pfn_t region)
{
	const uint64_t *l2e = pt_entry(region_va(region), 2);

	return l2e != NULL && (*l2e & PTE_P);
}

/* Two passes: no frame may be writable anywhere when it is pinned. */
static int
direct_map_fill(xm_pfn_t npfns, xm_pfn_t l1_first)
{
	xm_pfn_t region, nregions = (npfns + REGION_PFNS - 1) / REGION_PFNS;
	int rc = 0;

	mmu_batch_init(&mm_batch);
	for (region = 0; region < nregions && rc == 0; region++)
		if (region_has_l1(region))
			rc = region_complete(region, npfns);
	for (region = 0; region < nregions && rc == 0; region++)
		if (!region_has_l1(region))
			rc = region_build(region, l1_first++, npfns);
	return rc;
}

int
mm_init(void)
{
	xm_pfn_t npfns = guest_start_info->nr_pages, first, nl1 = 0, pfn, r;
	int rc;

	if (mm_nr_pfns != 0)
		return 0;
	if (npfns > MM_MAX_PFNS)
		npfns = MM_MAX_PFNS;
	first = bootstrap_end();
	for (r = 0; r < (npfns + REGION_PFNS - 1) / REGION_PFNS; r++)
		if (!region_has_l1(r))
			nl1++;
	if (first + nl1 > npfns)
		return -XM_ENOMEM;
	for (pfn = 0; pfn < first + nl1; pfn++)
		bit_set(mm_used, pfn);
	for (pfn = first; pfn < first + nl1; pfn++)
		bit_set(mm_table, pfn);
	rc = direct_map_fill(npfns, first);
	if (rc < 0)
		return rc;
	mm_first_free = first;
	mm_hint = first + nl1;
	mm_free_count = npfns - mm_hint;
	mm_nr_pfns = npfns;
	return 0;
}

int
frame_alloc(xm_pfn_t *pfn)
{
	xm_pfn_t i, p;

	for (i = 0; i < mm_nr_pfns; i++) {
		p = (mm_hint + i) % mm_nr_pfns;
		if (!bit_test(mm_used, p)) {
			bit_set(mm_used, p);
			mm_hint = p + 1;
			mm_free_count--;
			*pfn = p;
			return 0;
		}
	}
	return -XM_ENOMEM;
}

void
frame_free(xm_pfn_t pfn)
{
	if (pfn < mm_first_free || pfn >= mm_nr_pfns ||
	    !bit_test(mm_used, pfn))
		return;
	bit_clear(mm_used, pfn);
	mm_free_count++;
}

xm_pfn_t
frames_free(void)
{
	return mm_free_count;
}

int
table_alloc(int level, xm_pfn_t *pfn)
{
	uint64_t va;
	xm_pfn_t p;
	int rc;

	rc = frame_alloc(&p);
	if (rc < 0)
		return rc;
	va = (uint64_t)pfn_to_virt(p);
	kmemset((void *)va, 0, PAGE_SIZE);
	rc = map_frame_at(va, pfn_to_mfn(p), PTE_KERNEL_RO);
	if (rc == 0)
		rc = pin_table(level, pfn_to_mfn(p));
	if (rc < 0) {
		(void)map_frame_at(va, pfn_to_mfn(p), PTE_KERNEL);
		frame_free(p);
		return rc;
	}
	bit_set(mm_table, p);
	*pfn = p;
	return 0;
}

int
table_free(xm_pfn_t pfn)
{
	int rc;

	rc = unpin_table(pfn_to_mfn(pfn));
	if (rc == 0)
		rc = map_frame_at((uint64_t)pfn_to_virt(pfn), pfn_to_mfn(pfn),
		    PTE_KERNEL);
	if (rc < 0)
		return rc;
	bit_clear(mm_table, pfn);
	frame_free(pfn);
	return 0;
}

int
pt_ensure(uint64_t va, int level)
{
	uint64_t *e, maddr;
	xm_pfn_t pfn;
	int l, rc;

	for (l = 3; l >= level; l--) {
		e = pt_entry(va, l + 1);
		maddr = pt_entry_maddr(va, l + 1);
		if (e == NULL || maddr == 0)
			return -XM_EFAULT;
		if (*e & PTE_P)
			continue;
		rc = table_alloc(l, &pfn);
		if (rc < 0)
			return rc;
		rc = mmu_update_one(maddr,
		    (pfn_to_mfn(pfn) << PAGE_SHIFT) | PTE_TABLE);
		if (rc < 0) {
			(void)table_free(pfn);
			return rc;
		}
	}
	return 0;
}
