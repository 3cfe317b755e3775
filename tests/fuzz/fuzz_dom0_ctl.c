/*
 * libFuzzer target: domain 0's side of the control channel, compiled
 * for the host (guests/dom0/ctl_stream.c, ctl_ops.c, ctl_server.c,
 * klib/ctlop.c, the handlers in ops_domain.c, ops_mem.c, ops_logdirty.c,
 * conback.c and storeback.c) over a stand-in for hv and the control
 * port (dom0_host.c, shim/guest/hypercall.h).
 *
 * Input: a struct host_cfg (how hv behaves, the guest's console ring
 * indices), then the bytes xmd sends.  They go through the stream and
 * the op table twice: once item by item here, every payload copied to
 * a buffer of exactly its size so that ASan sees any read past it; once
 * through ctl_server_input() as the kernel loop feeds it.  Then the
 * console backend sweeps the consoles the requests attached, reading
 * the hostile ring indices.  Checked: the stream accounts for every
 * byte; a handler only sees a payload of the size its op prescribes
 * (the rows of XM_CTL_OPS; the tails' rules written out again here,
 * with those of PAGE_INFO and PIN_TABLES, whose rows allow any bytes
 * and whose handlers count the entries);
 * an ECHO comes back as it went; each reply has the request's op and
 * seq, or is an error; and every frame domain 0 sends is one that xmd
 * reads as a whole frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xm/arch_x86_64.h>
#include <xm/ctl.h>
#include <xm/domctl.h>

#include "ringback.h"
#include "ctl_ops.h"
#include "ctl_server.h"
#include "ctl_stream.h"
#include "dom0_host.h"
#include "fuzz.h"

#define HDR		sizeof(struct xm_ctl_hdr)
#define PAGE_BYTES	4096U

static struct ctl_stream	stream;
static uint8_t			*reply_buf;

/*
 * What ctl.h says a READ_MEM or WRITE_MEM payload is: the header, its
 * segments, (WRITE_MEM) their data.  0 when p is one; *data: bytes.
 */
static int
mem_shape(const uint8_t *p, uint32_t len, int with_data, uint64_t *data)
{
	struct xm_ctl_mem m;
	struct xm_ctl_mem_seg seg;
	uint64_t hdr;
	uint32_t i;

	if (len < sizeof(m))
		return -1;
	memcpy(&m, p, sizeof(m));
	if (m.nr_segs > XM_CTL_MEM_MAX_SEGS)
		return -1;
	hdr = sizeof(m) + (uint64_t)m.nr_segs * sizeof(seg);
	if (hdr > len)
		return -1;
	*data = 0;
	for (i = 0; i < m.nr_segs; i++) {
		memcpy(&seg, p + sizeof(m) + i * sizeof(seg), sizeof(seg));
		if ((uint32_t)seg.offset + seg.len > PAGE_BYTES)
			return -1;
		*data += seg.len;
	}
	return len == hdr + (with_data ? *data : 0) ? 0 : -1;
}

/*
 * What ctl.h says a PAGE_INFO or PIN_TABLES payload is: a struct
 * xm_ctl_page_info, then nr (at most XM_PAGE_INFO_MAX) entries of elem
 * bytes (mfns; struct xm_pin_table).  0 when p is one; *nr: its count.
 */
static int
page_info_shape(const uint8_t *p, uint32_t len, size_t elem, uint32_t *nr)
{
	struct xm_ctl_page_info pi;

	if (len < sizeof(pi))
		return -1;
	memcpy(&pi, p, sizeof(pi));
	*nr = pi.nr;
	if (pi.nr > XM_PAGE_INFO_MAX)
		return -1;
	return len == sizeof(pi) + (uint64_t)pi.nr * elem ? 0 : -1;
}

/*
 * The rows of XM_CTL_OPS as this target reads them: the requests with
 * no tail have exactly their size (read here from the list itself,
 * not through klib/ctlop.c, whose rules this target checks).
 */
