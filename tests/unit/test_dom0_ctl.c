/*
 * Domain 0's control protocol, the parts that need no hypervisor: the
 * stream that reassembles frames out of arbitrary chunks and checks
 * their headers (guests/dom0/ctl_stream.c), and the handler table and
 * the dispatcher (guests/dom0/ctl_ops.c) over the size rules of
 * klib/ctlop.c (tested in test_ctlop.c).  The handlers
 * are stubs here that record their calls.  Each test states one
 * promise: frames survive any split, garbage costs one error reply and
 * never a frame after it, and no payload reaches a handler unless its
 * size is exactly what the op says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <klib/ctlop.h>

#include <xm/arch_x86_64.h>
#include <xm/ctl.h>
#include <xm/hypercall.h>

#include "ctl_ops.h"
#include "ctl_stream.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define HDR		sizeof(struct xm_ctl_hdr)

/*
 * Handler stubs.
 */

static unsigned int	stub_calls;
static uint32_t		stub_len;
static int		stub_status;
static uint32_t		stub_reply_len;

static int
stub(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	(void)p;
	stub_calls++;
	stub_len = len;
	r->len = stub_reply_len;
	return stub_status;
}

#define STUB(name)							\
int									\
name(const uint8_t *p, uint32_t len, struct ctl_reply *r)		\
{									\
	return stub(p, len, r);						\
}

STUB(ctl_op_hello)
STUB(ctl_op_create)
STUB(ctl_op_destroy)
STUB(ctl_op_pause)
STUB(ctl_op_unpause)
STUB(ctl_op_shutdown)
STUB(ctl_op_getinfo)
STUB(ctl_op_list)
STUB(ctl_op_max_mem)
STUB(ctl_op_populate)
STUB(ctl_op_set_vcpu)
STUB(ctl_op_get_vcpu)
STUB(ctl_op_page_list)
STUB(ctl_op_write_mem)
STUB(ctl_op_read_mem)
STUB(ctl_op_hypercall_init)
STUB(ctl_op_physinfo)
STUB(ctl_op_console_attach)
STUB(ctl_op_console_input)
STUB(ctl_op_sched_get)
STUB(ctl_op_sched_set)
STUB(ctl_op_vcpu_affinity)
STUB(ctl_op_vcpu_list)
STUB(ctl_op_stats)
STUB(ctl_op_store_attach)
STUB(ctl_op_store_input)
STUB(ctl_op_resume)
STUB(ctl_op_page_info)
STUB(ctl_op_pin_tables)
STUB(ctl_op_log_dirty)
STUB(ctl_op_clock)

static int
reset_stubs(void **state)
{
	(void)state;
	stub_calls = 0;
	stub_len = 0;
	stub_status = 0;
	stub_reply_len = 0;
	return 0;
}

/*
 * Frames.
 */

static size_t
make_frame(uint8_t *buf, uint16_t op, uint32_t seq, const void *payload,
    uint32_t len)
{
	struct xm_ctl_hdr h = {
		.magic = XM_CTL_MAGIC,
		.version = XM_CTL_VERSION,
		.op = op,
		.seq = seq,
		.len = len,
	};

	memcpy(buf, &h, HDR);
	if (len > 0)
		memcpy(buf + HDR, payload, len);
	return HDR + len;
}

static struct ctl_stream *
new_stream(void)
{
	struct ctl_stream *s = malloc(sizeof(*s));

	assert_non_null(s);
	ctl_stream_init(s);
	return s;
}

/* Put all of p, collecting items; returns how many were collected. */
static unsigned int
feed(struct ctl_stream *s, const uint8_t *p, size_t n,
    struct ctl_item *items, unsigned int max)
{
	unsigned int got = 0;
	struct ctl_item it;
	size_t k;

	do {
		k = ctl_stream_put(s, p, n);
		p += k;
		n -= k;
		for (;;) {
			ctl_stream_next(s, &it);
			if (it.kind == CTL_ITEM_NONE)
				break;
			assert_true(got < max);
			items[got++] = it;
		}
	} while (n > 0);
	return got;
}

