/*
 * Xen x86-64 PV guest ABI: sched_op(cmd, arg).  Yielding, blocking,
 * polling ports and shutting a domain down.
 */

#ifndef _XM_SCHED_H_
#define _XM_SCHED_H_

#include <stdint.h>

#include "hypercall.h"

#define XM_SCHEDOP_YIELD		0
/* Sleep until an event is pending; clears the upcall mask first. */
#define XM_SCHEDOP_BLOCK		1
/*
 * For SHUTDOWN_SUSPEND the call returns, when the domain runs again:
 * 0 in a new domain after restore or migration, 1 in the same domain
 * when the suspend was cancelled or only checkpointed.
 */
#define XM_SCHEDOP_SHUTDOWN		2
#define XM_SCHEDOP_POLL			3
#define XM_SCHEDOP_REMOTE_SHUTDOWN	4
#define XM_SCHEDOP_SHUTDOWN_CODE	5
#define XM_SCHEDOP_WATCHDOG		6
#define XM_SCHEDOP_PIN_OVERRIDE		7

/* Why a domain shut down, as the toolstack will be told. */
#define XM_SHUTDOWN_POWEROFF	0
#define XM_SHUTDOWN_REBOOT	1
#define XM_SHUTDOWN_SUSPEND	2
#define XM_SHUTDOWN_CRASH	3
#define XM_SHUTDOWN_WATCHDOG	4
#define XM_SHUTDOWN_SOFT_RESET	5
#define XM_SHUTDOWN_MAX		5

/* shutdown and shutdown_code */
struct xm_sched_shutdown {
	uint32_t	reason;		/* XM_SHUTDOWN_* */
};
_Static_assert(sizeof(struct xm_sched_shutdown) == 4, "xm_sched_shutdown");

/*
 * Block until one of nr_ports ports is pending or system time reaches
 * timeout (ns, 0 for none).
 */
struct xm_sched_poll {
	xm_guest_handle_t ports;	/* array of xm_evtchn_port_t */
	uint32_t	nr_ports;
	uint32_t	pad;
	uint64_t	timeout;
};
_Static_assert(sizeof(struct xm_sched_poll) == 24, "xm_sched_poll");

struct xm_sched_remote_shutdown {
	xm_domid_t	domain_id;
	uint16_t	pad;
	uint32_t	reason;		/* XM_SHUTDOWN_* */
};
_Static_assert(sizeof(struct xm_sched_remote_shutdown) == 8,
    "xm_sched_remote_shutdown");

/*
 * Arm (id 0: a new one, whose id is returned), re-arm or with timeout 0
 * disarm a watchdog that shuts the domain down when it expires.
 */
struct xm_sched_watchdog {
	uint32_t	id;
	uint32_t	timeout;	/* seconds */
};
_Static_assert(sizeof(struct xm_sched_watchdog) == 8, "xm_sched_watchdog");

struct xm_sched_pin_override {
	int32_t		pcpu;		/* negative ends the override */
};
_Static_assert(sizeof(struct xm_sched_pin_override) == 4,
    "xm_sched_pin_override");

#endif /* _XM_SCHED_H_ */
