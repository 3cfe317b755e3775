/*
 * Domain 0's LOG_DIRTY request (guests/dom0/ops_logdirty.c) as host
 * code: a hypercall is a call of fuzz_hypercall() (tests/fuzz/shim),
 * played here by a fake hv that records the domctl and writes a PEEK's
 * or CLEAN's bits where it was told to.  Each test states one promise:
 * each op reaches hv with the fields it reads and no others; the bits
 * and figures hv gives reach xmd as they came; a count domain 0's
 * buffer cannot take, an unknown op, domain 0 itself or a reserved id
 * never reach hv; hv's failure is the status; an hv that claims more
 * dirty bits than it was asked for is not believed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>

#include "ctl_ops.h"
#include "ops.h"

#define REP	sizeof(struct xm_ctl_log_dirty_reply)

/* The fake hv. */
static struct xm_domctl	last;
static unsigned int	calls;
static int		hv_status;
static uint64_t		hv_extra_dirty;	/* a lying hv says more */
static uint8_t		reply_buf[XM_CTL_MAX_PAYLOAD];

/* The byte hv writes at j of a bitmap: some bits set, never all. */
static uint8_t
pattern(uint64_t j)
{
	return (uint8_t)(j * 37 + 5) & 0x5b;
}

static unsigned int
bits_set(uint8_t b)
{
	unsigned int n = 0;

	for (; b != 0; b &= (uint8_t)(b - 1))
		n++;
	return n;
}

static void
log_dirty(struct xm_domctl *d)
{
	struct xm_domctl_log_dirty *ld = &d->u.log_dirty;
	uint8_t *buf = (uint8_t *)ld->buf;
	uint64_t j;

	if (ld->op != XM_LOG_DIRTY_ENABLE)
		ld->nr_pfns = 4096;
	ld->pages = 77;
	if (ld->op != XM_LOG_DIRTY_PEEK && ld->op != XM_LOG_DIRTY_CLEAN)
		return;
	/* Domain 0's own buffer, never the reply it is building. */
	assert_non_null(buf);
	assert_true(buf + ld->count / 8 <= reply_buf ||
	    buf >= reply_buf + sizeof(reply_buf));
	ld->dirty = hv_extra_dirty;
	for (j = 0; j < ld->count / 8; j++) {
		buf[j] = pattern(j);
		ld->dirty += bits_set(buf[j]);
	}
}

long
fuzz_hypercall(unsigned int n, uint64_t a1, uint64_t a2)
{
	struct xm_domctl *d = (struct xm_domctl *)a1;
	struct xm_domctl_log_dirty in;

	(void)a2;
	assert_int_equal(n, XM_HYPERCALL_DOMCTL);
	assert_int_equal(d->interface_version, XM_DOMCTL_INTERFACE_VERSION);
	assert_int_equal(d->cmd, XM_DOMCTL_LOG_DIRTY);
	calls++;
	in = d->u.log_dirty;
	if (hv_status != 0)
		return hv_status;
	log_dirty(d);
	last = *d;
	last.u.log_dirty = in;		/* what hv was asked */
	return 0;
}

/* ops_domain.c's rules, which the handlers share. */
int
ops_domid_query(xm_domid_t id)
{
	return id < XM_DOMID_FIRST_RESERVED ? 0 : -XM_EINVAL;
}

int
ops_domid_change(xm_domid_t id)
{
	return id == 0 ? -XM_EPERM : ops_domid_query(id);
}

static int
reset(void **state)
{
	(void)state;
	memset(&last, 0, sizeof(last));
	memset(reply_buf, 0xee, sizeof(reply_buf));
	calls = 0;
	hv_status = 0;
	hv_extra_dirty = 0;
	return 0;
}

static int
run(const struct xm_ctl_log_dirty *req, struct ctl_reply *r)
{
	*r = (struct ctl_reply){ .buf = reply_buf };
	return ctl_op_log_dirty((const uint8_t *)req, sizeof(*req), r);
}

