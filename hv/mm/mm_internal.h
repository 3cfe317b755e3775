/*
 * What the files of hv/mm share and nobody else needs.  Every function
 * here trusts its struct page_info to be a valid frame's: mfns from a
 * guest go through mm_mfn_valid() first.  The locking rule is mm.h's.
 */
#ifndef HV_MM_INTERNAL_H
#define HV_MM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <hv/console.h>
#include <hv/mm.h>

/* A refused guest request: a rate-limited warning naming the domain. */
#define mm_refuse(d, fmt, ...)						\
	mm_log_refusal((d)->id, fmt, ##__VA_ARGS__)

static inline struct page_info *
mfn_page(uint64_t mfn)
{
	return &mm_frame_table[mfn];
}

static inline uint64_t
page_mfn(const struct page_info *pg)
{
	return (uint64_t)(pg - mm_frame_table);
}

static inline uint16_t
page_owner(const struct page_info *pg)
{
	return __atomic_load_n(&pg->owner, __ATOMIC_ACQUIRE);
}

static inline void
page_set_owner(struct page_info *pg, uint16_t owner)
{
	__atomic_store_n(&pg->owner, owner, __ATOMIC_RELEASE);
}

static inline bool
page_is_pt(const struct page_info *pg)
{
	return pg->type >= MM_PGT_L1 && pg->type <= MM_PGT_L4;
}

/* An entry of a frame the guest can see: read once, written whole. */
static inline uint64_t
pte_read(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void
pte_write(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/*
 * Replace an entry of a live table and return what it held, exactly:
 * the CPU may set A and D in it meanwhile, and with keep_ad those are
 * carried over into the new entry (MMU_PT_UPDATE_PRESERVE_AD).
 */
static inline uint64_t
pte_swap(uint64_t *p, uint64_t v, bool keep_ad)
{
	uint64_t old;

	if (!keep_ad)
		return __atomic_exchange_n(p, v, __ATOMIC_RELAXED);
	old = pte_read(p);
	while (!__atomic_compare_exchange_n(p, &old,
	    v | (old & (MM_PTE_A | MM_PTE_D)), false, __ATOMIC_RELAXED,
	    __ATOMIC_RELAXED))
		continue;
	return old;
}

/*
 * A grant mapping: a present L1 entry with MM_PTE_GNTTAB, which only
 * mm_l1_grant_install writes.  In other levels bit 62 is the guest's.
 */
static inline bool
pte_is_grant(unsigned int level, uint64_t e)
{
	return level == 1 &&
	    (e & (MM_PTE_P | MM_PTE_GNTTAB)) == (MM_PTE_P | MM_PTE_GNTTAB);
}

/* Every slot of a table is the guest's but hv's slots of an L4. */
static inline bool
slot_is_guest(unsigned int level, unsigned int slot)
{
	return level != 4 || slot < MM_HV_L4_FIRST || slot >= MM_HV_L4_END;
}

/* frame.c: general references and the owner's page list. */
int	mm_pg_get(struct mm_domain *, uint64_t mfn);
void	mm_pg_put(struct mm_domain *, struct page_info *);

/* buddy.c */
void	mm_heap_reset(void);

/* pagetype.c: type references. */
int	mm_type_get(struct mm_domain *, struct page_info *, enum mm_pgt);
void	mm_type_put(struct mm_domain *, struct page_info *);
int	mm_pgtype_get(struct mm_domain *, uint64_t mfn, enum mm_pgt);
void	mm_pgtype_put(struct mm_domain *, struct page_info *);
void	mm_type_force_devalidate(struct mm_domain *, struct page_info *);

/* pte.c: entries and whole tables. */
int	mm_pte_get(struct mm_domain *, unsigned int level, uint64_t e);
void	mm_pte_put(struct mm_domain *, unsigned int level, uint64_t e);
uint64_t mm_pte_adjust(unsigned int level, uint64_t e);
int	mm_table_validate(struct mm_domain *, uint64_t mfn, unsigned int level);
void	mm_table_devalidate(struct mm_domain *, uint64_t mfn,
	    unsigned int level);

#endif
