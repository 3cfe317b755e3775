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
	bool top;

	(void)state;
	assert_int_equal(credit_clip(5, PERIOD, &top), 5);
	assert_false(top);
	assert_int_equal(credit_clip(PERIOD + 1, PERIOD, &top), PERIOD);
	assert_true(top);
	assert_int_equal(credit_clip(-(int64_t)PERIOD - 1, PERIOD, &top),
	    -(int64_t)PERIOD);
	assert_false(top);
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

/* --- one CPU, CPU-bound vCPUs (one per domain), 1 ms steps ---------- */

#define SIM_MAX		4
#define TICK		(10 * MS)

struct sim {
	unsigned int	n;
	uint32_t	weight[SIM_MAX], cap[SIM_MAX];
	int64_t		credit[SIM_MAX], budget[SIM_MAX];
	bool		active[SIM_MAX];
	uint64_t	ran[SIM_MAX];
	unsigned int	queue[SIM_MAX], qlen;	/* FIFO, runner not in it */
};

static int
sim_prio(const struct sim *s, unsigned int i)
{
	return credit_prio(s->credit[i], false,
	    credit_parked(s->cap[i], s->budget[i]));
}

/* Every hog wants the CPU: it is runnable at every accounting. */
static void
sim_account(struct sim *s)
{
	struct credit_share sh[SIM_MAX];
	unsigned int i;
	bool top;

	for (i = 0; i < s->n; i++)
		share(&sh[i], s->weight[i], s->cap[i], 1);
	credit_distribute(sh, s->n, PERIOD, 1);
	for (i = 0; i < s->n; i++) {
		s->credit[i] = credit_clip(s->credit[i] + sh[i].per_vcpu,
		    PERIOD, &top);
		s->active[i] = !top;
		s->budget[i] = credit_refill(s->budget[i], s->cap[i], PERIOD);
	}
}

/* Take the first of the best in the queue (-1: none may run). */
static int
sim_pick(struct sim *s)
{
	unsigned int i, best = 0;
	int v;

	if (s->qlen == 0)
		return -1;
	for (i = 1; i < s->qlen; i++)
		if (sim_prio(s, s->queue[i]) > sim_prio(s, s->queue[best]))
			best = i;
	if (sim_prio(s, s->queue[best]) == CREDIT_PRI_PARKED)
		return -1;
	v = (int)s->queue[best];
	memmove(&s->queue[best], &s->queue[best + 1],
	    (s->qlen - best - 1) * sizeof(s->queue[0]));
	s->qlen--;
	return v;
}

static int
sim_best_queued(const struct sim *s)
{
	unsigned int i;
	int best = CREDIT_PRI_PARKED;

	for (i = 0; i < s->qlen; i++)
		if (sim_prio(s, s->queue[i]) > best)
			best = sim_prio(s, s->queue[i]);
	return best;
}

static void
sim_run(struct sim *s, uint64_t total)
{
	uint64_t t, slice_end = 0;
	unsigned int i;
	int cur = -1;

	for (i = 0; i < s->n; i++)
		s->queue[s->qlen++] = i;
	for (t = 0; t < total; t += MS) {
		if (t % PERIOD == 0)
			sim_account(s);
		if (cur >= 0 && (t >= slice_end || (t % TICK == 0 &&
		    (sim_prio(s, (unsigned int)cur) == CREDIT_PRI_PARKED ||
		    sim_best_queued(s) > sim_prio(s, (unsigned int)cur))))) {
			s->queue[s->qlen++] = (unsigned int)cur;
			cur = -1;
		}
		if (cur < 0 && (cur = sim_pick(s)) >= 0)
			slice_end = t + PERIOD;
		if (cur < 0)
			continue;
		s->ran[cur] += MS;
		s->credit[cur] -= MS;
		if (s->cap[cur] != 0)
			s->budget[cur] -= MS;
		if ((t + MS) % TICK == 0)
			s->active[cur] = true;
	}
}

static void
sim_weights_1_2_4(void **state)
{
	struct sim s;
	uint64_t total = 30000 * MS;
	unsigned int i;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.n = 3;
	s.weight[0] = 64;
	s.weight[1] = 128;
	s.weight[2] = 256;
	sim_run(&s, total);
	for (i = 0; i < 3; i++) {
		double want = (double)(1U << i) / 7, got = (double)s.ran[i] /
		    (double)total;

		print_message("weight %u: %.4f of the CPU, entitled %.4f\n",
		    s.weight[i], got, want);
		assert_true(got > want * 0.98 && got < want * 1.02);
	}
}

static void
sim_cap_25(void **state)
{
	struct sim s;
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
	assert_true(capped > 0.23 && capped <= 0.255);
	assert_true(capped + other > 0.99);	/* the rest is used */
	/* Alone, a capped domain leaves the CPU idle beyond its cap. */
	memset(&s, 0, sizeof(s));
	s.n = 1;
	s.weight[0] = 256;
	s.cap[0] = 25;
	sim_run(&s, total);
	capped = (double)s.ran[0] / (double)total;
	print_message("capped at 25 %%, alone: %.4f\n", capped);
	assert_true(capped > 0.23 && capped <= 0.255);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weights_share_one_cpu),
		cmocka_unit_test(active_vcpus_and_idle_domains),
		cmocka_unit_test(what_one_cannot_use_goes_to_others),
		cmocka_unit_test(cap_limits_share),
		cmocka_unit_test(nothing_to_share),
		cmocka_unit_test(credit_is_bounded),
		cmocka_unit_test(budget_refill),
		cmocka_unit_test(priorities),
		cmocka_unit_test(sim_weights_1_2_4),
		cmocka_unit_test(sim_cap_25),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
