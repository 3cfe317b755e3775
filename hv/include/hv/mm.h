/*
 * hv's machine memory: who owns each frame, what it is used for, and the
 * checks that let a PV guest own its page tables ("direct paging").
 *
 * Every machine frame has a struct page_info in mm_frame_table.  A frame
 * is free (in the buddy heap), hv's own (DOMID_XEN, never mappable by a
 * guest) or a domain's.  A domain's frame counts references:
 *
 *   count	general references: the allocation reference its owner
 *		holds (PGF_ALLOCATED), one per present PTE that maps it,
 *		one per pin, base pointer or hv use.  At zero it is freed.
 *   type_count	references to its current use: L1..L4 page table,
 *		segment descriptor page or writable.  A frame changes
 *		type only when this is zero, so a frame is never a page
 *		table and mapped writable at the same time.
 *
 * Validating an Ln table takes a type reference of L(n-1) (and a general
 * reference) on what each present entry points to; an L1 entry takes a
 * general reference, plus a writable type reference when it has RW.
 * When the last type reference of a validated table goes, the table is
 * devalidated: the references its entries held are dropped again.  The
 * rules are those of Xen's x86-64 PV ABI (xen/arch/x86/mm.c); mm/pte.c
 * lists them.
 *
 * Locking.  The code takes no lock itself except the heap lock, which
 * the buddy allocator takes through mm_heap_lock()/mm_heap_unlock()
 * around its own critical sections.  Every function that takes a struct
 * mm_domain must be called with that domain's lock held (hv: d->lock),
 * and never with the heap lock held; the order is domain lock, then heap
 * lock.  This is enough because a frame's counts, type, flags and page
 * list links are only written by its owner's lock holder (free frames:
 * by the heap lock holder), and a frame only becomes or stops being d's
 * under d's lock, so "is this frame d's?" is stable while d's lock is
 * held.  page_info.owner is read and written atomically for that reason.
 * Nothing here takes references on another domain's frames: a foreign
 * mapping (grant tables, domain 0's foreign maps) takes them through
 * the owner's mm_domain with both domains' locks held, taken in domain
 * id order, and installs the entry with mm_l1_grant_install ("Grant
 * mappings" below).
 *
 * Guest input is hostile: every mfn is checked with mm_mfn_valid() before
 * the frame table is indexed, reference counts stop at MM_REF_MAX, and a
 * PTE is read from guest-visible memory exactly once.
 */
#ifndef HV_MM_H
#define HV_MM_H

#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/hypercall.h>

/*
 * x86-64 page-table entry bits, as a guest writes them.  MM_ prefixed so
 * that they do not clash with hv's own paging definitions.
 */
#define MM_PTE_P		(UINT64_C(1) << 0)
#define MM_PTE_RW		(UINT64_C(1) << 1)
#define MM_PTE_US		(UINT64_C(1) << 2)
#define MM_PTE_PWT		(UINT64_C(1) << 3)
#define MM_PTE_PCD		(UINT64_C(1) << 4)
#define MM_PTE_A		(UINT64_C(1) << 5)
#define MM_PTE_D		(UINT64_C(1) << 6)
#define MM_PTE_PSE		(UINT64_C(1) << 7)	/* PAT in an L1 entry */
#define MM_PTE_G		(UINT64_C(1) << 8)
#define MM_PTE_AVAIL		(UINT64_C(7) << 9)
#define MM_PTE_ADDR		UINT64_C(0x000ffffffffff000)
#define MM_PTE_AVAIL_HIGH	(UINT64_C(0x7ff) << 52)	/* guest software */
#define MM_PTE_GUEST_KERNEL	(UINT64_C(1) << 52)	/* set by hv */
#define MM_PTE_GNTTAB		(UINT64_C(1) << 62)	/* grant mappings */
#define MM_PTE_NX		(UINT64_C(1) << 63)
/* What a grant mapping may say, before mm adjusts it as any L1 entry. */
#define MM_PTE_GRANT_FLAGS	(MM_PTE_P | MM_PTE_RW | MM_PTE_US | \
				    MM_PTE_A | MM_PTE_D | MM_PTE_AVAIL | \
				    MM_PTE_GNTTAB | MM_PTE_NX)

