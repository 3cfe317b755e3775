/*
 * tlbshoot's vCPU 0: brings vCPU 1 up (and checks what VCPUOP refuses
 * on the way), runs the shootdown rounds (rounds.c), checks vCPU 1's
 * own timer and VCPUOP_down/up, and ends by taking itself down as the
 * last vCPU up, which powers the domain off.  Needs two vCPUs
 * (hv: domu_vcpus=2) and, to mean anything, two CPUs.
 */

#include <stdint.h>

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
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>
#include <guest/vcpu.h>

#include "tlbshoot.h"

#define WAIT_NS		(2 * NSEC_PER_SEC)
#define RUNNING_BEATS	1000
#define NONCANONICAL	UINT64_C(0x0000800000000000)
#define HV_ADDRESS	UINT64_C(0xffff830000000000)

struct mailbox mb;
static struct xm_vcpu_guest_context ctx;

static int
wait_cond(volatile uint64_t *p, uint64_t want, int ge, uint64_t timeout_ns)
{
	uint64_t start = monotonic_ns(), v;

	for (;;) {
		v = __atomic_load_n(p, __ATOMIC_ACQUIRE);
		if (ge ? v >= want : v == want)
			return 1;
		if (monotonic_ns() - start > timeout_ns)
			return 0;
		(void)HYPERVISOR_sched_op(XM_SCHEDOP_YIELD, NULL);
	}
}

int
wait_eq(volatile uint64_t *p, uint64_t want, uint64_t timeout_ns)
{
	return wait_cond(p, want, 0, timeout_ns);
}

int
wait_ge(volatile uint64_t *p, uint64_t want, uint64_t timeout_ns)
{
	return wait_cond(p, want, 1, timeout_ns);
}

uint64_t
job_post(enum tlb_cmd cmd, uint64_t target)
{
	static uint64_t round;
	uint64_t r = ++round;

	mb.cmd = cmd;
	mb.target = target;
	__atomic_store_n(&mb.round, r, __ATOMIC_RELEASE);
	return wait_eq(&mb.ack, r, WAIT_NS) ? r : 0;
}

static long
vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return HYPERVISOR_vcpu_op(cmd, vcpu, arg);
}

/* vCPU's run state as VCPUOP_get_runstate_info has it, or -1. */
static int
runstate(unsigned int vcpu)
{
	struct xm_vcpu_runstate_info ri;

	if (vcpu_op(XM_VCPUOP_GET_RUNSTATE_INFO, vcpu, &ri) != 0)
		return -1;
	return ri.state;
}

/* Contexts VCPUOP_initialise must refuse, leaving vCPU 1 as it was. */
static void
bad_contexts(void)
{
	xm_pfn_t data;
	long rc;

	second_context(&ctx);
	ctx.ctrlreg[3] = 0;
	rc = vcpu_op(XM_VCPUOP_INITIALISE, 1, &ctx);
	TEST_OK(rc == -XM_EINVAL, "VCPUOP_initialise without a page table: "
	    "-EINVAL (%ld)", rc);
	second_context(&ctx);
	if (frame_alloc(&data) == 0) {
		ctx.ctrlreg[3] = pfn_to_mfn(data) << PAGE_SHIFT;
		rc = vcpu_op(XM_VCPUOP_INITIALISE, 1, &ctx);
		TEST_OK(rc == -XM_EINVAL, "VCPUOP_initialise with a writable "
		    "data frame as its L4: -EINVAL (%ld)", rc);
	}
	second_context(&ctx);
	ctx.fs_base = NONCANONICAL;
	rc = vcpu_op(XM_VCPUOP_INITIALISE, 1, &ctx);
	TEST_OK(rc == -XM_EINVAL, "VCPUOP_initialise with a non-canonical "
	    "FS base: -EINVAL (%ld)", rc);
	second_context(&ctx);
	ctx.fpu_ctxt[FXSAVE_MXCSR + 3] = 0xff;	/* reserved: fxrstor's #GP */
	rc = vcpu_op(XM_VCPUOP_INITIALISE, 1, &ctx);
	TEST_OK(rc == -XM_EINVAL, "VCPUOP_initialise with reserved MXCSR "
	    "bits: -EINVAL (%ld)", rc);
	second_context(&ctx);
	ctx.trap_ctxt[14].address = NONCANONICAL;
	rc = vcpu_op(XM_VCPUOP_INITIALISE, 1, &ctx);
	TEST_OK(rc == -XM_EINVAL, "VCPUOP_initialise with a non-canonical "
	    "trap handler: -EINVAL (%ld)", rc);
	rc = vcpu_op(XM_VCPUOP_INITIALISE, 1, (void *)HV_ADDRESS);
	TEST_OK(rc == -XM_EFAULT, "VCPUOP_initialise with a context in hv's "
	    "memory: -EFAULT (%ld)", rc);
}

