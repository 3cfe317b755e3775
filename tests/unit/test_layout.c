/*
 * Unit tests for the start-of-day layout of a PV domain
 * (klib/xen_layout.c, which hv's boot-time builder and xmd's builder
 * share); test_layout_tables.c checks the page tables and start_info
 * it writes, and xmd's host image of it.
 *
 * The expected numbers of hv_cases are what hv's own plan_layout()
 * computed before the two builders shared this code (taken from that
 * function compiled on the host).  A boot of hv agrees too: for
 * guests/hello as a 16 MiB domU and a 32 MiB domain 0, hv's start_info
 * says pt_base 0xffffffff80043000 and 0xffffffff8004a000, 5 page-table
 * frames each.  The other tests check properties over many sizes: the
 * regions in the ABI's order, packed and disjoint, page-aligned, inside
 * the domain's memory and inside the bootstrap mapping, which is the
 * least multiple of 4 MiB that covers the boot stack plus 512 KiB.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <klib/xen_layout.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include "layout_fixture.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE		XEN_LAYOUT_PAGE_SIZE
#define MB		(UINT64_C(1) << 20)
#define GB		(UINT64_C(1) << 30)
#define HIGH_KERNEL	UINT64_C(0xffffffff80000000)

#define WHY_MEMORY	"not enough memory for the kernel's start-of-day layout"
#define WHY_PAST	"the kernel's start-of-day layout runs past the end " \
			    "of its half of the address space"

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
test_same_layout_as_hv(void **state)
{
	struct xen_elf_info e;
	struct xen_layout_in in;
	struct xen_layout l;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(hv_cases); i++) {
		const struct hv_case *c = &hv_cases[i];

		elf_for(&e, c->base, c->kend);
		xen_layout_in_init(&in, &e, c->pages,
		    c->privileged ? XEN_LAYOUT_PRIVILEGED : 0);
		assert_int_equal(plan(&l, &in, &why), c->rc);
		assert_int_equal(l.xl_v_start, c->base);
		assert_int_equal(l.xl_v_p2m, c->p2m);
		assert_int_equal(l.xl_v_start_info, c->start_info);
		assert_int_equal(l.xl_v_console, c->console);
		assert_int_equal(l.xl_v_pt, c->pt);
		assert_int_equal(l.xl_v_stack, c->stack);
		assert_int_equal(l.xl_v_end, c->end);
		assert_int_equal(l.xl_nr_pt_frames, c->nr_pt);
		assert_int_equal(l.xl_entry, c->base + 0x1000);
		assert_int_equal(l.xl_v_xenstore, 0);
		if (c->rc != 0)
			assert_string_equal(why, WHY_MEMORY);
	}
}

static void
test_count_pt_frames(void **state)
{
	(void)state;
	/* one of each level */
	assert_int_equal(xen_layout_count_pt_frames(0, 0x200000), 4);
	/* two L1s */
	assert_int_equal(xen_layout_count_pt_frames(0, 0x200001), 5);
	/* across a 1 GiB boundary: two L2s and two L1s */
	assert_int_equal(xen_layout_count_pt_frames(0x3fe00000, 0x40200000),
	    6);
	assert_int_equal(xen_layout_count_pt_frames(HIGH_KERNEL,
	    0xffffffff80400000ULL), 5);
}

static void
test_unaligned_base(void **state)
{
	struct xen_layout_in in;
	struct xen_layout l;
	const char *why;

	(void)state;
	in_for(&in, 0xffffffff80000800ULL, 0xffffffff80010000ULL, 4096, 0);
	assert_int_equal(plan(&l, &in, &why), -XM_EINVAL);
	assert_string_equal(why, "the kernel's VIRT_BASE is not page-aligned");
}

/*
 * A layout that would run past 2^64 (or out of the lower canonical
 * half) is refused, not wrapped around: before, a kernel in the top
 * 2 MiB, or a Linux-style kernel at -2 GiB with 1 TiB of memory, got
 * start_info and page tables below the kernel (found by fuzz_xen_elf
 * in xmd's copy; hv's copy had the same bug until they were shared).
 */
