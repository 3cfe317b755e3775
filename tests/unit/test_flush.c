/*
 * TLB shootdown (hv/flush.c) on host threads: each thread plays one
 * CPU, its "TLB flush" records which page-table version it saw, and
 * CPUs that are not flushing poll for requests as hv's spin loops do.
 * The promise under test: when flush_cpus() returns, every CPU it named
 * has flushed after the caller's page-table change; two CPUs that flush
 * each other both finish; the dirty-CPU sets follow context switches;
 * the guest's flush operations reach the CPUs the ABI says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/flush.h>
#include <hv/guest_access.h>
#include <hv/time.h>

#define CPUS		4
#define ROUNDS		200
#define BAD_GVA		UINT64_C(0xbad0000)
#define HV_VA		UINT64_C(0xffff830000000000)

static __thread unsigned int	me;		/* the CPU this thread is */
static volatile uint64_t	pt_version;	/* "the page table" */
static volatile uint64_t	seen[CPUS];	/* version at the last flush */
static volatile uint64_t	flushes[CPUS];
static volatile uint64_t	pages[CPUS];	/* single-page flushes */
static volatile int		stop;

/* --- what hv/flush.c needs ------------------------------------------ */

unsigned int
flush_arch_cpu(void)
{
	return me;
}

void
flush_arch_local(uint64_t va)
{
	__atomic_store_n(&seen[me], __atomic_load_n(&pt_version,
	    __ATOMIC_SEQ_CST), __ATOMIC_SEQ_CST);
	__atomic_add_fetch(va == FLUSH_ALL ? &flushes[me] : &pages[me], 1,
	    __ATOMIC_SEQ_CST);
}

void
flush_arch_ipi(unsigned int cpu)
{
	(void)cpu;		/* the other threads poll all the time */
}

uint64_t
time_now(void)
{
	return 0;
}

void
hv_log(enum log_level l, const char *fmt, ...)
{
	(void)l, (void)fmt;
}

bool
guest_range_ok(uint64_t gva, size_t n)
{
	return gva + n < UINT64_C(0x800000000000);
}

int
copy_from_guest(void *dst, uint64_t gva, size_t n)
{
	if (gva == BAD_GVA || !guest_range_ok(gva, n))
		return -1;
	memcpy(dst, (const void *)gva, n);
	return 0;
}

/* --- CPUs that poll, as hv's spin loops do --------------------------- */

static pthread_t pollers[CPUS];

static void *
poller(void *arg)
{
	me = (unsigned int)(uintptr_t)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_SEQ_CST)) {
		flush_poll_pending();
		sched_yield();	/* the host's cores are few and shared */
	}
	return NULL;
}

static int
pollers_start(void **state)
{
	unsigned int cpu;

	(void)state;
	me = 0;
	stop = 0;
	for (cpu = 1; cpu < CPUS; cpu++)
		if (pthread_create(&pollers[cpu], NULL, poller,
		    (void *)(uintptr_t)cpu) != 0)
			return -1;
	return 0;
}

static int
pollers_stop(void **state)
{
	unsigned int cpu;

	(void)state;
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	for (cpu = 1; cpu < CPUS; cpu++)
		pthread_join(pollers[cpu], NULL);
	return 0;
}

/* --- the tests -------------------------------------------------------- */

static void
test_flush_returns_after_every_named_cpu_flushed(void **state)
{
	uint64_t round, cpus = 0xe;	/* 1, 2 and 3 */
	unsigned int cpu;

	(void)state;
	for (round = 1; round <= ROUNDS; round++) {
		__atomic_store_n(&pt_version, round, __ATOMIC_SEQ_CST);
		flush_cpus(cpus, FLUSH_ALL);
		for (cpu = 1; cpu < CPUS; cpu++)
			assert_true(seen[cpu] >= round);
	}
}

static void
test_flush_of_this_cpu_is_done_here(void **state)
{
	uint64_t before = flushes[0], page = pages[0];

	(void)state;
	flush_cpus(UINT64_C(1) << 0, FLUSH_ALL);
	assert_int_equal(flushes[0], before + 1);
	flush_cpus(UINT64_C(1) << 0, 0x1000);
	assert_int_equal(pages[0], page + 1);
	flush_cpus(0, FLUSH_ALL);
	assert_int_equal(flushes[0], before + 1);
}

