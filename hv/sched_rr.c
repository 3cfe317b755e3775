/*
 * The round-robin policy: one FIFO run queue per CPU, a fixed time
 * slice. Placeholder for the credit scheduler; the interface is the same.
 */
#include <stddef.h>
#include <stdint.h>

#include <hv/domain.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/spinlock.h>

#define RR_SLICE_NS	10000000ULL	/* 10 ms */

struct rr_queue {
	spinlock_t	lock;
	struct vcpu	*head;
	struct vcpu	*tail;
};

static struct rr_queue queues[HV_MAX_CPUS];

static void
rr_init(void)
{
	unsigned int i;

	for (i = 0; i < HV_MAX_CPUS; i++)
		spin_lock_init(&queues[i].lock);
}

static void
rr_insert(struct vcpu *v)
{
	struct rr_queue *q = &queues[v->processor];

	spin_lock(&q->lock);
	v->run_next = NULL;
	if (q->tail != NULL)
		q->tail->run_next = v;
	else
		q->head = v;
	q->tail = v;
	spin_unlock(&q->lock);
}

static void
rr_remove(struct vcpu *v)
{
	struct rr_queue *q = &queues[v->processor];
	struct vcpu **pp, *prev = NULL;

	spin_lock(&q->lock);
	for (pp = &q->head; *pp != NULL; prev = *pp, pp = &(*pp)->run_next) {
		if (*pp == v) {
			*pp = v->run_next;
			if (q->tail == v)
				q->tail = prev;
			break;
		}
	}
	v->run_next = NULL;
	spin_unlock(&q->lock);
}

static void
rr_yield(struct vcpu *v)
{
	(void)v;	/* the running vCPU goes to the tail anyway */
}

static struct vcpu *
rr_pick_next(unsigned int cpu, uint64_t now, uint64_t *slice)
{
	struct rr_queue *q = &queues[cpu];
	struct vcpu *v;

	(void)now;
	spin_lock(&q->lock);
	v = q->head;
	if (v != NULL) {
		q->head = v->run_next;
		if (q->head == NULL)
			q->tail = NULL;
		v->run_next = NULL;
	}
	spin_unlock(&q->lock);
	*slice = RR_SLICE_NS;
	return v;
}

const struct scheduler sched_rr = {
	.name = "rr",
	.init = rr_init,
	.vcpu_insert = rr_insert,
	.vcpu_remove = rr_remove,
	.yield = rr_yield,
	.pick_next = rr_pick_next,
};
