/*
 * Grant mappings: map_grant_ref and unmap_grant_ref with
 * GNTMAP_host_map, the maptrack table whose indices are the handles,
 * and what happens to mappings when either side dies.
 *
 * A mapping pins the grant (grant_table.c) and so holds the references
 * on the granted frame; the L1 entry hv writes for it is marked
 * MM_PTE_GNTTAB and holds none (mm.h, "Grant mappings").  The entry
 * is as Xen writes it (xen/arch/x86/pv/grant_table.c): present,
 * accessed, dirty, NX, writable unless GNTMAP_readonly, user only with
 * GNTMAP_application_map, the GNTMAP_guest_avail bits in bits 9-11.
 * host_addr is a linear address in the caller's current page tables,
 * or with GNTMAP_contains_pte the machine address of the L1 entry.
 * Device mappings (GNTMAP_device_map alone) are not offered: PV
 * guests without an IOMMU use the bus address a host mapping returns.
 */
#include <stddef.h>
#include <stdint.h>

#include <xm/grant_table.h>
#include <xm/hypercall.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/grant_table.h>
#include <hv/heap.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/spinlock.h>

#include "grant_internal.h"

#define MAP_FLAGS_KEPT	0xffffU		/* GNTMAP_* bits a mapping keeps */

/*
 * The maptrack: chunks of entries added as needed, free entries on a
 * list.  Called with the owner's lock held.
 */

static struct gnt_map *
maptrack_entry(struct grant_table *gt, uint32_t handle)
{
	return &gt->maptrack[handle / MAPTRACK_PER_CHUNK]
	    [handle % MAPTRACK_PER_CHUNK];
}

static int
maptrack_grow(struct grant_table *gt)
{
	uint32_t chunk = gt->maptrack_limit / MAPTRACK_PER_CHUNK, i;
	struct gnt_map *m;

	if (chunk >= MAPTRACK_CHUNKS)
		return -XM_ENOSPC;
	m = hv_alloc(MAPTRACK_PER_CHUNK * sizeof(*m));
	if (m == NULL)
		return -XM_ENOMEM;
	gt->maptrack[chunk] = m;
	for (i = 0; i < MAPTRACK_PER_CHUNK; i++)
		m[i].next_free = i + 1 < MAPTRACK_PER_CHUNK ?
		    gt->maptrack_limit + i + 1 : gt->maptrack_free;
	gt->maptrack_free = gt->maptrack_limit;
	gt->maptrack_limit += MAPTRACK_PER_CHUNK;
	return 0;
}

static uint32_t
maptrack_get(struct grant_table *gt)
{
	uint32_t handle;

	if (gt->maptrack_free == MAPTRACK_NIL && maptrack_grow(gt) != 0)
		return MAPTRACK_NIL;
	handle = gt->maptrack_free;
	gt->maptrack_free = maptrack_entry(gt, handle)->next_free;
	return handle;
}

static void
maptrack_put(struct grant_table *gt, uint32_t handle)
{
	struct gnt_map *m = maptrack_entry(gt, handle);

	m->flags = 0;
	m->next_free = gt->maptrack_free;
	gt->maptrack_free = handle;
}

/* The mapping behind a handle, NULL for a bad one. */
static struct gnt_map *
maptrack_find(struct grant_table *gt, uint32_t handle)
{
	struct gnt_map *m;

	if (handle >= gt->maptrack_limit)
		return NULL;
	m = maptrack_entry(gt, handle);
	return m->flags != 0 ? m : NULL;
}

void
gnt_maptrack_free(struct grant_table *gt)
{
	uint32_t i;

	for (i = 0; i < MAPTRACK_CHUNKS; i++) {
		hv_free(gt->maptrack[i]);
		gt->maptrack[i] = NULL;
	}
	gt->maptrack_limit = 0;
	gt->maptrack_free = MAPTRACK_NIL;
}

/*
 * The L1 entry.
 */

static uint64_t
current_l4(const struct vcpu *v)
{
	return v->in_kernel || v->user_l4 == 0 ? v->kernel_l4 : v->user_l4;
}

/* Where host_addr's entry is in d's tables; d is the current domain. */
static int
host_slot(struct domain *d, uint64_t addr, uint32_t flags, uint64_t *l1,
    unsigned int *slot)
{
	if (flags & XM_GNTMAP_CONTAINS_PTE) {
		if ((addr & 7) != 0)
			return -XM_EINVAL;
		*l1 = addr >> 12;
		*slot = (unsigned int)(addr & 0xfff) >> 3;
		return 0;
	}
	return mm_walk_to_l1(&d->mm, current_l4(current_vcpu()), addr, l1,
	    slot);
}

