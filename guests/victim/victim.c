/*
 * victim: a domain that minds its own business while another one
 * attacks.  It fills 4 MiB of its memory with a pattern derived from
 * each word's address, then checks all of it round after round,
 * sleeping between rounds, for at least MIN_ROUNDS rounds and, when it
 * may bind VIRQ_DOM_EXC (domain 0), until another domain has shut down
 * and a few rounds after that.  At the end it checks that what hv gave
 * it at boot (start_info, the p2m, its top page table) and shared_info
 * still look right.  Results are TAP lines.
 *
 * Command line: rounds=N (at least N rounds, default 300); destroy=N
 * (domain 0 only): once domain N has shut down, destroy it with domctl,
 * so that hv tears down what it left behind while the rounds go on;
 * kill=N (domain 0 only): destroy domain N at round 30, while it runs;
 * late_ms=N: fail if a sleep ends more than N ms late (a CPU kept from
 * it: judged only where nothing else keeps every CPU busy, since QEMU's
 * own timer thread then starves on a loaded host);
 * wait=N (domain 0 only): go on until domains 1..N have all shut down,
 * however long that takes (up to WAIT_MAX_ROUNDS), for attackers that
 * run longer than MAX_ROUNDS.
 */

#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#define AREA_PAGES	1024			/* 4 MiB */
#define WORDS		(PAGE_SIZE / sizeof(uint64_t))
#define MIN_ROUNDS	300
#define MAX_ROUNDS	3000
#define WAIT_MAX_ROUNDS	1000000
#define ROUNDS_AFTER	20			/* after the other one died */
#define ROUND_SLEEP_NS	(10 * NSEC_PER_MSEC)
#define KILL_ROUND	30
#define MIX		UINT64_C(0x9e3779b97f4a7c15)
/* 2020-01-01 00:00:00 UTC */
#define WALLCLOCK_MIN_SEC	UINT64_C(1577836800)

static xm_pfn_t			area[AREA_PAGES];
static struct xm_start_info	si_copy;
static uint64_t			p2m_sum, l4_sum;
static long			reservation;
static volatile unsigned int	dom_exc;
static int			dom_exc_port = -1;
static int			destroyed;
static uint64_t			wait_for;	/* d1..d(wait_for) */

static uint64_t
pattern(uint64_t va)
{
	return (va ^ 0x5ca1ab1eUL) * MIX;
}

static uint64_t
sum_words(const volatile uint64_t *w, uint64_t n)
{
	uint64_t s = 0, i;

	for (i = 0; i < n; i++)
		s = (s ^ w[i]) * MIX + i;
	return s;
}

/* The guest's own L4 slots: hv's (256..271) are hv's business. */
static uint64_t
l4_guest_sum(void)
{
	const volatile uint64_t *l4 =
	    (const uint64_t *)guest_start_info->pt_base;

	return sum_words(l4, 256) ^ sum_words(l4 + 272, 512 - 272);
}

static int
area_fill(void)
{
	unsigned int i, j;
	uint64_t *w;
	int rc;

	for (i = 0; i < AREA_PAGES; i++) {
		rc = frame_alloc(&area[i]);
		if (rc != 0)
			return rc;
		w = pfn_to_virt(area[i]);
		for (j = 0; j < WORDS; j++)
			w[j] = pattern((uint64_t)&w[j]);
	}
	return 0;
}

/* Words that differ from the pattern; the first one in *bad_va. */
static uint64_t
area_check(uint64_t *bad_va)
{
	const volatile uint64_t *w;
	uint64_t bad = 0;
	unsigned int i, j;

	for (i = 0; i < AREA_PAGES; i++) {
		w = pfn_to_virt(area[i]);
		for (j = 0; j < WORDS; j++) {
			if (w[j] == pattern((uint64_t)&w[j]))
				continue;
			if (bad++ == 0)
				*bad_va = (uint64_t)&w[j];
		}
	}
	return bad;
}

static void
count_dom_exc(xm_evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	dom_exc++;
}

static void
watch_domains(void)
{
	int port = evtchn_bind_virq(XM_VIRQ_DOM_EXC);

	if (port < 0) {
		test_diag("no VIRQ_DOM_EXC (%d): %u rounds only", port,
		    MIN_ROUNDS);
		return;
	}
	evtchn_bind(port, count_dom_exc, NULL);
	dom_exc_port = port;
}

