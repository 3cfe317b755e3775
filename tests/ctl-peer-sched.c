/* ctl-peer's scheduler model (ctl-peer-sched.h). */
#include <string.h>

#include <xm/ctl.h>
#include <xm/vcpu.h>

#include "ctl-peer-sched.h"

static uint64_t
all_cpus(unsigned int nr_cpus)
{
	return nr_cpus >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << nr_cpus) - 1;
}

void
peer_sched_init(struct peer_sched *s, unsigned int nr_cpus)
{
	unsigned int i;

	s->ps_weight = XM_SCHED_WEIGHT_DEFAULT;
	s->ps_cap = 0;
	for (i = 0; i < PEER_MAX_VCPUS; i++)
		s->ps_cpumap[i] = all_cpus(nr_cpus);
}

static int
sched_set(struct peer_sched *s, unsigned int vcpus,
    const struct xm_domctl_sched *p)
{
	if (p->weight < XM_SCHED_WEIGHT_MIN ||
	    p->weight > XM_SCHED_WEIGHT_MAX || p->cap > 100 * vcpus)
		return -XM_EINVAL;
	s->ps_weight = p->weight;
	s->ps_cap = p->cap;
	return 0;
}

static int
sched_pin(struct peer_sched *s, unsigned int vcpus,
    unsigned int nr_cpus, const struct xm_domctl_vcpu_affinity *a)
{
	if (a->vcpu >= vcpus || a->vcpu >= PEER_MAX_VCPUS ||
	    (a->cpumap & all_cpus(nr_cpus)) == 0)
		return -XM_EINVAL;
	s->ps_cpumap[a->vcpu] = a->cpumap & all_cpus(nr_cpus);
	return 0;
}

/* The lowest CPU of a map that is not empty. */
static uint32_t
first_cpu(uint64_t map)
{
	uint32_t cpu = 0;

	while (cpu < 63 && !(map & (UINT64_C(1) << cpu)))
		cpu++;
	return cpu;
}

static void
vcpu_state(const struct peer_sched *s, unsigned int i, int running,
    uint64_t run_ns, struct xm_vcpu_state *v)
{
	memset(v, 0, sizeof(*v));
	v->vcpu = i;
	v->cpu = first_cpu(s->ps_cpumap[i]);
	v->cpumap = s->ps_cpumap[i];
	if (i != 0) {
		v->runstate = XM_RUNSTATE_OFFLINE;
		return;
	}
	v->flags = XM_VCPUF_ONLINE | (running ? XM_VCPUF_RUNNING : 0);
	v->runstate = running ? XM_RUNSTATE_RUNNING : XM_RUNSTATE_OFFLINE;
	v->cpu_time_ns = run_ns;
	v->time[XM_RUNSTATE_RUNNING] = run_ns;
}

int
peer_sched_request(struct peer_sched *s, const struct peer_dom_view *d,
    uint16_t op, const uint8_t *p, void *out, size_t *len)
{
	struct xm_ctl_vcpu_affinity a;
	struct xm_domctl_sched r;
	struct xm_ctl_sched set;
	unsigned int i;

	*len = 0;
	switch (op) {
	case XM_CTL_OP_SCHED_GET:
		memset(&r, 0, sizeof(r));
		r.sched_id = XM_SCHED_CREDIT;
		r.weight = s->ps_weight;
		r.cap = s->ps_cap;
		memcpy(out, &r, sizeof(r));
		*len = sizeof(r);
		return 0;
	case XM_CTL_OP_SCHED_SET:
		memcpy(&set, p, sizeof(set));
		return sched_set(s, d->vcpus, &set.sched);
	case XM_CTL_OP_VCPU_AFFINITY:
		memcpy(&a, p, sizeof(a));
		return sched_pin(s, d->vcpus, d->nr_cpus, &a.affinity);
	case XM_CTL_OP_VCPU_LIST:
		for (i = 0; i < d->vcpus && i < PEER_MAX_VCPUS; i++)
			vcpu_state(s, i, d->running, d->run_ns,
			    (struct xm_vcpu_state *)out + i);
		*len = i * sizeof(struct xm_vcpu_state);
		return 0;
	}
	return -XM_ENOSYS;
}
