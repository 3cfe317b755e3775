/*
 * vCPU timers: a one-shot deadline (set_timer_op, VCPUOP singleshot) and
 * a periodic timer, both in system time, both raising VIRQ_TIMER. The
 * scheduler checks them on each tick of the CPU the vCPU runs on.
 */
#include <stdint.h>

#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>

/*
 * The periodic timer's next tick after now (it is due), in one step
 * however late it is.  A period that would carry it past the end of
 * system time (a guest may ask for up to 2^64 - 1 ns) leaves no next
 * tick: adding such a period wraps, and catching up one period at a
 * time went backwards, for as many steps as the uptime in ns divided by
 * the distance to 2^64, with the CPU's interrupts off.
 */
static void
periodic_advance(struct vcpu *v, uint64_t now)
{
	uint64_t p = v->periodic_period;
	uint64_t steps = (now - v->periodic_next) / p + 1;

	if (steps > (UINT64_MAX - v->periodic_next) / p) {
		v->periodic_next = UINT64_MAX;
		return;
	}
	v->periodic_next += steps * p;
}

void
vcpu_timer_check(struct vcpu *v, uint64_t now)
{
	int fire = 0;

	if (v->timer_deadline != 0 && v->timer_deadline <= now) {
		v->timer_deadline = 0;
		fire = 1;
	}
	if (v->periodic_period != 0 && v->periodic_next <= now) {
		periodic_advance(v, now);
		fire = 1;
	}
	if (fire)
		evtchn_send_virq_vcpu(v, XM_VIRQ_TIMER);
	if (v->poll_deadline != 0 && v->poll_deadline <= now) {
		v->poll_deadline = 0;		/* SCHEDOP_poll timed out */
		v->poll_mask_port = 0;
		vcpu_wake(v);
	}
}

/* v's timers were changed: fire what is due, reprogram v's CPU. */
void
vcpu_timer_changed(struct vcpu *v, uint64_t now)
{
	vcpu_timer_check(v, now);
	raise_resched(v->processor);	/* reprograms the APIC timer */
}

/* The earliest of v's timers, UINT64_MAX when none is set. */
uint64_t
vcpu_timer_next(const struct vcpu *v)
{
	uint64_t next = UINT64_MAX;

	if (v->timer_deadline != 0)
		next = v->timer_deadline;
	if (v->periodic_period != 0 && v->periodic_next < next)
		next = v->periodic_next;
	if (v->poll_deadline != 0 && v->poll_deadline < next)
		next = v->poll_deadline;
	return next;
}

/* set_timer_op: the caller's one-shot deadline; 0 stops it. */
long
do_set_timer_op(uint64_t deadline)
{
	struct vcpu *v = current_vcpu();

	v->timer_deadline = deadline;
	vcpu_timer_changed(v, time_now());
	return 0;
}
