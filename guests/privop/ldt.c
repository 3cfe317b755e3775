/*
 * privop's LDT: MMUEXT_SET_LDT as Xen takes it from a 64-bit PV kernel
 * (Linux's modify_ldt and its context switch).  The LDT's pages are
 * the domain's, mapped read-only; their descriptors are checked as a
 * GDT's (a DPL below 3 raised to 3, a call gate refused); while they
 * are its LDT they cannot be mapped writable and update_descriptor
 * changes them.  The CPU uses the entries: an LDT selector loads, lar
 * and lsl show what hv set, and it stays loaded after other domains
 * ran on the CPU.  A base that is not page aligned or not the guest's,
 * or more than 8192 entries, is refused.
 */

#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#include "privop.h"

#define DESC_CODE_DPL0	UINT64_C(0x00af9a000000ffff)	/* 64-bit code */
#define DESC_DATA_DPL3	UINT64_C(0x00cff2000000ffff)	/* data, 4 GiB */
#define DESC_DATA_SMALL	UINT64_C(0x0040f2000000001f)	/* data, 32 B */
#define DESC_CALL_GATE	UINT64_C(0x0000ec0000000000)	/* present, DPL 3 */
#define LSEL(i)		((uint16_t)((i) << 3 | 4 | 3))	/* TI = LDT */

static long
set_ldt(uint64_t va, uint32_t ents)
{
	struct xm_mmuext_op op;

	kmemset(&op, 0xa5, sizeof(op));		/* pad: as Linux leaves it */
	op.cmd = XM_MMUEXT_SET_LDT;
	op.arg1.linear_addr = va;
	op.arg2.nr_ents = ents;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, XM_DOMID_SELF);
}

static long
update_descriptor(uint64_t maddr, uint64_t desc)
{
	return _hypercall2(XM_HYPERCALL_UPDATE_DESCRIPTOR, maddr, desc);
}

static uint32_t
lar(uint16_t sel)
{
	uint32_t ar = 0;

	__asm__ volatile("lar %1, %0" : "+r"(ar) : "rm"((uint32_t)sel));
	return ar;
}

static uint32_t
lsl(uint16_t sel)
{
	uint32_t limit = 0;

	__asm__ volatile("lsl %1, %0" : "+r"(limit) : "rm"((uint32_t)sel));
	return limit;
}

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

	rc = set_ldt(va + 8, 4);
	TEST_OK(rc == -XM_EINVAL, "set_ldt, base not page aligned: -EINVAL "
	    "(%ld)", rc);
	rc = set_ldt(va, 8193);
	TEST_OK(rc == -XM_EINVAL, "set_ldt of 8193 entries: -EINVAL (%ld)", rc);
	rc = set_ldt(UINT64_C(0xffff800000000000), 16);
	TEST_OK(rc == -XM_EINVAL, "set_ldt in hv's range: -EINVAL (%ld)", rc);
	rc = set_ldt(UINT64_C(0x0000800000000000), 16);
	TEST_OK(rc == -XM_EINVAL, "set_ldt at a non-canonical address: "
	    "-EINVAL (%ld)", rc);
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
	ldt[2] = DESC_CODE_DPL0;
	ldt[3] = DESC_DATA_DPL3;
	ldt_hostile((uint64_t)ldt);
	TEST_OK(map_frame_at((uint64_t)ldt, mfn, PTE_KERNEL_RO) == 0,
	    "the LDT page mapped read-only, as Linux does");
	rc = set_ldt((uint64_t)ldt, 4);
	TEST_OK(rc == 0, "set_ldt of 4 entries (%ld)", rc);
	rc = FAULTS(2, "mov %k0, %%es" :: "a"((uint32_t)LSEL(1)));
	TEST_OK(!rc && read_es() == LSEL(1) && lsl(LSEL(1)) == 0x1f,
	    "an LDT selector loads, with its limit (es %#x, lsl %#x)",
	    read_es(), lsl(LSEL(1)));
	TEST_OK(((lar(LSEL(2)) >> 13) & 3) == 3 && ((ldt[2] >> 45) & 3) == 3,
	    "its DPL 0 code segment became DPL 3, in the page too (lar %#x)",
	    lar(LSEL(2)));
	sleep_ns(20 * NSEC_PER_MSEC);	/* the victim runs meanwhile */
	TEST_OK(read_es() == LSEL(1), "... and is still loaded after other "
	    "domains ran on its CPU (es %#x)", read_es());
	TEST_OK(lsl(LSEL(4)) == 0 && lar(LSEL(4)) == 0,
	    "a selector beyond its 4 entries is refused by the CPU");
	TEST_OK(map_frame_at((uint64_t)ldt, mfn, PTE_KERNEL) != 0,
	    "the LDT page cannot be mapped writable");
	rc = update_descriptor(maddr + 3 * 8, DESC_DATA_SMALL);
	TEST_OK(rc == 0 && lsl(LSEL(3)) == 0x1f,
	    "update_descriptor in the LDT: the CPU sees it (lsl %#x)",
	    lsl(LSEL(3)));
	rc = update_descriptor(maddr + 3 * 8, DESC_CALL_GATE);
	TEST_OK(rc == -XM_EINVAL && lsl(LSEL(3)) == 0x1f,
	    "update_descriptor of a call gate in the LDT: -EINVAL, "
	    "unchanged (%ld)", rc);
	__asm__ volatile("mov %0, %%es" :: "r"(0));
	rc = set_ldt(0, 0);
	TEST_OK(rc == 0 && lar(LSEL(1)) == 0 && map_frame_at((uint64_t)ldt,
	    mfn, PTE_KERNEL) == 0, "set_ldt(0, 0): no LDT, the page is its "
	    "own again (%ld)", rc);
	ldt[3] = DESC_CALL_GATE;
	(void)map_frame_at((uint64_t)ldt, mfn, PTE_KERNEL_RO);
	rc = set_ldt((uint64_t)ldt, 4);
	rc = FAULTS(2, "mov %k0, %%es" :: "a"((uint32_t)LSEL(1))) ? rc : -1;
	TEST_OK(rc == 0 && lar(LSEL(3)) == 0 && read_es() == 0,
	    "an LDT page holding a call gate is not taken: its selectors "
	    "fault (%ld)", rc);
	(void)set_ldt(0, 0);
}
