/*
 * A save file read for restore (xmd/restore_image.c): a whole, consistent
 * file is taken, with its pins ordered L1 first and its pages read back
 * in file order; each way the records can disagree with each other is
 * refused with a reason, before anything would be made from the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xm/domctl.h>
#include <xm/xen_core.h>

#include "restore_image.h"

#define NR_PFNS		8
#define START_PFN	2
#define STORE_PFN	3

enum fault {
	F_NONE, F_NO_DOMAIN, F_PAGES_FIRST, F_PFN_TWICE, F_PFN_RANGE,
	F_NO_START, F_NO_VCPU0, F_TWO_DEFS, F_FEWER_PAGES, F_STORE_UNSAVED,
	F_P2M_UNSAVED, F_VCPU_RANGE, F_BAD_WORD, F_HUGE,
};

static const char def[] = "<domain><name>c</name></domain>";

static void
record(struct sf_writer *w, uint32_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	struct iovec iov[2] = { { (void *)(uintptr_t)a, alen },
	    { (void *)(uintptr_t)b, blen } };

	assert_int_equal(sf_write_record(w, type, iov, b ? 2 : 1), 0);
}

/* One PAGES record of the pfns given; page i is filled with pfn. */
static void
pages(struct sf_writer *w, const uint64_t *words, uint32_t n)
{
	static uint8_t data[SF_PAGES_MAX][RS_PAGE_SIZE];
	struct sf_pages h = { n, 0 };
	struct iovec iov[3] = { { &h, sizeof(h) },
	    { (void *)(uintptr_t)words, n * sizeof(uint64_t) },
	    { data, n * RS_PAGE_SIZE } };
	struct xm_start_info si;
	uint32_t i;

	for (i = 0; i < n; i++) {
		memset(data[i], (int)(words[i] & SF_PAGE_PFN), RS_PAGE_SIZE);
		if ((words[i] & SF_PAGE_PFN) == START_PFN) {
			memset(&si, 0, sizeof(si));
			si.store_mfn = STORE_PFN;
			memcpy(data[i], &si, sizeof(si));
		}
	}
	assert_int_equal(sf_write_record(w, SF_PAGES, iov, 3), 0);
}

static int
make(enum fault f)
{
	struct sf_writer w;
	struct sf_domain sd = { 1, 0, 9, NR_PFNS, 6, START_PFN };
	struct sf_vcpu v = { 0, SF_VCPU_ONLINE };
	static struct xm_vcpu_guest_context ctx;
	static uint8_t shinfo[RS_PAGE_SIZE];
	uint64_t p2m[2] = { 1, 4 };
	uint64_t w1[3] = { 0 | (UINT64_C(4) << SF_PAGE_TYPE_SHIFT) |
	    SF_PAGE_PINNED, 1, START_PFN };
	uint64_t w2[3] = { STORE_PFN, 4 | (UINT64_C(1) << SF_PAGE_TYPE_SHIFT) |
	    SF_PAGE_PINNED, 5 };
	FILE *tf = tmpfile();
	int fd;

	assert_non_null(tf);
	fd = dup(fileno(tf));
	fclose(tf);
	if (f == F_PFN_TWICE)
		w2[2] = 1;
	if (f == F_PFN_RANGE)
		w2[2] = NR_PFNS;
	if (f == F_NO_START)
		w1[2] = 6;
	if (f == F_STORE_UNSAVED)
		w2[0] = 7;
	if (f == F_P2M_UNSAVED)
		p2m[1] = 7;
	if (f == F_BAD_WORD)
		w2[2] |= UINT64_C(1) << 55;
	if (f == F_FEWER_PAGES)
		sd.tot_pages = 5;
	if (f == F_VCPU_RANGE)
		v.vcpu = 1;
	if (f == F_HUGE) {
		sd.nr_pfns = RS_PFNS_MAX;
		sd.tot_pages = RS_PFNS_MAX / 2;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.user_regs.rdx = START_PFN;
	ctx.ctrlreg[3] = 0;
	assert_int_equal(sf_write_begin(&w, fd), 0);
	if (f == F_PAGES_FIRST)
		pages(&w, w1, 3);
	record(&w, SF_DEFINITION, def, sizeof(def) - 1, NULL, 0);
	if (f == F_TWO_DEFS)
		record(&w, SF_DEFINITION, def, sizeof(def) - 1, NULL, 0);
	if (f != F_NO_DOMAIN)
		record(&w, SF_DOMAIN, &sd, sizeof(sd), NULL, 0);
	record(&w, SF_P2M_FRAMES, (uint64_t[]){ 2 }, 8, p2m, sizeof(p2m));
	record(&w, SF_SHARED_INFO, shinfo, sizeof(shinfo), NULL, 0);
	if (f != F_NO_VCPU0)
		record(&w, SF_VCPU, &v, sizeof(v), &ctx, sizeof(ctx));
	if (f != F_PAGES_FIRST)
		pages(&w, w1, 3);
	pages(&w, w2, 3);
	assert_int_equal(sf_write_end(&w), 0);
	return fd;
}

static void
takes_a_whole_file(void **state)
{
	struct rs_image ri;
	struct rs_pages rp;
	uint8_t page[RS_PAGE_SIZE];
	uint64_t word, order[6];
	char err[256] = "";
	int fd = make(F_NONE), n = 0;

	(void)state;
	assert_int_equal(rs_image_read(&ri, fd, err, sizeof(err)), 0);
	assert_string_equal(ri.ri_def, def);
	assert_int_equal(ri.ri_dom.tot_pages, 6);
	assert_int_equal(ri.ri_store_pfn, STORE_PFN);
	assert_int_equal(ri.ri_console_pfn, 0);
	assert_int_equal(ri.ri_np2m, 2);
	assert_true(ri.ri_vcpus[0].present);
	/* Pinned: the L4 at pfn 0 and the L1 at pfn 4, L1 first. */
	assert_int_equal(ri.ri_npins, 2);
	assert_int_equal(ri.ri_pins[0].pfn, 4);
	assert_int_equal(ri.ri_pins[0].level, XM_PAGE_L1TAB);
	assert_int_equal(ri.ri_pins[1].pfn, 0);
	assert_int_equal(ri.ri_pins[1].level, XM_PAGE_L4TAB);
	assert_int_equal(ri.ri_type[6], 0);
	assert_int_equal(ri.ri_type[4], 1 + XM_PAGE_L1TAB);
	rs_pages_begin(&rp, &ri);
	while (rs_pages_next(&rp, &word, page) == 1) {
		assert_true(n < 6);
		order[n++] = word & SF_PAGE_PFN;
		if ((word & SF_PAGE_PFN) != START_PFN)
			assert_int_equal(page[100], word & SF_PAGE_PFN);
	}
	assert_int_equal(n, 6);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[3], STORE_PFN);
	assert_int_equal(order[5], 5);
	rs_image_free(&ri);
	close(fd);
}

