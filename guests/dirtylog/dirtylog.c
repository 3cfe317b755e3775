/*
 * dirtylog: a toolstack's part in log-dirty mode (XM_DOMCTL_LOG_DIRTY,
 * what a live migration's rounds need), played by domain 0 on domain 1
 * (guests/dirtier), in TAP.
 *
 * While it is off, PEEK, CLEAN and DISABLE give -ENOENT, and ENABLE
 * refuses 0 pfns or more than XM_LOG_DIRTY_MAX_PFNS.  Domain 0 finds
 * d1's tagged pages (dirtier.h) in its page list with foreign copies
 * and their pfns in the m2p, enables log-dirty for d1's p2m, and
 * checks: a second ENABLE is -EBUSY; bad counts and starts -EINVAL; a
 * buffer hv cannot write -EFAULT, with nothing cleared; after a CLEAN
 * of everything and a wait, the hot page is dirty and no cold one is,
 * each copy's dirty count is the bits it copied and, with d1 paused,
 * pages is all of them; a foreign copy into a cold page marks it; ten
 * quick rounds in a row see the same (a round CLEANs once the hot
 * counter has moved since the last, so the hot pfn must be dirty);
 * after DISABLE, PEEK is -ENOENT; ENABLE works again, and a second of
 * rounds follows while d1 remaps its pages.  It leaves log-dirty on
 * while d1 finishes (it asks it to stop), destroys d1 then, and
 * powers off.
 */
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/arch_x86_64.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/sched.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#include "dirtier.h"

#define DOMU		1
#define SWEEP_BITS	1536	/* the last call reaches past nr_pfns */
#define BITMAP_BYTES	(XM_LOG_DIRTY_BATCH / 8)
#define FIND_NS		(10 * NSEC_PER_SEC)
#define WAIT_NS		(30 * NSEC_PER_SEC)
#define SETTLE_NS	(300 * NSEC_PER_MSEC)
#define ROUNDS		10
#define SOAK_NS		NSEC_PER_SEC
#define MOVE_NS		(2 * NSEC_PER_SEC)
#define POLL_NS		(2 * NSEC_PER_MSEC)
#define NR_COLD		(DIRTIER_PAGES - 1)
#define HV_VA		UINT64_C(0xffff830000000000)	/* hv's own */
#define UNMAPPED_VA	UINT64_C(0x10000)

/* What a sweep over all tracked pfns (PEEK or CLEAN) saw. */
struct sweep {
	long		rc;
	uint64_t	dirty;		/* sum of the calls' dirty */
	uint64_t	bits;		/* bits set in what they copied */
	uint64_t	pages;		/* the last call's */
	unsigned int	calls;
	unsigned int	miscounted;	/* calls whose dirty != their bits */
	unsigned int	pages_moved;	/* calls whose pages != the first's */
	unsigned int	beyond;		/* bits set at or above nr_pfns */
	int		hot;		/* the hot pfn's bit */
	unsigned int	cold;		/* cold pfns with their bit set */
	int		cold_bit[NR_COLD];
};

static struct xm_domctl op;
static struct xm_domctl_copy_op cops[XM_COPY_MAX_OPS];
static uint64_t mfns[XM_COPY_MAX_OPS];
static struct dirtier_head heads[XM_COPY_MAX_OPS];
static uint8_t bitmap[BITMAP_BYTES] __attribute__((aligned(PAGE_SIZE)));

static uint64_t nr_pfns;		/* tracked */
static uint64_t hot_pfn, hot_mfn;
static uint64_t cold_pfn[NR_COLD], cold_mfn[NR_COLD];
static unsigned int nr_cold;

static long
domctl(uint32_t cmd)
{
	return HYPERVISOR_domctl_on(&op, cmd, DOMU);
}

static long
getinfo(struct xm_domctl_info *info)
{
	long rc;

	kmemset(&op, 0, sizeof(op));
	rc = domctl(XM_DOMCTL_GETINFO);
	*info = op.u.info;
	return rc;
}

