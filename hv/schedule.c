/*
 * The scheduler's core: vCPU states, blocking and waking, the switch on
 * the way back to a guest, vCPU timers, and the idle loop. The policy
 * (which vCPU next, for how long) is the struct scheduler in use.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <hv/bounce.h>
#include <hv/console.h>
#include <hv/context.h>
#include <hv/desc.h>
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

#include "sched_core.h"

static const struct scheduler *sched = &sched_credit;
static int	runstate_of(const struct vcpu *);
uint64_t	sched_tslice_ns;
static uint64_t	sched_tick_ns;		/* a third of the slice */

#define TSLICE_DEFAULT_MS	30
#define TSLICE_MAX_MS		1000

/* sched=credit|rr and sched_tslice_ms=N from hv's command line. */
void
sched_init(const char *cmdline)
{
	char val[16];
	uint64_t ms = TSLICE_DEFAULT_MS;
	unsigned int i;

	if (kcmdline_get(cmdline, "sched", val, sizeof(val))) {
		if (kstrcmp(val, "rr") == 0)
			sched = &sched_rr;
		else if (kstrcmp(val, "credit") != 0)
			log_warn("sched: unknown sched=%s, using %s", val,
			    sched->name);
	}
	if (kcmdline_get(cmdline, "sched_tslice_ms", val, sizeof(val)) &&
	    (kstrtou64(val, NULL, 10, &ms) != 0 || ms == 0 ||
	    ms > TSLICE_MAX_MS)) {
		log_warn("sched: sched_tslice_ms=%s is not 1..%u, using %u",
		    val, TSLICE_MAX_MS, TSLICE_DEFAULT_MS);
		ms = TSLICE_DEFAULT_MS;
	}
	for (i = 0; i < HV_MAX_CPUS; i++)
		spin_lock_init(&sched_cpus[i].lock);
	sched_tslice_ns = ms * 1000000ULL;
	sched_tick_ns = sched_tslice_ns / 3;
	sched->init(sched_tslice_ns);
	if (sched == &sched_credit)
		log_info("sched: credit scheduler, %lu ms time slice", ms);
	else
		log_info("sched: %s scheduler", sched->name);
}

unsigned int
sched_id(void)
{
	return sched->id;
}

void
sched_vcpu_init(struct vcpu *v)
{
	v->sched.cpumap = ~UINT64_C(0);
}

void
sched_dom_init(struct domain *d)
{
	d->sched.weight = XM_SCHED_WEIGHT_DEFAULT;
	d->sched.cap = 0;
}

bool
vcpu_can_run(const struct vcpu *v)
{
	return (v->state == VCPU_RUNNABLE || v->state == VCPU_RUNNING) &&
	    !v->pause_flag && v->domain->state == DOMAIN_RUNNING;
}

void
sched_enqueue(struct vcpu *v)
{
	if (!v->on_queue && vcpu_can_run(v)) {
		v->on_queue = true;
		sched->vcpu_insert(v);
	}
}

void
sched_dequeue(struct vcpu *v)
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

/* A vCPU starts being scheduled: when its domain first runs. */
void
sched_add_vcpu(struct vcpu *v)
{
	unsigned int cpu = sched_lock_placed(v);

	/* Its time before (offline) counts: the times add up to its age. */
	vcpu_runstate_change(v, runstate_of(v), time_now());
	v->sched.burn_since = v->runstate_since;
	if (v->state == VCPU_RUNNABLE)
		sched_enqueue(v);
	vcpu_sched_unlock(v, cpu);
	sched_tickle(v, cpu, false);	/* where placement put it */
}

/*
 * VCPUOP_up: a vCPU that is down (VCPU_OFFLINE) becomes runnable, on
 * the CPU it had or, the first time, on one of its own.
 */
void
vcpu_up(struct vcpu *v)
{
	unsigned int cpu = sched_lock_placed(v);

	if (v->state == VCPU_OFFLINE) {
		v->state = VCPU_RUNNABLE;
		vcpu_runstate_change(v, runstate_of(v), time_now());
		sched_enqueue(v);
	}
	vcpu_sched_unlock(v, cpu);
	sched_tickle(v, cpu, false);	/* where placement put it */
}

/* The other vCPUs of v's domain that are not down. */
static unsigned int
others_up(struct vcpu *v)
{
	struct domain *d = v->domain;
	unsigned int i, n = 0;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] != NULL && d->vcpus[i] != v &&
		    __atomic_load_n(&d->vcpus[i]->state, __ATOMIC_ACQUIRE) !=
		    VCPU_OFFLINE)
			n++;
	return n;
}

/*
 * VCPUOP_down: v stops at its next pass through hv (at once when it is
 * the caller) and nothing but vcpu_up starts it again.  Refused (false)
 * when no other vCPU of the domain is up: the caller shuts the domain
 * down instead, as Xen does.  d's lock keeps two vCPUs that take each
 * other down from both seeing the other still up.
 */
