/*
 * The start-of-day layout of an x86-64 PV domain.  See klib/xen_layout.h.
 *
 * The order of the regions and the size of the bootstrap mapping are
 * Xen's: its domain builder allocates kernel, modules, p2m, the
 * start_info, xenstore and console pages, the page tables and the boot
 * stack one after another from VIRT_BASE, and maps everything up to
 * the stack plus 512 KiB, rounded up to 4 MiB.  Unlike Xen, a layout
 * that would run out of the kernel's half of the address space is
 * refused rather than wrapped around.
 */
#include <stdint.h>

#include <klib/string.h>
#include <klib/xen_layout.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#define PAGE_SHIFT	XEN_LAYOUT_PAGE_SHIFT
#define PAGE_SIZE	XEN_LAYOUT_PAGE_SIZE
#define PT_ENTRIES	512
#define PT_LEVELS	4
/* Canonical x86-64 addresses: [0, LOW_END) and [HIGH_START, 2^64). */
#define LOW_END		UINT64_C(0x0000800000000000)

/* x86-64 page-table entry bits. */
#define PTE_P		(UINT64_C(1) << 0)
#define PTE_RW		(UINT64_C(1) << 1)
#define PTE_US		(UINT64_C(1) << 2)
#define PTE_A		(UINT64_C(1) << 5)
#define PTE_D		(UINT64_C(1) << 6)

void
xen_layout_in_init(struct xen_layout_in *in, const struct xen_elf_info *elf,
    uint64_t nr_pages, uint32_t flags)
{
	kmemset(in, 0, sizeof(*in));
	in->xli_nr_pages = nr_pages;
	in->xli_virt_base = elf->xi_virt_base;
	in->xli_virt_kend = elf->xi_virt_kend;
	in->xli_entry = elf->xi_entry;
	in->xli_flags = flags;
	if (elf->xi_mod_start_pfn != 0)
		in->xli_flags |= XEN_LAYOUT_UNMAPPED_MODULES;
}

uint64_t
xen_layout_count_pt_frames(uint64_t start, uint64_t end)
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

	if (*va > end || n > room)
		return -1;
	pad = (align - (*va + n) % align) % align;
	if (pad > room - n)
		return -1;
	*va += n + pad;
	return 0;
}

/* One page at *va, put in *at. */
static int
take_page(uint64_t *va, uint64_t *at, uint64_t end)
{
	*at = *va;
	return advance(va, PAGE_SIZE, 1, end);
}

/* Modules, then the p2m: from the end of the kernel. */
static int
plan_modules_p2m(struct xen_layout *l, const struct xen_layout_in *in,
    uint64_t *va, uint64_t end)
{
	uint32_t i;

	*va = in->xli_virt_kend;
	if (advance(va, 0, PAGE_SIZE, end) != 0)
		return -1;
	for (i = 0; i < l->xl_nr_modules &&
	    !(l->xl_flags & XEN_LAYOUT_UNMAPPED_MODULES); i++) {
		l->xl_v_mod[i] = *va;
		l->xl_mod_size[i] = in->xli_mod_size[i];
		if (advance(va, in->xli_mod_size[i], PAGE_SIZE, end) != 0)
			return -1;
	}
	l->xl_v_p2m = *va;
	if (l->xl_nr_pages > UINT64_MAX / sizeof(uint64_t))
		return -1;
	return advance(va, l->xl_nr_pages * sizeof(uint64_t), PAGE_SIZE, end);
}

/* start_info, xenstore and console: one page each. */
static int
plan_special_pages(struct xen_layout *l, uint64_t *va, uint64_t end)
{
	if (take_page(va, &l->xl_v_start_info, end) != 0)
		return -1;
	if ((l->xl_flags & XEN_LAYOUT_XENSTORE) &&
	    take_page(va, &l->xl_v_xenstore, end) != 0)
		return -1;
	if (!(l->xl_flags & XEN_LAYOUT_PRIVILEGED) &&
	    take_page(va, &l->xl_v_console, end) != 0)
		return -1;
	return 0;
}

/*
 * The page tables, the stack and the padding.  The tables map
 * themselves: grow them until they cover the mapping they end up in.
 */
