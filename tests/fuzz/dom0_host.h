/*
 * Domain 0's control path on the host, for fuzz_dom0_ctl: what dom0.c,
 * log.c, the channel (chan.h), guests/lib and hv would provide, played by
 * dom0_host.c.  The stand-in for hv answers domctls as hv would and
 * checks what domain 0 asks of it: the interface version, that no
 * change is asked of domain 0 itself, that every foreign copy stays in
 * its frame and (for READ_MEM and WRITE_MEM) in the request or reply
 * buffer.  Every frame domain 0 sends must be one that xmd's scanner
 * (xmd/ctl_frame.c) reads as a whole frame.
 */
#ifndef XM_FUZZ_DOM0_HOST_H
#define XM_FUZZ_DOM0_HOST_H

#include <stddef.h>
#include <stdint.h>

/* The fuzz input's first bytes: how hv behaves. */
struct host_cfg {
	uint32_t	hc_fail;	/* bit n: domctl n fails */
	uint8_t		hc_flags;	/* HC_* */
	uint8_t		hc_chunk;	/* bytes per put; 0: all at once */
	uint8_t		hc_pad[2];
	uint32_t	hc_ring[4];	/* the console page's four indices */
};

#define HC_HOSTILE	0x01	/* hv reports more than it was asked */
#define HC_ESRCH	0x02	/* failures say "no such domain" */

/* The request being served, for the copy checks (NULL: not checked). */
struct host_req {
	const uint8_t	*hr_payload;
	size_t		 hr_len;
	uint8_t		*hr_reply;
	size_t		 hr_reply_len;
};

void	host_start(const struct host_cfg *);
void	host_serving(const struct host_req *);
/* Close whatever consoles domain 0 attached. */
void	host_end(void);
/* Frames that went through host_check_wire(). */
uint64_t host_frames_sent(void);
uint64_t host_now(void);

/* Check one frame as it would reach xmd: header, then len bytes. */
void	host_check_wire(const void *hdr, const void *payload, size_t len);

#endif