#define MM_PT_ENTRIES		512
#define MM_PTE_MFN(e)		(((e) & MM_PTE_ADDR) >> 12)

/* hv's slots in every guest L4: [MM_HV_L4_FIRST, MM_HV_L4_END). */
#define MM_L4_SLOT(va)		((unsigned int)((va) >> 39) & 511)
#define MM_HV_L4_FIRST		MM_L4_SLOT(XM_HYPERVISOR_VIRT_START)
#define MM_HV_L4_END		MM_L4_SLOT(XM_HYPERVISOR_VIRT_END)

/* Owners that are not domains. */
#define MM_OWNER_XEN		XM_DOMID_XEN
#define MM_OWNER_FREE		XM_DOMID_INVALID

#define MM_MAX_ORDER		18		/* 1 GiB blocks */
#define MM_NIL			UINT32_MAX	/* end of a frame list */
#define MM_MAX_FRAMES		((uint64_t)UINT32_MAX)	/* 16 TiB */
#define MM_REF_MAX		UINT32_C(0x7fffffff)
#define MM_M2P_INVALID		UINT64_MAX

/* A frame's use; L1..L4 are 1..4 so that a level is its type. */
enum mm_pgt {
	MM_PGT_NONE = 0,
	MM_PGT_L1 = 1,
	MM_PGT_L2 = 2,
	MM_PGT_L3 = 3,
	MM_PGT_L4 = 4,
	MM_PGT_SEG_DESC = 5,		/* GDT or LDT frame */
	MM_PGT_WRITABLE = 6,		/* mapped writable, or written by hv */
};

/* page_info.flags */
#define PGF_ALLOCATED		0x01	/* owner holds its allocation ref */
#define PGF_VALIDATED		0x02	/* contents checked for its type */
#define PGF_PINNED		0x04	/* MMUEXT_PIN_Ln_TABLE holds a ref */
#define PGF_FREE_HEAD		0x08	/* first frame of a free block */

/*
 * One per machine frame.  A frame is on its owner's page list or, as the
 * head of a free block, on a buddy free list, never both; links are
 * frame numbers, MM_NIL at the ends.
 */
struct page_info {
	uint32_t	next;
	uint32_t	prev;
	uint32_t	count;		/* general references */
	uint32_t	type_count;	/* references to the current type */
	uint16_t	owner;		/* domain id, MM_OWNER_XEN or _FREE */
	uint8_t		type;		/* enum mm_pgt */
	uint8_t		flags;		/* PGF_* */
	uint8_t		order;		/* of a free block, on its head */
	uint8_t		pad[3];
	uint32_t	shadow;		/* a table's shadow (logdirty.h) */
	uint32_t	pad2;
};
_Static_assert(sizeof(struct page_info) == 32, "page_info");

/* A domain's memory, embedded in hv's struct domain. */
struct mm_domain {
	uint16_t	id;
	bool		dying;		/* mm_domain_release_all has run */
	uint32_t	head;		/* page list */
	uint32_t	tail;
	uint64_t	tot_pages;	/* frames owned, referenced or not */
	uint64_t	max_pages;
	uint32_t	frames_gen;	/* frames joined or left, counted */
};

extern struct page_info	*mm_frame_table;
extern uint64_t		 mm_max_mfn;

/*
 * Frame table (frame.c).  hv sets it up once, before the heap: the table
 * must cover (be mapped for) every mfn below nr_frames, RAM or not, and
 * every frame starts as hv's.  mm_mfn_valid() is the check every mfn
 * from a guest goes through.
 */
void	mm_frame_table_init(struct page_info *, uint64_t nr_frames);
bool	mm_mfn_valid(uint64_t mfn);
const struct page_info *mm_page_info(uint64_t mfn);	/* NULL: invalid */

/* Buddy heap (buddy.c); takes the heap lock itself. */
void	mm_heap_add(uint64_t first_mfn, uint64_t count);
int64_t	mm_alloc_frames(unsigned int order);	/* hv's, or -1 */
void	mm_free_frames(uint64_t mfn, unsigned int order);
uint64_t mm_free_count(void);