static int
plan_tables(struct xen_layout *l, uint64_t va, uint64_t end)
{
	uint64_t pt;

	l->xl_v_pt = va;
	for (pt = 1;; pt = l->xl_nr_pt_frames) {
		va = l->xl_v_pt;
		if (pt > UINT64_MAX / PAGE_SIZE ||
		    advance(&va, pt * PAGE_SIZE, 1, end) != 0)
			return -1;
		l->xl_v_stack = va;
		if (advance(&va, PAGE_SIZE + XEN_LAYOUT_PADDING,
		    XEN_LAYOUT_ALIGN, end) != 0)
			return -1;
		l->xl_v_end = va;
		l->xl_nr_pt_frames = xen_layout_count_pt_frames(l->xl_v_start,
		    l->xl_v_end);
		if (l->xl_nr_pt_frames <= pt)
			return 0;
	}
}

/* Modules outside the mapping: from its end, page after page. */
static int
plan_unmapped_modules(struct xen_layout *l, const struct xen_layout_in *in,
    uint64_t end)
{
	uint64_t va = l->xl_v_end;
	uint32_t i;

	if (!(l->xl_flags & XEN_LAYOUT_UNMAPPED_MODULES))
		return 0;
	for (i = 0; i < l->xl_nr_modules; i++) {
		l->xl_v_mod[i] = va;
		l->xl_mod_size[i] = in->xli_mod_size[i];
		if (advance(&va, in->xli_mod_size[i], PAGE_SIZE, end) != 0)
			return -1;
	}
	return 0;
}

int
xen_layout_plan(struct xen_layout *l, const struct xen_layout_in *in,
    const char **why)
{
	uint64_t va, end;

	kmemset(l, 0, sizeof(*l));
	l->xl_nr_pages = in->xli_nr_pages;
	l->xl_entry = in->xli_entry;
	l->xl_v_start = in->xli_virt_base;
	l->xl_flags = in->xli_flags;
	if (l->xl_v_start & (PAGE_SIZE - 1)) {
		*why = "the kernel's VIRT_BASE is not page-aligned";
		return -XM_EINVAL;
	}
	if (in->xli_nr_modules > XEN_LAYOUT_MAX_MODULES) {
		*why = "too many boot modules";
		return -XM_EINVAL;
	}
	l->xl_nr_modules = in->xli_nr_modules;
	/*
	 * Within the kernel's half of the canonical address space, below
	 * the last 4 MiB of the upper half (v_end would be 2^64): a layout
	 * that wrapped around would put start_info and the page tables
	 * below the kernel, outside the region mapped.
	 */
	end = l->xl_v_start < LOW_END ? LOW_END : 0 - XEN_LAYOUT_ALIGN;
	if (plan_modules_p2m(l, in, &va, end) != 0 ||
	    plan_special_pages(l, &va, end) != 0 ||
	    plan_tables(l, va, end) != 0 ||
	    plan_unmapped_modules(l, in, end) != 0) {
		*why = "the kernel's start-of-day layout runs past the end of its half of the address space";
		return -XM_ENOMEM;
	}
	if (xen_layout_used_pages(l) > l->xl_nr_pages) {
		*why = "not enough memory for the kernel's start-of-day layout";
		return -XM_ENOMEM;
	}
	return 0;
}

uint64_t
xen_layout_va_to_pfn(const struct xen_layout *l, uint64_t va)
{
	return (va - l->xl_v_start) >> PAGE_SHIFT;
}

uint64_t
xen_layout_pages(const struct xen_layout *l)
{
	return (l->xl_v_end - l->xl_v_start) >> PAGE_SHIFT;
}

uint64_t
xen_layout_used_pages(const struct xen_layout *l)
{
	uint32_t n = l->xl_nr_modules;

	if (!(l->xl_flags & XEN_LAYOUT_UNMAPPED_MODULES) || n == 0)
		return xen_layout_pages(l);
	return (l->xl_v_mod[n - 1] + l->xl_mod_size[n - 1] + PAGE_SIZE - 1 -
	    l->xl_v_start) >> PAGE_SHIFT;
}

