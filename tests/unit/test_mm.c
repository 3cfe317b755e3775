/*
 * hv's machine memory and PV page-table validation (hv/mm), on a fake
 * machine: a few thousand frames of host memory, a hole of MMIO in the
 * middle, hv's "image" at the bottom.  Each test states one rule of the
 * Xen x86-64 PV ABI that hv enforces, or one promise of the allocator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/mm.h>

#include "mm_stubs.h"

/*
 * The buddy heap.
 */

static void
test_heap_counts_every_frame_given_to_it(void **state)
{
	(void)state;
	assert_int_equal(heap_start,
	    (HOLE_START - HV_IMAGE_END) + (NR_FRAMES - HOLE_END));
	assert_int_equal(mm_alloc_frames(MM_MAX_ORDER + 1), -1);
	assert_int_equal(mm_free_count(), heap_start);
	assert_int_equal(heap_depth, 0);
}

static void
test_heap_takes_unaligned_ranges_in_aligned_blocks(void **state)
{
	(void)state;
	mm_frame_table_init(table, NR_FRAMES);
	mm_heap_add(3, 13);			/* 3, 4-7, 8-15 */
	mm_heap_add(NR_FRAMES - 2, 100);	/* clipped to 2 */
	assert_int_equal(mm_free_count(), 15);
	assert_int_equal(mm_alloc_frames(3), 8);
	assert_int_equal(mm_alloc_frames(2), 4);
	assert_int_equal(mm_alloc_frames(2), -1);
	assert_int_equal(mm_free_count(), 3);
}

static void
test_alloc_splits_and_free_coalesces(void **state)
{
	(void)state;
	mm_frame_table_init(table, NR_FRAMES);
	mm_heap_add(1024, 1024);
	assert_int_equal(mm_free_count(), 1024);
	assert_int_equal(mm_alloc_frames(0), 1024);
	assert_int_equal(mm_free_count(), 1023);
	/* The 1024-frame block was split: none that big is left. */
	assert_int_equal(mm_alloc_frames(10), -1);
	assert_int_equal(mm_alloc_frames(9), 1536);
	mm_free_frames(1024, 0);
	mm_free_frames(1536, 9);
	/* Buddies merged back into one block. */
	assert_int_equal(mm_alloc_frames(10), 1024);
	assert_int_equal(mm_free_count(), 0);
}

static void
test_heap_exhaustion_and_full_recovery(void **state)
{
	static int64_t got[NR_FRAMES];
	static bool seen[NR_FRAMES];
	uint64_t n = 0, i;
	int64_t mfn, a, b;

	(void)state;
	memset(seen, 0, sizeof(seen));
	while ((mfn = mm_alloc_frames(0)) >= 0) {
		assert_true(mfn >= HV_IMAGE_END && mfn < NR_FRAMES);
		assert_false(mfn >= HOLE_START && mfn < HOLE_END);
		assert_false(seen[mfn]);
		seen[mfn] = true;
		got[n++] = mfn;
	}
	assert_int_equal(n, heap_start);
	assert_int_equal(mm_free_count(), 0);
	assert_int_equal(mm_alloc_frames(0), -1);
	for (i = 0; i < n; i++)
		mm_free_frames((uint64_t)got[i], 0);
	assert_int_equal(mm_free_count(), heap_start);
	/* Whole again: the only two aligned 512-frame runs are back. */
	a = mm_alloc_frames(9);
	b = mm_alloc_frames(9);
	assert_true((a == 512 && b == 1024) || (a == 1024 && b == 512));
	assert_int_equal(mm_alloc_frames(9), -1);
}

/*
 * Domain memory.
 */

static void
test_domain_allocation_honours_max_pages(void **state)
{
	struct mm_domain small;
	uint64_t mfn = 0;
	unsigned int i;

	(void)state;
	mm_domain_init(&small, 3, 4);
	for (i = 0; i < 4; i++)
		mfn = frame(&small);
	assert_int_equal(mm_domain_alloc_frame(&small), -XM_ENOMEM);
	assert_int_equal(small.tot_pages, 4);
	assert_int_equal(mm_free_count(), heap_start - 4);
	assert_int_equal(info(mfn)->owner, 3);
	assert_int_equal(info(mfn)->flags, PGF_ALLOCATED);
	expect_refs(mfn, 1, MM_PGT_NONE, 0);
	/* Scrubbed: nothing of the frame's past shows. */
	for (i = 0; i < 512; i++)
		assert_int_equal(pt(mfn)[i], 0);
}

static void
test_freed_frame_returns_when_unreferenced(void **state)
{
	uint64_t mfn;

	(void)state;
	mfn = frame(&dom1);
	assert_int_equal(mm_domain_free_frame(&dom1, mfn), 0);
	assert_int_equal(dom1.tot_pages, 0);
	assert_int_equal(mm_free_count(), heap_start);
	assert_int_equal(info(mfn)->owner, MM_OWNER_FREE);
	assert_int_equal(m2p[mfn], MM_M2P_INVALID);
	assert_int_equal(mm_domain_free_frame(&dom1, mfn), -XM_EINVAL);
	mfn = frame(&dom2);
	assert_int_equal(mm_domain_free_frame(&dom1, mfn), -XM_EINVAL);
	assert_int_equal(dom2.tot_pages, 1);
}

