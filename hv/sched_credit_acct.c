/*
 * The credit scheduler's arithmetic (hv/include/hv/sched_credit.h): no
 * locks and no hv state, so that tests/unit/test_sched_credit.c runs it
 * as it is.
 *
 * Each accounting period, the CPU time of the period (its length times
 * the CPUs) is shared between the domains that want the CPU, in
 * proportion to weight times active vCPUs, as Xen's credit scheduler
 * does; no domain gets more than its active vCPUs can use (one CPU
 * each), than its cap, or than it asked for (a domain that blocks gets
 * back what it used), and what those cannot use goes to the others
 * (max-min fair: filled up round after round until nothing is left).
 * Credit handed out is then what the CPUs did run, so CPU-bound domains
 * neither drift into debt together nor hoard credit others could use.
 */
#include <stdbool.h>
#include <stdint.h>

#include <hv/sched_credit.h>

/* The most a domain can use in a period: its vCPUs, or its cap. */
static uint64_t
share_limit(const struct credit_share *s, uint64_t period)
{
	uint64_t limit = (uint64_t)s->nr_active * period;
	uint64_t cap = (uint64_t)s->cap * period / 100;

	if (s->demand < limit)
		limit = s->demand;
	return s->cap != 0 && cap < limit ? cap : limit;
}

/* Weight of the domains not yet given their share. */
static uint64_t
open_weight(const struct credit_share *s, const bool *full, unsigned int n)
{
	uint64_t w = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!full[i])
			w += (uint64_t)s[i].weight * s[i].nr_active;
	return w;
}

/*
 * One round: the domains whose fair part of what is left reaches their
 * limit get their limit. False when none did: the rest get their part.
 */
static bool
fill_round(struct credit_share *s, bool *full, unsigned int n,
    uint64_t *left, uint64_t period)
{
	uint64_t w = open_weight(s, full, n), fair, limit, taken = 0;
	unsigned int i;
	bool any = false;

	if (w == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (full[i])
			continue;
		fair = *left * s[i].weight * s[i].nr_active / w;
		limit = share_limit(&s[i], period);
		if (fair >= limit) {
			s[i].per_vcpu = (int64_t)((limit + s[i].nr_active - 1) /
			    s[i].nr_active);
			full[i] = any = true;
			taken += limit;
		}
	}
	if (!any)
		for (i = 0; i < n; i++)
			if (!full[i])
				s[i].per_vcpu = (int64_t)(*left * s[i].weight /
				    w);
	*left -= taken;
	return any;
}

void
credit_distribute(struct credit_share *s, unsigned int n, uint64_t period,
    unsigned int nr_cpus)
{
	bool full[CREDIT_MAX_SHARES];
	uint64_t left = (uint64_t)nr_cpus * period;
	unsigned int i;

	if (n > CREDIT_MAX_SHARES)
		n = CREDIT_MAX_SHARES;
	for (i = 0; i < n; i++) {
		s[i].per_vcpu = 0;
		full[i] = s[i].nr_active == 0 || s[i].weight == 0;
	}
	for (i = 0; i <= n && fill_round(s, full, n, &left, period); i++)
		continue;
}

/*
 * What one vCPU could use of the next period: all of it if it never
 * blocked in this one (it is CPU-bound, as far as anyone can tell) or
 * if it is in debt (it may have waited behind others: it earns its
 * share until it is not); else what it used, which its credit covered.
 */
uint64_t
credit_demand(uint64_t used, bool blocked, int64_t credit, uint64_t period)
{
	return !blocked || credit <= 0 || used > period ? period : used;
}

/* A vCPU holds at most one period's credit and owes at most one. */
int64_t
credit_clip(int64_t credit, uint64_t period)
{
	if (credit > (int64_t)period)
		return (int64_t)period;
	if (credit < -(int64_t)period)
		return -(int64_t)period;
	return credit;
}

/*
 * A capped domain's budget for the next period: its cap's worth, less
 * what it overran in this one (so that it holds over time), never more.
 */
int64_t
credit_refill(int64_t budget, uint32_t cap, uint64_t period)
{
	int64_t quota = (int64_t)((uint64_t)cap * period / 100);

	if (cap == 0)
		return 0;
	if (budget > 0)
		budget = 0;		/* unused cap is not saved up */
	if (budget < -quota)
		budget = -quota;	/* nor is a debt kept past a period */
	return budget + quota;
}

bool
credit_parked(uint32_t cap, int64_t budget)
{
	return cap != 0 && budget <= 0;
}

int
credit_prio(int64_t credit, bool boost, bool parked)
{
	if (parked)
		return CREDIT_PRI_PARKED;
	if (credit > 0)
		return boost ? CREDIT_PRI_BOOST : CREDIT_PRI_UNDER;
	return CREDIT_PRI_OVER;
}
