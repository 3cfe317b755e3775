/*
 * The fake machine the hv/mm unit tests run on (mm_stubs.c): the
 * environment hooks of hv/mm.h over host memory, a fresh machine per
 * test with two domains, and helpers that play the guest.
 */
#ifndef MM_STUBS_H
#define MM_STUBS_H

#include <stdbool.h>
#include <stdint.h>

#include <hv/mm.h>

#define NR_FRAMES	2048
#define HV_IMAGE_END	32		/* frames 0-31: hv, never in the heap */
#define HOLE_START	1800		/* frames 1800-1815: MMIO */
#define HOLE_END	1816
#define HV_L4E(slot)	(0xfeed0000000ULL | ((uint64_t)(slot) << 12) | 1)
#define BAD_DESC	0xbadbadbadbadbadULL

#define RO		(MM_PTE_P | MM_PTE_US)
#define RW		(MM_PTE_P | MM_PTE_RW | MM_PTE_US)
#define KERNEL_RW	(MM_PTE_P | MM_PTE_RW)

/* What the fakes saw. */
extern struct page_info	*table;
extern uint64_t		 m2p[NR_FRAMES];
extern unsigned int	 flushes;
extern int		 heap_depth;
extern char		 last_log[256];

/* Log-dirty's hooks as mm called them. */
struct hook_log {
	unsigned int	dirty, changed, gone;
	uint64_t	dirty_mfn, changed_mfn, gone_mfn;
	unsigned int	changed_slot;
};
extern struct hook_log	 hooks;

/* The machine: dom1 and dom2 (256 frames each) and the heap's size. */
extern struct mm_domain	 dom1, dom2;
extern uint64_t		 heap_start;

int	machine_setup(void **);
int	machine_teardown(void **);

/* The guest's side. */
uint64_t	*pt(uint64_t mfn);
uint64_t	 pte(uint64_t mfn, uint64_t flags);
uint64_t	 pte_maddr(uint64_t table_mfn, unsigned int slot);
uint64_t	 frame(struct mm_domain *);
const struct page_info *info(uint64_t mfn);
void		 expect_refs(uint64_t mfn, uint32_t count, enum mm_pgt,
		    uint32_t type_count);

/*
 * A four-level tree mapping two data frames at 0 and 0x1000 and its own
 * L2 read-only at 0x2000, written by the guest while it is plain memory.
 */
struct tree {
	uint64_t	l4, l3, l2, l1, data, data_ro;
};

void	tree_write(struct mm_domain *, struct tree *);
void	tree_pin(struct mm_domain *, struct tree *);

/* Every frame's references, to compare before and after. */
struct snapshot {
	uint32_t	count[NR_FRAMES];
	uint32_t	type_count[NR_FRAMES];
	uint8_t		flags[NR_FRAMES];
	uint16_t	owner[NR_FRAMES];
};

void	snapshot_take(struct snapshot *);
void	snapshot_same(const struct snapshot *);

#endif
