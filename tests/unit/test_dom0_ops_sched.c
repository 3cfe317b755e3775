/*
 * Domain 0's scheduler requests (guests/dom0/ops_sched.c) as host code:
 * a hypercall is a call of fuzz_hypercall() (tests/fuzz/shim), played
 * here by a fake hv that records the domctl it was given.  Each test
 * states one promise: the request's values reach hv as they came, hv's
 * answer reaches xmd as it came, and no reserved domain id gets as far
 * as hv.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/vcpu.h>

#include "ctl_ops.h"
#include "ops.h"

/* The fake hv. */
static struct xm_domctl	last;
static unsigned int	calls;
static int		hv_status;
static uint32_t		hv_vcpus;	/* VCPU_LIST: how many */
static uint32_t		hv_count_extra;	/* a lying hv says more */

static void
vcpu_list(struct xm_domctl *d)
{
	struct xm_vcpu_state st;
	uint32_t i, n = hv_vcpus < d->u.vcpu_list.max ? hv_vcpus :
	    d->u.vcpu_list.max;

	for (i = 0; i < n; i++) {
		memset(&st, 0, sizeof(st));
		st.vcpu = i;
		st.flags = XM_VCPUF_ONLINE;
		st.cpu = i % 2;
		st.runstate = XM_RUNSTATE_BLOCKED;
		st.cpumap = 0x3;
		st.cpu_time_ns = 1000 * (i + 1);
		memcpy((uint8_t *)d->u.vcpu_list.buffer + i * sizeof(st), &st,
		    sizeof(st));
	}
	d->u.vcpu_list.count = n + hv_count_extra;
}

long
fuzz_hypercall(unsigned int n, uint64_t a1, uint64_t a2)
{
	struct xm_domctl *d = (struct xm_domctl *)a1;

	(void)a2;
	assert_int_equal(n, XM_HYPERCALL_DOMCTL);
	assert_int_equal(d->interface_version, XM_DOMCTL_INTERFACE_VERSION);
	calls++;
	if (hv_status != 0)
		return hv_status;
	if (d->cmd == XM_DOMCTL_SCHED_GET) {
		d->u.sched.sched_id = XM_SCHED_CREDIT;
		d->u.sched.weight = 300;
		d->u.sched.cap = 25;
	} else if (d->cmd == XM_DOMCTL_VCPU_LIST)
		vcpu_list(d);
	last = *d;
	return 0;
}

/* ops_domain.c's rule, which the handlers share. */
int
ops_domid_query(xm_domid_t id)
{
	return id < XM_DOMID_FIRST_RESERVED ? 0 : -XM_EINVAL;
}

static uint8_t	reply_buf[XM_CTL_MAX_PAYLOAD];

static int
reset(void **state)
{
	(void)state;
	memset(&last, 0, sizeof(last));
	memset(reply_buf, 0, sizeof(reply_buf));
	calls = 0;
	hv_status = 0;
	hv_vcpus = 2;
	hv_count_extra = 0;
	return 0;
}

static void
test_sched_get_returns_hvs_answer(void **state)
{
	struct xm_ctl_domid id = { .domid = 3 };
	struct ctl_reply r = { .buf = reply_buf };
	struct xm_domctl_sched s;

	(void)state;
	assert_int_equal(ctl_op_sched_get((uint8_t *)&id, sizeof(id), &r), 0);
	assert_int_equal(last.cmd, XM_DOMCTL_SCHED_GET);
	assert_int_equal(last.domain, 3);
	assert_int_equal(r.len, sizeof(s));
	memcpy(&s, reply_buf, sizeof(s));
	assert_int_equal(s.sched_id, XM_SCHED_CREDIT);
	assert_int_equal(s.weight, 300);
	assert_int_equal(s.cap, 25);
}

static void
test_sched_set_passes_weight_and_cap(void **state)
{
	struct xm_ctl_sched s = { .domid = 4 };
	struct ctl_reply r = { .buf = reply_buf };

	(void)state;
	s.sched.weight = 512;
	s.sched.cap = 150;
	assert_int_equal(ctl_op_sched_set((uint8_t *)&s, sizeof(s), &r), 0);
	assert_int_equal(last.cmd, XM_DOMCTL_SCHED_SET);
	assert_int_equal(last.domain, 4);
	assert_int_equal(last.u.sched.weight, 512);
	assert_int_equal(last.u.sched.cap, 150);
	/* hv's refusal (a weight of 0) is the reply's status. */
	hv_status = -XM_EINVAL;
	s.sched.weight = 0;
	assert_int_equal(ctl_op_sched_set((uint8_t *)&s, sizeof(s), &r),
	    -XM_EINVAL);
}

