/*
 * Page tables for save and restore (xmd/save_canon.c): a table turned to
 * pfns and back onto another domain's frames names, entry for entry, the
 * same pfns' new frames with the same flags; entries not present are
 * kept; hv's L4 slots are cleared on save and left alone on restore; a
 * frame not the domain's, a pfn past its pages, or a present entry whose
 * pfn has no frame in the new p2m, is an error naming the level, the
 * slot and the frame or pfn.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "save_canon.h"

#define NR	64
#define FLAGS	UINT64_C(0x8000000000000067)	/* NX, D, A, U, W, P */

static uint64_t old_mfn[NR], pfn_of[NR], new_p2m[NR];
static struct canon_map map;

static int
setup(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < NR; i++) {
		old_mfn[i] = 0x5000 + 7 * i;		/* not in pfn order */
		pfn_of[i] = (i * 13) % NR;
		new_p2m[i] = 0x9000 + i;
	}
	return canon_map_init(&map, old_mfn, pfn_of, NR);
}

static int
teardown(void **state)
{
	(void)state;
	canon_map_free(&map);
	return 0;
}

static void
round_trip(void **state)
{
	uint64_t e[CANON_ENTRIES] = { 0 }, want;
	char err[128];
	unsigned int i;

	(void)state;
	for (i = 0; i < NR; i++)
		e[i] = (old_mfn[i] << 12) | FLAGS;
	e[NR] = 0x1234000;		/* not present: the guest's own bits */
	assert_int_equal(canon_table(e, 1, &map, err, sizeof(err)), 0);
	for (i = 0; i < NR; i++)
		assert_int_equal(e[i], (pfn_of[i] << 12) | FLAGS);
	assert_int_equal(e[NR], 0x1234000);
	assert_int_equal(uncanon_table(e, 1, new_p2m, NR, err, sizeof(err)),
	    0);
	for (i = 0; i < NR; i++) {
		want = (new_p2m[pfn_of[i]] << 12) | FLAGS;
		assert_int_equal(e[i], want);
	}
	assert_int_equal(e[NR], 0x1234000);
}

static void
hv_slots(void **state)
{
	uint64_t e[CANON_ENTRIES] = { 0 };
	char err[128];

	(void)state;
	e[255] = (old_mfn[1] << 12) | 0x7;
	e[256] = UINT64_C(0x7777000) | 0x3;	/* hv's: not a guest frame */
	e[271] = UINT64_C(0x8888000) | 0x3;
	e[272] = (old_mfn[2] << 12) | 0x7;
	assert_int_equal(canon_table(e, 4, &map, err, sizeof(err)), 0);
	assert_int_equal(e[256], 0);
	assert_int_equal(e[271], 0);
	assert_int_equal(e[255], (pfn_of[1] << 12) | 0x7);
	assert_int_equal(e[272], (pfn_of[2] << 12) | 0x7);
	e[256] = 0x3;			/* on restore hv's slots are hv's */
	assert_int_equal(uncanon_table(e, 4, new_p2m, NR, err, sizeof(err)),
	    0);
	assert_int_equal(e[256], 0x3);
	/* The same slot of a lower level is an ordinary entry. */
	memset(e, 0, sizeof(e));
	e[256] = UINT64_C(0x7777000) | 0x3;
	assert_int_equal(canon_table(e, 3, &map, err, sizeof(err)), -1);
}

static void
errors(void **state)
{
	uint64_t e[CANON_ENTRIES] = { 0 };
	char err[128] = "";

	(void)state;
	e[3] = (UINT64_C(0x999) << 12) | 0x1;
	assert_int_equal(canon_table(e, 1, &map, err, sizeof(err)), -1);
	assert_string_equal(err, "L1 slot 3: frame 0x999 is not the domain's");
	memset(e, 0, sizeof(e));
	e[9] = ((uint64_t)NR << 12) | 0x1;
	assert_int_equal(uncanon_table(e, 2, new_p2m, NR, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "L2 slot 9: pfn 0x40 is past the domain's "
	    "64 pages");
}

/* A present entry naming a pfn the p2m has no frame for: refused. */
static void
no_frame(void **state)
{
	uint64_t e[CANON_ENTRIES] = { 0 }, before[CANON_ENTRIES];
	char err[128] = "";

	(void)state;
	e[0] = (UINT64_C(4) << 12) | FLAGS;
	e[17] = (UINT64_C(5) << 12) | FLAGS;
	e[18] = UINT64_C(6) << 12;	/* not present: kept, not looked up */
	new_p2m[5] = CANON_NO_MFN;
	new_p2m[6] = CANON_NO_MFN;
	memcpy(before, e, sizeof(e));
	assert_int_equal(uncanon_table(e, 1, new_p2m, NR, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "L1 slot 17: pfn 0x5 has no frame");
	/* Any value past a PTE's frame bits is no frame either. */
	memcpy(e, before, sizeof(e));
	new_p2m[5] = CANON_NO_MFN - 1;
	assert_int_equal(uncanon_table(e, 3, new_p2m, NR, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "L3 slot 17: pfn 0x5 has no frame");
	/* With a frame, the same table goes through. */
	memcpy(e, before, sizeof(e));
	new_p2m[5] = 0x9005;
	assert_int_equal(uncanon_table(e, 1, new_p2m, NR, err, sizeof(err)),
	    0);
	assert_int_equal(e[17], (UINT64_C(0x9005) << 12) | FLAGS);
	assert_int_equal(e[18], UINT64_C(6) << 12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(hv_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(errors, setup, teardown),
		cmocka_unit_test_setup_teardown(no_frame, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
