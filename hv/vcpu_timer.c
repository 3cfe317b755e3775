/*
 * vCPU timers: a one-shot deadline (set_timer_op, VCPUOP singleshot) and
 * a periodic timer, both in system time, both raising VIRQ_TIMER. The
 * scheduler checks them on each tick of the CPU the vCPU runs on.
 */
#include <stdint.h>

#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/event.h>
#include <hv/sched.h>

void
vcpu_timer_check(struct vcpu *v, uint64_t now)
{
	int fire = 0;

	if (v->timer_deadline != 0 && v->timer_deadline <= now) {
		v->timer_deadline = 0;
		fire = 1;
	}
	if (v->periodic_period != 0 && v->periodic_next <= now) {
		/* Skip the missed periods at once: one event for them all. */
		v->periodic_next += ((now - v->periodic_next) /
		    v->periodic_period + 1) * v->periodic_period;
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
