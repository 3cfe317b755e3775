/*
 * xmd's log-dirty requests and replies (xmd/logdirty.c): steps_send is
 * a stub that keeps what would go to the node.  Each test states one
 * promise: a request is the bytes include/xm/ctl.h says, in a frame
 * that xmd's scanner and the op table (klib/ctlop.c) take; a request
 * domain 0 or hv would refuse is refused here first; a reply is taken
 * only when its size, dirty count and bitmap agree with the request,
 * and every reply taken is one xmd's channel lets through; the batches
 * of logdirty_count() cover a domain's pfns in valid requests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/uio.h>

#include <klib/ctlop.h>

#include <xm/ctl.h>
#include <xm/domctl.h>

#include "ctl_frame.h"
#include "logdirty.h"
#include "steps.h"

#define HDR	sizeof(struct xm_ctl_hdr)
#define REP	sizeof(struct xm_ctl_log_dirty_reply)

/* What steps_send was given. */
static uint16_t	sent_op;
static uint8_t	sent[XM_CTL_MAX_PAYLOAD];
static size_t	sent_len;
static unsigned int sends;

int
steps_send(struct steps *s, uint16_t op, const struct iovec *iov,
    int iovcnt)
{
	int i;

	(void)s;
	sends++;
	sent_op = op;
	sent_len = 0;
	for (i = 0; i < iovcnt; i++) {
		assert_true(sent_len + iov[i].iov_len <= sizeof(sent));
		memcpy(sent + sent_len, iov[i].iov_base, iov[i].iov_len);
		sent_len += iov[i].iov_len;
	}
	return 0;
}

