/*
 * Unit tests for what the start-of-day layout's builders write
 * (klib/xen_layout.c, shared by hv and xmd): the initial page tables,
 * walked as the MMU would from the L4 through frames found by mfn,
 * start_info, and xmd's host image of the mapping with vCPU 0's context
 * (xmd/layout.c).  test_layout.c checks where the regions go.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <klib/xen_layout.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include "layout_fixture.h"

#include "layout.h"

#define PAGE		XEN_LAYOUT_PAGE_SIZE
#define MB		(UINT64_C(1) << 20)
#define GB		(UINT64_C(1) << 30)
#define PTE_P		UINT64_C(1)
#define PTE_RW		UINT64_C(2)
#define PTE_US		UINT64_C(4)
#define PTE_A		UINT64_C(0x20)
#define PTE_D		UINT64_C(0x40)
#define PTE_MFN(e)	(((e) & UINT64_C(0x000ffffffffff000)) >> 12)
#define HIGH_KERNEL	UINT64_C(0xffffffff80000000)
/* The smallest domain for a hello-sized kernel: 4 MiB, all mapped. */
#define HELLO_FEWEST	1024

/*
 * The initial page tables, written into a host copy of the mapping and
 * walked as the MMU would, from the L4 through frames found by mfn.
 */
struct host {
	struct xen_layout	 l;
	uint64_t		*p2m;
	uint8_t			*mem;	/* the mapping, by pfn */
	uint64_t		 pages;
};

static uint64_t *
host_map(void *ctx, uint64_t pfn)
{
	struct host *h = ctx;

	assert_true(pfn < h->pages);
	return (uint64_t *)(h->mem + pfn * PAGE);
}

/* Frames out of order, as hv hands them out. */
static uint64_t
mfn_of(uint64_t pages, uint64_t pfn)
{
	return 0x100000 + (pages - 1 - pfn) * 3;
}

static void
host_init(struct host *h, const struct xen_layout *l)
{
	uint64_t i;

	h->l = *l;
	h->pages = xen_layout_pages(l);
	h->p2m = calloc(l->xl_nr_pages, sizeof(uint64_t));
	h->mem = calloc(h->pages, PAGE);
	assert_non_null(h->p2m);
	assert_non_null(h->mem);
	for (i = 0; i < l->xl_nr_pages; i++)
		h->p2m[i] = mfn_of(l->xl_nr_pages, i);
}

static void
host_free(struct host *h)
{
	free(h->p2m);
	free(h->mem);
}

static uint64_t
pfn_of(const struct host *h, uint64_t mfn)
{
	uint64_t pfn = h->l.xl_nr_pages - 1 - (mfn - 0x100000) / 3;

	assert_true(pfn < h->pages);
	assert_int_equal(h->p2m[pfn], mfn);
	return pfn;
}

/* The L1 entry for va; each table's pfn is marked in used. */
static uint64_t
host_walk(const struct host *h, uint64_t va, uint8_t *used)
{
	uint64_t pfn = xen_layout_va_to_pfn(&h->l, h->l.xl_v_pt), e = 0;
	uint64_t pt0 = pfn;
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		/* Every table is one of the page-table frames. */
		assert_true(pfn >= pt0 && pfn < pt0 + h->l.xl_nr_pt_frames);
		used[pfn - pt0] = 1;
		memcpy(&e, h->mem + pfn * PAGE + ((va >> shift) & 511) * 8,
		    8);
		assert_true(e & PTE_P);
		assert_true(e & PTE_US);
		if (shift > 12) {
			assert_true(e & PTE_RW);
			pfn = pfn_of(h, PTE_MFN(e));
		}
	}
	return e;
}

