/*
 * The scheduler's domctls (hv/domctl_sched.c) as host code, with the
 * scheduler and guest memory as fakes. The promises under test: bad
 * parameters (weight 0 or above 65535, a cap above 100 per vCPU, a vCPU
 * the domain lacks) are -EINVAL, logged against the domain, and reach
 * nothing that would change it; good ones at the limits are taken;
 * VCPU_LIST reports each vCPU's CPU, affinity, flags and times up to
 * now, no more vCPUs than asked, and -EFAULT for a bad buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/vcpu.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/guest_access.h>
#include <hv/sched.h>
#include <hv/time.h>

#define NOW		UINT64_C(1000000)
#define BAD_GVA		UINT64_C(0xbad0000)

static struct domain	dom;
static struct vcpu	vcpus[2];
static struct xm_domctl	op;
static struct domctl_call call = { NULL, &dom, &op };
static unsigned int	refusals, params_set, affinity_set;
static uint32_t		set_weight, set_cap;

/* --- what hv/domctl_sched.c needs ------------------------------------ */

uint64_t
time_now(void)
{
	return NOW;
}

void
hv_log(enum log_level l, const char *fmt, ...)
{
	(void)l, (void)fmt;
}

void
domain_log_refusal(struct domain *d, const char *fmt, ...)
{
	assert_ptr_equal(d, &dom);		/* names the domain */
	(void)fmt;
	refusals++;
}

unsigned int
sched_id(void)
{
	return XM_SCHED_CREDIT;
}

int
sched_set_params(struct domain *d, uint32_t weight, uint32_t cap)
{
	params_set++;
	set_weight = weight;
	set_cap = cap;
	d->sched.weight = weight;
	d->sched.cap = cap;
	return 0;
}

int
sched_set_affinity(struct vcpu *v, uint64_t cpumap)
{
	if ((cpumap & 3) == 0)		/* two CPUs online */
		return -XM_EINVAL;
	affinity_set++;
	v->sched.cpumap = cpumap;
	return 0;
}

unsigned int
vcpu_sched_lock(struct vcpu *v)
{
	return v->processor;
}

void
vcpu_sched_unlock(struct vcpu *v, unsigned int cpu)
{
	(void)v, (void)cpu;
}

int
copy_to_guest(uint64_t gva, const void *src, size_t n)
{
	if (gva == BAD_GVA)
		return -XM_EFAULT;
	memcpy((void *)(uintptr_t)gva, src, n);
	return 0;
}

/* --- the tests -------------------------------------------------------- */

static int
setup(void **state)
{
	unsigned int i;

	(void)state;
	memset(&dom, 0, sizeof(dom));
	memset(vcpus, 0, sizeof(vcpus));
	memset(&op, 0, sizeof(op));
	dom.id = 1;
	dom.max_vcpus = 2;
	dom.sched.weight = 256;
	for (i = 0; i < 2; i++) {
		vcpus[i].domain = &dom;
		vcpus[i].id = i;
		vcpus[i].sched.cpumap = ~UINT64_C(0);
		dom.vcpus[i] = &vcpus[i];
	}
	refusals = params_set = affinity_set = 0;
	return 0;
}

static long
set(uint32_t weight, uint32_t cap)
{
	op.u.sched.weight = weight;
	op.u.sched.cap = cap;
	return domctl_sched_set(&call);
}

