/*
 * Grant tables, version 1: the guest's own table, mapped over pages
 * reserved in .bss, a free list of references, and the map, unmap and
 * copy operations on other domains' grants.
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/grant_table.h>
#include <xm/hypercall.h>

#include <guest/events.h>
#include <guest/gnttab.h>
#include <guest/hypercall.h>
#include <guest/mm.h>

static uint8_t gnttab_pages[GNTTAB_NR_FRAMES * PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));
static volatile struct xm_grant_entry_v1 *gnttab_table;

/* Free references, chained through gnttab_next; 0 ends the list. */
static xm_grant_ref_t	gnttab_next[GNTTAB_NR_ENTRIES];
static xm_grant_ref_t	gnttab_free_head;

int
gnttab_init(void)
{
	struct xm_gnttab_setup_table setup = {
		.dom = XM_DOMID_SELF,
		.nr_frames = GNTTAB_NR_FRAMES,
	};
	xm_pfn_t frames[GNTTAB_NR_FRAMES];
	unsigned int i;
	int rc;

	setup.frame_list = (xm_guest_handle_t)frames;
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_SETUP_TABLE, &setup, 1);
	if (rc < 0)
		return rc;
	if (setup.status != XM_GNTST_OKAY)
		return setup.status;
	for (i = 0; i < GNTTAB_NR_FRAMES; i++) {
		rc = map_frame_at((uint64_t)&gnttab_pages[i * PAGE_SIZE],
		    frames[i], PTE_KERNEL);
		if (rc < 0)
			return rc;
	}
	gnttab_table = (volatile struct xm_grant_entry_v1 *)gnttab_pages;
	/* The first references belong to the domain builder. */
	gnttab_free_head = 0;
	for (i = GNTTAB_NR_ENTRIES - 1; i >= XM_GNTTAB_NR_RESERVED_ENTRIES;
	    i--) {
		gnttab_next[i] = gnttab_free_head;
		gnttab_free_head = i;
	}
	return 0;
}

volatile struct xm_grant_entry_v1 *
gnttab_entry(xm_grant_ref_t ref)
{
	if (gnttab_table == NULL || ref >= GNTTAB_NR_ENTRIES)
		return NULL;
	return &gnttab_table[ref];
}

static int
gnttab_ref_get(void)
{
	unsigned int flags = local_irq_save();
	xm_grant_ref_t ref = gnttab_free_head;

	if (ref != 0)
		gnttab_free_head = gnttab_next[ref];
	local_irq_restore(flags);
	return ref == 0 ? -XM_ENOSPC : (int)ref;
}

static void
gnttab_ref_put(xm_grant_ref_t ref)
{
	unsigned int flags = local_irq_save();

	gnttab_next[ref] = gnttab_free_head;
	gnttab_free_head = ref;
	local_irq_restore(flags);
}

/* Frame and domid must be in place before flags makes the entry live. */
int
gnttab_grant_access(xm_domid_t domid, xm_pfn_t mfn, int readonly)
{
	volatile struct xm_grant_entry_v1 *e;
	int ref;

	/* v1 entries hold 32-bit frame numbers. */
	if (gnttab_table == NULL || mfn > UINT32_MAX)
		return -XM_EINVAL;
	ref = gnttab_ref_get();
	if (ref < 0)
		return ref;
	e = &gnttab_table[ref];
	e->frame = mfn;
	e->domid = domid;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	e->flags = XM_GTF_PERMIT_ACCESS | (readonly ? XM_GTF_READONLY : 0);
	return ref;
}

/* Clear flags only if hv has not marked the grant in use meanwhile. */
int
gnttab_end_access(xm_grant_ref_t ref)
{
	volatile struct xm_grant_entry_v1 *e = gnttab_entry(ref);
	uint16_t flags;

	if (e == NULL || ref < XM_GNTTAB_NR_RESERVED_ENTRIES)
		return -XM_EINVAL;
	flags = e->flags;
	do {
		if (flags & (XM_GTF_READING | XM_GTF_WRITING))
			return -XM_EBUSY;
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	gnttab_ref_put(ref);
	return 0;
}

int
gnttab_map(xm_domid_t domid, xm_grant_ref_t ref, uint64_t va, int readonly,
    xm_grant_handle_t *handle)
{
	struct xm_gnttab_map_grant_ref op = {
		.host_addr = va,
		.flags = XM_GNTMAP_HOST_MAP,
		.ref = ref,
		.dom = domid,
	};
	int rc;

	if (readonly)
		op.flags |= XM_GNTMAP_READONLY;
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_MAP_GRANT_REF, &op, 1);
	if (rc < 0)
		return rc;
	if (op.status != XM_GNTST_OKAY)
		return op.status;
	*handle = op.handle;
	return 0;
}

int
gnttab_unmap(uint64_t va, xm_grant_handle_t handle)
{
	struct xm_gnttab_unmap_grant_ref op = {
		.host_addr = va,
		.handle = handle,
	};
	int rc;

	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_UNMAP_GRANT_REF, &op, 1);
	if (rc < 0)
		return rc;
	return op.status;
}

int
gnttab_copy(struct xm_gnttab_copy *ops, unsigned int count)
{
	unsigned int i;
	int rc;

	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_COPY, ops, count);
	if (rc < 0)
		return rc;
	for (i = 0; i < count; i++)
		if (ops[i].status != XM_GNTST_OKAY)
			return ops[i].status;
	return 0;
}