/* Each page of the mapping to its frame, only the tables read-only. */
static void
check_tables(const struct host *h)
{
	const struct xen_layout *l = &h->l;
	uint64_t pt_end = l->xl_v_pt + l->xl_nr_pt_frames * PAGE, va, e, n;
	uint8_t *used = calloc(l->xl_nr_pt_frames, 1);

	assert_non_null(used);
	for (va = l->xl_v_start; va < l->xl_v_end; va += PAGE) {
		e = host_walk(h, va, used);
		assert_int_equal(PTE_MFN(e),
		    h->p2m[xen_layout_va_to_pfn(l, va)]);
		assert_true(e & PTE_A);
		if (va >= l->xl_v_pt && va < pt_end)
			assert_int_equal(e & (PTE_RW | PTE_D), 0);
		else
			assert_int_equal(e & (PTE_RW | PTE_D), PTE_RW | PTE_D);
	}
	/* Every table frame planned is used. */
	for (n = 0; n < l->xl_nr_pt_frames; n++)
		assert_true(used[n]);
	free(used);
}

static void
plan_and_write(struct host *h, const struct xen_layout_in *in)
{
	struct xen_layout l;
	const char *why;

	assert_int_equal(plan(&l, in, &why), 0);
	host_init(h, &l);
	assert_int_equal(xen_layout_write_page_tables(&h->l, h->p2m, host_map,
	    h), 0);
	check_tables(h);
}

/* The memory at which the page-table count first changes from pages'. */
static uint64_t
next_pt_change(struct xen_layout_in in, uint64_t pages)
{
	struct xen_layout l;
	const char *why;
	uint64_t lo = pages, hi = UINT64_C(1) << 24, nr;

	in.xli_nr_pages = lo;
	assert_int_equal(plan(&l, &in, &why), 0);
	nr = l.xl_nr_pt_frames;
	while (hi - lo > 1) {
		in.xli_nr_pages = lo + (hi - lo) / 2;
		assert_int_equal(plan(&l, &in, &why), 0);
		if (l.xl_nr_pt_frames > nr)
			hi = in.xli_nr_pages;
		else
			lo = in.xli_nr_pages;
	}
	return hi;
}

/*
 * On both sides of a memory size where the p2m pushes the mapping over
 * a 4 MiB boundary, and so needs more page tables, the tables map
 * everything; so they do in the smallest domain, with modules and a
 * xenstore page, and across 1 GiB and 512 GiB boundaries.
 */
static void
test_page_tables_at_the_edges(void **state)
{
	struct xen_layout_in in;
	struct host h;
	uint64_t change, nr;

	(void)state;
	in_for(&in, HIGH_KERNEL, HIGH_KERNEL + 0x12345, HELLO_FEWEST, 0);
	plan_and_write(&h, &in);
	assert_int_equal(h.pages, HELLO_FEWEST);
	host_free(&h);
	change = next_pt_change(in, in.xli_nr_pages);
	in.xli_nr_pages = change - 1;
	plan_and_write(&h, &in);
	nr = h.l.xl_nr_pt_frames;
	host_free(&h);
	in.xli_nr_pages = change;
	plan_and_write(&h, &in);
	assert_true(h.l.xl_nr_pt_frames > nr);
	assert_true(h.l.xl_v_end > HIGH_KERNEL + 4 * MB);
	host_free(&h);

	in_for(&in, HIGH_KERNEL, HIGH_KERNEL + 0x3ff000, 0,
	    XEN_LAYOUT_XENSTORE);
	in.xli_nr_modules = 2;
	in.xli_mod_size[0] = 3 * MB + 1;
	in.xli_mod_size[1] = 0x2000;
	in.xli_nr_pages = 4096;
	plan_and_write(&h, &in);
	host_free(&h);

	in_for(&in, GB - 2 * MB, GB + MB, 4096, XEN_LAYOUT_PRIVILEGED);
	plan_and_write(&h, &in);
	assert_int_equal(h.l.xl_nr_pt_frames, 7);
	host_free(&h);
	in_for(&in, 0x7fffe00000ULL, 0x8000100000ULL, 4096, 0);
	plan_and_write(&h, &in);
	host_free(&h);
}

/* Too few planned tables: an error, not a write past them. */
static void
test_page_tables_short(void **state)
{
	struct xen_layout_in in;
	struct host h;

	(void)state;
	in_for(&in, HIGH_KERNEL, HIGH_KERNEL + 0x12345, 4096, 0);
	plan_and_write(&h, &in);
	memset(h.mem, 0, h.pages * PAGE);
	h.l.xl_nr_pt_frames--;
	assert_int_equal(xen_layout_write_page_tables(&h.l, h.p2m, host_map,
	    &h), -XM_EINVAL);
	host_free(&h);
}