/* hv builds d1 while domain 0 starts: until d1 has its p2m. */
static long
wait_built(struct xm_domctl_info *info)
{
	uint64_t deadline = monotonic_ns() + FIND_NS;
	long rc;

	while ((rc = getinfo(info)) != 0 || info->nr_pfns == 0) {
		if (monotonic_ns() >= deadline)
			break;
		sleep_ns(10 * NSEC_PER_MSEC);
	}
	return rc;
}

/* One LOG_DIRTY call; what hv said is in op.u.log_dirty. */
static long
log_dirty(uint32_t what, uint64_t nr, uint64_t start, uint64_t count,
    uint64_t buf)
{
	kmemset(&op, 0, sizeof(op));
	op.u.log_dirty.op = what;
	op.u.log_dirty.nr_pfns = nr;
	op.u.log_dirty.start_pfn = start;
	op.u.log_dirty.count = count;
	op.u.log_dirty.buf = buf;
	return domctl(XM_DOMCTL_LOG_DIRTY);
}

static long
ld_op(uint32_t what)
{
	return log_dirty(what, 0, 0, 0, 0);
}

static long
ld_copy(uint32_t what, uint64_t start, uint64_t count, void *buf)
{
	return log_dirty(what, 0, start, count, (uint64_t)buf);
}

/* nr foreign copies of cops[], in one call. */
static long
copy_ops(unsigned int nr)
{
	kmemset(&op, 0, sizeof(op));
	op.u.copy.ops = (uint64_t)cops;
	op.u.copy.nr_ops = nr;
	return domctl(XM_DOMCTL_FOREIGN_COPY);
}

static void
copy_op_set(unsigned int i, uint64_t mfn, uint16_t off, void *buf,
    uint16_t len, uint8_t dir)
{
	kmemset(&cops[i], 0, sizeof(cops[i]));
	cops[i].mfn = mfn;
	cops[i].offset = off;
	cops[i].len = len;
	cops[i].dir = dir;
	cops[i].buf = (uint64_t)buf;
}

static long
hot_counter(uint64_t *val)
{
	copy_op_set(0, hot_mfn, offsetof(struct dirtier_head, counter), val,
	    sizeof(*val), XM_COPY_FROM_DOMAIN);
	return copy_ops(1);
}

/*
 * Until d1 has written its hot page since we were called: the counter
 * it keeps there moved.  A dirty bit cleared before is set again then.
 */
static int
hot_moved(uint64_t *from, uint64_t *to)
{
	uint64_t deadline = monotonic_ns() + MOVE_NS;
	long rc;

	*from = *to = 0;
	rc = hot_counter(from);
	do {
		sleep_ns(POLL_NS);
		if (rc == 0)
			rc = hot_counter(to);
	} while (rc == 0 && *to == *from && monotonic_ns() < deadline);
	return rc == 0 && *to != *from;
}

static unsigned int
popcount(uint64_t w)
{
	unsigned int n = 0;

	for (; w != 0; w &= w - 1)
		n++;
	return n;
}

static int
bit(const uint8_t *map, uint64_t start, uint64_t pfn)
{
	return (map[(pfn - start) / 8] >> ((pfn - start) % 8)) & 1;
}

static int
in_range(uint64_t pfn, uint64_t start, uint64_t count)
{
	return pfn >= start && pfn < start + count;
}

/* What one call copied for [start, start + count): into s. */
static void
sweep_note(struct sweep *s, uint64_t start, uint64_t count)
{
	const uint64_t *w = (const uint64_t *)bitmap;
	uint64_t n = 0, pfn;
	unsigned int i;

	for (i = 0; i < count / 64; i++)
		n += popcount(w[i]);
	for (pfn = nr_pfns; pfn < start + count; pfn++)
		if (pfn >= start)
			s->beyond += bit(bitmap, start, pfn);
	s->miscounted += op.u.log_dirty.dirty != n;
	if (s->calls++ > 0 && op.u.log_dirty.pages != s->pages)
		s->pages_moved++;
	s->pages = op.u.log_dirty.pages;
	s->dirty += op.u.log_dirty.dirty;
	s->bits += n;
	if (in_range(hot_pfn, start, count))
		s->hot = bit(bitmap, start, hot_pfn);
	for (i = 0; i < nr_cold; i++)
		if (in_range(cold_pfn[i], start, count)) {
			s->cold_bit[i] = bit(bitmap, start, cold_pfn[i]);
			s->cold += s->cold_bit[i];
		}
}

