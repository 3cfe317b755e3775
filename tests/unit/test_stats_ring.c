/*
 * xmd's rings of statistics samples and the rates made from them
 * (xmd/stats_ring.c). The promises: a ring keeps at most its size,
 * newest first; a new domain at the same id or a sample back in time
 * starts it again; rates are the counters' growth over the interval
 * between the last two samples, 0 with one sample and never negative;
 * the vCPU figures map run states to libvirt's keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <xm/domctl.h>
#include <xm/vcpu.h>

#include "stats_ring.h"

#define SEC	UINT64_C(1000000000)

static struct xm_dom_stats
sample(uint64_t cpu, uint64_t hc, uint64_t created)
{
	struct xm_dom_stats s;

	memset(&s, 0, sizeof(s));
	s.domain = 3;
	s.created_ns = created;
	s.nr_vcpus = 2;
	s.nr_online_vcpus = 1;
	s.cpu_time_ns = cpu;
	s.hypercalls_total = hc;
	s.events_received = hc / 2;
	s.vcpu[0].flags = XM_VCPUF_ONLINE | XM_VCPUF_RUNNING;
	s.vcpu[0].time[XM_RUNSTATE_RUNNING] = cpu;
	s.vcpu[0].time[XM_RUNSTATE_RUNNABLE] = 7;
	s.vcpu[1].flags = 0;
	s.vcpu[1].time[XM_RUNSTATE_OFFLINE] = 11;
	return s;
}

static void
ring_keeps_its_size_newest_first(void **state)
{
	struct stats_ring *r = stats_ring_new(3);
	struct xm_dom_stats s;
	unsigned int i;

	(void)state;
	assert_non_null(r);
	assert_null(stats_ring_at(r, 0));
	for (i = 1; i <= 5; i++) {
		s = sample(i, i, 1);
		stats_ring_push(r, i * SEC, &s);
	}
	assert_int_equal(r->sr_count, 3);
	assert_int_equal(stats_ring_at(r, 0)->ss_dom.cpu_time_ns, 5);
	assert_int_equal(stats_ring_at(r, 2)->ss_dom.cpu_time_ns, 3);
	assert_null(stats_ring_at(r, 3));
	free(r);
}

static void
ring_sizes_are_bounded(void **state)
{
	(void)state;
	assert_null(stats_ring_new(0));
	assert_null(stats_ring_new(STATS_RING_MAX + 1));
	free(stats_ring_new(STATS_RING_MAX));
}

static void
new_domain_or_time_back_starts_again(void **state)
{
	struct stats_ring *r = stats_ring_new(4);
	struct xm_dom_stats s;

	(void)state;
	s = sample(10, 10, 1);
	stats_ring_push(r, 1 * SEC, &s);
	s = sample(20, 20, 1);
	stats_ring_push(r, 2 * SEC, &s);
	s = sample(1, 1, 99);		/* another domain, same id */
	stats_ring_push(r, 3 * SEC, &s);
	assert_int_equal(r->sr_count, 1);
	s = sample(2, 2, 99);
	stats_ring_push(r, 3 * SEC, &s);	/* not later */
	assert_int_equal(r->sr_count, 1);
	free(r);
}

static void
rates_over_the_last_interval(void **state)
{
	struct stats_ring *r = stats_ring_new(4);
	struct xmctl_domain_stats o;
	struct xm_dom_stats s;

	(void)state;
	s = sample(1 * SEC, 100, 1);
	stats_ring_push(r, 10 * SEC, &s);
	memset(&o, 0, sizeof(o));
	stats_ring_record(r, &o);
	assert_true(o.cpu_percent == 0 && o.hypercall_rate == 0);
	assert_int_equal(o.cpu_time_ns, 1 * SEC);
	s = sample(1 * SEC + SEC / 2, 300, 1);	/* half a CPU, 200 calls */
	stats_ring_push(r, 11 * SEC, &s);
	stats_ring_record(r, &o);
	assert_true(o.cpu_percent > 49.99 && o.cpu_percent < 50.01);
	assert_true(o.hypercall_rate > 199.99 && o.hypercall_rate < 200.01);
	assert_true(o.event_rate > 99.99 && o.event_rate < 100.01);
	assert_true(o.vcpu[0].cpu_percent > 49.99);
	assert_int_equal(o.hypercalls, 300);
	assert_int_equal(o.sample_ns, 11 * SEC);
	free(r);
}

static void
vcpu_figures_use_libvirts_states(void **state)
{
	struct stats_ring *r = stats_ring_new(2);
	struct xmctl_domain_stats o;
	struct xm_dom_stats s = sample(5, 5, 1);

	(void)state;
	s.vcpu[1].flags = XM_VCPUF_ONLINE | XM_VCPUF_BLOCKED;
	stats_ring_push(r, SEC, &s);
	memset(&o, 0, sizeof(o));
	stats_ring_record(r, &o);
	assert_int_equal(o.vcpu_current, 1);
	assert_int_equal(o.vcpu_maximum, 2);
	assert_int_equal(o.vcpu[0].state, 1);
	assert_int_equal(o.vcpu[0].time_ns, 5);
	assert_int_equal(o.vcpu[0].wait_ns, 7);
	assert_int_equal(o.vcpu[1].state, 2);
	assert_int_equal(o.vcpu[1].offline_ns, 11);
	s.vcpu[1].flags = 0;
	stats_ring_push(r, 2 * SEC, &s);
	stats_ring_record(r, &o);
	assert_int_equal(o.vcpu[1].state, 0);
	free(r);
}

static void
rates_never_negative(void **state)
{
	(void)state;
	assert_true(stats_rate(10, 5, SEC) == 0);
	assert_true(stats_rate(5, 10, 0) == 0);
	assert_true(stats_percent(0, SEC, SEC) > 99.99);
}

static void
node_busy_percent(void **state)
{
	struct xm_ctl_stats_reply a, b;
	struct xmctl_node_stats o;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&o, 0, sizeof(o));
	a.nr_cpus = 2;
	a.now_ns = 10 * SEC;
	a.cpu[0].busy_ns = 2 * SEC;
	a.cpu[1].busy_ns = 4 * SEC;
	b = a;
	b.now_ns = 11 * SEC;
	b.cpu[0].busy_ns += SEC;		/* 100 % */
	stats_node_record(&b, &a, &o);
	assert_int_equal(o.nr_cpus, 2);
	assert_true(o.cpu[0].busy_percent > 99.99);
	assert_true(o.cpu[1].busy_percent == 0);
	assert_true(o.busy_percent > 49.99 && o.busy_percent < 50.01);
	stats_node_record(&b, NULL, &o);
	assert_int_equal(o.uptime_ns, 11 * SEC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_keeps_its_size_newest_first),
		cmocka_unit_test(ring_sizes_are_bounded),
		cmocka_unit_test(new_domain_or_time_back_starts_again),
		cmocka_unit_test(rates_over_the_last_interval),
		cmocka_unit_test(vcpu_figures_use_libvirts_states),
		cmocka_unit_test(rates_never_negative),
		cmocka_unit_test(node_busy_percent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
