/*
 * The credit scheduler's arithmetic (hv/sched_credit_acct.c) as host
 * code, and a simulation of one CPU that schedules with it as
 * hv/sched_credit.c does (per-tick charging, accounting every period,
 * UNDER before OVER, FIFO within a priority).  The promises under test:
 * a period is shared in proportion to weight, never beyond what a
 * domain's vCPUs or its cap can use, with the rest going to the others;
 * credit and budgets are bounded; and over time CPU-bound domains get
 * their weighted share and a capped one no more than its cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <hv/sched_credit.h>

#define MS		UINT64_C(1000000)
#define PERIOD		(30 * MS)

static void
share(struct credit_share *s, uint32_t weight, uint32_t cap,
    uint32_t nr_active)
{
	memset(s, 0, sizeof(*s));
	s->weight = weight;
	s->cap = cap;
	s->nr_active = nr_active;
	s->demand = nr_active * PERIOD;		/* CPU-bound */
}

/* Within one ns per vCPU of rounding. */
static void
assert_near(int64_t got, int64_t want)
{
	assert_true(llabs(got - want) <= 1);
}

static void
weights_share_one_cpu(void **state)
{
	struct credit_share s[3];

	(void)state;
	share(&s[0], 1, 0, 1);
	share(&s[1], 2, 0, 1);
	share(&s[2], 4, 0, 1);
	credit_distribute(s, 3, PERIOD, 1);
	assert_near(s[0].per_vcpu, PERIOD / 7);
	assert_near(s[1].per_vcpu, 2 * PERIOD / 7);
	assert_near(s[2].per_vcpu, 4 * PERIOD / 7);
}

/* Weight counts per active vCPU, as Xen's does; idle domains get none. */
static void
active_vcpus_and_idle_domains(void **state)
{
	struct credit_share s[3];

	(void)state;
	share(&s[0], 256, 0, 2);
	share(&s[1], 256, 0, 1);
	share(&s[2], 65535, 0, 0);
	credit_distribute(s, 3, PERIOD, 3);
	assert_near(s[0].per_vcpu, PERIOD);
	assert_near(s[1].per_vcpu, PERIOD);
	assert_int_equal(s[2].per_vcpu, 0);
}

/*
 * On two CPUs, 1:2:4 would give the heaviest 8/7 of a CPU: it gets one
 * CPU (all its one vCPU can use), and the others share the other 1:2.
 */
static void
what_one_cannot_use_goes_to_others(void **state)
{
	struct credit_share s[3];

	(void)state;
	share(&s[0], 1, 0, 1);
	share(&s[1], 2, 0, 1);
	share(&s[2], 4, 0, 1);
	credit_distribute(s, 3, PERIOD, 2);
	assert_near(s[2].per_vcpu, PERIOD);
	assert_near(s[0].per_vcpu, PERIOD / 3);
	assert_near(s[1].per_vcpu, 2 * PERIOD / 3);
}

static void
cap_limits_share(void **state)
{
	struct credit_share s[2];

	(void)state;
	share(&s[0], 256, 25, 1);
	share(&s[1], 256, 0, 1);
	credit_distribute(s, 2, PERIOD, 1);
	assert_near(s[0].per_vcpu, PERIOD / 4);
	assert_near(s[1].per_vcpu, 3 * PERIOD / 4);
	/* A cap above 100 with several vCPUs: 150 % over 2 vCPUs. */
	share(&s[0], 256, 150, 2);
	share(&s[1], 1, 0, 0);
	credit_distribute(s, 2, PERIOD, 4);
	assert_near(s[0].per_vcpu, 3 * PERIOD / 4);
}

