/*
 * The shootdown rounds.  Each takes a fresh frame of the direct map,
 * sets vCPU 1 on it (reading, or writing where the frame's next use
 * makes a write worse), waits until vCPU 1's accesses go through, then
 * removes the mapping one way and says so in the mailbox the moment the
 * hypercall is back.  vCPU 1 must fault from then on: every access that
 * gets through after that is one a stale TLB entry on its CPU allowed.
 *
 * The last two rounds do not ask for any flush when they unmap: giving
 * the frame back (decrease_reservation) or pinning it as an L1 table
 * must make hv flush every CPU that may still map it, or vCPU 1 would
 * go on writing into a frame that is no longer the domain's, or into a
 * page table hv has validated.
 */

#include <stdint.h>

#include <klib/string.h>

#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#include "tlbshoot.h"

#define READY_HITS	1000		/* vCPU 1's TLB has the page */
#define RUNNING_HITS	100		/* and it is on its CPU right now */
#define ROUNDS		4		/* per method */
#define WAIT_NS		(10 * NSEC_PER_SEC)	/* a loaded host stalls QEMU for seconds */

/* vCPU 1 alone, as a vCPU bitmap (UVMF_MULTI, MMUEXT_*_MULTI). */
static uint64_t vcpu1_mask = UINT64_C(1) << 1;

struct method {
	const char	*name;
	enum tlb_cmd	 cmd;
	int		(*remove)(uint64_t va, xm_pfn_t mfn);
	int		(*restore)(uint64_t va, xm_pfn_t mfn);
};

static int
uvm_invlpg_all(uint64_t va, xm_pfn_t mfn)
{
	(void)mfn;
	return HYPERVISOR_update_va_mapping(va, 0,
	    XM_UVMF_INVLPG | XM_UVMF_ALL);
}

static int
uvm_flush_multi(uint64_t va, xm_pfn_t mfn)
{
	(void)mfn;
	return HYPERVISOR_update_va_mapping(va, 0,
	    XM_UVMF_TLB_FLUSH | XM_UVMF_MULTI | (uint64_t)&vcpu1_mask);
}

static int
uvm_invlpg_multi(uint64_t va, xm_pfn_t mfn)
{
	(void)mfn;
	return HYPERVISOR_update_va_mapping(va, 0,
	    XM_UVMF_INVLPG | XM_UVMF_MULTI | (uint64_t)&vcpu1_mask);
}

/* mmu_update clears the entry; then one mmuext_op flushes. */
static int
mmu_then(uint64_t va, unsigned int cmd)
{
	struct xm_mmuext_op op = { .cmd = cmd };
	unsigned int done = 0;
	int rc;

	rc = mmu_update_one(pt_entry_maddr(va, 1), 0);
	if (rc != 0)
		return rc;
	op.arg1.linear_addr = va;
	op.arg2.vcpumask = (uint64_t)&vcpu1_mask;
	return HYPERVISOR_mmuext_op(&op, 1, &done, XM_DOMID_SELF);
}

static int
mmu_flush_all(uint64_t va, xm_pfn_t mfn)
{
	(void)mfn;
	return mmu_then(va, XM_MMUEXT_TLB_FLUSH_ALL);
}

static int
mmu_invlpg_all(uint64_t va, xm_pfn_t mfn)
{
	(void)mfn;
	return mmu_then(va, XM_MMUEXT_INVLPG_ALL);
}

static int
mmu_flush_multi(uint64_t va, xm_pfn_t mfn)
{
	(void)mfn;
	return mmu_then(va, XM_MMUEXT_TLB_FLUSH_MULTI);
}

static int
mmu_invlpg_multi(uint64_t va, xm_pfn_t mfn)
{
	(void)mfn;
	return mmu_then(va, XM_MMUEXT_INVLPG_MULTI);
}

/* Unmapped without a flush, then handed back to hv. */
static int
give_back(uint64_t va, xm_pfn_t mfn)
{
	struct xm_memory_reservation r = { .nr_extents = 1 };
	xm_pfn_t frame = mfn;
	long n;
	int rc;

	rc = HYPERVISOR_update_va_mapping(va, 0, XM_UVMF_NONE);
	if (rc != 0)
		return rc;
	r.extent_start = (uint64_t)&frame;
	r.domid = XM_DOMID_SELF;
	n = HYPERVISOR_memory_op(XM_XENMEM_DECREASE_RESERVATION, &r);
	return n == 1 ? 0 : (n < 0 ? (int)n : -XM_EINVAL);
}

/* Unmapped without a flush, then made an L1 page table. */
static int
make_table(uint64_t va, xm_pfn_t mfn)
{
	int rc;

	rc = HYPERVISOR_update_va_mapping(va, 0, XM_UVMF_NONE);
	return rc != 0 ? rc : pin_table(1, mfn);
}