static void
test_no_wrap(void **state)
{
	static const struct { uint64_t base, kend, pages; int rc; } c[] = {
		{ 0xffffffffffe00000ULL, 0xffffffffffe01000ULL, 4096,
		    -XM_ENOMEM },
		{ HIGH_KERNEL, 0xffffffff80039000ULL, UINT64_C(1) << 28,
		    -XM_ENOMEM },
		{ HIGH_KERNEL, 0xffffffff80039000ULL, UINT64_C(1) << 20, 0 },
		{ 0x7ffffff00000ULL, 0x7ffffffff000ULL, 4096, -XM_ENOMEM },
		{ 0x7fffffe00000ULL, 0x7fffffe01000ULL, 512, 0 },
		{ 0ULL, 0x1000ULL, UINT64_MAX / 4, -XM_ENOMEM },
	};
	struct xen_layout_in in;
	struct xen_layout l;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(c); i++) {
		in_for(&in, c[i].base, c[i].kend, c[i].pages, 0);
		assert_int_equal(plan(&l, &in, &why), c[i].rc);
		if (c[i].rc == 0) {
			assert_true(l.xl_v_start < l.xl_v_p2m &&
			    l.xl_v_p2m < l.xl_v_start_info &&
			    l.xl_v_start_info < l.xl_v_pt &&
			    l.xl_v_pt < l.xl_v_stack &&
			    l.xl_v_stack < l.xl_v_end);
			continue;
		}
		assert_string_equal(why, WHY_PAST);
	}
}

/*
 * Properties of every layout planned.
 */

struct region {
	const char	*name;
	uint64_t	 start, len;
};

/* The layout's regions in the ABI's order; how many. */
static size_t
regions(const struct xen_layout *l, uint64_t kend, struct region *r)
{
	size_t n = 0;
	uint32_t i;

	r[n++] = (struct region){ "kernel", l->xl_v_start,
	    kend - l->xl_v_start };
	for (i = 0; i < l->xl_nr_modules; i++)
		r[n++] = (struct region){ "module", l->xl_v_mod[i],
		    l->xl_mod_size[i] };
	r[n++] = (struct region){ "p2m", l->xl_v_p2m,
	    l->xl_nr_pages * sizeof(uint64_t) };
	r[n++] = (struct region){ "start_info", l->xl_v_start_info, PAGE };
	if (l->xl_v_xenstore != 0)
		r[n++] = (struct region){ "xenstore", l->xl_v_xenstore, PAGE };
	if (l->xl_v_console != 0)
		r[n++] = (struct region){ "console", l->xl_v_console, PAGE };
	r[n++] = (struct region){ "page tables", l->xl_v_pt,
	    l->xl_nr_pt_frames * PAGE };
	r[n++] = (struct region){ "stack", l->xl_v_stack, PAGE };
	return n;
}

static uint64_t
round_up(uint64_t x, uint64_t to)
{
	return (x + to - 1) / to * to;
}

static int
overlap(const struct region *a, const struct region *b)
{
	return a->len > 0 && b->len > 0 && a->start < b->start + b->len &&
	    b->start < a->start + a->len;
}

static void
check_regions(const struct xen_layout *l, const struct xen_layout_in *in)
{
	struct region r[8 + XEN_LAYOUT_MAX_MODULES];
	size_t n = regions(l, in->xli_virt_kend, r), i, j;

	for (i = 1; i < n; i++) {
		/* Page-aligned, in order, each right after the one before. */
		if (r[i].start != round_up(r[i - 1].start + r[i - 1].len,
		    PAGE))
			fail_msg("%s at %#llx, not right after %s", r[i].name,
			    (unsigned long long)r[i].start, r[i - 1].name);
		for (j = 0; j < i; j++)
			if (overlap(&r[i], &r[j]))
				fail_msg("%s overlaps %s", r[i].name,
				    r[j].name);
	}
	/* The bootstrap mapping covers them all. */
	assert_true(r[n - 1].start + r[n - 1].len <= l->xl_v_end);
}

static void
check_layout(const struct xen_layout *l, const struct xen_layout_in *in)
{
	uint64_t top = xen_layout_stack_top(l);
	uint32_t i;

	assert_int_equal(l->xl_nr_pages, in->xli_nr_pages);
	assert_int_equal(l->xl_entry, in->xli_entry);
	assert_int_equal(l->xl_v_start, in->xli_virt_base);
	assert_int_equal(l->xl_nr_modules, in->xli_nr_modules);
	for (i = 0; i < in->xli_nr_modules; i++)
		assert_int_equal(l->xl_mod_size[i], in->xli_mod_size[i]);
	assert_int_equal(l->xl_v_console == 0,
	    (in->xli_flags & XEN_LAYOUT_PRIVILEGED) != 0);
	assert_int_equal(l->xl_v_xenstore != 0,
	    (in->xli_flags & XEN_LAYOUT_XENSTORE) != 0);
	check_regions(l, in);
	/* At least 512 KiB past the stack, the least multiple of 4 MiB. */
	assert_int_equal(l->xl_v_end % XEN_LAYOUT_ALIGN, 0);
	assert_true(l->xl_v_end - top >= XEN_LAYOUT_PADDING);
	assert_true(l->xl_v_end - top < XEN_LAYOUT_PADDING + XEN_LAYOUT_ALIGN);
	/* Just enough tables to map the mapping, themselves included. */
	assert_int_equal(l->xl_nr_pt_frames,
	    xen_layout_count_pt_frames(l->xl_v_start, l->xl_v_end));
	/* All of it in the domain's memory. */
	assert_int_equal(xen_layout_pages(l),
	    (l->xl_v_end - l->xl_v_start) / PAGE);
	assert_true(xen_layout_pages(l) <= l->xl_nr_pages);
}

