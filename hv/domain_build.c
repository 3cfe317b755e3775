/*
 * The boot-time domain builder: a domain from a kernel ELF image with
 * Xen notes, laid out as the x86-64 PV ABI's start of day has it
 * (klib/xen_layout.h, shared with xmd's builder).  The top L4 is pinned
 * and validated by hv/mm like any other.  vCPU 0 starts at the entry
 * point with rsi = start_info and rsp at the top of the boot stack,
 * events masked.  The other vCPUs exist but are down, without a
 * context, until the guest initialises them (VCPUOP_initialise,
 * VCPUOP_up), as under Xen.
 */
#include <stdint.h>

#include <klib/string.h>
#include <klib/xen_elf.h>
#include <klib/xen_layout.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <hv/console.h>
#include <hv/context.h>
#include <hv/domain.h>
#include <hv/domain_build.h>
#include <hv/event.h>
#include <hv/heap.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/paging.h>
#include <hv/sched.h>

struct build {
	struct domain		*d;
	struct xen_elf_info	elf;
	uint64_t		*p2m;		/* pfn -> mfn, hv's copy */
	struct xen_layout	l;
};

static uint64_t
va_to_pfn(const struct build *b, uint64_t va)
{
	return xen_layout_va_to_pfn(&b->l, va);
}

static void *
va_to_hv(const struct build *b, uint64_t va)
{
	return (uint8_t *)mm_map_frame(b->p2m[va_to_pfn(b, va)]) +
	    (va & (PAGE_SIZE - 1));
}

static int
plan_layout(struct build *b, uint64_t nr_pages, const char **why)
{
	struct xen_layout_in in;

	xen_layout_in_init(&in, &b->elf, nr_pages,
	    b->d->privileged ? XEN_LAYOUT_PRIVILEGED : 0);
	return xen_layout_plan(&b->l, &in, why);
}

static int
alloc_memory(struct build *b)
{
	uint64_t pfn;
	int64_t mfn;

	b->p2m = hv_alloc(b->l.xl_nr_pages * sizeof(uint64_t));
	if (b->p2m == NULL)
		return -XM_ENOMEM;
	for (pfn = 0; pfn < b->l.xl_nr_pages; pfn++) {
		mfn = mm_domain_alloc_frame(&b->d->mm);
		if (mfn < 0)
			return (int)mfn;
		b->p2m[pfn] = (uint64_t)mfn;
		mm_m2p_set((uint64_t)mfn, pfn);
	}
	return 0;
}

static int
load_write(void *ctx, uint64_t va, const void *src, uint64_t len)
{
	const struct build *b = ctx;

	while (len > 0) {
		uint64_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));

		n = n < len ? n : len;
		kmemcpy(va_to_hv(b, va), src, n);
		va += n, src = (const uint8_t *)src + n, len -= n;
	}
	return 0;
}

static int
load_zero(void *ctx, uint64_t va, uint64_t len)
{
	(void)ctx, (void)va, (void)len;
	return 0;	/* frames come scrubbed */
}

static uint64_t *
map_pt(void *ctx, uint64_t pfn)
{
	const struct build *b = ctx;

	return mm_map_frame(b->p2m[pfn]);
}

static void
fill_start_info(struct build *b, const char *cmdline)
{
	struct xen_layout_si in = { b->d->shared_info_mfn,
	    b->d->console_port, 0, cmdline };

	xen_layout_start_info(&b->l, b->p2m, &in,
	    va_to_hv(b, b->l.xl_v_start_info));
	/* Page by page: the domain's frames are not contiguous. */
	load_write(b, b->l.xl_v_p2m, b->p2m,
	    b->l.xl_nr_pages * sizeof(uint64_t));
}

