/* Descriptor tables of a PV kernel (guest/desc.h). */
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/desc.h>
#include <guest/hypercall.h>
#include <guest/mm.h>

uint64_t *
desc_frame(uint64_t *mfn)
{
	xm_pfn_t pfn;
	uint64_t *frame;

	if (frame_alloc(&pfn) != 0)
		return NULL;
	frame = pfn_to_virt(pfn);
	kmemset(frame, 0, PAGE_SIZE);
	*mfn = pfn_to_mfn(pfn);
	return frame;
}

int
desc_frame_seal(uint64_t *frame, uint64_t mfn)
{
	return map_frame_at((uint64_t)frame, mfn, PTE_KERNEL_RO);
}

long
desc_update(uint64_t maddr, uint64_t desc)
{
	return _hypercall2(XM_HYPERCALL_UPDATE_DESCRIPTOR, maddr, desc);
}

long
gdt_set(const uint64_t *frames, unsigned int entries)
{
	return _hypercall2(XM_HYPERCALL_SET_GDT, frames, entries);
}

long
ldt_set(uint64_t va, uint32_t entries)
{
	struct xm_mmuext_op op;

	kmemset(&op, 0xa5, sizeof(op));		/* pad: as Linux leaves it */
	op.cmd = XM_MMUEXT_SET_LDT;
	op.arg1.linear_addr = va;
	op.arg2.nr_ents = entries;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, XM_DOMID_SELF);
}
