/*
 * The credit scheduler (after Xen's credit scheduler): each domain has a
 * weight and may have a cap; each accounting period (one time slice)
 * the CPUs' time is handed out as credit to the vCPUs that want it, in
 * proportion to their domains' weights (hv/sched_credit_acct.c), and
 * running burns it.  A vCPU with credit left is UNDER and runs before
 * the OVER ones, which run only when nothing UNDER wants the CPU (so
 * that no CPU idles while anything can run, unless capped).  A vCPU that
 * wakes from blocking with credit left is BOOSTed ahead of both, which
 * keeps I/O-bound domains quick next to CPU-bound ones.  A capped
 * domain burns a budget too, and once that is gone its vCPUs are parked
 * until the next period.
 *
 * Each CPU has its own queue (under its scheduler lock, hv/sched_cpu.c);
 * a CPU with nothing better than OVER work steals UNDER or BOOST work
 * from the others' queues, and one whose tick finds UNDER work in
 * another queue well behind its share (a tick's credit more than what
 * it runs) steals that, as far as the vCPUs' affinity allows.  Within a
 * priority the vCPU with the most credit goes first.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xm/domctl.h>

#include <hv/domain.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/sched_credit.h>
#include <hv/spinlock.h>

#define TICKS_PER_SLICE	3		/* 10 ms ticks in a 30 ms slice */
#define MIN_SLICE_NS	100000ULL	/* a capped vCPU's shortest run */
#define RETRY_NS	1000000ULL	/* a busy queue: look again soon */

struct csched_cpu {
	struct vcpu	*head;
	struct vcpu	*tail;
	struct vcpu	*running;	/* what pick_next gave last */
	uint64_t	slice_end;	/* of running's slice */
	bool		look_around;	/* the tick saw better work elsewhere */
};

/* A local best, to compare others' queues with. */
struct csched_bar {
	int		prio;
	int64_t		credit;
};

static struct csched_cpu csched_cpus[HV_MAX_CPUS];
static uint64_t tslice_ns;
static uint64_t acct_next;		/* the next accounting, ns */

static void
csched_init(uint64_t tslice)
{
	tslice_ns = tslice;
}

static bool
parked(const struct domain *d)
{
	return credit_parked(d->sched.cap,
	    __atomic_load_n(&d->sched.budget, __ATOMIC_RELAXED));
}

static int
prio_of(const struct vcpu *v)
{
	return credit_prio(__atomic_load_n(&v->sched.credit,
	    __ATOMIC_RELAXED), v->sched.boost, parked(v->domain));
}

/* Charge v for the time it ran since it was last charged. */
static void
burn(struct vcpu *v, uint64_t now)
{
	struct domain *d = v->domain;
	int64_t ran;

	if (now <= v->sched.burn_since)
		return;
	ran = (int64_t)(now - v->sched.burn_since);
	v->sched.burn_since = now;
	__atomic_sub_fetch(&v->sched.credit, ran, __ATOMIC_RELAXED);
	__atomic_add_fetch(&v->sched.used, (uint64_t)ran, __ATOMIC_RELAXED);
	if (d->sched.cap != 0)
		__atomic_sub_fetch(&d->sched.budget, ran, __ATOMIC_RELAXED);
}

static void
csched_insert(struct vcpu *v)
{
	struct csched_cpu *q = &csched_cpus[v->processor];

	v->run_next = NULL;
	if (q->tail != NULL)
		q->tail->run_next = v;
	else
		q->head = v;
	q->tail = v;
}

static void
csched_remove_from(struct csched_cpu *q, struct vcpu *v)
{
	struct vcpu **pp, *prev = NULL;

	for (pp = &q->head; *pp != NULL; prev = *pp, pp = &(*pp)->run_next) {
		if (*pp == v) {
			*pp = v->run_next;
			if (q->tail == v)
				q->tail = prev;
			break;
		}
	}
	v->run_next = NULL;
}

static void
csched_remove(struct vcpu *v)
{
	csched_remove_from(&csched_cpus[v->processor], v);
}

