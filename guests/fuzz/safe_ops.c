/*
 * safe.c's rules, hypercall by hypercall and sub-operation by
 * sub-operation.
 *
 * Never issued as generated, because each would legitimately end the
 * run or leave the fuzzer unable to go on (hostile.c tries the refusable
 * ones one at a time):
 *
 * - SCHEDOP_shutdown and SCHEDOP_remote_shutdown, here and in the old
 *   sched_op: the first ends the fuzzer, the second must be refused to
 *   a domU and is hostile's test; both become yield.
 * - SCHEDOP_block outside FZ_K_BLOCK (which arms a timer first): once a
 *   call has cancelled the timer it would sleep for good; it becomes
 *   yield.  SCHEDOP_poll gets a timeout within 2 ms for the same reason.
 * - SCHEDOP_watchdog with a timeout: an unpetted watchdog kills.
 * - VCPUOP_down of vCPU 0, VCPUOP_initialise (its context is made
 *   unreadable: a second vCPU running garbage would crash the domain).
 * - VCPUOP_register_vcpu_info of its own frame: vcpu_info would move
 *   away from where the runtime reads its event mask; it is broken with
 *   a reserved field, while foreign frames are tried as they are.
 * - A runstate or time area where hv would write later, outside the
 *   sink: hv would scribble over the fuzzer at every context switch.
 * - GNTTABOP_set_version other than 1: its own grant entries are v1.
 * - EVTCHNOP_close and bind_vcpu of its console and timer ports, and
 *   EVTCHNOP_reset of itself.
 * - XENMEM_decrease_reservation, exchange, grant transfer, clear and
 *   copy of live frames; a grant copy into its own frames from another
 *   domain's (their bytes could point at its live tables);
 *   MMUEXT_new_baseptr to any frame of its own but the L4 it runs on
 *   (an empty one would validate).
 * - console_io writes of readable bytes, unless the generator vouches
 *   (FZ_CONSOLE_OK): junk on the console would garble the TAP lines.
 */

#include <stdint.h>

#include <xm/domctl.h>
#include <xm/event_channel.h>
#include <xm/grant_table.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/sched.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/mm.h>
#include <guest/time.h>

#include "fuzz.h"
#include "safe.h"

#define POLL_MAX_NS	(2 * NSEC_PER_MSEC)

static void
safe_none(struct fz_call *c, int depth)
{
	(void)c;
	(void)depth;
}

static void
safe_trap_table(struct fz_call *c, int depth)
{
	(void)depth;
	c->flags |= FZ_RESTORE_TRAPS;
}

static void
safe_callbacks(struct fz_call *c, int depth)
{
	(void)depth;
	c->flags |= FZ_RESTORE_CALLBACKS;
}

static void
safe_fpu(struct fz_call *c, int depth)
{
	(void)depth;
	c->flags |= FZ_RESTORE_FPU;
}

static void
safe_segbase(struct fz_call *c, int depth)
{
	(void)depth;
	c->flags |= FZ_RESTORE_SEGBASE;
}

static void
safe_debugreg(struct fz_call *c, int depth)
{
	(void)depth;
	c->flags |= FZ_RESTORE_DEBUGREG;
}

/* --- descriptor tables ------------------------------------------------- */

/*
 * A GDT set by the call is dropped after it: its frames may be pool
 * frames the fuzzer maps writable later, which a GDT frame cannot be.
 */
static void
safe_set_gdt(struct fz_call *c, int depth)
{
	(void)depth;
	c->flags |= FZ_RESTORE_GDT;
}

/* A descriptor written into a frame of its own, never one it runs on. */
static void
safe_update_descriptor(struct fz_call *c, int depth)
{
	(void)depth;
	if (mfn_is_live(c->a[0] >> 12))
		c->a[0] = (pool_any() << 12) | (c->a[0] & 0xfff);
}

/* --- the MMU ---------------------------------------------------------- */

