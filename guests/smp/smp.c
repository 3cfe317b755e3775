/*
 * guests/smp's vCPU 0: finds its vCPUs (VCPUOP_is_up), gives each a
 * mailbox and ports (an IPI port bound to it, a loopback port moved to
 * it with EVTCHNOP_bind_vcpu, an IPI port back to vCPU 0), brings them
 * up, then runs rounds of a job split over every vCPU, checks the sum
 * against its own, times a poll's timeout, reads each vCPU's run-state
 * times, watches a GDT frame they share change (desc.c) and takes the
 * workers down.  Needs domu_vcpus=N; meant for
 * -smp 4 beside other domains.  Command line: rounds=N (default 40),
 * work=N (items per vCPU and round, default 20000), desc_alone=1 (each
 * vCPU has a CPU of its own: see desc.c).
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <xm/event_channel.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <guest/time.h>

#include "smp.h"

#define WAIT_NS		(20 * NSEC_PER_SEC)
#define TIMEOUT_NS	(20 * NSEC_PER_MSEC)

struct smp_worker smp_workers[SMP_MAX_VCPUS];
static struct xm_vcpu_guest_context ctx;
static unsigned int nr_vcpus;
static volatile uint64_t done_events[SMP_MAX_VCPUS];

static long
vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return HYPERVISOR_vcpu_op(cmd, vcpu, arg);
}

static long
evtchn_op(int cmd, void *arg)
{
	return HYPERVISOR_event_channel_op(cmd, arg);
}

static uint64_t
cmdline_num(const char *key, uint64_t dflt, uint64_t max)
{
	uint64_t n = guest_cmdline_num(key, dflt, max);

	return n != 0 ? n : dflt;
}

static void
on_done(xm_evtchn_port_t port, void *data)
{
	(void)port;
	done_events[(uint64_t)data]++;
}

static int
bind_ipi(unsigned int vcpu)
{
	struct xm_evtchn_bind_ipi b = { .vcpu = vcpu };
	long rc = evtchn_op(XM_EVTCHNOP_BIND_IPI, &b);

	return rc < 0 ? (int)rc : (int)b.port;
}

/* A loopback pair; the far end (returned) moved to vcpu. *near gets the end to send on. */
static int
moved_port(unsigned int vcpu, xm_evtchn_port_t *near)
{
	struct xm_evtchn_bind_interdomain bi = { .remote_dom = XM_DOMID_SELF };
	struct xm_evtchn_bind_vcpu bv = { 0 };
	struct xm_evtchn_status st = { .dom = XM_DOMID_SELF };
	int a;
	long rc;

	if ((a = evtchn_alloc_unbound(XM_DOMID_SELF)) < 0)
		return a;
	bi.remote_port = (xm_evtchn_port_t)a;
	if ((rc = evtchn_op(XM_EVTCHNOP_BIND_INTERDOMAIN, &bi)) < 0)
		return (int)rc;
	bv.port = bi.local_port;
	bv.vcpu = vcpu;
	if ((rc = evtchn_op(XM_EVTCHNOP_BIND_VCPU, &bv)) < 0)
		return (int)rc;
	st.port = bi.local_port;
	if ((rc = evtchn_op(XM_EVTCHNOP_STATUS, &st)) < 0)
		return (int)rc;
	if (st.vcpu != vcpu)
		return -XM_EINVAL;
	*near = (xm_evtchn_port_t)a;
	return (int)bi.local_port;
}

static xm_evtchn_port_t near_end[SMP_MAX_VCPUS];

/* The worker's ports, all masked but done_port (which vCPU 0 handles). */
static int
ports_for(unsigned int k)
{
	struct smp_worker *w = &smp_workers[k];
	int ipi, moved, done, idle;

	ipi = bind_ipi(k);
	moved = moved_port(k, &near_end[k]);
	done = bind_ipi(0);
	idle = evtchn_alloc_unbound(XM_DOMID_SELF);
	if (ipi < 0 || moved < 0 || done < 0 || idle < 0) {
		test_diag("vCPU %u's ports: ipi %d moved %d done %d idle %d",
		    k, ipi, moved, done, idle);
		return 0;
	}
	w->ipi_port = (xm_evtchn_port_t)ipi;
	w->moved_port = (xm_evtchn_port_t)moved;
	w->done_port = (xm_evtchn_port_t)done;
	w->idle_port = (xm_evtchn_port_t)idle;
	return evtchn_bind(w->done_port, on_done, (void *)(uint64_t)k) == 0;
}

