/*
 * The credit scheduler's arithmetic, apart from hv so that the unit
 * tests run it on the host (tests/unit/test_sched_credit.c): how a
 * period's CPU time is shared between domains, and what a vCPU's
 * credit makes of its priority.  Credits are nanoseconds of CPU time.
 */
#ifndef HV_SCHED_CREDIT_H
#define HV_SCHED_CREDIT_H

#include <stdbool.h>
#include <stdint.h>

/* Priorities, higher runs first; PARKED never runs. */
#define CREDIT_PRI_PARKED	(-1)	/* its domain used its cap */
#define CREDIT_PRI_OVER		0	/* used its share: runs if idle */
#define CREDIT_PRI_UNDER	1	/* has credit left */
#define CREDIT_PRI_BOOST	2	/* woke from blocking with credit */

#define CREDIT_MAX_SHARES	256	/* domains in one distribution */

/*
 * One domain in a period's sharing: in, and per_vcpu out.  demand is
 * what it could use: a period for each vCPU that never blocked, what it
 * used for each that did (credit_demand()).
 */
struct credit_share {
	uint32_t	weight;		/* 1..65535 */
	uint32_t	cap;		/* percent of one CPU, 0 = none */
	uint32_t	nr_active;	/* its vCPUs that ran or want to */
	uint32_t	pad;
	uint64_t	demand;		/* ns */
	int64_t		per_vcpu;	/* out: credit for each of them */
};

void	credit_distribute(struct credit_share *, unsigned int n,
	    uint64_t period_ns, unsigned int nr_cpus);
uint64_t	credit_demand(uint64_t used_ns, bool blocked, int64_t credit,
	    uint64_t period_ns);
int64_t	credit_clip(int64_t credit, uint64_t period_ns);
int64_t	credit_refill(int64_t budget, uint32_t cap, uint64_t period_ns);
int	credit_prio(int64_t credit, bool boost, bool parked);
bool	credit_parked(uint32_t cap, int64_t budget);

#endif
