/*
 * External interrupts: the local APIC timer (time slices and vCPU
 * timers), the reschedule, TLB flush and event kick IPIs. Devices' interrupts are domain 0's
 * business and come with the control plane.
 */
#include <stdbool.h>

#include <hv/console.h>
#include <hv/flush.h>
#include <hv/ioapic.h>
#include <hv/irq.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>

void
irq_dispatch(unsigned int vector, struct xm_cpu_user_regs *regs)
{
	static unsigned int unexpected;

	(void)regs;
	switch (vector) {
	case VECTOR_TIMER:
		apic_eoi();
		sched_tick();
		return;
	case VECTOR_RESCHEDULE:
		apic_eoi();
		this_cpu()->need_resched = true;
		return;
	case VECTOR_FLUSH:
		apic_eoi();
		flush_poll();
		return;
	case VECTOR_KICK:
		/* Its way back to the guest delivers the events. */
		apic_eoi();
		return;
	case VECTOR_SPURIOUS:
		return;			/* no EOI for spurious interrupts */
	}
	if (vector >= VECTOR_PIRQ_BASE && vector < VECTOR_PIRQ_BASE + NR_PIRQS) {
		pirq_interrupt(vector);
		return;
	}
	if (unexpected++ < 10)
		log_warn("unexpected interrupt, vector %#x", vector);
	apic_eoi();
}