static void
test_stream_whole_frame(void **state)
{
	struct ctl_stream *s = new_stream();
	struct ctl_item it[4];
	uint8_t buf[64];
	size_t n;

	(void)state;
	n = make_frame(buf, XM_CTL_OP_PHYSINFO, 7, "abcd", 4);
	assert_int_equal(feed(s, buf, n, it, 4), 1);
	assert_int_equal(it[0].kind, CTL_ITEM_FRAME);
	assert_int_equal(it[0].hdr.op, XM_CTL_OP_PHYSINFO);
	assert_int_equal(it[0].hdr.seq, 7);
	assert_int_equal(it[0].hdr.len, 4);
	assert_memory_equal(it[0].payload, "abcd", 4);
	assert_int_equal(ctl_stream_pending(s), 0);
	free(s);
}

static void
test_stream_frame_split_anywhere(void **state)
{
	struct ctl_stream *s = new_stream();
	uint8_t buf[HDR + 100], payload[100];
	struct ctl_item it[2];
	size_t n, cut, i;
	unsigned int got;

	(void)state;
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 31);
	n = make_frame(buf, XM_CTL_OP_WRITE_MEM, 99, payload, 100);
	for (cut = 1; cut < n; cut++) {
		got = feed(s, buf, cut, it, 2);
		assert_int_equal(got, 0);
		got = feed(s, buf + cut, n - cut, it, 2);
		assert_int_equal(got, 1);
		assert_int_equal(it[0].kind, CTL_ITEM_FRAME);
		assert_int_equal(it[0].hdr.seq, 99);
		assert_memory_equal(it[0].payload, payload, 100);
	}
	/* And one byte at a time. */
	for (i = 0; i < n - 1; i++)
		assert_int_equal(feed(s, buf + i, 1, it, 2), 0);
	assert_int_equal(feed(s, buf + n - 1, 1, it, 2), 1);
	assert_int_equal(s->cs_errors, 0);
	free(s);
}

static void
test_stream_merged_frames(void **state)
{
	struct ctl_stream *s = new_stream();
	struct ctl_item it[40];
	uint8_t buf[40 * (HDR + 8)];
	size_t n = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < 40; i++)
		n += make_frame(buf + n, XM_CTL_OP_GETINFO, i,
		    "\1\0\0\0\0\0\0\0", i % 2 ? 8 : 0);
	assert_int_equal(feed(s, buf, n, it, 40), 40);
	for (i = 0; i < 40; i++) {
		assert_int_equal(it[i].kind, CTL_ITEM_FRAME);
		assert_int_equal(it[i].hdr.seq, i);
	}
	free(s);
}

static void
test_stream_garbage_costs_one_error(void **state)
{
	static const char junk[] = "this is not a frame, nor is this MCT";
	struct ctl_stream *s = new_stream();
	struct ctl_item it[4];
	uint8_t buf[128];
	size_t n;

	(void)state;
	memcpy(buf, junk, sizeof(junk) - 1);
	n = sizeof(junk) - 1;
	n += make_frame(buf + n, XM_CTL_OP_PHYSINFO, 5, NULL, 0);
	assert_int_equal(feed(s, buf, n, it, 4), 2);
	assert_int_equal(it[0].kind, CTL_ITEM_ERROR);
	assert_int_equal(it[0].status, -XM_EBADMSG);
	assert_int_equal(it[0].hdr.seq, 0);
	assert_int_equal(it[1].kind, CTL_ITEM_FRAME);
	assert_int_equal(it[1].hdr.seq, 5);
	assert_int_equal(s->cs_skipped, sizeof(junk) - 1);
	free(s);
}

/* Garbage that arrives in pieces is still one error. */
static void
test_stream_garbage_in_pieces_one_error(void **state)
{
	struct ctl_stream *s = new_stream();
	struct ctl_item it[4];
	uint8_t buf[64];
	unsigned int i, errors = 0;
	size_t n;

	(void)state;
	for (i = 0; i < 100; i++) {
		assert_in_range(feed(s, (const uint8_t *)"xyMC", 4, it, 4), 0,
		    1);
		if (i == 0)
			errors = it[0].kind == CTL_ITEM_ERROR;
	}
	assert_int_equal(errors, 1);
	assert_int_equal(s->cs_errors, 1);
	n = make_frame(buf, XM_CTL_OP_PHYSINFO, 6, NULL, 0);
	assert_int_equal(feed(s, buf, n, it, 4), 1);
	assert_int_equal(it[0].kind, CTL_ITEM_FRAME);
	assert_int_equal(it[0].hdr.seq, 6);
	free(s);
}