static void
test_freed_frame_waits_for_its_last_mapping(void **state)
{
	struct tree t;
	uint64_t before;

	(void)state;
	tree_pin(&dom1, &t);
	before = mm_free_count();
	assert_int_equal(mm_domain_free_frame(&dom1, t.data_ro), 0);
	assert_int_equal(mm_free_count(), before);
	assert_int_equal(dom1.tot_pages, 6);
	expect_refs(t.data_ro, 1, MM_PGT_NONE, 0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 1), 0), 0);
	assert_int_equal(mm_free_count(), before + 1);
	assert_int_equal(dom1.tot_pages, 5);
}

static void
test_assign_and_unassign_move_frames_between_hv_and_domain(void **state)
{
	struct tree t;
	int64_t mfn;

	(void)state;
	tree_pin(&dom1, &t);
	mfn = mm_alloc_frames(0);
	assert_true(mfn >= 0);
	memset(pt((uint64_t)mfn), 0, 4096);
	assert_int_equal(mm_domain_assign(&dom1, (uint64_t)mfn), 0);
	assert_int_equal(info((uint64_t)mfn)->owner, 1);
	assert_int_equal(dom1.tot_pages, 7);
	/* A referenced frame cannot be taken back. */
	assert_int_equal(mm_domain_unassign(&dom1, t.data_ro), -XM_EBUSY);
	assert_int_equal(mm_domain_unassign(&dom2, (uint64_t)mfn),
	    -XM_EINVAL);
	assert_int_equal(mm_domain_unassign(&dom1, (uint64_t)mfn), 0);
	assert_int_equal(info((uint64_t)mfn)->owner, MM_OWNER_XEN);
	assert_int_equal(dom1.tot_pages, 6);
	mm_free_frames((uint64_t)mfn, 0);
}

/*
 * Building, pinning and unpinning page tables.
 */

static void
test_pinned_four_level_table_holds_the_right_references(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	expect_refs(t.l4, 2, MM_PGT_L4, 1);	/* allocation + pin */
	expect_refs(t.l3, 2, MM_PGT_L3, 1);	/* + the L4 entry */
	expect_refs(t.l2, 3, MM_PGT_L2, 1);	/* + L3 entry + RO map */
	expect_refs(t.l1, 2, MM_PGT_L1, 1);
	expect_refs(t.data, 2, MM_PGT_WRITABLE, 1);
	expect_refs(t.data_ro, 2, MM_PGT_NONE, 0);
	assert_int_equal(info(t.l4)->flags,
	    PGF_ALLOCATED | PGF_VALIDATED | PGF_PINNED);
	assert_int_equal(info(t.l1)->flags, PGF_ALLOCATED | PGF_VALIDATED);
}

static void
test_guest_entries_get_user_forced(void **state)
{
	struct tree t;
	uint64_t kernel;

	(void)state;
	tree_write(&dom1, &t);
	kernel = frame(&dom1);
	pt(t.l1)[3] = pte(kernel, KERNEL_RW);
	pt(t.l2)[0] = pte(t.l1, MM_PTE_P | MM_PTE_RW);
	assert_int_equal(mm_pin(&dom1, t.l4, MM_PGT_L4), 0);
	/* Ring-3 guest kernel: its entries must be user-accessible. */
	assert_int_equal(pt(t.l1)[3],
	    pte(kernel, KERNEL_RW | MM_PTE_US | MM_PTE_GUEST_KERNEL));
	assert_int_equal(pt(t.l2)[0], pte(t.l1, RW));
	/* A user mapping is left as it was. */
	assert_int_equal(pt(t.l1)[0], pte(t.data, RW));
	/* So is an entry written later. */
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 4),
	    pte(kernel, MM_PTE_P)), 0);
	assert_int_equal(pt(t.l1)[4],
	    pte(kernel, MM_PTE_P | MM_PTE_US | MM_PTE_GUEST_KERNEL));
}

static void
test_pinning_twice_is_refused(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_pin(&dom1, t.l4, MM_PGT_L4), -XM_EINVAL);
	expect_refs(t.l4, 2, MM_PGT_L4, 1);
}

static void
test_pinning_the_wrong_level_is_refused(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_pin(&dom1, t.l2, MM_PGT_L1), -XM_EINVAL);
	assert_int_equal(mm_pin(&dom1, t.l1, MM_PGT_L2), -XM_EINVAL);
	assert_int_equal(mm_pin(&dom1, t.l3, MM_PGT_L4), -XM_EINVAL);
	assert_int_equal(mm_pin(&dom1, t.l1, MM_PGT_NONE), -XM_EINVAL);
	assert_int_equal(mm_pin(&dom1, t.l1, MM_PGT_WRITABLE), -XM_EINVAL);
	/* The right level is fine, and counts once more. */
	assert_int_equal(mm_pin(&dom1, t.l2, MM_PGT_L2), 0);
	expect_refs(t.l2, 4, MM_PGT_L2, 2);
	expect_refs(t.l1, 2, MM_PGT_L1, 1);
}

static void
test_mapping_a_foreign_frame_is_refused(void **state)
{
	struct tree t;
	uint64_t other, l1;
	int64_t hv;

	(void)state;
	tree_pin(&dom1, &t);
	other = frame(&dom2);
	hv = mm_alloc_frames(0);
	assert_true(hv >= 0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(other, RO)), -XM_EBUSY);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte((uint64_t)hv, RO)), -XM_EBUSY);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l2, 5),
	    pte(other, RW)), -XM_EINVAL);
	expect_refs(other, 1, MM_PGT_NONE, 0);
	assert_int_equal(pt(t.l1)[5], 0);
	/* The same in a table being validated. */
	l1 = frame(&dom1);
	pt(l1)[9] = pte(other, RW);
	assert_int_equal(mm_pin(&dom1, l1, MM_PGT_L1), -XM_EBUSY);
	expect_refs(other, 1, MM_PGT_NONE, 0);
	assert_non_null(strstr(last_log, "d1: "));
}

