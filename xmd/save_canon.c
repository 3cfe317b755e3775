/* Page tables between mfns and pfns for save and restore (save_canon.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/arch_x86_64.h>

#include "save_canon.h"

#define PTE_P		UINT64_C(0x1)
#define PTE_ADDR	UINT64_C(0x000ffffffffff000)
#define PAGE_SHIFT	12
#define MFN_MAX		(PTE_ADDR >> PAGE_SHIFT)
/* hv's part of every L4: the slots of [VIRT_START, VIRT_END). */
#define HV_SLOT_FIRST	((XM_HYPERVISOR_VIRT_START >> 39) & 511)
#define HV_SLOT_END	((XM_HYPERVISOR_VIRT_END >> 39) & 511)

static int
by_mfn(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
canon_map_init(struct canon_map *m, const uint64_t *mfns,
    const uint64_t *pfns, size_t n)
{
	size_t i;

	m->cm_n = n;
	if ((m->cm_pairs = calloc(2 * n + 2, sizeof(uint64_t))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		m->cm_pairs[2 * i] = mfns[i];
		m->cm_pairs[2 * i + 1] = pfns[i];
	}
	qsort(m->cm_pairs, n, 2 * sizeof(uint64_t), by_mfn);
	return 0;
}

void
canon_map_free(struct canon_map *m)
{
	free(m->cm_pairs);
	m->cm_pairs = NULL;
	m->cm_n = 0;
}

int
canon_pfn(const struct canon_map *m, uint64_t mfn, uint64_t *pfn)
{
	const uint64_t *p = bsearch(&mfn, m->cm_pairs, m->cm_n,
	    2 * sizeof(uint64_t), by_mfn);

	if (p == NULL)
		return -1;
	*pfn = p[1];
	return 0;
}

static int
hv_slot(unsigned int level, unsigned int i)
{
	return level == 4 && i >= HV_SLOT_FIRST && i < HV_SLOT_END;
}

int
canon_table(uint64_t e[CANON_ENTRIES], unsigned int level,
    const struct canon_map *m, char *err, size_t errlen)
{
	uint64_t mfn, pfn;
	unsigned int i;

	for (i = 0; i < CANON_ENTRIES; i++) {
		if (hv_slot(level, i)) {
			e[i] = 0;
			continue;
		}
		if (!(e[i] & PTE_P))
			continue;
		mfn = (e[i] & PTE_ADDR) >> PAGE_SHIFT;
		if (canon_pfn(m, mfn, &pfn) != 0) {
			snprintf(err, errlen, "L%u slot %u: frame %#" PRIx64
			    " is not the domain's", level, i, mfn);
			return -1;
		}
		e[i] = (e[i] & ~PTE_ADDR) | (pfn << PAGE_SHIFT);
	}
	return 0;
}

int
uncanon_table(uint64_t e[CANON_ENTRIES], unsigned int level,
    const uint64_t *p2m, uint64_t nr_pfns, char *err, size_t errlen)
{
	uint64_t pfn;
	unsigned int i;

	for (i = 0; i < CANON_ENTRIES; i++) {
		if (hv_slot(level, i) || !(e[i] & PTE_P))
			continue;
		pfn = (e[i] & PTE_ADDR) >> PAGE_SHIFT;
		if (pfn >= nr_pfns) {
			snprintf(err, errlen, "L%u slot %u: pfn %#" PRIx64
			    " is past the domain's %" PRIu64 " pages", level, i,
			    pfn, nr_pfns);
			return -1;
		}
		/* CANON_NO_MFN and the like would become a bogus frame. */
		if (p2m[pfn] == CANON_NO_MFN || p2m[pfn] > MFN_MAX) {
			snprintf(err, errlen, "L%u slot %u: pfn %#" PRIx64
			    " has no frame", level, i, pfn);
			return -1;
		}
		e[i] = (e[i] & ~PTE_ADDR) | (p2m[pfn] << PAGE_SHIFT);
	}
	return 0;
}
