/*
 * Memory: the guest's pseudo-physical frames (pfn) and the machine
 * frames (mfn) behind them, its page tables, and a frame allocator.
 *
 * The p2m is start_info->mfn_list; the m2p is hv's read-only table at
 * XM_MACH2PHYS_VIRT_START.  Pfn p lives at GUEST_VIRT_BASE + p * 4096,
 * the direct map: at first only the bootstrap region is mapped there,
 * mm_init() maps the rest (up to MM_MAX_PFNS).  Page tables are read
 * through their read-only direct mapping and changed only by hypercall.
 *
 * Functions returning int give 0 or -XM_E* from hv.
 */

#ifndef _GUEST_MM_H_
#define _GUEST_MM_H_

#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/xen_core.h>

#include <guest/asm.h>
#include <guest/guest.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	GUEST_PAGE_SIZE
#define PT_ENTRIES	512

/* Page table entry bits. */
#define PTE_P		UINT64_C(0x001)
#define PTE_RW		UINT64_C(0x002)
#define PTE_US		UINT64_C(0x004)
#define PTE_PWT		UINT64_C(0x008)
#define PTE_PCD		UINT64_C(0x010)
#define PTE_A		UINT64_C(0x020)
#define PTE_D		UINT64_C(0x040)
#define PTE_PS		UINT64_C(0x080)
#define PTE_G		UINT64_C(0x100)
#define PTE_NX		(UINT64_C(1) << 63)
#define PTE_ADDR_MASK	UINT64_C(0x000ffffffffff000)
#define PTE_MFN(e)	(((e) & PTE_ADDR_MASK) >> PAGE_SHIFT)

/*
 * The guest kernel runs in ring 3, so its mappings are user mappings
 * (hv would add US anyway).
 */
#define PTE_KERNEL	(PTE_P | PTE_RW | PTE_US | PTE_A)
#define PTE_KERNEL_RO	(PTE_P | PTE_US | PTE_A)
#define PTE_TABLE	(PTE_P | PTE_RW | PTE_US | PTE_A)

/* The direct map ends where the L2 that maps the image ends: 1 GiB. */
#define MM_MAX_PFNS	(UINT64_C(1) << 18)

static inline xm_pfn_t
pfn_to_mfn(xm_pfn_t pfn)
{
	return ((const xm_pfn_t *)guest_start_info->mfn_list)[pfn];
}

static inline xm_pfn_t
mfn_to_pfn(xm_pfn_t mfn)
{
	return ((const volatile xm_pfn_t *)XM_MACH2PHYS_VIRT_START)[mfn];
}

static inline void *
pfn_to_virt(xm_pfn_t pfn)
{
	return (void *)(GUEST_VIRT_BASE + (pfn << PAGE_SHIFT));
}

static inline xm_pfn_t
virt_to_pfn(const void *va)
{
	return ((uint64_t)va - GUEST_VIRT_BASE) >> PAGE_SHIFT;
}

static inline xm_pfn_t
virt_to_mfn(const void *va)
{
	return pfn_to_mfn(virt_to_pfn(va));
}

static inline uint64_t
virt_to_maddr(const void *va)
{
	return (virt_to_mfn(va) << PAGE_SHIFT) |
	    ((uint64_t)va & (PAGE_SIZE - 1));
}

/* Level 4 (the root) to 1; index of va in a table of that level. */
static inline unsigned int
pt_index(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

/*
 * The entry for va in its level table: a pointer into the table's
 * read-only direct mapping, and its machine address for mmu_update.
 * NULL / 0 when a table above is missing or not direct-mapped.
 */
uint64_t	*pt_entry(uint64_t va, int level);
uint64_t	 pt_entry_maddr(uint64_t va, int level);
/* The L1 entry of va, 0 if there is none. */
uint64_t	 pt_lookup(uint64_t va);

/* update_va_mapping with a local invlpg. */
int	map_frame_at(uint64_t va, xm_pfn_t mfn, uint64_t flags);
int	unmap_at(uint64_t va);
int	mmu_update_one(uint64_t ptr, uint64_t val);
int	pin_table(int level, xm_pfn_t mfn);
int	unpin_table(xm_pfn_t mfn);
int	tlb_flush_local(void);
int	invlpg_local(uint64_t va);

/*
 * Batched mmu_update: queue (machine address of an entry, new value)
 * pairs; a full batch goes to hv by itself.  The first error stops
 * the batch and sticks in rc; done counts the updates hv applied.
 */
#define MMU_BATCH_MAX	128

struct mmu_batch {
	struct xm_mmu_update	req[MMU_BATCH_MAX];
	unsigned int		n;
	unsigned int		done;
	int			rc;
};

void	mmu_batch_init(struct mmu_batch *b);
int	mmu_batch_add(struct mmu_batch *b, uint64_t ptr, uint64_t val);
int	mmu_batch_flush(struct mmu_batch *b);

/* One multicall entry for update_va_mapping. */
static inline void
multicall_update_va_mapping(struct xm_multicall_entry *mc, uint64_t va,
    uint64_t pte, uint64_t flags)
{
	mc->op = XM_HYPERCALL_UPDATE_VA_MAPPING;
	mc->result = 0;
	mc->args[0] = va;
	mc->args[1] = pte;
	mc->args[2] = flags;
	mc->args[3] = mc->args[4] = mc->args[5] = 0;
}

/*
 * Map every frame (up to MM_MAX_PFNS) in the direct map, building the
 * L1 tables that are missing, and set up the frame allocator.
 */
int	mm_init(void);
extern xm_pfn_t	mm_nr_pfns;	/* frames in the direct map */
extern xm_pfn_t	mm_first_free;	/* first pfn after the bootstrap region */

/* Frames after the bootstrap region, direct-mapped writable. */
int		frame_alloc(xm_pfn_t *pfn);
void		frame_free(xm_pfn_t pfn);
xm_pfn_t	frames_free(void);

/* A zeroed frame, direct-mapped read-only, pinned as a level table. */
int	table_alloc(int level, xm_pfn_t *pfn);
int	table_free(xm_pfn_t pfn);
/* Make sure a level table covers va, adding tables from L3 down. */
int	pt_ensure(uint64_t va, int level);

#endif /* _GUEST_MM_H_ */