static void
test_mapping_a_page_table_writable_is_refused(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(t.l2, RW)), -XM_EBUSY);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(t.l1, RW)), -XM_EBUSY);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(t.l4, RW)), -XM_EBUSY);
	/* Read-only is how a guest sees its tables. */
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(t.l4, RO)), 0);
	expect_refs(t.l4, 3, MM_PGT_L4, 1);
	/* A table whose own entries would map it writable fails whole. */
	pt(t.data_ro)[0] = pte(t.data_ro, RW);
	assert_int_equal(mm_pin(&dom1, t.data_ro, MM_PGT_L1), -XM_EBUSY);
	expect_refs(t.data_ro, 2, MM_PGT_NONE, 0);
}

static void
test_pinning_a_frame_mapped_writable_is_refused(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_pin(&dom1, t.data, MM_PGT_L1), -XM_EINVAL);
	expect_refs(t.data, 2, MM_PGT_WRITABLE, 1);
	/* Once the writable mapping is gone, it may become a table. */
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 0), 0), 0);
	assert_int_equal(mm_pin(&dom1, t.data, MM_PGT_L1), 0);
	expect_refs(t.data, 2, MM_PGT_L1, 1);
}

static void
test_unpinned_table_becomes_writable_again(void **state)
{
	struct tree t;
	uint64_t x;

	(void)state;
	tree_pin(&dom1, &t);
	x = frame(&dom1);
	assert_int_equal(mm_pin(&dom1, x, MM_PGT_L1), 0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(x, RW)), -XM_EBUSY);
	assert_int_equal(mm_unpin(&dom1, x), 0);
	expect_refs(x, 1, MM_PGT_L1, 0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(x, RW)), 0);
	expect_refs(x, 2, MM_PGT_WRITABLE, 1);
	assert_int_equal(mm_unpin(&dom1, x), -XM_EINVAL);
	assert_int_equal(mm_unpin(&dom2, t.l4), -XM_EINVAL);
}

static void
test_type_change_flushes_stale_translations(void **state)
{
	struct tree t;
	unsigned int before;

	(void)state;
	tree_pin(&dom1, &t);
	/* Fresh frames had no type: nothing stale to flush. */
	assert_int_equal(flushes, 0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 0), 0), 0);
	before = flushes;
	assert_int_equal(mm_pin(&dom1, t.data, MM_PGT_L1), 0);
	assert_true(flushes > before);
}

/*
 * What entries may say.
 */

static void
test_superpages_are_refused(void **state)
{
	struct tree t;
	uint64_t l2;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l2, 1),
	    pte(t.data_ro, RO | MM_PTE_PSE)), -XM_EINVAL);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l3, 1),
	    pte(t.data_ro, RO | MM_PTE_PSE)), -XM_EINVAL);
	l2 = frame(&dom1);
	pt(l2)[7] = pte(0x200, RW | MM_PTE_PSE);
	assert_int_equal(mm_pin(&dom1, l2, MM_PGT_L2), -XM_EINVAL);
	expect_refs(l2, 1, MM_PGT_NONE, 0);
}

static void
test_guest_global_bit_is_cleared(void **state)
{
	struct tree t;
	uint64_t *l1;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(t.data_ro, RO | MM_PTE_G)), 0);
	l1 = mm_map_frame(t.l1);
	assert_true(l1[5] & MM_PTE_P);
	assert_false(l1[5] & MM_PTE_G);
}

static void
test_disallowed_flags_are_refused(void **state)
{
	static const uint64_t l1_bad[] = {
		MM_PTE_PWT, MM_PTE_PCD, MM_PTE_PSE, MM_PTE_GNTTAB,
	};
	static const uint64_t l1_good[] = {
		MM_PTE_G, MM_PTE_NX, MM_PTE_A | MM_PTE_D, MM_PTE_AVAIL,
		UINT64_C(1) << 60,
	};
	struct tree t;
	unsigned int i;

	(void)state;
	tree_pin(&dom1, &t);
	for (i = 0; i < sizeof(l1_bad) / sizeof(l1_bad[0]); i++)
		assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
		    pte(t.data_ro, RO | l1_bad[i])), -XM_EINVAL);
	for (i = 0; i < sizeof(l1_good) / sizeof(l1_good[0]); i++)
		assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
		    pte(t.data_ro, RO | l1_good[i])), 0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l2, 0),
	    pte(t.l1, RW | MM_PTE_G)), -XM_EINVAL);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l4, 0),
	    pte(t.l3, RW | MM_PTE_PCD)), -XM_EINVAL);
	expect_refs(t.data_ro, 3, MM_PGT_NONE, 0);
	expect_refs(t.l1, 2, MM_PGT_L1, 1);
}