static void
snapshot(void)
{
	xm_domid_t self = XM_DOMID_SELF;

	kmemcpy(&si_copy, guest_start_info, sizeof(si_copy));
	p2m_sum = sum_words((const uint64_t *)guest_start_info->mfn_list,
	    guest_start_info->nr_pages);
	l4_sum = l4_guest_sum();
	reservation = HYPERVISOR_memory_op(XM_XENMEM_CURRENT_RESERVATION,
	    &self);
}

static long
domctl(uint32_t cmd, xm_domid_t dom, struct xm_domctl *op)
{
	kmemset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = XM_DOMCTL_INTERFACE_VERSION;
	op->domain = dom;
	return _hypercall1(XM_HYPERCALL_DOMCTL, op);
}

/* Destroy domain id now (while it runs, in a long hypercall, say). */
static void
destroy_now(uint64_t id, const char *when)
{
	static struct xm_domctl op;
	long rc;

	rc = domctl(XM_DOMCTL_DESTROY, (xm_domid_t)id, &op);
	TEST_OK(rc == 0, "destroyed d%lu %s (%ld)", id, when, rc);
	destroyed = 1;
}

/* Once domain id has shut down, destroy it. */
static void
destroy_when_down(uint64_t id)
{
	static struct xm_domctl op;
	long rc;

	rc = domctl(XM_DOMCTL_GETINFO, (xm_domid_t)id, &op);
	if (rc != 0 || !(op.u.info.flags & XM_DOMINF_SHUTDOWN))
		return;
	test_diag("d%lu shut down (reason %u), %lu pages: destroying it", id,
	    op.u.info.shutdown_reason, op.u.info.tot_pages);
	destroy_now(id, "after it shut down");
}

/* Domains 1..n have all shut down, or are gone. */
static int
all_down(uint64_t n)
{
	static struct xm_domctl op;
	uint64_t id;

	for (id = 1; id <= n; id++)
		if (domctl(XM_DOMCTL_GETINFO, (xm_domid_t)id, &op) == 0 &&
		    !(op.u.info.flags & XM_DOMINF_SHUTDOWN))
			return 0;
	return 1;
}

/* With wait=N: until domains 1..N are down, and a few rounds more. */
static int
more_rounds_waiting(uint64_t round, uint64_t min, uint64_t *all_at)
{
	if (*all_at == 0 && dom_exc != 0 && all_down(wait_for)) {
		*all_at = round;
		test_diag("d1..d%lu all shut down before round %lu", wait_for,
		    round);
	}
	if (round >= WAIT_MAX_ROUNDS)
		return 0;
	if (round < min)
		return 1;
	return *all_at == 0 || round < *all_at + ROUNDS_AFTER;
}

/* Until min rounds are done and, if watched, another domain is gone. */
static int
more_rounds(uint64_t round, uint64_t min, uint64_t *done_at)
{
	static uint64_t all_at;

	if (*done_at == 0 && dom_exc != 0) {
		*done_at = round;
		test_diag("another domain shut down before round %lu", round);
	}
	if (wait_for != 0 && dom_exc_port >= 0)
		return more_rounds_waiting(round, min, &all_at);
	if (round >= MAX_ROUNDS)
		return 0;
	if (round < min)
		return 1;
	if (dom_exc_port < 0)
		return 0;
	return *done_at == 0 || round < *done_at + ROUNDS_AFTER;
}

/* Where its time went: waiting for a CPU shows as runnable. */
static void
runstate_diag(void)
{
	struct xm_vcpu_runstate_info ri;

	if (HYPERVISOR_vcpu_op(XM_VCPUOP_GET_RUNSTATE_INFO, 0, &ri) != 0)
		return;
	test_diag("ms running %lu, runnable %lu, blocked %lu, offline %lu",
	    ri.time[0] / NSEC_PER_MSEC, ri.time[1] / NSEC_PER_MSEC,
	    ri.time[2] / NSEC_PER_MSEC, ri.time[3] / NSEC_PER_MSEC);
}