/*
 * Two CPUs that flush each other, again and again, both get through.
 * One that is done goes on answering, as a CPU never leaves.
 */
static volatile int finished;

static void *
flush_the_other(void *arg)
{
	unsigned int i;

	me = (unsigned int)(uintptr_t)arg;
	for (i = 0; i < ROUNDS; i++)
		flush_cpus(UINT64_C(1) << (me == 1 ? 2 : 1), FLUSH_ALL);
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&finished, __ATOMIC_SEQ_CST) < 2) {
		flush_poll_pending();
		sched_yield();
	}
	return NULL;
}

static void
test_two_cpus_flushing_each_other_both_finish(void **state)
{
	pthread_t a, b;

	(void)state;
	assert_int_equal(pthread_create(&a, NULL, flush_the_other,
	    (void *)(uintptr_t)1), 0);
	assert_int_equal(pthread_create(&b, NULL, flush_the_other,
	    (void *)(uintptr_t)2), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert_true(flushes[1] >= ROUNDS && flushes[2] >= ROUNDS);
}

static struct domain	dom_d, dom_e;
static struct vcpu	d0, d1, e0;

static void
domains_setup(void)
{
	memset(&dom_d, 0, sizeof(dom_d));
	memset(&dom_e, 0, sizeof(dom_e));
	memset(&d0, 0, sizeof(d0));
	memset(&d1, 0, sizeof(d1));
	memset(&e0, 0, sizeof(e0));
	dom_d.max_vcpus = 2;
	dom_d.vcpus[0] = &d0;
	dom_d.vcpus[1] = &d1;
	d0.domain = d1.domain = &dom_d;
	d1.id = 1;
	dom_e.max_vcpus = 1;
	dom_e.vcpus[0] = &e0;
	e0.domain = &dom_e;
}

static void
test_dirty_sets_follow_context_switches(void **state)
{
	(void)state;
	domains_setup();
	me = 1;
	flush_vcpu_load(&d0);
	assert_int_equal(dom_d.dirty_cpus, 0x2);
	assert_int_equal(d0.dirty_cpus, 0x2);
	/* Another vCPU of the same domain: still d's CPU. */
	flush_vcpu_load(&d1);
	flush_vcpu_unload(&d0, &d1);
	assert_int_equal(dom_d.dirty_cpus, 0x2);
	assert_int_equal(d0.dirty_cpus, 0);
	assert_int_equal(d1.dirty_cpus, 0x2);
	/* Another domain: the CR3 write dropped d's translations. */
	flush_vcpu_load(&e0);
	flush_vcpu_unload(&d1, &e0);
	assert_int_equal(dom_d.dirty_cpus, 0);
	assert_int_equal(dom_e.dirty_cpus, 0x2);
	/* Idle. */
	flush_vcpu_unload(&e0, NULL);
	assert_int_equal(dom_e.dirty_cpus, 0);
	me = 0;
}

/* d's vCPU 0 runs here (CPU 0), its vCPU 1 on CPU 2. */
static void
two_cpus_dirty(void)
{
	domains_setup();
	d0.dirty_cpus = 0x1;
	d1.dirty_cpus = 0x4;
	dom_d.dirty_cpus = 0x5;
}

static long
mmuext(unsigned int cmd, uint64_t va, uint64_t mask)
{
	struct xm_mmuext_op op = { .cmd = cmd };

	op.arg1.linear_addr = va;
	op.arg2.vcpumask = mask;
	return flush_mmuext(&d0, &op);
}

static void
test_mmuext_flushes_reach_the_cpus_of_the_vcpus_named(void **state)
{
	static uint64_t only_vcpu1 = 0x2, beyond = 0x1c;
	uint64_t f0 = flushes[0], f1 = flushes[1], f2 = flushes[2];

	(void)state;
	two_cpus_dirty();
	assert_int_equal(mmuext(XM_MMUEXT_TLB_FLUSH_MULTI, 0,
	    (uint64_t)&only_vcpu1), 0);
	assert_true(flushes[2] > f2);
	assert_int_equal(flushes[0], f0);
	/* Bits past the domain's vCPUs name nobody. */
	f2 = flushes[2];
	assert_int_equal(mmuext(XM_MMUEXT_TLB_FLUSH_MULTI, 0,
	    (uint64_t)&beyond), 0);
	assert_int_equal(flushes[2], f2);
	assert_int_equal(mmuext(XM_MMUEXT_TLB_FLUSH_ALL, 0, 0), 0);
	assert_int_equal(flushes[0], f0 + 1);
	assert_true(flushes[2] > f2);
	assert_int_equal(flushes[1], f1);
	assert_int_equal(mmuext(XM_MMUEXT_TLB_FLUSH_MULTI, 0, BAD_GVA),
	    -XM_EINVAL);
}

static void
test_invlpg_of_an_address_not_the_guests_flushes_nothing(void **state)
{
	uint64_t p0 = pages[0], f2 = flushes[2];

	(void)state;
	two_cpus_dirty();
	assert_int_equal(mmuext(XM_MMUEXT_INVLPG_ALL, HV_VA, 0), 0);
	assert_int_equal(mmuext(XM_MMUEXT_INVLPG_LOCAL, HV_VA, 0), 0);
	assert_int_equal(pages[0], p0);
	assert_int_equal(flushes[2], f2);
	assert_int_equal(mmuext(XM_MMUEXT_INVLPG_LOCAL, 0x1000, 0), 0);
	assert_int_equal(pages[0], p0 + 1);
}

static void
test_update_va_mapping_flags_pick_the_cpus(void **state)
{
	static uint64_t only_vcpu1 = 0x2;
	uint64_t f0 = flushes[0], p0 = pages[0], f2 = flushes[2];

	(void)state;
	two_cpus_dirty();
	/* No flush asked: this CPU only, all of it. */
	assert_int_equal(flush_uvmf(&d0, 0x1000, XM_UVMF_NONE), 0);
	assert_int_equal(flushes[0], f0 + 1);
	assert_int_equal(flush_uvmf(&d0, 0x1000,
	    XM_UVMF_INVLPG | XM_UVMF_LOCAL), 0);
	assert_int_equal(pages[0], p0 + 1);
	assert_int_equal(flushes[2], f2);
	assert_int_equal(flush_uvmf(&d0, 0x1000,
	    XM_UVMF_INVLPG | XM_UVMF_ALL), 0);
	assert_int_equal(pages[0], p0 + 2);
	assert_true(flushes[2] > f2);
	f0 = flushes[0];
	f2 = flushes[2];
	assert_int_equal(flush_uvmf(&d0, 0x1000, XM_UVMF_TLB_FLUSH |
	    XM_UVMF_MULTI | (uint64_t)&only_vcpu1), 0);
	assert_true(flushes[2] > f2);
	assert_int_equal(flushes[0], f0);
	assert_int_equal(flush_uvmf(&d0, 0x1000, XM_UVMF_TLB_FLUSH |
	    BAD_GVA), -XM_EFAULT);
}

int
main(void)
{
#define T(f)	cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
		T(test_flush_returns_after_every_named_cpu_flushed),
		T(test_flush_of_this_cpu_is_done_here),
		T(test_mmuext_flushes_reach_the_cpus_of_the_vcpus_named),
		T(test_invlpg_of_an_address_not_the_guests_flushes_nothing),
		T(test_update_va_mapping_flags_pick_the_cpus),
	};
	const struct CMUnitTest alone[] = {
		T(test_two_cpus_flushing_each_other_both_finish),
		T(test_dirty_sets_follow_context_switches),
	};
#undef T
	int failed;

	failed = cmocka_run_group_tests_name("with polling CPUs", tests,
	    pollers_start, pollers_stop);
	return failed + cmocka_run_group_tests_name("alone", alone, NULL,
	    NULL);
}