static void
test_hv_l4_slots_belong_to_hv(void **state)
{
	struct tree t;
	uint64_t other;

	(void)state;
	tree_write(&dom1, &t);
	/* What the guest leaves in hv's slots is neither checked nor kept. */
	other = frame(&dom2);
	pt(t.l4)[MM_HV_L4_FIRST] = pte(other, RW);
	pt(t.l4)[MM_HV_L4_END - 1] = ~UINT64_C(0);
	assert_int_equal(mm_pin(&dom1, t.l4, MM_PGT_L4), 0);
	assert_int_equal(pt(t.l4)[MM_HV_L4_FIRST], HV_L4E(MM_HV_L4_FIRST));
	assert_int_equal(pt(t.l4)[MM_HV_L4_END - 1],
	    HV_L4E(MM_HV_L4_END - 1));
	expect_refs(other, 1, MM_PGT_NONE, 0);
	/* And the guest may not write them. */
	assert_int_equal(mm_pt_update(&dom1,
	    pte_maddr(t.l4, MM_HV_L4_FIRST), 0), -XM_EINVAL);
	assert_int_equal(mm_pt_update(&dom1,
	    pte_maddr(t.l4, MM_HV_L4_END - 1), pte(t.l3, RW)), -XM_EINVAL);
	assert_int_equal(pt(t.l4)[MM_HV_L4_FIRST], HV_L4E(MM_HV_L4_FIRST));
	/* The slots on either side are the guest's. */
	assert_int_equal(mm_pt_update(&dom1,
	    pte_maddr(t.l4, MM_HV_L4_FIRST - 1), 0), 0);
	assert_int_equal(mm_pt_update(&dom1,
	    pte_maddr(t.l4, MM_HV_L4_END), 0), 0);
	/* Nor can the walk for update_va_mapping go there. */
	assert_int_equal(mm_walk_to_l1(&dom1, t.l4,
	    XM_HYPERVISOR_VIRT_START, &other, &(unsigned int){0}),
	    -XM_EINVAL);
}

static void
test_update_outside_a_page_table(void **state)
{
	struct tree t;
	uint64_t plain, desc, other;
	int64_t hv;

	(void)state;
	tree_pin(&dom1, &t);
	/* A frame that is no table is data: written as is, no references. */
	plain = frame(&dom1);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(plain, 3),
	    pte(t.data_ro, RW | MM_PTE_PCD)), 0);
	assert_int_equal(pt(plain)[3], pte(t.data_ro, RW | MM_PTE_PCD));
	expect_refs(t.data_ro, 2, MM_PGT_NONE, 0);
	expect_refs(plain, 1, MM_PGT_WRITABLE, 0);
	/* ... and checked like any table when it becomes one. */
	assert_int_equal(mm_pin(&dom1, plain, MM_PGT_L1), -XM_EINVAL);
	/* A descriptor page is not writable. */
	desc = frame(&dom1);
	assert_int_equal(mm_get_page_and_type(&dom1, desc, MM_PGT_SEG_DESC),
	    0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(desc, 0), 0),
	    -XM_EINVAL);
	/* Nor are frames of someone else. */
	other = frame(&dom2);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(other, 0), 0),
	    -XM_EINVAL);
	hv = mm_alloc_frames(0);
	assert_true(hv >= 0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr((uint64_t)hv, 0), 0),
	    -XM_EINVAL);
	/* An entry is 8 bytes, 8-byte aligned. */
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5) + 4, 0),
	    -XM_EINVAL);
}

static void
test_descriptor_pages_are_checked_and_kept_read_only(void **state)
{
	struct tree t;
	uint64_t desc;

	(void)state;
	tree_pin(&dom1, &t);
	desc = frame(&dom1);
	pt(desc)[0] = BAD_DESC;
	assert_int_equal(mm_get_page_and_type(&dom1, desc, MM_PGT_SEG_DESC),
	    -XM_EINVAL);
	expect_refs(desc, 1, MM_PGT_NONE, 0);
	pt(desc)[0] = 0;
	assert_int_equal(mm_get_page_and_type(&dom1, desc, MM_PGT_SEG_DESC),
	    0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(desc, RW)), -XM_EBUSY);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(desc, RO)), 0);
	mm_put_page_and_type(&dom1, desc);
	expect_refs(desc, 2, MM_PGT_SEG_DESC, 0);
}

static void
test_out_of_range_mfns_are_refused(void **state)
{
	static const uint64_t bad[] = {
		NR_FRAMES, NR_FRAMES + 1, HOLE_START, HOLE_END - 1,
		UINT64_C(1) << 32, UINT64_C(1) << 39,
	};
	struct tree t;
	uint64_t l1;
	unsigned int i, slot;

	(void)state;
	tree_pin(&dom1, &t);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(mm_page_info(bad[i]));
		assert_int_equal(mm_pin(&dom1, bad[i], MM_PGT_L1),
		    -XM_EINVAL);
		assert_int_equal(mm_unpin(&dom1, bad[i]), -XM_EINVAL);
		assert_int_equal(mm_get_base_table(&dom1, bad[i]),
		    -XM_EINVAL);
		assert_int_equal(mm_pt_update(&dom1, pte_maddr(bad[i], 0), 0),
		    -XM_EINVAL);
		assert_int_equal(mm_machphys_update(&dom1, bad[i], 7),
		    -XM_EINVAL);
		assert_int_equal(mm_domain_free_frame(&dom1, bad[i]),
		    -XM_EINVAL);
		assert_int_equal(mm_walk_to_l1(&dom1, bad[i], 0, &l1, &slot),
		    -XM_EINVAL);
		assert_int_equal(mm_l1_update(&dom1, bad[i], 0, 0),
		    -XM_EINVAL);
		assert_int_equal(mm_get_page(&dom1, bad[i]), -XM_EINVAL);
		/* Mapping what is not RAM is mapping I/O memory. */
		if ((bad[i] & ~(MM_PTE_ADDR >> 12)) == 0)
			assert_int_equal(mm_pt_update(&dom1,
			    pte_maddr(t.l1, 5), pte(bad[i], RO)),
			    -XM_EPERM);
		assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l2, 5),
		    pte(bad[i], RW) & (MM_PTE_ADDR | RW)), -XM_EINVAL);
	}
	/* Address bits above bit 51 are flags, and not allowed ones. */
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(t.data_ro, RO) | (UINT64_C(1) << 62)), -XM_EINVAL);
}