/*
 * Domain memory (frame.c).  alloc_frame scrubs the frame and returns its
 * mfn or -XM_ENOMEM; assign gives one of hv's frames (count 0, already
 * scrubbed) to d, unassign takes back a frame nobody references; free_
 * frame drops d's allocation reference (decrease_reservation): the frame
 * goes back to the heap when its last reference goes.  release_all (the
 * domain's vCPUs stopped) unpins, devalidates and frees everything and
 * returns how many frames are still held by references from outside
 * (base pointers, hv's own mm_get_page*): they are freed, and tot_pages
 * falls, when those are put; keep d until tot_pages is 0.
 */
void	mm_domain_init(struct mm_domain *, uint16_t id, uint64_t max_pages);
int64_t	mm_domain_alloc_frame(struct mm_domain *);
int	mm_domain_assign(struct mm_domain *, uint64_t mfn);
int	mm_domain_unassign(struct mm_domain *, uint64_t mfn);
int	mm_domain_free_frame(struct mm_domain *, uint64_t mfn);
uint64_t mm_domain_release_all(struct mm_domain *);

/*
 * References hv itself holds on a domain's frame.  A frame hv writes to
 * (vcpu_info, runstate area, rings) needs mm_get_page_and_type(...,
 * MM_PGT_WRITABLE) so that it can never become a page table meanwhile;
 * MM_PGT_SEG_DESC for GDT/LDT frames (set_gdt).
 */
int	mm_get_page(struct mm_domain *, uint64_t mfn);
void	mm_put_page(struct mm_domain *, uint64_t mfn);
int	mm_get_page_and_type(struct mm_domain *, uint64_t mfn, enum mm_pgt);
void	mm_put_page_and_type(struct mm_domain *, uint64_t mfn);

/* mmuext_op (pagetype.c): pin/unpin, new_baseptr / new_user_baseptr. */
int	mm_pin(struct mm_domain *, uint64_t mfn, enum mm_pgt level);
int	mm_unpin(struct mm_domain *, uint64_t mfn);
int	mm_get_base_table(struct mm_domain *, uint64_t l4_mfn);
void	mm_put_base_table(struct mm_domain *, uint64_t l4_mfn);

/*
 * mmu_update and update_va_mapping (mmu.c).  mm_pt_update is
 * MMU_NORMAL_PT_UPDATE (and MMU_PT_UPDATE_NO_TRANSLATE, the same for a
 * PV guest) with the command bits already stripped from pte_maddr;
 * _preserve_ad is MMU_PT_UPDATE_PRESERVE_AD.  For update_va_mapping,
 * find the L1 slot with mm_walk_to_l1 in the table the vCPU runs on,
 * then mm_l1_update it; the caller flushes as the flags ask.
 */
int	mm_pt_update(struct mm_domain *, uint64_t pte_maddr, uint64_t val);
int	mm_pt_update_preserve_ad(struct mm_domain *, uint64_t pte_maddr,
	    uint64_t val);
int	mm_walk_to_l1(struct mm_domain *, uint64_t l4_mfn, uint64_t va,
	    uint64_t *l1_mfn, unsigned int *slot);
int	mm_l1_update(struct mm_domain *, uint64_t l1_mfn, unsigned int slot,
	    uint64_t val);
int	mm_machphys_update(struct mm_domain *, uint64_t mfn, uint64_t pfn);

/*
 * Grant mappings (mmu.c).  hv's grant-table code maps a granted frame,
 * usually another domain's (Xen also lets a domain map its own
 * grants), into a live L1 table of the mapping domain d with a present
 * entry marked MM_PTE_GNTTAB.  Such an entry holds no references of
 * its own.  The grant code holds them for it: a general reference on
 * the mapped frame, plus a writable type reference when the entry has
 * RW, both counted on the frame's owner and taken under both domains'
 * locks before the entry is installed; it drops them only after it
 * has removed the entry and flushed d's TLBs, or when one of the two
 * domains dies (then d's vCPUs have stopped, or the entry was removed
 * first).  So:
 *
 * - mm_pte_put ignores grant mappings, wherever a table is put;
 * - mmu_update and update_va_mapping refuse to replace one (-EINVAL):
 *   a guest takes it away with unmap_grant_ref only;
 * - no guest-written L1 entry may have bit 62 (validation refuses it),
 *   so a grant mapping left in a table that is devalidated is dead
 *   data that can never validate again, and every present grant
 *   mapping in a live L1 was written by mm_l1_grant_install;
 * - in L2-L4 entries bit 62 stays a guest software bit.
 *
 * grant_install writes e (present, MM_PTE_GNTTAB set, only
 * MM_PTE_GRANT_FLAGS; then adjusted as every L1 entry) into slot of
 * d's live L1 table l1_mfn and drops what the old entry held, which
 * may not be a grant mapping (-EBUSY); -EINVAL if l1_mfn is not a live
 * L1 of d's.  grant_remove clears the slot if it holds a grant
 * mapping of mfn, writable exactly when rw, else -EINVAL.  Neither
 * flushes: the caller flushes d's TLBs before it drops the references.
 */