/* PEEK or CLEAN every tracked pfn, SWEEP_BITS at a time. */
static void
sweep(uint32_t what, struct sweep *s)
{
	uint64_t start;

	kmemset(s, 0, sizeof(*s));
	for (start = 0; start < nr_pfns && s->rc == 0; start += SWEEP_BITS) {
		kmemset(bitmap, 0xa5, sizeof(bitmap));
		s->rc = ld_copy(what, start, SWEEP_BITS, bitmap);
		if (s->rc == 0)
			sweep_note(s, start, SWEEP_BITS);
	}
}

/* The hot pfn dirty, no cold one, every call's count right. */
static int
sweep_as_expected(const struct sweep *s)
{
	return s->rc == 0 && s->hot && s->cold == 0 && s->miscounted == 0 &&
	    s->beyond == 0 && s->bits == s->dirty;
}

/* One batch of d1's frames from index first: their heads into heads[]. */
static long
scan_batch(uint64_t first, unsigned int *n)
{
	unsigned int i;
	long rc;

	kmemset(&op, 0, sizeof(op));
	op.u.page_list.first = first;
	op.u.page_list.max = XM_COPY_MAX_OPS;
	op.u.page_list.mfns = (uint64_t)mfns;
	rc = domctl(XM_DOMCTL_GET_PAGE_LIST);
	*n = op.u.page_list.count;
	if (rc != 0 || *n == 0)
		return rc;
	for (i = 0; i < *n; i++)
		copy_op_set(i, mfns[i], 0, &heads[i], sizeof(heads[i]),
		    XM_COPY_FROM_DOMAIN);
	return copy_ops(*n);
}

/*
 * A tagged frame: its head names the pfn the m2p gives it (the tag
 * alone may begin a page of d1's image too: that one is not counted).
 */
static void
scan_note(uint64_t mfn, const struct dirtier_head *h)
{
	uint64_t pfn = mfn_to_pfn(mfn);

	if (h->pfn != pfn)
		return;
	if (kstrcmp(h->tag, DIRTIER_HOT_TAG) == 0) {
		hot_pfn = pfn;
		hot_mfn = mfn;
	} else if (kstrcmp(h->tag, DIRTIER_COLD_TAG) == 0 &&
	    h->counter >= 1 && h->counter <= NR_COLD) {
		cold_pfn[h->counter - 1] = pfn;
		cold_mfn[h->counter - 1] = mfn;
		nr_cold++;
	}
}

/* All of d1's frames, once. */
static long
scan(void)
{
	uint64_t first = 0;
	unsigned int n, i;
	long rc;

	hot_mfn = 0;
	nr_cold = 0;
	kmemset(cold_mfn, 0, sizeof(cold_mfn));
	do {
		rc = scan_batch(first, &n);
		for (i = 0; rc == 0 && i < n; i++) {
			heads[i].tag[DIRTIER_TAG_LEN - 1] = '\0';
			scan_note(mfns[i], &heads[i]);
		}
		first += n;
	} while (rc == 0 && n == XM_COPY_MAX_OPS);
	return rc;
}

/* Each cold index once, every tagged pfn inside the p2m. */
static int
tags_sane(const struct xm_domctl_info *info)
{
	unsigned int i;

	if (hot_mfn == 0 || nr_cold != NR_COLD || hot_pfn >= info->nr_pfns)
		return 0;
	for (i = 0; i < NR_COLD; i++)
		if (cold_mfn[i] == 0 || cold_pfn[i] >= info->nr_pfns)
			return 0;
	return 1;
}

/* Until d1 has tagged its pages (it is starting as we do). */
static void
find_tags(const struct xm_domctl_info *info)
{
	uint64_t deadline = monotonic_ns() + FIND_NS;
	long rc;

	while ((rc = scan()) == 0 && !tags_sane(info) &&
	    monotonic_ns() < deadline)
		sleep_ns(20 * NSEC_PER_MSEC);
	TEST_OK(rc == 0 && tags_sane(info), "found d1's hot page (pfn %lu) "
	    "and its %u cold ones through its page list, each at the pfn "
	    "the m2p gives and below %lu (%ld)", hot_pfn, nr_cold,
	    info->nr_pfns, rc);
}

