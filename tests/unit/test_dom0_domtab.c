/*
 * Domain 0's view of domain states (guests/dom0/domtab.c): what a
 * VIRQ_DOM_EXC scan reports to xmd.  Each test states one promise:
 * a change of shutdown or dying state is news exactly once, running
 * and blocking are not, and a domain that vanished is reported gone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <xm/domctl.h>
#include <xm/sched.h>

#include "domtab.h"

static struct domtab	tab;
static xm_domid_t	gone[DOMTAB_MAX + 8];
static unsigned int	ngone;

static void
on_gone(void *arg, xm_domid_t id)
{
	(void)arg;
	gone[ngone++] = id;
}

static int
setup(void **state)
{
	(void)state;
	domtab_init(&tab);
	ngone = 0;
	return 0;
}

static struct xm_domctl_info
dom(xm_domid_t id, uint32_t flags, uint32_t reason)
{
	struct xm_domctl_info i;

	memset(&i, 0, sizeof(i));
	i.domain = id;
	i.flags = flags;
	i.shutdown_reason = reason;
	return i;
}

/* One scan of n domains; how many were news. */
static unsigned int
scan(const struct xm_domctl_info *d, unsigned int n)
{
	unsigned int i, news = 0;

	domtab_begin(&tab);
	for (i = 0; i < n; i++)
		news += domtab_see(&tab, &d[i]) != 0;
	domtab_end(&tab, on_gone, NULL);
	return news;
}

static void
test_running_domains_are_no_news(void **state)
{
	struct xm_domctl_info d[3] = {
		dom(0, XM_DOMINF_RUNNING | XM_DOMINF_PRIVILEGED, 0),
		dom(1, XM_DOMINF_BLOCKED, 0),
		dom(2, XM_DOMINF_PAUSED | XM_DOMINF_BUILDING, 0),
	};

	(void)state;
	assert_int_equal(scan(d, 3), 0);
	d[1].flags = XM_DOMINF_RUNNING;
	d[2].flags = 0;
	assert_int_equal(scan(d, 3), 0);
	assert_int_equal(ngone, 0);
}

static void
test_shutdown_is_news_once(void **state)
{
	struct xm_domctl_info d[2] = {
		dom(0, XM_DOMINF_RUNNING, 0),
		dom(5, XM_DOMINF_BLOCKED, 0),
	};

	(void)state;
	assert_int_equal(scan(d, 2), 0);
	d[1] = dom(5, XM_DOMINF_SHUTDOWN, XM_SHUTDOWN_CRASH);
	assert_int_equal(scan(d, 2), 1);
	assert_int_equal(scan(d, 2), 0);
	/* The reason changing is news too. */
	d[1].shutdown_reason = XM_SHUTDOWN_POWEROFF;
	assert_int_equal(scan(d, 2), 1);
	d[1].flags |= XM_DOMINF_DYING;
	assert_int_equal(scan(d, 2), 1);
}

static void
test_new_domain_already_down_is_news(void **state)
{
	struct xm_domctl_info d[2] = {
		dom(0, XM_DOMINF_RUNNING, 0),
		dom(7, XM_DOMINF_SHUTDOWN, XM_SHUTDOWN_REBOOT),
	};

	(void)state;
	assert_int_equal(scan(d, 1), 0);
	assert_int_equal(scan(d, 2), 1);
}

static void
test_vanished_domain_is_gone_once(void **state)
{
	struct xm_domctl_info d[3] = {
		dom(0, XM_DOMINF_RUNNING, 0),
		dom(3, XM_DOMINF_RUNNING, 0),
		dom(4, XM_DOMINF_RUNNING, 0),
	};

	(void)state;
	scan(d, 3);
	d[1] = d[2];
	assert_int_equal(scan(d, 2), 0);
	assert_int_equal(ngone, 1);
	assert_int_equal(gone[0], 3);
	scan(d, 2);
	assert_int_equal(ngone, 1);
	/* The id comes back: a new domain, not news while it runs. */
	d[2] = dom(3, XM_DOMINF_RUNNING, 0);
	assert_int_equal(scan(d, 3), 0);
}

static void
test_more_domains_than_tracked(void **state)
{
	static struct xm_domctl_info d[DOMTAB_MAX + 8];
	unsigned int i;

	(void)state;
	for (i = 0; i < DOMTAB_MAX + 8; i++)
		d[i] = dom((xm_domid_t)i, XM_DOMINF_RUNNING, 0);
	assert_int_equal(scan(d, DOMTAB_MAX + 8), 0);
	assert_int_equal(tab.dt_overflow, 8);
	/* An untracked domain that is down is still reported. */
	d[DOMTAB_MAX + 1].flags = XM_DOMINF_SHUTDOWN;
	assert_int_equal(scan(d, DOMTAB_MAX + 8), 1);
	assert_int_equal(scan(d, 0), 0);
	assert_int_equal(ngone, DOMTAB_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_running_domains_are_no_news,
		    setup),
		cmocka_unit_test_setup(test_shutdown_is_news_once, setup),
		cmocka_unit_test_setup(test_new_domain_already_down_is_news,
		    setup),
		cmocka_unit_test_setup(test_vanished_domain_is_gone_once,
		    setup),
		cmocka_unit_test_setup(test_more_domains_than_tracked, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
