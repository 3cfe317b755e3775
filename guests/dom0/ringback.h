/*
 * Byte-ring backends: a page of a domain's holding two byte rings with
 * free-running indexes, one the domain writes ("out": console output,
 * xenstore requests) and one domain 0 writes ("in": console input,
 * xenstore answers).  The page is read and written through
 * FOREIGN_COPY; what the domain wrote goes to xmd as an event, what xmd
 * sends goes into the ring.  The domain's port, bound interdomain, says
 * when to look; a sweep every RINGBACK_SWEEP_NS catches what a lost
 * event would hide.  conback.c and storeback.c are the two kinds.
 */

#ifndef _DOM0_RINGBACK_H_
#define _DOM0_RINGBACK_H_

#include <stdint.h>

#include <xm/event_channel.h>
#include <xm/hypercall.h>

/* Where a kind's rings and indexes lie in its page. */
struct ring_kind {
	const char	*rk_name;	/* "console", "store" */
	uint16_t	 rk_event;	/* XM_CTL_OP_*_OUTPUT */
	uint16_t	 rk_out_off, rk_out_size;
	uint16_t	 rk_in_off, rk_in_size;
	uint16_t	 rk_out_cons, rk_out_prod;	/* index offsets */
	uint16_t	 rk_in_cons, rk_in_prod;
};

/* Serve the rings that signalled, or all when a sweep is due. */
void	ringback_poll(uint64_t now);
/* When the next sweep is due, 0 when no ring is attached. */
uint64_t ringback_deadline(void);
/* The domain is gone (or going): close all its rings. */
void	ringback_detach(xm_domid_t domid);
/* Take what is in the domain's rings now. */
void	ringback_flush(xm_domid_t domid);

/*
 * Serve a ring of kind k of domid at mfn, signalled through our port
 * (already bound interdomain); replaces one on another page.  0 or
 * -XM_E*.
 */
int	ringback_attach(const struct ring_kind *k, xm_domid_t domid,
	    uint64_t mfn, xm_evtchn_port_t port);
/* Bind to the domain's port remote, then ringback_attach(). */
int	ringback_bind(const struct ring_kind *k, xm_domid_t domid,
	    uint64_t mfn, xm_evtchn_port_t remote);
/* Attached to that page already: look at it again, 1; else 0. */
int	ringback_attached(const struct ring_kind *k, xm_domid_t domid,
	    uint64_t mfn);
/* All of the bytes go into the in ring, or none (-XM_EAGAIN: full). */
int	ringback_input(const struct ring_kind *k, xm_domid_t domid,
	    const uint8_t *bytes, uint32_t len);
/* The same for a request p: struct xm_ctl_console_data, then bytes. */
int	ringback_ctl_input(const struct ring_kind *k, const uint8_t *p);

#endif /* _DOM0_RINGBACK_H_ */