static void
test_vcpu_affinity_passes_vcpu_and_map(void **state)
{
	struct xm_ctl_vcpu_affinity a = { .domid = 2 };
	struct ctl_reply r = { .buf = reply_buf };

	(void)state;
	a.affinity.vcpu = 1;
	a.affinity.cpumap = UINT64_C(0x8000000000000005);
	assert_int_equal(ctl_op_vcpu_affinity((uint8_t *)&a, sizeof(a), &r),
	    0);
	assert_int_equal(last.cmd, XM_DOMCTL_VCPU_AFFINITY);
	assert_int_equal(last.domain, 2);
	assert_int_equal(last.u.vcpu_affinity.vcpu, 1);
	assert_true(last.u.vcpu_affinity.cpumap ==
	    UINT64_C(0x8000000000000005));
	assert_int_equal(r.len, 0);
}

static void
test_vcpu_list_fills_the_reply(void **state)
{
	struct xm_ctl_domid id = { .domid = 6 };
	struct ctl_reply r = { .buf = reply_buf };
	struct xm_vcpu_state st;

	(void)state;
	hv_vcpus = 3;
	assert_int_equal(ctl_op_vcpu_list((uint8_t *)&id, sizeof(id), &r), 0);
	assert_int_equal(last.cmd, XM_DOMCTL_VCPU_LIST);
	assert_int_equal(last.u.vcpu_list.max,
	    XM_CTL_MAX_PAYLOAD / sizeof(struct xm_vcpu_state));
	assert_int_equal(r.len, 3 * sizeof(st));
	memcpy(&st, reply_buf + 2 * sizeof(st), sizeof(st));
	assert_int_equal(st.vcpu, 2);
	assert_int_equal(st.cpu_time_ns, 3000);
}

/* An hv that claims more vCPUs than fit is not believed. */
static void
test_vcpu_list_refuses_an_overfull_count(void **state)
{
	struct xm_ctl_domid id = { .domid = 6 };
	struct ctl_reply r = { .buf = reply_buf };

	(void)state;
	hv_vcpus = 5000;
	hv_count_extra = 1;
	assert_int_equal(ctl_op_vcpu_list((uint8_t *)&id, sizeof(id), &r),
	    -XM_EIO);
}

static void
test_reserved_ids_never_reach_hv(void **state)
{
	struct xm_ctl_domid id = { .domid = XM_DOMID_FIRST_RESERVED };
	struct xm_ctl_sched s = { .domid = 0x7ff1 };
	struct xm_ctl_vcpu_affinity a = { .domid = 0xffff };
	struct ctl_reply r = { .buf = reply_buf };

	(void)state;
	assert_int_equal(ctl_op_sched_get((uint8_t *)&id, sizeof(id), &r),
	    -XM_EINVAL);
	assert_int_equal(ctl_op_vcpu_list((uint8_t *)&id, sizeof(id), &r),
	    -XM_EINVAL);
	assert_int_equal(ctl_op_sched_set((uint8_t *)&s, sizeof(s), &r),
	    -XM_EINVAL);
	assert_int_equal(ctl_op_vcpu_affinity((uint8_t *)&a, sizeof(a), &r),
	    -XM_EINVAL);
	assert_int_equal(calls, 0);
}

static void
test_hv_failure_is_the_status(void **state)
{
	struct xm_ctl_domid id = { .domid = 9 };
	struct ctl_reply r = { .buf = reply_buf };

	(void)state;
	hv_status = -XM_ESRCH;
	assert_int_equal(ctl_op_sched_get((uint8_t *)&id, sizeof(id), &r),
	    -XM_ESRCH);
	assert_int_equal(ctl_op_vcpu_list((uint8_t *)&id, sizeof(id), &r),
	    -XM_ESRCH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sched_get_returns_hvs_answer,
		    reset),
		cmocka_unit_test_setup(test_sched_set_passes_weight_and_cap,
		    reset),
		cmocka_unit_test_setup(test_vcpu_affinity_passes_vcpu_and_map,
		    reset),
		cmocka_unit_test_setup(test_vcpu_list_fills_the_reply, reset),
		cmocka_unit_test_setup(
		    test_vcpu_list_refuses_an_overfull_count, reset),
		cmocka_unit_test_setup(test_reserved_ids_never_reach_hv,
		    reset),
		cmocka_unit_test_setup(test_hv_failure_is_the_status, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