static void
mmu_fix(void *entry, int depth, uint32_t *flags)
{
	struct xm_mmu_update *u = entry;
	uint64_t cmd = u->ptr & XM_MMU_UPDATE_CMD_MASK, ptr;

	(void)depth;
	(void)flags;
	if (cmd == XM_MMU_MACHPHYS_UPDATE)
		return;		/* its m2p entries are its business */
	ptr = u->ptr & ~XM_MMU_UPDATE_CMD_MASK;
	safe_entry(&ptr, &u->val);
	u->ptr = ptr | cmd;
}

static void
safe_mmu_update(struct fz_call *c, int depth)
{
	safe_array(&c->a[0], &c->a[1], c->a[1], sizeof(struct xm_mmu_update),
	    mmu_fix, depth, &c->flags);
	safe_out(c, 2, sizeof(uint32_t), depth);
}

/*
 * Any frame of its own may validate as an empty L4 (hv fills in its own
 * slots), even a live one that nothing maps any more, such as the bss
 * page under shared_info: only its live tables of the other levels
 * (refused for their type) and foreign frames are tried as they are.
 */
static void
baseptr_fix(uint64_t *mfn)
{
	if (*mfn != fz.l4_mfn && !mfn_is_live_table(*mfn) &&
	    (mfn_is_own(*mfn) || safe_really_own(*mfn)))
		*mfn = fz.l4_mfn;
}

static void
mmuext_fix(void *entry, int depth, uint32_t *flags)
{
	struct xm_mmuext_op *op = entry;

	(void)depth;
	(void)flags;
	switch (op->cmd) {
	case XM_MMUEXT_NEW_BASEPTR:
		baseptr_fix(&op->arg1.mfn);
		break;
	case XM_MMUEXT_CLEAR_PAGE:
		safe_frame(&op->arg1.mfn);
		break;
	case XM_MMUEXT_COPY_PAGE:
		safe_frame(&op->arg1.mfn);
		safe_frame(&op->arg2.src_mfn);
		break;
	}
}

static void
safe_mmuext_op(struct fz_call *c, int depth)
{
	safe_array(&c->a[0], &c->a[1], c->a[1], sizeof(struct xm_mmuext_op),
	    mmuext_fix, depth, &c->flags);
	safe_out(c, 2, sizeof(uint32_t), depth);
}

static void
safe_update_va_mapping(struct fz_call *c, int depth)
{
	(void)depth;
	safe_va_entry(c->a[0], &c->a[1]);
}

/* --- memory_op -------------------------------------------------------- */

static void
frame_fix(void *entry, int depth, uint32_t *flags)
{
	(void)depth;
	(void)flags;
	safe_frame(entry);
}

static void
reservation_fix(uint64_t cmd, struct xm_memory_reservation *r, int depth,
    uint32_t *flags)
{
	uint64_t n = r->nr_extents < 4096 ? r->nr_extents : 4096;

	if (cmd == XM_XENMEM_DECREASE_RESERVATION)
		safe_array(&r->extent_start, &r->nr_extents, r->nr_extents,
		    sizeof(uint64_t), frame_fix, depth, flags);
	else
		r->extent_start = safe_out_addr(r->extent_start,
		    n * sizeof(uint64_t), depth);
}

static void
exchange_fix(struct xm_memory_exchange *x, int depth, uint32_t *flags)
{
	reservation_fix(XM_XENMEM_DECREASE_RESERVATION, &x->in, depth, flags);
	reservation_fix(XM_XENMEM_INCREASE_RESERVATION, &x->out, depth,
	    flags);
}

static void
safe_memory_op(struct fz_call *c, int depth)
{
	struct xm_memory_map *m;
	void *p;

	switch (c->a[0]) {
	case XM_XENMEM_INCREASE_RESERVATION:
	case XM_XENMEM_DECREASE_RESERVATION:
	case XM_XENMEM_POPULATE_PHYSMAP:
		p = safe_in(c, 1, sizeof(struct xm_memory_reservation), depth);
		if (p != NULL)
			reservation_fix(c->a[0], p, depth, &c->flags);
		return;
	case XM_XENMEM_EXCHANGE:
		p = safe_in(c, 1, sizeof(struct xm_memory_exchange), depth);
		if (p != NULL)
			exchange_fix(p, depth, &c->flags);
		return;
	case XM_XENMEM_MAXIMUM_RAM_PAGE:
	case XM_XENMEM_CURRENT_RESERVATION:
	case XM_XENMEM_MAXIMUM_RESERVATION:
		return;
	case XM_XENMEM_MEMORY_MAP:
		m = safe_in(c, 1, sizeof(*m), depth);
		if (m != NULL)
			m->buffer = safe_out_addr(m->buffer, 64, depth);
		return;
	}
	p = safe_in(c, 1, 64, depth);
	if (p != NULL)
		safe_scrub(p, 64);
}

