/*
 * libFuzzer target: Xen PV kernel images (klib/xen_elf.c), then what
 * xmd's builder does with an accepted one: plan the start-of-day
 * layout (klib/xen_layout.c, which hv's builder shares), load the
 * segments into the host image of the initial mapping (xmd/layout.c),
 * write the p2m, the page tables and start_info.
 *
 * The input is the image.  Checked on every accepted image, apart from
 * the parser: the promises of xen_elf.h (segments inside the file and
 * inside [kstart, kend), disjoint, the entry and the hypercall page in
 * the image, canonical and clear of hv's range, strings terminated);
 * xen_elf_load() copying exactly the segments, from the image, and
 * passing a callback's error on; xen_layout_plan() giving regions in order
 * that do not wrap and fit the memory; the load into that layout
 * succeeding; and the page tables mapping each page of the initial
 * mapping to its frame, writable except the tables themselves.
 * The initial mapping is built for one image in BUILD_EVERY (chosen
 * by a hash of the input, so always the same ones), and only when it
 * takes at most IMAGE_MAX_PAGES: a fresh image of 4 MiB or more costs
 * page faults that would otherwise be most of the time.
 */
#include <stdlib.h>
#include <string.h>

#include <klib/xen_elf.h>
#include <klib/xen_layout.h>
#include <xm/arch_x86_64.h>
#include <xm/elfnote.h>
#include <xm/hypercall.h>

#include "fuzz.h"
#include "layout.h"

#define PAGE		LAYOUT_PAGE_SIZE
#define LOW_END		UINT64_C(0x0000800000000000)
#define HIGH_START	UINT64_C(0xffff800000000000)
/* A definition's largest memory (XM_DEF_MEMORY_MAX_KIB), in pages. */
#define PAGES_MAX	(UINT64_C(1) << 28)
#define IMAGE_MAX_PAGES	2048
#define BUILD_EVERY	8
#define MFN_BASE	UINT64_C(0x100000)
#define MAX_CALLS	(2 * XEN_ELF_MAX_SEGMENTS)

static int
in_kernel(const struct xen_elf_info *in, uint64_t va, uint64_t len)
{
	return va >= in->xi_virt_kstart && va <= in->xi_virt_kend &&
	    len <= in->xi_virt_kend - va;
}

static int
disjoint(const struct xen_elf_segment *a, const struct xen_elf_segment *b)
{
	return a->xs_memsz == 0 || b->xs_memsz == 0 ||
	    a->xs_vaddr + a->xs_memsz <= b->xs_vaddr ||
	    b->xs_vaddr + b->xs_memsz <= a->xs_vaddr;
}

static void
check_segments(const struct xen_elf_info *in, size_t size)
{
	const struct xen_elf_segment *s;
	uint64_t shift = in->xi_virt_base - in->xi_paddr_offset;
	uint32_t i, j;

	FUZZ_CHECK(in->xi_nsegments >= 1 &&
	    in->xi_nsegments <= XEN_ELF_MAX_SEGMENTS);
	for (i = 0; i < in->xi_nsegments; i++) {
		s = &in->xi_segments[i];
		FUZZ_CHECK(s->xs_offset <= size &&
		    s->xs_filesz <= size - s->xs_offset);
		FUZZ_CHECK(s->xs_filesz <= s->xs_memsz);
		FUZZ_CHECK(s->xs_vaddr == s->xs_paddr + shift);
		FUZZ_CHECK(in_kernel(in, s->xs_vaddr, s->xs_memsz));
		for (j = 0; j < i; j++)
			FUZZ_CHECK(disjoint(s, &in->xi_segments[j]));
	}
}

static int
terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

