/*
 * ctl-peer's model of STATS (a test double, see ctl-peer.c): figures
 * made up from what the double keeps, with hv's invariants: counters
 * grow with the domain's ticks, vCPU 0 runs one tick in each, its
 * run-state times add up to its age, the domain's CPU time is its
 * vCPUs' sum.
 */
#include <string.h>
#include <time.h>

#include <xm/ctl.h>
#include <xm/hypercall.h>
#include <xm/vcpu.h>

#include "ctl-peer-stats.h"

#define TICK_NS		UINT64_C(100000000)

uint64_t
peer_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static void
fill_vcpu(struct xm_vcpu_stats *v, unsigned int id, uint64_t created,
    uint64_t running, uint64_t now)
{
	uint64_t age = now > created ? now - created : 0;

	v->vcpu = id;
	v->flags = XM_VCPUF_ONLINE;
	v->runstate = XM_RUNSTATE_BLOCKED;
	v->created_ns = created;
	v->time[XM_RUNSTATE_RUNNING] = running < age ? running : age;
	v->time[XM_RUNSTATE_BLOCKED] = age - v->time[XM_RUNSTATE_RUNNING];
	v->cpu_time_ns = v->time[XM_RUNSTATE_RUNNING];
}

void
peer_fill_stats(const struct xm_domctl_info *in, uint64_t created,
    unsigned int ticks, uint64_t now, struct xm_dom_stats *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->domain = in->domain;
	s->flags = in->flags;
	s->nr_vcpus = in->nr_vcpus;
	s->nr_online_vcpus = in->nr_online_vcpus;
	s->tot_pages = in->tot_pages;
	s->max_pages = in->max_pages;
	s->created_ns = created;
	for (i = 0; i < in->nr_vcpus && i < XM_STATS_MAX_VCPUS; i++) {
		fill_vcpu(&s->vcpu[i], i, created, i == 0 ?
		    (uint64_t)ticks * TICK_NS : 0, now);
		s->cpu_time_ns += s->vcpu[i].cpu_time_ns;
	}
	s->hypercalls[XM_HYPERCALL_SCHED_OP] = ticks;
	s->hypercalls[XM_HYPERCALL_EVENT_CHANNEL_OP] = ticks;
	s->hypercalls_total = 2 * (uint64_t)ticks;
	s->events_sent = ticks;
	s->events_received = ticks;
}

void
peer_fill_cpus(struct xm_ctl_stats_reply *r, uint64_t now, uint64_t busy)
{
	memset(r, 0, sizeof(*r));
	r->now_ns = now;
	r->nr_cpus = 1;
	r->cpu[0].online = 1;
	r->cpu[0].busy_ns = busy < now ? busy : now;
	r->cpu[0].idle_ns = now - r->cpu[0].busy_ns;
}