/* A domain that blocks gets what it used; the rest goes by weight. */
static void
demand_limits_share(void **state)
{
	struct credit_share s[3];

	(void)state;
	share(&s[0], 256, 0, 1);
	s[0].demand = 2 * MS;
	share(&s[1], 256, 0, 1);
	share(&s[2], 512, 0, 1);
	credit_distribute(s, 3, PERIOD, 1);
	assert_near(s[0].per_vcpu, 2 * MS);
	assert_near(s[1].per_vcpu, (PERIOD - 2 * MS) / 3);
	assert_near(s[2].per_vcpu, 2 * (PERIOD - 2 * MS) / 3);
	/* Demand: all of it unless it blocked with credit to spare. */
	assert_int_equal(credit_demand(MS, false, 5, PERIOD), PERIOD);
	assert_int_equal(credit_demand(MS, true, 5, PERIOD), MS);
	assert_int_equal(credit_demand(MS, true, 0, PERIOD), PERIOD);
	assert_int_equal(credit_demand(2 * PERIOD, true, 5, PERIOD), PERIOD);
}

static void
nothing_to_share(void **state)
{
	struct credit_share s[1];

	(void)state;
	credit_distribute(s, 0, PERIOD, 1);
	share(&s[0], 256, 0, 0);
	credit_distribute(s, 1, PERIOD, 1);
	assert_int_equal(s[0].per_vcpu, 0);
}

static void
credit_is_bounded(void **state)
{
	(void)state;
	assert_int_equal(credit_clip(5, PERIOD), 5);
	assert_int_equal(credit_clip(PERIOD + 1, PERIOD), PERIOD);
	assert_int_equal(credit_clip(-(int64_t)PERIOD - 1, PERIOD),
	    -(int64_t)PERIOD);
}

static void
budget_refill(void **state)
{
	int64_t quota = PERIOD / 4;

	(void)state;
	assert_int_equal(credit_refill(0, 0, PERIOD), 0);
	assert_int_equal(credit_refill(0, 25, PERIOD), quota);
	/* Unused budget is not saved up; an overrun is paid back. */
	assert_int_equal(credit_refill(quota, 25, PERIOD), quota);
	assert_int_equal(credit_refill(-MS, 25, PERIOD), quota - (int64_t)MS);
	assert_int_equal(credit_refill(-10 * quota, 25, PERIOD), 0);
	assert_true(credit_parked(25, 0));
	assert_false(credit_parked(0, -5));
	assert_false(credit_parked(25, 1));
}

static void
priorities(void **state)
{
	(void)state;
	assert_int_equal(credit_prio(1, false, false), CREDIT_PRI_UNDER);
	assert_int_equal(credit_prio(1, true, false), CREDIT_PRI_BOOST);
	assert_int_equal(credit_prio(0, true, false), CREDIT_PRI_OVER);
	assert_int_equal(credit_prio(-5, false, false), CREDIT_PRI_OVER);
	assert_int_equal(credit_prio(1, true, true), CREDIT_PRI_PARKED);
	assert_true(CREDIT_PRI_BOOST > CREDIT_PRI_UNDER);
	assert_true(CREDIT_PRI_UNDER > CREDIT_PRI_OVER);
	assert_true(CREDIT_PRI_OVER > CREDIT_PRI_PARKED);
}

/*
 * --- one CPU, one vCPU per domain, 0.1 ms steps, scheduled as
 * hv/sched_credit.c does: a wake or the end of a slice reschedules (the
 * one that ran goes to the tail of the queue and goes on if nothing
 * better waits and its slice is not over), the tick charges and
 * preempts for anything better, accounting every period.  A sleeper
 * wants 0.5 ms of CPU, then sleeps 10 ms, and again.
 */

#define SIM_MAX		4
#define STEP		(MS / 10)
#define TICK		(10 * MS)
#define SLEEP_EVERY	(10 * MS)
#define SLEEP_WORK	(MS / 2)

struct sim {
	unsigned int	n;
	uint32_t	weight[SIM_MAX], cap[SIM_MAX];
	bool		sleeper[SIM_MAX];
	int64_t		credit[SIM_MAX], budget[SIM_MAX];
	uint64_t	used[SIM_MAX], ran[SIM_MAX];
	bool		runnable[SIM_MAX], boost[SIM_MAX], blocked[SIM_MAX];
	uint64_t	work[SIM_MAX], woke[SIM_MAX], wake_at[SIM_MAX];
	uint64_t	late_sum, late_max, wakes;
	bool		waiting_first_run[SIM_MAX];
	unsigned int	queue[SIM_MAX], qlen;
	int		cur;
	uint64_t	slice_end;
};