/* --- multicall -------------------------------------------------------- */

static void
multicall_fix(void *entry, int depth, uint32_t *flags)
{
	struct xm_multicall_entry *e = entry;
	struct fz_call t = { .kind = FZ_K_HYPERCALL, .nr = e->op };
	unsigned int i;

	if (e->op == XM_HYPERCALL_IRET)
		return;			/* refused inside a multicall */
	for (i = 0; i < FZ_MAX_ARGS; i++)
		t.a[i] = e->args[i];
	safe_args(&t, depth);
	for (i = 0; i < FZ_MAX_ARGS; i++)
		e->args[i] = t.a[i];
	*flags |= t.flags;
}

/* A multicall in a multicall in a multicall is not followed further. */
static void
safe_multicall(struct fz_call *c, int depth)
{
	if (depth >= 2) {
		c->a[0] = safe_unreadable();
		return;
	}
	safe_array(&c->a[0], &c->a[1], c->a[1],
	    sizeof(struct xm_multicall_entry), multicall_fix, depth + 1,
	    &c->flags);
}

/* --- grant tables ----------------------------------------------------- */

static int
own_domid(uint16_t id)
{
	return id == XM_DOMID_SELF || id == fz.domid;
}

static void
gnt_map_fix(void *entry, int depth, uint32_t *flags)
{
	struct xm_gnttab_map_grant_ref *op = entry;
	uint64_t cur, a = op->host_addr & ~UINT64_C(7);

	(void)depth;
	(void)flags;
	if ((op->flags & XM_GNTMAP_CONTAINS_PTE) &&
	    (entry_protected(a, &cur) || entry_protected(a + 8, &cur) ||
	    (mfn_is_live(a >> PAGE_SHIFT) &&
	    !mfn_is_live_table(a >> PAGE_SHIFT))))
		op->host_addr = sandbox_entry_maddr(rng_next());
	else if (!(op->flags & XM_GNTMAP_CONTAINS_PTE))
		op->host_addr = safe_map_va(op->host_addr);
}

/* Read as an address or as a PTE's machine address, it is not live. */
static uint64_t
unmap_addr(uint64_t addr)
{
	uint64_t cur;

	if (entry_protected(addr & ~UINT64_C(7), &cur) ||
	    entry_protected((addr & ~UINT64_C(7)) + 8, &cur) ||
	    mfn_is_live(addr >> PAGE_SHIFT))
		return SANDBOX_VA;
	return safe_map_va(addr);
}

static void
gnt_unmap_fix(void *entry, int depth, uint32_t *flags)
{
	struct xm_gnttab_unmap_grant_ref *op = entry;

	(void)depth;
	(void)flags;
	op->host_addr = unmap_addr(op->host_addr);
}

static void
gnt_replace_fix(void *entry, int depth, uint32_t *flags)
{
	struct xm_gnttab_unmap_and_replace *op = entry;

	(void)depth;
	(void)flags;
	op->host_addr = unmap_addr(op->host_addr);
	op->new_addr = unmap_addr(op->new_addr);
}