static struct xm_ctl_log_dirty_reply
reply_of(const struct ctl_reply *r)
{
	struct xm_ctl_log_dirty_reply rep;

	assert_true(r->len >= REP);
	memcpy(&rep, r->buf, REP);
	return rep;
}

static void
test_enable_passes_nr_pfns_only(void **state)
{
	struct xm_ctl_log_dirty req = { .domid = 3,
	    .op = XM_LOG_DIRTY_ENABLE, .nr_pfns = 262144,
	    .start_pfn = 64, .count = 128 };
	struct xm_ctl_log_dirty_reply rep;
	struct ctl_reply r;

	(void)state;
	assert_int_equal(run(&req, &r), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(last.domain, 3);
	assert_int_equal(last.u.log_dirty.op, XM_LOG_DIRTY_ENABLE);
	assert_int_equal(last.u.log_dirty.nr_pfns, 262144);
	/* The fields ENABLE does not read go to hv as 0. */
	assert_int_equal(last.u.log_dirty.start_pfn, 0);
	assert_int_equal(last.u.log_dirty.count, 0);
	assert_int_equal(last.u.log_dirty.buf, 0);
	assert_int_equal(r.len, REP);
	rep = reply_of(&r);
	assert_int_equal(rep.nr_pfns, 262144);
	assert_int_equal(rep.dirty, 0);
	assert_int_equal(rep.pages, 77);
}

static void
test_disable_passes_nothing(void **state)
{
	struct xm_ctl_log_dirty req = { .domid = 5,
	    .op = XM_LOG_DIRTY_DISABLE, .nr_pfns = 9, .count = 99 };
	struct ctl_reply r;

	(void)state;
	assert_int_equal(run(&req, &r), 0);
	assert_int_equal(last.domain, 5);
	assert_int_equal(last.u.log_dirty.op, XM_LOG_DIRTY_DISABLE);
	assert_int_equal(last.u.log_dirty.nr_pfns, 0);
	assert_int_equal(last.u.log_dirty.count, 0);
	assert_int_equal(last.u.log_dirty.buf, 0);
	assert_int_equal(r.len, REP);
}

/* PEEK and CLEAN: the figures, then exactly count / 8 bytes of bits. */
static void
test_peek_and_clean_send_the_bits(void **state)
{
	static const uint32_t ops[] = { XM_LOG_DIRTY_PEEK,
	    XM_LOG_DIRTY_CLEAN };
	static const uint64_t counts[] = { 64, 4096, XM_LOG_DIRTY_BATCH };
	struct xm_ctl_log_dirty req = { .domid = 4, .start_pfn = 8192 };
	struct xm_ctl_log_dirty_reply rep;
	struct ctl_reply r;
	uint64_t j, dirty;
	unsigned int i, k;

	(void)state;
	for (i = 0; i < 2; i++)
		for (k = 0; k < 3; k++) {
			reset(NULL);
			req.op = ops[i];
			req.count = counts[k];
			req.nr_pfns = 5;	/* not read */
			assert_int_equal(run(&req, &r), 0);
			assert_int_equal(last.u.log_dirty.op, ops[i]);
			assert_int_equal(last.u.log_dirty.start_pfn, 8192);
			assert_int_equal(last.u.log_dirty.count, counts[k]);
			assert_int_equal(last.u.log_dirty.nr_pfns, 0);
			assert_int_equal(r.len, REP + counts[k] / 8);
			rep = reply_of(&r);
			dirty = 0;
			for (j = 0; j < counts[k] / 8; j++) {
				assert_int_equal(reply_buf[REP + j],
				    pattern(j));
				dirty += bits_set(pattern(j));
			}
			assert_int_equal(rep.dirty, dirty);
			assert_int_equal(rep.nr_pfns, 4096);
			assert_int_equal(rep.pages, 77);
			/* Nothing written past the reply. */
			assert_int_equal(reply_buf[r.len], 0xee);
		}
}

/*
 * A count domain 0's buffer cannot take, or not a whole number of
 * words: refused before any domctl, and nothing written.
 */
static void
test_bad_counts_never_reach_hv(void **state)
{
	static const uint64_t bad[] = { 0, 1, 8, 63, 65, 100, 4095,
	    XM_LOG_DIRTY_BATCH + 64, XM_LOG_DIRTY_BATCH * 2,
	    XM_LOG_DIRTY_BATCH + 1, UINT64_C(1) << 32,
	    (UINT64_C(1) << 32) + 64, UINT64_MAX,
	    UINT64_MAX - 63 };
	struct xm_ctl_log_dirty req = { .domid = 4 };
	struct ctl_reply r;
	unsigned int i, k;

	(void)state;
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			req.op = k == 0 ? XM_LOG_DIRTY_PEEK :
			    XM_LOG_DIRTY_CLEAN;
			req.count = bad[i];
			assert_int_equal(run(&req, &r), -XM_EINVAL);
			assert_int_equal(r.len, 0);
		}
	assert_int_equal(calls, 0);
	assert_int_equal(reply_buf[0], 0xee);
}

