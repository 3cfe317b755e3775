/*
 * The vCPU timer: hv raises VIRQ_TIMER when the one-shot deadline (or
 * a periodic tick) passes.  sleep_until() arms the one-shot and blocks
 * until system time has reached the deadline, re-arming if it woke
 * early for some other event.
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/time.h>

static int			timer_port = -1;
static volatile uint64_t	timer_tick_count;

static void
timer_tick(xm_evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	timer_tick_count++;
}

int
timer_init(void)
{
	int port, rc;

	if (timer_port >= 0)
		return 0;
	port = evtchn_bind_virq(XM_VIRQ_TIMER);
	if (port < 0)
		return port;
	rc = evtchn_bind(port, timer_tick, NULL);
	if (rc < 0)
		return rc;
	timer_port = port;
	/* Xen starts PV vCPUs with a 100 Hz tick; its absence is fine. */
	(void)timer_stop_periodic();
	return 0;
}

/*
 * The VIRQ_TIMER port and the timers armed are the old domain's; a
 * sleep_until() deadline is armed again on its next round, and system
 * time goes on (same node), so one that passed meanwhile just expires.
 */
int
timer_resume(void)
{
	if (timer_port < 0)
		return 0;
	timer_port = -1;
	return timer_init();
}

uint64_t
timer_ticks(void)
{
	return timer_tick_count;
}

int
timer_set_oneshot(uint64_t deadline_ns)
{
	struct xm_vcpu_set_singleshot_timer op = {
		.timeout_abs_ns = deadline_ns,
	};

	if (deadline_ns == 0)
		return HYPERVISOR_vcpu_op(XM_VCPUOP_STOP_SINGLESHOT_TIMER, 0,
		    NULL);
	return HYPERVISOR_vcpu_op(XM_VCPUOP_SET_SINGLESHOT_TIMER, 0, &op);
}

int
timer_set_timer_op(uint64_t deadline_ns)
{
	return HYPERVISOR_set_timer_op(deadline_ns);
}

int
timer_set_periodic(uint64_t period_ns)
{
	struct xm_vcpu_set_periodic_timer op = { .period_ns = period_ns };

	return HYPERVISOR_vcpu_op(XM_VCPUOP_SET_PERIODIC_TIMER, 0, &op);
}

int
timer_stop_periodic(void)
{
	return HYPERVISOR_vcpu_op(XM_VCPUOP_STOP_PERIODIC_TIMER, 0, NULL);
}

static void
timer_must_init(void)
{
	int rc = timer_init();

	if (rc < 0) {
		gprintf("guest: cannot bind VIRQ_TIMER (%d)\n", rc);
		guest_exit(1);
	}
}

void
sleep_until(uint64_t deadline_ns)
{
	timer_must_init();
	for (;;) {
		local_irq_disable();
		if (monotonic_ns() >= deadline_ns)
			break;
		/* Armed with events off: the tick cannot slip past us. */
		if (timer_set_oneshot(deadline_ns) < 0 &&
		    timer_set_timer_op(deadline_ns) < 0) {
			/* No timer at all: spin rather than sleep forever. */
			local_irq_enable();
			continue;
		}
		guest_block();
	}
	local_irq_enable();
}

void
sleep_ns(uint64_t ns)
{
	sleep_until(monotonic_ns() + ns);
}

void
timer_wait_tick(void)
{
	uint64_t seen;

	timer_must_init();
	local_irq_disable();
	seen = timer_tick_count;
	while (timer_tick_count == seen) {
		guest_block();
		local_irq_disable();
	}
	local_irq_enable();
}
