/*
 * Making a call safe for the fuzzer, whoever generated it: the goal is
 * to attack hv, not to die on call 12.  Whatever the generator meant,
 * safe_call() looks at the call by hypercall number (and sub-operation,
 * safe_ops.c) and mutates what would legitimately wreck the fuzzer:
 *
 * - a page-table entry that maps one of its live frames from one of its
 *   live tables keeps its value (it may be rewritten with it, which
 *   still takes hv through validation and reference counting);
 * - any other entry value that maps a live frame loses its RW bit, so
 *   that no alias of live memory is ever writable (neither for the
 *   fuzzer nor for hv writing through a pointer into the sandbox), and
 *   one that points at a live table loses its present bit;
 * - no other domain may write into its frames (grants to others are
 *   read-only) and nothing foreign is copied into them: a pool frame's
 *   contents may become a table, and a foreign one could point at a
 *   live table;
 * - whole-frame writes (clear, copy, grant copy and transfer, giving
 *   frames back) to or from a live frame go to a pool frame instead;
 * - pointers hv writes through must not point at live memory (they go
 *   to the sink); structures hv reads pointers or entries from must be
 *   in memory the fuzzer has checked (the arena, or the junk area for a
 *   top-level call), or where hv cannot read at all; anything else is
 *   replaced by a checked copy;
 * - the iret hypercall is only made as FZ_K_IRET, back to the fuzzer;
 * - trap table, callbacks, FPU switch, segment bases and debug
 *   registers are restored right after a call that may have changed
 *   them (safe_restore); events stay masked in between, so that no
 *   callback runs at a garbage address.
 *
 * The ops excluded outright are listed in safe_ops.c.
 */

#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/callback.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>

#include "fuzz.h"
#include "hostile.h"
#include "safe.h"

#define COPY_MAX	16	/* entries of a replaced array */
#define RFLAGS_DF	(UINT64_C(1) << 10)
#define RFLAGS_AC	(UINT64_C(1) << 18)

/* The lib's event entry, restored with hostile's failsafe callback. */
void	event_callback(void);

/*
 * An entry value anywhere: no writable alias of a live frame, and no
 * entry to a live table at all, for as an upper-level entry it would
 * make the sandbox's mappings land in a live table, which the fuzzer
 * could not tell from here (it cannot read the pool's tables).
 */
uint64_t
safe_pte(uint64_t val)
{
	if (!(val & PTE_P))
		return val;
	if (mfn_is_live_table(PTE_MFN(val)))
		return val & ~PTE_P;
	if (mfn_is_live(PTE_MFN(val)) || (val & PTE_PS))
		val &= ~PTE_RW;
	return val;
}

int
safe_really_own(uint64_t mfn)
{
	const volatile uint64_t *m2p =
	    (const volatile uint64_t *)XM_MACH2PHYS_VIRT_START;
	struct xm_mmu_update u;

	if (mfn >= fz.max_mfn)
		return 0;
	u.ptr = (mfn << PAGE_SHIFT) | XM_MMU_MACHPHYS_UPDATE;
	u.val = m2p[mfn];
	return HYPERVISOR_mmu_update(&u, 1, NULL, XM_DOMID_SELF) == 0;
}

void
safe_frame(uint64_t *mfn)
{
	if (mfn_is_live(*mfn))
		*mfn = pool_any();
}

/*
 * The page-table entry at machine address *ptr is to become *val.  In
 * a frame that is not a validated table hv writes plain data (as Xen
 * does): not into a live frame, so such a write goes to a pool frame.
 * An unaligned address next to a protected entry is aligned: a torn
 * write over two live entries would be the fuzzer's death, not hv's
 * bug.  A value is made safe wherever it goes, as a data write may
 * become a table entry when its frame is pinned.
 */