#define ROW(op, num, name, dir, size, tail, ...)			\
	{ op, XM_CTL_DIR_##dir, tail, size },

static const struct {
	uint16_t	op;
	int		dir;
	int		tail;
	uint32_t	size;
} rows[] = {
	XM_CTL_OPS(ROW)
};

static int
fixed_size_ok(uint16_t op, uint32_t len)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].op == op)
			return rows[i].dir == XM_CTL_DIR_REQUEST &&
			    rows[i].tail == XM_CTL_TAIL_NONE &&
			    len == rows[i].size;
	return 0;	/* no such request */
}

/* A request the op table let through: its size is what ctl.h says. */
static void
check_accepted(const struct xm_ctl_hdr *h, const uint8_t *p,
    const struct ctl_reply *r)
{
	struct xm_ctl_console_data cd;
	uint64_t data;
	uint32_t nr;

	FUZZ_CHECK((h->flags & (XM_CTL_F_REPLY | XM_CTL_F_EVENT)) == 0);
	switch (h->op) {
	case XM_CTL_OP_WRITE_MEM:
		FUZZ_CHECK(mem_shape(p, h->len, 1, &data) == 0);
		break;
	case XM_CTL_OP_READ_MEM:
		FUZZ_CHECK(mem_shape(p, h->len, 0, &data) == 0);
		FUZZ_CHECK(data <= XM_CTL_MAX_PAYLOAD);
		if (r->hdr.status == 0)
			FUZZ_CHECK(r->len == data);
		break;
	case XM_CTL_OP_CONSOLE_INPUT:
	case XM_CTL_OP_STORE_INPUT:	/* the same tail: console_data.len */
		FUZZ_CHECK(h->len >= sizeof(cd));
		memcpy(&cd, p, sizeof(cd));
		FUZZ_CHECK(h->len == sizeof(cd) + (uint64_t)cd.len);
		break;
	/*
	 * Their rows let any bytes through the op table (XM_CTL_TAIL_BYTES):
	 * the handler refuses a count that does not match; what it took
	 * has the shape.
	 */
	case XM_CTL_OP_PAGE_INFO:
		if (r->hdr.status != 0)
			break;
		FUZZ_CHECK(page_info_shape(p, h->len, sizeof(uint64_t),
		    &nr) == 0);
		FUZZ_CHECK(r->len == nr * sizeof(struct xm_page_info));
		break;
	case XM_CTL_OP_PIN_TABLES:
		if (r->hdr.status != 0)
			break;
		FUZZ_CHECK(page_info_shape(p, h->len,
		    sizeof(struct xm_pin_table), &nr) == 0);
		FUZZ_CHECK(r->len == 0);
		break;
	case XM_CTL_OP_ECHO:
		/* Any bytes, and they come back as they went. */
		FUZZ_CHECK(r->hdr.status == 0 && r->len == h->len);
		FUZZ_CHECK(h->len == 0 || memcmp(r->buf, p, h->len) == 0);
		break;
	default:
		FUZZ_CHECK(fixed_size_ok(h->op, h->len));
	}
}

static void
serve_frame(const struct ctl_item *it)
{
	const struct xm_ctl_hdr *h = &it->hdr;
	struct ctl_reply r = { .buf = reply_buf };
	struct host_req hr;
	uint8_t *p;
	int rc;

	if ((p = malloc(h->len > 0 ? h->len : 1)) == NULL)
		return;
	memcpy(p, it->payload, h->len);
	hr = (struct host_req){ p, h->len, reply_buf, XM_CTL_MAX_PAYLOAD };
	host_serving(h->op == XM_CTL_OP_READ_MEM ||
	    h->op == XM_CTL_OP_WRITE_MEM ? &hr : NULL);
	rc = ctl_check(h, p);
	ctl_dispatch(h, p, &r);
	host_serving(NULL);

	FUZZ_CHECK(r.hdr.magic == XM_CTL_MAGIC && r.hdr.pad == 0);
	FUZZ_CHECK(r.hdr.seq == h->seq && r.hdr.flags == XM_CTL_F_REPLY);
	FUZZ_CHECK(r.hdr.len == r.len && r.len <= XM_CTL_MAX_PAYLOAD);
	if (rc < 0) {
		FUZZ_CHECK(r.hdr.op == XM_CTL_OP_ERROR);
		FUZZ_CHECK(r.hdr.status == rc && r.len == 0);
	} else {
		FUZZ_CHECK(r.hdr.op == h->op && r.hdr.status <= 0);
		FUZZ_CHECK(r.hdr.status == 0 || r.len == 0);
		check_accepted(h, p, &r);
	}
	host_check_wire(&r.hdr, r.buf, r.len);
	free(p);
}

