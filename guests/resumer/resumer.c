/*
 * resumer: a toolstack's part in a suspend that is cancelled, played by
 * domain 0 through domctl as Xen's libxc does it (xc_domain_resume of a
 * cooperative guest): domain 1 (guests/counter suspend_at=N) suspends
 * itself; domain 0 finds it shut down with SHUTDOWN_suspend, its vCPU's
 * rdx naming its start_info frame and rax 0 (the call returned into the
 * saved frame), sets rax to 1 with SET_VCPU_CONTEXT (the page tables of
 * a vCPU that has run cannot change that way: -EOPNOTSUPP) and resumes
 * it: domain 1 goes on counting and says the call returned 1.  RESUME
 * of a running domain changes nothing; of itself, -EINVAL.  While it is
 * stopped, PAGE_INFO says what its frames are, as a save needs it: the
 * L4 in its CR3 pinned, page tables of every level, each frame's pfn
 * from the m2p inside its memory, a frame not its own XTAB; and the p2m
 * it published in shared_info (the frame list list) names, for each
 * pfn, the frame whose m2p entry is that pfn.  In TAP; then it waits
 * for domain 1 to finish and powers off.
 */
#include <stdint.h>

#include <stddef.h>

#include <klib/string.h>
#include <xm/arch_x86_64.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/sched.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#define DOMU		1
#define WAIT_NS		(10 * NSEC_PER_SEC)

static struct xm_domctl op;
static struct xm_vcpu_guest_context ctx;
static uint8_t page_head[32];
static uint64_t mfns[XM_PAGE_INFO_MAX + 1];
static struct xm_page_info pinfo[XM_PAGE_INFO_MAX + 1];

static long
domctl(uint32_t cmd, unsigned int dom)
{
	return HYPERVISOR_domctl_on(&op, cmd, dom);
}

static long
getinfo(struct xm_domctl_info *info)
{
	long rc;

	kmemset(&op, 0, sizeof(op));
	rc = domctl(XM_DOMCTL_GETINFO, DOMU);
	*info = op.u.info;
	return rc;
}

/* Until domain 1 has shut down (any reason), or the wait ends. */
static int
wait_shutdown(struct xm_domctl_info *info)
{
	uint64_t deadline = monotonic_ns() + WAIT_NS;

	while (monotonic_ns() < deadline) {
		if (getinfo(info) == 0 && (info->flags & XM_DOMINF_SHUTDOWN))
			return 1;
		sleep_ns(10 * NSEC_PER_MSEC);
	}
	return 0;
}

static long
vcpu_context(uint32_t cmd)
{
	kmemset(&op, 0, sizeof(op));
	op.u.vcpu_context.vcpu = 0;
	op.u.vcpu_context.ctxt = (uint64_t)&ctx;
	return domctl(cmd, DOMU);
}

/* len bytes at off of one of domain 1's frames, into buf. */
static long
read_bytes(uint64_t mfn, uint16_t off, void *buf, uint16_t len)
{
	static struct xm_domctl_copy_op c;

	kmemset(&op, 0, sizeof(op));
	c.mfn = mfn;
	c.offset = off;
	c.len = len;
	c.dir = XM_COPY_FROM_DOMAIN;
	c.buf = (uint64_t)buf;
	op.u.copy.ops = (uint64_t)&c;
	op.u.copy.nr_ops = 1;
	return domctl(XM_DOMCTL_FOREIGN_COPY, DOMU);
}

static long
read_frame(uint64_t mfn)
{
	return read_bytes(mfn, 0, page_head, sizeof(page_head));
}

static long
page_info(unsigned int nr)
{
	kmemset(&op, 0, sizeof(op));
	op.u.page_info.mfns = (uint64_t)mfns;
	op.u.page_info.info = (uint64_t)pinfo;
	op.u.page_info.nr = nr;
	return domctl(XM_DOMCTL_PAGE_INFO, DOMU);
}

/* d1's frames from index first on, into mfns[] and pinfo[]; how many. */
static long
list_batch(unsigned int first, unsigned int *n)
{
	long rc;

	kmemset(&op, 0, sizeof(op));
	op.u.page_list.first = first;
	op.u.page_list.max = XM_PAGE_INFO_MAX;
	op.u.page_list.mfns = (uint64_t)mfns;
	rc = domctl(XM_DOMCTL_GET_PAGE_LIST, DOMU);
	*n = op.u.page_list.count;
	return rc == 0 ? page_info(*n) : rc;
}