static void
gnt_copy_fix(void *entry, int depth, uint32_t *flags)
{
	struct xm_gnttab_copy *op = entry;

	(void)depth;
	(void)flags;
	if (!(op->flags & XM_GNTCOPY_DEST_GREF) && own_domid(op->dest.domid))
		safe_frame(&op->dest.u.gmfn);
	if (!(op->flags & XM_GNTCOPY_SOURCE_GREF) &&
	    own_domid(op->source.domid))
		safe_frame(&op->source.u.gmfn);
	/* Into its own frames, only its own bytes. */
	if (own_domid(op->dest.domid) && !own_domid(op->source.domid)) {
		op->flags &= (uint16_t)~XM_GNTCOPY_SOURCE_GREF;
		op->source.domid = XM_DOMID_SELF;
		op->source.u.gmfn = pool_any();
	}
}

static void
gnt_transfer_fix(void *entry, int depth, uint32_t *flags)
{
	struct xm_gnttab_transfer *op = entry;

	(void)depth;
	(void)flags;
	safe_frame(&op->mfn);
}

static const struct gnt_batch {
	size_t		size;
	safe_elem_fn	*fix;
} gnt_batches[] = {
	[XM_GNTTABOP_MAP_GRANT_REF] = { sizeof(struct xm_gnttab_map_grant_ref),
	    gnt_map_fix },
	[XM_GNTTABOP_UNMAP_GRANT_REF] = {
	    sizeof(struct xm_gnttab_unmap_grant_ref), gnt_unmap_fix },
	[XM_GNTTABOP_TRANSFER] = { sizeof(struct xm_gnttab_transfer),
	    gnt_transfer_fix },
	[XM_GNTTABOP_COPY] = { sizeof(struct xm_gnttab_copy), gnt_copy_fix },
	[XM_GNTTABOP_UNMAP_AND_REPLACE] = {
	    sizeof(struct xm_gnttab_unmap_and_replace), gnt_replace_fix },
};

static void
gnt_single(struct fz_call *c, int depth)
{
	struct xm_gnttab_setup_table *st;
	uint32_t *version;
	void *p;

	switch (c->a[0]) {
	case XM_GNTTABOP_SETUP_TABLE:
		st = safe_in(c, 1, sizeof(*st), depth);
		if (st != NULL)
			st->frame_list = safe_out_addr(st->frame_list, 512,
			    depth);
		return;
	case XM_GNTTABOP_SET_VERSION:
		version = safe_in(c, 1, sizeof(*version), depth);
		if (version != NULL)
			*version = 1;
		return;
	case XM_GNTTABOP_DUMP_TABLE:
	case XM_GNTTABOP_QUERY_SIZE:
	case XM_GNTTABOP_GET_VERSION:
		safe_out(c, 1, 16, depth);
		return;
	}
	p = safe_in(c, 1, 64, depth);
	if (p != NULL)
		safe_scrub(p, 64);
}

static void
safe_grant_table_op(struct fz_call *c, int depth)
{
	const struct gnt_batch *b = NULL;
	uint64_t count = (int32_t)c->a[2] < 0 ? 0 : (uint32_t)c->a[2];

	if (c->a[0] < sizeof(gnt_batches) / sizeof(gnt_batches[0]))
		b = &gnt_batches[c->a[0]];
	if (b == NULL || b->fix == NULL) {
		gnt_single(c, depth);
		return;
	}
	safe_array(&c->a[1], &c->a[2], count, b->size, b->fix, depth,
	    &c->flags);
}

/* --- event channels --------------------------------------------------- */

static uint32_t
unprotected_port(void)
{
	uint64_t port = gen_port();

	return port_protected((uint32_t)port) ? 4095 : (uint32_t)port;
}

/* arg: the union of the sub-operation's structs. */
static void
evtchn_fix(uint64_t cmd, void *arg)
{
	uint32_t *port = arg;
	uint16_t *dom = arg;

	switch (cmd) {
	case XM_EVTCHNOP_CLOSE:
	case XM_EVTCHNOP_BIND_VCPU:
		if (port_protected(*port))
			*port = unprotected_port();
		break;
	case XM_EVTCHNOP_RESET:
		if (own_domid(*dom))
			*dom = 0;
		break;
	}
}

static void
safe_event_channel_op(struct fz_call *c, int depth)
{
	void *p = safe_in(c, 1, sizeof(struct xm_evtchn_status), depth);

	if (p != NULL)
		evtchn_fix(c->a[0], p);
}

