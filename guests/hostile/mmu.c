/*
 * Attacks on the PV MMU: mapping frames the domain does not own (hv's,
 * the victim's, frames that are not RAM), mapping its own page tables
 * writable, entries hv must not accept, pinning and base pointers of
 * the wrong type, page operations on foreign frames, and hypercalls
 * that would have hv write into a page table for the guest.
 */

#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>

#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/sched.h>
#include <xm/vcpu.h>
#include <xm/version.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>

#include "hostile.h"

#define PTE_GNTTAB	(UINT64_C(1) << 62)
/* An L4 slot no guest built by hv uses. */
#define FREE_L4_SLOT	300
/* An L2 slot of the image's L2 past anything mapped. */
#define FREE_L2_SLOT	511

static uint64_t
scratch_va(void)
{
	return (uint64_t)hx_scratch;
}

static uint64_t
scratch_mfn(void)
{
	return virt_to_mfn(hx_scratch);
}

static uint64_t
l4_mfn(void)
{
	return virt_to_mfn((void *)guest_start_info->pt_base);
}

/* Put the scratch page back as it was, after a mapping got through. */
static void
scratch_restore(void)
{
	(void)map_frame_at(scratch_va(), scratch_mfn(), PTE_KERNEL);
}

static long
map_scratch(uint64_t mfn, uint64_t flags)
{
	long rc;

	rc = HYPERVISOR_update_va_mapping(scratch_va(),
	    (mfn << PAGE_SHIFT) | flags, XM_UVMF_INVLPG);
	if (rc == 0)
		scratch_restore();
	return rc;
}

static int
mmuext(unsigned int cmd, uint64_t arg1, uint64_t arg2)
{
	struct xm_mmuext_op op = { .cmd = cmd };
	unsigned int done = 0;

	op.arg1.mfn = arg1;
	op.arg2.src_mfn = arg2;
	return HYPERVISOR_mmuext_op(&op, 1, &done, XM_DOMID_SELF);
}

static uint64_t
max_ram_mfn(void)
{
	long n = HYPERVISOR_memory_op(XM_XENMEM_MAXIMUM_RAM_PAGE, NULL);

	return n > 0 && n < (1L << 24) ? (uint64_t)n : 1 << 16;
}

struct scan {
	uint64_t	tried;
	uint64_t	ebusy;
	uint64_t	eperm;
	uint64_t	other;
	uint64_t	own;		/* its own after all, outside the p2m */
	uint64_t	mapped;
	uint64_t	first_mapped;
};

/*
 * Only the owner may say which pfn a frame is: an m2p update that
 * leaves the entry as it is tells whose a frame is.
 */
static int
really_own(uint64_t mfn)
{
	return mmu_update_one((mfn << PAGE_SHIFT) | XM_MMU_MACHPHYS_UPDATE,
	    mfn_to_pfn(mfn)) == 0;
}

static void
scan_one(struct scan *s, uint64_t mfn, uint64_t flags)
{
	long rc = map_scratch(mfn, flags);

	s->tried++;
	if (rc == -XM_EBUSY)
		s->ebusy++;
	else if (rc == -XM_EPERM)
		s->eperm++;
	else if (rc != 0)
		s->other++;
	else if (really_own(mfn))
		s->own++;
	else if (s->mapped++ == 0)
		s->first_mapped = mfn;
}

static void
scan_report(const struct scan *s, const char *what)
{
	char how[112];

	ksnprintf(how, sizeof(how), "EBUSY %lu, EPERM %lu, other %lu, "
	    "mapped %lu", s->ebusy, s->eperm, s->other, s->mapped);
	hx_refused(s->tried > 0 && s->mapped == 0 && s->other == 0, how,
	    "%s: %lu", what, s->tried);
	if (s->own != 0)
		test_diag("%lu frames outside the p2m are its own", s->own);
	if (s->mapped != 0)
		test_diag("mfn %#lx of another owner was mapped",
		    s->first_mapped);
}

