/*
 * The scheduler's core: vCPU states, blocking and waking, the switch on
 * the way back to a guest, vCPU timers, and the idle loop. The policy
 * (which vCPU next, for how long) is the struct scheduler in use.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <hv/console.h>
#include <hv/context.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/irq.h>
#include <hv/percpu.h>
#include <hv/power.h>
#include <hv/sched.h>
#include <hv/spinlock.h>
#include <hv/stats.h>
#include <hv/time.h>
#include <hv/traps.h>
#include <hv/uart.h>

static const struct scheduler *sched = &sched_rr;
/* vCPU states and run-queue membership change only under this lock. */
static spinlock_t sched_lock = SPINLOCK_INIT;
static unsigned int next_cpu;
static int	runstate_of(const struct vcpu *);

void
sched_init(void)
{
	sched->init();
	log_info("sched: %s scheduler", sched->name);
}

static bool
vcpu_can_run(const struct vcpu *v)
{
	return (v->state == VCPU_RUNNABLE || v->state == VCPU_RUNNING) &&
	    !v->pause_flag && v->domain->state == DOMAIN_RUNNING;
}

static void
enqueue(struct vcpu *v)
{
	if (!v->on_queue && vcpu_can_run(v)) {
		v->on_queue = true;
		sched->vcpu_insert(v);
	}
}

static void
dequeue(struct vcpu *v)
{
	if (v->on_queue) {
		sched->vcpu_remove(v);
		v->on_queue = false;
	}
}

void
raise_resched(unsigned int cpu)
{
	struct cpu_info *ci = percpu_get(cpu);

	if (ci == NULL)
		return;
	ci->need_resched = true;
	if (ci != this_cpu())
		apic_send_ipi(ci->apic_id, VECTOR_RESCHEDULE);
}

/* Its CPU, for good: vCPUs do not migrate yet. */
static void
place(struct vcpu *v)
{
	if (!v->placed) {
		v->processor = next_cpu++ % nr_cpus_online;
		v->placed = true;
	}
}

/* A vCPU starts being scheduled: when its domain first runs. */
void
sched_add_vcpu(struct vcpu *v)
{
	spin_lock(&sched_lock);
	place(v);
	/* Its time before (offline) counts: the times add up to its age. */
	vcpu_runstate_change(v, runstate_of(v), time_now());
	if (v->state == VCPU_RUNNABLE)
		enqueue(v);
	spin_unlock(&sched_lock);
	raise_resched(v->processor);
}

/*
 * VCPUOP_up: a vCPU that is down (VCPU_OFFLINE) becomes runnable, on
 * the CPU it had or, the first time, on one of its own.
 */
void
vcpu_up(struct vcpu *v)
{
	spin_lock(&sched_lock);
	place(v);
	if (v->state == VCPU_OFFLINE) {
		v->state = VCPU_RUNNABLE;
		vcpu_runstate_change(v, runstate_of(v), time_now());
		enqueue(v);
	}
	spin_unlock(&sched_lock);
	raise_resched(v->processor);
}

/*
 * VCPUOP_down: v stops at its next pass through hv (at once when it is
 * the caller) and nothing but vcpu_up starts it again.  Refused (false)
 * when no other vCPU of the domain is up: the caller shuts the domain
 * down instead, as Xen does.
 */
bool
vcpu_down(struct vcpu *v)
{
	struct domain *d = v->domain;
	unsigned int i, others = 0;

	spin_lock(&sched_lock);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] != NULL && d->vcpus[i] != v &&
		    d->vcpus[i]->state != VCPU_OFFLINE)
			others++;
	if (others != 0 && v->state != VCPU_OFFLINE) {
		if (v->state != VCPU_RUNNING)
			vcpu_runstate_change(v, XM_RUNSTATE_OFFLINE,
			    time_now());
		v->state = VCPU_OFFLINE;
		dequeue(v);
		raise_resched(v->processor);
	}
	spin_unlock(&sched_lock);
	return others != 0;
}