/* All of d1's frames, batch by batch: what PAGE_INFO says of each. */
static void
page_types(uint64_t cr3_mfn, const struct xm_domctl_info *info)
{
	unsigned int n, i, count[16] = { 0 }, bad_pfn = 0, total = 0;
	unsigned int no_pfn = 0, no_pfn_si = 0;
	long rc;

	do {
		rc = list_batch(total, &n);
		for (i = 0; rc == 0 && i < n; i++) {
			count[pinfo[i].type & 15]++;
			if (pinfo[i].pfn == XM_M2P_INVALID) {
				no_pfn++;
				no_pfn_si += mfns[i] == info->shared_info_mfn;
			} else
				bad_pfn += pinfo[i].pfn >= info->nr_pfns;
		}
		total += n;
	} while (rc == 0 && n == XM_PAGE_INFO_MAX);
	TEST_OK(rc == 0 && total > 0 && count[XM_PAGE_L1TAB] > 0 &&
	    count[XM_PAGE_L2TAB] > 0 && count[XM_PAGE_L3TAB] > 0 &&
	    count[XM_PAGE_L4TAB] > 0 && count[XM_PAGE_XTAB] == 0 &&
	    bad_pfn == 0 && no_pfn == 1 && no_pfn_si == 1, "PAGE_INFO of its "
	    "%u frames: %u L1, %u L2, %u L3, %u L4, %u others, each with a "
	    "pfn below %lu but its shared_info (%ld; %u outside, %u without)",
	    total, count[XM_PAGE_L1TAB], count[XM_PAGE_L2TAB],
	    count[XM_PAGE_L3TAB], count[XM_PAGE_L4TAB],
	    count[XM_PAGE_NOTAB], info->nr_pfns, rc, bad_pfn, no_pfn);
	mfns[0] = cr3_mfn;
	rc = page_info(1);
	TEST_OK(rc == 0 && pinfo[0].type == XM_PAGE_L4TAB &&
	    (pinfo[0].flags & XM_PAGE_PINNED), "its CR3 is an L4, pinned "
	    "(%ld, type %u, flags %#x)", rc, pinfo[0].type, pinfo[0].flags);
	mfns[0] = virt_to_mfn(&op);
	rc = page_info(1);
	TEST_OK(rc == 0 && pinfo[0].type == XM_PAGE_XTAB, "a frame of "
	    "domain 0's: XTAB (%ld, type %u)", rc, pinfo[0].type);
	TEST_OK(page_info(XM_PAGE_INFO_MAX + 1) == -XM_EINVAL,
	    "more than %u frames at once: -EINVAL", XM_PAGE_INFO_MAX);
}

/*
 * The p2m through shared_info, as a save finds it: for pfns below 512,
 * p2m[pfn] is the frame that PAGE_INFO (the m2p) gives that pfn.
 */
static void
p2m_check(const struct xm_domctl_info *info)
{
	static uint64_t p2m[512];
	struct xm_arch_shared_info arch = { 0 };
	uint64_t fl = 0, p2m0 = 0;
	unsigned int i, checked = 0, wrong = 0, listed;
	long rc;

	rc = list_batch(0, &listed);
	if (rc == 0)
		rc = read_bytes(info->shared_info_mfn, offsetof(struct
		    xm_shared_info, arch), &arch, sizeof(arch));
	if (rc == 0)
		rc = read_bytes(arch.pfn_to_mfn_frame_list_list, 0, &fl, 8);
	if (rc == 0)
		rc = read_bytes(fl, 0, &p2m0, 8);
	if (rc == 0)
		rc = read_bytes(p2m0, 0, p2m, sizeof(p2m));
	for (i = 0; rc == 0 && i < listed; i++)
		if (pinfo[i].pfn < 512) {
			checked++;
			wrong += p2m[pinfo[i].pfn] != mfns[i];
		}
	TEST_OK(rc == 0 && arch.max_pfn == info->nr_pfns && checked > 0 &&
	    wrong == 0, "its p2m through shared_info's frame list list: "
	    "max_pfn %lu, %u pfns each on the frame the m2p gives (%ld, %u "
	    "not)", arch.max_pfn, checked, rc, wrong);
}

/*
 * vCPU 0's context carries the domain's VM assists both ways, as Xen's
 * arch_set_info_guest takes them: a restore gives a kernel back its
 * writable page tables.  Only the types a 64-bit PV domain may have.
 */