/* Every machine frame it does not own, read-only. */
static void
foreign_frames(void)
{
	uint64_t max = max_ram_mfn(), mfn, lo = ~UINT64_C(0), hi = 0;
	struct scan all = { 0 }, edge = { 0 };
	uint64_t i;

	for (i = 0; i < guest_start_info->nr_pages; i++) {
		mfn = pfn_to_mfn(i);
		lo = mfn < lo ? mfn : lo;
		hi = mfn > hi ? mfn : hi;
	}
	test_diag("own mfns %#lx..%#lx, RAM up to %#lx", lo, hi, max);
	hx_expect_rc(map_scratch(HV_IMAGE_MFN, PTE_KERNEL), -XM_EBUSY, 0,
	    "mapping hv's frame %#lx writable", HV_IMAGE_MFN);
	hx_expect_rc(map_scratch(MFN_NOT_RAM, PTE_KERNEL_RO), -XM_EPERM, 0,
	    "mapping mfn %#lx, past RAM", MFN_NOT_RAM);
	for (i = 1; i <= 16; i++) {
		if (lo >= i && !hx_own_mfn(lo - i))
			scan_one(&edge, lo - i, PTE_KERNEL);
		if (!hx_own_mfn(hi + i))
			scan_one(&edge, hi + i, PTE_KERNEL);
	}
	scan_report(&edge, "mapping mfns next to its own, writable");
	for (mfn = 0; mfn < max; mfn++)
		if (!hx_own_mfn(mfn))
			scan_one(&all, mfn, PTE_KERNEL_RO);
	scan_report(&all, "mapping every frame not its own, read-only");
}

static void
own_tables_writable(void)
{
	uint64_t l1maddr = pt_entry_maddr(scratch_va(), 1);
	uint64_t l2maddr = pt_entry_maddr(scratch_va(), 2);

	hx_expect_rc(map_scratch(l4_mfn(), PTE_KERNEL), -XM_EBUSY, 0,
	    "update_va_mapping mapping its L4 writable");
	hx_expect_rc(map_scratch(l1maddr >> PAGE_SHIFT, PTE_KERNEL),
	    -XM_EBUSY, 0, "update_va_mapping mapping the L1 that maps "
	    "the page itself writable");
	hx_expect_rc(mmu_update_one(l1maddr, (l2maddr & PTE_ADDR_MASK) |
	    PTE_KERNEL), -XM_EBUSY, 0,
	    "mmu_update mapping a page table (its L2) writable");
	scratch_restore();
	TEST_OK(map_scratch(l4_mfn(), PTE_KERNEL_RO) == 0,
	    "mapping its L4 read-only is allowed");
}

static void
bad_entries(void)
{
	uint64_t l4maddr = l4_mfn() << PAGE_SHIFT;
	uint64_t l2maddr = pt_entry_maddr(scratch_va(), 2) & PTE_ADDR_MASK;
	uint64_t own = scratch_mfn() << PAGE_SHIFT;
	int rc;

	hx_expect_rc(mmu_update_one(l4maddr + 256 * 8, l4maddr | PTE_TABLE),
	    -XM_EINVAL, 0, "mmu_update of hv's L4 slot 256");
	hx_expect_rc(mmu_update_one(l4maddr + 262 * 8, 0), -XM_EINVAL, 0,
	    "mmu_update clearing hv's L4 slot 262");
	hx_expect_rc(mmu_update_one(l4maddr + FREE_L4_SLOT * 8,
	    l4maddr | PTE_TABLE), -XM_EINVAL, 0,
	    "mmu_update making its L4 an L3 (linear page table)");
	rc = mmu_update_one(l2maddr + FREE_L2_SLOT * 8,
	    (HV_IMAGE_MFN << PAGE_SHIFT) | PTE_KERNEL | PTE_PS);
	hx_expect_rc(rc, -XM_EINVAL, 0,
	    "mmu_update with a 2 MiB superpage over hv's image");
	if (rc == 0)
		(void)mmu_update_one(l2maddr + FREE_L2_SLOT * 8, 0);
	hx_expect_rc(map_scratch(scratch_mfn(), PTE_KERNEL | PTE_PCD),
	    -XM_EINVAL, 0, "an L1 entry with PCD (uncached)");
	hx_expect_rc(map_scratch(scratch_mfn(), PTE_KERNEL | PTE_GNTTAB),
	    -XM_EINVAL, 0, "an L1 entry with hv's grant-mapping bit 62");
	hx_expect_rc(mmu_update_one(HV_IMAGE_MFN << PAGE_SHIFT, own |
	    PTE_KERNEL), -XM_EINVAL, 0,
	    "mmu_update writing into hv's frame %#lx", HV_IMAGE_MFN);
	hx_expect_rc(mmu_update_one((l2maddr + 8) | 4, 0), -XM_EINVAL,
	    -XM_ENOSYS, "mmu_update with an unaligned entry address");
	hx_expect_rc(mmu_update_one((HV_IMAGE_MFN << PAGE_SHIFT) |
	    XM_MMU_MACHPHYS_UPDATE, 0), -XM_EINVAL, 0,
	    "MMU_MACHPHYS_UPDATE of hv's frame");
}

