/*
 * Unit tests for the start-of-day layout that xmd's builder computes
 * (xmd/layout.c) and the page tables, p2m and start_info it writes.
 *
 * The layouts must be hv's: the expected numbers below are what
 * plan_layout() in hv/domain_build.c computes for the same kernel and
 * memory (taken from that function compiled on the host).  A boot of hv
 * agrees too: for guests/hello as a 16 MiB domU and a 32 MiB domain 0,
 * hv's start_info says pt_base 0xffffffff80043000 and 0xffffffff8004a000,
 * 5 page-table frames each, as layout_plan() does for that image.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include "layout.h"

#define PAGE		LAYOUT_PAGE_SIZE
#define PTE_P		UINT64_C(1)
#define PTE_RW		UINT64_C(2)
#define PTE_US		UINT64_C(4)
#define PTE_A		UINT64_C(0x20)
#define PTE_D		UINT64_C(0x40)
#define PTE_MFN(e)	(((e) & UINT64_C(0x000ffffffffff000)) >> 12)

struct hv_case {
	uint64_t	base, kend, pages;
	int		privileged, rc;
	uint64_t	p2m, start_info, console, pt, stack, end, nr_pt;
};

static const struct hv_case hv_cases[] = {
	/* hello-sized kernels, a domU and a domain 0 */
	{ 0xffffffff80000000ULL, 0xffffffff80012345ULL, 4096, 0, 0,
	  0xffffffff80013000ULL, 0xffffffff8001b000ULL, 0xffffffff8001c000ULL,
	  0xffffffff8001d000ULL, 0xffffffff80022000ULL, 0xffffffff80400000ULL,
	  5 },
	{ 0xffffffff80000000ULL, 0xffffffff80012345ULL, 8192, 1, 0,
	  0xffffffff80013000ULL, 0xffffffff80023000ULL, 0ULL,
	  0xffffffff80024000ULL, 0xffffffff80029000ULL, 0xffffffff80400000ULL,
	  5 },
	/* a Linux-sized kernel in 256 MiB */
	{ 0xffffffff80000000ULL, 0xffffffff82345000ULL, 65536, 0, 0,
	  0xffffffff82345000ULL, 0xffffffff823c5000ULL, 0xffffffff823c6000ULL,
	  0xffffffff823c7000ULL, 0xffffffff823de000ULL, 0xffffffff82800000ULL,
	  23 },
	/* a layout that needs a second 2 MiB table, exactly in 8 MiB */
	{ 0xffffffff80000000ULL, 0xffffffff803ff000ULL, 2048, 0, 0,
	  0xffffffff803ff000ULL, 0xffffffff80403000ULL, 0xffffffff80404000ULL,
	  0xffffffff80405000ULL, 0xffffffff8040c000ULL, 0xffffffff80800000ULL,
	  7 },
	/* linked at 0 (Mini-OS), 1 GiB */
	{ 0ULL, 0x200000ULL, 262144, 0, 0,
	  0x200000ULL, 0x400000ULL, 0x401000ULL, 0x402000ULL, 0x409000ULL,
	  0x800000ULL, 7 },
	/* exactly 4 MiB: fits */
	{ 0xffffffff80000000ULL, 0xffffffff80012345ULL, 1024, 0, 0,
	  0xffffffff80013000ULL, 0xffffffff80015000ULL, 0xffffffff80016000ULL,
	  0xffffffff80017000ULL, 0xffffffff8001c000ULL, 0xffffffff80400000ULL,
	  5 },
	/* across an L4 and L3 boundary */
	{ 0x7fffe00000ULL, 0x8000100000ULL, 4096, 0, 0,
	  0x8000100000ULL, 0x8000108000ULL, 0x8000109000ULL, 0x800010a000ULL,
	  0x8000112000ULL, 0x8000400000ULL, 8 },
	/* a page short: refused */
	{ 0xffffffff80000000ULL, 0xffffffff80012345ULL, 1023, 0, -XM_ENOMEM,
	  0xffffffff80013000ULL, 0xffffffff80015000ULL, 0xffffffff80016000ULL,
	  0xffffffff80017000ULL, 0xffffffff8001c000ULL, 0xffffffff80400000ULL,
	  5 },
	{ 0xffffffff80000000ULL, 0xffffffff803ff000ULL, 2047, 1, -XM_ENOMEM,
	  0xffffffff803ff000ULL, 0xffffffff80403000ULL, 0ULL,
	  0xffffffff80404000ULL, 0xffffffff8040b000ULL, 0xffffffff80800000ULL,
	  7 },
};