/* Its turn is over: the next pick does not prefer it. */
static void
csched_yield(struct vcpu *v)
{
	struct csched_cpu *q = &csched_cpus[v->processor];

	if (q->running == v)
		q->slice_end = 0;
}

/* Woken from blocking with credit left: ahead of UNDER and OVER. */
static void
csched_wake(struct vcpu *v)
{
	v->sched.boost = credit_prio(__atomic_load_n(&v->sched.credit,
	    __ATOMIC_RELAXED), false, parked(v->domain)) == CREDIT_PRI_UNDER;
	v->sched.blocked = true;
}

static void
csched_descheduled(struct vcpu *v, uint64_t now)
{
	burn(v, now);
	v->sched.boost = false;
}

static int64_t
credit_of(const struct vcpu *v)
{
	return __atomic_load_n(&v->sched.credit, __ATOMIC_RELAXED);
}

/*
 * The best that cpu may run in q, and its priority: the highest
 * priority, and in it the most credit (the one furthest behind its
 * share; Xen takes the first), the first of equals.
 */
static struct vcpu *
queue_best(struct csched_cpu *q, unsigned int cpu, bool remote, int *prio)
{
	struct vcpu *v, *best = NULL;
	int p;

	*prio = CREDIT_PRI_PARKED;
	for (v = q->head; v != NULL; v = v->run_next) {
		if (!sched_may_run_on(v, cpu) || (remote &&
		    __atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE)))
			continue;
		p = prio_of(v);
		if (p > *prio || (p == *prio && best != NULL &&
		    credit_of(v) > credit_of(best))) {
			best = v;
			*prio = p;
		}
	}
	return best;
}

/*
 * Is v (of priority p) worth taking from another CPU, over bar: a
 * better priority, or UNDER with a tick's more credit (it is further
 * behind its share than what this CPU would run).
 */
static bool
beats(const struct vcpu *v, int p, const struct csched_bar *bar)
{
	if (v == NULL || p < CREDIT_PRI_OVER)
		return false;
	if (p != bar->prio)
		return p > bar->prio;
	return p == CREDIT_PRI_UNDER &&
	    credit_of(v) > bar->credit + (int64_t)(tslice_ns / TICKS_PER_SLICE);
}

/*
 * Work from another CPU's queue that beats bar, as far as affinity
 * allows; a vCPU still on its old CPU stays.  *busy when a queue could
 * not be looked at.
 */
static struct vcpu *
steal(unsigned int cpu, const struct csched_bar *bar, bool *busy)
{
	struct vcpu *v;
	unsigned int peer;
	int p;

	for (peer = 0; peer < HV_MAX_CPUS; peer++) {
		struct csched_cpu *q = &csched_cpus[peer];

		if (peer == cpu || q->head == NULL)
			continue;
		if (!sched_trylock_cpu(peer)) {
			*busy = true;
			continue;
		}
		v = queue_best(q, cpu, true, &p);
		if (beats(v, p, bar)) {
			csched_remove_from(q, v);
			__atomic_store_n(&v->processor, cpu, __ATOMIC_RELEASE);
			sched_unlock_cpu(peer);
			return v;
		}
		sched_unlock_cpu(peer);
	}
	return NULL;
}

static uint64_t
slice_of(const struct vcpu *v)
{
	int64_t budget = __atomic_load_n(&v->domain->sched.budget,
	    __ATOMIC_RELAXED);

	if (v->domain->sched.cap == 0 || budget >= (int64_t)tslice_ns)
		return tslice_ns;
	return budget > (int64_t)MIN_SLICE_NS ? (uint64_t)budget :
	    MIN_SLICE_NS;
}

/*
 * The one that ran last goes on if it is still queued here, nothing
 * better waits and its slice is not over.  Found by walking the queue,
 * never through q->running itself, which may be a vCPU that is gone.
 */
