/*
 * Machine-contiguous areas for virtqueues (see dma.h).  The window is
 * part of the image, so its pages are pfns of the direct map; after a
 * swap the p2m and m2p entries of those pfns name the new frames, and
 * virt_to_maddr() stays right for them.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>

#include "dma.h"

#define DMA_WINDOW_PAGES	32

static uint8_t dma_window[DMA_WINDOW_PAGES * PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));
static unsigned int dma_used;		/* pages handed out */

static uint8_t *
page_va(uint8_t *va, unsigned int i)
{
	return va + (size_t)i * PAGE_SIZE;
}

static int
frames_contiguous(uint8_t *va, unsigned int n)
{
	xm_pfn_t first = virt_to_mfn(va);
	unsigned int i;

	for (i = 1; i < n; i++)
		if (virt_to_mfn(page_va(va, i)) != first + i)
			return 0;
	return 1;
}

static long
reservation(unsigned int cmd, xm_pfn_t *frames, uint64_t nr,
    unsigned int order)
{
	struct xm_memory_reservation r = {
		.extent_start = (uint64_t)frames,
		.nr_extents = nr,
		.extent_order = order,
		.domid = XM_DOMID_SELF,
	};

	return HYPERVISOR_memory_op(cmd, &r);
}

/* Map pfn's page (at va) to mfn, and tell the p2m and the m2p. */
static int
page_remap(uint8_t *va, xm_pfn_t mfn)
{
	xm_pfn_t pfn = virt_to_pfn(va);
	int rc;

	rc = map_frame_at((uint64_t)va, mfn, PTE_KERNEL);
	if (rc < 0)
		return rc;
	((xm_pfn_t *)guest_start_info->mfn_list)[pfn] = mfn;
	return mmu_update_one((mfn << PAGE_SHIFT) | XM_MMU_MACHPHYS_UPDATE,
	    pfn);
}

/* Unmap the n pages at va, noting their frames in mfns. */
static int
window_unmap(uint8_t *va, unsigned int n, xm_pfn_t *mfns)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		mfns[i] = virt_to_mfn(page_va(va, i));
		rc = unmap_at((uint64_t)page_va(va, i));
		if (rc < 0) {
			while (i-- > 0)
				(void)page_remap(page_va(va, i), mfns[i]);
			return rc;
		}
	}
	return 0;
}

/*
 * After a failed swap: the first given frames went back to hv, take as
 * many again; the others are still ours.  The window is whole again.
 */
static void
window_restore(uint8_t *va, unsigned int n, unsigned int given,
    xm_pfn_t *mfns)
{
	unsigned int i;

	if (given > 0 && reservation(XM_XENMEM_INCREASE_RESERVATION, mfns,
	    given, 0) != (long)given)
		gprintf("dom0: dma: lost %u frames of the window\n", given);
	for (i = 0; i < n; i++)
		(void)page_remap(page_va(va, i), mfns[i]);
}

static int
frames_exchange(uint8_t *va, unsigned int order)
{
	xm_pfn_t mfns[1U << DMA_ORDER_MAX], extent;
	unsigned int i, n = 1U << order;
	long given, got = 0;
	int rc;

	rc = window_unmap(va, n, mfns);
	if (rc < 0)
		return rc;
	given = reservation(XM_XENMEM_DECREASE_RESERVATION, mfns, n, 0);
	if (given == (long)n)
		got = reservation(XM_XENMEM_INCREASE_RESERVATION, &extent, 1,
		    order);
	if (got != 1) {
		window_restore(va, n, given < 0 ? 0 : (unsigned int)given,
		    mfns);
		return got < 0 ? (int)got : given < 0 ? (int)given :
		    -XM_ENOMEM;
	}
	for (i = 0; i < n; i++)
		if ((rc = page_remap(page_va(va, i), extent + i)) < 0)
			return rc;
	return 0;
}

int
dma_alloc(unsigned int order, int force_exchange, void **va,
    uint64_t *maddr)
{
	unsigned int n = 1U << order;
	uint8_t *p;
	int rc;

	if (order > DMA_ORDER_MAX || dma_used + n > DMA_WINDOW_PAGES)
		return -XM_ENOMEM;
	p = page_va(dma_window, dma_used);
	if (force_exchange || !frames_contiguous(p, n)) {
		rc = frames_exchange(p, order);
		if (rc < 0)
			return rc;
	}
	dma_used += n;
	kmemset(p, 0, (size_t)n * PAGE_SIZE);
	*va = p;
	*maddr = virt_to_maddr(p);
	return 0;
}