static void
elf_for(struct xen_elf_info *e, uint64_t base, uint64_t kend)
{
	memset(e, 0, sizeof(*e));
	e->xi_virt_base = base;
	e->xi_virt_kstart = base;
	e->xi_virt_kend = kend;
	e->xi_entry = base + 0x1000;
	e->xi_hypercall_page = XEN_ELF_UNSET;
}

static void
test_same_layout_as_hv(void **state)
{
	struct xen_elf_info e;
	struct layout l;
	const char *why = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hv_cases) / sizeof(hv_cases[0]); i++) {
		const struct hv_case *c = &hv_cases[i];

		elf_for(&e, c->base, c->kend);
		assert_int_equal(layout_plan(&l, &e, c->pages, c->privileged,
		    &why), c->rc);
		assert_int_equal(l.v_start, c->base);
		assert_int_equal(l.v_p2m, c->p2m);
		assert_int_equal(l.v_start_info, c->start_info);
		assert_int_equal(l.v_console, c->console);
		assert_int_equal(l.v_pt, c->pt);
		assert_int_equal(l.v_stack, c->stack);
		assert_int_equal(l.v_end, c->end);
		assert_int_equal(l.nr_pt_frames, c->nr_pt);
		if (c->rc != 0)
			assert_string_equal(why,
			    "not enough memory for the kernel's start-of-day layout");
	}
}

static void
test_count_pt_frames(void **state)
{
	(void)state;
	/* one of each level */
	assert_int_equal(layout_count_pt_frames(0, 0x200000), 4);
	/* two L1s */
	assert_int_equal(layout_count_pt_frames(0, 0x200001), 5);
	/* across a 1 GiB boundary: two L2s and two L1s */
	assert_int_equal(layout_count_pt_frames(0x3fe00000, 0x40200000), 6);
	assert_int_equal(layout_count_pt_frames(0xffffffff80000000ULL,
	    0xffffffff80400000ULL), 5);
}

static void
test_unaligned_base(void **state)
{
	struct xen_elf_info e;
	struct layout l;
	const char *why;

	(void)state;
	elf_for(&e, 0xffffffff80000800ULL, 0xffffffff80010000ULL);
	assert_int_equal(layout_plan(&l, &e, 4096, 0, &why), -XM_EINVAL);
	assert_string_equal(why, "the kernel's VIRT_BASE is not page-aligned");
}

/*
 * A layout that would run past 2^64 (or out of the lower canonical
 * half) is refused, not wrapped around: before, a kernel in the top
 * 2 MiB, or a Linux-style kernel at -2 GiB with 1 TiB of memory, got
 * start_info and page tables below the kernel (found by fuzz_xen_elf).
 */
