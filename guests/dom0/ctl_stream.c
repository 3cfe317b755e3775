/*
 * Frame reassembly and header checks for the control channel (see
 * ctl_stream.h).  Headers are copied out of the buffer before use, so
 * the stream never reads a field at an unaligned or partial address.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/hypercall.h>

#include "ctl_stream.h"

#define HDR_SIZE	sizeof(struct xm_ctl_hdr)
#define MAGIC_SIZE	sizeof(uint32_t)

static const uint8_t ctl_magic[MAGIC_SIZE] = {
	XM_CTL_MAGIC & 0xff, (XM_CTL_MAGIC >> 8) & 0xff,
	(XM_CTL_MAGIC >> 16) & 0xff, XM_CTL_MAGIC >> 24,
};

void
ctl_stream_init(struct ctl_stream *s)
{
	s->cs_frames = 0;
	s->cs_errors = 0;
	s->cs_skipped = 0;
	ctl_stream_reset(s);
}

void
ctl_stream_reset(struct ctl_stream *s)
{
	s->cs_skipped += s->cs_end - s->cs_start;
	s->cs_start = 0;
	s->cs_end = 0;
	s->cs_resync = 0;
}

size_t
ctl_stream_pending(const struct ctl_stream *s)
{
	return s->cs_end - s->cs_start;
}

size_t
ctl_stream_put(struct ctl_stream *s, const void *data, size_t len)
{
	size_t room;

	if (s->cs_start > 0 && sizeof(s->cs_buf) - s->cs_end < len) {
		kmemmove(s->cs_buf, s->cs_buf + s->cs_start,
		    s->cs_end - s->cs_start);
		s->cs_end -= s->cs_start;
		s->cs_start = 0;
	}
	room = sizeof(s->cs_buf) - s->cs_end;
	if (len > room)
		len = room;
	kmemcpy(s->cs_buf + s->cs_end, data, len);
	s->cs_end += len;
	return len;
}

/* How many leading bytes of p (n of them) may begin a magic. */
static size_t
magic_prefix(const uint8_t *p, size_t n)
{
	if (n > MAGIC_SIZE)
		n = MAGIC_SIZE;
	return kmemcmp(p, ctl_magic, n) == 0 ? n : 0;
}

static void
consume(struct ctl_stream *s, size_t n)
{
	s->cs_start += n;
	if (s->cs_start == s->cs_end)
		s->cs_start = s->cs_end = 0;
}

/*
 * Drop bytes up to the next place a magic may start.  Returns non-zero
 * when the stream now starts with a whole or partial magic.
 */
static int
skip_to_magic(struct ctl_stream *s)
{
	const uint8_t *p;
	size_t n;

	while ((n = ctl_stream_pending(s)) > 0) {
		p = s->cs_buf + s->cs_start;
		if (magic_prefix(p, n) == (n < MAGIC_SIZE ? n : MAGIC_SIZE))
			return 1;
		s->cs_skipped++;
		consume(s, 1);
	}
	return 0;
}

static void
item_error(struct ctl_stream *s, struct ctl_item *it, uint32_t seq,
    int status)
{
	kmemset(&it->hdr, 0, sizeof(it->hdr));
	it->kind = CTL_ITEM_ERROR;
	it->hdr.seq = seq;
	it->status = status;
	s->cs_errors++;
	s->cs_resync = 1;
}

/*
 * With the stream at a magic: a whole frame, an error, or wait.  On a
 * bad header, the magic is dropped so that the search goes on after it.
 */
static void
header_check(struct ctl_stream *s, struct ctl_item *it)
{
	struct xm_ctl_hdr h;

	if (ctl_stream_pending(s) < HDR_SIZE)
		return;
	kmemcpy(&h, s->cs_buf + s->cs_start, HDR_SIZE);
	if (h.version != XM_CTL_VERSION || h.len > XM_CTL_MAX_PAYLOAD) {
		item_error(s, it, h.seq, h.version != XM_CTL_VERSION ?
		    -XM_EBADMSG : -XM_EMSGSIZE);
		s->cs_skipped += MAGIC_SIZE;
		consume(s, MAGIC_SIZE);
		return;
	}
	if (ctl_stream_pending(s) < HDR_SIZE + h.len)
		return;
	it->kind = CTL_ITEM_FRAME;
	it->hdr = h;
	it->payload = s->cs_buf + s->cs_start + HDR_SIZE;
	s->cs_frames++;
	consume(s, HDR_SIZE + h.len);
}

void
ctl_stream_next(struct ctl_stream *s, struct ctl_item *it)
{
	size_t n = ctl_stream_pending(s);

	it->kind = CTL_ITEM_NONE;
	it->payload = NULL;
	it->status = 0;
	if (n == 0)
		return;
	if (!s->cs_resync &&
	    magic_prefix(s->cs_buf + s->cs_start, n) <
	    (n < MAGIC_SIZE ? n : MAGIC_SIZE)) {
		/* Garbage where a frame should start: say so once. */
		item_error(s, it, 0, -XM_EBADMSG);
		return;
	}
	if (s->cs_resync) {
		if (!skip_to_magic(s) || ctl_stream_pending(s) < MAGIC_SIZE)
			return;
		s->cs_resync = 0;
	}
	header_check(s, it);
}
