/*
 * A PV guest's GDT, as Xen keeps it: set_gdt names up to 14 of the
 * domain's frames (7168 entries); each becomes a descriptor frame
 * (MM_PGT_SEG_DESC: every descriptor checked, and no writable mapping
 * of it can exist), and update_descriptor is the only way to change
 * one.  hv's own selectors live in the last GDT page (desc.h); a vCPU's
 * entries are copied into the first pages of its CPU's GDT when it is
 * loaded, and again when it changes one of them (another vCPU whose
 * GDT or LDT holds that frame is interrupted and copies its tables
 * before it runs guest code again).  The data selectors
 * (ds, es, fs, gs) that may name those entries are the vCPU's too:
 * saved when it leaves its CPU, loaded again when it comes back.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>

#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/flush.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/traps.h>
#include <hv/x86.h>

/* The entries this CPU's GDT holds for the vCPU loaded last. */
static unsigned int loaded_ents[HV_MAX_CPUS];

/*
 * Xen's check_descriptor for a 64-bit PV domain: a descriptor that is
 * not present is harmless; otherwise its DPL is raised to 3 (the guest
 * kernel's ring); code and data segments are fine; an empty system
 * type (a call gate's second half) is harmless.  A call gate is taken
 * when its target is a code selector of the guest (its GDT below hv's
 * entries, its LDT, or the flat kernel one) and its reserved bits are
 * clear, with its DPL forced to 0 and the DPL it had (3, after the
 * raise) kept in the target's RPL, as Xen stores it: a far call or jump
 * through it from ring 3 is then the guest's #GP naming the gate, which
 * Xen emulates only for 32-bit PV guests.  Anything else is refused.
 * Fixes *d in place; false if it must be refused.
 */
static bool
call_gate_check(uint64_t *d, uint64_t fixed)
{
	uint16_t sel = (uint16_t)(fixed >> 16);
	unsigned int dpl = (unsigned int)((fixed & DESC_DPL) >> DESC_DPL_SHIFT);

	if (!((sel >> 3) < GDT_FIRST_HV_ENTRY || sel == GUEST_CS64 ||
	    (sel & 4)) || (fixed & DESC_GATE_RESERVED) != 0)
		return false;
	sel = (uint16_t)((sel & ~3U) | dpl);
	*d = (fixed & ~(DESC_DPL | DESC_GATE_SEL)) | ((uint64_t)sel << 16);
	return true;
}

bool
desc_check(uint64_t *d)
{
	uint64_t fixed = *d | DESC_DPL;		/* DPL 3 */

	if (!(*d & DESC_P))
		return true;
	if (fixed & DESC_S) {			/* code or data */
		*d = fixed;
		return true;
	}
	if (DESC_TYPE(fixed) == 0)		/* left as it is */
		return true;
	return DESC_TYPE(fixed) == DESC_TYPE_CALL_GATE &&
	    call_gate_check(d, fixed);
}

/* Copy v's entries into this CPU's GDT, clearing what the last left. */
void
gdt_load(struct vcpu *v)
{
	unsigned int cpu = this_cpu()->cpu, i, n = v->gdt_ents;
	uint64_t *gdt = cpu_gdt(cpu);
	const uint64_t *src;

	for (i = 0; i < n; i += DESC_PER_FRAME) {
		src = mm_map_frame(v->gdt_frames[i / DESC_PER_FRAME]);
		kmemcpy(gdt + i, src, (n - i < DESC_PER_FRAME ? n - i :
		    DESC_PER_FRAME) * sizeof(*gdt));
	}
	if (loaded_ents[cpu] > n)
		kmemset(gdt + n, 0, (loaded_ents[cpu] - n) * sizeof(*gdt));
	loaded_ents[cpu] = n;
}

/* Drop v's descriptor frames (at set_gdt, and when v is destroyed). */
void
gdt_release(struct vcpu *v)
{
	unsigned int i, frames = (v->gdt_ents + DESC_PER_FRAME - 1) /
	    DESC_PER_FRAME;

	for (i = 0; i < frames; i++)
		mm_put_page_and_type(&v->domain->mm, v->gdt_frames[i]);
	v->gdt_ents = 0;
}

/*
 * v's GDT: frames[nr] of entries descriptors, with d's lock held (the
 * context a VCPUOP_initialise gives names one too).  0 or -XM_EINVAL.
 */