static void
test_off(void)
{
	long rc;

	rc = ld_copy(XM_LOG_DIRTY_PEEK, 0, 64, bitmap);
	TEST_OK(rc == -XM_ENOENT, "off: PEEK is -ENOENT (%ld)", rc);
	rc = ld_copy(XM_LOG_DIRTY_CLEAN, 0, 64, bitmap);
	TEST_OK(rc == -XM_ENOENT, "off: CLEAN is -ENOENT (%ld)", rc);
	rc = ld_op(XM_LOG_DIRTY_DISABLE);
	TEST_OK(rc == -XM_ENOENT, "off: DISABLE is -ENOENT (%ld)", rc);
	rc = log_dirty(XM_LOG_DIRTY_ENABLE, 0, 0, 0, 0);
	TEST_OK(rc == -XM_EINVAL, "ENABLE of 0 pfns: -EINVAL (%ld)", rc);
	rc = log_dirty(XM_LOG_DIRTY_ENABLE, XM_LOG_DIRTY_MAX_PFNS + 1, 0, 0,
	    0);
	TEST_OK(rc == -XM_EINVAL, "ENABLE of XM_LOG_DIRTY_MAX_PFNS + 1: "
	    "-EINVAL (%ld)", rc);
	rc = ld_copy(XM_LOG_DIRTY_PEEK, 0, 64, bitmap);
	TEST_OK(rc == -XM_ENOENT, "... and log-dirty is still off (%ld)",
	    rc);
}

static void
test_enable(uint64_t want)
{
	long rc;

	rc = log_dirty(XM_LOG_DIRTY_ENABLE, want, 0, 0, 0);
	nr_pfns = op.u.log_dirty.nr_pfns;
	TEST_OK(rc == 0 && nr_pfns == want, "ENABLE for d1's %lu pfns "
	    "(%ld, tracks %lu)", want, rc, nr_pfns);
	rc = log_dirty(XM_LOG_DIRTY_ENABLE, want / 2, 0, 0, 0);
	TEST_OK(rc == -XM_EBUSY, "a second ENABLE: -EBUSY (%ld)", rc);
	rc = ld_copy(XM_LOG_DIRTY_PEEK, 0, 64, bitmap);
	TEST_OK(rc == 0 && op.u.log_dirty.nr_pfns == want, "... it tracks "
	    "%lu pfns still (%ld, %lu)", want, rc, op.u.log_dirty.nr_pfns);
}

/* PEEK and CLEAN both refuse [start, start + count) with -EINVAL. */
static void
bad_range(uint64_t start, uint64_t count, const char *what)
{
	long peek, clean;

	peek = ld_copy(XM_LOG_DIRTY_PEEK, start, count, bitmap);
	clean = ld_copy(XM_LOG_DIRTY_CLEAN, start, count, bitmap);
	TEST_OK(peek == -XM_EINVAL && clean == -XM_EINVAL, "%s: PEEK and "
	    "CLEAN -EINVAL (%ld, %ld)", what, peek, clean);
}

static void
test_ranges(void)
{
	struct sweep s = { 0 };
	uint64_t past = (nr_pfns + 63) / 64 * 64;
	long rc;

	bad_range(0, 63, "a count of 63");
	bad_range(0, 0, "a count of 0");
	bad_range(0, XM_LOG_DIRTY_BATCH + 64, "a count above the batch");
	bad_range(32, 64, "a start_pfn of 32");
	kmemset(bitmap, 0xa5, sizeof(bitmap));
	rc = ld_copy(XM_LOG_DIRTY_PEEK, 0, XM_LOG_DIRTY_BATCH, bitmap);
	if (rc == 0)
		sweep_note(&s, 0, XM_LOG_DIRTY_BATCH);
	TEST_OK(rc == 0 && s.miscounted == 0 && s.beyond == 0, "PEEK of a "
	    "whole batch (%u bits): dirty is the bits copied, none beyond "
	    "pfn %lu (%ld, %lu dirty, %lu bits, %u beyond)",
	    XM_LOG_DIRTY_BATCH, nr_pfns, rc, s.dirty, s.bits, s.beyond);
	kmemset(bitmap, 0xa5, 8);
	rc = ld_copy(XM_LOG_DIRTY_PEEK, past, 64, bitmap);
	TEST_OK(rc == 0 && op.u.log_dirty.dirty == 0 &&
	    *(uint64_t *)bitmap == 0, "PEEK past the tracked pfns: nothing "
	    "(%ld, %lu dirty, %#lx)", rc, op.u.log_dirty.dirty,
	    *(uint64_t *)bitmap);
}

