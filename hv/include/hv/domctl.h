/* domctl's parts, by file. */
#ifndef HV_DOMCTL_H
#define HV_DOMCTL_H

#include <stdbool.h>

#include <xm/arch_x86_64.h>
#include <xm/domctl.h>

struct domain;
struct vcpu;

long	domctl_vcpu_context(struct domain *, struct xm_domctl *);
long	domctl_memory(struct domain *self, struct domain *,
	    struct xm_domctl *);
void	domctl_fill_info(const struct domain *, struct xm_domctl_info *);
/* domctl_vcpu.c; also VCPUOP_initialise's.  d's lock held. */
long	vcpu_set_context(struct domain *, struct vcpu *,
	    const struct xm_vcpu_guest_context *, bool pin);

#endif
