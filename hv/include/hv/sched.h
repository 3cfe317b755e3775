/*
 * Scheduling. The core (schedule.c) keeps vCPU states, blocking, waking
 * and the switch; a policy is a const struct of operations, so that the
 * credit scheduler can replace the round-robin one without touching the
 * core (Xen's struct scheduler).
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

struct scheduler {
	const char	*name;
	void		(*init)(void);
	void		(*vcpu_insert)(struct vcpu *);	/* now runnable */
	void		(*vcpu_remove)(struct vcpu *);	/* no longer */
	void		(*yield)(struct vcpu *);
	/* The next vCPU for cpu (NULL: idle) and its time slice in ns. */
	struct vcpu	*(*pick_next)(unsigned int cpu, uint64_t now,
			    uint64_t *slice_ns);
};

extern const struct scheduler sched_rr;

void	sched_init(void);
void	sched_add_vcpu(struct vcpu *);
void	vcpu_up(struct vcpu *);
bool	vcpu_down(struct vcpu *);
void	vcpu_wake(struct vcpu *);
void	vcpu_block(struct vcpu *, bool (*still_idle)(struct vcpu *));
void	vcpu_pause(struct vcpu *);
void	vcpu_unpause(struct vcpu *);
void	vcpu_yield(struct vcpu *);
void	sched_tick(void);
void	schedule(void);
void	raise_resched(unsigned int cpu);
__attribute__((noreturn)) void	sched_start_cpu(void);

#endif