/* CLEAN everything, wait, CLEAN again: only what was written since. */
static void
test_tracking(void)
{
	struct sweep s;
	uint64_t c0 = 0, c1 = 0;
	int moved;

	sweep(XM_LOG_DIRTY_CLEAN, &s);
	TEST_OK(s.rc == 0 && s.miscounted == 0 && s.beyond == 0, "CLEAN of "
	    "all %lu pfns, %u bits a call: %u calls, each dirty the bits it "
	    "copied (%ld, %lu dirty, %u miscounted)", nr_pfns, SWEEP_BITS,
	    s.calls, s.rc, s.dirty, s.miscounted);
	sleep_ns(SETTLE_NS);
	moved = hot_moved(&c0, &c1);
	sweep(XM_LOG_DIRTY_CLEAN, &s);
	TEST_OK(sweep_as_expected(&s), "300 ms later the hot pfn is dirty, "
	    "no cold one (%ld, hot %d, %u cold, %lu dirty, %lu bits)", s.rc,
	    s.hot, s.cold, s.dirty, s.bits);
	TEST_OK(moved, "the hot page counted on meanwhile (%lu to %lu)", c0,
	    c1);
}

static long
pause_op(uint32_t cmd)
{
	kmemset(&op, 0, sizeof(op));
	return domctl(cmd);
}

/* With d1 paused nothing moves: the counts must add up exactly. */
static void
test_paused(void)
{
	struct sweep s;
	uint64_t c0, c1;
	long rc;

	(void)hot_moved(&c0, &c1);
	rc = pause_op(XM_DOMCTL_PAUSE);
	TEST_OK(rc == 0, "PAUSE d1 (%ld)", rc);
	sweep(XM_LOG_DIRTY_PEEK, &s);
	TEST_OK(sweep_as_expected(&s) && s.pages_moved == 0 &&
	    s.pages == s.dirty, "paused: a PEEK of all has the hot pfn, and "
	    "pages is the bits copied (%ld, %lu pages, %lu dirty, %lu bits)",
	    s.rc, s.pages, s.dirty, s.bits);
	sweep(XM_LOG_DIRTY_CLEAN, &s);
	TEST_OK(s.rc == 0 && s.hot && s.miscounted == 0 && s.pages == 0,
	    "paused: CLEAN of all copies the same and leaves pages 0 (%ld, "
	    "%lu dirty, %lu pages)", s.rc, s.dirty, s.pages);
	sweep(XM_LOG_DIRTY_PEEK, &s);
	TEST_OK(s.rc == 0 && s.bits == 0 && s.dirty == 0 && s.pages == 0,
	    "paused: then PEEK finds nothing dirty (%ld, %lu bits, %lu "
	    "pages)", s.rc, s.bits, s.pages);
	rc = pause_op(XM_DOMCTL_UNPAUSE);
	TEST_OK(rc == 0, "UNPAUSE d1 (%ld)", rc);
}

/* Only cold page k of the cold ones is dirty. */
static int
only_cold(const struct sweep *s, unsigned int k)
{
	return s->rc == 0 && s->cold == 1 && s->cold_bit[k];
}

/* CLEAN of pfn's 64 bits into buf: -EFAULT. */
static long
clean_into(uint64_t pfn, uint64_t buf)
{
	return log_dirty(XM_LOG_DIRTY_CLEAN, 0, pfn / 64 * 64, 64, buf);
}

