/*
 * The scheduler core's own parts, shared by hv/schedule.c (states,
 * switch, ticks) and hv/sched_cpu.c (locks, placement, moving vCPUs).
 */
#ifndef HV_SCHED_CORE_H
#define HV_SCHED_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include <hv/percpu.h>
#include <hv/spinlock.h>

struct vcpu;

/* A CPU's scheduler lock (hv/include/hv/sched.h) and its next tick. */
struct sched_cpu {
	spinlock_t	lock;
	uint64_t	tick_next;
} __attribute__((aligned(64)));

extern struct sched_cpu sched_cpus[HV_MAX_CPUS];

static inline uint64_t
cpu_bit(unsigned int cpu)
{
	return UINT64_C(1) << cpu;
}

/* schedule.c */
bool		vcpu_can_run(const struct vcpu *);
void		sched_enqueue(struct vcpu *);	/* if it can run */
void		sched_dequeue(struct vcpu *);

/* sched_cpu.c */
void		sched_set_idle(unsigned int cpu, bool idle);
void		sched_tickle(struct vcpu *, unsigned int cpu, bool steals);
void		sched_fix_cpu(struct vcpu *);
unsigned int	sched_lock_placed(struct vcpu *);

#endif