static struct vcpu *
keep_running(struct csched_cpu *q, unsigned int cpu, struct vcpu *best,
    int prio, uint64_t now)
{
	struct vcpu *v;

	if (q->running == NULL || now >= q->slice_end)
		return best;
	for (v = q->head; v != NULL; v = v->run_next)
		if (v == q->running)
			return sched_may_run_on(v, cpu) &&
			    prio_of(v) >= prio ? v : best;
	return best;
}

/* Until the next accounting period, when parked work may run again. */
static uint64_t
until_next_period(uint64_t now)
{
	uint64_t next = __atomic_load_n(&acct_next, __ATOMIC_RELAXED);

	return next > now ? next - now + 1 : RETRY_NS;
}

static struct vcpu *
csched_pick_next(unsigned int cpu, uint64_t now, uint64_t *slice)
{
	struct csched_cpu *q = &csched_cpus[cpu];
	struct csched_bar bar;
	struct vcpu *v, *stolen = NULL;
	bool busy = false;
	int prio;

	v = queue_best(q, cpu, false, &prio);
	bar.prio = prio;
	bar.credit = v != NULL ? credit_of(v) : 0;
	if (prio < CREDIT_PRI_UNDER || q->look_around)
		stolen = steal(cpu, &bar, &busy);
	q->look_around = false;
	if (stolen != NULL) {
		v = stolen;
		q->running = NULL;
	} else if (v != NULL) {
		v = keep_running(q, cpu, v, prio, now);
		csched_remove_from(q, v);
	}
	if (v == NULL) {
		q->running = NULL;
		/* Parked work waits for the next period; a busy peer, less. */
		*slice = busy ? RETRY_NS : q->head != NULL ?
		    until_next_period(now) : 0;
		return NULL;
	}
	if (v != q->running) {
		q->running = v;
		q->slice_end = now + tslice_ns;
	}
	*slice = q->slice_end - now < slice_of(v) ? q->slice_end - now :
	    slice_of(v);
	return v;
}

/* Does another CPU's queue hold work for cpu that beats bar? */
static bool
better_elsewhere(unsigned int cpu, const struct csched_bar *bar)
{
	struct vcpu *v;
	unsigned int peer;
	bool found = false;
	int p;

	for (peer = 0; peer < HV_MAX_CPUS && !found; peer++) {
		if (peer == cpu || csched_cpus[peer].head == NULL ||
		    !sched_trylock_cpu(peer))
			continue;
		v = queue_best(&csched_cpus[peer], cpu, true, &p);
		found = beats(v, p, bar);
		sched_unlock_cpu(peer);
	}
	return found;
}

/*
 * Every tick: charge cur, which wants the CPU; stop it if it must, or
 * if work that beats it waits in another CPU's queue (OVER against
 * UNDER, or UNDER against UNDER much further behind its share): the
 * schedule then steals that work, so that weights hold across CPUs.
 */
static bool
csched_tick(unsigned int cpu, struct vcpu *cur, uint64_t now)
{
	struct csched_bar bar;
	int best;

	burn(cur, now);
	cur->sched.boost = false;
	bar.prio = prio_of(cur);
	bar.credit = credit_of(cur);
	(void)queue_best(&csched_cpus[cpu], cpu, false, &best);
	if (bar.prio == CREDIT_PRI_PARKED || best > bar.prio)
		return true;
	if (bar.prio == CREDIT_PRI_BOOST || !better_elsewhere(cpu, &bar))
		return false;
	csched_cpus[cpu].look_around = true;
	return true;
}


/* v takes part in this period: it ran, or it waits for a CPU. */
static bool
takes_part(const struct vcpu *v, uint64_t used)
{
	return used != 0 || ((v->state == VCPU_RUNNABLE ||
	    v->state == VCPU_RUNNING) && !v->pause_flag);
}

static struct credit_share shares[HV_MAX_DOMAINS];
static struct domain *share_dom[HV_MAX_DOMAINS];
static bool earns[HV_MAX_DOMAINS][HV_MAX_VCPUS];