/* Events wake a blocked vCPU, never one that is down. */
void
vcpu_wake(struct vcpu *v)
{
	spin_lock(&sched_lock);
	if (v->state == VCPU_BLOCKED)
		v->state = VCPU_RUNNABLE;
	if (v->state == VCPU_RUNNABLE) {
		enqueue(v);
		raise_resched(v->processor);
	}
	spin_unlock(&sched_lock);
}

/*
 * Block v unless still_idle() says an event already came: checked under
 * the lock after v is marked blocked, so that an event sent from another
 * CPU between the caller's own check and here wakes v instead of being
 * lost (vcpu_wake takes the same lock and sees BLOCKED).
 */
void
vcpu_block(struct vcpu *v, bool (*still_idle)(struct vcpu *))
{
	spin_lock(&sched_lock);
	if (v->state == VCPU_OFFLINE) {		/* taken down meanwhile */
		spin_unlock(&sched_lock);
		return;
	}
	v->state = VCPU_BLOCKED;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (still_idle != NULL && !still_idle(v)) {
		v->state = VCPU_RUNNING;
		spin_unlock(&sched_lock);
		return;
	}
	dequeue(v);
	raise_resched(v->processor);
	spin_unlock(&sched_lock);
}

void
vcpu_pause(struct vcpu *v)
{
	spin_lock(&sched_lock);
	v->pause_flag = true;
	dequeue(v);
	raise_resched(v->processor);
	spin_unlock(&sched_lock);
}

void
vcpu_unpause(struct vcpu *v)
{
	spin_lock(&sched_lock);
	v->pause_flag = false;
	enqueue(v);
	raise_resched(v->processor);
	spin_unlock(&sched_lock);
}

void
vcpu_yield(struct vcpu *v)
{
	sched->yield(v);
	raise_resched(v->processor);
}

/*
 * hv keeps the UART's interrupt to itself and does not route it yet: CPU
 * 0 polls it while domain 0 listens on VIRQ_CONSOLE, and tells domain 0
 * when input is waiting.
 */
#define CONSOLE_POLL_NS	20000000ULL

static uint64_t
console_poll(uint64_t now, uint64_t next)
{
	struct domain *d0 = domain_get(0);

	if (d0 == NULL || d0->state != DOMAIN_RUNNING ||
	    d0->virq_port[XM_VIRQ_CONSOLE] == 0)
		return next;
	if (uart_rx_ready())
		evtchn_send_virq(d0, XM_VIRQ_CONSOLE);
	return now + CONSOLE_POLL_NS < next ? now + CONSOLE_POLL_NS : next;
}

/* Fire the timers of the vCPUs that run on this CPU. */
static uint64_t
run_vcpu_timers(uint64_t now)
{
	uint64_t next = UINT64_MAX;
	unsigned int i, j, cpu = this_cpu()->cpu;

	domain_list_lock();	/* no domain is freed under our feet */
	for (i = 0; i < HV_MAX_DOMAINS; i++) {
		struct domain *d = domain_table[i];

		if (d == NULL || d->state != DOMAIN_RUNNING)
			continue;
		for (j = 0; j < d->max_vcpus; j++) {
			struct vcpu *v = d->vcpus[j];

			if (v == NULL || v->processor != cpu)
				continue;
			vcpu_timer_check(v, now);
			if (vcpu_timer_next(v) < next)
				next = vcpu_timer_next(v);
		}
	}
	domain_list_unlock();
	if (cpu == 0)
		next = console_poll(now, next);
	return next;
}

static int
runstate_of(const struct vcpu *v)
{
	if (v->state == VCPU_RUNNING)
		return XM_RUNSTATE_RUNNING;
	if (v->state == VCPU_BLOCKED)
		return XM_RUNSTATE_BLOCKED;
	if (v->state == VCPU_OFFLINE || v->pause_flag)
		return XM_RUNSTATE_OFFLINE;
	return XM_RUNSTATE_RUNNABLE;
}

void
vcpu_runstate_change(struct vcpu *v, int state, uint64_t now)
{
	if (now > v->runstate_since)
		v->runstate_time[v->runstate] += now - v->runstate_since;
	v->runstate_since = now;
	v->runstate = state;
}

