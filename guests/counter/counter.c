/*
 * counter: a domain that makes visible progress. It prints "counter N"
 * every period (default 250 ms) until it has printed limit lines (0:
 * forever), then powers off. Pausing the domain stops the count, which
 * is how the toolstack tests see pause and resume work.
 *
 *	counter [period_ms=N] [limit=N]
 */
#include <stdint.h>

#include <klib/parse.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/time.h>

static uint64_t
cmdline_number(const char *key, uint64_t dflt)
{
	char val[24];
	uint64_t n;

	if (kcmdline_get(guest_cmdline(), key, val, sizeof(val)) &&
	    kstrtou64(val, NULL, 10, &n) == 0)
		return n;
	return dflt;
}

int
guest_main(void)
{
	uint64_t period = cmdline_number("period_ms", 250) * 1000000ULL;
	uint64_t limit = cmdline_number("limit", 0), n;

	gprintf("counter: counting every %lu ms\n", period / 1000000);
	for (n = 1; limit == 0 || n <= limit; n++) {
		gprintf("counter %lu\n", n);
		sleep_ns(period);
	}
	gprintf("counter: done\n");
	return 0;
}