static void
check_info(const struct xen_elf_info *in, size_t size)
{
	uint64_t start = in->xi_virt_kstart, end = in->xi_virt_kend;
	uint64_t hp = in->xi_hypercall_page;

	check_segments(in, size);
	FUZZ_CHECK(start < end && in->xi_virt_base <= start);
	FUZZ_CHECK(end <= LOW_END || start >= HIGH_START);
	FUZZ_CHECK(end <= XM_HYPERVISOR_VIRT_START ||
	    start >= XM_HYPERVISOR_VIRT_END);
	FUZZ_CHECK(in_kernel(in, in->xi_entry, 1));
	if (hp != XEN_ELF_UNSET)
		FUZZ_CHECK(hp % XM_HYPERCALL_PAGE_SIZE == 0 &&
		    in_kernel(in, hp, XM_HYPERCALL_PAGE_SIZE));
	FUZZ_CHECK(in->xi_init_p2m == XEN_ELF_UNSET ||
	    !in_kernel(in, in->xi_init_p2m, 1));
	FUZZ_CHECK(terminated(in->xi_xen_version, XEN_ELF_XEN_VERSION_LEN));
	FUZZ_CHECK(terminated(in->xi_guest_os, XEN_ELF_GUEST_OS_LEN));
	FUZZ_CHECK(terminated(in->xi_guest_version,
	    XEN_ELF_GUEST_VERSION_LEN));
	FUZZ_CHECK(terminated(in->xi_loader, XEN_ELF_LOADER_LEN));
	FUZZ_CHECK(terminated(in->xi_pae_mode, XEN_ELF_PAE_MODE_LEN));
	FUZZ_CHECK(terminated(in->xi_features, XEN_ELF_FEATURES_LEN));
	FUZZ_CHECK(!xen_elf_has(in, 32) && !xen_elf_has(in, 1000));
}

/*
 * xen_elf_load() with callbacks that record what they are asked.
 */

struct load_rec {
	const uint8_t		*lr_image;
	size_t			 lr_size;
	unsigned int		 lr_calls, lr_fail_at;
	volatile uint64_t	 lr_sum;
	struct { uint64_t va, len; const void *src; } lr_call[MAX_CALLS];
};

static int
rec_call(struct load_rec *r, uint64_t va, const void *src, uint64_t len)
{
	unsigned int n = r->lr_calls++;

	FUZZ_CHECK(n < MAX_CALLS && len > 0);
	r->lr_call[n].va = va;
	r->lr_call[n].len = len;
	r->lr_call[n].src = src;
	return n + 1 == r->lr_fail_at ? -7 : 0;
}

static int
rec_write(void *ctx, uint64_t va, const void *src, uint64_t len)
{
	struct load_rec *r = ctx;
	const uint8_t *p = src;

	FUZZ_CHECK(p >= r->lr_image && (size_t)(p - r->lr_image) <= r->lr_size &&
	    len <= r->lr_size - (size_t)(p - r->lr_image));
	/* Read every byte: ASan knows where the image ends. */
	r->lr_sum += fuzz_hash(p, len);
	return rec_call(r, va, src, len);
}

static int
rec_zero(void *ctx, uint64_t va, uint64_t len)
{
	return rec_call(ctx, va, NULL, len);
}

/* The calls a load must make for in, in order; how many. */
static unsigned int
expected_calls(const struct xen_elf_info *in, const uint8_t *image,
    struct load_rec *want)
{
	const struct xen_elf_segment *s;
	unsigned int n = 0;
	uint32_t i;

	for (i = 0; i < in->xi_nsegments; i++) {
		s = &in->xi_segments[i];
		if (s->xs_filesz > 0) {
			want->lr_call[n].va = s->xs_vaddr;
			want->lr_call[n].len = s->xs_filesz;
			want->lr_call[n++].src = image + s->xs_offset;
		}
		if (s->xs_memsz > s->xs_filesz) {
			want->lr_call[n].va = s->xs_vaddr + s->xs_filesz;
			want->lr_call[n].len = s->xs_memsz - s->xs_filesz;
			want->lr_call[n++].src = NULL;
		}
	}
	return n;
}

