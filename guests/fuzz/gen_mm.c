/*
 * Generators for the memory hypercalls: batches of page-table updates
 * aimed mostly at the sandbox's tables and the pool's first frames (so
 * that pins, mappings and type changes pile up on the same frames and
 * reach hv's deeper paths), some at its live tables and at frames that
 * are not its own; extended MMU operations; single mappings; and
 * reservations that give frames back and take new ones.
 */

#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/mm.h>

#include "fuzz.h"

#define BATCH_USUAL	8
#define BATCH_LONG	64

static uint64_t
batch_len(void)
{
	return 1 + rng_below(rng_one_in(4) ? BATCH_LONG : BATCH_USUAL);
}

/* A count near n: mostly n, now and then off by one or absurd. */
static uint64_t
count_near(uint64_t n)
{
	switch (rng_below(12)) {
	case 0:
		return n + 1;
	case 1:
		return n - 1;
	case 2:
		return gen_count(n);
	}
	return n;
}

static uint64_t
done_ptr(void)
{
	if (rng_one_in(4))
		return rng_one_in(2) ? 0 : gen_ptr();
	return arena_or_bad(arena_alloc(sizeof(uint32_t)));
}

static uint64_t
foreign_dom(void)
{
	return rng_one_in(8) ? gen_domid() : XM_DOMID_SELF;
}

/* The machine address of a page-table entry worth changing. */
static uint64_t
pte_maddr(void)
{
	uint64_t idx = rng_below(PT_ENTRIES) * 8;

	switch (rng_below(10)) {
	case 0:
	case 1:
	case 2:
	case 3:
		return sandbox_entry_maddr((unsigned int)rng_next());
	case 4:
		return (fz.sandbox_l2 << PAGE_SHIFT) | (rng_below(4) * 8);
	case 5:
		return live_table_maddr();
	case 6:
	case 7:
		return (pool_hot() << PAGE_SHIFT) | idx;
	}
	return (gen_mfn() << PAGE_SHIFT) | idx;
}

static void
mmu_entry(struct xm_mmu_update *u)
{
	switch (rng_below(16)) {
	case 0:
		u->ptr = (gen_mfn() << PAGE_SHIFT) | XM_MMU_MACHPHYS_UPDATE;
		u->val = rng_one_in(2) ? rng_below(mm_nr_pfns) : gen_value();
		return;
	case 1:
		u->ptr = pte_maddr() | XM_MMU_PT_UPDATE_PRESERVE_AD;
		break;
	case 2:
		u->ptr = pte_maddr() | (rng_one_in(2) ? 3 : 1 + rng_below(7));
		break;
	default:
		u->ptr = pte_maddr();
	}
	u->val = gen_pte();
	if (rng_one_in(4))
		u->val = (pool_hot() << PAGE_SHIFT) | PTE_TABLE;
}

void
gen_mmu_update(struct fz_call *c)
{
	uint64_t n = batch_len(), i;
	struct xm_mmu_update *u = arena_alloc(n * sizeof(*u));

	c->gen = "mmu_update";
	c->nr = XM_HYPERCALL_MMU_UPDATE;
	for (i = 0; u != NULL && i < n; i++)
		mmu_entry(&u[i]);
	c->a[0] = arena_or_bad(u);
	c->a[1] = count_near(n);
	c->a[2] = done_ptr();
	c->a[3] = foreign_dom();
}

static const uint64_t mmuext_cmds[] = {
	XM_MMUEXT_PIN_L1_TABLE, XM_MMUEXT_PIN_L1_TABLE,
	XM_MMUEXT_PIN_L2_TABLE, XM_MMUEXT_PIN_L3_TABLE,
	XM_MMUEXT_PIN_L4_TABLE, XM_MMUEXT_UNPIN_TABLE,
	XM_MMUEXT_UNPIN_TABLE, XM_MMUEXT_NEW_BASEPTR,
	XM_MMUEXT_TLB_FLUSH_LOCAL, XM_MMUEXT_INVLPG_LOCAL,
	XM_MMUEXT_TLB_FLUSH_MULTI, XM_MMUEXT_INVLPG_MULTI,
	XM_MMUEXT_TLB_FLUSH_ALL, XM_MMUEXT_INVLPG_ALL,
	XM_MMUEXT_FLUSH_CACHE, XM_MMUEXT_SET_LDT,
	XM_MMUEXT_NEW_USER_BASEPTR, XM_MMUEXT_CLEAR_PAGE,
	XM_MMUEXT_COPY_PAGE, XM_MMUEXT_FLUSH_CACHE_GLOBAL,
	XM_MMUEXT_MARK_SUPER, XM_MMUEXT_UNMARK_SUPER, 14, 21, 0xffffffff,
};

