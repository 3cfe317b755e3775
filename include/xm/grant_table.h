/*
 * Xen x86-64 PV guest ABI: grant tables, version 1.  A domain grants
 * another access to one of its frames by filling an entry of its own
 * grant table; the other side names the grant by (domain, reference)
 * in grant_table_op(cmd, array, count).
 */

#ifndef _XM_GRANT_TABLE_H_
#define _XM_GRANT_TABLE_H_

#include <stdint.h>

#include "hypercall.h"

typedef uint32_t xm_grant_ref_t;
typedef uint32_t xm_grant_handle_t;

#define XM_GNTTABOP_MAP_GRANT_REF	0
#define XM_GNTTABOP_UNMAP_GRANT_REF	1
#define XM_GNTTABOP_SETUP_TABLE		2
#define XM_GNTTABOP_DUMP_TABLE		3
#define XM_GNTTABOP_TRANSFER		4
#define XM_GNTTABOP_COPY		5
#define XM_GNTTABOP_QUERY_SIZE		6
#define XM_GNTTABOP_UNMAP_AND_REPLACE	7
/* Grant table version 2 and later; xm implements version 1 only. */
#define XM_GNTTABOP_SET_VERSION		8
#define XM_GNTTABOP_GET_STATUS_FRAMES	9
#define XM_GNTTABOP_GET_VERSION		10
#define XM_GNTTABOP_SWAP_GRANT_REF	11
#define XM_GNTTABOP_CACHE_FLUSH		12

/*
 * One grant.  The granting domain writes frame and domid first and
 * flags last; the flags word is also where hv records that the grant
 * is in use, so a guest revoking a grant must update it atomically.
 */
struct xm_grant_entry_v1 {
	uint16_t	flags;		/* XM_GTF_* */
	xm_domid_t	domid;		/* who may use it */
	uint32_t	frame;
};
_Static_assert(sizeof(struct xm_grant_entry_v1) == 8, "xm_grant_entry_v1");

/* References the domain builder hands out before the guest runs. */
#define XM_GNTTAB_NR_RESERVED_ENTRIES	8
#define XM_GNTTAB_RESERVED_CONSOLE	0
#define XM_GNTTAB_RESERVED_XENSTORE	1

/* Grant type, in the low two bits of the flags. */
#define XM_GTF_INVALID			(0U << 0)
#define XM_GTF_PERMIT_ACCESS		(1U << 0)
#define XM_GTF_ACCEPT_TRANSFER		(2U << 0)
#define XM_GTF_TRANSITIVE		(3U << 0)
#define XM_GTF_TYPE_MASK		(3U << 0)
/* For access grants: set by the granter ... */
#define XM_GTF_READONLY			(1U << 2)
/* ... and by hv while the frame is mapped or being copied. */
#define XM_GTF_READING			(1U << 3)
#define XM_GTF_WRITING			(1U << 4)
/* Cache attributes for the mapping, set by the granter. */
#define XM_GTF_PWT			(1U << 5)
#define XM_GTF_PCD			(1U << 6)
#define XM_GTF_PAT			(1U << 7)
#define XM_GTF_SUB_PAGE			(1U << 8)
/* For transfer grants, reusing bits 2 and 3. */
#define XM_GTF_TRANSFER_COMMITTED	(1U << 2)
#define XM_GTF_TRANSFER_COMPLETED	(1U << 3)

/* map_grant_ref and unmap flags */
#define XM_GNTMAP_DEVICE_MAP		(1U << 0)
#define XM_GNTMAP_HOST_MAP		(1U << 1)
#define XM_GNTMAP_READONLY		(1U << 2)
#define XM_GNTMAP_APPLICATION_MAP	(1U << 3)
/* host_addr is the machine address of the PTE, not a linear address. */
#define XM_GNTMAP_CONTAINS_PTE		(1U << 4)
/* Bits 16 and up are copied into the PTE's available bits. */
#define XM_GNTMAP_GUEST_AVAIL0		16
#define XM_GNTMAP_GUEST_AVAIL_MASK	(~0U << XM_GNTMAP_GUEST_AVAIL0)

/* Per-operation status, in the op's status field. */
#define XM_GNTST_OKAY			0
#define XM_GNTST_GENERAL_ERROR		(-1)
#define XM_GNTST_BAD_DOMAIN		(-2)
#define XM_GNTST_BAD_GNTREF		(-3)
#define XM_GNTST_BAD_HANDLE		(-4)
#define XM_GNTST_BAD_VIRT_ADDR		(-5)
#define XM_GNTST_BAD_DEV_ADDR		(-6)
#define XM_GNTST_NO_DEVICE_SPACE	(-7)
#define XM_GNTST_PERMISSION_DENIED	(-8)
#define XM_GNTST_BAD_PAGE		(-9)
#define XM_GNTST_BAD_COPY_ARG		(-10)	/* crosses a page */
#define XM_GNTST_ADDRESS_TOO_BIG	(-11)
#define XM_GNTST_EAGAIN			(-12)
#define XM_GNTST_NO_SPACE		(-13)

