/*
 * Which CPU each vCPU is on (hv/include/hv/sched.h): the per-CPU
 * scheduler locks and how a vCPU's lock is found, a vCPU's first CPU,
 * moving it when its affinity sends it elsewhere, and waking an idle
 * CPU to steal work.  The core (schedule.c) and the policies use these.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>

#include <hv/domain.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/spinlock.h>

#include "sched_core.h"

struct sched_cpu sched_cpus[HV_MAX_CPUS];
static volatile uint64_t idle_cpus;	/* CPUs with nothing to run */
static unsigned int next_cpu;

/* The lock of v's CPU, taken; v->processor cannot change while held. */
unsigned int
vcpu_sched_lock(struct vcpu *v)
{
	unsigned int cpu;

	for (;;) {
		cpu = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
		spin_lock(&sched_cpus[cpu].lock);
		if (cpu == __atomic_load_n(&v->processor, __ATOMIC_RELAXED))
			return cpu;
		spin_unlock(&sched_cpus[cpu].lock);
	}
}

void
vcpu_sched_unlock(struct vcpu *v, unsigned int cpu)
{
	(void)v;
	spin_unlock(&sched_cpus[cpu].lock);
}

/* Ticket locks have no trylock of their own: take it only if free. */
bool
sched_trylock_cpu(unsigned int cpu)
{
	spinlock_t *l = &sched_cpus[cpu].lock;
	uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	uint16_t next = owner;

	if (__atomic_load_n(&l->next, __ATOMIC_RELAXED) != owner)
		return false;
	return __atomic_compare_exchange_n(&l->next, &next,
	    (uint16_t)(owner + 1), false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void
sched_unlock_cpu(unsigned int cpu)
{
	spin_unlock(&sched_cpus[cpu].lock);
}

uint64_t
sched_online_mask(void)
{
	uint64_t m = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if (percpu_get(cpu) != NULL)
			m |= cpu_bit(cpu);
	return m;
}

bool
sched_may_run_on(const struct vcpu *v, unsigned int cpu)
{
	return (v->sched.cpumap & cpu_bit(cpu)) != 0;
}

void
sched_set_idle(unsigned int cpu, bool idle)
{
	if (idle)
		__atomic_fetch_or(&idle_cpus, cpu_bit(cpu), __ATOMIC_RELEASE);
	else if (idle_cpus & cpu_bit(cpu))
		__atomic_fetch_and(&idle_cpus, ~cpu_bit(cpu),
		    __ATOMIC_RELEASE);
}

/*
 * v was queued on its CPU: make that CPU look again, and when it is busy
 * wake an idle one that v may use, so that it steals v (work-conserving).
 * When steals (the policy steals, and v woke rather than came up: a
 * vCPU coming up stays where placement spread it), a busy CPU is left
 * alone if an idle one can take v, as Xen's credit scheduler does: what
 * runs there (a vCPU with a CPU to itself) is not preempted for work
 * another CPU would idle on.
 */
void
sched_tickle(struct vcpu *v, unsigned int cpu, bool steals)
{
	uint64_t idle = __atomic_load_n(&idle_cpus, __ATOMIC_ACQUIRE) &
	    v->sched.cpumap & ~cpu_bit(cpu);
	bool here_idle = (idle_cpus & cpu_bit(cpu)) != 0;

	if (!here_idle && idle != 0 && steals) {
		raise_resched((unsigned int)__builtin_ctzll(idle));
		return;
	}
	raise_resched(cpu);
	if (idle != 0 && !here_idle)
		raise_resched((unsigned int)__builtin_ctzll(idle));
}

/* The CPU v should be on: its own if allowed, else the next allowed. */
static unsigned int
choose_cpu(const struct vcpu *v)
{
	uint64_t ok = v->sched.cpumap & sched_online_mask();
	uint64_t idle = ok & __atomic_load_n(&idle_cpus, __ATOMIC_ACQUIRE);

	if (ok == 0)
		return v->processor;	/* cannot be: the map is checked */
	if (ok & cpu_bit(v->processor))
		return v->processor;
	return (unsigned int)__builtin_ctzll(idle != 0 ? idle : ok);
}

/*
 * Move v to a CPU its affinity allows if it is not on one, once it is
 * off every CPU (whoever switches it out calls this again).  Both CPUs'
 * locks are taken in order; v is requeued on the new one.
 */
void
sched_fix_cpu(struct vcpu *v)
{
	unsigned int from, to, lo, hi;

	from = vcpu_sched_lock(v);
	to = choose_cpu(v);
	vcpu_sched_unlock(v, from);
	if (to == from)
		return;
	lo = from < to ? from : to;
	hi = from < to ? to : from;
	spin_lock(&sched_cpus[lo].lock);
	spin_lock(&sched_cpus[hi].lock);
	if (v->processor == from && !__atomic_load_n(&v->on_cpu,
	    __ATOMIC_ACQUIRE) && !sched_may_run_on(v, from)) {
		bool queued = v->on_queue;

		sched_dequeue(v);
		__atomic_store_n(&v->processor, to, __ATOMIC_RELEASE);
		if (queued)
			sched_enqueue(v);
	} else
		to = UINT32_MAX;
	spin_unlock(&sched_cpus[hi].lock);
	spin_unlock(&sched_cpus[lo].lock);
	if (to != UINT32_MAX)
		raise_resched(to);	/* also reprograms v's timers there */
}

/* The CPUs the other placed vCPUs of v's domain are on now (a hint). */
uint64_t
sched_domain_cpus(const struct vcpu *v)
{
	const struct domain *d = v->domain;
	uint64_t cpus = 0;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] != NULL && d->vcpus[i] != v &&
		    d->vcpus[i]->placed)
			cpus |= cpu_bit(__atomic_load_n(&d->vcpus[i]->processor,
			    __ATOMIC_RELAXED));
	return cpus;
}

