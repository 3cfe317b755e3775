/*
 * Requests about the scheduler, each one domctl: a domain's credit
 * parameters (sched_get, sched_set), a vCPU's hard affinity
 * (vcpu_affinity) and the state of every vCPU (vcpu_list).  hv checks
 * the values (include/xm/domctl.h says how); the op table has checked
 * each payload's size.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include "ctl_ops.h"
#include "hc.h"
#include "ops.h"

#define VCPU_LIST_MAX	(XM_CTL_MAX_PAYLOAD / sizeof(struct xm_vcpu_state))

int
ctl_op_sched_get(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_domid id;
	struct xm_domctl d;
	int rc;

	(void)len;
	kmemcpy(&id, p, sizeof(id));
	if ((rc = ops_domid_query(id.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_SCHED_GET, id.domid);
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	kmemcpy(r->buf, &d.u.sched, sizeof(d.u.sched));
	r->len = sizeof(d.u.sched);
	return 0;
}

/* Domain 0's own share may be set too: it pulls nothing from under xmd. */
int
ctl_op_sched_set(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_sched s;
	struct xm_domctl d;
	int rc;

	(void)len;
	(void)r;
	kmemcpy(&s, p, sizeof(s));
	if ((rc = ops_domid_query(s.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_SCHED_SET, s.domid);
	d.u.sched.weight = s.sched.weight;
	d.u.sched.cap = s.sched.cap;
	return HYPERVISOR_domctl(&d);
}

int
ctl_op_vcpu_affinity(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_vcpu_affinity a;
	struct xm_domctl d;
	int rc;

	(void)len;
	(void)r;
	kmemcpy(&a, p, sizeof(a));
	if ((rc = ops_domid_query(a.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_VCPU_AFFINITY, a.domid);
	d.u.vcpu_affinity.vcpu = a.affinity.vcpu;
	d.u.vcpu_affinity.cpumap = a.affinity.cpumap;
	return HYPERVISOR_domctl(&d);
}

/* Every vCPU from 0, as many as fit in a reply (1024). */
int
ctl_op_vcpu_list(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_domid id;
	struct xm_domctl d;
	int rc;

	(void)len;
	kmemcpy(&id, p, sizeof(id));
	if ((rc = ops_domid_query(id.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_VCPU_LIST, id.domid);
	d.u.vcpu_list.max = VCPU_LIST_MAX;
	d.u.vcpu_list.buffer = (xm_guest_handle_t)r->buf;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	if (d.u.vcpu_list.count > d.u.vcpu_list.max)
		return -XM_EIO;
	r->len = d.u.vcpu_list.count * sizeof(struct xm_vcpu_state);
	return 0;
}
