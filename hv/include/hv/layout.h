/*
 * hv's virtual address layout. hv lives in the range that the x86-64 PV
 * ABI reserves for the hypervisor in every address space, at the places
 * Xen uses, so that guests written for Xen find what they expect there
 * (the read-only machine-to-phys table first of all).
 */
#ifndef HV_LAYOUT_H
#define HV_LAYOUT_H

#define HV_RESERVED_START	0xffff800000000000
#define HV_RESERVED_END		0xffff880000000000

/* Read-only machine-to-phys table, mapped for guests. */
#define HV_RO_MPT_START		0xffff800000000000
#define HV_RO_MPT_END		0xffff804000000000

/* hv's image: linked here, loaded at HV_LOAD_PHYS. */
#define HV_VIRT_OFFSET		0xffff82d080000000
#define HV_LOAD_PHYS		0x200000

/* All of RAM, mapped one to one. */
#define HV_DIRECTMAP_START	0xffff830000000000
#define HV_DIRECTMAP_END	0xffff880000000000

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void *
phys_to_virt(uint64_t pa)
{
	return (void *)(pa + HV_DIRECTMAP_START);
}

static inline uint64_t
virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	if (v >= HV_VIRT_OFFSET && v < HV_DIRECTMAP_START)
		return v - HV_VIRT_OFFSET;
	return v - HV_DIRECTMAP_START;
}
#endif

#endif
