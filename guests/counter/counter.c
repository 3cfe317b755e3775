/*
 * counter: a domain that makes visible progress. It prints "counter N"
 * every period (default 250 ms) until it has printed limit lines (0:
 * forever), then powers off. Pausing the domain stops the count, which
 * is how the toolstack tests see pause and resume work.
 *
 * With suspend_at=N it suspends itself after line N (guest_suspend():
 * SCHEDOP_shutdown with SHUTDOWN_suspend), says what the call returned
 * (1: the suspend was cancelled, 0: this is a domain restored from a
 * save) and goes on counting.
 *
 * With xs_control=1 it answers xenstore's control/shutdown as a Linux
 * domU does: it advertises control/feature-poweroff, -reboot and
 * -suspend, and a request there is cleared, then carried out:
 * "suspend" as suspend_at does, "poweroff" or "halt" a poweroff,
 * "reboot" a reboot.  The key is watched and, as Linux's xenbus thread
 * does, the request is carried out when the watch fires: between lines
 * the counter waits for the watch's event as well as for the time of
 * the next line.  With control_delay_ms=N it carries a request out N ms
 * after it came (a guest slow to suspend, busy as a loaded Linux can
 * be), so that what a toolstack does meanwhile can be tried.
 *
 * With dirty_kib=N it keeps N KiB of its memory (at most 64 MiB) and
 * writes dirty_pages=P of those pages each period (default all): a
 * writer for live migration.  Before each suspend and after it returns
 * it prints a checksum of that memory ("counter: memory sum S"): the
 * two are equal when nothing was lost.
 *
 * A domain restored from a save says how long it was stopped by its own
 * wall clock, from just before its suspend call to just after it
 * returned ("counter: stopped for N us"): a migration's downtime as the
 * guest sees it, when the two nodes' clocks agree (hv's clock=rtc).
 *
 *	counter [period_ms=N] [limit=N] [suspend_at=N] [xs_control=1]
 *	    [control_delay_ms=N] [dirty_kib=N] [dirty_pages=P]
 */
#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <xm/sched.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/mm.h>
#include <guest/suspend.h>
#include <guest/time.h>
#include <guest/xs.h>

#define CTL_PATH	"control/shutdown"
#define CTL_TOKEN	"ctl"

#define DIRTY_MAX	16384		/* pages: 64 MiB */

static int	xs_control;	/* listening on control/shutdown */
static uint64_t	control_delay;	/* ns before a request is carried out */
static xm_pfn_t	dirty_pfn[DIRTY_MAX];
static uint64_t	dirty_n, dirty_per, dirty_at;

/* The pages to write, from the frame allocator. */
static void
dirty_init(void)
{
	uint64_t kib = guest_cmdline_num("dirty_kib", 0, DIRTY_MAX * 4);

	if (kib == 0)
		return;
	if (mm_init() != 0) {
		gprintf("counter: mm_init failed: dirty_kib is off\n");
		return;
	}
	while (dirty_n < kib / 4 && frame_alloc(&dirty_pfn[dirty_n]) == 0)
		dirty_n++;
	dirty_per = guest_cmdline_num("dirty_pages", dirty_n, dirty_n);
	gprintf("counter: writing %lu of %lu pages each period\n", dirty_per,
	    dirty_n);
}

/* dirty_per pages on from where the last period stopped, stamped n. */
static void
dirty_write(uint64_t n)
{
	uint64_t i, *p;

	for (i = 0; i < dirty_per && dirty_n > 0; i++) {
		p = pfn_to_virt(dirty_pfn[dirty_at]);
		p[(n + dirty_at) % (PAGE_SIZE / 8)] = n ^ dirty_at;
		p[0] = n;
		dirty_at = (dirty_at + 1) % dirty_n;
	}
}

static uint64_t
dirty_sum(void)
{
	uint64_t h = 1469598103934665603ULL, i, j;
	const uint64_t *p;

	for (i = 0; i < dirty_n; i++) {
		p = pfn_to_virt(dirty_pfn[i]);
		for (j = 0; j < PAGE_SIZE / 8; j++)
			h = (h ^ p[j]) * 1099511628211ULL;
	}
	return h;
}