long
gdt_set_locked(struct vcpu *v, const uint64_t *frames, unsigned int entries)
{
	struct domain *d = v->domain;
	unsigned int i, nr = (entries + DESC_PER_FRAME - 1) / DESC_PER_FRAME;
	uint64_t bad;

	if (entries > GDT_FIRST_HV_ENTRY)
		return -XM_EINVAL;
	for (i = 0; i < nr; i++)
		if (mm_get_page_and_type(&d->mm, frames[i],
		    MM_PGT_SEG_DESC) != 0)
			break;
	if (i < nr) {
		bad = frames[i];
		while (i-- > 0)
			mm_put_page_and_type(&d->mm, frames[i]);
		domain_log_refusal(d, "set_gdt refused: frame %#lx is not its "
		    "own, or cannot hold descriptors", bad);
		return -XM_EINVAL;
	}
	gdt_release(v);
	for (i = 0; i < nr; i++)
		v->gdt_frames[i] = frames[i];
	v->gdt_ents = entries;
	return 0;
}

long
gdt_set(struct vcpu *v, const uint64_t *frames, unsigned int entries)
{
	long rc;

	spin_lock(&v->domain->lock);
	rc = gdt_set_locked(v, frames, entries);
	spin_unlock(&v->domain->lock);
	return rc;
}

long
do_set_gdt(uint64_t frame_list, uint64_t entries)
{
	struct vcpu *v = current_vcpu();
	uint64_t frames[GDT_FIRST_HV_ENTRY / DESC_PER_FRAME];
	unsigned int nr;
	long rc;

	if (entries > GDT_FIRST_HV_ENTRY)
		return -XM_EINVAL;
	nr = ((unsigned int)entries + DESC_PER_FRAME - 1) / DESC_PER_FRAME;
	if (nr > 0 && copy_from_guest(frames, frame_list,
	    nr * sizeof(frames[0])) != 0)
		return -XM_EFAULT;
	if ((rc = gdt_set(v, frames, (unsigned int)entries)) == 0)
		gdt_load(v);
	return rc;
}

static bool
gdt_uses(const struct vcpu *v, uint64_t mfn)
{
	unsigned int i;

	for (i = 0; i * DESC_PER_FRAME < v->gdt_ents; i++)
		if (v->gdt_frames[i] == mfn)
			return true;
	return false;
}

/*
 * The other vCPUs of d whose GDT or LDT holds mfn, with d's lock held:
 * each is marked to copy its tables again before it next runs guest
 * code (desc_refresh); the CPUs they are loaded on, to be interrupted.
 * On Xen the CPU reads the frame itself, so they see the change at once.
 */
static uint64_t
desc_mark_others(struct domain *d, const struct vcpu *self, uint64_t mfn)
{
	uint64_t cpus = 0;
	struct vcpu *w;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		w = d->vcpus[i];
		if (w == NULL || w == self || (!gdt_uses(w, mfn) &&
		    !ldt_uses(w, mfn)))
			continue;
		__atomic_store_n(&w->desc_stale, true, __ATOMIC_SEQ_CST);
		cpus |= __atomic_load_n(&w->dirty_cpus, __ATOMIC_SEQ_CST);
	}
	return cpus;
}

/* On the way back to v's guest code: its tables changed meanwhile. */
void
desc_refresh(struct vcpu *v)
{
	__atomic_store_n(&v->desc_stale, false, __ATOMIC_SEQ_CST);
	gdt_load(v);
	ldt_load(v);
}

long
do_update_descriptor(uint64_t maddr, uint64_t desc)
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;
	uint64_t mfn = maddr >> 12, *slot, others = 0;
	const struct page_info *pg;
	enum mm_pgt type;

	if ((maddr & 7) != 0 || !desc_check(&desc))
		return -XM_EINVAL;
	spin_lock(&d->lock);
	pg = mm_page_info(mfn);
	type = pg != NULL && pg->type == MM_PGT_SEG_DESC ? MM_PGT_SEG_DESC :
	    MM_PGT_WRITABLE;
	if (mm_get_page_and_type(&d->mm, mfn, type) != 0) {
		spin_unlock(&d->lock);
		return -XM_EINVAL;
	}
	slot = (uint64_t *)mm_map_frame(mfn) + (maddr & 0xfff) / 8;
	__atomic_store_n(slot, desc, __ATOMIC_RELEASE);
	logdirty_mark(d, mfn);
	if (type == MM_PGT_SEG_DESC)
		others = desc_mark_others(d, v, mfn);
	mm_put_page_and_type(&d->mm, mfn);
	spin_unlock(&d->lock);
	if (others != 0)	/* they take it on their way back */
		flush_cpus(others, FLUSH_ALL);
	if (type == MM_PGT_SEG_DESC && v->gdt_ents > 0)
		gdt_load(v);		/* it may be one of v's */
	if (type == MM_PGT_SEG_DESC && ldt_uses(v, mfn))
		ldt_load(v);
	return 0;
}

