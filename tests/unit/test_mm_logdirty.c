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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
