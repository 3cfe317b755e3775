/*
 * Xen x86-64 PV guest ABI: memory_op(cmd, arg).  Growing and shrinking
 * a domain's memory, the machine-to-physical table and the memory map
 * a guest is given in place of a BIOS e820 table.
 */

#ifndef _XM_MEMORY_H_
#define _XM_MEMORY_H_

#include <stdint.h>

#include "hypercall.h"

#define XM_XENMEM_INCREASE_RESERVATION	0
#define XM_XENMEM_DECREASE_RESERVATION	1
#define XM_XENMEM_MAXIMUM_RAM_PAGE	2
#define XM_XENMEM_CURRENT_RESERVATION	3
#define XM_XENMEM_MAXIMUM_RESERVATION	4
#define XM_XENMEM_MACHPHYS_MFN_LIST	5
#define XM_XENMEM_POPULATE_PHYSMAP	6
#define XM_XENMEM_ADD_TO_PHYSMAP	7
/* 8 is retired. */
#define XM_XENMEM_MEMORY_MAP		9
#define XM_XENMEM_MACHINE_MEMORY_MAP	10
#define XM_XENMEM_EXCHANGE		11
#define XM_XENMEM_MACHPHYS_MAPPING	12
#define XM_XENMEM_SET_MEMORY_MAP	13
#define XM_XENMEM_MAXIMUM_GPFN		14
#define XM_XENMEM_REMOVE_FROM_PHYSMAP	15
#define XM_XENMEM_SET_POD_TARGET	16
#define XM_XENMEM_GET_POD_TARGET	17
/* 18-22, 24 and 27 are toolstack-only operations xm does not offer. */
#define XM_XENMEM_ADD_TO_PHYSMAP_BATCH	23
#define XM_XENMEM_MACHPHYS_COMPAT_MFN_LIST 25
#define XM_XENMEM_GET_VNUMAINFO		26
#define XM_XENMEM_ACQUIRE_RESOURCE	28

/*
 * xm_memory_reservation.mem_flags: the low byte limits the machine
 * address width of the frames (0: any), the next byte a NUMA node + 1.
 */
#define XM_XENMEMF_ADDRESS_BITS(x)	(x)
#define XM_XENMEMF_GET_ADDRESS_BITS(x)	((x) & 0xffU)
#define XM_XENMEMF_NODE(x)		(((x) + 1) << 8)
#define XM_XENMEMF_GET_NODE(x)		((((x) >> 8) - 1) & 0xffU)
#define XM_XENMEMF_POPULATE_ON_DEMAND	(1 << 16)
#define XM_XENMEMF_EXACT_NODE_REQUEST	(1 << 17)
#define XM_XENMEMF_EXACT_NODE(n)	\
	(XM_XENMEMF_NODE(n) | XM_XENMEMF_EXACT_NODE_REQUEST)
#define XM_XENMEMF_VNODE		(1 << 18)

/*
 * increase/decrease_reservation and populate_physmap: nr_extents
 * extents of 2^extent_order frames each.  The hypercall returns how
 * many extents it handled, which may be fewer than asked for.
 */
struct xm_memory_reservation {
	xm_guest_handle_t extent_start;	/* array of xm_pfn_t, in/out */
	uint64_t	nr_extents;
	uint32_t	extent_order;
	uint32_t	mem_flags;	/* XM_XENMEMF_* */
	xm_domid_t	domid;
	uint16_t	pad[3];
};
_Static_assert(sizeof(struct xm_memory_reservation) == 32,
    "xm_memory_reservation");

/* Trade the frames of in for newly allocated ones described by out. */
struct xm_memory_exchange {
	struct xm_memory_reservation in;
	struct xm_memory_reservation out;
	uint64_t	nr_exchanged;	/* out: extents of in done */
};
_Static_assert(sizeof(struct xm_memory_exchange) == 72,
    "xm_memory_exchange");

/* The machine frames that hold the machine-to-physical table. */
struct xm_machphys_mfn_list {
	uint32_t	max_extents;
	uint32_t	pad0;
	xm_guest_handle_t extent_start;	/* array of xm_pfn_t, out */
	uint32_t	nr_extents;	/* out */
	uint32_t	pad1;
};
_Static_assert(sizeof(struct xm_machphys_mfn_list) == 24,
    "xm_machphys_mfn_list");

/* Where the machine-to-physical table is mapped, and how big it is. */
struct xm_machphys_mapping {
	uint64_t	v_start;
	uint64_t	v_end;
	uint64_t	max_mfn;
};
_Static_assert(sizeof(struct xm_machphys_mapping) == 24,
    "xm_machphys_mapping");

/* xm_add_to_physmap.space */
#define XM_XENMAPSPACE_SHARED_INFO	0
#define XM_XENMAPSPACE_GRANT_TABLE	1
#define XM_XENMAPSPACE_GMFN		2
#define XM_XENMAPSPACE_GMFN_RANGE	3
#define XM_XENMAPSPACE_GMFN_FOREIGN	4
#define XM_XENMAPSPACE_DEV_MMIO		5
/* With GRANT_TABLE: idx names a status frame, not a shared frame. */
#define XM_XENMAPIDX_GRANT_TABLE_STATUS	0x80000000U

/* Put the idx'th frame of space at guest frame gpfn. */
struct xm_add_to_physmap {
	xm_domid_t	domid;
	uint16_t	size;		/* frames, for GMFN_RANGE */
	uint32_t	space;		/* XM_XENMAPSPACE_* */
	uint64_t	idx;
	xm_pfn_t	gpfn;
};
_Static_assert(sizeof(struct xm_add_to_physmap) == 24, "xm_add_to_physmap");

struct xm_remove_from_physmap {
	xm_domid_t	domid;
	uint16_t	pad[3];
	xm_pfn_t	gpfn;
};
_Static_assert(sizeof(struct xm_remove_from_physmap) == 16,
    "xm_remove_from_physmap");

/*
 * memory_map and machine_memory_map: the caller says how many entries
 * buffer has room for, hv says how many it wrote.  The entries are
 * struct xm_e820_entry.
 */
struct xm_memory_map {
	uint32_t	nr_entries;	/* in/out */
	uint32_t	pad;
	xm_guest_handle_t buffer;
};
_Static_assert(sizeof(struct xm_memory_map) == 16, "xm_memory_map");

struct xm_foreign_memory_map {
	xm_domid_t	domid;
	uint16_t	pad[3];
	struct xm_memory_map map;
};
_Static_assert(sizeof(struct xm_foreign_memory_map) == 24,
    "xm_foreign_memory_map");

/*
 * The BIOS's e820 entry, which the ABI takes over as is: 20 bytes,
 * unaligned, so that a table can be handed on to code that expects
 * the BIOS format.
 */
struct xm_e820_entry {
	uint64_t	addr;
	uint64_t	size;
	uint32_t	type;		/* XM_E820_* */
} __attribute__((packed));
_Static_assert(sizeof(struct xm_e820_entry) == 20, "xm_e820_entry");

#define XM_E820_RAM		1
#define XM_E820_RESERVED	2
#define XM_E820_ACPI		3
#define XM_E820_NVS		4
#define XM_E820_UNUSABLE	5

#endif /* _XM_MEMORY_H_ */
