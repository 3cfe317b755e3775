/* hv's own page tables on x86-64. */
#ifndef HV_PAGING_H
#define HV_PAGING_H

#include <stdint.h>

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_U		(1ULL << 2)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_A		(1ULL << 5)
#define PTE_D		(1ULL << 6)
#define PTE_PS		(1ULL << 7)
#define PTE_G		(1ULL << 8)
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

#define L4_SLOT(va)	(((uint64_t)(va) >> 39) & 511)
#define HV_FIRST_L4_SLOT	256
#define HV_LAST_L4_SLOT		271

extern uint64_t hv_l4_maddr;		/* hv's own top-level table */
extern uint64_t *hv_m2p;		/* writable view of the m2p table */
extern uint64_t hv_m2p_entries;

void	paging_init(void);
void	paging_heap_ready(void);
void	paging_cpu_init(void);
void	paging_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);
void	paging_fill_hv_slots(uint64_t *l4);
void	paging_flush_tlb_all(void);

#endif
