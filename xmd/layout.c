/*
 * The host-side image of a PV domain's initial mapping (see layout.h).
 * The layout and the page tables are klib/xen_layout.c's, the same code
 * hv's boot-time builder runs, so that a domain built by xmd through
 * the control channel starts exactly as one that hv builds at boot.
 */
#include <stdlib.h>
#include <string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include "layout.h"

#define PAGE_SHIFT	LAYOUT_PAGE_SHIFT
#define PAGE_SIZE	LAYOUT_PAGE_SIZE

/* rflags.IF: events are masked in vcpu_info, not here. */
#define RFLAGS_IF	(UINT64_C(1) << 9)

static uint8_t *
va_to_host(const struct layout_image *img, uint64_t va)
{
	return img->li_mem + (va - img->li_layout->xl_v_start);
}

int
layout_image_init(struct layout_image *img, const struct xen_layout *l,
    const uint64_t *p2m)
{
	img->li_layout = l;
	img->li_p2m = p2m;
	img->li_size = (size_t)(xen_layout_used_pages(l) << PAGE_SHIFT);
	img->li_mem = calloc(1, img->li_size);
	return img->li_mem != NULL ? 0 : -1;
}

int
layout_load_module(struct layout_image *img, unsigned int i,
    const void *data, size_t len)
{
	const struct xen_layout *l = img->li_layout;

	if (i >= l->xl_nr_modules || len != l->xl_mod_size[i])
		return -1;
	memcpy(va_to_host(img, l->xl_v_mod[i]), data, len);
	return 0;
}

void
layout_image_free(struct layout_image *img)
{
	free(img->li_mem);
	img->li_mem = NULL;
}

/* Whether [va, va + len) lies in the kernel area, below the modules. */
static int
in_kernel_area(const struct xen_layout *l, uint64_t va, uint64_t len)
{
	uint64_t kend = l->xl_nr_modules > 0 &&
	    !(l->xl_flags & XEN_LAYOUT_UNMAPPED_MODULES) ? l->xl_v_mod[0] :
	    l->xl_v_p2m;

	return va >= l->xl_v_start && va <= kend && len <= kend - va;
}

static int
load_write(void *ctx, uint64_t va, const void *src, uint64_t len)
{
	struct layout_image *img = ctx;

	if (!in_kernel_area(img->li_layout, va, len))
		return -1;
	memcpy(va_to_host(img, va), src, len);
	return 0;
}

static int
load_zero(void *ctx, uint64_t va, uint64_t len)
{
	struct layout_image *img = ctx;

	if (!in_kernel_area(img->li_layout, va, len))
		return -1;
	return 0;	/* the image starts zeroed */
}

int
layout_load_kernel(struct layout_image *img, const struct xen_elf_info *elf,
    const void *kernel, size_t size)
{
	return xen_elf_load(kernel, size, elf, load_write, load_zero, img) ==
	    0 ? 0 : -1;
}

void
layout_write_p2m(struct layout_image *img)
{
	const struct xen_layout *l = img->li_layout;

	memcpy(va_to_host(img, l->xl_v_p2m), img->li_p2m,
	    l->xl_nr_pages * sizeof(uint64_t));
}

static uint64_t *
map_host(void *ctx, uint64_t pfn)
{
	struct layout_image *img = ctx;

	return (uint64_t *)(img->li_mem + (pfn << PAGE_SHIFT));
}

int
layout_write_page_tables(struct layout_image *img)
{
	return xen_layout_write_page_tables(img->li_layout, img->li_p2m,
	    map_host, img) == 0 ? 0 : -1;
}

void
layout_write_start_info(struct layout_image *img,
    const struct xen_layout_si *in)
{
	const struct xen_layout *l = img->li_layout;
	struct xm_start_info si;

	xen_layout_start_info(l, img->li_p2m, in, &si);
	memcpy(va_to_host(img, l->xl_v_start_info), &si, sizeof(si));
}

int
layout_page_is_zero(const struct layout_image *img, uint64_t pfn)
{
	const uint64_t *p = (const uint64_t *)(img->li_mem +
	    (pfn << PAGE_SHIFT));
	size_t i;

	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

void
layout_vcpu_context(const struct xen_layout *l, const uint64_t *p2m,
    struct xm_vcpu_guest_context *c)
{
	struct xm_cpu_user_regs *r = &c->user_regs;

	memset(c, 0, sizeof(*c));
	c->flags = XM_VGCF_IN_KERNEL | XM_VGCF_ONLINE;
	r->rip = l->xl_entry;
	r->rsp = xen_layout_stack_top(l);
	r->rsi = l->xl_v_start_info;
	r->cs = XM_FLAT_KERNEL_CS;
	r->ss = XM_FLAT_KERNEL_SS;
	r->ds = r->es = r->fs = r->gs = XM_FLAT_KERNEL_DS;
	r->rflags = RFLAGS_IF;
	c->kernel_ss = XM_FLAT_KERNEL_SS;
	c->kernel_sp = r->rsp;
	c->ctrlreg[3] = XM_PFN_TO_CR3(p2m[xen_layout_va_to_pfn(l,
	    l->xl_v_pt)]);
}
