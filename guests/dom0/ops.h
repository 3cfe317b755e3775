/*
 * What the request handlers share: domctl calls other parts of
 * domain 0 also make.
 */

#ifndef _DOM0_OPS_H_
#define _DOM0_OPS_H_

#include <stdint.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>

/*
 * Whether a request may name domain id: any domain for a query, one
 * other than domain 0 for a change (0, else -XM_EINVAL for a reserved
 * id, -XM_EPERM for domain 0 itself: xmd must not pull the ground from
 * under the channel it talks through).
 */
int	ops_domid_query(xm_domid_t id);
int	ops_domid_change(xm_domid_t id);
int	ops_physinfo(struct xm_domctl_physinfo *p);
/* One batch of FOREIGN_COPY segments (at most XM_COPY_MAX_OPS). */
int	ops_foreign_copy(xm_domid_t domid, struct xm_domctl_copy_op *ops,
	    unsigned int n);

#endif /* _DOM0_OPS_H_ */
