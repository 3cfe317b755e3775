/*
 * vCPU timers: a one-shot deadline (set_timer_op, VCPUOP singleshot) and
 * a periodic timer, both in system time, both raising VIRQ_TIMER. The
 * scheduler checks them on each tick of the CPU the vCPU runs on.
 */
#include <stdint.h>

#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/event.h>

void
vcpu_timer_check(struct vcpu *v, uint64_t now)
{
	int fire = 0;

	if (v->timer_deadline != 0 && v->timer_deadline <= now) {
		v->timer_deadline = 0;
		fire = 1;
	}
	if (v->periodic_period != 0 && v->periodic_next <= now) {
		while (v->periodic_next <= now)
			v->periodic_next += v->periodic_period;
		fire = 1;
	}
	if (fire)
		evtchn_send_virq_vcpu(v, XM_VIRQ_TIMER);
}