static uint64_t
le64_at(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t
le32_at(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The request as the wire has it, field by field (ctl.h's layout). */
static void
assert_wire(const uint8_t *p, uint16_t domid, uint32_t op,
    uint64_t nr_pfns, uint64_t start_pfn, uint64_t count)
{
	assert_int_equal(p[0] | p[1] << 8, domid);
	assert_int_equal(p[2] | p[3] << 8, 0);
	assert_int_equal(le32_at(p + 4), op);
	assert_true(le64_at(p + 8) == nr_pfns);
	assert_true(le64_at(p + 16) == start_pfn);
	assert_true(le64_at(p + 24) == count);
}

/* Send req, then check the frame it makes as both ends would. */
static void
send_and_scan(const struct xm_ctl_log_dirty *req)
{
	uint8_t frame[HDR + sizeof(*req)];
	struct ctl_scan_result r;

	sends = 0;
	assert_int_equal(logdirty_send(NULL, req), 0);
	assert_int_equal(sends, 1);
	assert_int_equal(sent_op, XM_CTL_OP_LOG_DIRTY);
	assert_int_equal(sent_len, 32);
	ctl_frame_encode(frame, sent_op, 5, 0, (uint32_t)sent_len, 0);
	memcpy(frame + HDR, sent, sent_len);
	ctl_frame_scan(frame, sizeof(frame), &r);
	assert_int_equal(r.kind, CTL_SCAN_FRAME);
	assert_int_equal(r.size, sizeof(frame));
	assert_int_equal(r.hdr.op, XM_CTL_OP_LOG_DIRTY);
	assert_int_equal(ctlop_check(r.hdr.op, frame + HDR, r.hdr.len), 0);
}

static void
test_requests_on_the_wire(void **state)
{
	struct xm_ctl_log_dirty req;

	(void)state;
	assert_int_equal(logdirty_enable(&req, 7, 262144), 0);
	send_and_scan(&req);
	assert_wire(sent, 7, XM_LOG_DIRTY_ENABLE, 262144, 0, 0);

	assert_int_equal(logdirty_disable(&req, 7), 0);
	send_and_scan(&req);
	assert_wire(sent, 7, XM_LOG_DIRTY_DISABLE, 0, 0, 0);

	assert_int_equal(logdirty_peek(&req, 0x7fe, 65536, 4096), 0);
	send_and_scan(&req);
	assert_wire(sent, 0x7fe, XM_LOG_DIRTY_PEEK, 0, 65536, 4096);

	assert_int_equal(logdirty_clean(&req, 3, 0, XM_LOG_DIRTY_BATCH), 0);
	send_and_scan(&req);
	assert_wire(sent, 3, XM_LOG_DIRTY_CLEAN, 0, 0, XM_LOG_DIRTY_BATCH);
}

/* What domain 0 (count) and hv (the rest) would refuse, refused here. */
static void
test_requests_refused_before_sending(void **state)
{
	static const uint64_t bad_counts[] = { 0, 1, 63, 65, 100,
	    XM_LOG_DIRTY_BATCH + 64, UINT64_MAX - 63 };
	struct xm_ctl_log_dirty req;
	unsigned int i;

	(void)state;
	assert_int_equal(logdirty_enable(&req, 1, 0), -1);
	assert_int_equal(logdirty_enable(&req, 1, XM_LOG_DIRTY_MAX_PFNS + 1),
	    -1);
	assert_int_equal(logdirty_enable(&req, 1, XM_LOG_DIRTY_MAX_PFNS), 0);
	assert_int_equal(logdirty_enable(&req, 1, 1), 0);
	for (i = 0; i < sizeof(bad_counts) / sizeof(bad_counts[0]); i++) {
		assert_int_equal(logdirty_peek(&req, 1, 0, bad_counts[i]), -1);
		assert_int_equal(logdirty_clean(&req, 1, 0, bad_counts[i]),
		    -1);
	}
	assert_int_equal(logdirty_clean(&req, 1, 32, 64), -1);
	assert_int_equal(logdirty_peek(&req, 1, 1, 64), -1);
	assert_int_equal(logdirty_clean(&req, 1,
	    XM_LOG_DIRTY_MAX_PFNS + 64, 64), -1);
	assert_int_equal(logdirty_clean(&req, 1, 64, 64), 0);
}

/* A reply as domain 0 makes it: figures, then bytes (may lie). */
static size_t
make_reply(uint8_t *buf, uint64_t nr_pfns, uint64_t dirty, uint64_t pages,
    size_t bytes)
{
	struct xm_ctl_log_dirty_reply rep = { nr_pfns, dirty, pages };
	size_t j;

	memcpy(buf, &rep, sizeof(rep));
	for (j = 0; j < bytes; j++)
		buf[REP + j] = (uint8_t)(j % 3 == 0 ? 0x81 : 0);
	return REP + bytes;
}

/* The bits make_reply sets in bytes bytes. */
static uint64_t
made_dirty(size_t bytes)
{
	return 2 * ((bytes + 2) / 3);
}

static void
test_enable_and_disable_replies(void **state)
{
	struct xm_ctl_log_dirty req;
	struct xm_ctl_log_dirty_reply out;
	const char *why = NULL;
	uint8_t buf[REP + 8];
	size_t n;

	(void)state;
	logdirty_enable(&req, 2, 1000);
	n = make_reply(buf, 1000, 0, 0, 0);
	assert_true(ctlop_reply_ok(XM_CTL_OP_LOG_DIRTY, (uint32_t)n));
	assert_int_equal(logdirty_reply(&req, buf, n, &out, NULL, &why), 0);
	assert_int_equal(out.nr_pfns, 1000);
	assert_int_equal(out.pages, 0);
	/* A bitmap where none was asked for; a short reply. */
	n = make_reply(buf, 1000, 0, 0, 8);
	assert_int_equal(logdirty_reply(&req, buf, n, &out, NULL, &why), -1);
	assert_non_null(why);
	assert_int_equal(logdirty_reply(&req, buf, REP - 8, &out, NULL, NULL),
	    -1);
	logdirty_disable(&req, 2);
	n = make_reply(buf, 1000, 0, 40, 0);
	assert_int_equal(logdirty_reply(&req, buf, n, &out, NULL, NULL), 0);
	assert_int_equal(out.pages, 40);
}

static void
test_clean_reply_gives_the_bitmap(void **state)
{
	static uint8_t buf[REP + XM_LOG_DIRTY_BATCH / 8 + 8];
	static uint8_t bitmap[XM_LOG_DIRTY_BATCH / 8 + 1];
	static const uint64_t counts[] = { 64, 640, XM_LOG_DIRTY_BATCH };
	struct xm_ctl_log_dirty req;
	struct xm_ctl_log_dirty_reply out;
	size_t n, bytes;
	unsigned int k;

	(void)state;
	for (k = 0; k < 3; k++) {
		bytes = LOGDIRTY_BYTES(counts[k]);
		assert_int_equal(logdirty_clean(&req, 4, 128, counts[k]), 0);
		n = make_reply(buf, 50000, made_dirty(bytes), 900, bytes);
		assert_true(ctlop_reply_ok(XM_CTL_OP_LOG_DIRTY, (uint32_t)n));
		memset(bitmap, 0xee, sizeof(bitmap));
		assert_int_equal(logdirty_reply(&req, buf, n, &out, bitmap,
		    NULL), 0);
		assert_int_equal(out.nr_pfns, 50000);
		assert_int_equal(out.dirty, made_dirty(bytes));
		assert_int_equal(out.pages, 900);
		assert_memory_equal(bitmap, buf + REP, bytes);
		assert_int_equal(bitmap[bytes], 0xee);
		/* Bit 0 (pfn 128) and bit 7 of byte 0, bit 8 clear. */
		assert_true(logdirty_bit(bitmap, 0));
		assert_true(logdirty_bit(bitmap, 7));
		assert_false(logdirty_bit(bitmap, 8));
		/* No bitmap wanted: the figures only. */
		assert_int_equal(logdirty_reply(&req, buf, n, &out, NULL,
		    NULL), 0);
	}
}

/* A PEEK or CLEAN reply that does not fit its request is not taken. */
static void
test_bad_bitmap_replies_refused(void **state)
{
	static uint8_t buf[REP + 1024];
	struct xm_ctl_log_dirty req;
	struct xm_ctl_log_dirty_reply out = { 1, 2, 3 };
	uint8_t bitmap[128];
	const char *why;
	size_t n;

	(void)state;
	assert_int_equal(logdirty_peek(&req, 4, 0, 512), 0);
	/* A bitmap of another size, or none. */
	n = make_reply(buf, 512, made_dirty(72), 0, 72);
	assert_int_equal(logdirty_reply(&req, buf, n, &out, bitmap, &why),
	    -1);
	n = make_reply(buf, 512, made_dirty(56), 0, 56);
	assert_int_equal(logdirty_reply(&req, buf, n, &out, bitmap, &why),
	    -1);
	n = make_reply(buf, 512, 0, 0, 0);
	assert_int_equal(logdirty_reply(&req, buf, n, &out, bitmap, &why),
	    -1);
	/* More dirty than asked for; a count that is not the bitmap's. */
	n = make_reply(buf, 512, 513, 0, 64);
	why = NULL;
	assert_int_equal(logdirty_reply(&req, buf, n, &out, bitmap, &why),
	    -1);
	assert_non_null(why);
	n = make_reply(buf, 512, made_dirty(64) + 1, 0, 64);
	assert_int_equal(logdirty_reply(&req, buf, n, &out, bitmap, &why),
	    -1);
	/* Nothing was taken from the refused ones. */
	assert_int_equal(out.nr_pfns, 1);
	assert_int_equal(out.dirty, 2);
	assert_int_equal(out.pages, 3);
	n = make_reply(buf, 512, made_dirty(64), 0, 64);
	assert_int_equal(logdirty_reply(&req, buf, n, &out, bitmap, &why), 0);
	assert_int_equal(out.dirty, made_dirty(64));
}

static void
test_count_batches(void **state)
{
	static const uint64_t sizes[] = { 1, 63, 64, 65, 100, 4096,
	    XM_LOG_DIRTY_BATCH - 1, XM_LOG_DIRTY_BATCH,
	    XM_LOG_DIRTY_BATCH + 1, 262144 + 7, XM_LOG_DIRTY_MAX_PFNS };
	struct xm_ctl_log_dirty req;
	uint64_t start, count, nr;
	unsigned int i;

	(void)state;
	assert_int_equal(logdirty_count(0, 0), 0);
	assert_int_equal(logdirty_count(100, 0), 128);
	assert_int_equal(logdirty_count(100, 128), 0);
	assert_int_equal(logdirty_count(40001, 32768), 7296);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		nr = sizes[i];
		for (start = 0; (count = logdirty_count(nr, start)) != 0;
		    start += count) {
			assert_int_equal(logdirty_clean(&req, 1, start, count),
			    0);
			assert_true(count == XM_LOG_DIRTY_BATCH ||
			    start + count < nr + 64);
		}
		assert_true(start >= nr && start < nr + 64);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests_on_the_wire),
		cmocka_unit_test(test_requests_refused_before_sending),
		cmocka_unit_test(test_enable_and_disable_replies),
		cmocka_unit_test(test_clean_reply_gives_the_bitmap),
		cmocka_unit_test(test_bad_bitmap_replies_refused),
		cmocka_unit_test(test_count_batches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
