/*
 * fuzz: a domU that throws random and structured-random hypercalls at
 * hv (fuzz.h says how a call is made), then checks that it still stands
 * on its own feet.  Results are TAP lines; hv's own health is judged by
 * the boot test from hv's console and from the other domains.
 *
 * Command line:
 *   seed=N	the run's seed (default: from the TSC); printed first, so
 *		that a failure replays
 *   calls=N	calls to make (default 100000)
 *   every=N	a progress line every N calls (default 16384): calls
 *		done, calls/s (system time), distinct (hypercall, cmd,
 *		result) triples, faults, and the last call
 *   check=N	check its own live mappings every N calls (default 4096)
 *   trace=N	print each call from call N on, before making it: with
 *		the seed, what a hang was doing
 *   paths=1	print every (hypercall, cmd, result) triple at the end
 *   only=G+G	only these generators (gen_misc.c's names), to narrow
 *		a failure down
 *   stall=N	fail if a call took N ms or more (default 5000): hv kept
 *		the vCPU from running that long (under TCG on a loaded
 *		host, QEMU itself may; give it room there)
 *
 * A run replays exactly only alone on one CPU: the results of calls
 * (frames gained, ports bound) feed the next ones, and beside other
 * domains they depend on timing.
 */

#include <stdint.h>

#include <klib/parse.h>

#include <xm/event_channel.h>
#include <xm/hypercall.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <guest/time.h>

#include "fuzz.h"
#include "hostile.h"

#define EVENTS_EVERY	256	/* calls between windows for events */
/* A call this long (system time) is reported; one of stall= ms fails. */
#define SLOW_NS		NSEC_PER_SEC

static struct {
	uint64_t	seed;
	uint64_t	calls;
	uint64_t	every;
	uint64_t	check;
	uint64_t	trace;
	uint64_t	stall_ns;
	uint64_t	paths;
} opt;
static uint64_t	longest_ns;

static int
options(void)
{
	char only[128];

	opt.seed = guest_cmdline_num("seed", rdtsc(), UINT64_MAX);
	opt.calls = guest_cmdline_num("calls", 100000, UINT64_MAX);
	opt.every = guest_cmdline_num("every", 16384, UINT64_MAX);
	opt.check = guest_cmdline_num("check", 4096, UINT64_MAX);
	opt.trace = guest_cmdline_num("trace", ~UINT64_C(0), UINT64_MAX);
	opt.stall_ns = guest_cmdline_num("stall", 5000, UINT64_MAX) *
	    NSEC_PER_MSEC;
	opt.paths = guest_cmdline_num("paths", 0, UINT64_MAX);
	if (opt.every == 0)
		opt.every = ~UINT64_C(0);
	if (opt.check == 0)
		opt.check = ~UINT64_C(0);
	if (kcmdline_get(guest_cmdline(), "only", only, sizeof(only)))
		return gen_only(only);
	return 0;
}

static uint64_t
per_second(uint64_t n, uint64_t ns)
{
	return ns == 0 ? 0 : n * NSEC_PER_SEC / ns;
}

static void
progress(uint64_t done, uint64_t start, const struct fz_call *last)
{
	char what[256];

	call_describe(last, 1, what, sizeof(what));
	test_diag("fuzz: %lu calls, %lu calls/s, %u distinct paths, %lu "
	    "faults; last: %s", done, per_second(done, monotonic_ns() -
	    start), stats_distinct(), stats_faults(), what);
}

/* A call (or the events after it) that took long: hv hung a while. */
static void
timed(const struct fz_call *c, uint64_t n, uint64_t t0)
{
	uint64_t ns = monotonic_ns() - t0;

	if (ns > longest_ns)
		longest_ns = ns;
	if (ns < SLOW_NS)
		return;
	test_diag("call %lu took %lu ms:", n, ns / NSEC_PER_MSEC);
	trace_call(c, 1);
}

/* The run itself; the number of calls made. */
static uint64_t
run(uint64_t start)
{
	struct fz_call c;
	char what[256];
	uint64_t i, t0;

	local_irq_disable();
	for (i = 0; i < opt.calls; i++) {
		c = (struct fz_call){ .kind = FZ_K_HYPERCALL };
		arena_reset();
		gen_any(&c);
		t0 = monotonic_ns();
		issue(&c, i >= opt.trace);
		if ((i + 1) % EVENTS_EVERY == 0) {
			local_irq_enable();
			local_irq_disable();
		}
		timed(&c, i + 1, t0);
		if ((i + 1) % opt.check == 0 &&
		    self_check(what, sizeof(what)) != 0) {
			test_diag("its live mappings changed by call %lu: %s",
			    i + 1, what);
			trace_call(&c, 1);
			i++;
			break;
		}
		if ((i + 1) % opt.every == 0)
			progress(i + 1, start, &c);
	}
	local_irq_enable();
	return i;
}

static void
int3(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("int3");
}

/* After all that, its own trap table, callbacks and timer still work. */
static void
still_standing(void)
{
	struct fz_call c = { .kind = FZ_K_BLOCK, .gen = "final" };
	uint64_t ticks = fz.timer_ticks;
	struct hx_fault f = { .vector = 0 };
	int faulted;

	faulted = hx_run(int3, 0, &f);
	TEST_OK(faulted && f.vector == 3, "its trap table still works (int3 "
	    "came back as vector %lu)", f.vector);
	c.a[0] = monotonic_ns() + NSEC_PER_MSEC;
	issue(&c, 0);
	TEST_OK(fz.timer_ticks != ticks, "its timer and event callback "
	    "still work (a block woke up on VIRQ_TIMER, %lu ticks)",
	    fz.timer_ticks);
}

int
guest_main(void)
{
	uint64_t start, ns, done, changed;
	char what[160];
	int rc;

	rc = options();
	test_diag("fuzz: seed=%#lx calls=%lu", opt.seed, opt.calls);
	if (rc != 0) {
		TEST_OK(0, "only= names an unknown generator");
		return test_done();
	}
	rng_seed(opt.seed);
	hx_traps_init();
	rc = self_init();
	TEST_OK(rc == 0, "set up (%d): domain %u, %u pool frames, %lu live, "
	    "sandbox at %#lx, %u ports protected", rc, fz.domid, fz.pool_n,
	    fz.live_frames, SANDBOX_VA, fz.protected_n);
	if (rc != 0)
		return test_done();
	start = monotonic_ns();
	done = run(start);
	ns = monotonic_ns() - start;
	TEST_OK(done == opt.calls, "%lu calls (seed %#lx) in %lu ms: %lu "
	    "calls/s, %u distinct (hypercall, cmd, result) paths, %lu faults "
	    "survived", done, opt.seed, ns / NSEC_PER_MSEC,
	    per_second(done, ns), stats_distinct(), stats_faults());
	TEST_OK(longest_ns < opt.stall_ns, "no call took %lu ms or more (the "
	    "longest: %lu ms)", opt.stall_ns / NSEC_PER_MSEC,
	    longest_ns / NSEC_PER_MSEC);
	changed = self_check(what, sizeof(what));
	TEST_OK(changed == 0, "its live mappings are as they were (%lu "
	    "entries changed)", changed);
	if (changed != 0)
		test_diag("first: %s", what);
	still_standing();
	if (opt.paths)
		stats_dump();
	rc = test_done();
	test_diag("fuzz: done, seed=%#lx calls=%lu", opt.seed, done);
	return rc;
}