void
safe_entry(uint64_t *ptr, uint64_t *val)
{
	uint64_t a = *ptr & ~UINT64_C(7), cur, mfn = *ptr >> PAGE_SHIFT;

	if (mfn_is_live(mfn) && !mfn_is_live_table(mfn))
		*ptr = (pool_any() << PAGE_SHIFT) | (*ptr & (PAGE_SIZE - 1));
	if ((*ptr & 7) != 0 && (entry_protected(a, &cur) ||
	    entry_protected(a + 8, &cur)))
		*ptr = a;
	if (entry_protected(a, &cur) && *ptr == a)
		*val = cur;
	else
		*val = safe_pte(*val);
}

/* update_va_mapping and grant mappings: the entry that maps va. */
void
safe_va_entry(uint64_t va, uint64_t *val)
{
	uint64_t cur;

	if (va_protected(va, &cur))
		*val = cur;
	else
		*val = safe_pte(*val);
}

/* A grant mapping may not replace a live mapping: into the sandbox. */
uint64_t
safe_map_va(uint64_t va)
{
	uint64_t cur;

	if (va_protected(va, &cur))
		return SANDBOX_VA + rng_below(SANDBOX_PAGES) * PAGE_SIZE;
	return va;
}

/* Where hv may write len bytes; depth > 0 inside a multicall. */
uint64_t
safe_out_addr(uint64_t p, size_t len, int depth)
{
	enum fz_region r = region_of(p);

	if (r == FZ_R_LIVE)
		return sink_ptr(len);
	if (depth > 0 && (r == FZ_R_ARENA || r == FZ_R_JUNK))
		return sink_ptr(len);
	return p;
}

void
safe_out(struct fz_call *c, int i, size_t len, int depth)
{
	c->a[i] = safe_out_addr(c->a[i], len, depth);
}

/* hv writes there on its own, later: only the sink or nowhere. */
uint64_t
safe_async_addr(uint64_t p, size_t len)
{
	enum fz_region r = region_of(p);

	if (va_unmapped(p) || r == FZ_R_SINK || r == FZ_R_TABLE)
		return p;
	return sink_ptr(len);
}

uint64_t
safe_unreadable(void)
{
	return rng_one_in(2) ? HV_RANGE_START + rng_below(PAGE_SIZE) :
	    NONCANONICAL;
}

/*
 * A struct hv reads at argument i, in memory the fuzzer may check and
 * change: the arena, or junk for a top-level call.  Anything else it
 * could read is replaced by random bytes in the arena.  NULL when hv
 * cannot read it at all.
 */
void *
safe_in(struct fz_call *c, int i, size_t len, int depth)
{
	uint64_t p = c->a[i], end;
	enum fz_region r = region_of(p);
	void *q;
	int tail;

	if (va_unmapped(p))
		return NULL;
	if (r == FZ_R_ARENA && arena_block(p, &end, &tail)) {
		if (p + len <= end)
			return (void *)p;
		if (tail)
			return NULL;	/* the guard page stops hv */
	}
	if (r == FZ_R_JUNK && depth == 0) {
		if (p + len <= (uint64_t)fz.junk + fz.junk_size)
			return (void *)p;
		return NULL;
	}
	q = arena_alloc(len);
	if (q == NULL) {
		c->a[i] = safe_unreadable();
		return NULL;
	}
	rng_fill(q, len);
	c->a[i] = (uint64_t)q;
	return q;
}

static void
fix_entries(uint64_t p, uint64_t n, size_t elem, safe_elem_fn *fn,
    int depth, uint32_t *flags)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		fn((void *)(p + i * elem), depth, flags);
}

/*
 * An array of count entries of elem bytes at *pp that hv reads entry by
 * entry: every entry hv can reach in checked memory goes through fn.
 * In the arena, a count that would run from one block into the next is
 * cut to the block (*pcount), unless the guard page comes first.
 */