static uint64_t
grant_pte(uint64_t mfn, uint32_t flags)
{
	uint64_t e = (mfn << 12) | MM_PTE_P | MM_PTE_A | MM_PTE_D |
	    MM_PTE_GNTTAB | MM_PTE_NX;

	if (!(flags & XM_GNTMAP_READONLY))
		e |= MM_PTE_RW;
	if (flags & XM_GNTMAP_APPLICATION_MAP)
		e |= MM_PTE_US;
	return e | (((uint64_t)flags >> XM_GNTMAP_GUEST_AVAIL0 << 9) &
	    MM_PTE_AVAIL);
}

/*
 * map_grant_ref
 */

static int16_t
map_install(struct domain *ld, struct xm_gnttab_map_grant_ref *op,
    uint64_t mfn, struct gnt_map *m)
{
	uint64_t l1;
	unsigned int slot;
	int rc;

	rc = host_slot(ld, op->host_addr, op->flags, &l1, &slot);
	if (rc == 0)
		rc = mm_l1_grant_install(&ld->mm, l1, slot,
		    grant_pte(mfn, op->flags));
	if (rc != 0) {
		domain_log_refusal(ld, "grant map of d%u ref %u at %#lx: no "
		    "usable L1 entry there (%d)", op->dom, op->ref,
		    op->host_addr, rc);
		return XM_GNTST_GENERAL_ERROR;
	}
	m->l1_mfn = l1;
	m->slot = slot;
	return XM_GNTST_OKAY;
}

/* Both domains locked. */
static int16_t
map_locked(struct domain *ld, struct domain *rd,
    struct xm_gnttab_map_grant_ref *op)
{
	bool ro = (op->flags & XM_GNTMAP_READONLY) != 0;
	struct grant_table *lgt = ld->gnttab;
	struct gnt_map *m;
	uint32_t handle;
	uint64_t mfn;
	int16_t st;

	if (!gnt_usable(rd) || !gnt_usable(ld))
		return XM_GNTST_BAD_DOMAIN;
	handle = maptrack_get(lgt);
	if (handle == MAPTRACK_NIL) {
		domain_log_refusal(ld, "grant map: all %u handles in use",
		    GNTTAB_MAPTRACK_MAX);
		return XM_GNTST_NO_DEVICE_SPACE;
	}
	m = maptrack_entry(lgt, handle);
	st = gnt_acquire(ld, rd, op->ref, ro, true, &mfn);
	if (st == XM_GNTST_OKAY) {
		st = map_install(ld, op, mfn, m);
		if (st != XM_GNTST_OKAY)
			gnt_release(rd, op->ref, ro);
	}
	if (st != XM_GNTST_OKAY) {
		maptrack_put(lgt, handle);
		return st;
	}
	m->ref = op->ref;
	m->dom = rd->id;
	m->mfn = mfn;
	m->flags = (uint16_t)(op->flags & MAP_FLAGS_KEPT);
	op->handle = handle;
	op->dev_bus_addr = mfn << 12;
	return XM_GNTST_OKAY;
}

int16_t
gnt_map_one(struct domain *ld, struct xm_gnttab_map_grant_ref *op)
{
	struct domain *rd;

	op->status = XM_GNTST_OKAY;
	if (!(op->flags & XM_GNTMAP_HOST_MAP))
		op->status = op->flags & XM_GNTMAP_DEVICE_MAP ?
		    XM_GNTST_GENERAL_ERROR : XM_GNTST_BAD_GNTREF;
	else if (op->flags & XM_GNTMAP_DEVICE_MAP)
		op->status = XM_GNTST_GENERAL_ERROR;
	if (op->status != XM_GNTST_OKAY) {
		domain_log_refusal(ld, "grant map: flags %#x not supported",
		    op->flags);
		return op->status;
	}
	rd = domain_get(op->dom);
	if (rd == NULL) {
		domain_log_refusal(ld, "grant map: no domain %u", op->dom);
		return op->status = XM_GNTST_BAD_DOMAIN;
	}
	gnt_lock2(ld, rd);
	op->status = map_locked(ld, rd, op);
	gnt_unlock2(ld, rd);
	return op->status;
}

/*
 * unmap_grant_ref.  As in Xen, a host_addr of 0 leaves the mapping in
 * place, and the entry at host_addr must be the mapping's.
 */

static int16_t
unmap_locked(struct domain *ld, struct domain *rd,
    struct xm_gnttab_unmap_grant_ref *op, struct gnt_map *m)
{
	bool ro = (m->flags & XM_GNTMAP_READONLY) != 0;
	uint64_t l1;
	unsigned int slot;
	int rc;