static void
test_start_info_fields(void **state)
{
	struct xen_layout_si si_in = { 0x4242, 1, 2, "root=/dev/ram0" };
	struct xm_start_info si;
	struct xen_layout_in in;
	struct host h;

	(void)state;
	in_for(&in, HIGH_KERNEL, HIGH_KERNEL + 0x12345, 8192,
	    XEN_LAYOUT_XENSTORE);
	in.xli_nr_modules = 1;
	in.xli_mod_size[0] = 0x123456;
	plan_and_write(&h, &in);
	xen_layout_start_info(&h.l, h.p2m, &si_in, &si);
	assert_string_equal(si.magic, "xen-3.0-x86_64");
	assert_int_equal(si.nr_pages, 8192);
	assert_int_equal(si.shared_info, 0x4242ULL << 12);
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.mod_start, h.l.xl_v_mod[0]);
	assert_int_equal(si.mod_start, HIGH_KERNEL + 0x13000);
	assert_int_equal(si.mod_len, 0x123456);
	assert_int_equal(si.store_mfn,
	    h.p2m[xen_layout_va_to_pfn(&h.l, h.l.xl_v_xenstore)]);
	assert_int_equal(si.store_evtchn, 2);
	assert_int_equal(si.console.domU.mfn,
	    h.p2m[xen_layout_va_to_pfn(&h.l, h.l.xl_v_console)]);
	assert_int_equal(si.console.domU.evtchn, 1);
	assert_int_equal(si.pt_base, h.l.xl_v_pt);
	assert_int_equal(si.mfn_list, h.l.xl_v_p2m);
	assert_string_equal((const char *)si.cmd_line, "root=/dev/ram0");
	host_free(&h);

	in_for(&in, HIGH_KERNEL, HIGH_KERNEL + 0x12345, 8192,
	    XEN_LAYOUT_PRIVILEGED);
	plan_and_write(&h, &in);
	memset(&si, 0xff, sizeof(si));
	xen_layout_start_info(&h.l, h.p2m, &si_in, &si);
	assert_int_equal(si.flags, XM_SIF_PRIVILEGED | XM_SIF_INITDOMAIN);
	assert_int_equal(si.console.domU.mfn, 0);
	assert_int_equal(si.store_mfn, 0);
	assert_int_equal(si.mod_start, 0);
	assert_int_equal(si.mod_len, 0);
	assert_int_equal(si.first_p2m_pfn, 0);
	host_free(&h);
}

/*
 * xmd's host image: the same tables, the p2m and start_info in place,
 * and vCPU 0's context.
 */
struct built {
	struct xen_elf_info	 elf;
	struct xen_layout	 l;
	uint64_t		*p2m;
	struct layout_image	 img;
};

static void
build(struct built *b, uint64_t base, uint64_t kend, uint64_t pages)
{
	struct xen_layout_si si = { 0x4242, 1, 0, "console=hvc0 quiet" };
	struct xen_layout_in in;
	const char *why;
	uint64_t i;

	elf_for(&b->elf, base, kend);
	xen_layout_in_init(&in, &b->elf, pages, 0);
	assert_int_equal(plan(&b->l, &in, &why), 0);
	b->p2m = calloc(pages, sizeof(uint64_t));
	assert_non_null(b->p2m);
	for (i = 0; i < pages; i++)
		b->p2m[i] = mfn_of(pages, i);
	assert_int_equal(layout_image_init(&b->img, &b->l, b->p2m), 0);
	layout_write_p2m(&b->img);
	assert_int_equal(layout_write_page_tables(&b->img), 0);
	layout_write_start_info(&b->img, &si);
}

static void
unbuild(struct built *b)
{
	layout_image_free(&b->img);
	free(b->p2m);
}