/* Sleep (events on) until every worker in 1..n-1 sent want done events. */
static int
wait_done(uint64_t want)
{
	uint64_t deadline = monotonic_ns() + WAIT_NS;
	unsigned int k;
	int all;

	for (;;) {
		all = 1;
		for (k = 1; k < nr_vcpus; k++)
			all &= done_events[k] >= want;
		if (all)
			return 1;
		if (monotonic_ns() >= deadline)
			return 0;
		sleep_ns(NSEC_PER_MSEC);
	}
}

static void
count_vcpus(void)
{
	long rc;

	for (nr_vcpus = 1; nr_vcpus < SMP_MAX_VCPUS; nr_vcpus++) {
		rc = vcpu_op(XM_VCPUOP_IS_UP, nr_vcpus, NULL);
		if (rc == -XM_ENOENT)
			break;
	}
	TEST_OK(nr_vcpus > 1, "the domain has %u vCPUs", nr_vcpus);
}

static int
bring_up(void)
{
	unsigned int k, ok = 1;
	long rc;

	for (k = 1; k < nr_vcpus; k++) {
		ok &= ports_for(k);
		smp_worker_context(&ctx, k);
		rc = vcpu_op(XM_VCPUOP_INITIALISE, k, &ctx);
		if (rc == 0)
			rc = vcpu_op(XM_VCPUOP_UP, k, NULL);
		ok &= rc == 0;
	}
	TEST_OK(ok, "ports bound and vCPUs 1..%u initialised and up",
	    nr_vcpus - 1);
	ok = wait_done(1);
	for (k = 1; k < nr_vcpus; k++)
		ok &= smp_workers[k].started == k + 1 &&
		    vcpu_op(XM_VCPUOP_IS_UP, k, NULL) == 1;
	return TEST_OK(ok, "every worker runs on its own vCPU and signalled "
	    "vCPU 0");
}

/* Post cmd to every worker, alternating the port that carries it. */
static void
post(uint64_t round, enum smp_cmd cmd)
{
	struct xm_evtchn_send s;
	unsigned int k;

	for (k = 1; k < nr_vcpus; k++) {
		smp_workers[k].round = round;
		__atomic_store_n(&smp_workers[k].cmd, cmd, __ATOMIC_RELEASE);
		s.port = round % 2 ? smp_workers[k].ipi_port : near_end[k];
		(void)evtchn_op(XM_EVTCHNOP_SEND, &s);
	}
}

/* Which part of round r's sum was wrong, for the log. */
static void
report_wrong(uint64_t r, uint64_t seed, uint64_t work)
{
	unsigned int k;

	for (k = 1; k < nr_vcpus; k++)
		if (smp_workers[k].result != smp_job(seed, k * work,
		    (k + 1) * work))
			test_diag("round %lu: vCPU %u's part is wrong (acked "
			    "round %lu)", r, k, smp_workers[k].acked);
}

static void
rounds(uint64_t n, uint64_t work)
{
	uint64_t r, seed, sum, want, bad = 0, slow = 0, start, took, most = 0;
	unsigned int k;

	for (r = 1; r <= n; r++) {
		seed = r * UINT64_C(0x2545f4914f6cdd1d);
		for (k = 1; k < nr_vcpus; k++) {
			smp_workers[k].seed = seed;
			smp_workers[k].lo = k * work;
			smp_workers[k].hi = (k + 1) * work;
		}
		start = monotonic_ns();
		post(r, SMP_WORK);
		sum = smp_job(seed, 0, work);
		if (!wait_done(r + 1)) {
			slow++;
			break;
		}
		took = monotonic_ns() - start;
		most = took > most ? took : most;
		for (k = 1; k < nr_vcpus; k++)
			sum += smp_workers[k].result;
		want = smp_job(seed, 0, nr_vcpus * work);
		if (sum != want)
			report_wrong(r, seed, work);
		bad += sum != want;
	}
	TEST_OK(slow == 0 && bad == 0, "%lu rounds of a job split over %u "
	    "vCPUs: every sum right (%lu wrong, %lu unfinished; slowest "
	    "round %lu ms)", n, nr_vcpus, bad, slow, most / NSEC_PER_MSEC);
}

