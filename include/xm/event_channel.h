/*
 * Xen x86-64 PV guest ABI: event channels, the virtual interrupts of a
 * PV guest.  event_channel_op(cmd, arg) takes one of these commands
 * and a pointer to its struct; ports come back in the same struct.
 */

#ifndef _XM_EVENT_CHANNEL_H_
#define _XM_EVENT_CHANNEL_H_

#include <stdint.h>

#include "hypercall.h"

typedef uint32_t xm_evtchn_port_t;

#define XM_EVTCHNOP_BIND_INTERDOMAIN	0
#define XM_EVTCHNOP_BIND_VIRQ		1
#define XM_EVTCHNOP_BIND_PIRQ		2
#define XM_EVTCHNOP_CLOSE		3
#define XM_EVTCHNOP_SEND		4
#define XM_EVTCHNOP_STATUS		5
#define XM_EVTCHNOP_ALLOC_UNBOUND	6
#define XM_EVTCHNOP_BIND_IPI		7
#define XM_EVTCHNOP_BIND_VCPU		8
#define XM_EVTCHNOP_UNMASK		9
#define XM_EVTCHNOP_RESET		10
/* FIFO event channels; xm implements only the 2-level scheme. */
#define XM_EVTCHNOP_INIT_CONTROL	11
#define XM_EVTCHNOP_EXPAND_ARRAY	12
#define XM_EVTCHNOP_SET_PRIORITY	13

/*
 * Make a port in dom that remote_dom may later bind to; the usual
 * first half of a split driver's connection.
 */
struct xm_evtchn_alloc_unbound {
	xm_domid_t	dom;
	xm_domid_t	remote_dom;
	xm_evtchn_port_t port;		/* out */
};
_Static_assert(sizeof(struct xm_evtchn_alloc_unbound) == 8,
    "xm_evtchn_alloc_unbound");

/* The second half: connect a new local port to the remote one. */
struct xm_evtchn_bind_interdomain {
	xm_domid_t	remote_dom;
	uint16_t	pad;
	xm_evtchn_port_t remote_port;
	xm_evtchn_port_t local_port;	/* out */
};
_Static_assert(sizeof(struct xm_evtchn_bind_interdomain) == 12,
    "xm_evtchn_bind_interdomain");

struct xm_evtchn_bind_virq {
	uint32_t	virq;		/* XM_VIRQ_* */
	uint32_t	vcpu;
	xm_evtchn_port_t port;		/* out */
};
_Static_assert(sizeof(struct xm_evtchn_bind_virq) == 12,
    "xm_evtchn_bind_virq");

struct xm_evtchn_bind_pirq {
	uint32_t	pirq;
	uint32_t	flags;		/* XM_BIND_PIRQ_* */
	xm_evtchn_port_t port;		/* out */
};
_Static_assert(sizeof(struct xm_evtchn_bind_pirq) == 12,
    "xm_evtchn_bind_pirq");

#define XM_BIND_PIRQ_WILL_SHARE	1

struct xm_evtchn_bind_ipi {
	uint32_t	vcpu;
	xm_evtchn_port_t port;		/* out */
};
_Static_assert(sizeof(struct xm_evtchn_bind_ipi) == 8, "xm_evtchn_bind_ipi");

struct xm_evtchn_close {
	xm_evtchn_port_t port;
};
_Static_assert(sizeof(struct xm_evtchn_close) == 4, "xm_evtchn_close");

struct xm_evtchn_send {
	xm_evtchn_port_t port;
};
_Static_assert(sizeof(struct xm_evtchn_send) == 4, "xm_evtchn_send");

/* xm_evtchn_status.status */
#define XM_EVTCHNSTAT_CLOSED		0
#define XM_EVTCHNSTAT_UNBOUND		1
#define XM_EVTCHNSTAT_INTERDOMAIN	2
#define XM_EVTCHNSTAT_PIRQ		3
#define XM_EVTCHNSTAT_VIRQ		4
#define XM_EVTCHNSTAT_IPI		5

/* Ask about port of dom; which member of u is set depends on status. */
struct xm_evtchn_status {
	xm_domid_t	dom;
	uint16_t	pad;
	xm_evtchn_port_t port;
	uint32_t	status;		/* out: XM_EVTCHNSTAT_* */
	uint32_t	vcpu;		/* out: vCPU notified */
	union {
		struct {
			xm_domid_t	dom;
		} unbound;
		struct {
			xm_domid_t	dom;
			uint16_t	pad;
			xm_evtchn_port_t port;
		} interdomain;
		uint32_t	pirq;
		uint32_t	virq;
	} u;
};
_Static_assert(sizeof(struct xm_evtchn_status) == 24, "xm_evtchn_status");

/* Deliver port's notifications to another vCPU from now on. */
struct xm_evtchn_bind_vcpu {
	xm_evtchn_port_t port;
	uint32_t	vcpu;
};
_Static_assert(sizeof(struct xm_evtchn_bind_vcpu) == 8,
    "xm_evtchn_bind_vcpu");

/*
 * Clear the mask bit and, if the port is pending, raise the upcall the
 * guest missed while it was masked.
 */
struct xm_evtchn_unmask {
	xm_evtchn_port_t port;
};
_Static_assert(sizeof(struct xm_evtchn_unmask) == 4, "xm_evtchn_unmask");

/* Close every port of dom. */
struct xm_evtchn_reset {
	xm_domid_t	dom;
};
_Static_assert(sizeof(struct xm_evtchn_reset) == 2, "xm_evtchn_reset");

#endif /* _XM_EVENT_CHANNEL_H_ */