static int
sim_prio(const struct sim *s, unsigned int i)
{
	return credit_prio(s->credit[i], s->boost[i],
	    credit_parked(s->cap[i], s->budget[i]));
}

static void
sim_account(struct sim *s)
{
	struct credit_share sh[SIM_MAX];
	bool part[SIM_MAX];
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		share(&sh[i], s->weight[i], s->cap[i], 0);
		part[i] = s->used[i] != 0 || s->runnable[i];
		if (!part[i])
			continue;
		sh[i].nr_active = 1;
		sh[i].demand = credit_demand(s->used[i], s->blocked[i] ||
		    !s->runnable[i], s->credit[i], PERIOD);
	}
	credit_distribute(sh, s->n, PERIOD, 1);
	for (i = 0; i < s->n; i++) {
		if (part[i])
			s->credit[i] = credit_clip(s->credit[i] +
			    sh[i].per_vcpu, PERIOD);
		s->budget[i] = credit_refill(s->budget[i], s->cap[i], PERIOD);
		s->used[i] = 0;
		s->blocked[i] = !s->runnable[i];
	}
}

/* The best in the queue (as queue_best), or -1; not taken off it. */
static int
sim_best(const struct sim *s, int *prio)
{
	unsigned int i, v;
	int best = -1, p;

	*prio = CREDIT_PRI_PARKED;
	for (i = 0; i < s->qlen; i++) {
		v = s->queue[i];
		p = sim_prio(s, v);
		if (p > *prio || (p == *prio && best >= 0 &&
		    s->credit[v] > s->credit[s->queue[best]])) {
			best = (int)i;
			*prio = p;
		}
	}
	return best;
}

static void
sim_schedule(struct sim *s, uint64_t t)
{
	int prev = s->cur, best, prio;
	unsigned int i, pick;

	if (prev >= 0) {
		s->boost[prev] = false;
		if (s->runnable[prev])
			s->queue[s->qlen++] = (unsigned int)prev;
	}
	s->cur = -1;
	if ((best = sim_best(s, &prio)) < 0)
		return;
	pick = (unsigned int)best;
	if (prev >= 0 && s->runnable[prev] && t < s->slice_end &&
	    sim_prio(s, (unsigned int)prev) >= prio)
		pick = s->qlen - 1;		/* prev goes on */
	s->cur = (int)s->queue[pick];
	for (i = pick; i + 1 < s->qlen; i++)
		s->queue[i] = s->queue[i + 1];
	s->qlen--;
	if (s->cur != prev)
		s->slice_end = t + PERIOD;
}

static bool
sim_wake_sleepers(struct sim *s, uint64_t t)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < s->n; i++) {
		if (!s->sleeper[i] || s->runnable[i] || t < s->wake_at[i])
			continue;
		s->woke[i] = t;
		s->runnable[i] = s->waiting_first_run[i] = true;
		s->work[i] = SLEEP_WORK;
		s->boost[i] = credit_prio(s->credit[i], false,
		    credit_parked(s->cap[i], s->budget[i])) == CREDIT_PRI_UNDER;
		s->blocked[i] = true;
		s->queue[s->qlen++] = i;
		any = true;
	}
	return any;
}

/* The running one for a step: charged, and a sleeper may block. */
static void
sim_step(struct sim *s, uint64_t t)
{
	int c = s->cur;

	if (c < 0)
		return;
	if (s->waiting_first_run[c]) {
		uint64_t late = t - s->woke[c];

		s->waiting_first_run[c] = false;
		s->late_sum += late;
		s->wakes++;
		if (late > s->late_max)
			s->late_max = late;
	}
	s->ran[c] += STEP;
	s->used[c] += STEP;
	s->credit[c] -= STEP;
	if (s->cap[c] != 0)
		s->budget[c] -= STEP;
	if (s->sleeper[c] && (s->work[c] -= STEP) == 0) {
		s->wake_at[c] = t + STEP + SLEEP_EVERY;
		s->runnable[c] = s->boost[c] = false;
		s->cur = -1;
	}
}

