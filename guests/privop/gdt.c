/*
 * privop's descriptor tables: set_gdt and update_descriptor as Xen
 * takes them from a 64-bit PV kernel.  A GDT frame must be the
 * domain's and mapped read-only; its descriptors are checked (a DPL
 * below 3 is raised to 3; a call gate is kept only with a target of
 * the guest's, its DPL forced to 0, as Xen stores it); once it is a GDT
 * frame it cannot be mapped writable, and update_descriptor is the way to
 * change it; the CPU then uses the entries (a selector loads, lar shows
 * the DPL hv set).
 */

#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>

#include <guest/desc.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>
#include <guest/traps.h>

#include "privop.h"

#define DESC_DATA_SMALL	UINT64_C(0x0040f2000000000f)	/* data, 16 B */

void
gdt_tests(void)
{
	uint64_t *gdt, frames[1], maddr;
	uint16_t es = 0, gs = 0;
	xm_pfn_t pfn;
	long rc;

	if (frame_alloc(&pfn) != 0) {
		TEST_OK(0, "a frame for the GDT");
		return;
	}
	gdt = pfn_to_virt(pfn);
	frames[0] = pfn_to_mfn(pfn);
	maddr = frames[0] << PAGE_SHIFT;
	kmemset(gdt, 0, PAGE_SIZE);
	gdt[1] = DESC_CODE64_DPL0;
	gdt[2] = DESC_DATA;
	gdt[3] = DESC_GATE_HV;
	rc = gdt_set(frames, 16);
	TEST_OK(rc == -XM_EINVAL, "set_gdt of a frame mapped writable: -EINVAL "
	    "(%ld)", rc);
	TEST_OK(map_frame_at((uint64_t)gdt, frames[0], PTE_KERNEL_RO) == 0,
	    "the GDT frame mapped read-only, as Linux does");
	rc = gdt_set(frames, 16);
	TEST_OK(rc == -XM_EINVAL, "set_gdt of a frame with a call gate into "
	    "hv's code segment: -EINVAL (%ld)", rc);
	(void)map_frame_at((uint64_t)gdt, frames[0], PTE_KERNEL);
	gdt[3] = 0;
	(void)map_frame_at((uint64_t)gdt, frames[0], PTE_KERNEL_RO);
	rc = gdt_set(frames, 16);
	TEST_OK(rc == 0, "set_gdt of 16 entries (%ld)", rc);
	TEST_OK(((desc_lar(SEL(1)) >> 13) & 3) == 3 &&
	    ((gdt[1] >> 45) & 3) == 3,
	    "its DPL 0 code segment became DPL 3, in the frame too (lar %#x)",
	    desc_lar(SEL(1)));
	rc = FAULTS(3, "mov %0, %%es" :: "r"(SEL(2)));
	__asm__ volatile("mov %%es, %0" : "=r"(es));
	TEST_OK(!rc && es == SEL(2), "a selector of its own GDT loads");
	sleep_ns(20 * NSEC_PER_MSEC);	/* the victim runs meanwhile */
	__asm__ volatile("mov %%es, %0" : "=r"(es));
	TEST_OK(es == SEL(2), "... and is still loaded after other domains "
	    "ran on its CPU (es %#x)", es);
	rc = HYPERVISOR_set_segment_base(XM_SEGBASE_GS_USER_SEL, SEL(2) & ~3);
	__asm__ volatile("mov %%gs, %0" : "=r"(gs));
	TEST_OK(rc == 0 && gs == SEL(2), "set_segment_base(GS_USER_SEL) "
	    "loads the user's %%gs, RPL 3 (%ld, gs %#x)", rc, gs);
	rc = HYPERVISOR_set_segment_base(XM_SEGBASE_GS_USER_SEL, SEL(9));
	__asm__ volatile("mov %%gs, %0" : "=r"(gs));
	TEST_OK(rc == 0 && gs == 0, "... one whose descriptor is not present "
	    "loads null, as Xen (%ld, gs %#x)", rc, gs);
	TEST_OK(map_frame_at((uint64_t)gdt, frames[0], PTE_KERNEL) != 0,
	    "the GDT frame cannot be mapped writable");
	rc = desc_update(maddr + 2 * 8, DESC_DATA_SMALL);
	TEST_OK(rc == 0 && desc_lsl(SEL(2)) == 0xf,
	    "update_descriptor: the CPU sees the new limit (lsl %#x)",
	    desc_lsl(SEL(2)));
	TEST_OK(desc_update(maddr + 3 * 8 + 4, DESC_DATA) ==
	    -XM_EINVAL, "update_descriptor, misaligned: -EINVAL");
	TEST_OK(desc_update(maddr + 3 * 8, DESC_GATE_HV) == -XM_EINVAL,
	    "update_descriptor of a call gate into hv's code: -EINVAL");
	TEST_OK(desc_update(maddr + 3 * 8, DESC_GATE_LO(SEL(1), 0) |
	    (UINT64_C(1) << 32)) == -XM_EINVAL,
	    "... of one with a reserved bit set: -EINVAL");
	rc = desc_update(maddr + 3 * 8, DESC_GATE_LO(SEL(1), 0x1234));
	TEST_OK(rc == 0 && gdt[3] == ((DESC_GATE_LO(SEL(1), 0x1234) &
	    ~(UINT64_C(3) << 45)) | (UINT64_C(3) << 16)), "... of one into "
	    "its own code: taken, DPL 0, its DPL in the target's RPL, as "
	    "Xen (%ld, %#lx)", rc, gdt[3]);
	TEST_OK(desc_update(virt_to_maddr((void *)
	    guest_start_info->pt_base), DESC_DATA) == -XM_EINVAL,
	    "update_descriptor into its L4 page table: -EINVAL");
	TEST_OK(gdt_set(frames, 7169) == -XM_EINVAL,
	    "set_gdt of 7169 entries (into hv's): -EINVAL");
	__asm__ volatile("mov %0, %%es" :: "r"(0));
	TEST_OK(gdt_set(frames, 0) == 0 && map_frame_at((uint64_t)gdt,
	    frames[0], PTE_KERNEL) == 0 && desc_lar(SEL(2)) == 0,
	    "set_gdt of 0 entries: the frame is its own again, the "
	    "selector gone");
}