/*
 * The fewest pages that hold the layout: the memory it needs grows with
 * the memory (the p2m), so go up to what the last try needed.
 */
static uint64_t
fewest_pages(struct xen_layout_in in)
{
	struct xen_layout l;
	const char *why;

	for (in.xli_nr_pages = 1;; in.xli_nr_pages = xen_layout_pages(&l))
		if (plan(&l, &in, &why) == 0)
			return in.xli_nr_pages;
		else
			assert_string_equal(why, WHY_MEMORY);
}

/* The smallest domain fits exactly; one page less does not. */
static void
check_fewest(const struct xen_layout_in *in0)
{
	struct xen_layout_in in = *in0;
	struct xen_layout l;
	const char *why;

	in.xli_nr_pages = fewest_pages(in);
	assert_int_equal(plan(&l, &in, &why), 0);
	check_layout(&l, &in);
	assert_int_equal(xen_layout_pages(&l), in.xli_nr_pages);
	in.xli_nr_pages--;
	assert_int_equal(plan(&l, &in, &why), -XM_ENOMEM);
	assert_string_equal(why, WHY_MEMORY);
}

static void
test_properties_over_sizes(void **state)
{
	static const uint64_t bases[] = { HIGH_KERNEL, 0, 0x7fffe00000ULL };
	static const uint64_t ksizes[] = { 0x1000, 0x12345, 0x3ff000,
	    0x2345678, GB + 0x345 };
	static const uint64_t mods[][3] = { { 0 }, { 1, 5 * MB + 3 },
	    { 3, 0x1001, 0 } };
	static const uint32_t flags[] = { 0, XEN_LAYOUT_PRIVILEGED,
	    XEN_LAYOUT_XENSTORE, XEN_LAYOUT_PRIVILEGED | XEN_LAYOUT_XENSTORE };
	struct xen_layout_in in;
	struct xen_layout l;
	const char *why;
	uint64_t pages, fewest;
	size_t b, k, m, f;

	(void)state;
	for (b = 0; b < nitems(bases); b++)
	for (k = 0; k < nitems(ksizes); k++)
	for (m = 0; m < nitems(mods); m++)
	for (f = 0; f < nitems(flags); f++) {
		in_for(&in, bases[b], bases[b] + ksizes[k], 0, flags[f]);
		in.xli_nr_modules = (uint32_t)mods[m][0];
		in.xli_mod_size[0] = mods[m][1];
		in.xli_mod_size[1] = mods[m][2];
		in.xli_mod_size[2] = 7 * PAGE;
		check_fewest(&in);
		fewest = fewest_pages(in);
		for (pages = 1; pages < (UINT64_C(1) << 23); pages *= 3) {
			in.xli_nr_pages = pages;
			if (plan(&l, &in, &why) != 0) {
				assert_string_equal(why, WHY_MEMORY);
				assert_true(pages < fewest);
				continue;
			}
			assert_true(pages >= fewest);
			check_layout(&l, &in);
		}
	}
}

/* A kernel of a GiB and more: planned like any other, or refused. */
static void
test_huge_images(void **state)
{
	struct xen_layout_in in;
	struct xen_layout l;
	const char *why;

	(void)state;
	in_for(&in, HIGH_KERNEL, HIGH_KERNEL + GB + 0x345, 0, 0);
	in.xli_nr_pages = fewest_pages(in);
	assert_true(in.xli_nr_pages > GB / PAGE);
	assert_int_equal(plan(&l, &in, &why), 0);
	check_layout(&l, &in);
	/* 2 GiB at -2 GiB leaves no room above it. */
	in_for(&in, HIGH_KERNEL, UINT64_MAX - PAGE + 1, UINT64_C(1) << 20, 0);
	assert_int_equal(plan(&l, &in, &why), -XM_ENOMEM);
	assert_string_equal(why, WHY_PAST);
	/* 100 GiB in the lower half, from 0. */
	in_for(&in, 0, 100 * GB, UINT64_C(1) << 26, 0);
	assert_int_equal(plan(&l, &in, &why), 0);
	check_layout(&l, &in);
	in.xli_nr_pages = 100 * GB / PAGE;
	assert_int_equal(plan(&l, &in, &why), -XM_ENOMEM);
	assert_string_equal(why, WHY_MEMORY);
}

