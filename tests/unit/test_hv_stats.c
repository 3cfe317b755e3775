/*
 * hv's statistics (hv/stats.c) as host code, over a fake domain table
 * and clock. The promises of XM_DOMCTL_STATS: every domain from first,
 * at most max; a domain's CPU time is the sum of its vCPUs'; a vCPU's
 * run-state times, the current state's time up to now included, add up
 * to its age; counters are the sums of its vCPUs'; the CPUs' busy and
 * idle add up to the uptime; a buffer it cannot write is -EFAULT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/vcpu.h>

#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/stats.h>

#define NOW	UINT64_C(10000)

struct domain	*domain_table[HV_MAX_DOMAINS];
unsigned int	 nr_cpus_online = 2;
static struct domain	doms[3];
static struct vcpu	vcpus[3][2];
static uint8_t		window[64 * 1024];
static size_t		window_len = sizeof(window);

/* --- what hv/stats.c needs ------------------------------------------ */

uint64_t
time_now(void)
{
	return NOW;
}

void
domain_list_lock(void)
{
}

void
domain_list_unlock(void)
{
}

void *
hv_alloc(size_t n)
{
	return calloc(1, n);
}

void
hv_free(void *p)
{
	free(p);
}

int
copy_to_guest(uint64_t gva, const void *src, size_t n)
{
	uintptr_t a = (uintptr_t)gva, w = (uintptr_t)window;

	if (a < w || a + n > w + window_len)
		return -XM_EFAULT;
	memcpy((void *)a, src, n);
	return 0;
}

void
domctl_fill_info(const struct domain *d, struct xm_domctl_info *info)
{
	memset(info, 0, sizeof(*info));
	info->domain = d->id;
	info->nr_vcpus = d->max_vcpus;
	info->nr_online_vcpus = 1;
	info->tot_pages = d->mm.tot_pages;
	info->max_pages = d->mm.max_pages;
}

/* --- the fixture --------------------------------------------------- */

/* Domain id with two vCPUs: vCPU 0 running since 9000, 1 blocked. */
static void
make(unsigned int slot, uint16_t id)
{
	struct domain *d = &doms[slot];
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->id = id;
	d->max_vcpus = 2;
	d->created_ns = 1000;
	d->mm.tot_pages = 17;
	d->mm.max_pages = 17;
	d->events_received = 5;
	for (i = 0; i < 2; i++) {
		struct vcpu *v = &vcpus[slot][i];

		memset(v, 0, sizeof(*v));
		v->domain = d;
		v->id = i;
		v->created_ns = 1000;
		v->runstate_since = 9000;
		v->runstate = i == 0 ? XM_RUNSTATE_RUNNING :
		    XM_RUNSTATE_BLOCKED;
		v->state = i == 0 ? VCPU_RUNNING : VCPU_BLOCKED;
		v->runstate_time[XM_RUNSTATE_RUNNING] = 3000;
		v->runstate_time[XM_RUNSTATE_RUNNABLE] = 1000;
		v->runstate_time[XM_RUNSTATE_BLOCKED] = 2000;
		v->runstate_time[XM_RUNSTATE_OFFLINE] = 2000;
		v->stats.hypercalls[XM_HYPERCALL_SCHED_OP] = 10 + i;
		v->stats.hypercalls_other = 1;
		v->stats.events_sent = 2;
		v->stats.mmu_updates = 3;
		d->vcpus[i] = v;
	}
	domain_table[id] = d;
}

static int
setup(void **state)
{
	(void)state;
	memset(domain_table, 0, sizeof(domain_table));
	make(0, 0);
	make(1, 3);
	make(2, 7);
	window_len = sizeof(window);
	return 0;
}

static long
run(uint16_t first, uint32_t max, struct xm_domctl *op)
{
	struct domctl_call c = { &doms[0], NULL, op };

	memset(op, 0, sizeof(*op));
	op->cmd = XM_DOMCTL_STATS;
	op->u.stats.first = first;
	op->u.stats.max = max;
	op->u.stats.cpus = (uint64_t)(uintptr_t)window;
	op->u.stats.nr_cpus = XM_STATS_MAX_CPUS;
	op->u.stats.buffer = (uint64_t)(uintptr_t)(window + 1024);
	return domctl_stats(&c);
}