static void
test_bad_buffers(unsigned int k)
{
	const uint64_t *l4 = (const uint64_t *)guest_start_info->pt_base;
	uint64_t l4e = l4[0];
	long unmapped, hv, ro;
	struct sweep s;

	unmapped = clean_into(cold_pfn[k], UNMAPPED_VA);
	hv = clean_into(cold_pfn[k], HV_VA);
	ro = clean_into(cold_pfn[k], (uint64_t)l4);
	TEST_OK(unmapped == -XM_EFAULT && hv == -XM_EFAULT &&
	    ro == -XM_EFAULT && l4[0] == l4e, "CLEAN into a buffer hv "
	    "cannot write: -EFAULT unmapped, in hv, read-only (our L4, "
	    "unchanged) (%ld, %ld, %ld)", unmapped, hv, ro);
	sweep(XM_LOG_DIRTY_PEEK, &s);
	TEST_OK(only_cold(&s, k), "... and cleared nothing: the cold pfn "
	    "%lu is dirty still (%ld, %u cold)", cold_pfn[k], s.rc, s.cold);
}

/* hv writes into a cold page for us: that pfn becomes dirty. */
static void
test_foreign_write(void)
{
	static char mark[DIRTIER_MARK_LEN] = DIRTIER_MARK;
	unsigned int k = NR_COLD / 2;
	struct sweep s;
	uint64_t c0, c1;
	long rc;

	sweep(XM_LOG_DIRTY_CLEAN, &s);
	copy_op_set(0, cold_mfn[k], DIRTIER_MARK_OFF, mark, sizeof(mark),
	    XM_COPY_TO_DOMAIN);
	rc = copy_ops(1);
	sweep(XM_LOG_DIRTY_PEEK, &s);
	TEST_OK(rc == 0 && only_cold(&s, k), "a FOREIGN_COPY into cold pfn "
	    "%lu: PEEK has it dirty, no other cold one (%ld, %ld, %u cold)",
	    cold_pfn[k], rc, s.rc, s.cold);
	test_bad_buffers(k);
	(void)hot_moved(&c0, &c1);
	sweep(XM_LOG_DIRTY_CLEAN, &s);
	TEST_OK(only_cold(&s, k) && s.hot && s.miscounted == 0, "CLEAN "
	    "copies it with the hot pfn (%ld, hot %d, %u cold)", s.rc, s.hot,
	    s.cold);
	(void)hot_moved(&c0, &c1);
	sweep(XM_LOG_DIRTY_PEEK, &s);
	TEST_OK(sweep_as_expected(&s), "... and cleared it: the next PEEK "
	    "has the hot pfn only (%ld, hot %d, %u cold)", s.rc, s.hot,
	    s.cold);
}

/*
 * Rounds in a row, as quick as d1 writes: CLEAN, and once the hot
 * counter has moved since, CLEAN again.  Each must see the hot pfn and
 * no cold one.  At least min rounds, and for at least ns; how many.
 */
static unsigned int
rounds(unsigned int min, uint64_t ns, unsigned int *good)
{
	uint64_t c0, c1, end = monotonic_ns() + ns;
	unsigned int n;
	struct sweep s;

	*good = 0;
	sweep(XM_LOG_DIRTY_CLEAN, &s);
	for (n = 0; n < min || monotonic_ns() < end; n++) {
		if (!hot_moved(&c0, &c1))
			test_diag("round %u: the counter stays at %lu", n, c0);
		sweep(XM_LOG_DIRTY_CLEAN, &s);
		if (sweep_as_expected(&s))
			(*good)++;
		else
			test_diag("round %u: %ld, hot %d, %u cold, %lu dirty, "
			    "%lu bits", n, s.rc, s.hot, s.cold, s.dirty,
			    s.bits);
	}
	return n;
}

static void
test_rounds(void)
{
	unsigned int n, good;

	n = rounds(ROUNDS, 0, &good);
	TEST_OK(good == n, "%u rounds of CLEAN in a row, each once the hot "
	    "counter moved: each has the hot pfn, no cold one (%u did)", n,
	    good);
}