static void
test_image_tables_map_the_region(void **state)
{
	struct xm_vcpu_guest_context ctx;
	struct built b;
	struct host h;

	(void)state;
	build(&b, HIGH_KERNEL, 0xffffffff803ff000ULL, 4096);
	layout_vcpu_context(&b.l, b.p2m, &ctx);
	assert_int_equal(XM_CR3_TO_PFN(ctx.ctrlreg[3]),
	    b.p2m[xen_layout_va_to_pfn(&b.l, b.l.xl_v_pt)]);
	h.l = b.l;
	h.p2m = b.p2m;
	h.mem = b.img.li_mem;
	h.pages = b.img.li_size / PAGE;
	check_tables(&h);
	unbuild(&b);
}

static void
test_start_info_and_p2m(void **state)
{
	struct xm_start_info si;
	struct built b;
	uint64_t got[4];

	(void)state;
	build(&b, HIGH_KERNEL, 0xffffffff80012345ULL, 4096);
	memcpy(&si, b.img.li_mem + (b.l.xl_v_start_info - b.l.xl_v_start),
	    sizeof(si));
	assert_string_equal(si.magic, "xen-3.0-x86_64");
	assert_int_equal(si.nr_pages, 4096);
	assert_int_equal(si.shared_info, 0x4242ULL << 12);
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.console.domU.mfn,
	    b.p2m[xen_layout_va_to_pfn(&b.l, b.l.xl_v_console)]);
	assert_int_equal(si.console.domU.evtchn, 1);
	assert_int_equal(si.pt_base, b.l.xl_v_pt);
	assert_int_equal(si.nr_pt_frames, 5);
	assert_int_equal(si.mfn_list, b.l.xl_v_p2m);
	assert_string_equal((const char *)si.cmd_line, "console=hvc0 quiet");
	assert_int_equal(si.store_mfn, 0);
	memcpy(got, b.img.li_mem + (b.l.xl_v_p2m - b.l.xl_v_start),
	    sizeof(got));
	assert_memory_equal(got, b.p2m, sizeof(got));
	memcpy(got, b.img.li_mem + (b.l.xl_v_p2m - b.l.xl_v_start) + 4092 * 8,
	    sizeof(got));
	assert_memory_equal(got, b.p2m + 4092, sizeof(got));
	/* The kernel area was not loaded here: zero pages are skipped. */
	assert_true(layout_page_is_zero(&b.img, 0));
	assert_false(layout_page_is_zero(&b.img,
	    xen_layout_va_to_pfn(&b.l, b.l.xl_v_start_info)));
	unbuild(&b);
}

static void
test_vcpu_context(void **state)
{
	struct xm_vcpu_guest_context c;
	struct built b;

	(void)state;
	build(&b, HIGH_KERNEL, 0xffffffff80012345ULL, 4096);
	layout_vcpu_context(&b.l, b.p2m, &c);
	assert_int_equal(c.user_regs.rip, 0xffffffff80001000ULL);
	assert_int_equal(c.user_regs.rsp, b.l.xl_v_stack + PAGE);
	assert_int_equal(c.user_regs.rsi, b.l.xl_v_start_info);
	assert_int_equal(c.user_regs.cs, XM_FLAT_KERNEL_CS);
	assert_int_equal(c.user_regs.ss, XM_FLAT_KERNEL_SS);
	assert_int_equal(c.kernel_ss, XM_FLAT_KERNEL_SS);
	assert_int_equal(c.kernel_sp, c.user_regs.rsp);
	assert_int_equal(c.flags, XM_VGCF_IN_KERNEL | XM_VGCF_ONLINE);
	assert_int_equal(c.ctrlreg[3],
	    b.p2m[xen_layout_va_to_pfn(&b.l, b.l.xl_v_pt)] << 12);
	assert_int_equal(c.user_regs.rflags, 0x200);
	unbuild(&b);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_tables_at_the_edges),
		cmocka_unit_test(test_page_tables_short),
		cmocka_unit_test(test_start_info_fields),
		cmocka_unit_test(test_image_tables_map_the_region),
		cmocka_unit_test(test_start_info_and_p2m),
		cmocka_unit_test(test_vcpu_context),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
