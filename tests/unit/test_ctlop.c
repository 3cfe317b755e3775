/*
 * The control channel's op table and payload rules (klib/ctlop.c),
 * which domain 0 and xmd share: every row of XM_CTL_OPS is found under
 * its number and named after its constant, a request's or an event's
 * payload is accepted only when its sizes add up, and a reply's size
 * is what its row says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <klib/ctlop.h>

#include <xm/ctl.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static uint8_t payload_buf[XM_CTL_MAX_PAYLOAD + 64];

static int
check(uint16_t op, uint32_t len)
{
	return ctlop_check(op, payload_buf, len);
}

#define NAMED(op, num, name, ...)	{ op, num, #op },

static const struct {
	uint16_t	 op;
	uint16_t	 num;
	const char	*constant;
} rows[] = {
	XM_CTL_OPS(NAMED)
};

/* Each row under its number, named after its constant; nothing else. */
static void
test_rows(void **state)
{
	unsigned int i, op, n = 0;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(rows[i].op, rows[i].num);
		assert_non_null(ctlop_find(rows[i].op));
		assert_string_equal(ctlop_find(rows[i].op)->co_name,
		    rows[i].constant + strlen("XM_CTL_OP_"));
	}
	for (op = 0; op <= UINT16_MAX; op++)
		n += ctlop_find((uint16_t)op) != NULL;
	assert_int_equal(n, nitems(rows));
	assert_null(ctlop_find(0));
	assert_null(ctlop_find(XM_CTL_OP_ERROR));
	assert_string_equal(ctlop_find(XM_CTL_OP_SET_VCPU)->co_name,
	    "SET_VCPU");
	assert_int_equal(check(0, 0), -XM_ENOSYS);
	assert_int_equal(check(XM_CTL_OP_ERROR, 0), -XM_ENOSYS);
}

/* ECHO: any bytes, up to the largest payload. */
static void
test_echo_sizes(void **state)
{
	(void)state;
	assert_int_equal(check(XM_CTL_OP_ECHO, 0), 0);
	assert_int_equal(check(XM_CTL_OP_ECHO, 1), 0);
	assert_int_equal(check(XM_CTL_OP_ECHO, XM_CTL_MAX_PAYLOAD), 0);
	assert_int_equal(check(XM_CTL_OP_ECHO, XM_CTL_MAX_PAYLOAD + 1),
	    -XM_EMSGSIZE);
	assert_int_equal(ctlop_find(XM_CTL_OP_ECHO)->co_dir,
	    XM_CTL_DIR_REQUEST);
}

/* A WRITE_MEM or READ_MEM request: nr segments of len bytes each. */
static uint32_t
mem_req(uint32_t nr, uint16_t offset, uint16_t len, int with_data)
{
	struct xm_ctl_mem m = { .domid = 1, .nr_segs = nr };
	struct xm_ctl_mem_seg seg = { .mfn = 0x1234, .offset = offset,
	    .len = len };
	uint32_t i, n = sizeof(m);

	memcpy(payload_buf, &m, sizeof(m));
	for (i = 0; i < nr && n + sizeof(seg) <= sizeof(payload_buf); i++) {
		memcpy(payload_buf + n, &seg, sizeof(seg));
		n += sizeof(seg);
	}
	return n + (with_data ? nr * len : 0);
}

static void
test_ops_write_mem_sizes(void **state)
{
	uint32_t n;

	(void)state;
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, mem_req(0, 0, 0, 1)), 0);
	n = mem_req(3, 100, 1000, 1);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, n), 0);
	assert_int_equal(ctlop_mem_data_len(payload_buf), 3000);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, n - 1), -XM_EINVAL);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, n + 1), -XM_EINVAL);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, 7), -XM_EINVAL);
	/* Segments must stay inside their frame. */
	n = mem_req(1, 4000, 96, 1);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, n), 0);
	n = mem_req(1, 4000, 97, 1);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, n), -XM_EINVAL);
	/* Segments that would not all be there. */
	n = mem_req(2, 0, 8, 1);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, 8 + 16), -XM_EINVAL);
	/* More segments than a request may carry, or than exist. */
	n = mem_req(XM_CTL_MEM_MAX_SEGS + 1, 0, 0, 1);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, n), -XM_EINVAL);
	mem_req(UINT32_MAX, 0, 1, 0);
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, 64), -XM_EINVAL);
}