static void
test_no_wrap(void **state)
{
	static const struct { uint64_t base, kend, pages; int rc; } c[] = {
		{ 0xffffffffffe00000ULL, 0xffffffffffe01000ULL, 4096,
		    -XM_ENOMEM },
		{ 0xffffffff80000000ULL, 0xffffffff80039000ULL,
		    UINT64_C(1) << 28, -XM_ENOMEM },
		{ 0xffffffff80000000ULL, 0xffffffff80039000ULL,
		    UINT64_C(1) << 20, 0 },
		{ 0x7ffffff00000ULL, 0x7ffffffff000ULL, 4096, -XM_ENOMEM },
		{ 0x7fffffe00000ULL, 0x7fffffe01000ULL, 512, 0 },
		{ 0ULL, 0x1000ULL, UINT64_MAX / 4, -XM_ENOMEM },
	};
	struct xen_elf_info e;
	struct layout l;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		elf_for(&e, c[i].base, c[i].kend);
		why = NULL;
		assert_int_equal(layout_plan(&l, &e, c[i].pages, 0, &why),
		    c[i].rc);
		if (c[i].rc == 0) {
			assert_true(l.v_start < l.v_p2m &&
			    l.v_p2m < l.v_start_info &&
			    l.v_start_info < l.v_pt && l.v_pt < l.v_stack &&
			    l.v_stack < l.v_end);
			continue;
		}
		assert_string_equal(why, "the kernel's start-of-day layout "
		    "runs past the end of its half of the address space");
	}
}

/*
 * A built image, walked as the MMU would: from the L4 (ctrlreg[3])
 * through frames found by their mfn in the p2m.
 */
struct built {
	struct xen_elf_info	 elf;
	struct layout		 l;
	uint64_t		*p2m;
	struct layout_image	 img;
};

static void
build(struct built *b, uint64_t base, uint64_t kend, uint64_t pages)
{
	struct layout_si si = { 0x4242, 1, "console=hvc0 quiet" };
	const char *why;
	uint64_t i;

	elf_for(&b->elf, base, kend);
	assert_int_equal(layout_plan(&b->l, &b->elf, pages, 0, &why), 0);
	b->p2m = calloc(pages, sizeof(uint64_t));
	assert_non_null(b->p2m);
	/* Frames out of order, as hv hands them out. */
	for (i = 0; i < pages; i++)
		b->p2m[i] = 0x100000 + (pages - 1 - i) * 3;
	assert_int_equal(layout_image_init(&b->img, &b->l, b->p2m), 0);
	layout_write_p2m(&b->img);
	layout_write_page_tables(&b->img);
	layout_write_start_info(&b->img, &si);
}

static void
unbuild(struct built *b)
{
	layout_image_free(&b->img);
	free(b->p2m);
}

static const uint8_t *
frame(const struct built *b, uint64_t mfn)
{
	uint64_t pfn;

	for (pfn = 0; pfn < b->img.li_size / PAGE; pfn++)
		if (b->p2m[pfn] == mfn)
			return b->img.li_mem + pfn * PAGE;
	fail_msg("mfn %#llx is not in the mapped region",
	    (unsigned long long)mfn);
	return NULL;
}

static uint64_t
walk(const struct built *b, uint64_t l4_mfn, uint64_t va)
{
	uint64_t mfn = l4_mfn, e = 0;
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		memcpy(&e, frame(b, mfn) + ((va >> shift) & 511) * 8, 8);
		assert_true(e & PTE_P);
		assert_true(e & PTE_US);
		if (shift > 12)
			assert_true(e & PTE_RW);
		mfn = PTE_MFN(e);
	}
	return e;
}

static void
test_page_tables_map_the_region(void **state)
{
	struct built b;
	struct xm_vcpu_guest_context ctx;
	uint64_t va, e, pfn, l4, pt_end;

	(void)state;
	build(&b, 0xffffffff80000000ULL, 0xffffffff803ff000ULL, 4096);
	layout_vcpu_context(&b.l, &b.elf, b.p2m, &ctx);
	l4 = XM_CR3_TO_PFN(ctx.ctrlreg[3]);
	assert_int_equal(l4, b.p2m[layout_va_to_pfn(&b.l, b.l.v_pt)]);
	pt_end = b.l.v_pt + b.l.nr_pt_frames * PAGE;
	for (va = b.l.v_start; va < b.l.v_end; va += PAGE) {
		e = walk(&b, l4, va);
		pfn = layout_va_to_pfn(&b.l, va);
		assert_int_equal(PTE_MFN(e), b.p2m[pfn]);
		assert_true(e & PTE_A);
		/* Page tables read-only, everything else writable. */
		if (va >= b.l.v_pt && va < pt_end)
			assert_int_equal(e & (PTE_RW | PTE_D), 0);
		else
			assert_int_equal(e & (PTE_RW | PTE_D), PTE_RW | PTE_D);
	}
	unbuild(&b);
}