int	mm_l1_grant_install(struct mm_domain *, uint64_t l1_mfn,
	    unsigned int slot, uint64_t e);
int	mm_l1_grant_remove(struct mm_domain *, uint64_t l1_mfn,
	    unsigned int slot, uint64_t mfn, bool rw);

/*
 * The environment: hv implements these, the unit tests stub them.
 *
 * mm_map_frame	a pointer to the frame's 4 KiB (hv: the direct map).
 * mm_log_refusal	log a refused request of domain domid, rate-limited.
 * mm_frame_is_ram	mfn is RAM, not MMIO or a hole; only asked for mfns
 *		below mm_max_mfn.
 * mm_fill_hv_l4_slots	write hv's entries into slots MM_HV_L4_FIRST to
 *		MM_HV_L4_END - 1 of a guest L4 that has just been
 *		validated (l4 maps frame l4_mfn, for a self map).
 * mm_tlb_flush_domain	flush every TLB that may hold a translation of
 *		d's page tables, on every CPU, and return only when they
 *		are flushed: called when a frame changes type (before
 *		the new use is validated) and before one of d's frames
 *		leaves d.  It runs with d's lock held, so a CPU spinning
 *		on that lock with interrupts off must still answer the
 *		flush, or the two deadlock (hv: spin_lock polls for
 *		flush requests, hv/include/hv/flush.h).  Guest entries
 *		never keep G (mm_pte_adjust), so a CPU that switches to
 *		another domain drops all of d's translations.
 * mm_m2p_set	m2p[mfn] = pfn in the machine-to-phys table guests read;
 *		mm_m2p_get reads it back.
 * mm_heap_lock/unlock	the heap lock (a spinlock in hv).
 * mm_check_seg_desc_page	0 if the 512 descriptors are safe for the
 *		guest (Xen's check_descriptor, which raises a DPL below 3
 *		to 3 in place), else -XM_EINVAL.
 */
void	*mm_map_frame(uint64_t mfn);
void	 mm_log_refusal(uint16_t domid, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
bool	 mm_frame_is_ram(uint64_t mfn);
void	 mm_fill_hv_l4_slots(uint64_t *l4, uint64_t l4_mfn);
void	 mm_tlb_flush_domain(struct mm_domain *);
void	 mm_m2p_set(uint64_t mfn, uint64_t pfn);
uint64_t mm_m2p_get(uint64_t mfn);
void	 mm_heap_lock(void);
void	 mm_heap_unlock(void);
int	 mm_check_seg_desc_page(uint64_t *descs);

/*
 * Log-dirty (hv/include/hv/logdirty.h), told of every change to d's
 * memory that mm makes: mark_dirty for a frame hv wrote (a table's
 * entries adjusted on validation, a plain mmu_update write) or whose
 * PAGE_INFO changed (its type, its pin, its pfn: the old pfn and the
 * new), so that a live migration types again only what is dirty; entry_
 * changed after slot of the live table gmfn changed (the shadow's entry
 * follows it, and the table's frame is dirty), table_gone when gmfn
 * stops being a live table.  All with d's lock held.
 */
void	 mm_mark_dirty(struct mm_domain *, uint64_t mfn);
void	 mm_shadow_entry_changed(struct mm_domain *, uint64_t gmfn,
	    unsigned int slot);
void	 mm_shadow_table_gone(struct mm_domain *, uint64_t gmfn);

#endif
