/*
 * The boot-time domain builder: a domain from a kernel ELF image with
 * Xen notes, laid out as the x86-64 PV ABI's start of day has it. From
 * the bottom of the initial mapping (pfn 0 at VIRT_BASE):
 *
 *	kernel image | p2m (mfn_list) | start_info | console page (domU) |
 *	initial page tables | boot stack | >= 512 KiB padding, to 4 MiB
 *
 * Everything is mapped writable except the page-table frames, which are
 * read-only; the top L4 is pinned and validated by hv/mm like any other.
 * vCPU 0 starts at the entry point with rsi = start_info and rsp at the
 * top of the boot stack, events masked.  The other vCPUs exist but are
 * down, without a context, until the guest initialises them
 * (VCPUOP_initialise, VCPUOP_up), as under Xen.
 */
#include <stdint.h>

#include <klib/string.h>
#include <klib/xen_elf.h>
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

#define PT_ENTRIES	512
#define MB4		(4ULL << 20)
#define PADDING		(512ULL << 10)

struct build {
	struct domain		*d;
	struct xen_elf_info	elf;
	uint64_t		*p2m;		/* pfn -> mfn, hv's copy */
	uint64_t		nr_pages;
	uint64_t		v_start, v_end;
	uint64_t		v_p2m, v_start_info, v_console, v_pt, v_stack;
	uint64_t		nr_pt_frames;
};

static uint64_t
round_up(uint64_t x, uint64_t to)
{
	return (x + to - 1) & ~(to - 1);
}

static uint64_t
va_to_pfn(const struct build *b, uint64_t va)
{
	return (va - b->v_start) >> PAGE_SHIFT;
}

static void *
va_to_hv(const struct build *b, uint64_t va)
{
	return (uint8_t *)mm_map_frame(b->p2m[va_to_pfn(b, va)]) +
	    (va & (PAGE_SIZE - 1));
}

/* Frames needed to map [start, end) with 4-level tables. */
static uint64_t
count_pt_frames(uint64_t start, uint64_t end)
{
	uint64_t n = 1, shift;

	for (shift = 39; shift >= 21; shift -= 9)
		n += ((end - 1) >> shift) - (start >> shift) + 1;
	return n;
}

static int
plan_layout(struct build *b)
{
	uint64_t va, pt;

	b->v_start = b->elf.xi_virt_base;
	va = round_up(b->elf.xi_virt_kend, PAGE_SIZE);
	b->v_p2m = va;
	va += round_up(b->nr_pages * sizeof(uint64_t), PAGE_SIZE);
	b->v_start_info = va;
	va += PAGE_SIZE;
	if (!b->d->privileged) {
		b->v_console = va;
		va += PAGE_SIZE;
	}
	b->v_pt = va;
	/* Page tables map themselves: iterate to a fixed point. */
	for (pt = 1;; pt = b->nr_pt_frames) {
		b->v_stack = b->v_pt + pt * PAGE_SIZE;
		b->v_end = round_up(b->v_stack + PAGE_SIZE + PADDING, MB4);
		b->nr_pt_frames = count_pt_frames(b->v_start, b->v_end);
		if (b->nr_pt_frames <= pt)
			break;
	}
	if ((b->v_end - b->v_start) >> PAGE_SHIFT > b->nr_pages)
		return -XM_ENOMEM;
	return 0;
}

static int
alloc_memory(struct build *b)
{
	uint64_t pfn;
	int64_t mfn;

	b->p2m = hv_alloc(b->nr_pages * sizeof(uint64_t));
	if (b->p2m == NULL)
		return -XM_ENOMEM;
	for (pfn = 0; pfn < b->nr_pages; pfn++) {
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

/* The entry for va at the level whose entries span 1 << shift. */
static uint64_t *
pt_slot(struct build *b, uint64_t *next_pt, uint64_t va)
{
	uint64_t *table = va_to_hv(b, b->v_pt);
	unsigned int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & (PT_ENTRIES - 1)];

		if (!(*e & MM_PTE_P)) {
			*e = (b->p2m[va_to_pfn(b, *next_pt)] << PAGE_SHIFT) |
			    MM_PTE_P | MM_PTE_RW | MM_PTE_US;
			*next_pt += PAGE_SIZE;
		}
		table = mm_map_frame(MM_PTE_MFN(*e));
	}
	return &table[(va >> 12) & (PT_ENTRIES - 1)];
}