/*
 * Load a data selector as Xen does for a PV vCPU: one that faults (its
 * descriptor gone or changed) loads null instead.  Loading fs or gs
 * sets that base too: the caller writes the bases afterwards, and for
 * gs keeps hv's own base (MSR_GS_BASE) around the load.
 */
#define SEG_LOADER(seg)							\
static uint16_t								\
load_##seg(uint16_t sel)						\
{									\
	uint8_t ok = 0;							\
									\
	__asm__ volatile("1:	mov %k1, %%" #seg "\n"			\
	    "	movb $1, %0\n"						\
	    "2:\n"							\
	    "	.pushsection .ex_table, \"a\"\n"			\
	    "	.balign 8\n"						\
	    "	.quad 1b, 2b\n"					\
	    "	.popsection\n"						\
	    : "+m"(ok) : "r"((uint32_t)sel) : "memory");		\
	if (ok)								\
		return sel;						\
	__asm__ volatile("mov %k0, %%" #seg : : "r"(0));		\
	return 0;							\
}
SEG_LOADER(ds)
SEG_LOADER(es)
SEG_LOADER(fs)
SEG_LOADER(gs)

void
seg_save(struct vcpu *v)
{
	__asm__ volatile("mov %%ds, %0" : "=r"(v->sel[SEG_DS]));
	__asm__ volatile("mov %%es, %0" : "=r"(v->sel[SEG_ES]));
	__asm__ volatile("mov %%fs, %0" : "=r"(v->sel[SEG_FS]));
	__asm__ volatile("mov %%gs, %0" : "=r"(v->sel[SEG_GS]));
}

/* Interrupts off: hv's GS base is out of MSR_GS_BASE for a moment. */
static uint16_t
load_gs_keep_hv(uint16_t sel, uint64_t *base)
{
	uint64_t hv_gs = rdmsr(MSR_GS_BASE);

	sel = load_gs(sel);
	*base = rdmsr(MSR_GS_BASE);
	wrmsr(MSR_GS_BASE, hv_gs);
	return sel;
}

/* Before the vCPU's FS and GS bases are written (context.c). */
void
seg_load(struct vcpu *v)
{
	uint16_t had[4];
	uint64_t base;

	kmemcpy(had, v->sel, sizeof(had));
	v->sel[SEG_DS] = load_ds(v->sel[SEG_DS]);
	v->sel[SEG_ES] = load_es(v->sel[SEG_ES]);
	v->sel[SEG_FS] = load_fs(v->sel[SEG_FS]);
	v->sel[SEG_GS] = load_gs_keep_hv(v->sel[SEG_GS], &base);
	if (kmemcmp(had, v->sel, sizeof(had)) != 0) {
		/* For its failsafe callback (hv/x86/bounce.c). */
		kmemcpy(v->seg_lost_sel, had, sizeof(had));
		v->seg_lost = true;
	}
}

/*
 * SEGBASE_GS_USER_SEL: the user's %gs, as Xen loads it: RPL 3 for a
 * selector that is not null, null for one that faults (Linux BUG()s if
 * the call fails, so it does not), and the user's GS base becomes the
 * descriptor's.
 */
long
seg_load_user_gs(struct vcpu *v, uint16_t sel)
{
	uint64_t base, flags;

	if (sel > 3)
		sel |= 3;
	flags = irq_save();
	v->sel[SEG_GS] = load_gs_keep_hv(sel, &base);
	if (v->in_kernel)
		v->gs_base_user = base;
	else
		wrmsr(MSR_KERNEL_GS_BASE, base);
	irq_restore(flags);
	return 0;
}