/*
 * mmu_update, update_va_mapping and machphys.
 */

static void
test_pt_update_swaps_references(void **state)
{
	struct tree t;
	uint64_t a, b, l1b;

	(void)state;
	tree_pin(&dom1, &t);
	a = frame(&dom1);
	b = frame(&dom1);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 3),
	    pte(a, RW)), 0);
	expect_refs(a, 2, MM_PGT_WRITABLE, 1);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 3),
	    pte(b, RO)), 0);
	expect_refs(a, 1, MM_PGT_WRITABLE, 0);
	expect_refs(b, 2, MM_PGT_NONE, 0);
	/* Replacing an L1 in its L2 devalidates the old one. */
	l1b = frame(&dom1);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l2, 0),
	    pte(l1b, RW)), 0);
	expect_refs(l1b, 2, MM_PGT_L1, 1);
	expect_refs(t.l1, 1, MM_PGT_L1, 0);
	assert_false(info(t.l1)->flags & PGF_VALIDATED);
	expect_refs(t.data, 1, MM_PGT_WRITABLE, 0);
	expect_refs(t.data_ro, 1, MM_PGT_NONE, 0);
	expect_refs(b, 1, MM_PGT_NONE, 0);
	expect_refs(t.l2, 2, MM_PGT_L2, 1);
}

static void
test_rewriting_an_entry_keeps_its_table_validated(void **state)
{
	struct tree t;
	unsigned int before;

	(void)state;
	tree_pin(&dom1, &t);
	before = flushes;
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l2, 0),
	    pte(t.l1, RW | MM_PTE_A)), 0);
	expect_refs(t.l1, 2, MM_PGT_L1, 1);
	assert_true(info(t.l1)->flags & PGF_VALIDATED);
	expect_refs(t.data, 2, MM_PGT_WRITABLE, 1);
	assert_int_equal(flushes, before);
}

static void
test_preserve_ad_keeps_what_the_cpu_set(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	pt(t.l1)[1] |= MM_PTE_A | MM_PTE_D;	/* as the CPU would */
	assert_int_equal(mm_pt_update_preserve_ad(&dom1, pte_maddr(t.l1, 1),
	    pte(t.data_ro, RO | MM_PTE_NX)), 0);
	assert_int_equal(pt(t.l1)[1],
	    pte(t.data_ro, RO | MM_PTE_NX | MM_PTE_A | MM_PTE_D));
	pt(t.l1)[1] |= MM_PTE_A;
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 1),
	    pte(t.data_ro, RO)), 0);
	assert_int_equal(pt(t.l1)[1], pte(t.data_ro, RO));
	expect_refs(t.data_ro, 2, MM_PGT_NONE, 0);
}

static void
test_reference_counts_stop_at_a_high_watermark(void **state)
{
	struct tree t;
	uint32_t saved;

	(void)state;
	tree_pin(&dom1, &t);
	saved = table[t.data_ro].count;
	table[t.data_ro].count = MM_REF_MAX;
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(t.data_ro, RO)), -XM_EBUSY);
	assert_int_equal(table[t.data_ro].count, MM_REF_MAX);
	table[t.data_ro].count = saved;
	saved = table[t.l1].type_count;
	table[t.l1].type_count = MM_REF_MAX;
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l2, 5),
	    pte(t.l1, RW)), -XM_EINVAL);
	assert_int_equal(table[t.l1].type_count, MM_REF_MAX);
	table[t.l1].type_count = saved;
	expect_refs(t.l1, 2, MM_PGT_L1, 1);
}

static void
test_update_va_mapping_walks_to_the_l1(void **state)
{
	struct tree t;
	uint64_t l1 = 0, b;
	unsigned int slot = 0;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_walk_to_l1(&dom1, t.l4, 0x1000, &l1, &slot), 0);
	assert_int_equal(l1, t.l1);
	assert_int_equal(slot, 1);
	b = frame(&dom1);
	assert_int_equal(mm_l1_update(&dom1, l1, slot, pte(b, RW)), 0);
	expect_refs(b, 2, MM_PGT_WRITABLE, 1);
	expect_refs(t.data_ro, 1, MM_PGT_NONE, 0);
	assert_int_equal(mm_l1_update(&dom1, l1, slot, pte(t.l3, RW)),
	    -XM_EBUSY);
	assert_int_equal(mm_l1_update(&dom1, l1, 512, 0), -XM_EINVAL);
	assert_int_equal(mm_l1_update(&dom1, t.l2, 0, 0), -XM_EINVAL);
	/* Nothing mapped there, or no such address. */
	assert_int_equal(mm_walk_to_l1(&dom1, t.l4, 0x40000000, &l1, &slot),
	    -XM_EINVAL);
	assert_int_equal(mm_walk_to_l1(&dom1, t.l4, UINT64_C(1) << 47, &l1,
	    &slot), -XM_EINVAL);
	/* Only from a validated L4 of the caller's. */
	assert_int_equal(mm_walk_to_l1(&dom1, t.l3, 0x1000, &l1, &slot),
	    -XM_EINVAL);
	assert_int_equal(mm_walk_to_l1(&dom2, t.l4, 0x1000, &l1, &slot),
	    -XM_EINVAL);
}