	if (op->dev_bus_addr != 0 && op->dev_bus_addr != m->mfn << 12) {
		domain_log_refusal(ld, "grant unmap of handle %u: bus address "
		    "%#lx is not the grant's", op->handle, op->dev_bus_addr);
		return XM_GNTST_GENERAL_ERROR;
	}
	if (op->host_addr == 0)
		return XM_GNTST_OKAY;
	rc = host_slot(ld, op->host_addr, m->flags, &l1, &slot);
	if (rc == 0)
		rc = mm_l1_grant_remove(&ld->mm, l1, slot, m->mfn, !ro);
	if (rc != 0) {
		domain_log_refusal(ld, "grant unmap of handle %u: %#lx does "
		    "not map d%u ref %u", op->handle, op->host_addr, m->dom,
		    m->ref);
		return XM_GNTST_GENERAL_ERROR;
	}
	/* No translation may outlive the references. */
	mm_tlb_flush_domain(&ld->mm);
	gnt_release(rd, m->ref, ro);
	maptrack_put(ld->gnttab, op->handle);
	return XM_GNTST_OKAY;
}

int16_t
gnt_unmap_one(struct domain *ld, struct xm_gnttab_unmap_grant_ref *op)
{
	struct gnt_map *m;
	struct domain *rd;
	uint16_t dom;

	spin_lock(&ld->lock);
	m = gnt_usable(ld) ? maptrack_find(ld->gnttab, op->handle) : NULL;
	dom = m != NULL ? m->dom : 0;
	spin_unlock(&ld->lock);
	rd = m != NULL ? domain_get(dom) : NULL;
	if (rd == NULL) {
		domain_log_refusal(ld, "grant unmap: bad handle %u",
		    op->handle);
		return op->status = XM_GNTST_BAD_HANDLE;
	}
	gnt_lock2(ld, rd);
	/* Revoked meanwhile, or unmapped by another vCPU? */
	m = gnt_usable(ld) ? maptrack_find(ld->gnttab, op->handle) : NULL;
	if (m == NULL || m->dom != dom || !gnt_usable(rd))
		op->status = XM_GNTST_BAD_HANDLE;
	else
		op->status = unmap_locked(ld, rd, op, m);
	gnt_unlock2(ld, rd);
	return op->status;
}

/*
 * Death, under gnt_domains_lock (grant_table.c).  A dying domain's
 * vCPUs have stopped: its own mappings are released without touching
 * its page tables (once its TLBs are flushed); mappings others hold of
 * its grants are taken out of their page tables first.
 */

static void
release_one(struct domain *d, uint32_t handle)
{
	struct gnt_map *m = maptrack_entry(d->gnttab, handle);
	struct domain *rd = gnt_domain(m->dom);

	/* A granter revokes what others map before it goes. */
	if (rd == NULL || rd->gnttab == NULL) {
		log_err("d%u: grant handle %u maps a grant of d%u, which is "
		    "gone", d->id, handle, m->dom);
		maptrack_put(d->gnttab, handle);
		return;
	}
	gnt_lock2(d, rd);
	if (m->flags != 0) {
		gnt_release(rd, m->ref, (m->flags & XM_GNTMAP_READONLY) != 0);
		maptrack_put(d->gnttab, handle);
	}
	gnt_unlock2(d, rd);
}

void
gnt_release_mappings(struct domain *d)
{
	struct grant_table *gt = d->gnttab;
	uint32_t h;

	spin_lock(&d->lock);
	mm_tlb_flush_domain(&d->mm);
	spin_unlock(&d->lock);
	for (h = 0; h < gt->maptrack_limit; h++)
		if (maptrack_entry(gt, h)->flags != 0)
			release_one(d, h);
}

/* m's mappings of d's grants; both locked. */
static unsigned int
revoke_from(struct domain *m, struct domain *d)
{
	struct grant_table *mgt = m->gnttab;
	struct gnt_map *e;
	unsigned int n = 0;
	uint32_t h;
	bool ro;

	for (h = 0; mgt != NULL && h < mgt->maptrack_limit; h++) {
		e = maptrack_entry(mgt, h);
		if (e->flags == 0 || e->dom != d->id)
			continue;
		ro = (e->flags & XM_GNTMAP_READONLY) != 0;
		/* Gone already if the guest tore down that table. */
		(void)mm_l1_grant_remove(&m->mm, e->l1_mfn, e->slot, e->mfn,
		    !ro);
		mm_tlb_flush_domain(&m->mm);
		gnt_release(d, e->ref, ro);
		maptrack_put(mgt, h);
		n++;
	}
	return n;
}

void
gnt_revoke_mappings_of(struct domain *d)
{
	struct domain *m;
	unsigned int i, n;

	for (i = 0; i < HV_MAX_DOMAINS; i++) {
		m = gnt_domain((uint16_t)i);
		if (m == NULL || m == d)
			continue;
		gnt_lock2(m, d);
		n = revoke_from(m, d);
		gnt_unlock2(m, d);
		if (n != 0)
			log_warn("d%u: %u mappings of its grants revoked from "
			    "d%u", d->id, n, m->id);
	}
}