static void
test_stream_bad_version_answers_seq_and_resyncs(void **state)
{
	struct ctl_stream *s = new_stream();
	struct ctl_item it[4];
	struct xm_ctl_hdr h;
	uint8_t buf[128];
	size_t n;

	(void)state;
	n = make_frame(buf, XM_CTL_OP_PHYSINFO, 41, NULL, 0);
	memcpy(&h, buf, HDR);
	h.version = 9;
	memcpy(buf, &h, HDR);
	n += make_frame(buf + n, XM_CTL_OP_PHYSINFO, 42, NULL, 0);
	assert_int_equal(feed(s, buf, n, it, 4), 2);
	assert_int_equal(it[0].kind, CTL_ITEM_ERROR);
	assert_int_equal(it[0].status, -XM_EBADMSG);
	assert_int_equal(it[0].hdr.seq, 41);
	assert_int_equal(it[1].kind, CTL_ITEM_FRAME);
	assert_int_equal(it[1].hdr.seq, 42);
	free(s);
}

static void
test_stream_oversized_length_is_refused_at_once(void **state)
{
	struct ctl_stream *s = new_stream();
	struct ctl_item it[4];
	struct xm_ctl_hdr h;
	uint8_t buf[128];
	size_t n;

	(void)state;
	n = make_frame(buf, XM_CTL_OP_WRITE_MEM, 3, NULL, 0);
	memcpy(&h, buf, HDR);
	h.len = XM_CTL_MAX_PAYLOAD + 1;
	memcpy(buf, &h, HDR);
	/* No payload follows: the stream must not wait for 64 KiB. */
	assert_int_equal(feed(s, buf, n, it, 4), 1);
	assert_int_equal(it[0].kind, CTL_ITEM_ERROR);
	assert_int_equal(it[0].status, -XM_EMSGSIZE);
	assert_int_equal(it[0].hdr.seq, 3);
	n = make_frame(buf, XM_CTL_OP_PHYSINFO, 4, NULL, 0);
	assert_int_equal(feed(s, buf, n, it, 4), 1);
	assert_int_equal(it[0].kind, CTL_ITEM_FRAME);
	free(s);
}

/* A payload may contain the magic; the frame is taken whole. */
static void
test_stream_magic_inside_payload(void **state)
{
	struct ctl_stream *s = new_stream();
	uint8_t inner[HDR], buf[2 * HDR + 8];
	struct ctl_item it[4];
	size_t n;

	(void)state;
	make_frame(inner, XM_CTL_OP_DESTROY, 666, NULL, 0);
	n = make_frame(buf, XM_CTL_OP_CONSOLE_INPUT, 1, inner, HDR);
	assert_int_equal(feed(s, buf, n, it, 4), 1);
	assert_int_equal(it[0].hdr.seq, 1);
	assert_int_equal(it[0].hdr.len, HDR);
	free(s);
}

static void
test_stream_largest_frame_fits(void **state)
{
	struct ctl_stream *s = new_stream();
	uint8_t *buf = malloc(2 * CTL_FRAME_MAX);
	uint8_t *payload = malloc(XM_CTL_MAX_PAYLOAD);
	struct ctl_item it[4];
	size_t n, off, k;
	unsigned int got = 0;

	(void)state;
	memset(payload, 0xa5, XM_CTL_MAX_PAYLOAD);
	n = make_frame(buf, XM_CTL_OP_WRITE_MEM, 1, payload,
	    XM_CTL_MAX_PAYLOAD);
	n += make_frame(buf + n, XM_CTL_OP_WRITE_MEM, 2, payload,
	    XM_CTL_MAX_PAYLOAD);
	/* In 4 KiB pieces, as virtio buffers bring them. */
	for (off = 0; off < n; off += k) {
		k = n - off < 4096 ? n - off : 4096;
		got += feed(s, buf + off, k, it + got, 4 - got);
	}
	assert_int_equal(got, 2);
	assert_int_equal(it[1].hdr.seq, 2);
	assert_int_equal(it[1].hdr.len, XM_CTL_MAX_PAYLOAD);
	assert_memory_equal(it[1].payload, payload, XM_CTL_MAX_PAYLOAD);
	free(buf);
	free(payload);
	free(s);
}