static const struct xm_dom_stats *
out(unsigned int i)
{
	return (const struct xm_dom_stats *)(window + 1024) + i;
}

/* --- the tests ------------------------------------------------------ */

static void
every_domain_from_first_at_most_max(void **state)
{
	struct xm_domctl op;

	(void)state;
	assert_int_equal(run(0, 64, &op), 0);
	assert_int_equal(op.u.stats.count, 3);
	assert_int_equal(out(1)->domain, 3);
	assert_int_equal(run(1, 64, &op), 0);
	assert_int_equal(op.u.stats.count, 2);
	assert_int_equal(out(0)->domain, 3);
	assert_int_equal(run(0, 1, &op), 0);
	assert_int_equal(op.u.stats.count, 1);
	assert_int_equal(op.u.stats.now_ns, NOW);
}

static void
times_add_up(void **state)
{
	const struct xm_dom_stats *s;
	struct xm_domctl op;
	unsigned int i, r;
	uint64_t sum, cpu = 0;

	(void)state;
	assert_int_equal(run(3, 1, &op), 0);
	s = out(0);
	for (i = 0; i < 2; i++) {
		for (sum = 0, r = 0; r < 4; r++)
			sum += s->vcpu[i].time[r];
		assert_int_equal(sum, NOW - s->vcpu[i].created_ns);
		assert_int_equal(s->vcpu[i].cpu_time_ns,
		    s->vcpu[i].time[XM_RUNSTATE_RUNNING]);
		cpu += s->vcpu[i].cpu_time_ns;
	}
	assert_int_equal(s->vcpu[0].time[XM_RUNSTATE_RUNNING], 4000);
	assert_int_equal(s->vcpu[1].time[XM_RUNSTATE_BLOCKED], 3000);
	assert_int_equal(s->cpu_time_ns, cpu);
	assert_true(s->vcpu[0].flags & XM_VCPUF_RUNNING);
	assert_true(s->vcpu[1].flags & XM_VCPUF_BLOCKED);
}

static void
counters_are_the_vcpus_sums(void **state)
{
	const struct xm_dom_stats *s;
	struct xm_domctl op;

	(void)state;
	assert_int_equal(run(7, 1, &op), 0);
	s = out(0);
	assert_int_equal(s->hypercalls[XM_HYPERCALL_SCHED_OP], 21);
	assert_int_equal(s->hypercalls_total, 23);
	assert_int_equal(s->events_sent, 4);
	assert_int_equal(s->events_received, 5);
	assert_int_equal(s->mmu_updates, 6);
	assert_int_equal(s->tot_pages, 17);
	assert_int_equal(s->nr_vcpus, 2);
}

static void
cpus_busy_and_idle(void **state)
{
	const struct xm_cpu_stats *c = (const struct xm_cpu_stats *)window;
	struct xm_domctl op;

	(void)state;
	assert_int_equal(run(0, 64, &op), 0);
	assert_int_equal(op.u.stats.nr_cpus, 2);
	assert_int_equal(c[1].cpu, 1);
	assert_int_equal(c[1].online, 1);
	assert_int_equal(c[1].busy_ns + c[1].idle_ns, NOW);
}

static void
unwritable_buffer_efault(void **state)
{
	struct xm_domctl op;

	(void)state;
	window_len = 1024 + sizeof(struct xm_dom_stats);
	assert_int_equal(run(0, 64, &op), -XM_EFAULT);
	window_len = 16;
	assert_int_equal(run(0, 64, &op), -XM_EFAULT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(every_domain_from_first_at_most_max,
		    setup),
		cmocka_unit_test_setup(times_add_up, setup),
		cmocka_unit_test_setup(counters_are_the_vcpus_sums, setup),
		cmocka_unit_test_setup(cpus_busy_and_idle, setup),
		cmocka_unit_test_setup(unwritable_buffer_efault, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