static int
bring_up(void)
{
	long rc;

	TEST_OK(vcpu_op(XM_VCPUOP_IS_UP, 1, NULL) == 0 &&
	    runstate(1) == XM_RUNSTATE_OFFLINE, "vCPU 1 starts down (run "
	    "state offline)");
	TEST_OK(vcpu_op(XM_VCPUOP_IS_UP, 2, NULL) == -XM_ENOENT,
	    "there is no vCPU 2: -ENOENT");
	TEST_OK(vcpu_op(XM_VCPUOP_UP, 1, NULL) == -XM_EINVAL,
	    "VCPUOP_up before VCPUOP_initialise: -EINVAL");
	second_context(&ctx);
	TEST_OK(vcpu_op(XM_VCPUOP_INITIALISE, 0, &ctx) == -XM_EEXIST,
	    "VCPUOP_initialise of vCPU 0, which runs: -EEXIST");
	bad_contexts();
	second_context(&ctx);
	rc = vcpu_op(XM_VCPUOP_INITIALISE, 1, &ctx);
	TEST_OK(rc == 0, "VCPUOP_initialise of vCPU 1 (%ld)", rc);
	TEST_OK(vcpu_op(XM_VCPUOP_INITIALISE, 1, &ctx) == -XM_EEXIST,
	    "VCPUOP_initialise again: -EEXIST");
	TEST_OK(vcpu_op(XM_VCPUOP_IS_UP, 1, NULL) == 0,
	    "still down until VCPUOP_up");
	rc = vcpu_op(XM_VCPUOP_UP, 1, NULL);
	TEST_OK(rc == 0 && vcpu_op(XM_VCPUOP_IS_UP, 1, NULL) == 1,
	    "VCPUOP_up of vCPU 1 (%ld)", rc);
	rc = wait_ge(&mb.beats, RUNNING_BEATS, WAIT_NS);
	return TEST_OK(rc, "vCPU 1 runs (%lu beats)", mb.beats);
}

static int
bind_virq(uint32_t virq, uint32_t vcpu)
{
	struct xm_evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	int rc;

	rc = HYPERVISOR_event_channel_op(XM_EVTCHNOP_BIND_VIRQ, &b);
	return rc < 0 ? rc : (int)b.port;
}

/* VIRQ_TIMER is per vCPU: vCPU 1's one-shot rings vCPU 1's port. */
static void
second_timer(void)
{
	struct xm_vcpu_set_singleshot_timer t = { 0 };
	uint64_t start, r, took;
	int port, rc, fired;

	timer_init();	/* vCPU 0's own VIRQ_TIMER port first */
	port = bind_virq(XM_VIRQ_TIMER, 1);
	TEST_OK(port > 0, "VIRQ_TIMER bound for vCPU 1 too (port %d)", port);
	rc = bind_virq(XM_VIRQ_TIMER, 1);
	TEST_OK(rc == -XM_EEXIST, "and only once: -EEXIST (%d)", rc);
	rc = bind_virq(XM_VIRQ_CONSOLE, 1);
	TEST_OK(rc == -XM_EINVAL, "a global VIRQ on vCPU 1: -EINVAL (%d)",
	    rc);
	t.timeout_abs_ns = monotonic_ns() + NSEC_PER_MSEC;
	rc = vcpu_op(XM_VCPUOP_SET_SINGLESHOT_TIMER, 1, &t);
	TEST_OK(rc == -XM_EINVAL, "vCPU 0 may not set vCPU 1's one-shot "
	    "timer: -EINVAL (%d)", rc);
	if (port <= 0)
		return;
	mb.timer_port = (uint64_t)port;
	start = monotonic_ns();
	r = job_post(CMD_TIMER, 0);
	fired = r != 0 && wait_eq(&mb.timer_done, r, WAIT_NS);
	took = monotonic_ns() - start;
	TEST_OK(fired && mb.timer_rc == 0 && took >= TIMER_DELAY_NS,
	    "vCPU 1's own one-shot timer fired on its port after %lu us "
	    "(armed: %ld)", took / NSEC_PER_USEC, (long)mb.timer_rc);
	(void)job_post(CMD_IDLE, 0);
	start = monotonic_ns();
	sleep_ns(2 * NSEC_PER_MSEC);
	TEST_OK(monotonic_ns() - start >= 2 * NSEC_PER_MSEC,
	    "vCPU 0's own timer still wakes it");
}

static void
down_and_up(void)
{
	uint64_t before, after;
	long rc;

	rc = vcpu_op(XM_VCPUOP_DOWN, 1, NULL);
	TEST_OK(rc == 0, "VCPUOP_down of vCPU 1 (%ld)", rc);
	sleep_ns(20 * NSEC_PER_MSEC);
	TEST_OK(vcpu_op(XM_VCPUOP_IS_UP, 1, NULL) == 0 &&
	    runstate(1) == XM_RUNSTATE_OFFLINE, "vCPU 1 is down (run state "
	    "offline)");
	before = mb.beats;
	sleep_ns(50 * NSEC_PER_MSEC);
	after = mb.beats;
	TEST_OK(before == after, "and does not run (%lu beats in 50 ms)",
	    after - before);
	rc = vcpu_op(XM_VCPUOP_UP, 1, NULL);
	TEST_OK(rc == 0 && wait_ge(&mb.beats, after + RUNNING_BEATS, WAIT_NS),
	    "VCPUOP_up: it runs again where it stopped");
}

/* As in Xen, the last vCPU going down powers the domain off. */
static int
last_down(void)
{
	(void)vcpu_op(XM_VCPUOP_DOWN, 1, NULL);
	console_flush();
	(void)vcpu_op(XM_VCPUOP_DOWN, 0, NULL);
	gprintf("tlbshoot: still running after the last vCPU went down\n");
	return 1;
}

int
guest_main(void)
{
	int rc;

	rc = mm_init();
	TEST_OK(rc == 0, "mm_init (%d)", rc);
	if (rc != 0 || !bring_up())
		return test_done();
	rounds_run();
	second_timer();
	down_and_up();
	rc = test_done();
	return rc != 0 ? rc : last_down();
}
