/*
 * The rings of samples and the rates made from them (stats_ring.h).
 */
#include <stdlib.h>
#include <string.h>

#include <xm/domctl.h>
#include <xm/vcpu.h>

#include "stats_ring.h"

struct stats_ring *
stats_ring_new(unsigned int size)
{
	struct stats_ring *r;

	if (size == 0 || size > STATS_RING_MAX)
		return NULL;
	r = calloc(1, sizeof(*r) + (size_t)size * sizeof(r->sr_s[0]));
	if (r != NULL)
		r->sr_size = size;
	return r;
}

const struct stats_sample *
stats_ring_at(const struct stats_ring *r, unsigned int back)
{
	if (back >= r->sr_count)
		return NULL;
	return &r->sr_s[(r->sr_head + r->sr_size - 1 - back) % r->sr_size];
}

void
stats_ring_push(struct stats_ring *r, uint64_t now,
    const struct xm_dom_stats *s)
{
	const struct stats_sample *last = stats_ring_at(r, 0);

	if (last != NULL && (last->ss_dom.created_ns != s->created_ns ||
	    last->ss_dom.domain != s->domain || last->ss_now >= now))
		r->sr_count = r->sr_head = 0;
	r->sr_s[r->sr_head].ss_now = now;
	r->sr_s[r->sr_head].ss_dom = *s;
	r->sr_head = (r->sr_head + 1) % r->sr_size;
	if (r->sr_count < r->sr_size)
		r->sr_count++;
}

double
stats_rate(uint64_t a, uint64_t b, uint64_t dt)
{
	if (dt == 0 || b < a)
		return 0;
	return (double)(b - a) * 1e9 / (double)dt;
}

double
stats_percent(uint64_t a, uint64_t b, uint64_t dt)
{
	return stats_rate(a, b, dt) / 1e7;	/* ns per s, as percent */
}

/* libvirt's virVcpuState: 0 offline, 1 running, 2 blocked. */
static unsigned int
vcpu_state(const struct xm_vcpu_stats *v)
{
	if (!(v->flags & XM_VCPUF_ONLINE))
		return 0;
	return v->flags & XM_VCPUF_BLOCKED ? 2 : 1;
}

static void
vcpu_record(const struct xm_vcpu_stats *v, const struct xm_vcpu_stats *b,
    uint64_t dt, struct xmctl_vcpu_stats *out)
{
	out->state = vcpu_state(v);
	out->time_ns = v->time[XM_RUNSTATE_RUNNING];
	out->wait_ns = v->time[XM_RUNSTATE_RUNNABLE];
	out->blocked_ns = v->time[XM_RUNSTATE_BLOCKED];
	out->offline_ns = v->time[XM_RUNSTATE_OFFLINE];
	out->cpu_percent = b == NULL ? 0 :
	    stats_percent(b->time[XM_RUNSTATE_RUNNING], out->time_ns, dt);
}

static void
counters_record(const struct xm_dom_stats *s, struct xmctl_domain_stats *o)
{
	o->cpu_time_ns = s->cpu_time_ns;
	o->vcpu_current = s->nr_online_vcpus;
	o->vcpu_maximum = s->nr_vcpus;
	o->hypercalls = s->hypercalls_total;
	o->events_sent = s->events_sent;
	o->events_received = s->events_received;
	o->mmu_updates = s->mmu_updates;
	o->va_updates = s->va_updates;
	o->mmuext_ops = s->mmuext_ops;
	o->traps_bounced = s->traps_bounced;
	memcpy(o->hypercall_ops, s->hypercalls, sizeof(o->hypercall_ops));
}

void
stats_ring_record(const struct stats_ring *r, struct xmctl_domain_stats *o)
{
	const struct stats_sample *l = stats_ring_at(r, 0);
	const struct stats_sample *b = stats_ring_at(r, 1);
	const struct xm_dom_stats *s, *p;
	uint64_t dt;
	unsigned int i;

	if (l == NULL)
		return;
	s = &l->ss_dom;
	p = b != NULL ? &b->ss_dom : NULL;
	dt = b != NULL ? l->ss_now - b->ss_now : 0;
	counters_record(s, o);
	o->sample_ns = l->ss_now;
	for (i = 0; i < s->nr_vcpus && i < XMCTL_STATS_MAX_VCPUS; i++)
		vcpu_record(&s->vcpu[i], p != NULL ? &p->vcpu[i] : NULL, dt,
		    &o->vcpu[i]);
	if (p == NULL)
		return;
	o->cpu_percent = stats_percent(p->cpu_time_ns, s->cpu_time_ns, dt);
	o->hypercall_rate = stats_rate(p->hypercalls_total,
	    s->hypercalls_total, dt);
	o->event_rate = stats_rate(p->events_received, s->events_received,
	    dt);
}

void
stats_node_record(const struct xm_ctl_stats_reply *l,
    const struct xm_ctl_stats_reply *b, struct xmctl_node_stats *o)
{
	uint64_t dt = b != NULL && l->now_ns > b->now_ns ?
	    l->now_ns - b->now_ns : 0, busy = 0, busy0 = 0;
	unsigned int i, n;

	o->nr_cpus = l->nr_cpus;
	o->uptime_ns = l->now_ns;
	n = l->nr_cpus < XMCTL_STATS_MAX_CPUS ? l->nr_cpus :
	    XMCTL_STATS_MAX_CPUS;
	for (i = 0; i < n; i++) {
		o->cpu[i].busy_ns = l->cpu[i].busy_ns;
		o->cpu[i].idle_ns = l->cpu[i].idle_ns;
		busy += l->cpu[i].busy_ns;
		if (b == NULL)
			continue;
		busy0 += b->cpu[i].busy_ns;
		o->cpu[i].busy_percent = stats_percent(b->cpu[i].busy_ns,
		    l->cpu[i].busy_ns, dt);
	}
	if (b != NULL && n > 0)
		o->busy_percent = stats_percent(busy0, busy, dt) / n;
}
