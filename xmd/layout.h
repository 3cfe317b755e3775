/*
 * The host-side image of a PV domain's initial mapping, which xmd's
 * builder writes into the domain's frames.  Where each region goes is
 * klib/xen_layout.h's, shared with hv's boot-time builder; this adds
 * only what needs the host: memory for the image, the kernel loaded
 * into it, and vCPU 0's context for the control channel.
 * Nothing here does I/O, so the unit tests check it directly.
 */
#ifndef XMD_LAYOUT_H
#define XMD_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include <klib/xen_elf.h>
#include <klib/xen_layout.h>
#include <xm/arch_x86_64.h>

#define LAYOUT_PAGE_SHIFT	XEN_LAYOUT_PAGE_SHIFT
#define LAYOUT_PAGE_SIZE	XEN_LAYOUT_PAGE_SIZE

/* What the builder fills from v_start: the mapping, modules after it. */
struct layout_image {
	const struct xen_layout	*li_layout;
	const uint64_t		*li_p2m;	/* nr_pages mfns */
	uint8_t			*li_mem;
	size_t			 li_size;
};

/* Allocate the region, zeroed; layout_image_free() frees it. */
int	layout_image_init(struct layout_image *, const struct xen_layout *,
	    const uint64_t *p2m);
void	layout_image_free(struct layout_image *);

/* The kernel's segments; 0 or -1 if one falls outside the kernel area. */
int	layout_load_kernel(struct layout_image *,
	    const struct xen_elf_info *, const void *kernel, size_t size);
/* Module i's bytes, as many as the layout planned; 0 or -1. */
int	layout_load_module(struct layout_image *, unsigned int i,
	    const void *data, size_t len);
void	layout_write_p2m(struct layout_image *);
/* 0, or -1 if the planned page tables did not suffice. */
int	layout_write_page_tables(struct layout_image *);
void	layout_write_start_info(struct layout_image *,
	    const struct xen_layout_si *);

/* Whether the image's page at pfn holds nothing but zeros. */
int	layout_page_is_zero(const struct layout_image *, uint64_t pfn);

/* vCPU 0 at the entry point, as Xen's builder starts a 64-bit PV guest. */
void	layout_vcpu_context(const struct xen_layout *, const uint64_t *p2m,
	    struct xm_vcpu_guest_context *);

#endif