static void
test_disable(void)
{
	uint64_t c0, c1;
	long rc, peek, clean, again;
	int moved;

	rc = ld_op(XM_LOG_DIRTY_DISABLE);
	peek = ld_copy(XM_LOG_DIRTY_PEEK, 0, 64, bitmap);
	clean = ld_copy(XM_LOG_DIRTY_CLEAN, 0, 64, bitmap);
	again = ld_op(XM_LOG_DIRTY_DISABLE);
	TEST_OK(rc == 0 && peek == -XM_ENOENT && clean == -XM_ENOENT &&
	    again == -XM_ENOENT, "DISABLE; then PEEK, CLEAN and DISABLE are "
	    "-ENOENT (%ld, %ld, %ld, %ld)", rc, peek, clean, again);
	moved = hot_moved(&c0, &c1);
	TEST_OK(moved, "d1 counts on on its own tables (%lu to %lu)", c0, c1);
}

static void
test_reenable(void)
{
	struct xm_domctl_info info = { 0 };
	unsigned int n, good;
	struct sweep s;
	uint64_t c0, c1;
	long rc;

	rc = log_dirty(XM_LOG_DIRTY_ENABLE, nr_pfns, 0, 0, 0);
	TEST_OK(rc == 0 && op.u.log_dirty.nr_pfns == nr_pfns, "ENABLE "
	    "again (%ld)", rc);
	sweep(XM_LOG_DIRTY_CLEAN, &s);
	sleep_ns(SETTLE_NS);
	(void)hot_moved(&c0, &c1);
	sweep(XM_LOG_DIRTY_PEEK, &s);
	rc = getinfo(&info);
	TEST_OK(sweep_as_expected(&s) && rc == 0 &&
	    !(info.flags & XM_DOMINF_SHUTDOWN), "... and it tracks as "
	    "before, d1 still running (%ld, hot %d, %u cold, flags %#x)",
	    s.rc, s.hot, s.cold, info.flags);
	n = rounds(ROUNDS, SOAK_NS, &good);
	TEST_OK(good == n, "for a second more, while d1 remaps its pages: "
	    "%u rounds, each with the hot pfn and no cold one (%u did)", n,
	    good);
}

/* Asked to stop, d1 finishes with log-dirty on; hv tears it down. */
static void
test_teardown(void)
{
	static uint64_t stop = DIRTIER_STOP;
	uint64_t deadline = monotonic_ns() + WAIT_NS;
	struct xm_domctl_info info = { 0 };
	long rc;

	copy_op_set(0, hot_mfn, DIRTIER_STOP_OFF, &stop, sizeof(stop),
	    XM_COPY_TO_DOMAIN);
	rc = copy_ops(1);
	TEST_OK(rc == 0, "asked d1 to stop (%ld)", rc);

	while (monotonic_ns() < deadline && (getinfo(&info) != 0 ||
	    !(info.flags & XM_DOMINF_SHUTDOWN)))
		sleep_ns(20 * NSEC_PER_MSEC);
	TEST_OK((info.flags & XM_DOMINF_SHUTDOWN) && info.shutdown_reason ==
	    XM_SHUTDOWN_POWEROFF, "d1 ran to its end with log-dirty on and "
	    "powered off (flags %#x, reason %u)", info.flags,
	    info.shutdown_reason);
	kmemset(&op, 0, sizeof(op));
	rc = domctl(XM_DOMCTL_DESTROY);
	TEST_OK(rc == 0 && getinfo(&info) != 0, "DESTROY d1 with log-dirty "
	    "on (%ld)", rc);
}

int
guest_main(void)
{
	struct xm_domctl_info info = { 0 };
	long rc;

	rc = wait_built(&info);
	TEST_OK(rc == 0 && info.nr_pfns > 0, "d1's p2m has %lu pfns (%ld)",
	    info.nr_pfns, rc);
	test_off();
	find_tags(&info);
	if (!tags_sane(&info))
		return test_done();
	test_enable(info.nr_pfns);
	test_ranges();
	test_tracking();
	test_paused();
	test_foreign_write();
	test_rounds();
	test_disable();
	test_reenable();
	test_teardown();
	return test_done();
}