static void
test_stream_put_takes_what_fits(void **state)
{
	struct ctl_stream *s = new_stream();
	uint8_t *big = calloc(1, 2 * CTL_FRAME_MAX);
	struct ctl_item it;
	size_t k;

	(void)state;
	make_frame(big, XM_CTL_OP_WRITE_MEM, 1, NULL, 0);
	((struct xm_ctl_hdr *)big)->len = XM_CTL_MAX_PAYLOAD;
	k = ctl_stream_put(s, big, 2 * CTL_FRAME_MAX);
	assert_int_equal(k, CTL_FRAME_MAX);
	ctl_stream_next(s, &it);
	assert_int_equal(it.kind, CTL_ITEM_FRAME);
	assert_int_equal(ctl_stream_put(s, big, 10), 10);
	free(big);
	free(s);
}

static void
test_stream_reset_drops_partial_frame(void **state)
{
	struct ctl_stream *s = new_stream();
	struct ctl_item it[2];
	uint8_t buf[64];
	size_t n;

	(void)state;
	n = make_frame(buf, XM_CTL_OP_PHYSINFO, 1, "12345678", 8);
	assert_int_equal(feed(s, buf, n - 3, it, 2), 0);
	assert_int_equal(ctl_stream_pending(s), n - 3);
	ctl_stream_reset(s);
	assert_int_equal(ctl_stream_pending(s), 0);
	n = make_frame(buf, XM_CTL_OP_PHYSINFO, 2, NULL, 0);
	assert_int_equal(feed(s, buf, n, it, 2), 1);
	assert_int_equal(it[0].hdr.seq, 2);
	free(s);
}

/* Random bytes with frames in between: no crash, no frame lost. */
static void
test_stream_random_garbage_between_frames(void **state)
{
	struct ctl_stream *s = new_stream();
	static uint8_t buf[1 << 20];
	static struct ctl_item it[4096];
	unsigned int round, i, got, frames = 0, seq = 0;
	size_t n = 0, off, k;

	(void)state;
	srand(12345);
	for (round = 0; round < 2000; round++) {
		k = (size_t)(rand() % 300);
		for (i = 0; i < k; i++) {
			buf[n + i] = (uint8_t)rand();
			if (buf[n + i] == 'M')	/* no magic in the junk */
				buf[n + i] = 'm';
		}
		n += k;
		n += make_frame(buf + n, XM_CTL_OP_GETINFO, ++seq, "\0\0\0\0"
		    "\0\0\0\0", 8);
	}
	got = 0;
	for (off = 0; off < n; off += k) {
		k = (size_t)(rand() % 5000) + 1;
		if (k > n - off)
			k = n - off;
		got += feed(s, buf + off, k, it + got, nitems(it) - got);
		if (got > nitems(it) - 100) {
			for (i = 0; i < got; i++)
				frames += it[i].kind == CTL_ITEM_FRAME;
			got = 0;
		}
	}
	for (i = 0; i < got; i++)
		frames += it[i].kind == CTL_ITEM_FRAME;
	assert_int_equal(frames, seq);
	assert_int_equal(ctl_stream_pending(s), 0);
	free(s);
}

/* Pure noise, magic included: whatever comes out is well-formed. */
static void
test_stream_noise_never_breaks_it(void **state)
{
	struct ctl_stream *s = new_stream();
	static struct ctl_item it[1 << 16];
	uint8_t chunk[4096];
	unsigned int round, i, got;
	size_t k;

	(void)state;
	srand(777);
	for (round = 0; round < 3000; round++) {
		k = (size_t)(rand() % sizeof(chunk)) + 1;
		for (i = 0; i < k; i++)
			chunk[i] = (uint8_t)(rand() % 4 == 0 ?
			    "MCTL"[rand() % 4] : rand());
		/* Now and then a header that says "small". */
		if (k > HDR && rand() % 8 == 0)
			make_frame(chunk + rand() % (k - HDR), 1, 1, NULL, 0);
		got = feed(s, chunk, k, it, nitems(it));
		for (i = 0; i < got; i++) {
			if (it[i].kind == CTL_ITEM_FRAME) {
				assert_int_equal(it[i].hdr.magic,
				    XM_CTL_MAGIC);
				assert_int_equal(it[i].hdr.version,
				    XM_CTL_VERSION);
				assert_true(it[i].hdr.len <=
				    XM_CTL_MAX_PAYLOAD);
			} else
				assert_int_equal(it[i].kind, CTL_ITEM_ERROR);
		}
		assert_true(ctl_stream_pending(s) <= CTL_FRAME_MAX);
	}
	free(s);
}

