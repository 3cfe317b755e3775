/*
 * The start-of-day layout of a PV domain, computed exactly as hv's
 * boot-time builder (hv/domain_build.c) computes it, and the host-side
 * image of the initially mapped region that xmd's builder then writes
 * into the domain's frames.  From the bottom (pfn 0 at VIRT_BASE):
 *
 *	kernel image | p2m (mfn_list) | start_info | console page (domU) |
 *	initial page tables | boot stack | >= 512 KiB padding, to 4 MiB
 *
 * Page-table frames are mapped read-only, everything else writable.
 * Nothing here does I/O, so the unit tests check it against hv's numbers.
 */
#ifndef XMD_LAYOUT_H
#define XMD_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include <klib/xen_elf.h>
#include <xm/arch_x86_64.h>

#define LAYOUT_PAGE_SHIFT	12
#define LAYOUT_PAGE_SIZE	(UINT64_C(1) << LAYOUT_PAGE_SHIFT)

struct layout {
	uint64_t	nr_pages;	/* the domain's memory */
	int		privileged;	/* no console page when set */
	uint64_t	v_start;	/* VIRT_BASE: pfn 0 */
	uint64_t	v_end;		/* end of the initial mapping */
	uint64_t	v_p2m;
	uint64_t	v_start_info;
	uint64_t	v_console;	/* 0 when privileged */
	uint64_t	v_pt;		/* the L4, then the other tables */
	uint64_t	v_stack;	/* the boot stack's page */
	uint64_t	nr_pt_frames;
};

/* What start_info gets besides the layout. */
struct layout_si {
	uint64_t	shared_info_mfn;
	uint32_t	console_evtchn;
	const char	*cmdline;
};

/* The initially mapped region [v_start, v_end) on the host. */
struct layout_image {
	const struct layout	*li_layout;
	const uint64_t		*li_p2m;	/* nr_pages mfns */
	uint8_t			*li_mem;
	size_t			 li_size;
};

/* Frames needed to map [start, end) with 4-level tables. */
uint64_t layout_count_pt_frames(uint64_t start, uint64_t end);

/*
 * Plan the layout of a kernel of nr_pages pages.  0, or -XM_ENOMEM if
 * the layout does not fit, -XM_EINVAL if VIRT_BASE is not page-aligned;
 * *why says which.
 */
int	layout_plan(struct layout *, const struct xen_elf_info *,
	    uint64_t nr_pages, int privileged, const char **why);

uint64_t layout_va_to_pfn(const struct layout *, uint64_t va);

/* Allocate the region, zeroed; layout_image_free() frees it. */
int	layout_image_init(struct layout_image *, const struct layout *,
	    const uint64_t *p2m);
void	layout_image_free(struct layout_image *);

/* The kernel's segments; 0 or -1 if one falls outside the kernel area. */
int	layout_load_kernel(struct layout_image *,
	    const struct xen_elf_info *, const void *kernel, size_t size);
void	layout_write_p2m(struct layout_image *);
void	layout_write_page_tables(struct layout_image *);
void	layout_write_start_info(struct layout_image *,
	    const struct layout_si *);

/* Whether the image's page at pfn holds nothing but zeros. */
int	layout_page_is_zero(const struct layout_image *, uint64_t pfn);

/* vCPU 0 at the entry point, as Xen's builder starts a 64-bit PV guest. */
void	layout_vcpu_context(const struct layout *,
	    const struct xen_elf_info *, const uint64_t *p2m,
	    struct xm_vcpu_guest_context *);

#endif