/* The old form: the sub-operation's number first, then its struct. */
static void
safe_evtchn_compat(struct fz_call *c, int depth)
{
	uint32_t *p = safe_in(c, 0, 32, depth);

	if (p != NULL)
		evtchn_fix(p[0], p + 2);
}

/* --- vCPUs and scheduling --------------------------------------------- */

static void
vcpu_info_fix(struct xm_vcpu_register_vcpu_info *ri)
{
	if (ri->rsvd == 0 && (mfn_is_own(ri->mfn) ||
	    safe_really_own(ri->mfn)))
		ri->rsvd = 1 + (uint32_t)rng_below(8);
}

static void
vcpu_area_fix(struct fz_call *c, size_t len, int depth)
{
	uint64_t *addr = safe_in(c, 2, sizeof(*addr), depth);

	if (addr != NULL)
		*addr = safe_async_addr(*addr, len);
}

static void
safe_vcpu_op(struct fz_call *c, int depth)
{
	struct xm_vcpu_register_vcpu_info *ri;

	switch (c->a[0]) {
	case XM_VCPUOP_INITIALISE:
		c->a[2] = safe_unreadable();
		return;
	case XM_VCPUOP_DOWN:
		if ((uint32_t)c->a[1] == 0)
			c->a[0] = XM_VCPUOP_IS_UP;
		return;
	case XM_VCPUOP_UP:
	case XM_VCPUOP_IS_UP:
	case XM_VCPUOP_SET_PERIODIC_TIMER:
	case XM_VCPUOP_STOP_PERIODIC_TIMER:
	case XM_VCPUOP_SET_SINGLESHOT_TIMER:
	case XM_VCPUOP_STOP_SINGLESHOT_TIMER:
	case XM_VCPUOP_SEND_NMI:
		return;
	case XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA:
		vcpu_area_fix(c, sizeof(struct xm_vcpu_runstate_info), depth);
		return;
	case XM_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA:
		vcpu_area_fix(c, sizeof(struct xm_vcpu_time_info), depth);
		return;
	case XM_VCPUOP_REGISTER_VCPU_INFO:
		ri = safe_in(c, 2, sizeof(*ri), depth);
		if (ri != NULL)
			vcpu_info_fix(ri);
		return;
	}
	safe_out(c, 2, sizeof(struct xm_vcpu_runstate_info), depth);
}

static void
poll_fix(struct xm_sched_poll *p)
{
	uint64_t now = monotonic_ns();

	if (p->timeout == 0 || p->timeout > now + POLL_MAX_NS)
		p->timeout = now + 1 + rng_below(POLL_MAX_NS);
}

static void
safe_sched_op(struct fz_call *c, int depth)
{
	struct xm_sched_watchdog *w;
	struct xm_sched_poll *p;

	switch (c->a[0]) {
	case XM_SCHEDOP_YIELD:
	case XM_SCHEDOP_SHUTDOWN_CODE:
	case XM_SCHEDOP_PIN_OVERRIDE:
		return;
	case XM_SCHEDOP_BLOCK:
	case XM_SCHEDOP_SHUTDOWN:
	case XM_SCHEDOP_REMOTE_SHUTDOWN:
		c->a[0] = XM_SCHEDOP_YIELD;
		return;
	case XM_SCHEDOP_POLL:
		p = safe_in(c, 1, sizeof(*p), depth);
		if (p != NULL)
			poll_fix(p);
		return;
	case XM_SCHEDOP_WATCHDOG:
		w = safe_in(c, 1, sizeof(*w), depth);
		if (w != NULL)
			w->timeout = 0;
		return;
	}
	safe_out(c, 1, 64, depth);
}

/* The old sched_op: the command's argument is the value itself. */
static void
safe_sched_compat(struct fz_call *c, int depth)
{
	(void)depth;
	if (c->a[0] == XM_SCHEDOP_BLOCK || c->a[0] == XM_SCHEDOP_SHUTDOWN ||
	    c->a[0] == XM_SCHEDOP_REMOTE_SHUTDOWN)
		c->a[0] = XM_SCHEDOP_YIELD;
}

