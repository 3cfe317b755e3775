/*
 * The hypercalls only domain 0 makes, which guests/lib does not wrap:
 * domctl and physdev_op.  domctl_init() prepares a struct xm_domctl for
 * cmd on domain; results come back in it.
 */

#ifndef _DOM0_HC_H_
#define _DOM0_HC_H_

#include <stdint.h>

#include <klib/string.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/physdev.h>

#include <guest/hypercall.h>

static inline void
domctl_init(struct xm_domctl *d, uint32_t cmd, xm_domid_t domain)
{
	kmemset(d, 0, sizeof(*d));
	d->cmd = cmd;
	d->interface_version = XM_DOMCTL_INTERFACE_VERSION;
	d->domain = domain;
}

static inline int
HYPERVISOR_domctl(struct xm_domctl *d)
{
	return (int)_hypercall1(XM_HYPERCALL_DOMCTL, d);
}

/* A domctl that needs nothing but cmd and the domain. */
static inline int
domctl_simple(uint32_t cmd, xm_domid_t domain)
{
	struct xm_domctl d;

	domctl_init(&d, cmd, domain);
	return HYPERVISOR_domctl(&d);
}

#endif /* _DOM0_HC_H_ */