static void
test_start_info_and_p2m(void **state)
{
	struct xm_start_info si;
	struct built b;
	uint64_t got[4];

	(void)state;
	build(&b, 0xffffffff80000000ULL, 0xffffffff80012345ULL, 4096);
	memcpy(&si, b.img.li_mem + (b.l.v_start_info - b.l.v_start),
	    sizeof(si));
	assert_string_equal(si.magic, "xen-3.0-x86_64");
	assert_int_equal(si.nr_pages, 4096);
	assert_int_equal(si.shared_info, 0x4242ULL << 12);
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.console.domU.mfn,
	    b.p2m[layout_va_to_pfn(&b.l, b.l.v_console)]);
	assert_int_equal(si.console.domU.evtchn, 1);
	assert_int_equal(si.pt_base, b.l.v_pt);
	assert_int_equal(si.nr_pt_frames, 5);
	assert_int_equal(si.mfn_list, b.l.v_p2m);
	assert_string_equal((const char *)si.cmd_line, "console=hvc0 quiet");
	assert_int_equal(si.store_mfn, 0);
	memcpy(got, b.img.li_mem + (b.l.v_p2m - b.l.v_start), sizeof(got));
	assert_memory_equal(got, b.p2m, sizeof(got));
	memcpy(got, b.img.li_mem + (b.l.v_p2m - b.l.v_start) + 4092 * 8,
	    sizeof(got));
	assert_memory_equal(got, b.p2m + 4092, sizeof(got));
	/* The kernel area was not loaded here: zero pages are skipped. */
	assert_true(layout_page_is_zero(&b.img, 0));
	assert_false(layout_page_is_zero(&b.img,
	    layout_va_to_pfn(&b.l, b.l.v_start_info)));
	unbuild(&b);
}

static void
test_vcpu_context(void **state)
{
	struct xm_vcpu_guest_context c;
	struct built b;

	(void)state;
	build(&b, 0xffffffff80000000ULL, 0xffffffff80012345ULL, 4096);
	layout_vcpu_context(&b.l, &b.elf, b.p2m, &c);
	assert_int_equal(c.user_regs.rip, 0xffffffff80001000ULL);
	assert_int_equal(c.user_regs.rsp, b.l.v_stack + PAGE);
	assert_int_equal(c.user_regs.rsi, b.l.v_start_info);
	assert_int_equal(c.user_regs.cs, XM_FLAT_KERNEL_CS);
	assert_int_equal(c.user_regs.ss, XM_FLAT_KERNEL_SS);
	assert_int_equal(c.kernel_ss, XM_FLAT_KERNEL_SS);
	assert_int_equal(c.kernel_sp, c.user_regs.rsp);
	assert_int_equal(c.flags, XM_VGCF_IN_KERNEL | XM_VGCF_ONLINE);
	assert_int_equal(c.ctrlreg[3],
	    b.p2m[layout_va_to_pfn(&b.l, b.l.v_pt)] << 12);
	assert_int_equal(c.user_regs.rflags, 0x200);
	unbuild(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_layout_as_hv),
		cmocka_unit_test(test_count_pt_frames),
		cmocka_unit_test(test_unaligned_base),
		cmocka_unit_test(test_no_wrap),
		cmocka_unit_test(test_page_tables_map_the_region),
		cmocka_unit_test(test_start_info_and_p2m),
		cmocka_unit_test(test_vcpu_context),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