/*
 * The op table.
 */

static const struct {
	uint16_t	op;
	uint32_t	size;
} fixed_ops[] = {
	{ XM_CTL_OP_HELLO, sizeof(struct xm_ctl_hello) },
	{ XM_CTL_OP_CREATE, sizeof(struct xm_ctl_create) },
	{ XM_CTL_OP_DESTROY, sizeof(struct xm_ctl_domid) },
	{ XM_CTL_OP_PAUSE, sizeof(struct xm_ctl_domid) },
	{ XM_CTL_OP_UNPAUSE, sizeof(struct xm_ctl_domid) },
	{ XM_CTL_OP_SHUTDOWN, sizeof(struct xm_ctl_shutdown) },
	{ XM_CTL_OP_GETINFO, sizeof(struct xm_ctl_domid) },
	{ XM_CTL_OP_LIST, sizeof(struct xm_ctl_list) },
	{ XM_CTL_OP_MAX_MEM, sizeof(struct xm_ctl_max_mem) },
	{ XM_CTL_OP_POPULATE, sizeof(struct xm_ctl_populate) },
	{ XM_CTL_OP_SET_VCPU, sizeof(struct xm_ctl_vcpu) +
	    sizeof(struct xm_vcpu_guest_context) },
	{ XM_CTL_OP_GET_VCPU, sizeof(struct xm_ctl_vcpu) },
	{ XM_CTL_OP_PAGE_LIST, sizeof(struct xm_ctl_page_list) },
	{ XM_CTL_OP_HYPERCALL_INIT, sizeof(struct xm_ctl_hypercall_init) },
	{ XM_CTL_OP_PHYSINFO, 0 },
	{ XM_CTL_OP_CONSOLE_ATTACH, sizeof(struct xm_ctl_console_attach) },
	{ XM_CTL_OP_SCHED_GET, sizeof(struct xm_ctl_domid) },
	{ XM_CTL_OP_SCHED_SET, sizeof(struct xm_ctl_sched) },
	{ XM_CTL_OP_VCPU_AFFINITY, sizeof(struct xm_ctl_vcpu_affinity) },
	{ XM_CTL_OP_VCPU_LIST, sizeof(struct xm_ctl_domid) },
	{ XM_CTL_OP_STATS, sizeof(struct xm_ctl_stats) },
	{ XM_CTL_OP_STORE_ATTACH, sizeof(struct xm_ctl_console_attach) },
	{ XM_CTL_OP_RESUME, sizeof(struct xm_ctl_domid) },
	{ XM_CTL_OP_LOG_DIRTY, sizeof(struct xm_ctl_log_dirty) },
	{ XM_CTL_OP_CLOCK, sizeof(struct xm_ctl_clock) },
};

static uint8_t payload_buf[XM_CTL_MAX_PAYLOAD + 64];
static uint8_t reply_buf[XM_CTL_MAX_PAYLOAD];

static struct xm_ctl_hdr
req(uint16_t op, uint32_t seq, uint32_t len)
{
	struct xm_ctl_hdr h = {
		.magic = XM_CTL_MAGIC,
		.version = XM_CTL_VERSION,
		.op = op,
		.seq = seq,
		.len = len,
	};

	return h;
}

static int
check(uint16_t op, uint32_t len)
{
	struct xm_ctl_hdr h = req(op, 1, len);

	return ctl_check(&h, payload_buf);
}

