/*
 * Suspend for a save, as a Xen PV kernel does it (Linux's
 * xen_pre_suspend/xen_post_suspend, Mini-OS's arch_pre_suspend/
 * arch_post_suspend): start_info's store and console frames turned
 * into pfns, shared_info unmapped (it is no frame of the domain, and
 * the save turns every page-table entry into a pfn), then
 * SCHEDOP_shutdown(SHUTDOWN_suspend) naming start_info's frame.
 *
 * The call comes back in one of two domains:
 *  - the same one, the suspend cancelled (1) or refused by hv (< 0):
 *    start_info as it was, shared_info mapped again; ports and timers
 *    are as they were;
 *  - a new one, restored from the save (0): shared_info, store and
 *    console on new frames with new ports (start_info says which), the
 *    p2m and page tables on new frames.  shared_info is mapped anew,
 *    the p2m published anew, every event handler forgotten, and what
 *    the runtime had bound bound again: VIRQ_TIMER, the console ring,
 *    the xenstore client.  Ports the guest bound itself are gone (bind
 *    them anew); so are its xenstore watches and any timer armed.
 *
 * Either way the interrupt flag is as before the call.  For vCPU 0,
 * with every other vCPU down or parked: their vcpu_info and timers
 * are not handled.
 */

#ifndef _GUEST_SUSPEND_H_
#define _GUEST_SUSPEND_H_

/* The suspend call's result: 0 (restored), 1 (cancelled) or -XM_E*. */
int	guest_suspend(void);

#endif /* _GUEST_SUSPEND_H_ */
