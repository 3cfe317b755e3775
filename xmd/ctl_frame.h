/*
 * Frames of the control channel (include/xm/ctl.h) as bytes: encoding a
 * header, and finding frames in a received byte stream.  No I/O here,
 * so that xmd, the test peer and the unit tests share it.
 */
#ifndef XMD_CTL_FRAME_H
#define XMD_CTL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include <xm/ctl.h>

#define CTL_FRAME_MAX	(sizeof(struct xm_ctl_hdr) + XM_CTL_MAX_PAYLOAD)

enum ctl_scan {
	CTL_SCAN_FRAME,		/* a whole frame at the start */
	CTL_SCAN_MORE,		/* a frame may start here: read more */
	CTL_SCAN_BAD,		/* drop skip bytes, then scan again */
};

struct ctl_scan_result {
	enum ctl_scan		 kind;
	struct xm_ctl_hdr	 hdr;	/* FRAME; BAD with hdr_valid */
	int			 hdr_valid;
	size_t			 size;	/* FRAME: its bytes */
	size_t			 skip;	/* BAD: to the next magic */
	const char		*why;	/* BAD: what was wrong */
};

/* A header in wire order (little-endian) at out. */
void	ctl_frame_encode(void *out, uint16_t op, uint32_t seq,
	    int32_t status, uint32_t len, uint16_t flags);

/*
 * Look at the len bytes at buf.  A frame must begin with the magic and
 * have version XM_CTL_VERSION, no unknown flags, zero padding and a
 * payload of at most XM_CTL_MAX_PAYLOAD bytes; otherwise the result is
 * BAD, with skip the distance to the next place the magic (or a prefix
 * of it, at the end) appears, so that the stream resynchronises there.
 */
void	ctl_frame_scan(const void *buf, size_t len,
	    struct ctl_scan_result *);

/* The op's name ("POPULATE"), or "op N" in buf. */
const char *ctl_op_name(uint16_t op, char *buf, size_t len);

#endif