static void
test_machphys_update_only_for_own_frames(void **state)
{
	uint64_t mine, theirs;

	(void)state;
	mine = frame(&dom1);
	theirs = frame(&dom2);
	assert_int_equal(mm_machphys_update(&dom1, mine, 42), 0);
	assert_int_equal(m2p[mine], 42);
	m2p[theirs] = 7;
	assert_int_equal(mm_machphys_update(&dom1, theirs, 42), -XM_EINVAL);
	assert_int_equal(m2p[theirs], 7);
}

static void
test_base_table_must_be_a_valid_l4(void **state)
{
	struct tree t;

	(void)state;
	tree_write(&dom1, &t);
	assert_int_equal(mm_pin(&dom1, t.l3, MM_PGT_L3), 0);
	assert_int_equal(mm_get_base_table(&dom1, t.l3), -XM_EINVAL);
	assert_int_equal(mm_unpin(&dom1, t.l3), 0);
	assert_int_equal(mm_get_base_table(&dom1, t.l4), 0);
	expect_refs(t.l4, 2, MM_PGT_L4, 1);
	expect_refs(t.l3, 2, MM_PGT_L3, 1);
	assert_int_equal(mm_get_base_table(&dom2, t.l4), -XM_EINVAL);
	mm_put_base_table(&dom1, t.l4);
	expect_refs(t.l4, 1, MM_PGT_L4, 0);
	expect_refs(t.l3, 1, MM_PGT_L3, 0);
	expect_refs(t.data, 1, MM_PGT_WRITABLE, 0);
}

/*
 * Failure leaves nothing behind; death gives everything back.
 */

static void
test_partially_invalid_l2_leaves_no_stray_references(void **state)
{
	struct snapshot *before = malloc(sizeof(*before));
	uint64_t l2, l1, data, other;
	unsigned int i;

	(void)state;
	assert_non_null(before);
	l2 = frame(&dom1);
	data = frame(&dom1);
	for (i = 0; i < 4; i++) {
		l1 = frame(&dom1);
		pt(l1)[0] = pte(data, RO);
		pt(l1)[1] = pte(frame(&dom1), RW);
		pt(l1)[2] = pte(l2, RO);
		pt(l2)[i] = pte(l1, RW);
	}
	pt(l2)[4] = pte(l1, RW);		/* shared L1: fine */
	other = frame(&dom2);
	pt(l2)[5] = pte(other, RW);		/* foreign: refused */
	snapshot_take(before);
	assert_int_equal(mm_pin(&dom1, l2, MM_PGT_L2), -XM_EINVAL);
	snapshot_same(before);
	/* The L1s were devalidated again: mappable writable once more. */
	assert_int_equal(mm_get_page_and_type(&dom1, l1, MM_PGT_WRITABLE),
	    0);
	mm_put_page_and_type(&dom1, l1);
	free(before);
}

static void
test_failure_deep_in_a_tree_unwinds_every_level(void **state)
{
	struct snapshot *before = malloc(sizeof(*before));
	struct tree t;

	(void)state;
	assert_non_null(before);
	tree_write(&dom1, &t);
	pt(t.l1)[100] = pte(t.data_ro, RO | MM_PTE_PCD);
	snapshot_take(before);
	assert_int_equal(mm_pin(&dom1, t.l4, MM_PGT_L4), -XM_EINVAL);
	snapshot_same(before);
	free(before);
}

static void
test_release_all_returns_every_frame(void **state)
{
	struct tree t, u;
	uint64_t cross, held;

	(void)state;
	tree_pin(&dom1, &t);
	tree_pin(&dom2, &u);
	/* A second pinned L1 mapping the whole tree read-only. */
	cross = frame(&dom1);
	pt(cross)[0] = pte(t.l4, RO);
	pt(cross)[1] = pte(t.l3, RO);
	pt(cross)[2] = pte(t.l1, RO);
	pt(cross)[3] = pte(cross, RO);
	pt(cross)[4] = pte(t.data, RW);
	assert_int_equal(mm_pin(&dom1, cross, MM_PGT_L1), 0);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 5),
	    pte(cross, RO)), 0);
	/* A frame ballooned out while still mapped. */
	assert_int_equal(mm_domain_free_frame(&dom1, t.data_ro), 0);
	/* What the vCPU runs on, and a frame hv writes to. */
	assert_int_equal(mm_get_base_table(&dom1, t.l4), 0);
	held = frame(&dom1);
	assert_int_equal(mm_get_page_and_type(&dom1, held, MM_PGT_WRITABLE),
	    0);

	assert_int_equal(mm_domain_release_all(&dom1), 2);
	assert_int_equal(mm_domain_alloc_frame(&dom1), -XM_EINVAL);
	mm_put_base_table(&dom1, t.l4);
	mm_put_page_and_type(&dom1, held);
	assert_int_equal(dom1.tot_pages, 0);
	assert_int_equal(dom1.head, MM_NIL);
	/* dom2 is untouched. */
	expect_refs(u.l4, 2, MM_PGT_L4, 1);
	expect_refs(u.data, 2, MM_PGT_WRITABLE, 1);
	assert_int_equal(mm_free_count(), heap_start - dom2.tot_pages);
	assert_int_equal(mm_domain_release_all(&dom2), 0);
	assert_int_equal(mm_free_count(), heap_start);
}

/*
 * Grant mappings: entries hv's grant code writes for frames of another
 * domain, whose references the grant code holds, not the entry.
 */

#define GRANT_RW	(MM_PTE_P | MM_PTE_RW | MM_PTE_A | MM_PTE_D | \
			    MM_PTE_GNTTAB | MM_PTE_NX)
#define GRANT_RO	(GRANT_RW & ~MM_PTE_RW)
#define AS_KERNEL	(MM_PTE_US | MM_PTE_GUEST_KERNEL)

