/*
 * evtimer: event channels and time.  A loopback event channel pair
 * checks delivery, masking and the guest's interrupt flag; then system
 * time, the wall clock, and the vCPU timers: 20 one-shot sleeps of
 * 10 ms each, measured against system time, set_timer_op, and the
 * periodic timer.  The bounds are loose: QEMU TCG is slow and a busy
 * host stalls it.  Results are TAP lines.
 */

#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/test.h>
#include <guest/time.h>

#define SLEEPS			20
#define SLEEP_NS		(10 * NSEC_PER_MSEC)
/* hv's clock and ours may round apart by this much. */
#define EARLY_SLACK_NS		(100 * NSEC_PER_USEC)
#define MEAN_LATE_MAX_NS	(25 * NSEC_PER_MSEC)
#define LATE_MAX_NS		(250 * NSEC_PER_MSEC)
#define PERIOD_NS		(10 * NSEC_PER_MSEC)
#define PERIODIC_WINDOW_NS	(200 * NSEC_PER_MSEC)
/* 2020-01-01 00:00:00 UTC */
#define WALLCLOCK_MIN_SEC	UINT64_C(1577836800)

struct lateness {
	int64_t		min;
	int64_t		max;
	int64_t		sum;
	unsigned int	n;
};

static void
count_event(xm_evtchn_port_t port, void *data)
{
	(void)port;
	(*(volatile unsigned int *)data)++;
}

static void
test_loopback_delivery(int a, int b, volatile unsigned int *ca,
    volatile unsigned int *cb)
{
	int rc;

	rc = evtchn_notify(b);
	TEST_OK(rc == 0 && *ca == 1 && *cb == 0, "notify on port %d runs "
	    "port %d's handler before it returns (%d, counts %u %u)", b, a,
	    rc, *ca, *cb);
	rc = evtchn_notify(a);
	TEST_OK(rc == 0 && *ca == 1 && *cb == 1, "and the other way round "
	    "(%d, counts %u %u)", rc, *ca, *cb);

	evtchn_mask(a);
	evtchn_notify(b);
	TEST_OK(*ca == 1 && evtchn_is_pending(a),
	    "a masked port keeps the event pending");
	evtchn_unmask(a);
	TEST_OK(*ca == 2 && !evtchn_is_pending(a),
	    "unmasking delivers the held event");

	local_irq_disable();
	evtchn_notify(b);
	TEST_OK(*ca == 2 && guest_vcpu_info()->evtchn_upcall_pending,
	    "with events disabled the upcall waits");
	local_irq_enable();
	TEST_OK(*ca == 3, "enabling events takes it");

	local_irq_disable();
	evtchn_notify(b);
	guest_block();
	TEST_OK(*ca == 4 && !local_irq_disabled(),
	    "SCHEDOP_block returns at once for a pending event, "
	    "events enabled");
}

static void
test_loopback(void)
{
	static volatile unsigned int ca, cb;
	int a, b;

	a = evtchn_alloc_unbound(XM_DOMID_SELF);
	TEST_OK(a >= 0, "alloc_unbound for ourselves: port %d", a);
	b = a < 0 ? a : evtchn_bind_interdomain(XM_DOMID_SELF, a);
	TEST_OK(b >= 0 && b != a, "bind_interdomain to it: port %d", b);
	if (a < 0 || b < 0)
		return;
	evtchn_bind(a, count_event, (void *)&ca);
	evtchn_bind(b, count_event, (void *)&cb);
	/* Xen leaves a freshly bound interdomain port pending. */
	test_diag("events at bind time: port %d %u, port %d %u", a, ca, b,
	    cb);
	ca = cb = 0;
	test_loopback_delivery(a, b, &ca, &cb);
	TEST_OK(evtchn_close(a) == 0 && evtchn_close(b) == 0,
	    "both ends close");
	TEST_OK(evtchn_notify(b) < 0, "notify on a closed port fails");
}

static void
test_time(void)
{
	volatile struct xm_vcpu_time_info *t = &guest_vcpu_info()->time;
	uint64_t prev, now, start, sec;
	uint32_t nsec;
	unsigned int i, backwards = 0;

	TEST_OK((t->version & 1) == 0 && t->tsc_to_system_mul != 0,
	    "vcpu_time_info published (version %u mul %u shift %d)",
	    t->version, t->tsc_to_system_mul, t->tsc_shift);
	start = prev = monotonic_ns();
	for (i = 0; i < 1000; i++) {
		now = monotonic_ns();
		if (now < prev)
			backwards++;
		prev = now;
	}
	TEST_OK(backwards == 0, "system time never went backwards in 1000 "
	    "reads (%u times)", backwards);
	while ((now = monotonic_ns()) == start && ++i < 100000000)
		continue;
	TEST_OK(now > start, "system time advances (now %lu ns)", now);
	wallclock(&sec, &nsec);
	TEST_OK(sec >= WALLCLOCK_MIN_SEC, "wall clock is set (%lu.%09u)",
	    sec, nsec);
}

