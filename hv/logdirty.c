/*
 * Log-dirty mode on shadow page tables (hv/include/hv/logdirty.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/flush.h>
#include <hv/guest_access.h>
#include <hv/heap.h>
#include <hv/layout.h>
#include <hv/logdirty.h>
#include <hv/mm.h>
#include <hv/x86.h>

#include "mm/mm_internal.h"

#define PF_W		0x02
#define PF_RSVD		0x08
#define PF_I		0x10
#define BITS		64

static struct domain *
mm_dom(struct mm_domain *mm)
{
	return (struct domain *)((char *)mm - offsetof(struct domain, mm));
}

static bool
ld_on(const struct logdirty *ld)
{
	return __atomic_load_n(&ld->on, __ATOMIC_ACQUIRE);
}

static uint64_t *
frame(uint64_t mfn)
{
	return mm_map_frame(mfn);
}

static uint64_t
shadow_of(uint64_t mfn)
{
	return __atomic_load_n(&mfn_page(mfn)->shadow, __ATOMIC_ACQUIRE);
}

static bool
pfn_dirty(const struct logdirty *ld, uint64_t pfn)
{
	return (__atomic_load_n(&ld->bitmap[pfn / BITS], __ATOMIC_RELAXED) >>
	    (pfn % BITS)) & 1;
}

/* ld->lock held, or the caller otherwise excludes disable. */
static void
mark_mfn(struct logdirty *ld, uint64_t mfn)
{
	uint64_t pfn = mm_m2p_get(mfn), bit, old;

	if (pfn >= ld->nr_pfns)
		return;
	bit = UINT64_C(1) << (pfn % BITS);
	old = __atomic_fetch_or(&ld->bitmap[pfn / BITS], bit,
	    __ATOMIC_RELAXED);
	if (!(old & bit))
		ld->pages++;
}

/* What the shadow of guest L1 entry ge says. */
static uint64_t
shadow_l1e(const struct logdirty *ld, uint64_t ge)
{
	uint64_t pfn;

	if (pte_is_grant(1, ge))
		return ge | MM_PTE_A;	/* hv's entry, another's frame */
	if (!(ge & MM_PTE_P) || !(ge & MM_PTE_A))
		return 0;
	if (!(ge & MM_PTE_RW))
		return ge;
	pfn = mm_m2p_get(MM_PTE_MFN(ge));
	if (pfn >= ld->nr_pfns || ((ge & MM_PTE_D) && pfn_dirty(ld, pfn)))
		return ge;
	return ge & ~MM_PTE_RW;
}

/* The shadow of d's validated Ln table gmfn, made if need be; 0: none. */
static uint64_t
shadow_make(struct domain *d, uint64_t gmfn, unsigned int level)
{
	struct logdirty *ld = &d->ld;
	struct page_info *pg = mfn_page(gmfn);
	const uint64_t *g = frame(gmfn);
	uint64_t *s;
	int64_t mfn;
	unsigned int i;

	if (pg->shadow != 0)
		return pg->shadow;
	if ((mfn = mm_alloc_frames(0)) < 0) {
		if (!ld->failed)
			log_warn("d%u: log-dirty: no memory for a shadow "
			    "table", d->id);
		ld->failed = true;
		return 0;
	}
	s = frame((uint64_t)mfn);
	kmemset(s, 0, PAGE_SIZE);
	if (level == 1)
		for (i = 0; i < MM_PT_ENTRIES; i++)
			s[i] = shadow_l1e(ld, pte_read(&g[i]));
	if (level == 4)
		mm_fill_hv_l4_slots(s, (uint64_t)mfn);
	ld->shadows++;
	__atomic_store_n(&pg->shadow, (uint32_t)mfn, __ATOMIC_RELEASE);
	return (uint64_t)mfn;
}

/* To the heap only after the next flush of d's TLBs. */
static void
shadow_retire(struct logdirty *ld, struct page_info *pg)
{
	uint32_t s = pg->shadow;

	if (s == 0)
		return;
	__atomic_store_n(&pg->shadow, 0, __ATOMIC_RELEASE);
	mfn_page(s)->next = ld->zombies;
	ld->zombies = s;
	ld->shadows--;
}

/* d's TLBs have been flushed since the zombies were retired. */
static void
zombies_free(struct logdirty *ld)
{
	uint32_t s;

	while ((s = ld->zombies) != MM_NIL) {
		ld->zombies = mfn_page(s)->next;
		mfn_page(s)->next = MM_NIL;
		mm_free_frames(s, 0);
	}
}