static void
test_ops_read_mem_sizes(void **state)
{
	uint32_t n;

	(void)state;
	n = mem_req(16, 0, 4096, 0);
	assert_int_equal(check(XM_CTL_OP_READ_MEM, n), 0);
	/* No data may follow, and the reply must fit in one frame. */
	assert_int_equal(check(XM_CTL_OP_READ_MEM, n + 1), -XM_EINVAL);
	n = mem_req(17, 0, 4096, 0);
	assert_int_equal(check(XM_CTL_OP_READ_MEM, n), -XM_EMSGSIZE);
	n = mem_req(2, 4095, 2, 0);
	assert_int_equal(check(XM_CTL_OP_READ_MEM, n), -XM_EINVAL);
}

static void
test_ops_console_input_sizes(void **state)
{
	struct xm_ctl_console_data d = { .domid = 1, .len = 5 };

	(void)state;
	memcpy(payload_buf, &d, sizeof(d));
	assert_int_equal(check(XM_CTL_OP_CONSOLE_INPUT, 13), 0);
	assert_int_equal(check(XM_CTL_OP_CONSOLE_INPUT, 12), -XM_EINVAL);
	assert_int_equal(check(XM_CTL_OP_CONSOLE_INPUT, 14), -XM_EINVAL);
	assert_int_equal(check(XM_CTL_OP_CONSOLE_INPUT, 7), -XM_EINVAL);
	d.len = UINT32_MAX - 3;		/* 8 + len wraps in 32 bits */
	memcpy(payload_buf, &d, sizeof(d));
	assert_int_equal(check(XM_CTL_OP_CONSOLE_INPUT, 4), -XM_EINVAL);
}

/* What xmd accepts as a successful reply, from the op's row. */
static void
test_reply_sizes(void **state)
{
	(void)state;
	assert_true(ctlop_reply_ok(XM_CTL_OP_HELLO,
	    sizeof(struct xm_ctl_hello_reply)));
	assert_false(ctlop_reply_ok(XM_CTL_OP_HELLO, 0));
	assert_true(ctlop_reply_ok(XM_CTL_OP_PAUSE, 0));
	assert_false(ctlop_reply_ok(XM_CTL_OP_PAUSE, 1));
	assert_true(ctlop_reply_ok(XM_CTL_OP_LIST, 0));
	assert_true(ctlop_reply_ok(XM_CTL_OP_LIST, 3 * 64));
	assert_false(ctlop_reply_ok(XM_CTL_OP_LIST, 65));
	assert_true(ctlop_reply_ok(XM_CTL_OP_PAGE_LIST, 16 + 8 * 5));
	assert_false(ctlop_reply_ok(XM_CTL_OP_PAGE_LIST, 8));
	assert_true(ctlop_reply_ok(XM_CTL_OP_ECHO, 0));
	assert_true(ctlop_reply_ok(XM_CTL_OP_ECHO, 12345));
	assert_true(ctlop_reply_ok(999, 0));
	assert_false(ctlop_reply_ok(999, 8));
}

/*
 * LOG_DIRTY: a request of one size; its reply the figures, then any
 * whole number of bitmap words (ENABLE and DISABLE: none).
 */