void
safe_array(uint64_t *pp, uint64_t *pcount, uint64_t count, size_t elem,
    safe_elem_fn *fn, int depth, uint32_t *flags)
{
	uint64_t p = *pp, end, n;
	enum fz_region r = region_of(p);
	void *q;
	int tail;

	if (count == 0 || va_unmapped(p))
		return;
	if (r == FZ_R_ARENA && arena_block(p, &end, &tail)) {
		n = (end - p) / elem;
		if (count > n && !tail && pcount != NULL) {
			*pcount = n;
			count = n;
		}
		fix_entries(p, count < n ? count : n, elem, fn, depth, flags);
		return;
	}
	if (r == FZ_R_JUNK && depth == 0) {
		n = ((uint64_t)fz.junk + fz.junk_size - p) / elem;
		fix_entries(p, count < n ? count : n, elem, fn, depth, flags);
		return;
	}
	n = count < COPY_MAX ? count : COPY_MAX;
	q = arena_alloc(n * elem);
	if (q == NULL) {
		*pp = safe_unreadable();
		return;
	}
	rng_fill(q, n * elem);
	*pp = (uint64_t)q;
	safe_array(pp, pcount, count, elem, fn, depth, flags);
}

/* Unknown layout: no word of it may point at live memory. */
void
safe_scrub(void *p, size_t len)
{
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (region_of(w[i]) == FZ_R_LIVE)
			w[i] = sink_ptr(64);
}

/* Any argument that points at live memory: to the sink. */
static void
safe_generic(struct fz_call *c, int depth)
{
	unsigned int i;

	(void)depth;
	for (i = 0; i < FZ_MAX_ARGS; i++)
		if (region_of(c->a[i]) == FZ_R_LIVE)
			c->a[i] = sink_ptr(64);
}

/* The iret hypercall returns to the fuzzer in kernel mode, 64-bit. */
static void
safe_iret(struct fz_call *c)
{
	uint64_t cs = c->a[0] & 0xffff & ~UINT64_C(3);

	if ((cs | 3) == XM_FLAT_RING3_CS32)
		cs = XM_FLAT_KERNEL_CS & ~UINT64_C(3);
	c->a[0] = cs;
	c->a[1] &= ~(RFLAGS_DF | RFLAGS_AC);
}

void
safe_args(struct fz_call *c, int depth)
{
	if (c->nr < XM_HYPERCALL_COUNT && safe_rows[c->nr] != NULL)
		safe_rows[c->nr](c, depth);
	else
		safe_generic(c, depth);
}

void
safe_call(struct fz_call *c)
{
	if (c->kind == FZ_K_HYPERCALL && c->nr == XM_HYPERCALL_IRET)
		c->kind = FZ_K_IRET;
	switch (c->kind) {
	case FZ_K_IRET:
		safe_iret(c);
		return;
	case FZ_K_BLOCK:
		return;
	case FZ_K_HYPERCALL:
		safe_args(c, 0);
		return;
	}
}

static void
restore_callbacks(void)
{
	struct xm_callback_register cb = {
		.type = XM_CALLBACKTYPE_SYSCALL,
	};

	(void)hx_set_event_callback((uint64_t)event_callback);
	(void)HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER, &cb);
}

/* Back to its own trap table and callbacks (hx_traps_init: failsafe). */
void
safe_restore(uint32_t flags)
{
	if (flags & (FZ_RESTORE_TRAPS | FZ_RESTORE_CALLBACKS))
		hx_traps_init();
	if (flags & FZ_RESTORE_CALLBACKS)
		restore_callbacks();
	if (flags & FZ_RESTORE_FPU)
		(void)HYPERVISOR_fpu_taskswitch(0);
	if (flags & FZ_RESTORE_SEGBASE) {
		(void)hx_syscall(XM_HYPERCALL_SET_SEGMENT_BASE,
		    XM_SEGBASE_FS, 0, 0, 0, 0);
		(void)hx_syscall(XM_HYPERCALL_SET_SEGMENT_BASE,
		    XM_SEGBASE_GS_KERNEL, 0, 0, 0, 0);
	}
	if (flags & FZ_RESTORE_DEBUGREG)
		(void)hx_syscall(XM_HYPERCALL_SET_DEBUGREG, 7, 0, 0, 0, 0);
	if (flags & FZ_RESTORE_GDT)
		(void)hx_syscall(XM_HYPERCALL_SET_GDT, 0, 0, 0, 0, 0);
}