static void
refuses(enum fault f, const char *why)
{
	struct rs_image ri;
	char err[256] = "";
	int fd = make(f);

	assert_int_equal(rs_image_read(&ri, fd, err, sizeof(err)), -1);
	if (strstr(err, why) == NULL)
		fail_msg("fault %d: \"%s\" does not say \"%s\"", f, err, why);
	rs_image_free(&ri);
	close(fd);
}

static void
refuses_records_that_disagree(void **state)
{
	(void)state;
	refuses(F_NO_DOMAIN, "before the DOMAIN record");
	refuses(F_PAGES_FIRST, "PAGES record before the DOMAIN record");
	refuses(F_PFN_TWICE, "pfn 0x1 twice");
	refuses(F_PFN_RANGE, "pfn 0x8 out of range");
	refuses(F_NO_START, "start_info (pfn 0x2) is not a saved page");
	refuses(F_NO_VCPU0, "no VCPU record for vCPU 0");
	refuses(F_TWO_DEFS, "a second DEFINITION record");
	refuses(F_FEWER_PAGES, "more pages than the DOMAIN record's 5");
	refuses(F_STORE_UNSAVED, "store (0x3) or console");
	refuses(F_P2M_UNSAVED, "p2m frame 1 is not saved");
	refuses(F_VCPU_RANGE, "vCPU 1 (flags 0x1) of 1");
	refuses(F_BAD_WORD, "unknown");
	/* Nothing is allocated for pages a file this small cannot hold. */
	refuses(F_HUGE, "33554432 pages in a file of");
}

/* A page word rewritten after the file was read (pfn 4's, to pfn 7, which
 * was never saved) stops the page reader: restore indexes by it. */
static void
refuses_a_file_changed_under_it(void **state)
{
	const uint64_t was = 4 | (UINT64_C(1) << SF_PAGE_TYPE_SHIFT) |
	    SF_PAGE_PINNED, now = 7 | (UINT64_C(1) << SF_PAGE_TYPE_SHIFT);
	static uint8_t page[RS_PAGE_SIZE];
	struct rs_image ri;
	struct rs_pages rp;
	char err[256] = "";
	uint64_t word, off = 0;
	int fd = make(F_NONE), rc;

	(void)state;
	assert_int_equal(rs_image_read(&ri, fd, err, sizeof(err)), 0);
	while (pread(fd, &word, sizeof(word), (off_t)off) == sizeof(word) &&
	    word != was)
		off += sizeof(word);
	assert_int_equal(word, was);
	assert_int_equal(pwrite(fd, &now, sizeof(now), (off_t)off),
	    sizeof(now));
	rs_pages_begin(&rp, &ri);
	while ((rc = rs_pages_next(&rp, &word, page)) == 1)
		assert_int_not_equal(word & SF_PAGE_PFN, 7);
	assert_int_equal(rc, -1);
	assert_int_equal(errno, EILSEQ);
	rs_image_free(&ri);
	close(fd);
}

static void
refuses_a_damaged_file(void **state)
{
	struct rs_image ri;
	char err[256] = "";
	int fd = make(F_NONE);
	uint8_t b;

	(void)state;
	assert_int_equal(pread(fd, &b, 1, 100), 1);
	b ^= 1;
	assert_int_equal(pwrite(fd, &b, 1, 100), 1);
	assert_int_equal(rs_image_read(&ri, fd, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "checksum"));
	rs_image_free(&ri);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(takes_a_whole_file),
		cmocka_unit_test(refuses_records_that_disagree),
		cmocka_unit_test(refuses_a_damaged_file),
		cmocka_unit_test(refuses_a_file_changed_under_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
