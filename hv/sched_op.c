/*
 * sched_op: what a vCPU asks of the scheduler (yield, block, poll) and
 * how a domain shuts down, itself or, for domain 0, another one.
 */
#include <stdbool.h>
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>

#define POLL_MAX_PORTS	128		/* Xen's limit */

static bool
no_upcall_pending(struct vcpu *v)
{
	return !__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
	    __ATOMIC_SEQ_CST);
}

/* A poll that ended otherwise (an upcall, a pause) must not wake v later. */
static void
poll_forget(struct vcpu *v)
{
	__atomic_store_n(&v->poll_mask_port, 0, __ATOMIC_SEQ_CST);
	v->poll_deadline = 0;
}

static long
sched_block(struct vcpu *v)
{
	poll_forget(v);
	/* Blocking enables events; one already pending ends it at once. */
	v->vcpu_info->evtchn_upcall_mask = 0;
	vcpu_block(v, no_upcall_pending);
	return 0;
}

static bool
any_port_pending(struct domain *d, const uint32_t *ports, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (d->shared_info->evtchn_pending[ports[i] / 64] &
		    (1ULL << (ports[i] % 64)))
			return true;
	return false;
}

/* An upcall the vCPU would take now (Xen's local_events_need_delivery). */
static bool
upcall_deliverable(struct vcpu *v)
{
	return !no_upcall_pending(v) &&
	    !__atomic_load_n(&v->vcpu_info->evtchn_upcall_mask,
	    __ATOMIC_SEQ_CST);
}

/* Still nothing for a poller: no port of its set, no upcall to take. */
static bool
poll_still_idle(struct vcpu *v)
{
	return __atomic_load_n(&v->poll_mask_port, __ATOMIC_SEQ_CST) != 0 &&
	    !upcall_deliverable(v);
}

static long
sched_poll(struct vcpu *v, uint64_t arg)
{
	struct xm_sched_poll p;
	uint32_t ports[POLL_MAX_PORTS];
	unsigned int i;

	poll_forget(v);
	if (copy_from_guest(&p, arg, sizeof(p)) != 0)
		return -XM_EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -XM_EINVAL;
	if (p.nr_ports > 0 && copy_from_guest(ports, p.ports,
	    p.nr_ports * sizeof(ports[0])))
		return -XM_EFAULT;
	for (i = 0; i < p.nr_ports; i++)
		if (ports[i] >= EVTCHN_MAX_PORTS)
			return -XM_EINVAL;
	if (upcall_deliverable(v) ||
	    (p.timeout != 0 && p.timeout <= time_now()))
		return 0;
	/*
	 * As Xen: one port is waited for alone, several (or none) as "any
	 * event of the domain"; a new upcall or the timeout ends it too.
	 * Armed before the ports are checked, so that no event is missed.
	 */
	v->poll_deadline = p.timeout;
	__atomic_store_n(&v->poll_mask_port, p.nr_ports == 1 ?
	    (uint64_t)ports[0] + 1 : VCPU_POLL_ANY, __ATOMIC_SEQ_CST);
	if (any_port_pending(v->domain, ports, p.nr_ports)) {
		poll_forget(v);
		return 0;
	}
	vcpu_block(v, poll_still_idle);
	return 0;
}

/* The reason a shutdown or shutdown_code names, checked. */
static long
shutdown_reason(uint64_t arg, uint32_t *reason)
{
	struct xm_sched_shutdown sd;

	if (copy_from_guest(&sd, arg, sizeof(sd)) != 0)
		return -XM_EFAULT;
	if (sd.reason > XM_SHUTDOWN_MAX)
		return -XM_EINVAL;
	*reason = sd.reason;
	return 0;
}

static long
sched_shutdown(struct domain *d, uint64_t arg, bool code_only)
{
	uint32_t reason;
	long rc;

	if ((rc = shutdown_reason(arg, &reason)) != 0)
		return rc;
	if (code_only)
		d->shutdown_code_next = reason;
	else
		domain_shutdown(d, reason);
	return 0;
}

static long
sched_remote_shutdown(struct domain *self, uint64_t arg)
{
	struct xm_sched_remote_shutdown rs;
	struct domain *d;

	if (!self->privileged)
		return -XM_EPERM;
	if (copy_from_guest(&rs, arg, sizeof(rs)) != 0)
		return -XM_EFAULT;
	if (rs.reason > XM_SHUTDOWN_MAX)
		return -XM_EINVAL;
	d = domain_get(rs.domain_id);
	if (d == NULL)
		return -XM_ESRCH;
	domain_shutdown(d, rs.reason);
	return 0;
}

long
do_sched_op(uint64_t cmd, uint64_t arg)
{
	struct vcpu *v = current_vcpu();

	switch (cmd) {
	case XM_SCHEDOP_YIELD:
		vcpu_yield(v);
		return 0;
	case XM_SCHEDOP_BLOCK:
		return sched_block(v);
	case XM_SCHEDOP_SHUTDOWN:
		return sched_shutdown(v->domain, arg, false);
	case XM_SCHEDOP_POLL:
		return sched_poll(v, arg);
	case XM_SCHEDOP_REMOTE_SHUTDOWN:
		return sched_remote_shutdown(v->domain, arg);
	case XM_SCHEDOP_SHUTDOWN_CODE:
		return sched_shutdown(v->domain, arg, true);
	}
	return -XM_ENOSYS;
}