static bool
sim_tick_preempts(struct sim *s)
{
	int prio, c = s->cur;

	if (c < 0)
		return false;
	s->boost[c] = false;
	(void)sim_best(s, &prio);
	return sim_prio(s, (unsigned int)c) == CREDIT_PRI_PARKED ||
	    prio > sim_prio(s, (unsigned int)c);
}

static void
sim_run(struct sim *s, uint64_t total)
{
	uint64_t t;
	unsigned int i;
	bool resched;

	s->cur = -1;
	for (i = 0; i < s->n; i++) {
		s->runnable[i] = !s->sleeper[i];
		if (s->runnable[i])
			s->queue[s->qlen++] = i;
	}
	for (t = 0; t < total; t += STEP) {
		if (t % PERIOD == 0)
			sim_account(s);
		resched = sim_wake_sleepers(s, t) || s->cur < 0 ||
		    t >= s->slice_end;
		if (t % TICK == 0 && sim_tick_preempts(s))
			resched = true;
		if (resched)
			sim_schedule(s, t);
		sim_step(s, t);
	}
}

static void
sim_weights_1_2_4(void **state)
{
	static struct sim s;
	uint64_t total = 30000 * MS, hogs;
	unsigned int i;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.n = 4;
	s.weight[0] = 64;
	s.weight[1] = 128;
	s.weight[2] = 256;
	s.weight[3] = 256;
	s.sleeper[3] = true;
	sim_run(&s, total);
	hogs = s.ran[0] + s.ran[1] + s.ran[2];
	for (i = 0; i < 3; i++) {
		double want = (double)(1U << i) / 7, got = (double)s.ran[i] /
		    (double)hogs;

		print_message("weight %u: %.4f of the hogs' CPU, entitled "
		    "%.4f\n", s.weight[i], got, want);
		assert_true(got > want * 0.98 && got < want * 1.02);
	}
	/* The sleeper got all it wanted, each time at once (BOOST). */
	print_message("sleeper: %.4f of the CPU, %lu wakes, %lu us late on "
	    "average, %lu us at worst\n", (double)s.ran[3] / (double)total,
	    (unsigned long)s.wakes, (unsigned long)(s.late_sum / s.wakes /
	    1000), (unsigned long)(s.late_max / 1000));
	assert_true(s.wakes >= total / (SLEEP_EVERY + SLEEP_WORK) - 10);
	assert_true(s.late_sum / s.wakes <= STEP);
	assert_true(hogs + s.ran[3] >= total - STEP);
}

static void
sim_cap_25(void **state)
{
	static struct sim s;
	uint64_t total = 30000 * MS;
	double capped, other;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.n = 2;
	s.weight[0] = s.weight[1] = 256;
	s.cap[0] = 25;
	sim_run(&s, total);
	capped = (double)s.ran[0] / (double)total;
	other = (double)s.ran[1] / (double)total;
	print_message("capped at 25 %%: %.4f; its neighbour %.4f\n", capped,
	    other);
	assert_true(capped > 0.24 && capped <= 0.251);
	assert_true(capped + other > 0.99);	/* the rest is used */
	/* Alone, a capped domain leaves the CPU idle beyond its cap. */
	memset(&s, 0, sizeof(s));
	s.n = 1;
	s.weight[0] = 256;
	s.cap[0] = 25;
	sim_run(&s, total);
	capped = (double)s.ran[0] / (double)total;
	print_message("capped at 25 %%, alone: %.4f\n", capped);
	assert_true(capped > 0.24 && capped <= 0.251);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weights_share_one_cpu),
		cmocka_unit_test(active_vcpus_and_idle_domains),
		cmocka_unit_test(what_one_cannot_use_goes_to_others),
		cmocka_unit_test(cap_limits_share),
		cmocka_unit_test(demand_limits_share),
		cmocka_unit_test(nothing_to_share),
		cmocka_unit_test(credit_is_bounded),
		cmocka_unit_test(budget_refill),
		cmocka_unit_test(priorities),
		cmocka_unit_test(sim_weights_1_2_4),
		cmocka_unit_test(sim_cap_25),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
