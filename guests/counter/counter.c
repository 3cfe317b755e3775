/*
 * counter: a domain that makes visible progress. It prints "counter N"
 * every period (default 250 ms) until it has printed limit lines (0:
 * forever), then powers off. Pausing the domain stops the count, which
 * is how the toolstack tests see pause and resume work.  With
 * suspend_at=N it suspends itself after line N (SCHEDOP_shutdown with
 * SHUTDOWN_suspend), says what the call returned, and goes on.
 *
 *	counter [period_ms=N] [limit=N] [suspend_at=N]
 */
#include <stdint.h>

#include <klib/parse.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/time.h>

int
guest_main(void)
{
	uint64_t period = guest_cmdline_num("period_ms", 250, UINT64_MAX) *
	    1000000ULL;
	uint64_t limit = guest_cmdline_num("limit", 0, UINT64_MAX), n;
	uint64_t suspend_at = guest_cmdline_num("suspend_at", 0, UINT64_MAX);
	unsigned int irq;
	int rc;

	gprintf("counter: counting every %lu ms\n", period / 1000000);
	for (n = 1; limit == 0 || n <= limit; n++) {
		gprintf("counter %lu\n", n);
		if (n == suspend_at) {
			irq = local_irq_save();
			rc = HYPERVISOR_suspend(virt_to_mfn(guest_start_info));
			local_irq_restore(irq);
			gprintf("counter: suspend returned %d\n", rc);
		}
		sleep_ns(period);
	}
	gprintf("counter: done\n");
	return 0;
}