/* What d's vCPUs want of the next period; their use starts anew. */
static void
gather_vcpus(struct domain *d, struct credit_share *sh, bool *earn)
{
	unsigned int j;

	sh->nr_active = 0;
	sh->demand = 0;
	for (j = 0; j < d->max_vcpus; j++) {
		struct vcpu *v = d->vcpus[j];
		uint64_t used;

		earn[j] = false;
		if (v == NULL)
			continue;
		used = __atomic_exchange_n(&v->sched.used, 0,
		    __ATOMIC_RELAXED);
		if (!takes_part(v, used))
			continue;
		earn[j] = true;
		sh->nr_active++;
		sh->demand += credit_demand(used, v->sched.blocked ||
		    v->state == VCPU_BLOCKED, __atomic_load_n(&v->sched.credit,
		    __ATOMIC_RELAXED), tslice_ns);
		v->sched.blocked = v->state == VCPU_BLOCKED;
	}
}

/* The running domains; the domain list is locked. */
static unsigned int
gather(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < HV_MAX_DOMAINS; i++) {
		struct domain *d = domain_table[i];

		if (d == NULL || d->state != DOMAIN_RUNNING)
			continue;
		shares[n].weight = d->sched.weight;
		shares[n].cap = d->sched.cap;
		gather_vcpus(d, &shares[n], earns[n]);
		share_dom[n++] = d;
	}
	return n;
}

/* Add to v's credit (running CPUs burn it meanwhile), clipped. */
static void
earn(struct vcpu *v, int64_t amount)
{
	int64_t old = __atomic_load_n(&v->sched.credit, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&v->sched.credit, &old,
	    credit_clip(old + amount, tslice_ns), false, __ATOMIC_RELAXED,
	    __ATOMIC_RELAXED))
		continue;
}

/* A capped domain's new budget; true when that unparks it. */
static bool
refill(struct domain *d)
{
	int64_t old = __atomic_load_n(&d->sched.budget, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&d->sched.budget, &old,
	    credit_refill(old, d->sched.cap, tslice_ns), false,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
	return d->sched.cap != 0 && old <= 0;
}

static bool
hand_out(unsigned int n)
{
	unsigned int i, j;
	bool unparked = false;

	for (i = 0; i < n; i++) {
		struct domain *d = share_dom[i];

		for (j = 0; j < d->max_vcpus; j++)
			if (earns[i][j])
				earn(d->vcpus[j], shares[i].per_vcpu);
		if (refill(d))
			unparked = true;
	}
	return unparked;
}

/*
 * Once a period, on whichever CPU gets here first: hand out the
 * period's credit and refill caps.  Runs with no scheduler lock held
 * (the domain list lock nests outside them).
 */
static void
csched_periodic(uint64_t now)
{
	static bool busy;
	unsigned int n, cpu;
	bool unparked;

	if (now < __atomic_load_n(&acct_next, __ATOMIC_ACQUIRE) ||
	    __atomic_exchange_n(&busy, true, __ATOMIC_ACQUIRE))
		return;
	if (now < acct_next) {
		__atomic_store_n(&busy, false, __ATOMIC_RELEASE);
		return;
	}
	/* Periods on a fixed grid, so that caps hold over time. */
	__atomic_store_n(&acct_next, now < acct_next + tslice_ns ?
	    acct_next + tslice_ns : now + tslice_ns, __ATOMIC_RELEASE);
	domain_list_lock();
	n = gather();
	credit_distribute(shares, n, tslice_ns, nr_cpus_online);
	unparked = hand_out(n);
	domain_list_unlock();
	__atomic_store_n(&busy, false, __ATOMIC_RELEASE);
	if (unparked)
		for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
			raise_resched(cpu);
}

const struct scheduler sched_credit = {
	.name = "credit",
	.id = XM_SCHED_CREDIT,
	.steals = true,
	.init = csched_init,
	.vcpu_insert = csched_insert,
	.vcpu_remove = csched_remove,
	.yield = csched_yield,
	.wake = csched_wake,
	.descheduled = csched_descheduled,
	.pick_next = csched_pick_next,
	.tick = csched_tick,
	.periodic = csched_periodic,
};
