/*
 * The p2m published for the toolstack, as a Xen PV guest does it for
 * save and migration (Linux's xen_setup_mfn_list_list): shared_info's
 * arch.max_pfn, and arch.pfn_to_mfn_frame_list_list, the frame of a
 * page listing the frames of pages that list the frames of the p2m
 * (start_info's mfn_list).  One frame-list page holds 512 p2m frames,
 * 2^18 pfns: all that mm.c takes.
 */
#include <stdint.h>

#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/mm.h>

#define PER_PAGE	(PAGE_SIZE / sizeof(uint64_t))

static uint64_t frame_list[PER_PAGE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));
static uint64_t frame_list_list[PER_PAGE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));

_Static_assert(PER_PAGE * PER_PAGE >= MM_MAX_PFNS, "one frame list");

void
p2m_publish(void)
{
	uint64_t nr = guest_start_info->nr_pages, i, p2m_pages;
	uint64_t p2m = guest_start_info->mfn_list;

	if (nr > MM_MAX_PFNS)
		nr = MM_MAX_PFNS;
	p2m_pages = (nr + PER_PAGE - 1) / PER_PAGE;
	for (i = 0; i < p2m_pages; i++)
		frame_list[i] = virt_to_mfn((const void *)(p2m +
		    i * PAGE_SIZE));
	frame_list_list[0] = virt_to_mfn(frame_list);
	guest_shared_info->arch.max_pfn = nr;
	guest_shared_info->arch.pfn_to_mfn_frame_list_list =
	    virt_to_mfn(frame_list_list);
}