struct xm_gnttab_map_grant_ref {
	uint64_t	host_addr;
	uint32_t	flags;		/* XM_GNTMAP_* */
	xm_grant_ref_t	ref;
	xm_domid_t	dom;		/* the granting domain */
	int16_t		status;		/* out: XM_GNTST_* */
	xm_grant_handle_t handle;	/* out: for unmap */
	uint64_t	dev_bus_addr;	/* out */
};
_Static_assert(sizeof(struct xm_gnttab_map_grant_ref) == 32,
    "xm_gnttab_map_grant_ref");

struct xm_gnttab_unmap_grant_ref {
	uint64_t	host_addr;
	uint64_t	dev_bus_addr;
	xm_grant_handle_t handle;
	int16_t		status;		/* out */
	uint16_t	pad;
};
_Static_assert(sizeof(struct xm_gnttab_unmap_grant_ref) == 24,
    "xm_gnttab_unmap_grant_ref");

/*
 * Grow dom's grant table to nr_frames frames and list their machine
 * frames in frame_list, an array of xm_pfn_t, so the guest can map
 * its own table.
 */
struct xm_gnttab_setup_table {
	xm_domid_t	dom;
	uint16_t	pad0;
	uint32_t	nr_frames;
	int16_t		status;		/* out */
	uint16_t	pad1[3];
	xm_guest_handle_t frame_list;	/* out */
};
_Static_assert(sizeof(struct xm_gnttab_setup_table) == 24,
    "xm_gnttab_setup_table");

struct xm_gnttab_dump_table {
	xm_domid_t	dom;
	int16_t		status;		/* out */
};
_Static_assert(sizeof(struct xm_gnttab_dump_table) == 4,
    "xm_gnttab_dump_table");

/* Give away frame mfn to domid, through its accept-transfer grant ref. */
struct xm_gnttab_transfer {
	xm_pfn_t	mfn;
	xm_domid_t	domid;
	uint16_t	pad0;
	xm_grant_ref_t	ref;
	int16_t		status;		/* out */
	uint16_t	pad1[3];
};
_Static_assert(sizeof(struct xm_gnttab_transfer) == 24,
    "xm_gnttab_transfer");

/* xm_gnttab_copy.flags: which ends are grant refs, not local frames */
#define XM_GNTCOPY_SOURCE_GREF		(1U << 0)
#define XM_GNTCOPY_DEST_GREF		(1U << 1)

/* One end of a copy: a grant ref of domid or a frame of the caller. */
struct xm_gnttab_copy_ptr {
	union {
		xm_grant_ref_t	ref;
		xm_pfn_t	gmfn;
	} u;
	xm_domid_t	domid;
	uint16_t	offset;
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_gnttab_copy_ptr) == 16,
    "xm_gnttab_copy_ptr");

/* Copy len bytes; neither end may cross a page boundary. */
struct xm_gnttab_copy {
	struct xm_gnttab_copy_ptr source;
	struct xm_gnttab_copy_ptr dest;
	uint16_t	len;
	uint16_t	flags;		/* XM_GNTCOPY_* */
	int16_t		status;		/* out */
	uint16_t	pad;
};
_Static_assert(sizeof(struct xm_gnttab_copy) == 40, "xm_gnttab_copy");

struct xm_gnttab_query_size {
	xm_domid_t	dom;
	uint16_t	pad0;
	uint32_t	nr_frames;	/* out */
	uint32_t	max_nr_frames;	/* out */
	int16_t		status;		/* out */
	uint16_t	pad1;
};
_Static_assert(sizeof(struct xm_gnttab_query_size) == 16,
    "xm_gnttab_query_size");

/*
 * Unmap the grant at host_addr, moving the mapping at new_addr there
 * and clearing new_addr: lets a guest drop a grant without a hole.
 */
struct xm_gnttab_unmap_and_replace {
	uint64_t	host_addr;
	uint64_t	new_addr;
	xm_grant_handle_t handle;
	int16_t		status;		/* out */
	uint16_t	pad;
};
_Static_assert(sizeof(struct xm_gnttab_unmap_and_replace) == 24,
    "xm_gnttab_unmap_and_replace");

#endif /* _XM_GRANT_TABLE_H_ */