static void
bad_va_mapping(void)
{
	struct xm_mmu_update req = {
		.ptr = pt_entry_maddr(scratch_va(), 1),
		.val = (HV_IMAGE_MFN << PAGE_SHIFT) | PTE_KERNEL_RO,
	};
	unsigned int done = 0;

	hx_expect_rc(HYPERVISOR_update_va_mapping(HV_IMAGE_VA, 0, 0),
	    -XM_EINVAL, 0, "update_va_mapping of hv's address %#lx",
	    HV_IMAGE_VA);
	hx_expect_rc(HYPERVISOR_update_va_mapping(NONCANONICAL, 0, 0),
	    -XM_EINVAL, 0, "update_va_mapping of non-canonical %#lx",
	    NONCANONICAL);
	hx_expect_rc(HYPERVISOR_update_va_mapping(0x100000000000,
	    (scratch_mfn() << PAGE_SHIFT) | PTE_KERNEL, 0), -XM_EINVAL, 0,
	    "update_va_mapping where it has no L1");
	hx_expect_rc(HYPERVISOR_mmu_update(&req, 1, &done, 0), -XM_EPERM,
	    0, "mmu_update on behalf of domain 0");
}

/*
 * TLB flushes of the vCPUs in a bitmap hv cannot read.  The mapping
 * update_va_mapping makes is its own frame and stays; only the flush
 * fails, as in Xen.
 */
static void
bad_flushes(void)
{
	struct xm_mmuext_op op = { .cmd = XM_MMUEXT_TLB_FLUSH_MULTI };
	unsigned int done = 0;

	op.arg2.vcpumask = HV_IMAGE_VA;
	hx_expect_rc(HYPERVISOR_mmuext_op(&op, 1, &done, XM_DOMID_SELF),
	    -XM_EINVAL, 0, "MMUEXT_TLB_FLUSH_MULTI of a vCPU bitmap in hv's "
	    "memory");
	op.cmd = XM_MMUEXT_INVLPG_MULTI;
	op.arg1.linear_addr = scratch_va();
	op.arg2.vcpumask = NONCANONICAL;
	hx_expect_rc(HYPERVISOR_mmuext_op(&op, 1, &done, XM_DOMID_SELF),
	    -XM_EINVAL, 0, "MMUEXT_INVLPG_MULTI of a non-canonical vCPU "
	    "bitmap");
	hx_expect_rc(HYPERVISOR_update_va_mapping(scratch_va(),
	    (scratch_mfn() << PAGE_SHIFT) | PTE_KERNEL,
	    XM_UVMF_TLB_FLUSH | HV_IMAGE_VA), -XM_EFAULT, 0,
	    "update_va_mapping flushing a vCPU bitmap in hv's memory");
	scratch_restore();
}

/* A frame of its own, filled with e, read-only everywhere. */
static int
bad_table_frame(xm_pfn_t *pfn, uint64_t e)
{
	uint64_t *t;
	int rc;

	rc = frame_alloc(pfn);
	if (rc != 0)
		return rc;
	t = pfn_to_virt(*pfn);
	kmemset(t, 0, PAGE_SIZE);
	t[0] = e;
	return map_frame_at((uint64_t)t, pfn_to_mfn(*pfn), PTE_KERNEL_RO);
}

static void
bad_table_free(xm_pfn_t pfn)
{
	(void)map_frame_at((uint64_t)pfn_to_virt(pfn), pfn_to_mfn(pfn),
	    PTE_KERNEL);
	frame_free(pfn);
}

