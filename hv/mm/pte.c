/*
 * What a guest page-table entry may say, and the references it holds.
 * The rules are those of Xen's x86-64 PV ABI (xen/arch/x86/mm.c and
 * asm/x86_64/page.h: get_page_from_l*e, promote_l*_table, the
 * L*_DISALLOW_MASK values, is_guest_l4_slot, adjust_guest_l*e):
 *
 * - A present entry may use only P, RW, US, A, D, the software bits
 *   (9-11, 52-62) and NX; an L1 entry may add G but not bit 62, which
 *   marks grant mappings.  So no PWT/PCD/PAT (cache attributes are for
 *   domains with I/O memory, which hv does not give yet) and no PSE:
 *   PV guests have no superpages.  Anything else is -EINVAL.
 * - An L1 entry the guest writes maps a RAM frame the domain owns: a
 *   general reference, plus a writable type reference when RW is set,
 *   which fails while the frame is a page table or descriptor page
 *   (-EBUSY, as for a frame of another owner).  Frames that are not
 *   RAM are I/O memory: -EPERM until hv grants I/O ranges.  Only hv's
 *   grant code maps other domains' frames, marked with bit 62 (mm.h,
 *   "Grant mappings"); such an entry holds no references here.
 * - An Ln entry (n > 1) points to a frame of the domain's that it makes
 *   an L(n-1) table, validating it if it is not one yet.
 * - No linear page tables: an entry pointing to a table of its own
 *   level is refused (the type is wrong) where Xen may accept a
 *   read-only one.  Neither Linux nor Mini-OS needs them.
 * - L4 slots MM_HV_L4_FIRST..MM_HV_L4_END-1 are hv's: validation skips
 *   them and then has hv's own entries written there.
 * - Guest kernels run in ring 3, so present entries get US.  An L1
 *   entry the guest made supervisor-only gets US and
 *   MM_PTE_GUEST_KERNEL (bit 52), so that a kernel mapping can still be
 *   told from a user one.
 */
#include <stdint.h>

#include "mm_internal.h"

#define BASE_ALLOWED	(MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_A | \
			    MM_PTE_D | MM_PTE_AVAIL | MM_PTE_AVAIL_HIGH | \
			    MM_PTE_NX)
#define L1_ALLOWED	((BASE_ALLOWED | MM_PTE_G) & ~MM_PTE_GNTTAB)
#define FLAG_BITS	(~MM_PTE_ADDR)

static uint64_t
disallowed(unsigned int level, uint64_t e)
{
	uint64_t allowed = level == 1 ? L1_ALLOWED : BASE_ALLOWED;

	return e & FLAG_BITS & ~allowed;
}

static int
l1e_get(struct mm_domain *d, uint64_t e)
{
	uint64_t mfn = MM_PTE_MFN(e);
	struct page_info *pg;

	if (!mm_mfn_valid(mfn)) {
		mm_refuse(d, "mapping of mfn %#lx: not RAM", mfn);
		return -XM_EPERM;
	}
	pg = mfn_page(mfn);
	/*
	 * Only the domain's own frames.  Foreign frames come through the
	 * grant-table code (mm_l1_grant_install), with entries marked
	 * MM_PTE_GNTTAB and both owners' locks held, never through here.
	 */
	if (page_owner(pg) != d->id) {
		mm_refuse(d, "mapping of mfn %#lx: owner d%u", mfn,
		    (unsigned)page_owner(pg));
		return -XM_EBUSY;
	}
	if (!(e & MM_PTE_RW))
		return mm_pg_get(d, mfn) == 0 ? 0 : -XM_EBUSY;
	if (mm_pgtype_get(d, mfn, MM_PGT_WRITABLE) != 0) {
		mm_refuse(d, "writable mapping of mfn %#lx refused", mfn);
		return -XM_EBUSY;
	}
	return 0;
}

int
mm_pte_get(struct mm_domain *d, unsigned int level, uint64_t e)
{
	uint64_t bad;

	if (!(e & MM_PTE_P))
		return 0;
	bad = disallowed(level, e);
	if (bad != 0) {
		mm_refuse(d, "L%u entry %#lx: flags %#lx not allowed", level,
		    e, bad);
		return -XM_EINVAL;
	}
	if (level == 1)
		return l1e_get(d, e);
	return mm_pgtype_get(d, MM_PTE_MFN(e), level - 1);
}

/*
 * e was accepted by mm_pte_get() and has been in a table since, or is
 * a grant mapping, whose references are the grant code's (mm.h).
 */
void
mm_pte_put(struct mm_domain *d, unsigned int level, uint64_t e)
{
	uint64_t mfn = MM_PTE_MFN(e);
	struct page_info *pg;

	if (!(e & MM_PTE_P) || pte_is_grant(level, e) || !mm_mfn_valid(mfn))
		return;
	pg = mfn_page(mfn);
	if (level == 1 && !(e & MM_PTE_RW))
		mm_pg_put(d, pg);
	else
		mm_pgtype_put(d, pg);
}

uint64_t
mm_pte_adjust(unsigned int level, uint64_t e)
{
	if (!(e & MM_PTE_P))
		return e;
	if (level == 1 && !(e & MM_PTE_US))
		e |= MM_PTE_GUEST_KERNEL;
	/*
	 * No global guest mappings: a CR3 switch must drop every one of a
	 * domain's translations, so that a CPU that has switched to
	 * another domain needs no shootdown (hv/x86/flush.c counts on it).
	 */
	return (e | MM_PTE_US) & ~MM_PTE_G;
}

/* Drop what entries [0, end) of a table hold, newest first. */
static void
table_put_range(struct mm_domain *d, uint64_t *t, unsigned int level,
    unsigned int end)
{
	while (end-- > 0) {
		if (slot_is_guest(level, end))
			mm_pte_put(d, level, pte_read(&t[end]));
	}
}

int
mm_table_validate(struct mm_domain *d, uint64_t mfn, unsigned int level)
{
	uint64_t *t = mm_map_frame(mfn);
	uint64_t e, adjusted;
	unsigned int i;
	int rc;

	for (i = 0; i < MM_PT_ENTRIES; i++) {
		if (!slot_is_guest(level, i))
			continue;
		e = pte_read(&t[i]);
		rc = mm_pte_get(d, level, e);
		if (rc != 0) {
			mm_refuse(d, "L%u table mfn %#lx: slot %u refused",
			    level, mfn, i);
			table_put_range(d, t, level, i);
			return rc;
		}
		adjusted = mm_pte_adjust(level, e);
		if (adjusted != e)
			pte_write(&t[i], adjusted);
	}
	if (level == 4)
		mm_fill_hv_l4_slots(t, mfn);
	mm_mark_dirty(d, mfn);
	return 0;
}

void
mm_table_devalidate(struct mm_domain *d, uint64_t mfn, unsigned int level)
{
	mm_shadow_table_gone(d, mfn);
	table_put_range(d, mm_map_frame(mfn), level, MM_PT_ENTRIES);
}