static void
serve_error(const struct ctl_item *it)
{
	struct ctl_reply r = { .buf = reply_buf };

	FUZZ_CHECK(it->status < 0);
	ctl_reply_error(&r, it->hdr.seq, it->status);
	host_check_wire(&r.hdr, NULL, 0);
}

/* Items out of the stream until it wants more; their bytes in *framed. */
static int
drain(uint64_t *framed)
{
	struct ctl_item it;
	int n = 0;

	for (;;) {
		ctl_stream_next(&stream, &it);
		FUZZ_CHECK(stream.cs_start <= stream.cs_end &&
		    stream.cs_end <= sizeof(stream.cs_buf));
		if (it.kind == CTL_ITEM_NONE)
			return n;
		n++;
		if (it.kind == CTL_ITEM_ERROR) {
			serve_error(&it);
			continue;
		}
		FUZZ_CHECK(it.kind == CTL_ITEM_FRAME);
		FUZZ_CHECK(it.hdr.magic == XM_CTL_MAGIC);
		FUZZ_CHECK(it.hdr.version == XM_CTL_VERSION);
		FUZZ_CHECK(it.hdr.len <= XM_CTL_MAX_PAYLOAD);
		FUZZ_CHECK(it.payload == stream.cs_buf + stream.cs_start -
		    it.hdr.len || stream.cs_start == 0);
		*framed += HDR + it.hdr.len;
		serve_frame(&it);
	}
}

/* Pass 1: the stream and the op table, item by item. */
static void
by_item(const uint8_t *p, size_t n, size_t chunk)
{
	uint64_t framed = 0, put = 0;
	size_t k, want;

	/* As dom0 has it: a zeroed stream, then init. */
	memset(&stream, 0, sizeof(stream));
	ctl_stream_init(&stream);
	while (n > 0) {
		want = chunk == 0 || chunk > n ? n : chunk;
		k = ctl_stream_put(&stream, p, want);
		p += k, n -= k, put += k;
		/* A full buffer always holds an item: never stuck. */
		FUZZ_CHECK(drain(&framed) > 0 || k > 0);
	}
	FUZZ_CHECK(framed + stream.cs_skipped + ctl_stream_pending(&stream) ==
	    put);
}

/* Pass 2: the server, as the kernel loop gives it the port's bytes. */
static void
by_server(const uint8_t *p, size_t n, size_t chunk)
{
	size_t want;

	ctl_server_init();
	while (n > 0) {
		want = chunk == 0 || chunk > n ? n : chunk;
		ctl_server_input(NULL, p, want);
		p += want, n -= want;
	}
	ctl_server_tick(host_now() + 10 * UINT64_C(1000000000));
	FUZZ_CHECK(!ctl_server_partial());
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host_cfg cfg;

	if (size < sizeof(cfg))
		return 0;
	if (reply_buf == NULL &&
	    (reply_buf = malloc(XM_CTL_MAX_PAYLOAD)) == NULL)
		return 0;
	memcpy(&cfg, data, sizeof(cfg));
	data += sizeof(cfg), size -= sizeof(cfg);

	host_start(&cfg);
	by_item(data, size, cfg.hc_chunk);
	by_server(data, size, cfg.hc_chunk);
	ringback_poll(host_now());
	host_end();
	return 0;
}