static uint64_t
table_frame(void)
{
	switch (rng_below(6)) {
	case 0:
	case 1:
	case 2:
		return pool_hot();
	case 3:
		return fz.l4_mfn;
	}
	return gen_mfn();
}

static void
mmuext_entry(struct xm_mmuext_op *op)
{
	op->cmd = (uint32_t)RNG_PICK(mmuext_cmds);
	op->pad = rng_one_in(16) ? (uint32_t)rng_next() : 0;
	op->arg1.mfn = table_frame();
	op->arg2.src_mfn = rng_one_in(2) ? table_frame() : gen_value();
	switch (op->cmd) {
	case XM_MMUEXT_INVLPG_LOCAL:
	case XM_MMUEXT_INVLPG_MULTI:
	case XM_MMUEXT_INVLPG_ALL:
		op->arg1.linear_addr = gen_va();
		break;
	case XM_MMUEXT_SET_LDT:
		op->arg1.linear_addr = rng_one_in(2) ? 0 : gen_va();
		op->arg2.nr_ents = (uint32_t)(rng_one_in(2) ? 0 : gen_small());
		break;
	}
	if (op->cmd == XM_MMUEXT_TLB_FLUSH_MULTI ||
	    op->cmd == XM_MMUEXT_INVLPG_MULTI)
		op->arg2.vcpumask = rng_one_in(2) ? gen_ptr() :
		    arena_or_bad(arena_alloc(8));
}

void
gen_mmuext_op(struct fz_call *c)
{
	uint64_t n = 1 + rng_below(rng_one_in(4) ? 32 : 4), i;
	struct xm_mmuext_op *op = arena_alloc(n * sizeof(*op));

	c->gen = "mmuext_op";
	c->nr = XM_HYPERCALL_MMUEXT_OP;
	for (i = 0; op != NULL && i < n; i++)
		mmuext_entry(&op[i]);
	c->a[0] = arena_or_bad(op);
	c->a[1] = count_near(n);
	c->a[2] = done_ptr();
	c->a[3] = foreign_dom();
}

static uint64_t
uvm_flags(void)
{
	static const uint64_t flags[] = { XM_UVMF_NONE, XM_UVMF_TLB_FLUSH,
	    XM_UVMF_INVLPG, XM_UVMF_TLB_FLUSH | XM_UVMF_ALL,
	    XM_UVMF_INVLPG | XM_UVMF_ALL, 3, 7 };

	if (rng_one_in(8))
		return gen_ptr() | (rng_next() & 3);
	return RNG_PICK(flags);
}

void
gen_update_va_mapping(struct fz_call *c)
{
	c->gen = "update_va_mapping";
	c->nr = XM_HYPERCALL_UPDATE_VA_MAPPING;
	c->a[0] = gen_va();
	c->a[1] = rng_one_in(3) ? (pool_hot() << PAGE_SHIFT) | PTE_KERNEL :
	    gen_pte();
	c->a[2] = uvm_flags();
	if (rng_one_in(8)) {
		c->nr = XM_HYPERCALL_UPDATE_VA_MAPPING_OTHERDOMAIN;
		c->a[3] = gen_domid();
	}
}

/* --- memory_op -------------------------------------------------------- */

