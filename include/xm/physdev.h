/*
 * Xen x86-64 PV guest ABI: physdev_op(cmd, arg).  Physical interrupts
 * and I/O port access for a domain that drives real devices; ordinary
 * guests use only set_iopl, if anything.
 */

#ifndef _XM_PHYSDEV_H_
#define _XM_PHYSDEV_H_

#include <stdint.h>

#include "hypercall.h"

#define XM_PHYSDEVOP_IRQ_UNMASK_NOTIFY	4
#define XM_PHYSDEVOP_IRQ_STATUS_QUERY	5
#define XM_PHYSDEVOP_SET_IOPL		6
#define XM_PHYSDEVOP_SET_IOBITMAP	7
#define XM_PHYSDEVOP_APIC_READ		8
#define XM_PHYSDEVOP_APIC_WRITE		9
#define XM_PHYSDEVOP_ALLOC_IRQ_VECTOR	10
#define XM_PHYSDEVOP_FREE_IRQ_VECTOR	11
#define XM_PHYSDEVOP_EOI		12
#define XM_PHYSDEVOP_MAP_PIRQ		13
#define XM_PHYSDEVOP_UNMAP_PIRQ		14
#define XM_PHYSDEVOP_MANAGE_PCI_ADD	15
#define XM_PHYSDEVOP_MANAGE_PCI_REMOVE	16
#define XM_PHYSDEVOP_PIRQ_EOI_GMFN_V1	17
/* 18 is unassigned. */
#define XM_PHYSDEVOP_RESTORE_MSI	19
#define XM_PHYSDEVOP_MANAGE_PCI_ADD_EXT	20
#define XM_PHYSDEVOP_SETUP_GSI		21
/* 22 is unassigned. */
#define XM_PHYSDEVOP_GET_FREE_PIRQ	23
#define XM_PHYSDEVOP_PCI_MMCFG_RESERVED	24
#define XM_PHYSDEVOP_PCI_DEVICE_ADD	25
#define XM_PHYSDEVOP_PCI_DEVICE_REMOVE	26
#define XM_PHYSDEVOP_RESTORE_MSI_EXT	27
#define XM_PHYSDEVOP_PIRQ_EOI_GMFN_V2	28
#define XM_PHYSDEVOP_DBGP_OP		29
#define XM_PHYSDEVOP_PREPARE_MSIX	30
#define XM_PHYSDEVOP_RELEASE_MSIX	31

struct xm_physdev_eoi {
	uint32_t	irq;
};
_Static_assert(sizeof(struct xm_physdev_eoi) == 4, "xm_physdev_eoi");

/*
 * pirq_eoi_gmfn: a guest frame holding one bit per pirq that hv sets
 * when the pirq needs an EOI, sparing the guest a status query.
 */
struct xm_physdev_pirq_eoi_gmfn {
	xm_pfn_t	gmfn;
};
_Static_assert(sizeof(struct xm_physdev_pirq_eoi_gmfn) == 8,
    "xm_physdev_pirq_eoi_gmfn");

struct xm_physdev_irq_status_query {
	uint32_t	irq;
	uint32_t	flags;		/* out: XM_XENIRQSTAT_* */
};
_Static_assert(sizeof(struct xm_physdev_irq_status_query) == 8,
    "xm_physdev_irq_status_query");

#define XM_XENIRQSTAT_NEEDS_EOI	(1U << 0)
#define XM_XENIRQSTAT_SHARED	(1U << 1)

/*
 * The I/O privilege level the guest kernel runs with; since it runs
 * in ring 3, hv checks port access against this virtual IOPL.
 */
struct xm_physdev_set_iopl {
	uint32_t	iopl;
};
_Static_assert(sizeof(struct xm_physdev_set_iopl) == 4,
    "xm_physdev_set_iopl");

struct xm_physdev_set_iobitmap {
	xm_guest_handle_t bitmap;	/* one bit per port, 1 = denied */
	uint32_t	nr_ports;
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_physdev_set_iobitmap) == 16,
    "xm_physdev_set_iobitmap");

/* xm_physdev_map_pirq.type */
#define XM_MAP_PIRQ_TYPE_MSI		0x0
#define XM_MAP_PIRQ_TYPE_GSI		0x1
#define XM_MAP_PIRQ_TYPE_UNKNOWN	0x2
#define XM_MAP_PIRQ_TYPE_MSI_SEG	0x3
#define XM_MAP_PIRQ_TYPE_MULTI_MSI	0x4

/* Bind a GSI or MSI of a device to a pirq number of domid. */
struct xm_physdev_map_pirq {
	xm_domid_t	domid;
	uint16_t	pad0;
	int32_t		type;		/* XM_MAP_PIRQ_TYPE_* */
	int32_t		index;		/* e.g. the GSI */
	int32_t		pirq;		/* in/out */
	int32_t		bus;		/* MSI: PCI bus (MSI_SEG: seg << 16) */
	int32_t		devfn;
	int32_t		entry_nr;	/* MULTI_MSI: vectors, in/out */
	uint32_t	pad1;
	uint64_t	table_base;	/* MSI-X table address */
};
_Static_assert(sizeof(struct xm_physdev_map_pirq) == 40,
    "xm_physdev_map_pirq");

struct xm_physdev_unmap_pirq {
	xm_domid_t	domid;
	uint16_t	pad;
	int32_t		pirq;
};
_Static_assert(sizeof(struct xm_physdev_unmap_pirq) == 8,
    "xm_physdev_unmap_pirq");

struct xm_physdev_get_free_pirq {
	int32_t		type;		/* XM_MAP_PIRQ_TYPE_* */
	uint32_t	pirq;		/* out */
};
_Static_assert(sizeof(struct xm_physdev_get_free_pirq) == 8,
    "xm_physdev_get_free_pirq");

#endif /* _XM_PHYSDEV_H_ */
