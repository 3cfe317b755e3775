/*
 * Statistics: what each domain, vCPU and physical CPU has done, for
 * XM_DOMCTL_STATS. Counting is a plain increment of the running vCPU's
 * own counters (only its CPU writes them) or an atomic add for what
 * other CPUs count; reading sums them up without stopping anyone, so a
 * figure may be a few increments behind, never ahead, and never goes
 * back while its domain lives.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/vcpu.h>

#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/guest_access.h>
#include <hv/heap.h>
#include <hv/percpu.h>
#include <hv/stats.h>
#include <hv/time.h>

/* Per physical CPU; written by that CPU only. */
static struct {
	uint64_t	idle_ns;	/* halts that ended */
	uint64_t	idle_since;	/* halted since, 0: not halted */
} cpu_idle[HV_MAX_CPUS];

struct vcpu_stats *
stats_current(void)
{
	struct vcpu *v = current_vcpu();

	return v != NULL ? &v->stats : NULL;
}

void
stats_event_received(struct domain *d)
{
	__atomic_add_fetch(&d->events_received, 1, __ATOMIC_RELAXED);
}

void
stats_idle_begin(void)
{
	unsigned int cpu = this_cpu()->cpu;

	if (cpu < HV_MAX_CPUS)
		__atomic_store_n(&cpu_idle[cpu].idle_since, time_now() | 1,
		    __ATOMIC_RELAXED);
}

void
stats_idle_end(void)
{
	unsigned int cpu = this_cpu()->cpu;
	uint64_t since, now = time_now();

	if (cpu >= HV_MAX_CPUS)
		return;
	since = cpu_idle[cpu].idle_since;
	__atomic_store_n(&cpu_idle[cpu].idle_since, 0, __ATOMIC_RELAXED);
	if (since != 0 && now > since)
		__atomic_add_fetch(&cpu_idle[cpu].idle_ns, now - since,
		    __ATOMIC_RELAXED);
}

void
stats_fill_cpu(unsigned int cpu, uint64_t now, struct xm_cpu_stats *s)
{
	uint64_t idle, since;

	kmemset(s, 0, sizeof(*s));
	s->cpu = cpu;
	if (cpu >= HV_MAX_CPUS || cpu >= nr_cpus_online)
		return;
	s->online = 1;
	idle = __atomic_load_n(&cpu_idle[cpu].idle_ns, __ATOMIC_RELAXED);
	since = __atomic_load_n(&cpu_idle[cpu].idle_since, __ATOMIC_RELAXED);
	if (since != 0 && now > since)
		idle += now - since;
	s->idle_ns = idle < now ? idle : now;
	s->busy_ns = now - s->idle_ns;
}

/* v's run-state times up to now, the current state's included. */
static void
fill_vcpu(const struct vcpu *v, uint64_t now, struct xm_vcpu_stats *s)
{
	unsigned int i;

	s->vcpu = v->id;
	s->flags = v->state != VCPU_OFFLINE ? XM_VCPUF_ONLINE : 0;
	if (v->state == VCPU_RUNNING)
		s->flags |= XM_VCPUF_RUNNING;
	if (v->state == VCPU_BLOCKED)
		s->flags |= XM_VCPUF_BLOCKED;
	s->runstate = v->runstate;
	s->created_ns = v->created_ns;
	for (i = 0; i < 4; i++)
		s->time[i] = v->runstate_time[i];
	if ((unsigned int)v->runstate < 4 && now > v->runstate_since)
		s->time[v->runstate] += now - v->runstate_since;
	s->cpu_time_ns = s->time[XM_RUNSTATE_RUNNING];
}

static void
add_counters(struct xm_dom_stats *s, const struct vcpu_stats *c)
{
	unsigned int i;

	for (i = 0; i < XM_STATS_HYPERCALLS; i++) {
		s->hypercalls[i] += c->hypercalls[i];
		s->hypercalls_total += c->hypercalls[i];
	}
	s->hypercalls_total += c->hypercalls_other;
	s->events_sent += c->events_sent;
	s->mmu_updates += c->mmu_updates;
	s->va_updates += c->va_updates;
	s->mmuext_ops += c->mmuext_ops;
	s->traps_bounced += c->traps_bounced;
}

void
stats_fill_domain(const struct domain *d, uint64_t now,
    struct xm_dom_stats *s)
{
	struct xm_domctl_info info;
	unsigned int i;

	kmemset(s, 0, sizeof(*s));
	domctl_fill_info(d, &info);
	s->domain = d->id;
	s->flags = info.flags;
	s->nr_vcpus = info.nr_vcpus;
	s->nr_online_vcpus = info.nr_online_vcpus;
	s->tot_pages = info.tot_pages;
	s->max_pages = info.max_pages;
	s->created_ns = d->created_ns;
	s->events_received = __atomic_load_n(&d->events_received,
	    __ATOMIC_RELAXED);
	for (i = 0; i < d->max_vcpus && i < XM_STATS_MAX_VCPUS; i++) {
		const struct vcpu *v = d->vcpus[i];

		if (v == NULL)
			continue;
		fill_vcpu(v, now, &s->vcpu[i]);
		s->cpu_time_ns += s->vcpu[i].cpu_time_ns;
		add_counters(s, &v->stats);
	}
}

static long
copy_cpus(struct xm_domctl_stats *st, uint64_t now)
{
	struct xm_cpu_stats cs;
	unsigned int cpu, room = st->nr_cpus;

	st->nr_cpus = nr_cpus_online;
	for (cpu = 0; cpu < nr_cpus_online && cpu < room; cpu++) {
		stats_fill_cpu(cpu, now, &cs);
		if (copy_to_guest(st->cpus + cpu * sizeof(cs), &cs,
		    sizeof(cs)) != 0)
			return -XM_EFAULT;
	}
	return 0;
}

/*
 * The walk holds the domain list's lock, so that no domain is freed
 * under it; a domain is copied out after the lock is dropped.
 */
long
domctl_stats(struct domctl_call *c)
{
	struct xm_domctl_stats *st = &c->op->u.stats;
	struct xm_dom_stats *s;
	unsigned int id;
	uint64_t now = time_now();
	bool found;
	long rc;

	st->now_ns = now;
	st->count = 0;
	if ((rc = copy_cpus(st, now)) != 0)
		return rc;
	s = hv_alloc(sizeof(*s));
	if (s == NULL)
		return -XM_ENOMEM;
	for (id = st->first; id < HV_MAX_DOMAINS && st->count < st->max;
	    id++) {
		domain_list_lock();
		if ((found = domain_table[id] != NULL))
			stats_fill_domain(domain_table[id], now, s);
		domain_list_unlock();
		if (!found)
			continue;
		if (copy_to_guest(st->buffer + st->count * sizeof(*s), s,
		    sizeof(*s)) != 0) {
			rc = -XM_EFAULT;
			break;
		}
		st->count++;
	}
	hv_free(s);
	return rc;
}
