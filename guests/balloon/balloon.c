/*
 * balloon: a domain that asks hv for more memory, one page at a time,
 * as a balloon driver growing towards its target does, and keeps
 * running when hv says no.  At boot it prints what it was built with
 * (start_info's nr_pages, XENMEM_current_reservation and
 * _maximum_reservation); then it waits wait_ms, and asks for one page
 * with XENMEM_increase_reservation every step_ms until it has
 * target_kib (default: its maximum reservation, as it was at boot).
 * A refusal (hv does none of the extent: its limit) is printed once,
 * with the reservation it had; after that it asks again every
 * second, and prints a line that it still runs, for rounds seconds
 * (default: for ever), then powers off.
 *
 * The console lines:
 *	balloon: built with N pages, reservation N, maximum N
 *	balloon: grew to N pages
 *	balloon: refused at N pages (increase_reservation did 0 of 1)
 *	balloon: still running at N pages, round N
 */

#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <xm/memory.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/time.h>

#define GREW_EVERY	256		/* pages between progress lines */
#define KIB_PER_PAGE	4

static long
reservation(unsigned int cmd)
{
	xm_domid_t self = XM_DOMID_SELF;

	return HYPERVISOR_memory_op(cmd, &self);
}

/* One more page: 1 when hv gave it, else 0 (or a negative error). */
static long
grow_one(void)
{
	static xm_pfn_t frame;
	struct xm_memory_reservation r = {
		.extent_start = (xm_guest_handle_t)&frame,
		.nr_extents = 1,
		.extent_order = 0,
		.domid = XM_DOMID_SELF,
	};

	return HYPERVISOR_memory_op(XM_XENMEM_INCREASE_RESERVATION, &r);
}

/* After a refusal: ask again now and then, and say it still runs. */
static void
keep_running(uint64_t rounds)
{
	uint64_t round;
	long rc;

	for (round = 1; rounds == 0 || round <= rounds; round++) {
		sleep_ns(NSEC_PER_SEC);
		rc = grow_one();
		gprintf("balloon: still running at %ld pages, round %lu%s\n",
		    reservation(XM_XENMEM_CURRENT_RESERVATION), round,
		    rc == 1 ? " (a page was given)" : "");
	}
}

int
guest_main(void)
{
	long cur = reservation(XM_XENMEM_CURRENT_RESERVATION);
	long max = reservation(XM_XENMEM_MAXIMUM_RESERVATION);
	uint64_t target = guest_cmdline_num("target_kib", 0, UINT64_MAX) /
	    KIB_PER_PAGE;
	uint64_t step_ns = guest_cmdline_num("step_ms", 5, UINT64_MAX) *
	    NSEC_PER_MSEC;
	uint64_t grown = 0;
	long rc = 1;

	gprintf("balloon: built with %lu pages, reservation %ld, maximum "
	    "%ld\n", guest_start_info->nr_pages, cur, max);
	if (cur < 0 || max < 0)
		return 1;
	if (target == 0)
		target = (uint64_t)max;
	sleep_ns(guest_cmdline_num("wait_ms", 0, UINT64_MAX) * NSEC_PER_MSEC);
	while ((uint64_t)cur < target && (rc = grow_one()) == 1) {
		cur++;
		if (++grown % GREW_EVERY == 0)
			gprintf("balloon: grew to %ld pages\n", cur);
		sleep_ns(step_ns);
	}
	cur = reservation(XM_XENMEM_CURRENT_RESERVATION);
	if (rc != 1)
		gprintf("balloon: refused at %ld pages (increase_reservation "
		    "did %ld of 1)\n", cur, rc);
	else
		gprintf("balloon: reached its target, %ld pages\n", cur);
	keep_running(guest_cmdline_num("rounds", 0, UINT64_MAX));
	return 0;
}