/*
 * A kernel with the MOD_START_PFN note (Linux) gets its modules after
 * the mapping, unmapped, as Xen's builder places them: the mapped
 * regions stay in the ABI's order without them, the modules follow
 * v_end page after page, start_info gives the first one's pfn, and the
 * memory must hold them too.
 */
static void
test_unmapped_modules(void **state)
{
	struct xm_start_info si;
	struct xen_layout_in in, mapped;
	struct xen_layout_si extra = { 0, 0, 0, "" };
	struct xen_layout l, lm;
	struct xen_elf_info e;
	uint64_t p2m[4096] = { 0 }, need;
	const char *why;

	(void)state;
	elf_for(&e, HIGH_KERNEL, HIGH_KERNEL + 0x200000);
	e.xi_mod_start_pfn = 1;
	xen_layout_in_init(&in, &e, 4096, 0);
	assert_true(in.xli_flags & XEN_LAYOUT_UNMAPPED_MODULES);
	in.xli_nr_modules = 2;
	in.xli_mod_size[0] = 3 * PAGE + 5;
	in.xli_mod_size[1] = PAGE;
	assert_int_equal(plan(&l, &in, &why), 0);
	mapped = in;
	mapped.xli_nr_modules = 0;
	assert_int_equal(plan(&lm, &mapped, &why), 0);
	assert_int_equal(l.xl_v_end, lm.xl_v_end);	/* mapping unchanged */
	assert_int_equal(l.xl_v_p2m, lm.xl_v_p2m);
	assert_int_equal(l.xl_v_mod[0], l.xl_v_end);
	assert_int_equal(l.xl_v_mod[1], l.xl_v_end + 4 * PAGE);
	assert_int_equal(xen_layout_used_pages(&l), xen_layout_pages(&l) + 5);
	xen_layout_start_info(&l, p2m, &extra, &si);
	assert_true(si.flags & XM_SIF_MOD_START_PFN);
	assert_int_equal(si.mod_start, xen_layout_pages(&l));
	assert_int_equal(si.mod_len, 3 * PAGE + 5);
	/* Exactly enough memory for the mapping and the modules. */
	need = xen_layout_used_pages(&l);
	in.xli_nr_pages = need;
	assert_int_equal(plan(&l, &in, &why), 0);
	in.xli_nr_pages = need - 1;
	assert_int_equal(plan(&l, &in, &why), -XM_ENOMEM);
	assert_string_equal(why, WHY_MEMORY);
	/* Without the note, the module is mapped, by its address. */
	e.xi_mod_start_pfn = 0;
	xen_layout_in_init(&in, &e, 4096, 0);
	in.xli_nr_modules = 1;
	in.xli_mod_size[0] = PAGE;
	assert_int_equal(plan(&l, &in, &why), 0);
	xen_layout_start_info(&l, p2m, &extra, &si);
	assert_false(si.flags & XM_SIF_MOD_START_PFN);
	assert_int_equal(si.mod_start, l.xl_v_mod[0]);
	assert_true(l.xl_v_mod[0] < l.xl_v_end);
}

static void
test_modules_that_do_not_fit(void **state)
{
	struct xen_layout_in in;
	struct xen_layout l;
	const char *why;

	(void)state;
	/* 64 MiB of initrd in a 16 MiB domain */
	in_for(&in, HIGH_KERNEL, HIGH_KERNEL + 0x12345, 4096, 0);
	in.xli_nr_modules = 1;
	in.xli_mod_size[0] = 64 * MB;
	assert_int_equal(plan(&l, &in, &why), -XM_ENOMEM);
	assert_string_equal(why, WHY_MEMORY);
	/* more than the address space holds, and sizes that would wrap */
	in.xli_mod_size[0] = UINT64_C(1) << 63;
	assert_int_equal(plan(&l, &in, &why), -XM_ENOMEM);
	assert_string_equal(why, WHY_PAST);
	in.xli_nr_modules = 2;
	in.xli_mod_size[0] = MB;
	in.xli_mod_size[1] = UINT64_MAX;
	assert_int_equal(plan(&l, &in, &why), -XM_ENOMEM);
	assert_string_equal(why, WHY_PAST);
	in.xli_nr_modules = XEN_LAYOUT_MAX_MODULES + 1;
	assert_int_equal(plan(&l, &in, &why), -XM_EINVAL);
	assert_string_equal(why, "too many boot modules");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_layout_as_hv),
		cmocka_unit_test(test_count_pt_frames),
		cmocka_unit_test(test_unaligned_base),
		cmocka_unit_test(test_no_wrap),
		cmocka_unit_test(test_properties_over_sizes),
		cmocka_unit_test(test_huge_images),
		cmocka_unit_test(test_modules_that_do_not_fit),
		cmocka_unit_test(test_unmapped_modules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
