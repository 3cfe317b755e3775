/*
 * The start-of-day layout of a PV domain and its image on the host.
 * layout_plan() and the page-table walk follow hv/domain_build.c step for
 * step (plan_layout, count_pt_frames, pt_slot, build_page_tables,
 * fill_start_info), so that a domain built by xmd through the control
 * channel starts exactly as one that hv builds at boot.
 */
#include <stdlib.h>
#include <string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include "layout.h"

#define PAGE_SHIFT	LAYOUT_PAGE_SHIFT
#define PAGE_SIZE	LAYOUT_PAGE_SIZE
#define PT_ENTRIES	512
#define MB4		(UINT64_C(4) << 20)
#define PADDING		(UINT64_C(512) << 10)
/* Canonical x86-64 addresses: [0, LOW_END) and [HIGH_START, 2^64). */
#define LOW_END		UINT64_C(0x0000800000000000)

/* Page-table entry bits, as hv/mm has them. */
#define PTE_P		(UINT64_C(1) << 0)
#define PTE_RW		(UINT64_C(1) << 1)
#define PTE_US		(UINT64_C(1) << 2)
#define PTE_A		(UINT64_C(1) << 5)
#define PTE_D		(UINT64_C(1) << 6)
#define PTE_MFN(e)	(((e) & UINT64_C(0x000ffffffffff000)) >> PAGE_SHIFT)

/* rflags.IF: events are masked in vcpu_info, not here. */
#define RFLAGS_IF	(UINT64_C(1) << 9)

uint64_t
layout_count_pt_frames(uint64_t start, uint64_t end)
{
	uint64_t n = 1, shift;

	for (shift = 39; shift >= 21; shift -= 9)
		n += ((end - 1) >> shift) - (start >> shift) + 1;
	return n;
}

/*
 * Move *va on by n bytes, then up to a multiple of align, unless that
 * would pass end.  Returns 0, or -1 and *va unchanged.
 */
static int
advance(uint64_t *va, uint64_t n, uint64_t align, uint64_t end)
{
	uint64_t room = end - *va, pad;

	if (n > room)
		return -1;
	pad = (align - (*va + n) % align) % align;
	if (pad > room - n)
		return -1;
	*va += n + pad;
	return 0;
}

/*
 * From the p2m on; 0, or -1 when the layout would run past end.  Page
 * tables map themselves: iterate to a fixed point.
 */
static int
plan_regions(struct layout *l, uint64_t kend, uint64_t end)
{
	uint64_t va = kend, pt;

	if (kend > end)
		return -1;
	if (advance(&va, 0, PAGE_SIZE, end) != 0)
		return -1;
	l->v_p2m = va;
	if (l->nr_pages > UINT64_MAX / sizeof(uint64_t) ||
	    advance(&va, l->nr_pages * sizeof(uint64_t), PAGE_SIZE, end) != 0)
		return -1;
	l->v_start_info = va;
	if (advance(&va, PAGE_SIZE, 1, end) != 0)
		return -1;
	if (!l->privileged) {
		l->v_console = va;
		if (advance(&va, PAGE_SIZE, 1, end) != 0)
			return -1;
	}
	l->v_pt = va;
	for (pt = 1;; pt = l->nr_pt_frames) {
		va = l->v_pt;
		if (pt > UINT64_MAX / PAGE_SIZE ||
		    advance(&va, pt * PAGE_SIZE, 1, end) != 0)
			return -1;
		l->v_stack = va;
		if (advance(&va, PAGE_SIZE + PADDING, MB4, end) != 0)
			return -1;
		l->v_end = va;
		l->nr_pt_frames = layout_count_pt_frames(l->v_start, l->v_end);
		if (l->nr_pt_frames <= pt)
			return 0;
	}
}

int
layout_plan(struct layout *l, const struct xen_elf_info *elf,
    uint64_t nr_pages, int privileged, const char **why)
{
	memset(l, 0, sizeof(*l));
	l->nr_pages = nr_pages;
	l->privileged = privileged;
	l->v_start = elf->xi_virt_base;
	if (l->v_start & (PAGE_SIZE - 1)) {
		*why = "the kernel's VIRT_BASE is not page-aligned";
		return -XM_EINVAL;
	}
	/*
	 * Within the kernel's half of the canonical address space, below
	 * the last 4 MiB of the upper half (v_end would be 2^64): a layout
	 * that wrapped around would put start_info and the page tables
	 * below the kernel, outside the region mapped.
	 */
	if (plan_regions(l, elf->xi_virt_kend, l->v_start < LOW_END ?
	    LOW_END : 0 - MB4) != 0) {
		*why = "the kernel's start-of-day layout runs past the end of its half of the address space";
		return -XM_ENOMEM;
	}
	if ((l->v_end - l->v_start) >> PAGE_SHIFT > nr_pages) {
		*why = "not enough memory for the kernel's start-of-day layout";
		return -XM_ENOMEM;
	}
	return 0;
}

uint64_t
layout_va_to_pfn(const struct layout *l, uint64_t va)
{
	return (va - l->v_start) >> PAGE_SHIFT;
}

static uint8_t *
va_to_host(const struct layout_image *img, uint64_t va)
{
	return img->li_mem + (va - img->li_layout->v_start);
}

