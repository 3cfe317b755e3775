/*
 * privop's LDT: MMUEXT_SET_LDT as Xen takes it from a 64-bit PV kernel
 * (Linux's modify_ldt and its context switch).  The LDT's pages are
 * the domain's, mapped read-only; their descriptors are checked as a
 * GDT's (a DPL below 3 raised to 3, a call gate's target checked);
 * while they are its LDT they cannot be mapped writable and
 * update_descriptor changes them.  The CPU uses the entries: an LDT
 * selector loads, lar and lsl show what hv set, and it stays loaded
 * after other domains ran on the CPU.  A base that is not page aligned
 * or not the guest's, or more than 8192 entries, is refused.  A page
 * mapped only after SET_LDT is taken when a selector in it is first
 * used, as Xen maps LDT pages on first use.
 */

#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/desc.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#include "privop.h"

#define DESC_DATA_SMALL	UINT64_C(0x0040f2000000001f)	/* data, 32 B */

static uint16_t
read_es(void)
{
	uint16_t es;

	__asm__ volatile("mov %%es, %0" : "=r"(es));
	return es;
}

static void
ldt_hostile(uint64_t va)
{
	long rc;

	rc = ldt_set(va + 8, 4);
	TEST_OK(rc == -XM_EINVAL, "set_ldt, base not page aligned: -EINVAL "
	    "(%ld)", rc);
	rc = ldt_set(va, 8193);
	TEST_OK(rc == -XM_EINVAL, "set_ldt of 8193 entries: -EINVAL (%ld)", rc);
	rc = ldt_set(UINT64_C(0xffff800000000000), 16);
	TEST_OK(rc == -XM_EINVAL, "set_ldt in hv's range: -EINVAL (%ld)", rc);
	rc = ldt_set(UINT64_C(0x0000800000000000), 16);
	TEST_OK(rc == -XM_EINVAL, "set_ldt at a non-canonical address: "
	    "-EINVAL (%ld)", rc);
}

#define LATE_VA		UINT64_C(0x0000200000000000)	/* unused here */

/* SET_LDT at an address with nothing mapped yet; mapped afterwards. */
static void
ldt_mapped_late(void)
{
	uint64_t *ldt, mfn;
	long rc;

	if ((ldt = desc_frame(&mfn)) == NULL || pt_ensure(LATE_VA, 1) != 0) {
		TEST_OK(0, "a frame and page tables for a late LDT");
		return;
	}
	ldt[1] = DESC_DATA;
	(void)unmap_at(LATE_VA);
	rc = ldt_set(LATE_VA, 4);
	TEST_OK(rc == 0, "set_ldt where nothing is mapped yet (%ld)", rc);
	rc = desc_frame_seal(ldt, mfn) == 0 ? map_frame_at(LATE_VA, mfn,
	    PTE_KERNEL_RO) : -1;
	rc = rc == 0 ? FAULTS(2, "mov %k0, %%es" :: "a"((uint32_t)LSEL(1))) :
	    -1;
	TEST_OK(rc == 0 && read_es() == LSEL(1), "mapped afterwards: its "
	    "selector loads at first use, as Xen maps LDT pages then "
	    "(%ld, es %#x)", rc, read_es());
	__asm__ volatile("mov %0, %%es" :: "r"(0));
	(void)ldt_set(0, 0);
	(void)unmap_at(LATE_VA);
}

void
ldt_tests(void)
{
	uint64_t *ldt, mfn, maddr;
	xm_pfn_t pfn;
	long rc;

	if (frame_alloc(&pfn) != 0) {
		TEST_OK(0, "a frame for the LDT");
		return;
	}
	ldt = pfn_to_virt(pfn);
	mfn = pfn_to_mfn(pfn);
	maddr = mfn << PAGE_SHIFT;
	kmemset(ldt, 0, PAGE_SIZE);
	ldt[1] = DESC_DATA_SMALL;
	ldt[2] = DESC_CODE64_DPL0;
	ldt[3] = DESC_DATA;
	ldt_hostile((uint64_t)ldt);
	TEST_OK(map_frame_at((uint64_t)ldt, mfn, PTE_KERNEL_RO) == 0,
	    "the LDT page mapped read-only, as Linux does");
	rc = ldt_set((uint64_t)ldt, 4);
	TEST_OK(rc == 0, "set_ldt of 4 entries (%ld)", rc);
	rc = FAULTS(2, "mov %k0, %%es" :: "a"((uint32_t)LSEL(1)));
	TEST_OK(!rc && read_es() == LSEL(1) && desc_lsl(LSEL(1)) == 0x1f,
	    "an LDT selector loads, with its limit (es %#x, lsl %#x)",
	    read_es(), desc_lsl(LSEL(1)));
	TEST_OK(((desc_lar(LSEL(2)) >> 13) & 3) == 3 &&
	    ((ldt[2] >> 45) & 3) == 3,
	    "its DPL 0 code segment became DPL 3, in the page too (lar %#x)",
	    desc_lar(LSEL(2)));
	sleep_ns(20 * NSEC_PER_MSEC);	/* the victim runs meanwhile */
	TEST_OK(read_es() == LSEL(1), "... and is still loaded after other "
	    "domains ran on its CPU (es %#x)", read_es());
	TEST_OK(desc_lsl(LSEL(4)) == 0 && desc_lar(LSEL(4)) == 0,
	    "a selector beyond its 4 entries is refused by the CPU");
	TEST_OK(map_frame_at((uint64_t)ldt, mfn, PTE_KERNEL) != 0,
	    "the LDT page cannot be mapped writable");
	rc = desc_update(maddr + 3 * 8, DESC_DATA_SMALL);
	TEST_OK(rc == 0 && desc_lsl(LSEL(3)) == 0x1f,
	    "update_descriptor in the LDT: the CPU sees it (lsl %#x)",
	    desc_lsl(LSEL(3)));
	rc = desc_update(maddr + 3 * 8, DESC_GATE_HV);
	TEST_OK(rc == -XM_EINVAL && desc_lsl(LSEL(3)) == 0x1f,
	    "update_descriptor of a call gate into hv's code in the LDT: "
	    "-EINVAL, unchanged (%ld)", rc);
	__asm__ volatile("mov %0, %%es" :: "r"(0));
	rc = ldt_set(0, 0);
	TEST_OK(rc == 0 && desc_lar(LSEL(1)) == 0 && map_frame_at((uint64_t)ldt,
	    mfn, PTE_KERNEL) == 0, "ldt_set(0, 0): no LDT, the page is its "
	    "own again (%ld)", rc);
	ldt[3] = DESC_GATE_HV;
	(void)map_frame_at((uint64_t)ldt, mfn, PTE_KERNEL_RO);
	rc = ldt_set((uint64_t)ldt, 4);
	rc = FAULTS(2, "mov %k0, %%es" :: "a"((uint32_t)LSEL(1))) ? rc : -1;
	TEST_OK(rc == 0 && desc_lar(LSEL(3)) == 0 && read_es() == 0,
	    "an LDT page holding a call gate into hv is not taken: its "
	    "selectors fault (%ld)", rc);
	(void)ldt_set(0, 0);
	ldt_mapped_late();
}
