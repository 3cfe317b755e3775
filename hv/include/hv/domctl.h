/* domctl's parts, by file. */
#ifndef HV_DOMCTL_H
#define HV_DOMCTL_H

#include <xm/domctl.h>

struct domain;

long	domctl_vcpu_context(struct domain *, struct xm_domctl *);
long	domctl_memory(struct domain *self, struct domain *,
	    struct xm_domctl *);
void	domctl_fill_info(const struct domain *, struct xm_domctl_info *);

#endif
