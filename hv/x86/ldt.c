/*
 * A PV guest's LDT, as Xen offers it (MMUEXT_SET_LDT, and ldt_base /
 * ldt_ents in a vCPU context): up to 8192 descriptors at a page-aligned
 * linear address of the guest's.  Each page of it that the kernel's
 * tables map becomes a descriptor frame (MM_PGT_SEG_DESC, as a GDT
 * frame: every descriptor checked, no writable mapping of it, changed
 * only by update_descriptor) while it is the vCPU's LDT.  Xen maps the
 * pages when the CPU first touches them; hv takes them when the LDT is
 * set, and a page that is not mapped then (or cannot hold descriptors)
 * reads as not present, so a selector in it faults.  As for the GDT,
 * the descriptors are copied into a per-CPU table when the vCPU is
 * loaded, and again when one of them changes.
 *
 * Where Xen maps a page on the CPU's first touch, hv takes a page that
 * was not mapped at SET_LDT when a selector in it faults (ldt_fault):
 * mapped by then, it becomes a descriptor frame and the instruction runs
 * again; otherwise the #GP is the guest's, as with Xen.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>

#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/percpu.h>

#define LDT_TYPE	0x2ULL		/* system descriptor: LDT */

static uint64_t cpu_ldt[HV_MAX_CPUS][LDT_MAX_ENTS]
    __attribute__((aligned(4096)));

/* Drop the frames v's LDT holds (with d's lock held). */
void
ldt_release(struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < LDT_MAX_FRAMES; i++)
		if (v->ldt_frames[i] != 0) {
			mm_put_page_and_type(&v->domain->mm, v->ldt_frames[i]);
			v->ldt_frames[i] = 0;
		}
}

/* The frame the kernel's tables map at va, or 0. */
static uint64_t
ldt_frame_at(struct vcpu *v, uint64_t va)
{
	uint64_t l1, pte;
	unsigned int slot;

	if (v->kernel_l4 == 0 ||
	    mm_walk_to_l1(&v->domain->mm, v->kernel_l4, va, &l1, &slot) != 0)
		return 0;
	pte = ((const uint64_t *)mm_map_frame(l1))[slot];
	return (pte & MM_PTE_P) ? MM_PTE_MFN(pte) : 0;
}

/*
 * v's LDT from now on: ents descriptors at base (checked by the
 * caller).  With d's lock held; v is the caller or not running.
 */
void
ldt_set_locked(struct vcpu *v, uint64_t base, unsigned int ents)
{
	unsigned int i, nr = (ents + DESC_PER_FRAME - 1) / DESC_PER_FRAME;
	uint64_t mfn;

	ldt_release(v);
	v->ldt_base = base;
	v->ldt_ents = ents;
	for (i = 0; i < nr; i++) {
		mfn = ldt_frame_at(v, base + (uint64_t)i * PAGE_SIZE);
		if (mfn == 0 || mm_get_page_and_type(&v->domain->mm, mfn,
		    MM_PGT_SEG_DESC) != 0) {
			domain_log_refusal(v->domain, "LDT page %#lx of vCPU "
			    "%u: not mapped, or cannot hold descriptors",
			    base + (uint64_t)i * PAGE_SIZE, v->id);
			continue;
		}
		v->ldt_frames[i] = mfn;
	}
}

/* The system descriptor for this CPU's LDT, in hv's part of its GDT. */
static void
ldt_descriptor(uint64_t *gdt, uint64_t base, unsigned int ents)
{
	uint64_t limit = (uint64_t)ents * 8 - 1;

	gdt[LDT_SEL >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    ((0x80ULL | LDT_TYPE) << 40) | (((limit >> 16) & 0xf) << 48) |
	    (((base >> 24) & 0xff) << 56);
	gdt[(LDT_SEL >> 3) + 1] = base >> 32;
}

/* Copy v's LDT into this CPU's and load it (or none). */
void
ldt_load(struct vcpu *v)
{
	unsigned int cpu = this_cpu()->cpu, i, n = v->ldt_ents, chunk;
	uint64_t *ldt = cpu_ldt[cpu];

	if (n == 0) {
		__asm__ volatile("lldt %w0" : : "r"(0));
		return;
	}
	for (i = 0; i < n; i += DESC_PER_FRAME) {
		chunk = n - i < DESC_PER_FRAME ? n - i : DESC_PER_FRAME;
		if (v->ldt_frames[i / DESC_PER_FRAME] != 0)
			kmemcpy(ldt + i, mm_map_frame(v->ldt_frames[i /
			    DESC_PER_FRAME]), chunk * sizeof(*ldt));
		else
			kmemset(ldt + i, 0, chunk * sizeof(*ldt));
	}
	ldt_descriptor(cpu_gdt(cpu), (uint64_t)ldt, n);
	__asm__ volatile("lldt %w0" : : "r"(LDT_SEL));
}

/*
 * A #GP naming selector sel (error code) of v's LDT, v running here: if
 * its page was not taken at SET_LDT and can be now, take it and reload
 * this CPU's copy.  True if the faulting instruction may run again.
 */
bool
ldt_fault(struct vcpu *v, uint32_t sel)
{
	struct domain *d = v->domain;
	unsigned int idx = sel >> 3, page = idx / DESC_PER_FRAME;
	uint64_t mfn;
	bool taken = false;

	if (!(sel & 4) || (sel & 3) != 0 || idx >= v->ldt_ents)
		return false;
	spin_lock(&d->lock);
	if (v->ldt_frames[page] == 0) {
		mfn = ldt_frame_at(v, v->ldt_base + (uint64_t)page * PAGE_SIZE);
		if (mfn != 0 && mm_get_page_and_type(&d->mm, mfn,
		    MM_PGT_SEG_DESC) == 0) {
			v->ldt_frames[page] = mfn;
			taken = true;
		}
	}
	spin_unlock(&d->lock);
	if (taken)
		ldt_load(v);
	return taken;
}

/* Descriptor idx of v's LDT as loaded on cpu, or 0 past its end. */
uint64_t
ldt_cpu_desc(const struct vcpu *v, unsigned int cpu, unsigned int idx)
{
	return idx < v->ldt_ents ? cpu_ldt[cpu][idx] : 0;
}

/* True if mfn is one of v's LDT frames. */
bool
ldt_uses(const struct vcpu *v, uint64_t mfn)
{
	unsigned int i;

	for (i = 0; i < LDT_MAX_FRAMES; i++)
		if (mfn != 0 && v->ldt_frames[i] == mfn)
			return v->ldt_ents > 0;
	return false;
}

/*
 * MMUEXT_SET_LDT, with d's lock held: Xen's checks (page aligned, in
 * the guest's range, at most 8192 entries; no entries means no LDT).
 * The caller loads it once the lock is dropped.
 */
long
ldt_set_op(struct vcpu *v, uint64_t base, uint64_t ents)
{
	if (ents == 0)
		base = 0;
	if ((base & (PAGE_SIZE - 1)) != 0 || ents > LDT_MAX_ENTS ||
	    (ents != 0 && !guest_range_ok(base, ents * 8))) {
		domain_log_refusal(v->domain, "MMUEXT_SET_LDT refused: base "
		    "%#lx, %lu entries", base, ents);
		return -XM_EINVAL;
	}
	if (base != v->ldt_base || ents != v->ldt_ents)
		ldt_set_locked(v, base, (unsigned int)ents);
	return 0;
}
