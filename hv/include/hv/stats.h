/*
 * Statistics (hv/stats.c): counters bumped where things happen, read in
 * one batch by XM_DOMCTL_STATS. A vCPU's counters are written only by
 * the CPU running it, so they need neither lock nor atomic; what other
 * CPUs count for a domain (events it receives) is added atomically.
 */
#ifndef HV_STATS_H
#define HV_STATS_H

#include <stdint.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>

_Static_assert(XM_STATS_HYPERCALLS == XM_HYPERCALL_COUNT,
    "one hypercall counter per number");

struct vcpu_stats {
	uint64_t	hypercalls[XM_STATS_HYPERCALLS];
	uint64_t	hypercalls_other;	/* numbers out of range */
	uint64_t	events_sent;
	uint64_t	mmu_updates;
	uint64_t	va_updates;
	uint64_t	mmuext_ops;
	uint64_t	traps_bounced;
};

struct domain;
struct vcpu;
struct domctl_call;

static inline void
stats_hypercall(struct vcpu_stats *s, uint64_t nr)
{
	if (nr < XM_STATS_HYPERCALLS)
		s->hypercalls[nr]++;
	else
		s->hypercalls_other++;
}

/* The current vCPU's counters (NULL in the idle loop). */
struct vcpu_stats	*stats_current(void);
/* An event set pending in d, from any CPU. */
void	stats_event_received(struct domain *);

/* The idle loop: around its halt. */
void	stats_idle_begin(void);
void	stats_idle_end(void);

void	stats_fill_domain(const struct domain *, uint64_t now,
	    struct xm_dom_stats *);
void	stats_fill_cpu(unsigned int cpu, uint64_t now, struct xm_cpu_stats *);

#endif