static void
check_load(const struct xen_elf_info *in, const uint8_t *image, size_t size,
    unsigned int fail_at)
{
	static struct load_rec r, want;
	unsigned int n, i;
	int rc;

	memset(&r, 0, sizeof(r));
	r.lr_image = image;
	r.lr_size = size;
	r.lr_fail_at = fail_at;
	rc = xen_elf_load(image, size, in, rec_write, rec_zero, &r);
	n = expected_calls(in, image, &want);
	if (fail_at == 0 || fail_at > n) {
		FUZZ_CHECK(rc == 0 && r.lr_calls == n);
	} else
		FUZZ_CHECK(rc == -7 && r.lr_calls == fail_at);
	for (i = 0; i < r.lr_calls; i++) {
		FUZZ_CHECK(r.lr_call[i].va == want.lr_call[i].va);
		FUZZ_CHECK(r.lr_call[i].len == want.lr_call[i].len);
		FUZZ_CHECK(r.lr_call[i].src == want.lr_call[i].src);
	}
}

/*
 * The builder's layout.
 */

static void
check_layout(const struct xen_layout *l, const struct xen_elf_info *in,
    uint64_t nr_pages, int privileged)
{
	FUZZ_CHECK(l->xl_nr_pages == nr_pages &&
	    !(l->xl_flags & XEN_LAYOUT_PRIVILEGED) == !privileged);
	FUZZ_CHECK(l->xl_v_start == in->xi_virt_base);
	FUZZ_CHECK(l->xl_v_start % PAGE == 0);
	FUZZ_CHECK(l->xl_v_start <= in->xi_virt_kstart &&
	    in->xi_virt_kend <= l->xl_v_p2m);
	FUZZ_CHECK(l->xl_v_p2m % PAGE == 0 &&
	    l->xl_v_p2m < l->xl_v_start_info);
	FUZZ_CHECK(l->xl_v_start_info - l->xl_v_p2m >=
	    nr_pages * sizeof(uint64_t));
	if (privileged)
		FUZZ_CHECK(l->xl_v_console == 0 &&
		    l->xl_v_start_info + PAGE == l->xl_v_pt);
	else
		FUZZ_CHECK(l->xl_v_start_info < l->xl_v_console &&
		    l->xl_v_console + PAGE == l->xl_v_pt);
	FUZZ_CHECK(l->xl_v_pt + l->xl_nr_pt_frames * PAGE == l->xl_v_stack);
	FUZZ_CHECK(l->xl_v_stack < l->xl_v_end &&
	    l->xl_v_end % (4 << 20) == 0);
	FUZZ_CHECK(l->xl_nr_pt_frames >=
	    xen_layout_count_pt_frames(l->xl_v_start, l->xl_v_end));
	FUZZ_CHECK(xen_layout_pages(l) <= nr_pages);
}

/* The frame mapped at va by the tables of img, or 0 (and *rw). */
static uint64_t
walk(const struct layout_image *img, uint64_t va, int *rw)
{
	const struct xen_layout *l = img->li_layout;
	uint64_t pt0 = xen_layout_va_to_pfn(l, l->xl_v_pt);
	uint64_t mfn = img->li_p2m[pt0], e = 0, pfn;
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		pfn = mfn - MFN_BASE;
		/* Every table is one of the page-table frames. */
		FUZZ_CHECK(pfn >= pt0 && pfn < pt0 + l->xl_nr_pt_frames);
		memcpy(&e, img->li_mem + pfn * PAGE +
		    ((va >> shift) & 511) * sizeof(e), sizeof(e));
		if (!(e & 1))
			return 0;
		mfn = (e & UINT64_C(0x000ffffffffff000)) >> 12;
	}
	*rw = (e & 2) != 0;
	return mfn;
}

static void
check_tables(const struct layout_image *img)
{
	const struct xen_layout *l = img->li_layout;
	uint64_t va, pt_end = l->xl_v_pt + l->xl_nr_pt_frames * PAGE;
	int rw = 0;

	for (va = l->xl_v_start; va < l->xl_v_end; va += PAGE) {
		FUZZ_CHECK(walk(img, va, &rw) ==
		    img->li_p2m[xen_layout_va_to_pfn(l, va)]);
		FUZZ_CHECK(rw == (va < l->xl_v_pt || va >= pt_end));
	}
}