static int
remap(uint64_t va, xm_pfn_t mfn)
{
	return map_frame_at(va, mfn, PTE_KERNEL);
}

static int
keep_gone(uint64_t va, xm_pfn_t mfn)
{
	(void)va, (void)mfn;
	return 0;	/* the frame is hv's now; its pfn stays allocated */
}

static int
unpin_remap(uint64_t va, xm_pfn_t mfn)
{
	int rc = unpin_table(mfn);

	return rc != 0 ? rc : map_frame_at(va, mfn, PTE_KERNEL);
}

static const struct method methods[] = {
	{ "update_va_mapping UVMF_INVLPG|UVMF_ALL", CMD_READ,
	    uvm_invlpg_all, remap },
	{ "update_va_mapping UVMF_TLB_FLUSH|UVMF_MULTI", CMD_READ,
	    uvm_flush_multi, remap },
	{ "update_va_mapping UVMF_INVLPG|UVMF_MULTI", CMD_READ,
	    uvm_invlpg_multi, remap },
	{ "mmu_update, MMUEXT_TLB_FLUSH_ALL", CMD_READ, mmu_flush_all,
	    remap },
	{ "mmu_update, MMUEXT_INVLPG_ALL", CMD_READ, mmu_invlpg_all, remap },
	{ "mmu_update, MMUEXT_TLB_FLUSH_MULTI", CMD_READ, mmu_flush_multi,
	    remap },
	{ "mmu_update, MMUEXT_INVLPG_MULTI", CMD_READ, mmu_invlpg_multi,
	    remap },
	{ "unmapped unflushed, given back (decrease_reservation)", CMD_WRITE,
	    give_back, keep_gone },
	{ "unmapped unflushed, pinned as an L1 table", CMD_WRITE, make_table,
	    unpin_remap },
};

/* What the rounds of one method came to. */
struct outcome {
	uint64_t	hits;		/* accesses before the removal */
	uint64_t	stale;		/* accesses after it returned */
	unsigned int	bad;		/* rounds that went wrong otherwise */
	int		rc;		/* the last removal's */
};

static void
one_round(const struct method *m, struct outcome *o)
{
	uint64_t va, r, stale0, hits;
	xm_pfn_t pfn, mfn;
	int rc, ready, faulted;

	if (frame_alloc(&pfn) != 0) {
		o->bad++;
		return;
	}
	va = (uint64_t)pfn_to_virt(pfn);
	mfn = pfn_to_mfn(pfn);
	kmemset((void *)va, 0, PAGE_SIZE);
	stale0 = mb.stale;
	r = job_post(m->cmd, va);
	/*
	 * Remove it while vCPU 1 is on its CPU, not while that CPU runs
	 * another domain: switching back would reload CR3 and hide a
	 * missing flush.
	 */
	ready = r != 0 && wait_ge(&mb.round_hits, READY_HITS, WAIT_NS);
	hits = mb.round_hits;
	ready = ready && wait_ge(&mb.round_hits, hits + RUNNING_HITS, WAIT_NS);
	hits = mb.round_hits;
	rc = m->remove(va, mfn);
	__atomic_store_n(&mb.removed, r, __ATOMIC_RELEASE);
	faulted = rc == 0 && wait_eq(&mb.faulted, r, WAIT_NS);
	(void)job_post(CMD_IDLE, 0);
	o->hits += hits;
	o->stale += mb.stale - stale0;
	if (!ready || rc != 0 || !faulted) {
		o->bad++;
		o->rc = rc;
	}
	rc = m->restore(va, mfn);
	if (rc != 0)
		test_diag("%s: cannot undo it (%d)", m->name, rc);
}

/*
 * Several rounds each: in one, vCPU 1's CPU may happen to switch to the
 * other domain just then, which flushes it and hides a missing flush.
 */
static void
run_method(const struct method *m)
{
	const char *what = m->cmd == CMD_READ ? "read" : "write";
	struct outcome o = { 0, 0, 0, 0 };
	unsigned int i;

	for (i = 0; i < ROUNDS; i++)
		one_round(m, &o);
	TEST_OK(o.bad == 0 && o.stale == 0, "%s: vCPU 1 faults once the "
	    "call has returned (%u rounds, %lu %ss before, %lu after)",
	    m->name, ROUNDS, o.hits, what, o.stale);
	if (o.bad != 0)
		test_diag("%u rounds went wrong (last removal: %d)", o.bad,
		    o.rc);
	if (o.stale != 0)
		test_diag("a stale TLB entry on vCPU 1's CPU let %lu %ss "
		    "through after the hypercall returned", o.stale, what);
}

void
rounds_run(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		run_method(&methods[i]);
}
