/*
 * The round-robin policy (sched=rr): one FIFO run queue per CPU, a fixed
 * time slice, no weights (kept, without effect) and no stealing; a vCPU
 * changes CPU only when its affinity sends it elsewhere.  The queues are
 * under the CPUs' scheduler locks (hv/schedule.c).
 */
#include <stddef.h>
#include <stdint.h>

#include <xm/domctl.h>

#include <hv/domain.h>
#include <hv/percpu.h>
#include <hv/sched.h>

#define RR_SLICE_NS	10000000ULL	/* 10 ms */

struct rr_queue {
	struct vcpu	*head;
	struct vcpu	*tail;
};

static struct rr_queue queues[HV_MAX_CPUS];

static void
rr_init(uint64_t tslice)
{
	(void)tslice;		/* its own slice, as before */
}

static void
rr_insert(struct vcpu *v)
{
	struct rr_queue *q = &queues[v->processor];

	v->run_next = NULL;
	if (q->tail != NULL)
		q->tail->run_next = v;
	else
		q->head = v;
	q->tail = v;
}

static void
rr_remove(struct vcpu *v)
{
	struct rr_queue *q = &queues[v->processor];
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
rr_yield(struct vcpu *v)
{
	(void)v;	/* the running vCPU goes to the tail anyway */
}

/* The first queued vCPU that may run here (others are about to move). */
static struct vcpu *
rr_pick_next(unsigned int cpu, uint64_t now, uint64_t *slice)
{
	struct rr_queue *q = &queues[cpu];
	struct vcpu *v;

	(void)now;
	for (v = q->head; v != NULL && !sched_may_run_on(v, cpu);
	    v = v->run_next)
		continue;
	if (v != NULL)
		rr_remove(v);
	*slice = v != NULL ? RR_SLICE_NS : 0;
	return v;
}

const struct scheduler sched_rr = {
	.name = "rr",
	.id = XM_SCHED_RR,
	.init = rr_init,
	.vcpu_insert = rr_insert,
	.vcpu_remove = rr_remove,
	.yield = rr_yield,
	.pick_next = rr_pick_next,
};
