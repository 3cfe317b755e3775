/*
 * Control-channel frames as bytes: header encoding and the scanner that
 * finds frames in a stream and skips garbage up to the next magic.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include <klib/ctlop.h>

#include "ctl_frame.h"

#define HDR_SIZE	sizeof(struct xm_ctl_hdr)
#define KNOWN_FLAGS	(XM_CTL_F_REPLY | XM_CTL_F_EVENT)

static const uint8_t magic_bytes[4] = { 'M', 'C', 'T', 'L' };

_Static_assert(XM_CTL_MAGIC == 0x4c54434dU, "the magic is \"MCTL\"");

const char *
ctl_op_name(uint16_t op, char *buf, size_t len)
{
	const struct ctlop *o;

	if (op == XM_CTL_OP_ERROR)
		return "ERROR";
	if ((o = ctlop_find(op)) != NULL)
		return o->co_name;
	snprintf(buf, len, "op %u", op);
	return buf;
}

void
ctl_frame_encode(void *out, uint16_t op, uint32_t seq, int32_t status,
    uint32_t len, uint16_t flags)
{
	struct xm_ctl_hdr h;

	memset(&h, 0, sizeof(h));
	h.magic = htole32(XM_CTL_MAGIC);
	h.version = htole16(XM_CTL_VERSION);
	h.op = htole16(op);
	h.seq = htole32(seq);
	h.status = (int32_t)htole32((uint32_t)status);
	h.len = htole32(len);
	h.flags = htole16(flags);
	memcpy(out, &h, sizeof(h));
}

static void
decode(const uint8_t *buf, struct xm_ctl_hdr *h)
{
	memcpy(h, buf, sizeof(*h));
	h->magic = le32toh(h->magic);
	h->version = le16toh(h->version);
	h->op = le16toh(h->op);
	h->seq = le32toh(h->seq);
	h->status = (int32_t)le32toh((uint32_t)h->status);
	h->len = le32toh(h->len);
	h->flags = le16toh(h->flags);
	h->pad = le16toh(h->pad);
}

/* Where, from from on, the magic or (at the end) a prefix of it starts. */
static size_t
next_magic(const uint8_t *buf, size_t len, size_t from)
{
	size_t i, n;

	for (i = from; i < len; i++) {
		n = len - i;
		if (n > sizeof(magic_bytes))
			n = sizeof(magic_bytes);
		if (memcmp(buf + i, magic_bytes, n) == 0)
			return i;
	}
	return len;
}

static void
bad(struct ctl_scan_result *r, const uint8_t *buf, size_t len,
    const char *why)
{
	r->kind = CTL_SCAN_BAD;
	r->why = why;
	r->skip = next_magic(buf, len, 1);
}

static const char *
check_header(const struct xm_ctl_hdr *h)
{
	if (h->version != XM_CTL_VERSION)
		return "unsupported version";
	if (h->len > XM_CTL_MAX_PAYLOAD)
		return "payload longer than XM_CTL_MAX_PAYLOAD";
	if ((h->flags & ~KNOWN_FLAGS) != 0 || h->pad != 0)
		return "unknown flags or non-zero padding";
	return NULL;
}

void
ctl_frame_scan(const void *data, size_t len, struct ctl_scan_result *r)
{
	const uint8_t *buf = data;
	const char *why;
	size_t n = len < sizeof(magic_bytes) ? len : sizeof(magic_bytes);

	memset(r, 0, sizeof(*r));
	if (memcmp(buf, magic_bytes, n) != 0) {
		bad(r, buf, len, "bad magic");
		return;
	}
	if (len < HDR_SIZE) {
		r->kind = CTL_SCAN_MORE;
		return;
	}
	decode(buf, &r->hdr);
	r->hdr_valid = 1;
	if ((why = check_header(&r->hdr)) != NULL) {
		bad(r, buf, len, why);
		return;
	}
	r->size = HDR_SIZE + r->hdr.len;
	r->kind = len >= r->size ? CTL_SCAN_FRAME : CTL_SCAN_MORE;
}