static void
test_log_dirty_sizes(void **state)
{
	const size_t req = sizeof(struct xm_ctl_log_dirty);
	const size_t rep = sizeof(struct xm_ctl_log_dirty_reply);

	(void)state;
	memset(payload_buf, 0, sizeof(payload_buf));
	assert_int_equal(req, 32);
	assert_int_equal(rep, 24);
	assert_int_equal(XM_CTL_OP_LOG_DIRTY, 34);
	assert_string_equal(ctlop_find(XM_CTL_OP_LOG_DIRTY)->co_name,
	    "LOG_DIRTY");
	assert_int_equal(check(XM_CTL_OP_LOG_DIRTY, req), 0);
	assert_int_equal(check(XM_CTL_OP_LOG_DIRTY, req - 1), -XM_EINVAL);
	assert_int_equal(check(XM_CTL_OP_LOG_DIRTY, req + 8), -XM_EINVAL);
	assert_int_equal(check(XM_CTL_OP_LOG_DIRTY, 0), -XM_EINVAL);
	assert_true(ctlop_reply_ok(XM_CTL_OP_LOG_DIRTY, rep));
	assert_true(ctlop_reply_ok(XM_CTL_OP_LOG_DIRTY, rep + 8));
	assert_true(ctlop_reply_ok(XM_CTL_OP_LOG_DIRTY,
	    rep + XM_LOG_DIRTY_BATCH / 8));
	assert_false(ctlop_reply_ok(XM_CTL_OP_LOG_DIRTY, 0));
	assert_false(ctlop_reply_ok(XM_CTL_OP_LOG_DIRTY, rep - 8));
	assert_false(ctlop_reply_ok(XM_CTL_OP_LOG_DIRTY, rep + 4));
	/* The largest reply fits a frame. */
	assert_true(rep + XM_LOG_DIRTY_BATCH / 8 <= XM_CTL_MAX_PAYLOAD);
}

/* CLOCK: a request of one size, a reply of one size. */
static void
test_clock_sizes(void **state)
{
	const size_t req = sizeof(struct xm_ctl_clock);
	const size_t rep = sizeof(struct xm_ctl_clock_reply);

	(void)state;
	memset(payload_buf, 0, sizeof(payload_buf));
	assert_int_equal(XM_CTL_OP_CLOCK, 35);
	assert_string_equal(ctlop_find(XM_CTL_OP_CLOCK)->co_name, "CLOCK");
	assert_int_equal(check(XM_CTL_OP_CLOCK, req), 0);
	assert_int_equal(check(XM_CTL_OP_CLOCK, req - 8), -XM_EINVAL);
	assert_int_equal(check(XM_CTL_OP_CLOCK, req + 8), -XM_EINVAL);
	assert_true(ctlop_reply_ok(XM_CTL_OP_CLOCK, rep));
	assert_false(ctlop_reply_ok(XM_CTL_OP_CLOCK, rep + 8));
	assert_false(ctlop_reply_ok(XM_CTL_OP_CLOCK, 0));
}

/* Events are checked against their rows as requests are. */
static void
test_event_payloads(void **state)
{
	struct xm_ctl_console_data cd = { .domid = 3, .len = 4 };
	uint8_t buf[sizeof(cd) + 4] = { 0 };

	(void)state;
	memcpy(buf, &cd, sizeof(cd));
	assert_int_equal(ctlop_check(XM_CTL_OP_CONSOLE_OUTPUT, buf, 12), 0);
	assert_int_equal(ctlop_check(XM_CTL_OP_CONSOLE_OUTPUT, buf, 11),
	    -XM_EINVAL);
	assert_int_equal(ctlop_check(XM_CTL_OP_CONSOLE_OUTPUT, buf, 4),
	    -XM_EINVAL);
	assert_int_equal(ctlop_check(XM_CTL_OP_DOMAIN_EVENT, buf, 64), 0);
	assert_int_equal(ctlop_check(XM_CTL_OP_DOMAIN_EVENT, buf, 63),
	    -XM_EINVAL);
	assert_int_equal(ctlop_check(XM_CTL_OP_ERROR, buf, 0), -XM_ENOSYS);
	assert_int_equal(ctlop_find(XM_CTL_OP_DOMAIN_EVENT)->co_dir,
	    XM_CTL_DIR_EVENT);
	assert_int_equal(ctlop_find(XM_CTL_OP_ECHO)->co_dir,
	    XM_CTL_DIR_REQUEST);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_ops_write_mem_sizes),
		cmocka_unit_test(test_ops_read_mem_sizes),
		cmocka_unit_test(test_ops_console_input_sizes),
		cmocka_unit_test(test_echo_sizes),
		cmocka_unit_test(test_event_payloads),
		cmocka_unit_test(test_reply_sizes),
		cmocka_unit_test(test_log_dirty_sizes),
		cmocka_unit_test(test_clock_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