/*
 * Its first CPU: the next one, round the CPUs its affinity allows, and
 * one that none of its domain's other vCPUs is on if there is such a
 * CPU (so that a domain's vCPUs start apart).  A vCPU that never ran is
 * on no queue and no CPU: its processor may change under the old CPU's
 * lock alone (a locker that finds the new one takes that CPU's lock,
 * and nothing there knows v yet).
 */
static void
place(struct vcpu *v)
{
	uint64_t ok = v->sched.cpumap & sched_online_mask();
	uint64_t apart = ok & ~sched_domain_cpus(v);
	unsigned int start = next_cpu++ % nr_cpus_online, i, cpu;

	if (apart != 0)
		ok = apart;
	v->placed = true;
	for (i = 0; i < HV_MAX_CPUS; i++) {
		cpu = (start + i) % HV_MAX_CPUS;
		if (ok & cpu_bit(cpu)) {
			__atomic_store_n(&v->processor, cpu, __ATOMIC_RELEASE);
			return;
		}
	}
}

/* v's lock, once v has a CPU. */
unsigned int
sched_lock_placed(struct vcpu *v)
{
	unsigned int cpu = vcpu_sched_lock(v);

	if (v->placed)
		return cpu;
	place(v);
	vcpu_sched_unlock(v, cpu);
	return vcpu_sched_lock(v);
}

/*
 * A new hard affinity for v (a map the caller checked has an online
 * CPU). A vCPU on a CPU it may no longer use leaves it at its next
 * schedule; one that waits or is queued moves now.
 */
int
sched_set_affinity(struct vcpu *v, uint64_t cpumap)
{
	unsigned int cpu;

	if ((cpumap & sched_online_mask()) == 0)
		return -XM_EINVAL;
	cpu = vcpu_sched_lock(v);
	v->sched.cpumap = cpumap;
	vcpu_sched_unlock(v, cpu);
	if (!sched_may_run_on(v, cpu)) {
		raise_resched(cpu);
		sched_fix_cpu(v);
	}
	return 0;
}