static void
bad_parameters_change_nothing(void **state)
{
	static const uint32_t bad[][2] = {
		{ 0, 0 }, { 65536, 0 }, { UINT32_MAX, 0 }, { 256, 201 },
		{ 256, UINT32_MAX }, { 0, 500 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(set(bad[i][0], bad[i][1]), -XM_EINVAL);
		assert_int_equal(refusals, i + 1);
	}
	assert_int_equal(params_set, 0);
	assert_int_equal(dom.sched.weight, 256);
	assert_int_equal(dom.sched.cap, 0);
}

static void
limits_are_taken(void **state)
{
	(void)state;
	assert_int_equal(set(1, 200), 0);	/* 100 % per vCPU, 2 vCPUs */
	assert_int_equal(set_weight, 1);
	assert_int_equal(set_cap, 200);
	assert_int_equal(set(65535, 0), 0);
	assert_int_equal(params_set, 2);
	assert_int_equal(refusals, 0);
	memset(&op, 0, sizeof(op));
	assert_int_equal(domctl_sched_get(&call), 0);
	assert_int_equal(op.u.sched.weight, 65535);
	assert_int_equal(op.u.sched.cap, 0);
	assert_int_equal(op.u.sched.sched_id, XM_SCHED_CREDIT);
}

static long
pin(uint32_t vcpu, uint64_t cpumap)
{
	op.u.vcpu_affinity.vcpu = vcpu;
	op.u.vcpu_affinity.cpumap = cpumap;
	return domctl_vcpu_affinity(&call);
}

static void
affinity_of_what_exists(void **state)
{
	(void)state;
	assert_int_equal(pin(2, 1), -XM_EINVAL);	/* no vCPU 2 */
	assert_int_equal(pin(UINT32_MAX, 1), -XM_EINVAL);
	dom.vcpus[1] = NULL;
	assert_int_equal(pin(1, 1), -XM_EINVAL);	/* not created */
	assert_int_equal(pin(0, 0), -XM_EINVAL);	/* no CPU */
	assert_int_equal(pin(0, UINT64_C(1) << 40), -XM_EINVAL);
	assert_int_equal(affinity_set, 0);
	assert_int_equal(refusals, 5);
	assert_int_equal(vcpus[0].sched.cpumap, ~UINT64_C(0));
	assert_int_equal(pin(0, 2), 0);
	assert_int_equal(vcpus[0].sched.cpumap, 2);
}

static void
vcpu_list_reports_state(void **state)
{
	struct xm_vcpu_state st[3];

	(void)state;
	memset(st, 0xa5, sizeof(st));
	vcpus[0].state = VCPU_RUNNING;
	vcpus[0].processor = 1;
	vcpus[0].runstate = XM_RUNSTATE_RUNNING;
	vcpus[0].runstate_since = NOW - 500;
	vcpus[0].runstate_time[XM_RUNSTATE_RUNNING] = 1000;
	vcpus[0].runstate_time[XM_RUNSTATE_RUNNABLE] = 7;
	vcpus[0].sched.cpumap = 2;
	vcpus[1].state = VCPU_OFFLINE;
	vcpus[1].runstate = XM_RUNSTATE_OFFLINE;
	vcpus[1].runstate_since = NOW;
	op.u.vcpu_list.max = 3;
	op.u.vcpu_list.buffer = (uint64_t)(uintptr_t)st;
	assert_int_equal(domctl_vcpu_list(&call), 0);
	assert_int_equal(op.u.vcpu_list.count, 2);
	assert_int_equal(st[0].vcpu, 0);
	assert_int_equal(st[0].cpu, 1);
	assert_int_equal(st[0].flags, XM_VCPUF_ONLINE | XM_VCPUF_RUNNING);
	assert_int_equal(st[0].cpumap, 2);
	assert_int_equal(st[0].time[XM_RUNSTATE_RUNNING], 1500);
	assert_int_equal(st[0].cpu_time_ns, 1500);
	assert_int_equal(st[0].time[XM_RUNSTATE_RUNNABLE], 7);
	assert_int_equal(st[1].vcpu, 1);
	assert_int_equal(st[1].flags, 0);
	assert_int_equal(st[2].vcpu, 0xa5a5a5a5);	/* untouched */
	/* At most max; a buffer hv cannot write is -EFAULT. */
	op.u.vcpu_list.max = 1;
	assert_int_equal(domctl_vcpu_list(&call), 0);
	assert_int_equal(op.u.vcpu_list.count, 1);
	op.u.vcpu_list.buffer = BAD_GVA;
	assert_int_equal(domctl_vcpu_list(&call), -XM_EFAULT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bad_parameters_change_nothing, setup),
		cmocka_unit_test_setup(limits_are_taken, setup),
		cmocka_unit_test_setup(affinity_of_what_exists, setup),
		cmocka_unit_test_setup(vcpu_list_reports_state, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