static void
test_ops_every_request_has_a_row(void **state)
{
	const struct ctlop *o;
	unsigned int i;

	(void)state;
	for (i = 0; i < nitems(fixed_ops); i++)
		assert_non_null(ctl_op_handler(fixed_ops[i].op));
	assert_non_null(ctl_op_handler(XM_CTL_OP_WRITE_MEM));
	assert_non_null(ctl_op_handler(XM_CTL_OP_READ_MEM));
	assert_non_null(ctl_op_handler(XM_CTL_OP_CONSOLE_INPUT));
	assert_non_null(ctl_op_handler(XM_CTL_OP_ECHO));
	/* Events go from dom0 to xmd, never the other way. */
	assert_null(ctl_op_handler(XM_CTL_OP_CONSOLE_OUTPUT));
	assert_null(ctl_op_handler(XM_CTL_OP_DOMAIN_EVENT));
	assert_null(ctl_op_handler(XM_CTL_OP_ERROR));
	assert_null(ctl_op_handler(0));
	assert_null(ctl_op_handler(0x1234));
	/* A handler for each REQUEST row of XM_CTL_OPS, none past them. */
	for (i = 0; i <= UINT16_MAX; i++) {
		o = ctlop_find((uint16_t)i);
		assert_int_equal(ctl_op_handler((uint16_t)i) != NULL,
		    o != NULL && o->co_dir == XM_CTL_DIR_REQUEST);
	}
}

/* The rows of XM_CTL_OPS with no tail are the ones listed above. */
static void
test_ops_fixed_sizes_match_the_list(void **state)
{
	const struct ctlop *o;
	unsigned int op, i, n = 0;

	(void)state;
	for (op = 0; op <= UINT16_MAX; op++) {
		o = ctlop_find((uint16_t)op);
		if (o == NULL || o->co_dir != XM_CTL_DIR_REQUEST ||
		    o->co_tail != XM_CTL_TAIL_NONE)
			continue;
		for (i = 0; i < nitems(fixed_ops) && fixed_ops[i].op != op; i++)
			;
		assert_true(i < nitems(fixed_ops));
		assert_int_equal(o->co_size, fixed_ops[i].size);
		n++;
	}
	assert_int_equal(n, nitems(fixed_ops));
}

static void
test_ops_fixed_sizes_are_exact(void **state)
{
	unsigned int i;
	uint32_t sz;

	(void)state;
	memset(payload_buf, 0, sizeof(payload_buf));
	for (i = 0; i < nitems(fixed_ops); i++) {
		sz = fixed_ops[i].size;
		assert_int_equal(check(fixed_ops[i].op, sz), 0);
		assert_int_equal(check(fixed_ops[i].op, sz + 1), -XM_EINVAL);
		if (sz > 0)
			assert_int_equal(check(fixed_ops[i].op, sz - 1),
			    -XM_EINVAL);
	}
}

static void
test_ops_header_checks(void **state)
{
	struct xm_ctl_hdr h;

	(void)state;
	assert_int_equal(check(0x4242, 0), -XM_ENOSYS);
	assert_int_equal(check(XM_CTL_OP_DOMAIN_EVENT, 64), -XM_ENOSYS);
	h = req(XM_CTL_OP_PHYSINFO, 1, 0);
	h.flags = XM_CTL_F_REPLY;
	assert_int_equal(ctl_check(&h, payload_buf), -XM_EINVAL);
	h.flags = XM_CTL_F_EVENT;
	assert_int_equal(ctl_check(&h, payload_buf), -XM_EINVAL);
	h.flags = 0x8000;	/* unknown flags are ignored */
	assert_int_equal(ctl_check(&h, payload_buf), 0);
	h = req(XM_CTL_OP_PHYSINFO, 1, 0);
	h.magic = 0;
	assert_int_equal(ctl_check(&h, payload_buf), -XM_EBADMSG);
	h = req(XM_CTL_OP_PHYSINFO, 1, 0);
	h.version = 2;
	assert_int_equal(ctl_check(&h, payload_buf), -XM_EBADMSG);
	h = req(XM_CTL_OP_WRITE_MEM, 1, XM_CTL_MAX_PAYLOAD + 1);
	assert_int_equal(ctl_check(&h, payload_buf), -XM_EMSGSIZE);
}

/*
 * The rules for what follows a request's fixed part are klib/ctlop.c's
 * (tests/unit/test_ctlop.c); ctl_check() applies them as they are.
 */