static void
test_unknown_ops_never_reach_hv(void **state)
{
	static const uint32_t bad[] = { 0, 5, 0x100, UINT32_MAX };
	struct xm_ctl_log_dirty req = { .domid = 4, .count = 64 };
	struct ctl_reply r;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		req.op = bad[i];
		assert_int_equal(run(&req, &r), -XM_EINVAL);
	}
	assert_int_equal(calls, 0);
}

static void
test_dom0_and_reserved_ids_never_reach_hv(void **state)
{
	struct xm_ctl_log_dirty req = { .op = XM_LOG_DIRTY_ENABLE,
	    .nr_pfns = 64 };
	struct ctl_reply r;

	(void)state;
	req.domid = 0;
	assert_int_equal(run(&req, &r), -XM_EPERM);
	req.domid = XM_DOMID_FIRST_RESERVED;
	assert_int_equal(run(&req, &r), -XM_EINVAL);
	req.domid = 0xffff;
	req.op = XM_LOG_DIRTY_CLEAN;
	req.count = 64;
	assert_int_equal(run(&req, &r), -XM_EINVAL);
	assert_int_equal(calls, 0);
}

static void
test_hv_failure_is_the_status(void **state)
{
	struct xm_ctl_log_dirty req = { .domid = 2,
	    .op = XM_LOG_DIRTY_CLEAN, .count = 64 };
	struct ctl_reply r;

	(void)state;
	hv_status = -XM_ENOENT;		/* log-dirty is off */
	assert_int_equal(run(&req, &r), -XM_ENOENT);
	assert_int_equal(r.len, 0);
	req.op = XM_LOG_DIRTY_ENABLE;
	req.nr_pfns = 64;
	hv_status = -XM_EBUSY;
	assert_int_equal(run(&req, &r), -XM_EBUSY);
	assert_int_equal(calls, 2);
}

/* More dirty bits than were copied: hv is not believed. */
static void
test_dirty_above_count_is_refused(void **state)
{
	struct xm_ctl_log_dirty req = { .domid = 2,
	    .op = XM_LOG_DIRTY_PEEK, .count = 64 };
	struct ctl_reply r;

	(void)state;
	hv_extra_dirty = 64;
	assert_int_equal(run(&req, &r), -XM_EIO);
	assert_int_equal(r.len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_enable_passes_nr_pfns_only,
		    reset),
		cmocka_unit_test_setup(test_disable_passes_nothing, reset),
		cmocka_unit_test_setup(test_peek_and_clean_send_the_bits,
		    reset),
		cmocka_unit_test_setup(test_bad_counts_never_reach_hv, reset),
		cmocka_unit_test_setup(test_unknown_ops_never_reach_hv,
		    reset),
		cmocka_unit_test_setup(
		    test_dom0_and_reserved_ids_never_reach_hv, reset),
		cmocka_unit_test_setup(test_hv_failure_is_the_status, reset),
		cmocka_unit_test_setup(test_dirty_above_count_is_refused,
		    reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