static int
start_vcpu0(struct build *b)
{
	struct vcpu *v = vcpu_create(b->d, 0);
	uint64_t l4 = b->p2m[va_to_pfn(b, b->l.xl_v_pt)];
	int rc;

	if (v == NULL)
		return -XM_ENOMEM;
	rc = mm_pin(&b->d->mm, l4, MM_PGT_L4);
	if (rc == 0)
		rc = mm_get_base_table(&b->d->mm, l4);
	if (rc != 0)
		return rc;
	v->kernel_l4 = l4;
	v->regs.rip = b->l.xl_entry;
	v->regs.rsp = xen_layout_stack_top(&b->l);
	v->regs.rsi = b->l.xl_v_start_info;
	v->kernel_sp = v->regs.rsp;
	v->state = VCPU_RUNNABLE;
	v->initialised = true;
	return 0;
}

static int
create_other_vcpus(struct build *b)
{
	unsigned int i;

	for (i = 1; i < b->d->max_vcpus; i++)
		if (vcpu_create(b->d, i) == NULL)
			return -XM_ENOMEM;
	return 0;
}

static int
build(struct build *b, const struct domain_image *img, const char **why)
{
	int rc;

	if (xen_elf_parse(img->kernel, img->kernel_size, &b->elf, why) != 0)
		return -XM_EINVAL;
	if (xen_elf_unbuildable(&b->elf, XEN_ELF_PV_BUILDABLE |
	    (img->privileged ? UINT32_C(1) << XM_XENFEAT_DOM0 : 0)) != NULL) {
		*why = "the kernel requires a feature a PV domain cannot have";
		return -XM_EINVAL;
	}
	if ((rc = plan_layout(b, img->mem_bytes >> PAGE_SHIFT, why)) != 0)
		return rc;
	*why = "no memory for the domain's frames";
	if ((rc = alloc_memory(b)) != 0)
		return rc;
	*why = "cannot load the kernel image";
	if (xen_elf_load(img->kernel, img->kernel_size, &b->elf, load_write,
	    load_zero, b) != 0)
		return -XM_EINVAL;
	if (b->elf.xi_hypercall_page != XEN_ELF_UNSET)
		hypercall_page_fill(va_to_hv(b, b->elf.xi_hypercall_page));
	if (!b->d->privileged && evtchn_alloc_unbound_for(b->d, 0,
	    &b->d->console_port) == 0)
		b->d->console_mfn = b->p2m[va_to_pfn(b, b->l.xl_v_console)];
	*why = "the initial page tables do not fit";
	if ((rc = xen_layout_write_page_tables(&b->l, b->p2m, map_pt,
	    b)) != 0)
		return rc;
	fill_start_info(b, img->cmdline);
	b->d->nr_pfns = b->l.xl_nr_pages;
	b->d->shared_info->arch.max_pfn = b->l.xl_nr_pages;
	*why = "the initial page tables do not validate";
	if ((rc = start_vcpu0(b)) != 0)
		return rc;
	*why = "no memory for its vCPUs";
	return create_other_vcpus(b);
}

struct domain *
domain_build(const struct domain_image *img)
{
	struct build b;
	const char *why = "";
	int rc;

	kmemset(&b, 0, sizeof(b));
	b.d = domain_create(img->id, img->privileged, img->nr_vcpus,
	    (img->mem_bytes >> PAGE_SHIFT) + 1);
	if (b.d == NULL) {
		log_err("d%u: cannot create the domain", img->id);
		return NULL;
	}
	spin_lock(&b.d->lock);
	rc = build(&b, img, &why);
	spin_unlock(&b.d->lock);
	hv_free(b.p2m);
	if (rc != 0) {
		log_err("d%u: cannot build the domain: %s (%d)", img->id, why,
		    rc);
		domain_destroy(b.d);
		return NULL;
	}
	log_info("d%u: %s kernel '%s', %lu MiB, %u vCPU%s, entry %p, %lu "
	    "page-table frames", img->id, img->privileged ? "privileged" :
	    "unprivileged", b.elf.xi_guest_os, img->mem_bytes >> 20,
	    img->nr_vcpus, img->nr_vcpus == 1 ? "" : "s",
	    (void *)b.elf.xi_entry, b.l.xl_nr_pt_frames);
	b.d->state = DOMAIN_RUNNING;
	sched_add_vcpu(b.d->vcpus[0]);
	return b.d;
}
