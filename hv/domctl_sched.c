/*
 * domctl: the scheduler's parameters (a domain's weight and cap), a
 * vCPU's hard affinity, and the state of every vCPU of a domain.  Bad
 * parameters are -EINVAL with a line naming the domain, and change
 * nothing.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/vcpu.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/guest_access.h>
#include <hv/sched.h>
#include <hv/time.h>

long
domctl_sched_get(struct domctl_call *c)
{
	struct xm_domctl_sched *s = &c->op->u.sched;

	s->sched_id = sched_id();
	s->weight = c->target->sched.weight;
	s->cap = c->target->sched.cap;
	s->pad = 0;
	return 0;
}

long
domctl_sched_set(struct domctl_call *c)
{
	struct xm_domctl_sched *s = &c->op->u.sched;
	struct domain *d = c->target;

	if (s->weight < XM_SCHED_WEIGHT_MIN ||
	    s->weight > XM_SCHED_WEIGHT_MAX) {
		domain_log_refusal(d, "scheduler weight %u refused: not %u..%u",
		    s->weight, XM_SCHED_WEIGHT_MIN, XM_SCHED_WEIGHT_MAX);
		return -XM_EINVAL;
	}
	if (s->cap > 100 * d->max_vcpus) {
		domain_log_refusal(d, "scheduler cap %u%% refused: above %u%% "
		    "for %u vCPUs", s->cap, 100 * d->max_vcpus, d->max_vcpus);
		return -XM_EINVAL;
	}
	sched_set_params(d, s->weight, s->cap);
	s->sched_id = sched_id();
	return 0;
}

/* The vCPU a call names, or NULL with a line saying so. */
static struct vcpu *
named_vcpu(struct domain *d, uint32_t id, const char *op)
{
	if (id < d->max_vcpus && d->vcpus[id] != NULL)
		return d->vcpus[id];
	domain_log_refusal(d, "%s refused: no vCPU %u", op, id);
	return NULL;
}

long
domctl_vcpu_affinity(struct domctl_call *c)
{
	const struct xm_domctl_vcpu_affinity *a = &c->op->u.vcpu_affinity;
	struct domain *d = c->target;
	struct vcpu *v;

	if ((v = named_vcpu(d, a->vcpu, "vCPU affinity")) == NULL)
		return -XM_EINVAL;
	if (sched_set_affinity(v, a->cpumap) != 0) {
		domain_log_refusal(d, "vCPU %u affinity %#lx refused: no CPU "
		    "of it exists", a->vcpu, a->cpumap);
		return -XM_EINVAL;
	}
	log_info("d%u: vCPU %u affinity %#lx", d->id, a->vcpu, a->cpumap);
	return 0;
}

/* v as VCPU_LIST reports it, its times up to now. */
static void
vcpu_state(struct vcpu *v, struct xm_vcpu_state *st)
{
	unsigned int cpu = vcpu_sched_lock(v);
	uint64_t now = time_now();
	int i;

	kmemset(st, 0, sizeof(*st));
	st->vcpu = v->id;
	st->cpu = v->processor;
	st->runstate = v->runstate;
	st->cpumap = v->sched.cpumap;
	for (i = 0; i < 4; i++)
		st->time[i] = v->runstate_time[i];
	if (v->runstate >= 0 && v->runstate < 4 && now > v->runstate_since)
		st->time[v->runstate] += now - v->runstate_since;
	st->flags = (v->state != VCPU_OFFLINE ? XM_VCPUF_ONLINE : 0) |
	    (v->state == VCPU_RUNNING ? XM_VCPUF_RUNNING : 0) |
	    (v->state == VCPU_BLOCKED ? XM_VCPUF_BLOCKED : 0);
	vcpu_sched_unlock(v, cpu);
	st->cpu_time_ns = st->time[XM_RUNSTATE_RUNNING];
}

long
domctl_vcpu_list(struct domctl_call *c)
{
	struct xm_domctl_vcpu_list *l = &c->op->u.vcpu_list;
	struct domain *d = c->target;
	struct xm_vcpu_state st;
	unsigned int i, n = 0;

	for (i = 0; i < d->max_vcpus && n < l->max; i++) {
		if (d->vcpus[i] == NULL)
			continue;
		vcpu_state(d->vcpus[i], &st);
		if (copy_to_guest(l->buffer + n * sizeof(st), &st,
		    sizeof(st)) != 0)
			return -XM_EFAULT;
		n++;
	}
	l->count = n;
	return 0;
}