static void
test_ops_tails_are_ctlop_rules(void **state)
{
	static const uint16_t ops[] = { XM_CTL_OP_WRITE_MEM,
	    XM_CTL_OP_READ_MEM, XM_CTL_OP_CONSOLE_INPUT, XM_CTL_OP_ECHO };
	struct xm_ctl_mem m = { .domid = 1, .nr_segs = 2 };
	struct xm_ctl_mem_seg seg = { .mfn = 1, .offset = 8, .len = 20 };
	unsigned int i;
	uint32_t len;

	(void)state;
	memset(payload_buf, 0, sizeof(payload_buf));
	memcpy(payload_buf, &m, sizeof(m));
	memcpy(payload_buf + sizeof(m), &seg, sizeof(seg));
	memcpy(payload_buf + sizeof(m) + sizeof(seg), &seg, sizeof(seg));
	for (i = 0; i < nitems(ops); i++)
		for (len = 0; len <= 200; len++)
			assert_int_equal(check(ops[i], len),
			    ctlop_check(ops[i], payload_buf, len));
	assert_int_equal(check(XM_CTL_OP_WRITE_MEM, 8 + 32 + 40), 0);
	assert_int_equal(check(XM_CTL_OP_READ_MEM, 8 + 32), 0);
}

static void
test_dispatch_replies_with_op_seq_and_status(void **state)
{
	struct ctl_reply r = { .buf = reply_buf };
	struct xm_ctl_hdr h = req(XM_CTL_OP_PHYSINFO, 77, 0);

	(void)state;
	stub_reply_len = 56;
	ctl_dispatch(&h, payload_buf, &r);
	assert_int_equal(stub_calls, 1);
	assert_int_equal(r.hdr.magic, XM_CTL_MAGIC);
	assert_int_equal(r.hdr.version, XM_CTL_VERSION);
	assert_int_equal(r.hdr.op, XM_CTL_OP_PHYSINFO);
	assert_int_equal(r.hdr.seq, 77);
	assert_int_equal(r.hdr.status, 0);
	assert_int_equal(r.hdr.flags, XM_CTL_F_REPLY);
	assert_int_equal(r.hdr.len, 56);
	assert_int_equal(r.len, 56);
}

static void
test_dispatch_handler_failure_has_no_payload(void **state)
{
	struct ctl_reply r = { .buf = reply_buf };
	struct xm_ctl_hdr h = req(XM_CTL_OP_GETINFO, 8, 8);

	(void)state;
	stub_status = -XM_ESRCH;
	stub_reply_len = 64;
	ctl_dispatch(&h, payload_buf, &r);
	assert_int_equal(r.hdr.op, XM_CTL_OP_GETINFO);
	assert_int_equal(r.hdr.status, -XM_ESRCH);
	assert_int_equal(r.hdr.len, 0);
	/* A handler that claims too much sends nothing. */
	stub_status = 0;
	stub_reply_len = XM_CTL_MAX_PAYLOAD + 1;
	ctl_dispatch(&h, payload_buf, &r);
	assert_int_equal(r.hdr.len, 0);
}

static void
test_dispatch_refusal_is_an_error_reply(void **state)
{
	struct ctl_reply r = { .buf = reply_buf };
	struct xm_ctl_hdr h = req(XM_CTL_OP_GETINFO, 9, 5);

	(void)state;
	ctl_dispatch(&h, payload_buf, &r);
	assert_int_equal(stub_calls, 0);
	assert_int_equal(r.hdr.op, XM_CTL_OP_ERROR);
	assert_int_equal(r.hdr.seq, 9);
	assert_int_equal(r.hdr.status, -XM_EINVAL);
	assert_int_equal(r.hdr.flags, XM_CTL_F_REPLY);
	assert_int_equal(r.hdr.len, 0);
	h = req(0x777, 10, 0);
	ctl_dispatch(&h, payload_buf, &r);
	assert_int_equal(r.hdr.op, XM_CTL_OP_ERROR);
	assert_int_equal(r.hdr.status, -XM_ENOSYS);
	assert_int_equal(r.hdr.seq, 10);
	assert_int_equal(stub_calls, 0);
}