void
logdirty_init(struct domain *d)
{
	kmemset(&d->ld, 0, sizeof(d->ld));
	spin_lock_init(&d->ld.lock);
	d->ld.zombies = MM_NIL;
}

uint64_t
logdirty_cr3(struct domain *d, uint64_t l4_mfn)
{
	struct logdirty *ld = &d->ld;
	uint64_t s;

	if (!ld_on(ld))
		return l4_mfn;
	if ((s = shadow_of(l4_mfn)) != 0)
		return s;
	spin_lock(&ld->lock);
	s = ld->on ? shadow_make(d, l4_mfn, 4) : 0;
	spin_unlock(&ld->lock);
	return s != 0 ? s : l4_mfn;
}

uint64_t
logdirty_cr3_lookup(struct domain *d, uint64_t l4_mfn)
{
	if (!ld_on(&d->ld))
		return l4_mfn;
	return shadow_of(l4_mfn);
}

/*
 * The walk of a fault at va through the guest's tables from l4 and its
 * shadows beside them: -1 if the guest's own entries refuse the access
 * (the fault is the guest's), 1 if the shadow was filled or the guest's
 * A/D set, 0 if there was nothing to do (a stale TLB entry).
 */
static int
fault_walk(struct domain *d, uint64_t l4, uint64_t va, uint32_t err)
{
	struct logdirty *ld = &d->ld;
	bool write = err & PF_W, fetch = err & PF_I;
	uint64_t g = l4, s = shadow_of(l4), ge = 0, want, need, child, cs;
	uint64_t *gp = NULL, *sp = NULL;
	const struct page_info *cpg;
	unsigned int level, slot;
	int changed = 0;

	if (s == 0)
		return -1;
	for (level = 4; level >= 1; level--) {
		slot = (unsigned int)(va >> (12 + 9 * (level - 1))) & 511;
		if (!slot_is_guest(level, slot))
			return -1;
		gp = &frame(g)[slot];
		sp = &frame(s)[slot];
		ge = pte_read(gp);
		if (!(ge & MM_PTE_P) || (write && !(ge & MM_PTE_RW)) ||
		    (fetch && (ge & MM_PTE_NX)))
			return -1;
		if (level == 1)
			break;
		child = MM_PTE_MFN(ge);
		if (!mm_mfn_valid(child))
			return -1;
		cpg = mfn_page(child);
		if (page_owner(cpg) != d->id || cpg->type != level - 1 ||
		    !(cpg->flags & PGF_VALIDATED) || cpg->type_count == 0)
			return -1;
		if ((cs = shadow_make(d, child, level - 1)) == 0)
			return -1;
		want = (ge & ~MM_PTE_ADDR) | (cs << 12);
		if (pte_read(sp) != want) {
			pte_write(sp, want);
			changed = 1;
		}
		g = child;
		s = cs;
	}
	need = MM_PTE_A | (write ? MM_PTE_D : 0);
	if (!pte_is_grant(1, ge)) {
		if ((ge & need) != need) {
			/* As the CPU sets them; a racing update wins. */
			if (!__atomic_compare_exchange_n(gp, &ge, ge | need,
			    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
				return 1;
			ge |= need;
			mark_mfn(ld, g);
			changed = 1;
		}
		if (write)
			mark_mfn(ld, MM_PTE_MFN(ge));
	}
	want = shadow_l1e(ld, ge);
	if ((pte_read(sp) ^ want) & ~(MM_PTE_A | MM_PTE_D)) {
		pte_write(sp, want);
		changed = 1;
	}
	return changed;
}

static bool
va_is_guest(uint64_t va)
{
	return va < UINT64_C(0x0000800000000000) ||
	    (va >= UINT64_C(0xffff800000000000) &&
	    !(MM_L4_SLOT(va) >= MM_HV_L4_FIRST &&
	    MM_L4_SLOT(va) < MM_HV_L4_END));
}

bool
logdirty_fault(struct vcpu *v, uint64_t va, uint32_t err)
{
	struct domain *d = v->domain;
	struct logdirty *ld = &d->ld;
	uint64_t l4;
	int rc = -1;

	if (!ld_on(ld) || (err & PF_RSVD) || !va_is_guest(va))
		return false;
	l4 = v->in_kernel || v->user_l4 == 0 ? v->kernel_l4 : v->user_l4;
	spin_lock(&ld->lock);
	if (!ld->on)
		rc = 1;		/* turned off meanwhile: CR3 is the guest's */
	else if (l4 != 0)
		rc = fault_walk(d, l4, va, err);
	if (rc > 0)
		ld->faults++;
	spin_unlock(&ld->lock);
	if (rc < 0)
		return false;
	if (rc == 0) {
		/* Twice at the same place with nothing to do: the guest's. */
		if (v->ld_last_va == (va | 1)) {
			v->ld_last_va = 0;
			return false;
		}
		v->ld_last_va = va | 1;
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
		return true;
	}
	v->ld_last_va = 0;
	return true;
}

void
logdirty_mark(struct domain *d, uint64_t mfn)
{
	struct logdirty *ld = &d->ld;

	if (!ld_on(ld))
		return;
	spin_lock(&ld->lock);
	if (ld->on)
		mark_mfn(ld, mfn);
	spin_unlock(&ld->lock);
}

/* mm's hooks (hv/include/hv/mm.h).  d->lock held. */
void
mm_shadow_entry_changed(struct mm_domain *mm, uint64_t gmfn,
    unsigned int slot)
{
	struct domain *d = mm_dom(mm);
	struct logdirty *ld = &d->ld;
	const struct page_info *pg = mfn_page(gmfn);
	uint64_t s;

	if (!ld_on(ld))
		return;
	spin_lock(&ld->lock);
	if (ld->on) {
		mark_mfn(ld, gmfn);
		if ((s = pg->shadow) != 0)
			pte_write(&frame(s)[slot], pg->type == MM_PGT_L1 ?
			    shadow_l1e(ld, pte_read(&frame(gmfn)[slot])) : 0);
	}
	spin_unlock(&ld->lock);
}

void
mm_shadow_table_gone(struct mm_domain *mm, uint64_t gmfn)
{
	struct domain *d = mm_dom(mm);
	struct logdirty *ld = &d->ld;

	/*
	 * Under the lock even when there seems to be no shadow: the fault
	 * path may be making one, having seen the table still validated.
	 */
	if (!ld_on(ld))
		return;
	spin_lock(&ld->lock);
	shadow_retire(ld, mfn_page(gmfn));
	spin_unlock(&ld->lock);
}

void
mm_mark_dirty(struct mm_domain *mm, uint64_t mfn)
{
	logdirty_mark(mm_dom(mm), mfn);
}

/* Every shadow of d's, and the bitmap: d->lock and ld->lock held. */
static void
shadows_free_all(struct domain *d)
{
	struct logdirty *ld = &d->ld;
	uint32_t m;

	for (m = d->mm.head; m != MM_NIL; m = mfn_page(m)->next)
		shadow_retire(ld, mfn_page(m));
	zombies_free(ld);
	if (ld->bitmap != NULL)
		hv_free_pages(ld->bitmap, ld->bitmap_order);
	ld->bitmap = NULL;
	ld->nr_pfns = ld->pages = 0;
}

static long
ld_enable(struct domain *d, uint64_t nr_pfns)
{
	struct logdirty *ld = &d->ld;
	uint64_t frames = (nr_pfns + PAGE_SIZE * 8 - 1) / (PAGE_SIZE * 8);
	unsigned int order = 0, i;
	struct vcpu *v;

	if (nr_pfns == 0 || nr_pfns > XM_LOG_DIRTY_MAX_PFNS)
		return -XM_EINVAL;
	if (ld->on)
		return -XM_EBUSY;
	while ((UINT64_C(1) << order) < frames)
		order++;
	if ((ld->bitmap = hv_alloc_pages(order)) == NULL)
		return -XM_ENOMEM;
	ld->bitmap_order = order;
	ld->nr_pfns = nr_pfns;
	ld->pages = 0;
	ld->failed = false;
	__atomic_store_n(&ld->on, true, __ATOMIC_RELEASE);
	/* The tables vCPUs run on now, for the flush to switch them to. */
	for (i = 0; i < d->max_vcpus; i++) {
		if ((v = d->vcpus[i]) == NULL)
			continue;
		if (v->kernel_l4 != 0)
			shadow_make(d, v->kernel_l4, 4);
		if (v->user_l4 != 0)
			shadow_make(d, v->user_l4, 4);
	}
	flush_domain(d);
	log_info("d%u: log-dirty on, %lu pfns", d->id, nr_pfns);
	return 0;
}

static long
ld_disable(struct domain *d)
{
	struct logdirty *ld = &d->ld;

	if (!ld->on)
		return -XM_ENOENT;
	__atomic_store_n(&ld->on, false, __ATOMIC_RELEASE);
	flush_domain(d);	/* every CPU back on the guest's tables */
	log_info("d%u: log-dirty off (%lu faults served, %lu shadows)",
	    d->id, ld->faults, ld->shadows);
	shadows_free_all(d);
	ld->faults = 0;
	return 0;
}

/* Take write access away for the pfns in [start, end) of every shadow. */
static void
rearm(struct domain *d, uint64_t start, uint64_t end)
{
	const struct page_info *pg;
	uint64_t *s, e, pfn;
	uint32_t m;
	unsigned int i;

	for (m = d->mm.head; m != MM_NIL; m = pg->next) {
		pg = mfn_page(m);
		if (pg->shadow == 0 || pg->type != MM_PGT_L1)
			continue;
		s = frame(pg->shadow);
		for (i = 0; i < MM_PT_ENTRIES; i++) {
			e = pte_read(&s[i]);
			if ((e & (MM_PTE_P | MM_PTE_RW)) !=
			    (MM_PTE_P | MM_PTE_RW) || pte_is_grant(1, e))
				continue;
			pfn = mm_m2p_get(MM_PTE_MFN(e));
			if (pfn >= start && pfn < end)
				pte_write(&s[i], e & ~MM_PTE_RW);
		}
	}
}

static unsigned int
popcount(uint64_t w)
{
	unsigned int n = 0;

	for (; w != 0; w &= w - 1)	/* no libgcc in hv */
		n++;
	return n;
}

/* Bits [start, start + n * 64) to buf: ld->lock keeps them still. */
static long
bits_out(const struct logdirty *ld, uint64_t start, uint64_t n,
    uint64_t buf, uint64_t *dirty)
{
	uint64_t words[64], i, k, w;

	*dirty = 0;
	for (i = 0; i < n; i += k) {
		for (k = 0; k < 64 && i + k < n; k++) {
			w = start + (i + k) * BITS < ld->nr_pfns ?
			    ld->bitmap[start / BITS + i + k] : 0;
			words[k] = w;
			*dirty += popcount(w);
		}
		if (copy_to_guest(buf + i * sizeof(uint64_t), words,
		    k * sizeof(uint64_t)) != 0)
			return -XM_EFAULT;
	}
	return 0;
}

static long
ld_peek(struct domain *d, struct xm_domctl_log_dirty *op, bool clean)
{
	struct logdirty *ld = &d->ld;
	uint64_t start = op->start_pfn, n = op->count / BITS, i;
	unsigned int v;
	long rc;

	if (!ld->on)
		return -XM_ENOENT;
	if (ld->failed)
		return -XM_ENOMEM;
	if (op->count == 0 || op->count > XM_LOG_DIRTY_BATCH ||
	    op->count % BITS != 0 || start % BITS != 0 ||
	    start > XM_LOG_DIRTY_MAX_PFNS)
		return -XM_EINVAL;
	if (clean) {
		rearm(d, start, start + op->count);
		flush_domain(d);
		zombies_free(ld);
	}
	if ((rc = bits_out(ld, start, n, op->buf, &op->dirty)) != 0 || !clean)
		return rc;
	for (i = 0; i < n && start + i * BITS < ld->nr_pfns; i++)
		ld->bitmap[start / BITS + i] = 0;
	ld->pages -= op->dirty;
	/* hv writes a registered vcpu_info at any time. */
	for (v = 0; v < d->max_vcpus; v++)
		if (d->vcpus[v] != NULL && d->vcpus[v]->vcpu_info_mfn != 0)
			mark_mfn(ld, d->vcpus[v]->vcpu_info_mfn);
	return 0;
}

long
domctl_log_dirty(struct domctl_call *c)
{
	struct domain *d = c->target;
	struct xm_domctl_log_dirty *op = &c->op->u.log_dirty;
	long rc;

	spin_lock(&d->lock);
	spin_lock(&d->ld.lock);
	switch (op->op) {
	case XM_LOG_DIRTY_ENABLE:
		rc = ld_enable(d, op->nr_pfns);
		break;
	case XM_LOG_DIRTY_DISABLE:
		rc = ld_disable(d);
		break;
	case XM_LOG_DIRTY_PEEK:
	case XM_LOG_DIRTY_CLEAN:
		rc = ld_peek(d, op, op->op == XM_LOG_DIRTY_CLEAN);
		break;
	default:
		rc = -XM_EINVAL;
	}
	op->nr_pfns = d->ld.nr_pfns;
	op->pages = d->ld.pages;
	spin_unlock(&d->ld.lock);
	spin_unlock(&d->lock);
	return rc;
}

void
logdirty_destroy(struct domain *d)
{
	spin_lock(&d->lock);
	spin_lock(&d->ld.lock);
	if (d->ld.on)
		ld_disable(d);
	spin_unlock(&d->ld.lock);
	spin_unlock(&d->lock);
}
