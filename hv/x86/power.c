/*
 * Stopping the machine. Under QEMU with isa-debug-exit wired (as the
 * runner does) and `poweroff` on hv's command line, hv leaves QEMU with
 * an exit code that tests read; otherwise it halts for good. The code is
 * written plus one so that QEMU's own failure (status 1) stays apart.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xm/sched.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/power.h>
#include <hv/x86.h>

#define DEBUG_EXIT_PORT	0xf4

static bool debug_exit;

void
power_set_debug_exit(bool on)
{
	debug_exit = on;
}

void
machine_stop(int code)
{
	__asm__ volatile("cli");
	if (debug_exit)
		outl(DEBUG_EXIT_PORT, (uint32_t)code + 1);
	cpu_halt_forever();
}

/*
 * Nothing is left to run. With `poweroff`, end the run: 0 when every
 * domain powered off, else 10 + the highest other shutdown reason
 * (13 when one crashed).
 */
void
power_all_domains_done(void)
{
	static bool said;
	unsigned int i, worst = XM_SHUTDOWN_POWEROFF;

	for (i = 0; i < HV_MAX_DOMAINS; i++) {
		struct domain *d = domain_table[i];

		if (d != NULL && d->state == DOMAIN_SHUTDOWN &&
		    d->shutdown_reason > worst)
			worst = d->shutdown_reason;
	}
	if (debug_exit) {
		log_info("no domain left running: powering off");
		machine_stop(worst == XM_SHUTDOWN_POWEROFF ? HV_EXIT_OK :
		    HV_EXIT_SHUTDOWN_BASE + (int)worst);
	}
	if (!said)
		log_info("no domain left running");
	said = true;
}
