/*
 * The start-of-day layout of an x86-64 PV domain: where the domain
 * builder puts each region in the initial mapping, which starts at the
 * kernel's VIRT_BASE (pfn 0).  hv's boot-time builder and xmd's builder
 * both take it from here.  From the bottom, in the order of Xen's
 * domain builder (tools/libs/guest, xc_dom_build_image) and of its
 * domain 0 builder:
 *
 *	kernel image | boot modules | p2m (mfn_list) | start_info |
 *	xenstore page | console page | initial page tables | boot stack |
 *	>= 512 KiB padding, up to a multiple of 4 MiB
 *
 * (or, for a kernel with the MOD_START_PFN note, the boot modules after
 * all that, outside the mapping).
 *
 * Each region starts on a page.  The xenstore page is there when asked
 * for, the console page for an unprivileged domain only.  Everything up
 * to v_end is mapped by the initial page tables, writable except the
 * page-table frames themselves; vCPU 0 starts at the entry point with
 * rsi = start_info and rsp at the top of the boot stack.
 *
 * Freestanding: no allocation, no I/O, so that hv, xmd and the unit
 * tests compile the same code.
 */
#ifndef KLIB_XEN_LAYOUT_H
#define KLIB_XEN_LAYOUT_H

#include <stdint.h>

#include <klib/xen_elf.h>
#include <xm/xen_core.h>

#define XEN_LAYOUT_PAGE_SHIFT	12
#define XEN_LAYOUT_PAGE_SIZE	(UINT64_C(1) << XEN_LAYOUT_PAGE_SHIFT)
/* The bootstrap mapping's padding after the stack, and its alignment. */
#define XEN_LAYOUT_PADDING	(UINT64_C(512) << 10)
#define XEN_LAYOUT_ALIGN	(UINT64_C(4) << 20)
#define XEN_LAYOUT_MAX_MODULES	4

/* xen_layout_in.xl_flags */
#define XEN_LAYOUT_PRIVILEGED	(1U << 0)	/* no console page */
#define XEN_LAYOUT_XENSTORE	(1U << 1)	/* a xenstore page */
/*
 * The kernel has the MOD_START_PFN note: as Xen's builder does, the
 * modules go after the initial mapping, unmapped, and start_info gives
 * the first one's pfn (SIF_MOD_START_PFN).  xen_layout_in_init sets it.
 */
#define XEN_LAYOUT_UNMAPPED_MODULES (1U << 2)

/* What the layout depends on. */
struct xen_layout_in {
	uint64_t	xli_nr_pages;	/* the domain's memory */
	uint64_t	xli_virt_base;	/* VIRT_BASE: pfn 0 */
	uint64_t	xli_virt_kend;	/* end of the kernel image */
	uint64_t	xli_entry;
	uint64_t	xli_mod_size[XEN_LAYOUT_MAX_MODULES];	/* bytes */
	uint32_t	xli_nr_modules;
	uint32_t	xli_flags;	/* XEN_LAYOUT_* */
};
_Static_assert(sizeof(struct xen_layout_in) == 72, "xen_layout_in");

/* Virtual addresses; a region that is not there is 0. */
struct xen_layout {
	uint64_t	xl_nr_pages;
	uint64_t	xl_entry;
	uint64_t	xl_v_start;	/* VIRT_BASE: pfn 0 */
	uint64_t	xl_v_mod[XEN_LAYOUT_MAX_MODULES];
	uint64_t	xl_mod_size[XEN_LAYOUT_MAX_MODULES];
	uint64_t	xl_v_p2m;
	uint64_t	xl_v_start_info;
	uint64_t	xl_v_xenstore;
	uint64_t	xl_v_console;
	uint64_t	xl_v_pt;	/* the L4, then the other tables */
	uint64_t	xl_nr_pt_frames;
	uint64_t	xl_v_stack;	/* the boot stack's page */
	uint64_t	xl_v_end;	/* end of the initial mapping */
	uint32_t	xl_nr_modules;
	uint32_t	xl_flags;	/* XEN_LAYOUT_* */
};
_Static_assert(sizeof(struct xen_layout) == 160, "xen_layout");

/* What start_info gets besides the layout. */
struct xen_layout_si {
	uint64_t	xls_shared_info_mfn;
	uint32_t	xls_console_evtchn;
	uint32_t	xls_store_evtchn;
	const char	*xls_cmdline;
};

/* The frame of a page-table page, by pfn, where the builder can write. */
typedef uint64_t	*xen_layout_map_fn(void *ctx, uint64_t pfn);

/* The inputs for a kernel and nr_pages pages, without modules. */
void	xen_layout_in_init(struct xen_layout_in *,
	    const struct xen_elf_info *, uint64_t nr_pages, uint32_t flags);

/* Frames needed to map [start, end) with 4-level tables. */
uint64_t	xen_layout_count_pt_frames(uint64_t start, uint64_t end);

/*
 * Plan the layout.  0; -XM_EINVAL if VIRT_BASE is not page-aligned or
 * there are too many modules; -XM_ENOMEM if the layout runs past the
 * end of the kernel's half of the address space or does not fit in
 * xli_nr_pages.  *why says which.
 */
int	xen_layout_plan(struct xen_layout *, const struct xen_layout_in *,
	    const char **why);

uint64_t	xen_layout_va_to_pfn(const struct xen_layout *, uint64_t va);
uint64_t	xen_layout_pages(const struct xen_layout *);	/* mapped */
/* The pages the builder fills: the mapping, and modules after it. */
uint64_t	xen_layout_used_pages(const struct xen_layout *);
uint64_t	xen_layout_stack_top(const struct xen_layout *);

/*
 * Write the initial page tables into the page-table frames, which must
 * be zero; p2m gives the frame of each pfn.  0, or -XM_EINVAL if the
 * planned tables did not suffice (a bug in the plan).
 */
int	xen_layout_write_page_tables(const struct xen_layout *,
	    const uint64_t *p2m, xen_layout_map_fn *, void *ctx);

/* start_info, complete; the caller puts it in the start_info page. */
void	xen_layout_start_info(const struct xen_layout *, const uint64_t *p2m,
	    const struct xen_layout_si *, struct xm_start_info *);

#endif
