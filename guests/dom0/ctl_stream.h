/*
 * The control channel's receive side: a byte stream in, whole frames
 * out.  Frames may arrive split or merged across virtio buffers; the
 * stream keeps at most one frame (header and the largest payload) and
 * checks each header as soon as it is complete: magic, version, and
 * len <= XM_CTL_MAX_PAYLOAD.  A bad header is reported once, then the
 * stream skips to the next magic; what the op means is for ctl_ops.
 *
 * Pure code, freestanding and host.
 */

#ifndef _DOM0_CTL_STREAM_H_
#define _DOM0_CTL_STREAM_H_

#include <stddef.h>
#include <stdint.h>

#include <xm/ctl.h>

#define CTL_FRAME_MAX	(sizeof(struct xm_ctl_hdr) + XM_CTL_MAX_PAYLOAD)

enum ctl_item_kind {
	CTL_ITEM_NONE,		/* more bytes needed */
	CTL_ITEM_FRAME,		/* a whole frame: hdr and payload */
	CTL_ITEM_ERROR,		/* a bad header: answer with OP_ERROR */
};

struct ctl_item {
	enum ctl_item_kind	 kind;
	struct xm_ctl_hdr	 hdr;	/* FRAME; ERROR: seq if known */
	const uint8_t		*payload; /* FRAME: hdr.len bytes */
	int			 status; /* ERROR: -XM_E* */
};

struct ctl_stream {
	size_t		cs_start;	/* first unconsumed byte */
	size_t		cs_end;		/* after the last byte */
	int		cs_resync;	/* skipping to the next magic */
	uint64_t	cs_frames;
	uint64_t	cs_errors;
	uint64_t	cs_skipped;	/* bytes thrown away */
	uint8_t		cs_buf[CTL_FRAME_MAX];
};

void	ctl_stream_init(struct ctl_stream *s);
/* Forget buffered bytes (a stale partial frame); counters stay. */
void	ctl_stream_reset(struct ctl_stream *s);
/* Take up to len bytes; returns how many were taken. */
size_t	ctl_stream_put(struct ctl_stream *s, const void *data,
	    size_t len);
/*
 * The next item.  A FRAME's payload points into the stream and stays
 * valid until the next call to put, next or reset.
 */
void	ctl_stream_next(struct ctl_stream *s, struct ctl_item *it);
/* Bytes buffered and not yet part of an item. */
size_t	ctl_stream_pending(const struct ctl_stream *s);

#endif /* _DOM0_CTL_STREAM_H_ */