uint64_t
xen_layout_stack_top(const struct xen_layout *l)
{
	return l->xl_v_stack + PAGE_SIZE;
}

/*
 * Map va in the tables whose pfns table[] holds, level by level from
 * the L4.  The walk goes up through the addresses, so a table present
 * is the one that table[] names; a missing one is taken from *next.
 */
static int
map_page(const struct xen_layout *l, const uint64_t *p2m,
    xen_layout_map_fn *map, void *ctx, uint64_t *table, uint64_t *next,
    uint64_t va)
{
	uint64_t pt_end = xen_layout_va_to_pfn(l, l->xl_v_pt) +
	    l->xl_nr_pt_frames, pfn = xen_layout_va_to_pfn(l, va), flags;
	unsigned int lvl, shift;

	for (lvl = 0, shift = 39; lvl < PT_LEVELS - 1; lvl++, shift -= 9) {
		uint64_t *e = &map(ctx, table[lvl])[(va >> shift) &
		    (PT_ENTRIES - 1)];

		if (*e & PTE_P)
			continue;
		if (*next >= pt_end)
			return -XM_EINVAL;
		*e = (p2m[*next] << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_US;
		table[lvl + 1] = (*next)++;
	}
	flags = PTE_P | PTE_US | PTE_A;
	if (pfn < xen_layout_va_to_pfn(l, l->xl_v_pt) || pfn >= pt_end)
		flags |= PTE_RW | PTE_D;
	map(ctx, table[PT_LEVELS - 1])[(va >> 12) & (PT_ENTRIES - 1)] =
	    (p2m[pfn] << PAGE_SHIFT) | flags;
	return 0;
}

int
xen_layout_write_page_tables(const struct xen_layout *l, const uint64_t *p2m,
    xen_layout_map_fn *map, void *ctx)
{
	uint64_t table[PT_LEVELS], next, va;
	int rc;

	table[0] = xen_layout_va_to_pfn(l, l->xl_v_pt);
	next = table[0] + 1;
	for (va = l->xl_v_start; va < l->xl_v_end; va += PAGE_SIZE)
		if ((rc = map_page(l, p2m, map, ctx, table, &next, va)) != 0)
			return rc;
	return 0;
}

void
xen_layout_start_info(const struct xen_layout *l, const uint64_t *p2m,
    const struct xen_layout_si *in, struct xm_start_info *si)
{
	kmemset(si, 0, sizeof(*si));
	kstrlcpy(si->magic, XM_START_INFO_MAGIC, sizeof(si->magic));
	si->nr_pages = l->xl_nr_pages;
	si->shared_info = in->xls_shared_info_mfn << PAGE_SHIFT;
	if (l->xl_flags & XEN_LAYOUT_PRIVILEGED)
		si->flags = XM_SIF_PRIVILEGED | XM_SIF_INITDOMAIN;
	if (l->xl_v_xenstore != 0) {
		si->store_mfn = p2m[xen_layout_va_to_pfn(l, l->xl_v_xenstore)];
		si->store_evtchn = in->xls_store_evtchn;
	}
	if (l->xl_v_console != 0) {
		si->console.domU.mfn =
		    p2m[xen_layout_va_to_pfn(l, l->xl_v_console)];
		si->console.domU.evtchn = in->xls_console_evtchn;
	}
	si->pt_base = l->xl_v_pt;
	si->nr_pt_frames = l->xl_nr_pt_frames;
	si->mfn_list = l->xl_v_p2m;
	if (l->xl_nr_modules > 0) {
		si->mod_start = l->xl_v_mod[0];
		si->mod_len = l->xl_mod_size[0];
	}
	if (l->xl_nr_modules > 0 &&
	    (l->xl_flags & XEN_LAYOUT_UNMAPPED_MODULES)) {
		si->flags |= XM_SIF_MOD_START_PFN;
		si->mod_start = xen_layout_va_to_pfn(l, l->xl_v_mod[0]);
	}
	kstrlcpy((char *)si->cmd_line, in->xls_cmdline, sizeof(si->cmd_line));
}
