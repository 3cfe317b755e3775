/*
 * What hv/mm tells log-dirty (hv/include/hv/mm.h, "Log-dirty"): every
 * change mm makes to a domain's memory reaches one of its three hooks,
 * so that hv/logdirty.c can keep the shadows in step with the guest's
 * tables and mark the frames written.  A hook that is not called is a
 * page sent stale by a live migration, or a shadow entry the guest's
 * own no longer backs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include <hv/mm.h>

#include "mm_stubs.h"

/* Validating a table may write it (US added, hv's L4 slots): dirty. */
static void
test_validation_marks_each_table(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	assert_true(hooks.dirty >= 4);
	assert_int_equal(hooks.gone, 0);
	assert_int_equal(hooks.changed, 0);
}

/* An update of a live table's entry: that slot of that table. */
static void
test_entry_update_reaches_the_shadow(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 7),
	    pte(t.data, RO)), 0);
	assert_int_equal(hooks.changed, 1);
	assert_int_equal(hooks.changed_mfn, t.l1);
	assert_int_equal(hooks.changed_slot, 7);
	assert_int_equal(mm_l1_update(&dom1, t.l1, 9, 0), 0);
	assert_int_equal(hooks.changed, 2);
	assert_int_equal(hooks.changed_slot, 9);
	/* A refused update changes nothing, and says so to nobody. */
	assert_int_not_equal(mm_pt_update(&dom1, pte_maddr(t.l1, 8),
	    pte(t.l2, RW)), 0);
	assert_int_equal(hooks.changed, 2);
}

/* A plain write into a frame that is no table is hv writing for it. */
static void
test_plain_write_marks_the_frame(void **state)
{
	uint64_t f;

	(void)state;
	f = frame(&dom1);
	assert_int_equal(mm_pt_update(&dom1, pte_maddr(f, 3), 0x1234), 0);
	assert_int_equal(hooks.dirty, 1);
	assert_int_equal(hooks.dirty_mfn, f);
	assert_int_equal(hooks.changed, 0);
}

/* The last reference to a table goes: its shadow must go with it. */
static void
test_unpin_drops_every_table(void **state)
{
	struct tree t;

	(void)state;
	tree_pin(&dom1, &t);
	assert_int_equal(mm_unpin(&dom1, t.l4), 0);
	assert_int_equal(hooks.gone, 4);
	assert_int_equal(hooks.gone_mfn, t.l1);		/* the last to go */
}

/*
 * What PAGE_INFO shows of a frame (its type, pin and pfn) changes only
 * with a mark: a live migration types again only the dirty frames.
 */
static void
test_pin_and_unpin_mark_the_table(void **state)
{
	uint64_t f;

	(void)state;
	f = frame(&dom1);
	assert_int_equal(mm_pin(&dom1, f, MM_PGT_L1), 0);
	assert_true(hooks.dirty >= 1);
	assert_int_equal(hooks.dirty_mfn, f);
	hooks.dirty = 0;
	hooks.dirty_mfn = 0;
	assert_int_equal(mm_unpin(&dom1, f), 0);
	assert_int_equal(hooks.dirty, 1);
	assert_int_equal(hooks.dirty_mfn, f);
}

static void
test_type_change_marks_the_frame(void **state)
{
	uint64_t f;

	(void)state;
	f = frame(&dom1);
	/* none -> writable: PAGE_INFO says "no table" for both. */
	assert_int_equal(mm_get_page_and_type(&dom1, f, MM_PGT_WRITABLE), 0);
	mm_put_page_and_type(&dom1, f);
	assert_int_equal(hooks.dirty, 0);
	/* writable -> L1 -> writable: a table came and went. */
	assert_int_equal(mm_pin(&dom1, f, MM_PGT_L1), 0);
	assert_int_equal(mm_unpin(&dom1, f), 0);
	hooks.dirty = 0;
	assert_int_equal(mm_get_page_and_type(&dom1, f, MM_PGT_WRITABLE), 0);
	assert_int_equal(hooks.dirty, 1);
	assert_int_equal(hooks.dirty_mfn, f);
	mm_put_page_and_type(&dom1, f);
}

/* Log-dirty goes by pfn: the frame's old pfn and its new one. */
static void
test_machphys_update_marks_before_and_after(void **state)
{
	uint64_t f;

	(void)state;
	f = frame(&dom1);
	assert_int_equal(mm_machphys_update(&dom1, f, 42), 0);
	assert_int_equal(hooks.dirty, 2);
	assert_int_equal(hooks.dirty_mfn, f);
	assert_int_equal(m2p[f], 42);
}

/* Frames joining and leaving are counted: a live save checks it. */
static void
test_frames_gen_counts_joins_and_leaves(void **state)
{
	uint32_t gen = dom1.frames_gen;
	int64_t mfn;

	(void)state;
	mfn = mm_domain_alloc_frame(&dom1);
	assert_true(mfn >= 0);
	assert_int_equal(dom1.frames_gen, gen + 1);
	assert_int_equal(mm_domain_free_frame(&dom1, (uint64_t)mfn), 0);
	assert_int_equal(dom1.frames_gen, gen + 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_validation_marks_each_table,
		    machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(
		    test_entry_update_reaches_the_shadow,
		    machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(
		    test_plain_write_marks_the_frame,
		    machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_unpin_drops_every_table,
		    machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(
		    test_pin_and_unpin_mark_the_table,
		    machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(
		    test_type_change_marks_the_frame,
		    machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(
		    test_machphys_update_marks_before_and_after,
		    machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(
		    test_frames_gen_counts_joins_and_leaves,
		    machine_setup, machine_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