static void
lateness_add(struct lateness *l, int64_t late)
{
	if (l->n == 0 || late < l->min)
		l->min = late;
	if (l->n == 0 || late > l->max)
		l->max = late;
	l->sum += late;
	l->n++;
}

/* Arm a timer for deadline, block until its tick; how late was it? */
static int64_t
one_tick(uint64_t deadline, int (*arm)(uint64_t))
{
	uint64_t seen;

	local_irq_disable();
	seen = timer_ticks();
	if (arm(deadline) < 0) {
		local_irq_enable();
		return INT64_MIN;
	}
	while (timer_ticks() == seen) {
		guest_block();
		local_irq_disable();
	}
	local_irq_enable();
	return (int64_t)(monotonic_ns() - deadline);
}

static void
test_oneshot(void)
{
	struct lateness l = { 0 };
	int64_t late;
	unsigned int i;

	for (i = 0; i < SLEEPS; i++) {
		late = one_tick(monotonic_ns() + SLEEP_NS, timer_set_oneshot);
		if (late == INT64_MIN)
			break;
		lateness_add(&l, late);
	}
	TEST_OK(l.n == SLEEPS, "%u one-shot timers of 10 ms fired", l.n);
	if (l.n == 0)
		return;
	test_diag("one-shot lateness: min %ld us, mean %ld us, max %ld us",
	    l.min / 1000, l.sum / l.n / 1000, l.max / 1000);
	TEST_OK(l.min >= -(int64_t)EARLY_SLACK_NS,
	    "no one-shot fired early (earliest %ld us)", l.min / 1000);
	TEST_OK(l.sum / l.n <= (int64_t)MEAN_LATE_MAX_NS,
	    "mean lateness %ld us within %lu ms", l.sum / l.n / 1000,
	    MEAN_LATE_MAX_NS / NSEC_PER_MSEC);
	TEST_OK(l.max <= (int64_t)LATE_MAX_NS, "max lateness %ld us within "
	    "%lu ms", l.max / 1000, LATE_MAX_NS / NSEC_PER_MSEC);
}

static void
test_sleep(void)
{
	uint64_t start, elapsed;
	unsigned int i;

	start = monotonic_ns();
	for (i = 0; i < SLEEPS; i++)
		sleep_ns(SLEEP_NS);
	elapsed = monotonic_ns() - start;
	test_diag("%u sleeps of 10 ms took %lu us", SLEEPS, elapsed / 1000);
	TEST_OK(elapsed >= SLEEPS * SLEEP_NS, "sleep_ns never returns early");
	TEST_OK(elapsed <= SLEEPS * (SLEEP_NS + MEAN_LATE_MAX_NS),
	    "%u sleeps drift %ld us in all", SLEEPS,
	    (int64_t)(elapsed - SLEEPS * SLEEP_NS) / 1000);
}

static void
test_timer_op(void)
{
	int64_t late = one_tick(monotonic_ns() + SLEEP_NS,
	    timer_set_timer_op);

	TEST_OK(late != INT64_MIN && late >= -(int64_t)EARLY_SLACK_NS &&
	    late <= (int64_t)LATE_MAX_NS,
	    "set_timer_op fires on time (late %ld us)",
	    late == INT64_MIN ? 0 : late / 1000);
}

static void
test_periodic(void)
{
	uint64_t start, elapsed, ticks, expect;
	int rc;

	rc = timer_set_periodic(PERIOD_NS);
	TEST_OK(rc == 0, "periodic timer of 10 ms set (%d)", rc);
	if (rc != 0)
		return;
	start = monotonic_ns();
	ticks = timer_ticks();
	while (monotonic_ns() - start < PERIODIC_WINDOW_NS)
		timer_wait_tick();
	ticks = timer_ticks() - ticks;
	elapsed = monotonic_ns() - start;
	expect = elapsed / PERIOD_NS;
	/* Missed periods coalesce into one event, so few is no error. */
	TEST_OK(ticks >= 5 && ticks <= expect + 2,
	    "periodic: %lu ticks in %lu ms", ticks, elapsed / NSEC_PER_MSEC);

	rc = timer_stop_periodic();
	ticks = timer_ticks();
	start = monotonic_ns();
	while (monotonic_ns() - start < 5 * PERIOD_NS)
		continue;
	ticks = timer_ticks() - ticks;
	TEST_OK(rc == 0 && ticks <= 1, "stop_periodic stops it (%lu ticks "
	    "after)", ticks);
}

static void
test_timers(void)
{
	int rc;

	rc = timer_init();
	TEST_OK(rc == 0, "VIRQ_TIMER bound (%d)", rc);
	if (rc != 0)
		return;
	TEST_OK(evtchn_bind_virq(XM_VIRQ_TIMER) < 0,
	    "binding VIRQ_TIMER twice is refused");
	test_oneshot();
	test_sleep();
	test_timer_op();
	test_periodic();
}

int
guest_main(void)
{
	test_loopback();
	test_time();
	test_timers();
	return test_done();
}
