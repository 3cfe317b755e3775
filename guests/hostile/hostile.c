/*
 * hostile: a domain that attacks hv and, through hv, the other
 * domains, one attempt at a time, and reports each as a TAP line "ok N
 * - <what> refused (<how>)": an error code, a fault bounced back to it,
 * or, for the last attack, its own death.
 *
 * It survives the faults it provokes with a trap table of its own
 * (trap.S, fault.c).  The attacks: hv's memory and privileged
 * instructions (cpu.c), the PV MMU (mmu.c), hypercall arguments
 * (hcall.c), event channels and grant tables (evtchn.c).  Last, it
 * points its stack at nothing and faults, so that hv cannot deliver
 * the fault and must kill it with a logged reason.
 *
 * Command line: busy=1 skips the attacks and stays in long hypercalls
 * until destroyed (isolation.sh destroys it while it runs).
 */

#include <stdint.h>

#include <klib/parse.h>

#include <xm/arch_x86_64.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/vcpu.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/gnttab.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>

#include "hostile.h"

/* Not mapped in any guest built by hv: the lower half's 256 MiB mark. */
#define DEAD_STACK	UINT64_C(0x10000000)
#define OWN_MAP_MFNS	(UINT64_C(1) << 20)

/* [0] mapping target, [1] data before [2], which the attacks unmap. */
uint8_t hx_scratch[3 * PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));

static uint64_t	own_map[OWN_MAP_MFNS / 64];
int		hx_gnttab_rc;

int
hx_own_mfn(uint64_t mfn)
{
	const struct xm_start_info *si = guest_start_info;

	if (mfn == si->shared_info >> PAGE_SHIFT)
		return 1;
	if (mfn >= OWN_MAP_MFNS)
		return 0;
	return (own_map[mfn / 64] >> (mfn % 64)) & 1;
}

static void
own_map_init(void)
{
	uint64_t i, mfn;

	for (i = 0; i < guest_start_info->nr_pages; i++) {
		mfn = pfn_to_mfn(i);
		if (mfn < OWN_MAP_MFNS)
			own_map[mfn / 64] |= UINT64_C(1) << (mfn % 64);
	}
}

/*
 * Give every frame of the p2m back while still running on them: hv may
 * free each only when the last mapping of it goes, which for most is
 * when the domain is torn down.  Holes (given back already) are not
 * counted.
 */
static void
give_back_everything(void)
{
	static uint64_t mfns[512];
	struct xm_memory_reservation r = { .domid = XM_DOMID_SELF };
	xm_domid_t self = XM_DOMID_SELF;
	uint64_t n = guest_start_info->nr_pages, i, j, k, done = 0, holes = 0;
	long rc = 0, before, after;

	before = HYPERVISOR_memory_op(XM_XENMEM_CURRENT_RESERVATION, &self);
	r.extent_start = (uint64_t)mfns;
	for (i = 0; i < n && rc >= 0; i += j) {
		for (j = k = 0; j < 512 && i + j < n; j++)
			if (pfn_to_mfn(i + j) != HX_P2M_HOLE)
				mfns[k++] = pfn_to_mfn(i + j);
		r.nr_extents = k;
		rc = HYPERVISOR_memory_op(XM_XENMEM_DECREASE_RESERVATION, &r);
		done += rc > 0 ? (uint64_t)rc : 0;
		holes += j - k;
	}
	n -= holes;
	after = HYPERVISOR_memory_op(XM_XENMEM_CURRENT_RESERVATION, &self);
	TEST_OK(done == n && after >= 0 && after <= before, "gave back all "
	    "%lu frames it still runs on (done %lu, reservation %ld -> %ld)",
	    n, done, before, after);
}

/* Where vcpu_info_moved() puts its vCPU's vcpu_info. */
static uint8_t vcpu_info_page[PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));

/*
 * vcpu_info moved into a page of its own, events masked first (the
 * runtime goes on reading the old one, so none may come any more): hv
 * holds that frame while the domain lives and must let go of it when
 * it is destroyed (isolation.sh's teardown: nothing may stay
 * referenced; hv used to keep the reference VCPUOP_register_vcpu_info
 * took).
 */
static void
vcpu_info_moved(void)
{
	struct xm_vcpu_register_vcpu_info ri = {
		.mfn = virt_to_mfn(vcpu_info_page),
		.offset = 64,
	};
	long rc;

	local_irq_disable();
	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_VCPU_INFO, 0, &ri);
	TEST_OK(rc == 0, "moved its vcpu_info into a page of its own (%ld)",
	    rc);
}

/* The last attack: hv must kill the domain, saying why. */
static void __attribute__((__noreturn__))
triple_fault(void)
{
	long rc;

	rc = HYPERVISOR_stack_switch(XM_FLAT_KERNEL_SS, DEAD_STACK);
	test_diag("stack_switch to %#lx: %ld", DEAD_STACK, rc);
	test_diag("last: a fault on the unmapped stack %#lx; hv must crash "
	    "this domain", DEAD_STACK);
	(void)test_done();
	console_flush();
	hx_stack_smash(DEAD_STACK);
}

int
guest_main(void)
{
	hx_traps_init();
	if (kcmdline_get(guest_cmdline(), "busy", NULL, 0))
		hx_busy_forever();
	own_map_init();
	hx_gnttab_rc = gnttab_init();
	test_diag("hostile: domain with %lu pages attacks",
	    guest_start_info->nr_pages);
	attack_memory();
	attack_cpu();
	attack_mmu();
	attack_hypercalls();
	attack_events();
	attack_grants();
	attack_hardening();
	vcpu_info_moved();
	give_back_everything();
	if (test_failures() != 0)
		test_diag("%u attacks were not refused as they should be",
		    test_failures());
	triple_fault();
}