static void
bad_pins(void)
{
	xm_pfn_t pfn;
	int rc;

	hx_expect_rc(pin_table(1, scratch_mfn()), -XM_EINVAL, 0,
	    "pinning a writable-mapped data frame as L1");
	hx_expect_rc(pin_table(2, l4_mfn()), -XM_EINVAL, 0,
	    "pinning its L4 as an L2");
	hx_expect_rc(pin_table(1, HV_IMAGE_MFN), -XM_EINVAL, 0,
	    "pinning hv's frame %#lx as L1", HV_IMAGE_MFN);
	hx_expect_rc(pin_table(4, MFN_NOT_RAM), -XM_EINVAL, 0,
	    "pinning mfn %#lx, past RAM, as L4", MFN_NOT_RAM);
	rc = bad_table_frame(&pfn, (HV_IMAGE_MFN << PAGE_SHIFT) |
	    PTE_KERNEL_RO);
	if (rc == 0)
		rc = pin_table(1, pfn_to_mfn(pfn));
	hx_expect_rc(rc, -XM_EBUSY, 0, "pinning an L1 that maps hv's frame");
	bad_table_free(pfn);
	rc = bad_table_frame(&pfn, (scratch_mfn() << PAGE_SHIFT) |
	    PTE_KERNEL | PTE_PS);
	if (rc == 0)
		rc = pin_table(2, pfn_to_mfn(pfn));
	hx_expect_rc(rc, -XM_EINVAL, 0, "pinning an L2 with a superpage");
	bad_table_free(pfn);
	rc = table_alloc(1, &pfn);
	if (rc == 0) {
		hx_expect_rc(pin_table(1, pfn_to_mfn(pfn)), -XM_EINVAL, 0,
		    "pinning an L1 twice");
		(void)table_free(pfn);
	}
}

static void
bad_baseptrs(void)
{
	xm_pfn_t pfn;

	hx_expect_rc(mmuext(XM_MMUEXT_NEW_BASEPTR, HV_IMAGE_MFN, 0),
	    -XM_EINVAL, 0, "mmuext_op NEW_BASEPTR (cr3) = hv's frame %#lx",
	    HV_IMAGE_MFN);
	hx_expect_rc(mmuext(XM_MMUEXT_NEW_BASEPTR, scratch_mfn(), 0),
	    -XM_EINVAL, 0, "NEW_BASEPTR = a writable data frame");
	hx_expect_rc(mmuext(XM_MMUEXT_NEW_BASEPTR, MFN_NOT_RAM, 0),
	    -XM_EINVAL, 0, "NEW_BASEPTR = mfn %#lx, past RAM",
	    MFN_NOT_RAM);
	hx_expect_rc(mmuext(XM_MMUEXT_NEW_BASEPTR, 0, 0), -XM_EINVAL, 0,
	    "NEW_BASEPTR = mfn 0");
	hx_expect_rc(mmuext(XM_MMUEXT_NEW_USER_BASEPTR, HV_IMAGE_MFN, 0),
	    -XM_EINVAL, 0, "NEW_USER_BASEPTR = hv's frame");
	if (table_alloc(1, &pfn) == 0) {
		hx_expect_rc(mmuext(XM_MMUEXT_NEW_BASEPTR, pfn_to_mfn(pfn),
		    0), -XM_EINVAL, 0, "NEW_BASEPTR = a pinned L1");
		(void)table_free(pfn);
	}
	hx_expect_rc(mmuext(99, 0, 0), -XM_ENOSYS, 0, "mmuext_op 99");
}

static void
bad_page_ops(void)
{
	struct xm_memory_reservation r = { .nr_extents = 1,
	    .domid = XM_DOMID_SELF };
	uint64_t mfn = HV_IMAGE_MFN;

	hx_expect_rc(mmuext(XM_MMUEXT_CLEAR_PAGE, HV_IMAGE_MFN, 0),
	    -XM_EINVAL, 0, "MMUEXT_CLEAR_PAGE of hv's frame");
	hx_expect_rc(mmuext(XM_MMUEXT_CLEAR_PAGE, l4_mfn(), 0), -XM_EINVAL,
	    0, "MMUEXT_CLEAR_PAGE of its own L4");
	hx_expect_rc(mmuext(XM_MMUEXT_COPY_PAGE, scratch_mfn(),
	    HV_IMAGE_MFN), -XM_EINVAL, 0,
	    "MMUEXT_COPY_PAGE reading hv's frame");
	hx_expect_rc(mmuext(XM_MMUEXT_COPY_PAGE, HV_IMAGE_MFN,
	    scratch_mfn()), -XM_EINVAL, 0,
	    "MMUEXT_COPY_PAGE writing hv's frame");
	r.extent_start = (uint64_t)&mfn;
	hx_expect_rc(HYPERVISOR_memory_op(XM_XENMEM_DECREASE_RESERVATION,
	    &r), 0, 0, "decrease_reservation giving back hv's frame "
	    "(extents done)");
}

