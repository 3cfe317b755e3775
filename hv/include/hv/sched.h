/*
 * Scheduling. The core (schedule.c) keeps vCPU states, blocking, waking,
 * the switch and which CPU each vCPU is on; a policy is a const struct
 * of operations (Xen's struct scheduler): credit (the default,
 * sched_credit.c) or round-robin (sched_rr.c), chosen by sched= on hv's
 * command line.
 *
 * The policy's tick (charging the running vCPU, preempting it) comes
 * every third of a time slice.
 *
 * Locking: each CPU has a scheduler lock that covers its run queue and
 * the scheduling state (state, on_queue, pause_flag, the policy's part)
 * of every vCPU whose processor it is.  vcpu_sched_lock() finds and
 * takes that lock; a vCPU changes processor only with the locks of both
 * CPUs held, and only while it is on no CPU (on_cpu false), so that a
 * CPU never loads a vCPU whose registers another one is still saving.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

/* A vCPU's scheduling parameters and the credit policy's state. */
struct sched_vcpu {
	uint64_t	cpumap;		/* hard affinity: CPUs it may use */
	int64_t		credit;		/* ns it may still run as UNDER */
	uint64_t	burn_since;	/* run time charged up to here */
	uint64_t	used;		/* ns run in this period */
	bool		boost;		/* woke with credit: runs first */
	bool		blocked;	/* blocked in this period */
};

/* A domain's: its weight, cap, and what is left of its cap. */
struct sched_dom {
	uint32_t	weight;		/* 1..65535 */
	uint32_t	cap;		/* percent of one CPU, 0 = none */
	int64_t		budget;		/* ns left in this period if capped */
};

/*
 * A policy. Every operation but init runs with the scheduler lock of
 * the CPU concerned held: v->processor's for a vCPU, cpu's for
 * pick_next and tick; periodic runs with none.
 */
struct scheduler {
	const char	*name;
	unsigned int	id;				/* XM_SCHED_* */
	bool		steals;		/* idle CPUs take queued work */
	void		(*init)(uint64_t tslice_ns);
	void		(*vcpu_insert)(struct vcpu *);	/* now runnable */
	void		(*vcpu_remove)(struct vcpu *);	/* no longer */
	void		(*yield)(struct vcpu *);
	void		(*wake)(struct vcpu *);		/* was blocked */
	/* prev stops running on its CPU (charge what it used). */
	void		(*descheduled)(struct vcpu *, uint64_t now);
	/* The next vCPU for cpu (NULL: idle) and its time slice in ns. */
	struct vcpu	*(*pick_next)(unsigned int cpu, uint64_t now,
			    uint64_t *slice_ns);
	/* Every tick of a busy CPU: true when cur should stop now. */
	bool		(*tick)(unsigned int cpu, struct vcpu *cur,
			    uint64_t now);
	/* Often, with no scheduler lock held: accounting. */
	void		(*periodic)(uint64_t now);
};

extern const struct scheduler sched_rr;
extern const struct scheduler sched_credit;
extern uint64_t sched_tslice_ns;

void	sched_init(const char *cmdline);
unsigned int	sched_id(void);
void	sched_vcpu_init(struct vcpu *);
void	sched_dom_init(struct domain *);
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

/* Parameters (hv/domctl_sched.c): 0 or -EINVAL, nothing changed. */
int	sched_set_params(struct domain *, uint32_t weight, uint32_t cap);
int	sched_set_affinity(struct vcpu *, uint64_t cpumap);

/* For policies: the per-CPU locks, and moving a vCPU under them. */
unsigned int	vcpu_sched_lock(struct vcpu *);
/* Bit n: a placed vCPU of v's domain other than v is on CPU n now. */
uint64_t	sched_domain_cpus(const struct vcpu *);
void	vcpu_sched_unlock(struct vcpu *, unsigned int cpu);
bool	sched_trylock_cpu(unsigned int cpu);
void	sched_unlock_cpu(unsigned int cpu);
bool	sched_may_run_on(const struct vcpu *, unsigned int cpu);
uint64_t	sched_online_mask(void);

#endif