/* What the grant code does before it installs a mapping of mfn. */
static void
grant_refs_get(struct mm_domain *owner, uint64_t mfn, bool rw)
{
	if (rw)
		assert_int_equal(mm_get_page_and_type(owner, mfn,
		    MM_PGT_WRITABLE), 0);
	else
		assert_int_equal(mm_get_page(owner, mfn), 0);
}

static void
grant_refs_put(struct mm_domain *owner, uint64_t mfn, bool rw)
{
	if (rw)
		mm_put_page_and_type(owner, mfn);
	else
		mm_put_page(owner, mfn);
}

static void
test_grant_mapping_holds_no_references_of_its_own(void **state)
{
	struct snapshot *before = malloc(sizeof(*before));
	struct tree t;
	uint64_t g;

	(void)state;
	assert_non_null(before);
	tree_pin(&dom1, &t);
	g = frame(&dom2);
	snapshot_take(before);
	grant_refs_get(&dom2, g, true);
	assert_int_equal(mm_l1_grant_install(&dom1, t.l1, 5,
	    pte(g, GRANT_RW)), 0);
	/* Adjusted as any kernel entry of a ring-3 guest. */
	assert_int_equal(pt(t.l1)[5], pte(g, GRANT_RW | AS_KERNEL));
	expect_refs(g, 2, MM_PGT_WRITABLE, 1);
	expect_refs(t.l1, 2, MM_PGT_L1, 1);
	/* Only the mapping of that frame, with that access, comes off. */
	assert_int_equal(mm_l1_grant_remove(&dom1, t.l1, 5, t.data, true),
	    -XM_EINVAL);
	assert_int_equal(mm_l1_grant_remove(&dom1, t.l1, 5, g, false),
	    -XM_EINVAL);
	assert_int_equal(mm_l1_grant_remove(&dom1, t.l1, 0, t.data, true),
	    -XM_EINVAL);
	assert_int_equal(mm_l1_grant_remove(&dom2, t.l1, 5, g, true),
	    -XM_EINVAL);
	assert_int_equal(mm_l1_grant_remove(&dom1, t.l1, 5, g, true), 0);
	assert_int_equal(pt(t.l1)[5], 0);
	expect_refs(g, 2, MM_PGT_WRITABLE, 1);
	grant_refs_put(&dom2, g, true);
	snapshot_same(before);
	free(before);
}

static void
test_guest_cannot_replace_a_grant_mapping(void **state)
{
	struct tree t;
	uint64_t g, e;

	(void)state;
	tree_pin(&dom1, &t);
	g = frame(&dom2);
	grant_refs_get(&dom2, g, false);
	assert_int_equal(mm_l1_grant_install(&dom1, t.l1, 7,
	    pte(g, GRANT_RO | MM_PTE_US)), 0);
	e = pt(t.l1)[7];
	assert_int_equal(e, pte(g, GRANT_RO | MM_PTE_US));
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 7), 0),
	    -XM_EINVAL);
	assert_int_equal(mm_pt_update_preserve_ad(&dom1, pte_maddr(t.l1, 7),
	    pte(t.data_ro, RO)), -XM_EINVAL);
	assert_int_equal(mm_l1_update(&dom1, t.l1, 7, 0), -XM_EINVAL);
	assert_int_equal(mm_l1_grant_install(&dom1, t.l1, 7,
	    pte(g, GRANT_RO)), -XM_EBUSY);
	assert_int_equal(pt(t.l1)[7], e);
	/* Nor write one of its own, for its frame or another's. */
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 8),
	    pte(g, RO | MM_PTE_GNTTAB)), -XM_EINVAL);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 8),
	    pte(t.data_ro, RO | MM_PTE_GNTTAB)), -XM_EINVAL);
	expect_refs(g, 2, MM_PGT_NONE, 0);
	expect_refs(t.data_ro, 2, MM_PGT_NONE, 0);
}

static void
test_grant_install_needs_a_live_l1_and_replaces_an_entry(void **state)
{
	struct tree t;
	uint64_t g, loose;

	(void)state;
	tree_pin(&dom1, &t);
	g = frame(&dom2);
	loose = frame(&dom1);
	grant_refs_get(&dom2, g, true);
	assert_int_equal(mm_l1_grant_install(&dom1, t.l2, 5,
	    pte(g, GRANT_RW)), -XM_EINVAL);
	assert_int_equal(mm_l1_grant_install(&dom1, loose, 5,
	    pte(g, GRANT_RW)), -XM_EINVAL);
	assert_int_equal(mm_l1_grant_install(&dom2, t.l1, 5,
	    pte(g, GRANT_RW)), -XM_EINVAL);
	assert_int_equal(mm_l1_grant_install(&dom1, t.l1, 512,
	    pte(g, GRANT_RW)), -XM_EINVAL);
	assert_int_equal(pt(loose)[5], 0);
	/* Over an ordinary entry: what that one held is dropped. */
	assert_int_equal(mm_l1_grant_install(&dom1, t.l1, 0,
	    pte(g, GRANT_RW)), 0);
	expect_refs(t.data, 1, MM_PGT_WRITABLE, 0);
	expect_refs(g, 2, MM_PGT_WRITABLE, 1);
	assert_int_equal(mm_l1_grant_remove(&dom1, t.l1, 0, g, true), 0);
	grant_refs_put(&dom2, g, true);
	expect_refs(g, 1, MM_PGT_WRITABLE, 0);
}