/* ECHO returns any payload as it came, up to the largest. */
static void
test_dispatch_echo(void **state)
{
	struct ctl_reply r = { .buf = reply_buf };
	struct xm_ctl_hdr h;
	uint32_t i, lens[] = { 0, 1, 333, XM_CTL_MAX_PAYLOAD };

	(void)state;
	for (i = 0; i < XM_CTL_MAX_PAYLOAD; i++)
		payload_buf[i] = (uint8_t)(i * 7 + 3);
	for (i = 0; i < nitems(lens); i++) {
		h = req(XM_CTL_OP_ECHO, 40 + i, lens[i]);
		memset(reply_buf, 0, sizeof(reply_buf));
		ctl_dispatch(&h, payload_buf, &r);
		assert_int_equal(r.hdr.op, XM_CTL_OP_ECHO);
		assert_int_equal(r.hdr.seq, 40 + i);
		assert_int_equal(r.hdr.status, 0);
		assert_int_equal(r.hdr.len, lens[i]);
		if (lens[i] > 0)
			assert_memory_equal(reply_buf, payload_buf, lens[i]);
	}
	h = req(XM_CTL_OP_ECHO, 50, XM_CTL_MAX_PAYLOAD + 1);
	ctl_dispatch(&h, payload_buf, &r);
	assert_int_equal(r.hdr.op, XM_CTL_OP_ERROR);
	assert_int_equal(r.hdr.status, -XM_EMSGSIZE);
	assert_int_equal(stub_calls, 0);
}

/* Every size of every op: the handler runs only for the right one. */
static void
test_dispatch_only_right_sizes_reach_handlers(void **state)
{
	struct ctl_reply r = { .buf = reply_buf };
	struct xm_ctl_hdr h;
	unsigned int i, calls;
	uint32_t len;

	(void)state;
	memset(payload_buf, 0, sizeof(payload_buf));
	for (i = 0; i < nitems(fixed_ops); i++) {
		calls = stub_calls;
		for (len = 0; len <= 6000; len++) {
			h = req(fixed_ops[i].op, len, len);
			ctl_dispatch(&h, payload_buf, &r);
			if (len == fixed_ops[i].size) {
				assert_int_equal(r.hdr.op, fixed_ops[i].op);
				assert_int_equal(stub_len, len);
			} else
				assert_int_equal(r.hdr.op, XM_CTL_OP_ERROR);
		}
		assert_int_equal(stub_calls, calls + 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_whole_frame),
		cmocka_unit_test(test_stream_frame_split_anywhere),
		cmocka_unit_test(test_stream_merged_frames),
		cmocka_unit_test(test_stream_garbage_costs_one_error),
		cmocka_unit_test(test_stream_garbage_in_pieces_one_error),
		cmocka_unit_test(
		    test_stream_bad_version_answers_seq_and_resyncs),
		cmocka_unit_test(
		    test_stream_oversized_length_is_refused_at_once),
		cmocka_unit_test(test_stream_magic_inside_payload),
		cmocka_unit_test(test_stream_largest_frame_fits),
		cmocka_unit_test(test_stream_put_takes_what_fits),
		cmocka_unit_test(test_stream_reset_drops_partial_frame),
		cmocka_unit_test(test_stream_random_garbage_between_frames),
		cmocka_unit_test(test_stream_noise_never_breaks_it),
		cmocka_unit_test_setup(test_ops_every_request_has_a_row,
		    reset_stubs),
		cmocka_unit_test_setup(test_ops_fixed_sizes_match_the_list,
		    reset_stubs),
		cmocka_unit_test_setup(test_ops_fixed_sizes_are_exact,
		    reset_stubs),
		cmocka_unit_test_setup(test_ops_header_checks, reset_stubs),
		cmocka_unit_test_setup(test_ops_tails_are_ctlop_rules,
		    reset_stubs),
		cmocka_unit_test_setup(
		    test_dispatch_replies_with_op_seq_and_status, reset_stubs),
		cmocka_unit_test_setup(
		    test_dispatch_handler_failure_has_no_payload, reset_stubs),
		cmocka_unit_test_setup(test_dispatch_refusal_is_an_error_reply,
		    reset_stubs),
		cmocka_unit_test_setup(
		    test_dispatch_only_right_sizes_reach_handlers, reset_stubs),
		cmocka_unit_test_setup(test_dispatch_echo, reset_stubs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
