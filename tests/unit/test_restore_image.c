/*
 * A save file read for restore (xmd/restore_image.c): a whole, consistent
 * file is taken, with its pins ordered L1 first and its pages read back
 * in file order; each way the records can disagree with each other is
 * refused with a reason, before anything would be made from the file.
 * A live stream: a pfn's last copy is the page, start_info is vCPU 0's
 * and in the tail; its head and its pre-copy pages are read as they
 * come, never a record that has not come whole.
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
static unsigned int gen;		/* pages(): a page is pfn | gen << 4 */
static uint64_t si_store = STORE_PFN;	/* pages(): start_info's store */

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
		memset(data[i], (int)((words[i] & SF_PAGE_PFN) | gen << 4),
		    RS_PAGE_SIZE);
		if ((words[i] & SF_PAGE_PFN) == START_PFN) {
			memset(&si, 0, sizeof(si));
			si.store_mfn = si_store;
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

/* --- live streams ---------------------------------------------------- */

enum lfault {
	L_NONE, L_START_NOT_TAIL, L_START_PFN, L_TOO_MANY, L_HEADLESS,
	L_BAD_STREAM_WORD,
};

#define T(type)		((uint64_t)(type) << SF_PAGE_TYPE_SHIFT)
#define P		SF_PAGE_PINNED

/*
 * Pre-copy: {0 L4 pinned, 1 L2 pinned, 2, 4}, then {4 L1 pinned, 1}; the
 * suspended state; the tail {3, 2 (start_info), 5}.  Pfn 1 ends an
 * ordinary page, pfn 4 a pinned L1; start_info's pre-copy copy names a
 * store pfn that was never saved, its last copy the right one.
 */
static int
make_live(enum lfault f, uint64_t *head_end, uint64_t *tail_off)
{
	struct sf_writer w;
	struct sf_domain sd = { 1, 0, 9, NR_PFNS, 6, SF_NO_PFN };
	struct sf_vcpu v = { 0, SF_VCPU_ONLINE };
	static struct xm_vcpu_guest_context ctx;
	static uint8_t shinfo[RS_PAGE_SIZE];
	uint64_t p2m[2] = { 1, 5 };
	uint64_t r1[4] = { 0 | T(XM_PAGE_L4TAB) | P, 1 | T(XM_PAGE_L2TAB) | P,
	    START_PFN, 4 };
	uint64_t r2[2] = { 4 | T(XM_PAGE_L1TAB) | P, 1 };
	uint64_t tail[3] = { STORE_PFN, START_PFN, 5 };
	FILE *tf = tmpfile();
	int fd;

	assert_non_null(tf);
	fd = dup(fileno(tf));
	fclose(tf);
	if (f == L_START_NOT_TAIL)
		tail[1] = 1;
	if (f == L_START_PFN)
		sd.start_info_pfn = START_PFN;
	if (f == L_TOO_MANY)
		sd.tot_pages = 5;
	if (f == L_BAD_STREAM_WORD)
		r2[1] = NR_PFNS;
	memset(&ctx, 0, sizeof(ctx));
	ctx.user_regs.rdx = START_PFN;
	assert_int_equal(sf_write_begin_flags(&w, fd, SF_FLAG_LIVE), 0);
	if (f == L_HEADLESS)
		record(&w, SF_SHARED_INFO, shinfo, sizeof(shinfo), NULL, 0);
	record(&w, SF_DEFINITION, def, sizeof(def) - 1, NULL, 0);
	record(&w, SF_DOMAIN, &sd, sizeof(sd), NULL, 0);
	*head_end = w.w_off;
	gen = 1;
	si_store = 7;
	pages(&w, r1, 4);
	gen = 2;
	pages(&w, r2, 2);
	*tail_off = w.w_off;
	record(&w, SF_P2M_FRAMES, (uint64_t[]){ 2 }, 8, p2m, sizeof(p2m));
	record(&w, SF_SHARED_INFO, shinfo, sizeof(shinfo), NULL, 0);
	record(&w, SF_VCPU, &v, sizeof(v), &ctx, sizeof(ctx));
	gen = 3;
	si_store = STORE_PFN;
	pages(&w, tail, 3);
	assert_int_equal(sf_write_end(&w), 0);
	gen = 0;
	return fd;
}

static void
takes_a_live_stream(void **state)
{
	struct rs_image ri;
	struct rs_last rl;
	uint8_t page[RS_PAGE_SIZE];
	uint64_t word, head_end, tail_off, pfn;
	unsigned int seen = 0;
	char err[256] = "";
	int fd = make_live(L_NONE, &head_end, &tail_off), tail, n = 0;

	(void)state;
	if (rs_image_read(&ri, fd, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(ri.ri_flags & SF_FLAG_LIVE);
	assert_int_equal(ri.ri_tail_off, tail_off);
	/* start_info: vCPU 0's, read from its last copy (the tail's). */
	assert_int_equal(ri.ri_dom.start_info_pfn, START_PFN);
	assert_int_equal(ri.ri_store_pfn, STORE_PFN);
	/* The last copy's type and pin: 1 ordinary, 4 a pinned L1. */
	assert_int_equal(ri.ri_type[1], 1 + XM_PAGE_NOTAB);
	assert_int_equal(ri.ri_type[4], 1 + XM_PAGE_L1TAB);
	assert_int_equal(ri.ri_npins, 2);
	assert_int_equal(ri.ri_pins[0].pfn, 4);
	assert_int_equal(ri.ri_pins[0].level, XM_PAGE_L1TAB);
	assert_int_equal(ri.ri_pins[1].pfn, 0);
	assert_int_equal(ri.ri_pins[1].level, XM_PAGE_L4TAB);
	/* Each pfn once, its last copy. */
	assert_int_equal(rs_last_begin(&rl, &ri), 0);
	while (rs_last_next(&rl, &word, &tail) == 1) {
		pfn = word & SF_PAGE_PFN;
		assert_false(seen & (1u << pfn));
		seen |= 1u << pfn;
		assert_int_equal(tail, pfn == STORE_PFN || pfn == START_PFN ||
		    pfn == 5);
		assert_int_equal(rs_last_page(&rl, page), 0);
		if (pfn != START_PFN)
			assert_int_equal(page[100], pfn | (tail ? 3 :
			    pfn == 1 || pfn == 4 ? 2 : 1) << 4);
		n++;
	}
	assert_int_equal(n, 6);
	assert_int_equal(seen, 0x3f);
	rs_last_end(&rl);
	rs_image_free(&ri);
	close(fd);
}

static void
refuses_live(enum lfault f, const char *why)
{
	struct rs_image ri;
	uint64_t a, b;
	char err[256] = "";
	int fd = make_live(f, &a, &b);

	assert_int_equal(rs_image_read(&ri, fd, err, sizeof(err)), -1);
	if (strstr(err, why) == NULL)
		fail_msg("fault %d: \"%s\" does not say \"%s\"", f, err, why);
	rs_image_free(&ri);
	close(fd);
}

static void
refuses_live_streams_that_disagree(void **state)
{
	(void)state;
	refuses_live(L_START_NOT_TAIL, "start_info (pfn 0x2, vCPU 0's rdx) "
	    "is not a page of the tail");
	refuses_live(L_START_PFN, "a live stream names none there");
	refuses_live(L_TOO_MANY, "more pages than the DOMAIN record's 5");
	refuses_live(L_HEADLESS, "before the head (DEFINITION, DOMAIN)");
	refuses_live(L_BAD_STREAM_WORD, "pfn 0x8 out of range");
	/* And a file that is not live may not name a pfn twice. */
	refuses(F_PFN_TWICE, "pfn 0x1 twice");
}

/*
 * A stream read as it comes (rs_feed), cut at every byte, ends as the
 * whole file read at once: tail, types, pins, start_info, last copies.
 */
static void
feeds_a_live_stream_as_it_comes(void **state)
{
	struct rs_image whole, fed;
	struct rs_feed *f;
	uint64_t head_end, tail_off, avail, end, pfn;
	char err[256] = "";
	int fd = make_live(L_NONE, &head_end, &tail_off);

	(void)state;
	if (rs_image_read(&whole, fd, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	end = (uint64_t)lseek(fd, 0, SEEK_END);
	assert_non_null(f = rs_feed_new(&fed, fd));
	for (avail = 0; avail < end - SF_END_LEN; avail++)
		if (rs_feed_more(f, avail, err, sizeof(err)) != 0)
			fail_msg("at %llu: %s", (unsigned long long)avail, err);
	/* Before the end the tail has begun, nothing is checked yet. */
	assert_int_equal(fed.ri_tail_off, tail_off);
	if (rs_feed_end(f, 0, 0, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(fed.ri_tail_off, whole.ri_tail_off);
	assert_int_equal(fed.ri_dom.start_info_pfn, START_PFN);
	assert_memory_equal(fed.ri_start_info, whole.ri_start_info,
	    RS_PAGE_SIZE);
	assert_int_equal(fed.ri_npins, whole.ri_npins);
	assert_memory_equal(fed.ri_pins, whole.ri_pins,
	    whole.ri_npins * sizeof(*whole.ri_pins));
	for (pfn = 0; pfn < NR_PFNS; pfn++) {
		assert_int_equal(fed.ri_type[pfn], whole.ri_type[pfn]);
		assert_int_equal(fed.ri_live[pfn], whole.ri_live[pfn]);
		assert_int_equal(fed.ri_last_at[pfn], whole.ri_last_at[pfn]);
	}
	rs_feed_free(f);
	rs_image_free(&fed);
	rs_image_free(&whole);
	close(fd);
}

/* A stream fed as it comes is refused where the whole file would be. */
static void
feed_refuses_what_a_read_refuses(void **state)
{
	struct rs_image ri;
	struct rs_feed *f;
	uint64_t head_end, tail_off, end;
	char err[256] = "";
	int fd = make_live(L_BAD_STREAM_WORD, &head_end, &tail_off);

	(void)state;
	end = (uint64_t)lseek(fd, 0, SEEK_END);
	assert_non_null(f = rs_feed_new(&ri, fd));
	assert_int_equal(rs_feed_more(f, end, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pfn 0x8 out of range"));
	rs_feed_free(f);
	rs_image_free(&ri);
	close(fd);
	/* A damaged tail: the checksum at the end says so. */
	fd = make_live(L_NONE, &head_end, &tail_off);
	end = (uint64_t)lseek(fd, 0, SEEK_END);
	assert_non_null(f = rs_feed_new(&ri, fd));
	assert_int_equal(rs_feed_more(f, end, err, sizeof(err)), 0);
	assert_int_equal(pwrite(fd, "x", 1, (off_t)tail_off + 100), 1);
	assert_int_equal(rs_feed_end(f, 0, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "damaged"));
	rs_feed_free(f);
	rs_image_free(&ri);
	close(fd);
}

/* The head of a stream cut anywhere: not yet, until it is all there. */
static void
reads_the_head_as_it_comes(void **state)
{
	struct rs_image ri;
	uint64_t head_end, tail_off, avail;
	char err[256] = "";
	int fd = make_live(L_NONE, &head_end, &tail_off), rc;

	(void)state;
	for (avail = 0; avail <= head_end + 8; avail++) {
		rc = rs_head_read(&ri, fd, avail, err, sizeof(err));
		assert_int_equal(rc, avail >= head_end ? 1 : 0);
		if (rc == 1) {
			assert_string_equal(ri.ri_def, def);
			assert_int_equal(ri.ri_dom.nr_pfns, NR_PFNS);
			assert_int_equal(ri.ri_dom.start_info_pfn, SF_NO_PFN);
			assert_int_equal(ri.ri_head_end, head_end);
			assert_null(ri.ri_type);
		}
		rs_image_free(&ri);
	}
	close(fd);
	/* A file that is not live is no stream. */
	fd = make(F_NONE);
	assert_int_equal(rs_head_read(&ri, fd, 1 << 20, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a live stream"));
	rs_image_free(&ri);
	close(fd);
}

/*
 * The pages of a stream cut anywhere: whole records only, the pre-copy's
 * then the tail's (its other records stepped over), until END.
 */
static void
reads_pages_as_they_come(void **state)
{
	static const uint64_t want[9] = { 0, 1, START_PFN, 4, 4, 1,
	    STORE_PFN, START_PFN, 5 };
	struct rs_stream st;
	uint8_t page[RS_PAGE_SIZE];
	uint64_t head_end, tail_off, word, avail, rec2, tail_pages, end, pfn;
	char err[256] = "";
	int fd = make_live(L_NONE, &head_end, &tail_off), n = 0, rc;

	(void)state;
	rec2 = head_end + SF_RECORD_HDR + sizeof(struct sf_pages) +
	    4 * (8 + RS_PAGE_SIZE);
	end = (uint64_t)lseek(fd, 0, SEEK_END);
	tail_pages = end - SF_END_LEN;	/* the tail's PAGES record ends */
	rs_stream_begin(&st, fd, head_end, NR_PFNS);
	for (avail = head_end; avail < end + 512; avail += 512) {
		if (avail > end)
			avail = end;
		while ((rc = rs_stream_next(&st, avail, &word, page, err,
		    sizeof(err))) == 1) {
			assert_true(n < 9);
			pfn = word & SF_PAGE_PFN;
			assert_int_equal(pfn, want[n]);
			/* Never a page of a record that has not all come. */
			assert_true(avail >= (n < 4 ? rec2 : n < 6 ? tail_off :
			    tail_pages));
			assert_int_equal(st.st_tail, n >= 6);
			if (pfn != START_PFN)
				assert_int_equal(page[0],
				    pfn | (n < 4 ? 1u : n < 6 ? 2u : 3u) << 4);
			n++;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(st.st_over, avail >= end);
	}
	assert_int_equal(n, 9);
	close(fd);
	/* A word out of range stops it. */
	fd = make_live(L_BAD_STREAM_WORD, &head_end, &tail_off);
	rs_stream_begin(&st, fd, head_end, NR_PFNS);
	while ((rc = rs_stream_next(&st, tail_off, &word, page, err,
	    sizeof(err))) == 1)
		;
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "page 1: word 0x8 unknown or out of "
	    "range"));
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
		cmocka_unit_test(takes_a_live_stream),
		cmocka_unit_test(feeds_a_live_stream_as_it_comes),
		cmocka_unit_test(feed_refuses_what_a_read_refuses),
		cmocka_unit_test(refuses_live_streams_that_disagree),
		cmocka_unit_test(reads_the_head_as_it_comes),
		cmocka_unit_test(reads_pages_as_they_come),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