static void
test_devalidated_table_leaves_grant_references_alone(void **state)
{
	uint64_t l1, g;

	(void)state;
	l1 = frame(&dom1);
	g = frame(&dom2);
	assert_int_equal(mm_pin(&dom1, l1, MM_PGT_L1), 0);
	grant_refs_get(&dom2, g, true);
	assert_int_equal(mm_l1_grant_install(&dom1, l1, 3, pte(g, GRANT_RW)),
	    0);
	assert_int_equal(mm_unpin(&dom1, l1), 0);
	expect_refs(l1, 1, MM_PGT_L1, 0);
	expect_refs(g, 2, MM_PGT_WRITABLE, 1);
	/* The dead entry never validates again, nor can it be removed. */
	assert_int_equal(mm_pin(&dom1, l1, MM_PGT_L1), -XM_EINVAL);
	assert_int_equal(mm_l1_grant_remove(&dom1, l1, 3, g, true),
	    -XM_EINVAL);
	/* The grant code still holds the frame; it lets go at death. */
	grant_refs_put(&dom2, g, true);
	expect_refs(g, 1, MM_PGT_WRITABLE, 0);
}

static void
test_bit_62_above_l1_is_the_guests(void **state)
{
	struct tree t;

	(void)state;
	tree_write(&dom1, &t);
	pt(t.l2)[0] = pte(t.l1, RW | MM_PTE_GNTTAB);
	assert_int_equal(mm_pin(&dom1, t.l4, MM_PGT_L4), 0);
	expect_refs(t.l1, 2, MM_PGT_L1, 1);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l2, 0), 0), 0);
	expect_refs(t.l1, 1, MM_PGT_L1, 0);
	expect_refs(t.data, 1, MM_PGT_WRITABLE, 0);
}

static void
test_release_all_with_grant_mappings_either_way(void **state)
{
	struct tree t, u;
	uint64_t g, h;

	(void)state;
	tree_pin(&dom1, &t);
	tree_pin(&dom2, &u);
	g = frame(&dom2);
	h = frame(&dom1);
	/* dom1 maps dom2's g writable, dom2 maps dom1's h read-only. */
	grant_refs_get(&dom2, g, true);
	assert_int_equal(mm_l1_grant_install(&dom1, t.l1, 9,
	    pte(g, GRANT_RW)), 0);
	grant_refs_get(&dom1, h, false);
	assert_int_equal(mm_l1_grant_install(&dom2, u.l1, 9,
	    pte(h, GRANT_RO)), 0);

	/* dom1 dies first: only h, which dom2 maps, outlives it. */
	assert_int_equal(mm_domain_release_all(&dom1), 1);
	expect_refs(g, 2, MM_PGT_WRITABLE, 1);
	expect_refs(h, 1, MM_PGT_NONE, 0);
	/* The grant code releases dom1's mapping of g ... */
	grant_refs_put(&dom2, g, true);
	expect_refs(g, 1, MM_PGT_WRITABLE, 0);
	/* ... and revokes dom2's of h, which frees it. */
	assert_int_equal(mm_l1_grant_remove(&dom2, u.l1, 9, h, false), 0);
	grant_refs_put(&dom1, h, false);
	assert_int_equal(dom1.tot_pages, 0);
	assert_int_equal(mm_domain_release_all(&dom2), 0);
	assert_int_equal(mm_free_count(), heap_start);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, machine_setup, \
		    machine_teardown)
		T(test_heap_counts_every_frame_given_to_it),
		T(test_heap_takes_unaligned_ranges_in_aligned_blocks),
		T(test_alloc_splits_and_free_coalesces),
		T(test_heap_exhaustion_and_full_recovery),
		T(test_domain_allocation_honours_max_pages),
		T(test_freed_frame_returns_when_unreferenced),
		T(test_freed_frame_waits_for_its_last_mapping),
		T(test_assign_and_unassign_move_frames_between_hv_and_domain),
		T(test_pinned_four_level_table_holds_the_right_references),
		T(test_guest_entries_get_user_forced),
		T(test_pinning_twice_is_refused),
		T(test_pinning_the_wrong_level_is_refused),
		T(test_mapping_a_foreign_frame_is_refused),
		T(test_mapping_a_page_table_writable_is_refused),
		T(test_pinning_a_frame_mapped_writable_is_refused),
		T(test_unpinned_table_becomes_writable_again),
		T(test_type_change_flushes_stale_translations),
		T(test_superpages_are_refused),
		T(test_disallowed_flags_are_refused),
		T(test_guest_global_bit_is_cleared),
		T(test_hv_l4_slots_belong_to_hv),
		T(test_update_outside_a_page_table),
		T(test_descriptor_pages_are_checked_and_kept_read_only),
		T(test_out_of_range_mfns_are_refused),
		T(test_pt_update_swaps_references),
		T(test_rewriting_an_entry_keeps_its_table_validated),
		T(test_preserve_ad_keeps_what_the_cpu_set),
		T(test_reference_counts_stop_at_a_high_watermark),
		T(test_update_va_mapping_walks_to_the_l1),
		T(test_machphys_update_only_for_own_frames),
		T(test_base_table_must_be_a_valid_l4),
		T(test_partially_invalid_l2_leaves_no_stray_references),
		T(test_failure_deep_in_a_tree_unwinds_every_level),
		T(test_release_all_returns_every_frame),
		T(test_grant_mapping_holds_no_references_of_its_own),
		T(test_guest_cannot_replace_a_grant_mapping),
		T(test_grant_install_needs_a_live_l1_and_replaces_an_entry),
		T(test_devalidated_table_leaves_grant_references_alone),
		T(test_bit_62_above_l1_is_the_guests),
		T(test_release_all_with_grant_mappings_either_way),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