bool
vcpu_down(struct vcpu *v)
{
	struct domain *d = v->domain;
	unsigned int others, cpu;

	spin_lock(&d->lock);
	others = others_up(v);
	cpu = vcpu_sched_lock(v);
	if (others != 0 && v->state != VCPU_OFFLINE) {
		if (v->state != VCPU_RUNNING)
			vcpu_runstate_change(v, XM_RUNSTATE_OFFLINE,
			    time_now());
		__atomic_store_n(&v->state, VCPU_OFFLINE, __ATOMIC_RELEASE);
		sched_dequeue(v);
		raise_resched(cpu);
	}
	vcpu_sched_unlock(v, cpu);
	spin_unlock(&d->lock);
	return others != 0;
}

/*
 * v runs in its guest on another CPU: make that CPU pass through hv,
 * whose way back delivers v's pending events (no reschedule).
 */
static void
kick(unsigned int cpu)
{
	struct cpu_info *ci = percpu_get(cpu);

	if (ci != NULL && ci != this_cpu())
		apic_send_ipi(ci->apic_id, VECTOR_KICK);
}

/*
 * Events wake a blocked vCPU, never one that is down, and reach one
 * that runs on another CPU at once.
 */
void
vcpu_wake(struct vcpu *v)
{
	unsigned int cpu = vcpu_sched_lock(v);
	bool queued = false;

	if (v->state == VCPU_RUNNING)
		kick(cpu);
	if (v->state == VCPU_BLOCKED) {
		v->state = VCPU_RUNNABLE;
		if (sched->wake != NULL)
			sched->wake(v);
	}
	if (v->state == VCPU_RUNNABLE) {
		sched_enqueue(v);
		queued = v->on_queue;
	}
	vcpu_sched_unlock(v, cpu);
	if (queued) {
		if (!sched_may_run_on(v, cpu))
			sched_fix_cpu(v);
		else
			sched_tickle(v, cpu, sched->steals);
	}
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
	unsigned int cpu = vcpu_sched_lock(v);

	if (v->state == VCPU_OFFLINE) {		/* taken down meanwhile */
		vcpu_sched_unlock(v, cpu);
		return;
	}
	v->state = VCPU_BLOCKED;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (still_idle != NULL && !still_idle(v)) {
		v->state = VCPU_RUNNING;
		vcpu_sched_unlock(v, cpu);
		return;
	}
	sched_dequeue(v);
	raise_resched(cpu);
	vcpu_sched_unlock(v, cpu);
}

void
vcpu_pause(struct vcpu *v)
{
	unsigned int cpu = vcpu_sched_lock(v);

	v->pause_flag = true;
	sched_dequeue(v);
	raise_resched(cpu);
	vcpu_sched_unlock(v, cpu);
}

void
vcpu_unpause(struct vcpu *v)
{
	unsigned int cpu = vcpu_sched_lock(v);

	v->pause_flag = false;
	sched_enqueue(v);
	vcpu_sched_unlock(v, cpu);
	if (!sched_may_run_on(v, cpu))
		sched_fix_cpu(v);
	else
		sched_tickle(v, cpu, sched->steals);
}

void
vcpu_yield(struct vcpu *v)
{
	unsigned int cpu = vcpu_sched_lock(v);

	sched->yield(v);
	vcpu_sched_unlock(v, cpu);
	raise_resched(cpu);
}

/*
 * A domain's weight and cap (checked by the caller).  A new cap starts
 * with a full period's budget.
 */