static void
check_rounds(void)
{
	uint64_t round = 0, bad = 0, bad_va = 0, done_at = 0;
	uint64_t min = guest_cmdline_num("rounds", MIN_ROUNDS, MAX_ROUNDS);
	uint64_t victim_of = guest_cmdline_num("destroy", 0, 0x7fef);
	uint64_t kill = guest_cmdline_num("kill", 0, 0x7fef);
	uint64_t late_ms = guest_cmdline_num("late_ms", 0, 3600000);
	uint64_t start = monotonic_ns(), t, late, worst = 0;

	wait_for = guest_cmdline_num("wait", 0, 0x7fef);

	while (more_rounds(round, min, &done_at)) {
		bad = area_check(&bad_va);
		round++;
		if (bad != 0)
			break;
		if (victim_of != 0 && done_at != 0 && !destroyed)
			destroy_when_down(victim_of);
		if (kill != 0 && round == KILL_ROUND && !destroyed)
			destroy_now(kill, "while it ran");
		t = monotonic_ns();
		sleep_ns(ROUND_SLEEP_NS);
		late = monotonic_ns() - t - ROUND_SLEEP_NS;
		worst = late > worst ? late : worst;
	}
	/* A CPU kept by another domain's hypercall shows up here. */
	if (late_ms != 0)
		TEST_OK(worst < late_ms * NSEC_PER_MSEC, "its sleeps ended at "
		    "most %lu ms late (%lu allowed)", worst / NSEC_PER_MSEC,
		    late_ms);
	else
		test_diag("its sleeps ended at most %lu ms late",
		    worst / NSEC_PER_MSEC);
	if (victim_of != 0)
		TEST_OK(destroyed, "d%lu was destroyed while it checked",
		    victim_of);
	test_diag("%lu rounds in %lu ms", round,
	    (monotonic_ns() - start) / NSEC_PER_MSEC);
	runstate_diag();
	TEST_OK(bad == 0, "memory intact after %lu rounds (%u MiB checked "
	    "each round)", round, AREA_PAGES * PAGE_SIZE >> 20);
	if (bad != 0)
		test_diag("%lu words changed in round %lu, first at %#lx",
		    bad, round, bad_va);
	if (dom_exc_port >= 0)
		TEST_OK(done_at != 0, "another domain shut down while it "
		    "checked (VIRQ_DOM_EXC)");
}

/*
 * Only ports it bound may have events pending: the runtime masks every
 * port at start and unmasks those it binds.
 */
static int
pending_only_own(void)
{
	unsigned int port;

	for (port = 0; port < XM_NR_EVENT_CHANNELS; port++)
		if (evtchn_is_pending(port) && evtchn_is_masked(port))
			return 0;
	return 1;
}

static void
check_boot_state(void)
{
	volatile struct xm_vcpu_time_info *t = &guest_vcpu_info()->time;
	xm_domid_t self = XM_DOMID_SELF;
	uint64_t sec, ns;
	uint32_t nsec;
	long res;

	TEST_OK(kmemcmp(&si_copy, guest_start_info, sizeof(si_copy)) == 0,
	    "start_info unchanged");
	TEST_OK(sum_words((const uint64_t *)guest_start_info->mfn_list,
	    guest_start_info->nr_pages) == p2m_sum, "p2m unchanged");
	TEST_OK(l4_guest_sum() == l4_sum, "its L4 page table unchanged");
	res = HYPERVISOR_memory_op(XM_XENMEM_CURRENT_RESERVATION, &self);
	TEST_OK(res == reservation, "reservation unchanged (%ld pages)", res);
	ns = monotonic_ns();
	TEST_OK((t->version & 1) == 0 && t->tsc_to_system_mul != 0 &&
	    ns > 0, "shared_info time sane (version %u, now %lu ms)",
	    t->version, ns / NSEC_PER_MSEC);
	wallclock(&sec, &nsec);
	TEST_OK(sec >= WALLCLOCK_MIN_SEC, "shared_info wall clock sane "
	    "(%lu)", sec);
	TEST_OK(pending_only_own(), "events pending only on its own ports");
}

int
guest_main(void)
{
	int rc;

	watch_domains();
	rc = mm_init();
	TEST_OK(rc == 0, "mm_init (%d)", rc);
	if (rc != 0)
		return test_done();
	rc = area_fill();
	TEST_OK(rc == 0, "filled %u MiB with its pattern (%d)",
	    AREA_PAGES * PAGE_SIZE >> 20, rc);
	if (rc != 0)
		return test_done();
	snapshot();
	check_rounds();
	check_boot_state();
	return test_done();
}