static void
build_page_tables(struct build *b)
{
	uint64_t next_pt = b->v_pt + PAGE_SIZE, va;
	uint64_t pt_end = b->v_pt + b->nr_pt_frames * PAGE_SIZE;

	for (va = b->v_start; va < b->v_end; va += PAGE_SIZE) {
		uint64_t flags = MM_PTE_P | MM_PTE_US | MM_PTE_A;

		if (va < b->v_pt || va >= pt_end)
			flags |= MM_PTE_RW | MM_PTE_D;
		*pt_slot(b, &next_pt, va) =
		    (b->p2m[va_to_pfn(b, va)] << PAGE_SHIFT) | flags;
	}
	ASSERT(next_pt <= pt_end);
}

static int	load_write(void *, uint64_t, const void *, uint64_t);

static void
fill_start_info(struct build *b, const char *cmdline)
{
	struct xm_start_info *si = va_to_hv(b, b->v_start_info);
	struct domain *d = b->d;

	kstrlcpy(si->magic, XM_START_INFO_MAGIC, sizeof(si->magic));
	si->nr_pages = b->nr_pages;
	si->shared_info = d->shared_info_mfn << PAGE_SHIFT;
	si->flags = d->privileged ? XM_SIF_PRIVILEGED | XM_SIF_INITDOMAIN : 0;
	if (!d->privileged) {
		si->console.domU.mfn = b->p2m[va_to_pfn(b, b->v_console)];
		si->console.domU.evtchn = d->console_port;
	}
	si->pt_base = b->v_pt;
	si->nr_pt_frames = b->nr_pt_frames;
	si->mfn_list = b->v_p2m;
	kstrlcpy((char *)si->cmd_line, cmdline, sizeof(si->cmd_line));
	/* Page by page: the domain's frames are not contiguous. */
	load_write(b, b->v_p2m, b->p2m, b->nr_pages * sizeof(uint64_t));
}

static int
start_vcpu0(struct build *b)
{
	struct vcpu *v = vcpu_create(b->d, 0);
	uint64_t l4 = b->p2m[va_to_pfn(b, b->v_pt)];
	int rc;

	if (v == NULL)
		return -XM_ENOMEM;
	rc = mm_pin(&b->d->mm, l4, MM_PGT_L4);
	if (rc == 0)
		rc = mm_get_base_table(&b->d->mm, l4);
	if (rc != 0)
		return rc;
	v->kernel_l4 = l4;
	v->regs.rip = b->elf.xi_entry;
	v->regs.rsp = b->v_stack + PAGE_SIZE;
	v->regs.rsi = b->v_start_info;
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
	if (b->elf.xi_features_required != 0) {
		*why = "the kernel requires features hv does not offer";
		return -XM_EINVAL;
	}
	*why = "not enough memory for the kernel's start-of-day layout";
	if ((rc = plan_layout(b)) != 0 || (rc = alloc_memory(b)) != 0)
		return rc;
	*why = "cannot load the kernel image";
	if (xen_elf_load(img->kernel, img->kernel_size, &b->elf, load_write,
	    load_zero, b) != 0)
		return -XM_EINVAL;
	if (b->elf.xi_hypercall_page != XEN_ELF_UNSET)
		hypercall_page_fill(va_to_hv(b, b->elf.xi_hypercall_page));
	if (!b->d->privileged && evtchn_alloc_unbound_for(b->d, 0,
	    &b->d->console_port) == 0)
		b->d->console_mfn = b->p2m[va_to_pfn(b, b->v_console)];
	build_page_tables(b);
	fill_start_info(b, img->cmdline);
	b->d->nr_pfns = b->nr_pages;
	b->d->shared_info->arch.max_pfn = b->nr_pages;
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
	b.nr_pages = img->mem_bytes >> PAGE_SHIFT;
	b.d = domain_create(img->id, img->privileged, img->nr_vcpus,
	    b.nr_pages + 1);
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
	    (void *)b.elf.xi_entry, b.nr_pt_frames);
	b.d->state = DOMAIN_RUNNING;
	sched_add_vcpu(b.d->vcpus[0]);
	return b.d;
}