/* As Linux's xenbus: the features, then the watch (it fires at once). */
static void
control_listen(void)
{
	if (xs_write(0, "control/feature-poweroff", "1") != 0 ||
	    xs_write(0, "control/feature-reboot", "1") != 0 ||
	    xs_write(0, "control/feature-suspend", "1") != 0 ||
	    xs_watch(CTL_PATH, CTL_TOKEN) != 0) {
		gprintf("counter: cannot listen on " CTL_PATH ": %s\n",
		    xs_error());
		xs_control = 0;
	}
}

static void
control_init(void)
{
	if (xs_init() != 0) {
		gprintf("counter: no xenstore (%s): xs_control is off\n",
		    xs_error());
		return;
	}
	xs_control = 1;
	control_listen();
}

static int64_t
wallclock_ns(void)
{
	uint64_t sec;
	uint32_t nsec;

	wallclock(&sec, &nsec);
	return (int64_t)(sec * NSEC_PER_SEC + nsec);
}

static void
suspend(void)
{
	int64_t before, after;
	int rc;

	if (dirty_n > 0)
		gprintf("counter: memory sum %lx\n", dirty_sum());
	before = wallclock_ns();
	rc = guest_suspend();
	after = wallclock_ns();
	gprintf("counter: suspend returned %d\n", rc);
	if (rc == 0)
		gprintf("counter: stopped for %ld us\n",
		    (after - before) / 1000);
	if (dirty_n > 0)
		gprintf("counter: memory sum %lx\n", dirty_sum());
	/* A restored domain has a new store connection, without our watch. */
	if (rc == 0 && xs_control)
		control_listen();
}

/*
 * A request in control/shutdown: acknowledged by clearing it, as Linux.
 * 1 after a suspend (the clock may be another node's now), else 0.
 */
static int
control_act(void)
{
	char v[32];

	if (xs_read(0, CTL_PATH, v, sizeof(v)) != 0 || v[0] == '\0')
		return 0;
	(void)xs_write(0, CTL_PATH, "");
	gprintf("counter: " CTL_PATH " says \"%s\"\n", v);
	if (control_delay != 0)
		sleep_until(monotonic_ns() + control_delay);
	if (kstrcmp(v, "suspend") == 0) {
		suspend();
		return 1;
	} else if (kstrcmp(v, "poweroff") == 0 || kstrcmp(v, "halt") == 0)
		guest_shutdown(XM_SHUTDOWN_POWEROFF);
	else if (kstrcmp(v, "reboot") == 0)
		guest_shutdown(XM_SHUTDOWN_REBOOT);
	return 0;
}

/*
 * A period, answering control/shutdown whenever its watch fires; after
 * a suspend the next line comes at once (the deadline was the old
 * node's system time).
 */
static void
wait_line(uint64_t period)
{
	char path[XS_EVENT_STR_MAX], token[XS_EVENT_STR_MAX];
	uint64_t now, deadline = monotonic_ns() + period;

	if (!xs_control) {
		sleep_until(deadline);
		return;
	}
	while ((now = monotonic_ns()) < deadline)
		if (xs_watch_event(path, token, deadline - now) == 0 &&
		    kstrcmp(token, CTL_TOKEN) == 0 && control_act())
			return;
}

int
guest_main(void)
{
	uint64_t period = guest_cmdline_num("period_ms", 250, UINT64_MAX) *
	    1000000ULL;
	uint64_t limit = guest_cmdline_num("limit", 0, UINT64_MAX), n;
	uint64_t suspend_at = guest_cmdline_num("suspend_at", 0, UINT64_MAX);

	control_delay = guest_cmdline_num("control_delay_ms", 0, 3600000) *
	    1000000ULL;
	gprintf("counter: counting every %lu ms\n", period / 1000000);
	if (guest_cmdline_num("xs_control", 0, 1))
		control_init();
	dirty_init();
	for (n = 1; limit == 0 || n <= limit; n++) {
		gprintf("counter %lu\n", n);
		dirty_write(n);
		if (n == suspend_at)
			suspend();
		wait_line(period);
	}
	gprintf("counter: done\n");
	return 0;
}
