/*
 * Event channels, 2-level: a pending and a mask bit per port in
 * shared_info, found through vCPU 0's evtchn_pending_sel.  hv enters
 * the guest at the event callback with events masked; the runtime
 * calls the handler bound to each pending, unmasked port, then returns
 * with HYPERVISOR_iret, which restores the interrupted mask.
 *
 * Functions returning int give a port (>= 0) or -XM_E* from hv.
 */

#ifndef _GUEST_EVENTS_H_
#define _GUEST_EVENTS_H_

#include <stdint.h>

#include <xm/event_channel.h>
#include <xm/hypercall.h>

typedef void	evtchn_handler_t(xm_evtchn_port_t port, void *data);

/* Masks every port, registers the callbacks (guest_start does this). */
void	events_init(void);
/*
 * In a domain restored from a save (guest/suspend.h): masks every
 * port and forgets every handler, for the old ports are gone; leaves
 * the interrupt flag as it was.  Whoever bound a port binds anew.
 */
void	events_resume(void);

/* Call fn(port, data) on each event of port, and unmask it. */
int	evtchn_bind(xm_evtchn_port_t port, evtchn_handler_t *fn, void *data);
/* Mask port and forget its handler; the port stays open. */
void	evtchn_unbind(xm_evtchn_port_t port);

int	evtchn_bind_virq(uint32_t virq);
/* A port of ours for remote to bind to (XM_DOMID_SELF: a loopback). */
int	evtchn_alloc_unbound(xm_domid_t remote);
/* A port of dom's (domain 0 only, for another), for remote to bind. */
int	evtchn_alloc_unbound_in(xm_domid_t dom, xm_domid_t remote);
int	evtchn_bind_interdomain(xm_domid_t remote, xm_evtchn_port_t port);
int	evtchn_notify(xm_evtchn_port_t port);
int	evtchn_close(xm_evtchn_port_t port);

void	evtchn_mask(xm_evtchn_port_t port);
/* Unmask; an event that arrived while masked is delivered now. */
void	evtchn_unmask(xm_evtchn_port_t port);
int	evtchn_is_pending(xm_evtchn_port_t port);
int	evtchn_is_masked(xm_evtchn_port_t port);

/* Events handled so far, and those that came on a port without handler. */
extern volatile uint64_t evtchn_delivered;
extern volatile uint64_t evtchn_spurious;

/*
 * The guest's interrupt flag: vcpu_info's evtchn_upcall_mask.
 * Enabling takes any event that came in the meantime at once.
 */
void	local_irq_disable(void);
void	local_irq_enable(void);
/* Return the previous state (non-zero: was disabled). */
unsigned int local_irq_save(void);
void	local_irq_restore(unsigned int flags);
int	local_irq_disabled(void);

/*
 * SCHEDOP_block: sleep until an event is pending.  Enables events (hv
 * clears the mask before it blocks), so pending events have been
 * handled when it returns.  To wait for a condition without losing a
 * wake-up: disable, test, guest_block(), repeat.
 */
void	guest_block(void);

/* Called from trap_dispatch. */
void	evtchn_do_upcall(void);

#endif /* _GUEST_EVENTS_H_ */