/* --- the rest ---------------------------------------------------------- */

static void
safe_console_io(struct fz_call *c, int depth)
{
	if (c->a[0] == XM_CONSOLEIO_READ) {
		safe_out(c, 2, 256, depth);
		return;
	}
	if (c->a[0] != XM_CONSOLEIO_WRITE || (c->flags & FZ_CONSOLE_OK) ||
	    c->a[1] == 0 || c->a[1] > 65536 || va_unmapped(c->a[2]))
		return;
	if (rng_one_in(2))
		c->a[1] = 0;
	else
		c->a[2] = safe_unreadable();
}

static void
safe_xen_version(struct fz_call *c, int depth)
{
	safe_out(c, 1, 1024, depth);
}

/* Domain 0's: refused to a domU, but no word of it may point at it. */
static void
scrub_arg(struct fz_call *c, int i, size_t len, int depth)
{
	void *p = safe_in(c, i, len, depth);

	if (p != NULL)
		safe_scrub(p, len);
}

static void
safe_physdev_op(struct fz_call *c, int depth)
{
	scrub_arg(c, 1, 64, depth);
}

static void
safe_physdev_compat(struct fz_call *c, int depth)
{
	scrub_arg(c, 0, 64, depth);
}

static void
safe_domctl(struct fz_call *c, int depth)
{
	scrub_arg(c, 0, sizeof(struct xm_domctl), depth);
}

safe_fn *const safe_rows[XM_HYPERCALL_COUNT] = {
	[XM_HYPERCALL_SET_TRAP_TABLE] = safe_trap_table,
	[XM_HYPERCALL_MMU_UPDATE] = safe_mmu_update,
	[XM_HYPERCALL_SET_GDT] = safe_set_gdt,
	[XM_HYPERCALL_STACK_SWITCH] = safe_none,
	[XM_HYPERCALL_SET_CALLBACKS] = safe_callbacks,
	[XM_HYPERCALL_FPU_TASKSWITCH] = safe_fpu,
	[XM_HYPERCALL_SCHED_OP_COMPAT] = safe_sched_compat,
	[XM_HYPERCALL_SET_DEBUGREG] = safe_debugreg,
	[XM_HYPERCALL_MEMORY_OP] = safe_memory_op,
	[XM_HYPERCALL_MULTICALL] = safe_multicall,
	[XM_HYPERCALL_UPDATE_VA_MAPPING] = safe_update_va_mapping,
	[XM_HYPERCALL_SET_TIMER_OP] = safe_none,
	[XM_HYPERCALL_EVENT_CHANNEL_OP_COMPAT] = safe_evtchn_compat,
	[XM_HYPERCALL_XEN_VERSION] = safe_xen_version,
	[XM_HYPERCALL_UPDATE_DESCRIPTOR] = safe_update_descriptor,
	[XM_HYPERCALL_CONSOLE_IO] = safe_console_io,
	[XM_HYPERCALL_PHYSDEV_OP_COMPAT] = safe_physdev_compat,
	[XM_HYPERCALL_GRANT_TABLE_OP] = safe_grant_table_op,
	[XM_HYPERCALL_VM_ASSIST] = safe_none,
	[XM_HYPERCALL_UPDATE_VA_MAPPING_OTHERDOMAIN] = safe_update_va_mapping,
	[XM_HYPERCALL_VCPU_OP] = safe_vcpu_op,
	[XM_HYPERCALL_SET_SEGMENT_BASE] = safe_segbase,
	[XM_HYPERCALL_MMUEXT_OP] = safe_mmuext_op,
	[XM_HYPERCALL_SCHED_OP] = safe_sched_op,
	[XM_HYPERCALL_CALLBACK_OP] = safe_callbacks,
	[XM_HYPERCALL_EVENT_CHANNEL_OP] = safe_event_channel_op,
	[XM_HYPERCALL_PHYSDEV_OP] = safe_physdev_op,
	[XM_HYPERCALL_DOMCTL] = safe_domctl,
};