int
layout_image_init(struct layout_image *img, const struct layout *l,
    const uint64_t *p2m)
{
	img->li_layout = l;
	img->li_p2m = p2m;
	img->li_size = (size_t)(l->v_end - l->v_start);
	img->li_mem = calloc(1, img->li_size);
	return img->li_mem != NULL ? 0 : -1;
}

void
layout_image_free(struct layout_image *img)
{
	free(img->li_mem);
	img->li_mem = NULL;
}

static int
load_write(void *ctx, uint64_t va, const void *src, uint64_t len)
{
	struct layout_image *img = ctx;
	const struct layout *l = img->li_layout;

	if (va < l->v_start || va > l->v_p2m || len > l->v_p2m - va)
		return -1;
	memcpy(va_to_host(img, va), src, len);
	return 0;
}

static int
load_zero(void *ctx, uint64_t va, uint64_t len)
{
	struct layout_image *img = ctx;
	const struct layout *l = img->li_layout;

	if (va < l->v_start || va > l->v_p2m || len > l->v_p2m - va)
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
	const struct layout *l = img->li_layout;

	memcpy(va_to_host(img, l->v_p2m), img->li_p2m,
	    l->nr_pages * sizeof(uint64_t));
}

/* The page-table page whose frame is mfn (tables are few: search). */
static uint64_t *
pt_page(const struct layout_image *img, uint64_t mfn)
{
	const struct layout *l = img->li_layout;
	uint64_t pfn = layout_va_to_pfn(l, l->v_pt), i;

	for (i = 0; i < l->nr_pt_frames; i++)
		if (img->li_p2m[pfn + i] == mfn)
			return (uint64_t *)va_to_host(img,
			    l->v_pt + i * PAGE_SIZE);
	abort();	/* every entry written below names a table frame */
}

/* The L1 entry for va; missing tables are taken from *next_pt on. */
static uint64_t *
pt_slot(struct layout_image *img, uint64_t *next_pt, uint64_t va)
{
	const struct layout *l = img->li_layout;
	uint64_t *table = (uint64_t *)va_to_host(img, l->v_pt);
	unsigned int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & (PT_ENTRIES - 1)];

		if (!(*e & PTE_P)) {
			*e = (img->li_p2m[layout_va_to_pfn(l, *next_pt)] <<
			    PAGE_SHIFT) | PTE_P | PTE_RW | PTE_US;
			*next_pt += PAGE_SIZE;
		}
		table = pt_page(img, PTE_MFN(*e));
	}
	return &table[(va >> 12) & (PT_ENTRIES - 1)];
}

void
layout_write_page_tables(struct layout_image *img)
{
	const struct layout *l = img->li_layout;
	uint64_t next_pt = l->v_pt + PAGE_SIZE, va;
	uint64_t pt_end = l->v_pt + l->nr_pt_frames * PAGE_SIZE;

	for (va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
		uint64_t flags = PTE_P | PTE_US | PTE_A;

		if (va < l->v_pt || va >= pt_end)
			flags |= PTE_RW | PTE_D;
		*pt_slot(img, &next_pt, va) = (img->li_p2m[layout_va_to_pfn(l,
		    va)] << PAGE_SHIFT) | flags;
	}
}

void
layout_write_start_info(struct layout_image *img, const struct layout_si *in)
{
	const struct layout *l = img->li_layout;
	struct xm_start_info si;

	memset(&si, 0, sizeof(si));
	memcpy(si.magic, XM_START_INFO_MAGIC, sizeof(XM_START_INFO_MAGIC));
	si.nr_pages = l->nr_pages;
	si.shared_info = in->shared_info_mfn << PAGE_SHIFT;
	si.flags = l->privileged ? XM_SIF_PRIVILEGED | XM_SIF_INITDOMAIN : 0;
	if (!l->privileged) {
		si.console.domU.mfn =
		    img->li_p2m[layout_va_to_pfn(l, l->v_console)];
		si.console.domU.evtchn = in->console_evtchn;
	}
	si.pt_base = l->v_pt;
	si.nr_pt_frames = l->nr_pt_frames;
	si.mfn_list = l->v_p2m;
	strncpy((char *)si.cmd_line, in->cmdline, sizeof(si.cmd_line) - 1);
	memcpy(va_to_host(img, l->v_start_info), &si, sizeof(si));
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
layout_vcpu_context(const struct layout *l, const struct xen_elf_info *elf,
    const uint64_t *p2m, struct xm_vcpu_guest_context *c)
{
	struct xm_cpu_user_regs *r = &c->user_regs;

	memset(c, 0, sizeof(*c));
	c->flags = XM_VGCF_IN_KERNEL | XM_VGCF_ONLINE;
	r->rip = elf->xi_entry;
	r->rsp = l->v_stack + PAGE_SIZE;
	r->rsi = l->v_start_info;
	r->cs = XM_FLAT_KERNEL_CS;
	r->ss = XM_FLAT_KERNEL_SS;
	r->ds = r->es = r->fs = r->gs = XM_FLAT_KERNEL_DS;
	r->rflags = RFLAGS_IF;
	c->kernel_ss = XM_FLAT_KERNEL_SS;
	c->kernel_sp = r->rsp;
	c->ctrlreg[3] = XM_PFN_TO_CR3(p2m[layout_va_to_pfn(l, l->v_pt)]);
}