/*
 * Hypercalls that write results to memory the guest names: pointed at
 * one of its page tables (read-only to it), hv must refuse too.
 */
static void
hv_writes_page_table(void)
{
	struct xm_vcpu_register_runstate_memory_area ra;
	uint64_t *t;
	xm_pfn_t pfn;
	unsigned int i, dirty = 0;
	long rc;

	if (table_alloc(1, &pfn) != 0) {
		TEST_OK(0, "cannot allocate an L1");
		return;
	}
	t = pfn_to_virt(pfn);
	rc = HYPERVISOR_xen_version(XM_XENVER_EXTRAVERSION, t);
	hx_expect_rc(rc, -XM_EFAULT, 0, "xen_version writing into its L1");
	ra.addr = (uint64_t)t;
	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0,
	    &ra);
	for (i = 0; i < 10; i++)
		(void)HYPERVISOR_sched_op(XM_SCHEDOP_YIELD, NULL);
	ra.addr = 0;
	(void)HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0,
	    &ra);
	for (i = 0; i < PT_ENTRIES; i++)
		dirty |= t[i] != 0;
	hx_refused(!dirty, "the L1 stayed empty", "runstate area in its L1 "
	    "(register %ld, 10 yields)", rc);
	(void)table_free(pfn);
}

static void
bad_vcpu_info(void)
{
	struct xm_vcpu_register_vcpu_info vi = { .mfn = l4_mfn() };

	hx_expect_rc(HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_VCPU_INFO, 0,
	    &vi), -XM_EINVAL, 0, "vcpu_info placed in its L4");
	vi.mfn = HV_IMAGE_MFN;
	hx_expect_rc(HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_VCPU_INFO, 0,
	    &vi), -XM_EINVAL, 0, "vcpu_info placed in hv's frame");
}

static long
reservation_one(unsigned int cmd, uint64_t *mfn)
{
	struct xm_memory_reservation r = { .nr_extents = 1,
	    .domid = XM_DOMID_SELF };

	r.extent_start = (uint64_t)mfn;
	return HYPERVISOR_memory_op(cmd, &r);
}

/* Two pages of the image to give back. */
static uint8_t gifts[2 * PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));

/*
 * Give back a frame while it is still mapped, pin it, and unmap it: it
 * is held by its pin alone, and its p2m entry becomes a hole (as after
 * ballooning).  The number of frames given back, or an error.
 */
static long
give_back_and_pin(uint8_t *page, int *pinned)
{
	xm_pfn_t pfn = virt_to_pfn(page);
	xm_pfn_t *p2m = (xm_pfn_t *)guest_start_info->mfn_list;
	uint64_t mfn = pfn_to_mfn(pfn);
	long given;

	kmemset(page, 0, PAGE_SIZE);
	(void)map_frame_at((uint64_t)page, mfn, PTE_KERNEL_RO);
	given = reservation_one(XM_XENMEM_DECREASE_RESERVATION, &mfn);
	*pinned = mmuext(XM_MMUEXT_PIN_L1_TABLE, mfn, 0);
	(void)unmap_at((uint64_t)page);
	p2m[pfn] = HX_P2M_HOLE;
	return given;
}

/*
 * Two frames pinned after they were given back, held by their pins
 * alone: hv must free both when the domain is destroyed (isolation.sh's
 * teardown; found by guests/fuzz: the tear-down stopped at the first
 * and leaked every pin after it).
 */
static void
pinned_after_giving_back(void)
{
	char how[64];
	long given;
	int pinned[2];

	given = give_back_and_pin(gifts, &pinned[0]);
	given += give_back_and_pin(gifts + PAGE_SIZE, &pinned[1]);
	ksnprintf(how, sizeof(how), "given back %ld, pinned %d and %d",
	    given, pinned[0], pinned[1]);
	hx_refused(given == 2, how, "two frames pinned after they were "
	    "given back, held by their pins alone");
}

void
attack_mmu(void)
{
	int rc;

	rc = mm_init();
	TEST_OK(rc == 0, "mm_init (%d)", rc);
	if (rc != 0)
		return;
	foreign_frames();
	own_tables_writable();
	bad_entries();
	bad_va_mapping();
	bad_flushes();
	bad_pins();
	bad_baseptrs();
	bad_page_ops();
	hv_writes_page_table();
	bad_vcpu_info();
	pinned_after_giving_back();
}