static void
check_wakeups(uint64_t n)
{
	uint64_t late = 0, ipi = 1, moved = 1;
	unsigned int k;

	for (k = 1; k < nr_vcpus; k++) {
		late += smp_workers[k].late;
		ipi &= smp_workers[k].woke_ipi >= n / 2;
		moved &= smp_workers[k].woke_moved >= n / 2;
	}
	TEST_OK(late == 0, "no worker's poll of its masked ports waited for "
	    "its 10 s timeout (%lu did)", late);
	TEST_OK(ipi && moved, "both ports of each worker woke it: the IPI "
	    "port and the one moved with EVTCHNOP_bind_vcpu (SCHEDOP_poll "
	    "of two ports)");
}

static void
check_timeout(uint64_t round)
{
	unsigned int k, ok = 1;

	for (k = 1; k < nr_vcpus; k++)
		smp_workers[k].timeout_ns = TIMEOUT_NS;
	post(round, SMP_TIMEOUT);
	ok = wait_done(round + 1);
	for (k = 1; k < nr_vcpus && ok; k++)
		ok = smp_workers[k].timeout_rc == 0 &&
		    smp_workers[k].timeout_took >= TIMEOUT_NS &&
		    smp_workers[k].timeout_took < 500 * TIMEOUT_NS;
	for (k = 1; k < nr_vcpus && !ok; k++)
		test_diag("vCPU %u: poll %ld after %lu us, acked round %lu, %lu "
		    "done events", k, (long)smp_workers[k].timeout_rc,
		    smp_workers[k].timeout_took / NSEC_PER_USEC,
		    smp_workers[k].acked, done_events[k]);
	TEST_OK(ok, "a poll of a port nobody signals ends at its timeout "
	    "(%lu us on vCPU 1)", smp_workers[1].timeout_took / NSEC_PER_USEC);
}

static void
check_runstates(void)
{
	struct xm_vcpu_runstate_info ri;
	unsigned int k, ok = 1;

	for (k = 0; k < nr_vcpus && ok; k++) {
		ok = vcpu_op(XM_VCPUOP_GET_RUNSTATE_INFO, k, &ri) == 0 &&
		    ri.time[XM_RUNSTATE_RUNNING] > 0;
		if (ok && k > 0)
			ok = ri.time[XM_RUNSTATE_BLOCKED] > 0;
	}
	TEST_OK(ok, "each vCPU has run, and each worker has blocked in its "
	    "polls (VCPUOP_get_runstate_info)");
}

static uint64_t desc_round;

static void
desc_post(void)
{
	post(desc_round, SMP_DESC);
}

static int
desc_wait(void)
{
	return wait_done(desc_round + 1);
}

static void
take_down(uint64_t round)
{
	uint64_t deadline = monotonic_ns() + WAIT_NS;
	unsigned int k, up;

	post(round, SMP_DOWN);
	do {
		sleep_ns(NSEC_PER_MSEC);
		for (up = 0, k = 1; k < nr_vcpus; k++)
			up += vcpu_op(XM_VCPUOP_IS_UP, k, NULL) == 1;
	} while (up > 0 && monotonic_ns() < deadline);
	TEST_OK(up == 0, "every worker took itself down with VCPUOP_down "
	    "(%u still up)", up);
}

int
guest_main(void)
{
	uint64_t n = cmdline_num("rounds", 40, 100000);
	uint64_t work = cmdline_num("work", 20000, 10000000);

	count_vcpus();
	if (nr_vcpus < 2 || !bring_up())
		return test_done();
	rounds(n, work);
	check_wakeups(n);
	check_timeout(n + 1);
	check_runstates();
	desc_round = n + 2;
	smp_desc_check(nr_vcpus, desc_post, desc_wait,
	    cmdline_num("desc_alone", 0, 1) == 1);
	take_down(n + 3);
	return test_done();
}