static void
extents_fill(uint64_t cmd, uint64_t *list, uint64_t n)
{
	uint64_t i;

	for (i = 0; list != NULL && i < n; i++) {
		if (cmd == XM_XENMEM_DECREASE_RESERVATION)
			list[i] = rng_one_in(4) ? gen_mfn() : pool_any();
		else if (cmd == XM_XENMEM_POPULATE_PHYSMAP)
			list[i] = rng_one_in(4) ? gen_value() :
			    rng_below(guest_start_info->nr_pages + 16);
		else
			list[i] = rng_next();
	}
}

static void
gen_reservation(struct fz_call *c, uint64_t cmd)
{
	struct xm_memory_reservation *r = arena_alloc(sizeof(*r));
	uint64_t n = 1 + rng_below(rng_one_in(8) ? 256 : 8);
	uint64_t *list = arena_alloc(n * sizeof(uint64_t));

	extents_fill(cmd, list, n);
	if (r != NULL) {
		r->extent_start = arena_or_bad(list);
		r->nr_extents = count_near(n);
		r->extent_order = rng_one_in(8) ? (uint32_t)gen_small() : 0;
		r->mem_flags = rng_one_in(8) ? (uint32_t)rng_next() : 0;
		r->domid = (uint16_t)(rng_one_in(6) ? gen_domid() :
		    XM_DOMID_SELF);
		r->pad[0] = rng_one_in(16) ? (uint16_t)rng_next() : 0;
	}
	c->a[1] = arena_or_bad(r);
}

static const uint64_t memory_cmds[] = {
	XM_XENMEM_INCREASE_RESERVATION, XM_XENMEM_INCREASE_RESERVATION,
	XM_XENMEM_DECREASE_RESERVATION, XM_XENMEM_DECREASE_RESERVATION,
	XM_XENMEM_POPULATE_PHYSMAP, XM_XENMEM_MAXIMUM_RAM_PAGE,
	XM_XENMEM_CURRENT_RESERVATION, XM_XENMEM_MAXIMUM_RESERVATION,
	XM_XENMEM_MACHPHYS_MFN_LIST, XM_XENMEM_ADD_TO_PHYSMAP,
	XM_XENMEM_MEMORY_MAP, XM_XENMEM_MACHINE_MEMORY_MAP,
	XM_XENMEM_EXCHANGE, XM_XENMEM_MACHPHYS_MAPPING,
	XM_XENMEM_SET_MEMORY_MAP, XM_XENMEM_MAXIMUM_GPFN,
	XM_XENMEM_REMOVE_FROM_PHYSMAP, XM_XENMEM_ACQUIRE_RESOURCE, 8, 64,
};

void
gen_memory_op(struct fz_call *c)
{
	struct xm_memory_map *m;
	uint16_t *dom;
	void *p;

	c->gen = "memory_op";
	c->nr = XM_HYPERCALL_MEMORY_OP;
	c->a[0] = rng_one_in(32) ? gen_boundary() : RNG_PICK(memory_cmds);
	switch (c->a[0]) {
	case XM_XENMEM_INCREASE_RESERVATION:
	case XM_XENMEM_DECREASE_RESERVATION:
	case XM_XENMEM_POPULATE_PHYSMAP:
		gen_reservation(c, c->a[0]);
		return;
	case XM_XENMEM_CURRENT_RESERVATION:
	case XM_XENMEM_MAXIMUM_RESERVATION:
		dom = arena_alloc(sizeof(*dom));
		if (dom != NULL)
			*dom = (uint16_t)gen_domid();
		c->a[1] = arena_or_bad(dom);
		return;
	case XM_XENMEM_MEMORY_MAP:
		m = arena_alloc(sizeof(*m));
		if (m != NULL) {
			m->nr_entries = (uint32_t)(rng_one_in(4) ?
			    gen_boundary() : 1 + rng_below(4));
			m->buffer = rng_one_in(3) ? gen_ptr() :
			    arena_or_bad(arena_alloc(64));
		}
		c->a[1] = arena_or_bad(m);
		return;
	}
	p = arena_alloc(72);
	if (p != NULL)
		rng_fill(p, 72);
	c->a[1] = rng_one_in(2) ? gen_ptr() : arena_or_bad(p);
}