/* Into the area the guest registered; its page tables are loaded. */
static void
runstate_publish(struct vcpu *v)
{
	struct xm_vcpu_runstate_info ri;

	if (v->runstate_area == 0)
		return;
	ri.state = v->runstate;
	ri.pad = 0;
	ri.state_entry_time = v->runstate_since;
	ri.time[0] = v->runstate_time[0];
	ri.time[1] = v->runstate_time[1];
	ri.time[2] = v->runstate_time[2];
	ri.time[3] = v->runstate_time[3];
	if (copy_to_guest(v->runstate_area, &ri, sizeof(ri)) != 0)
		v->runstate_area = 0;	/* unmapped: stop trying */
}

void
schedule(void)
{
	struct cpu_info *ci = this_cpu();
	struct vcpu *prev = ci->current, *next;
	uint64_t now = time_now(), slice, timers;

	ci->need_resched = false;
	spin_lock(&sched_lock);
	if (prev != NULL) {
		if (prev->state == VCPU_RUNNING)
			prev->state = VCPU_RUNNABLE;
		vcpu_runstate_change(prev, runstate_of(prev), now);
		enqueue(prev);
	}
	next = sched->pick_next(ci->cpu, now, &slice);
	if (next != NULL) {
		next->on_queue = false;
		next->state = VCPU_RUNNING;
		vcpu_runstate_change(next, XM_RUNSTATE_RUNNING, now);
	}
	spin_unlock(&sched_lock);
	if (next != prev)
		context_switch(prev, next);
	if (next != NULL)
		runstate_publish(next);
	timers = run_vcpu_timers(now);
	ci->slice_end = next != NULL ? now + slice : UINT64_MAX;
	apic_timer_set(timers < ci->slice_end ? timers : ci->slice_end);
}

/* Timer interrupt: fire due vCPU timers, end the slice if it is over. */
void
sched_tick(void)
{
	struct cpu_info *ci = this_cpu();
	uint64_t now = time_now(), timers;

	timers = run_vcpu_timers(now);
	if (now >= ci->slice_end)
		ci->need_resched = true;
	apic_timer_set(timers < ci->slice_end ? timers : ci->slice_end);
}

static void
idle_wait(void)
{
	if (domains_alive() == 0 && this_cpu()->cpu == 0)
		power_all_domains_done();
	/* Nothing held from here: the interrupt that wakes it starts anew. */
	__atomic_add_fetch(&this_cpu()->quiesce_gen, 1, __ATOMIC_RELEASE);
	stats_idle_begin();
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	stats_idle_end();
}

/*
 * The frame v returns with is one hv's iretq cannot fault on (a rip the
 * CPU would not run is the guest's #GP, as on hardware), with pending
 * events delivered. False when v may no longer run (it crashed).
 */
static bool
frame_ready(struct vcpu *v, struct xm_cpu_user_regs *regs)
{
	context_fix_frame(regs);
	if (context_frame_fault(regs) != NULL)
		guest_raise(v, regs, 13, 0);
	if (!vcpu_can_run(v))
		return false;
	event_deliver_upcall(v, regs);
	context_fix_frame(regs);
	return vcpu_can_run(v);
}

/*
 * On the way out to a guest, interrupts off: switch if asked, idle while
 * nothing can run, then make the chosen vCPU's frame ready.
 */
void
prepare_return_to_guest(struct xm_cpu_user_regs *regs)
{
	struct cpu_info *ci;

	for (;;) {
		ci = this_cpu();
		if (ci->need_resched || ci->current == NULL ||
		    !vcpu_can_run(ci->current))
			schedule();
		if (ci->current == NULL)
			idle_wait();
		else if (frame_ready(ci->current, regs))
			break;
	}
	/* Out of hv: no domain pointer of this hypercall is used now. */
	__atomic_add_fetch(&ci->quiesce_gen, 1, __ATOMIC_RELEASE);
}

void
sched_start_cpu(void)
{
	struct cpu_info *ci = this_cpu();

	ci->slice_end = UINT64_MAX;
	enter_guest_first(&ci->guest_regs);
}