static void
vm_assists(void)
{
	uint64_t had = ctx.vm_assist, wpt =
	    1ULL << XM_VMASST_TYPE_WRITABLE_PAGETABLES;
	long rc;

	ctx.vm_assist = had | (1ULL << 6);
	rc = vcpu_context(XM_DOMCTL_SET_VCPU_CONTEXT);
	TEST_OK(rc == -XM_EINVAL, "SET_VCPU_CONTEXT with VM assist type 6 "
	    "(none): -EINVAL (%ld)", rc);
	ctx.vm_assist = had ^ wpt;
	rc = vcpu_context(XM_DOMCTL_SET_VCPU_CONTEXT);
	if (rc == 0)
		rc = vcpu_context(XM_DOMCTL_GET_VCPU_CONTEXT);
	TEST_OK(rc == 0 && ctx.vm_assist == (had ^ wpt), "SET_VCPU_CONTEXT "
	    "of vCPU 0 sets the domain's VM assists (%ld, %#lx, was %#lx)",
	    rc, ctx.vm_assist, had);
	ctx.vm_assist = had;
	rc = vcpu_context(XM_DOMCTL_SET_VCPU_CONTEXT);
	TEST_OK(rc == 0, "... and puts them back (%ld)", rc);
}

static void
suspended(void)
{
	struct xm_domctl_info info = { 0 };
	uint64_t cr3;
	long rc;

	TEST_OK(wait_shutdown(&info) && info.shutdown_reason ==
	    XM_SHUTDOWN_SUSPEND, "d1 shut down to suspend (flags %#x, "
	    "reason %u)", info.flags, info.shutdown_reason);
	rc = vcpu_context(XM_DOMCTL_GET_VCPU_CONTEXT);
	TEST_OK(rc == 0 && ctx.user_regs.rax == 0, "its vCPU 0's context: "
	    "the call returned 0 into it (%ld, rax %#lx)", rc,
	    ctx.user_regs.rax);
	rc = read_frame(ctx.user_regs.rdx);
	TEST_OK(rc == 0 && kmemcmp(page_head, "xen-3.0-x86_64", 14) == 0,
	    "rdx names its start_info frame (%ld, mfn %#lx)", rc,
	    ctx.user_regs.rdx);
	cr3 = ctx.ctrlreg[3];
	page_types(cr3 >> 12, &info);
	p2m_check(&info);
	ctx.ctrlreg[3] = ctx.ctrlreg[3] + 0x1000;
	rc = vcpu_context(XM_DOMCTL_SET_VCPU_CONTEXT);
	TEST_OK(rc == -XM_EOPNOTSUPP, "SET_VCPU_CONTEXT with other page "
	    "tables: -EOPNOTSUPP, as Xen for a vCPU that has run (%ld)", rc);
	ctx.ctrlreg[3] = cr3;
	vm_assists();
	ctx.user_regs.rax = 1;
	rc = vcpu_context(XM_DOMCTL_SET_VCPU_CONTEXT);
	TEST_OK(rc == 0, "SET_VCPU_CONTEXT with rax 1: the suspend is "
	    "cancelled (%ld)", rc);
	kmemset(&op, 0, sizeof(op));
	rc = domctl(XM_DOMCTL_RESUME, DOMU);
	if (rc == 0)
		rc = getinfo(&info);
	TEST_OK(rc == 0 && !(info.flags & XM_DOMINF_SHUTDOWN), "RESUME: d1 "
	    "runs again (%ld, flags %#x)", rc, info.flags);
}

int
guest_main(void)
{
	struct xm_domctl_info info = { 0 };
	long rc;

	suspended();
	kmemset(&op, 0, sizeof(op));
	rc = domctl(XM_DOMCTL_RESUME, DOMU);
	if (rc == 0)
		rc = getinfo(&info);
	TEST_OK(rc == 0 && !(info.flags & XM_DOMINF_SHUTDOWN), "RESUME of a "
	    "running domain: 0, nothing changes (%ld)", rc);
	kmemset(&op, 0, sizeof(op));
	rc = domctl(XM_DOMCTL_RESUME, 0);
	TEST_OK(rc == -XM_EINVAL, "RESUME of itself: -EINVAL, as Xen (%ld)",
	    rc);
	TEST_OK(wait_shutdown(&info) && info.shutdown_reason ==
	    XM_SHUTDOWN_POWEROFF, "d1 counted on to its end and powered "
	    "off (reason %u)", info.shutdown_reason);
	return test_done();
}
