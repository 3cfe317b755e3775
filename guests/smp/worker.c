/*
 * guests/smp's workers, vCPUs 1..N-1: each polls its two ports with
 * events masked (as Linux waits in its spinlock slow path), does what
 * its mailbox says and signals vCPU 0.  They never print: the console
 * buffer is vCPU 0's.
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/event_channel.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/time.h>
#include <guest/traps.h>
#include <guest/vcpu.h>

#include "smp.h"

#define STACK_SIZE	16384
#define POLL_LIMIT_NS	(10 * NSEC_PER_SEC)

static uint8_t stacks[SMP_MAX_VCPUS][STACK_SIZE] __attribute__((aligned(16)));

uint64_t
smp_job(uint64_t seed, uint64_t lo, uint64_t hi)
{
	uint64_t sum = 0, x, i;

	for (i = lo; i < hi; i++) {
		x = (seed ^ i) * UINT64_C(0x9e3779b97f4a7c15);
		x ^= x >> 29;
		x *= UINT64_C(0xbf58476d1ce4e5b9);
		sum += x ^ (x >> 32);
	}
	return sum;
}

/* Clear port's pending bit; whether it was set. */
static int
take_pending(xm_evtchn_port_t port)
{
	uint64_t bit = UINT64_C(1) << (port % 64);

	return (__atomic_fetch_and(&guest_shared_info->evtchn_pending[port /
	    64], ~bit, __ATOMIC_SEQ_CST) & bit) != 0;
}

static long
poll(xm_evtchn_port_t *ports, unsigned int n, uint64_t timeout_abs)
{
	struct xm_sched_poll p = { 0 };

	p.ports = (uint64_t)ports;
	p.nr_ports = n;
	p.timeout = timeout_abs;
	return HYPERVISOR_sched_op(XM_SCHEDOP_POLL, &p);
}

static void
notify(xm_evtchn_port_t port)
{
	struct xm_evtchn_send s = { .port = port };

	(void)HYPERVISOR_event_channel_op(XM_EVTCHNOP_SEND, &s);
}

/*
 * Wait for either port: 1 when one came, 0 on the limit (10 s: a loaded
 * host can hold a TCG vCPU off for seconds; a lost wake-up is forever).
 */
static int
wait_signal(struct smp_worker *w)
{
	xm_evtchn_port_t ports[2] = { w->ipi_port, w->moved_port };
	uint64_t deadline = monotonic_ns() + POLL_LIMIT_NS;
	int ipi, moved;

	for (;;) {
		ipi = take_pending(ports[0]);
		moved = take_pending(ports[1]);
		if (ipi || moved)
			break;
		if (monotonic_ns() >= deadline)
			return 0;
		(void)poll(ports, 2, deadline);
	}
	w->woke_ipi += ipi;
	w->woke_moved += moved;
	return 1;
}

static void
timeout_test(struct smp_worker *w)
{
	uint64_t start = monotonic_ns();

	/* vCPU 0 never signals this one: only the timeout ends it. */
	w->timeout_rc = poll(&w->idle_port, 1, start + w->timeout_ns);
	w->timeout_took = monotonic_ns() - start;
}

static void __attribute__((noreturn))
worker_main(uint64_t vcpu)
{
	struct smp_worker *w = &smp_workers[vcpu];
	uint64_t cmd, done = 0;

	traps_init();		/* set_trap_table is per vCPU */
	__atomic_store_n(&w->started, vcpu + 1, __ATOMIC_RELEASE);
	notify(w->done_port);
	for (;;) {
		if (!wait_signal(w)) {
			w->late++;
			continue;
		}
		w->wakeups++;
		cmd = __atomic_load_n(&w->cmd, __ATOMIC_ACQUIRE);
		/* Not a new round: binding a loopback port signals it. */
		if (cmd == SMP_IDLE || w->round == done)
			continue;
		done = w->round;
		if (cmd == SMP_WORK)
			w->result = smp_job(w->seed, w->lo, w->hi);
		else if (cmd == SMP_TIMEOUT)
			timeout_test(w);
		else if (cmd == SMP_DESC)
			smp_desc_worker(w, (unsigned int)vcpu);
		else if (cmd == SMP_DOWN) {
			__atomic_store_n(&w->acked, w->round, __ATOMIC_RELEASE);
			w->down_rc = HYPERVISOR_vcpu_op(XM_VCPUOP_DOWN,
			    (int)vcpu, NULL);
			continue;
		}
		__atomic_store_n(&w->acked, w->round, __ATOMIC_RELEASE);
		notify(w->done_port);
	}
}

void
smp_worker_context(struct xm_vcpu_guest_context *c, unsigned int vcpu)
{
	vcpu_context_init(c, worker_main, stacks[vcpu] + STACK_SIZE, vcpu);
}
