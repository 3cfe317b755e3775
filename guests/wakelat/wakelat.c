/*
 * wakelat: the timer guest of figure P6.  Sleeps sleeps=N times for
 * period_us=U each (a one-shot timer, the vCPU blocked in between) and
 * measures by its own clock how late each wake-up is: how long after
 * the deadline it runs again.  Then prints the distribution and powers
 * off:
 *
 *	wakelat: start sleeps N period_us U
 *	wakelat: sleeps N p50_ns A p99_ns B max_ns C
 *
 * Late wake-ups come from waiting for the CPU: next to CPU hogs, a
 * scheduler that lets a waking vCPU preempt keeps them short.
 */
#include <stdint.h>

#include <klib/parse.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/time.h>

#define MAX_SLEEPS	20000

static uint64_t	late[MAX_SLEEPS];

static uint64_t
cmdline_number(const char *key, uint64_t dflt)
{
	char val[24];
	uint64_t n;

	if (kcmdline_get(guest_cmdline(), key, val, sizeof(val)) &&
	    kstrtou64(val, NULL, 0, &n) == 0 && n > 0)
		return n;
	return dflt;
}

/* Shell sort: a few thousand numbers, no library. */
static void
sort_u64(uint64_t *a, unsigned int n)
{
	unsigned int gap, i, j;
	uint64_t v;

	for (gap = n / 2; gap > 0; gap /= 2)
		for (i = gap; i < n; i++) {
			v = a[i];
			for (j = i; j >= gap && a[j - gap] > v; j -= gap)
				a[j] = a[j - gap];
			a[j] = v;
		}
}

/* The p-th percentile (nearest rank) of n sorted numbers. */
static uint64_t
percentile(const uint64_t *a, unsigned int n, unsigned int p)
{
	unsigned int rank = (n * p + 99) / 100;

	return a[rank > 0 ? rank - 1 : 0];
}

int
guest_main(void)
{
	uint64_t period, deadline, now;
	unsigned int n, i;

	n = (unsigned int)cmdline_number("sleeps", 1000);
	if (n > MAX_SLEEPS)
		n = MAX_SLEEPS;
	period = cmdline_number("period_us", 10000) * NSEC_PER_USEC;
	gprintf("wakelat: start sleeps %u period_us %lu\n", n,
	    period / NSEC_PER_USEC);
	for (i = 0; i < n; i++) {
		deadline = monotonic_ns() + period;
		sleep_until(deadline);
		now = monotonic_ns();
		late[i] = now - deadline;
	}
	sort_u64(late, n);
	gprintf("wakelat: sleeps %u p50_ns %lu p99_ns %lu max_ns %lu\n", n,
	    percentile(late, n, 50), percentile(late, n, 99), late[n - 1]);
	return 0;
}