int
sched_set_params(struct domain *d, uint32_t weight, uint32_t cap)
{
	uint32_t old_cap = d->sched.cap;

	d->sched.weight = weight;
	if (cap != old_cap)
		__atomic_store_n(&d->sched.budget, (int64_t)((uint64_t)cap *
		    sched_tslice_ns / 100), __ATOMIC_RELAXED);
	__atomic_store_n(&d->sched.cap, cap, __ATOMIC_RELEASE);
	log_info("d%u: scheduler weight %u, cap %u%%", d->id, weight, cap);
	return 0;
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

/*
 * Into the area the guest registered; its page tables are loaded.  With
 * the runstate_update_flag assist, as Xen: XM_RUNSTATE_UPDATE is set in
 * state_entry_time before the rest is written and cleared after, so
 * that another vCPU reading the area can tell a torn copy.  In user
 * mode a 64-bit PV kernel's area is usually not mapped: as Xen, the
 * copy is made again when the vCPU next enters its kernel
 * (toggle_guest_mode), and the area stays registered.
 */
void
vcpu_runstate_publish(struct vcpu *v)
{
	struct xm_vcpu_runstate_info ri;
	uint64_t entry = v->runstate_area +
	    offsetof(struct xm_vcpu_runstate_info, state_entry_time);
	bool flag = v->domain->vm_assist &
	    (1ULL << XM_VMASST_TYPE_RUNSTATE_UPDATE_FLAG);
	int rc = 0;

	if (v->runstate_area == 0)
		return;
	ri.state = v->runstate;
	ri.pad = 0;
	ri.state_entry_time = v->runstate_since | (flag ? XM_RUNSTATE_UPDATE :
	    0);
	ri.time[0] = v->runstate_time[0];
	ri.time[1] = v->runstate_time[1];
	ri.time[2] = v->runstate_time[2];
	ri.time[3] = v->runstate_time[3];
	if (flag) {
		rc |= copy_to_guest(entry, &ri.state_entry_time, 8);
		__atomic_thread_fence(__ATOMIC_RELEASE);
	}
	rc |= copy_to_guest(v->runstate_area, &ri, sizeof(ri));
	if (flag) {
		__atomic_thread_fence(__ATOMIC_RELEASE);
		ri.state_entry_time &= ~XM_RUNSTATE_UPDATE;
		rc |= copy_to_guest(entry, &ri.state_entry_time, 8);
	}
	v->runstate_pending = rc != 0 && !v->in_kernel;
}

/*
 * prev stops running here: charge it, requeue it if it may go on (on
 * this CPU only if its affinity allows; else it moves once it is off).
 */
static bool
put_prev(struct vcpu *prev, unsigned int cpu, uint64_t now)
{
	if (prev->state == VCPU_RUNNING)
		prev->state = VCPU_RUNNABLE;
	if (sched->descheduled != NULL)
		sched->descheduled(prev, now);
	vcpu_runstate_change(prev, runstate_of(prev), now);
	if (!sched_may_run_on(prev, cpu))
		return vcpu_can_run(prev);
	sched_enqueue(prev);
	return false;
}

/* The next deadline of this CPU's APIC timer. */
static void
arm_timer(struct cpu_info *ci, uint64_t timers)
{
	uint64_t t = timers < ci->slice_end ? timers : ci->slice_end;
	uint64_t tick = sched_cpus[ci->cpu].tick_next;

	if (ci->current != NULL && sched->tick != NULL && tick < t)
		t = tick;
	apic_timer_set(t);
}

void
schedule(void)
{
	struct cpu_info *ci = this_cpu();
	struct vcpu *prev = ci->current, *next;
	uint64_t now = time_now(), slice = 0, timers;
	unsigned int cpu = ci->cpu;
	bool move_prev = false;

	ci->need_resched = false;
	if (sched->periodic != NULL)
		sched->periodic(now);
	spin_lock(&sched_cpus[cpu].lock);
	if (prev != NULL)
		move_prev = put_prev(prev, cpu, now);
	next = sched->pick_next(cpu, now, &slice);
	if (next != NULL) {
		next->on_queue = false;
		next->state = VCPU_RUNNING;
		vcpu_runstate_change(next, XM_RUNSTATE_RUNNING, now);
		next->sched.burn_since = now;
		if (next != prev)
			sched_cpus[cpu].tick_next = now + sched_tick_ns;
	}
	sched_set_idle(cpu, next == NULL);
	spin_unlock(&sched_cpus[cpu].lock);
	if (next != prev)
		context_switch(prev, next);
	if (move_prev && prev != next)
		sched_fix_cpu(prev);	/* off this CPU: it may move now */
	if (next != NULL)
		vcpu_runstate_publish(next);
	timers = run_vcpu_timers(now);
	/* Idle with a slice: the policy wants to look again then. */
	ci->slice_end = slice != 0 ? now + slice : UINT64_MAX;
	arm_timer(ci, timers);
}

/* The policy's tick on a busy CPU: charge, maybe preempt. */
static void
policy_tick(struct cpu_info *ci, uint64_t now)
{
	struct sched_cpu *sc = &sched_cpus[ci->cpu];

	if (sched->tick == NULL || now < sc->tick_next)
		return;
	sc->tick_next = now + sched_tick_ns;
	spin_lock(&sc->lock);
	if (sched->tick(ci->cpu, ci->current, now))
		ci->need_resched = true;
	spin_unlock(&sc->lock);
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
	if (sched->periodic != NULL)
		sched->periodic(now);
	if (ci->current != NULL)
		policy_tick(ci, now);
	arm_timer(ci, timers);
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
		guest_raise(v, regs, TRAP_GP, 0);
	if (!vcpu_can_run(v))
		return false;
	failsafe_deliver(v, regs);
	if (!vcpu_can_run(v))
		return false;
	event_deliver_upcall(v, regs);
	context_fix_frame(regs);
	return vcpu_can_run(v);
}

/*
 * Last: v's descriptor tables are final on this CPU (another vCPU may
 * have changed one of its descriptors), and the frame's code selector
 * is one iretq can load; if not, v gets the fault at that frame.
 */
static bool
frame_cs_ready(struct vcpu *v, struct xm_cpu_user_regs *regs)
{
	unsigned int vec;
	uint32_t err;

	if (__atomic_load_n(&v->desc_stale, __ATOMIC_SEQ_CST))
		desc_refresh(v);
	vec = context_cs_fault(v, regs, &err);
	if (vec == 0)
		return true;
	guest_raise(v, regs, vec, err);
	return false;
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
		else if (frame_ready(ci->current, regs) &&
		    frame_cs_ready(ci->current, regs))
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