static void
build(const struct xen_layout *l, const struct xen_elf_info *in,
    const uint8_t *image, size_t size)
{
	struct xen_layout_si si = { 0x77, 3, 0, "console=hvc0" };
	struct xm_vcpu_guest_context ctx;
	struct layout_image img;
	uint64_t *p2m, i;

	if ((p2m = calloc(l->xl_nr_pages, sizeof(*p2m))) == NULL)
		return;
	for (i = 0; i < l->xl_nr_pages; i++)
		p2m[i] = MFN_BASE + i;
	if (layout_image_init(&img, l, p2m) != 0) {
		free(p2m);
		return;
	}
	FUZZ_CHECK(layout_load_kernel(&img, in, image, size) == 0);
	layout_write_p2m(&img);
	FUZZ_CHECK(layout_write_page_tables(&img) == 0);
	layout_write_start_info(&img, &si);
	check_tables(&img);
	layout_vcpu_context(l, p2m, &ctx);
	FUZZ_CHECK(ctx.user_regs.rip == in->xi_entry);
	FUZZ_CHECK(!layout_page_is_zero(&img,
	    xen_layout_va_to_pfn(l, l->xl_v_start_info)));
	layout_image_free(&img);
	free(p2m);
}

/*
 * The fewest pages, found by doubling from the kernel's size, in which
 * the layout fits; 0 when even PAGES_MAX do not.
 */
static int
plan_for(struct xen_layout *l, const struct xen_elf_info *in,
    uint64_t nr_pages, int privileged, const char **why)
{
	struct xen_layout_in li;

	xen_layout_in_init(&li, in, nr_pages,
	    privileged ? XEN_LAYOUT_PRIVILEGED : 0);
	return xen_layout_plan(l, &li, why);
}

static uint64_t
fewest_pages(const struct xen_elf_info *in, int privileged)
{
	struct xen_layout l;
	const char *why;
	uint64_t n = (in->xi_virt_kend - in->xi_virt_base) / PAGE + 1;

	for (n = n < PAGES_MAX ? n : PAGES_MAX;; n *= 2) {
		if (n > PAGES_MAX)
			n = PAGES_MAX;
		if (plan_for(&l, in, n, privileged, &why) == 0)
			return xen_layout_pages(&l);
		if (n == PAGES_MAX)
			return 0;
	}
}

static void
plan(const struct xen_elf_info *in, const uint8_t *image, size_t size,
    int privileged, int build_it)
{
	struct xen_layout l;
	const char *why = NULL;
	uint64_t need;

	if (plan_for(&l, in, PAGES_MAX, privileged, &why) != 0) {
		FUZZ_CHECK(why != NULL);
		return;
	}
	check_layout(&l, in, PAGES_MAX, privileged);
	/* Just enough memory: the p2m only shrinks, so it fits again. */
	need = fewest_pages(in, privileged);
	FUZZ_CHECK(need > 0);
	FUZZ_CHECK(plan_for(&l, in, need, privileged, &why) == 0);
	check_layout(&l, in, need, privileged);
	if (build_it && need <= IMAGE_MAX_PAGES)
		build(&l, in, image, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xen_elf_info in, again;
	const char *why = NULL;
	uint64_t h;
	uint8_t *image;

	if ((image = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(image, data, size);
	if (xen_elf_parse(image, size, &in, &why) != 0) {
		FUZZ_CHECK(why != NULL && *why != '\0');
		free(image);
		return 0;
	}
	FUZZ_CHECK(why == NULL);
	/* The same answer twice: nothing depends on what was not set. */
	FUZZ_CHECK(xen_elf_parse(image, size, &again, NULL) == 0);
	FUZZ_CHECK(memcmp(&in, &again, sizeof(in)) == 0);
	check_info(&in, size);
	h = fuzz_hash(data, size);
	check_load(&in, image, size, (unsigned int)(h % (MAX_CALLS + 4)));
	plan(&in, image, size, (int)(h >> 8) & 1, (h >> 9) % BUILD_EVERY == 0);
	free(image);
	return 0;
}
