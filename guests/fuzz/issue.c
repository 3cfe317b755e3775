/*
 * Making one call: safe_call() first, then the call itself under
 * hostile's fault recovery (a fault, e.g. the #DB after an iret with
 * TF, ends the call instead of the fuzzer), then safe_restore(), then
 * what the result tells the fuzzer about its own state: frames gained,
 * ports bound, grants mapped.  Events stay masked across all of it.
 */

#include <stdint.h>

#include <xm/event_channel.h>
#include <xm/grant_table.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/sched.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/hypercall.h>

#include "fuzz.h"
#include "hostile.h"

long
hypercall6(uint64_t nr, const uint64_t *a)
{
	return hx_syscall(nr, a[0], a[1], a[2], a[3], a[4]);
}

static void
issue_fn(uint64_t arg)
{
	struct fz_call *c = (struct fz_call *)arg;

	switch (c->kind) {
	case FZ_K_HYPERCALL:
		c->rc = hypercall6(c->nr, c->a);
		break;
	case FZ_K_IRET:
		(void)hx_iret(c->a[0], c->a[1], c->a[2]);
		c->rc = 0;
		break;
	case FZ_K_BLOCK:
		(void)HYPERVISOR_set_timer_op(c->a[0]);
		c->rc = HYPERVISOR_sched_op(XM_SCHEDOP_BLOCK, NULL);
		break;
	}
}

/* Memory of its own that it may read back: hv may have written there. */
static int
readable(uint64_t p, uint64_t len)
{
	enum fz_region r = region_of(p);

	if (len > 8 * 4096 || (r != FZ_R_ARENA && r != FZ_R_JUNK &&
	    r != FZ_R_SINK))
		return 0;
	return region_of(p + len - 1) == r;
}

/* Frames an increase or populate gave it join the pool. */
static void
gained_frames(uint64_t arg, long n)
{
	const struct xm_memory_reservation *r = (const void *)arg;
	const uint64_t *mfn;
	long i;

	if (n <= 0 || !readable(arg, sizeof(*r)))
		return;
	mfn = (const uint64_t *)r->extent_start;
	for (i = 0; i < n && readable((uint64_t)&mfn[i], 8); i++)
		pool_add(mfn[i]);
}

/* The port a bind or an allocation returned, at its offset. */
static void
bound_port(uint64_t cmd, uint64_t arg)
{
	unsigned int off;

	switch (cmd) {
	case XM_EVTCHNOP_ALLOC_UNBOUND:
	case XM_EVTCHNOP_BIND_IPI:
		off = 4;
		break;
	case XM_EVTCHNOP_BIND_INTERDOMAIN:
	case XM_EVTCHNOP_BIND_VIRQ:
	case XM_EVTCHNOP_BIND_PIRQ:
		off = 8;
		break;
	default:
		return;
	}
	if (readable(arg + off, 4))
		port_add(*(const uint32_t *)(arg + off));
}

static void	post_call(uint64_t nr, const uint64_t *a, long rc,
		    int depth);

static void
post_multicall(uint64_t list, uint64_t count, int depth)
{
	const struct xm_multicall_entry *e = (const void *)list;
	uint64_t i;

	for (i = 0; i < count && readable((uint64_t)&e[i], sizeof(*e)); i++) {
		if (e[i].op == XM_HYPERCALL_MULTICALL && depth > 0)
			continue;
		stats_record(e[i].op, stats_cmd(e[i].op, e[i].args),
		    (long)e[i].result);
		post_call(e[i].op, e[i].args, (long)e[i].result, depth + 1);
	}
}

static void
post_call(uint64_t nr, const uint64_t *a, long rc, int depth)
{
	switch (nr) {
	case XM_HYPERCALL_MEMORY_OP:
		if (a[0] == XM_XENMEM_INCREASE_RESERVATION ||
		    a[0] == XM_XENMEM_POPULATE_PHYSMAP)
			gained_frames(a[1], rc);
		break;
	case XM_HYPERCALL_EVENT_CHANNEL_OP:
		if (rc == 0)
			bound_port(a[0], a[1]);
		break;
	case XM_HYPERCALL_GRANT_TABLE_OP:
		if (rc == 0 && a[0] == XM_GNTTABOP_MAP_GRANT_REF)
			grant_mapped(a[1], a[2]);
		break;
	case XM_HYPERCALL_MULTICALL:
		if (rc == 0)
			post_multicall(a[0], a[1], depth);
		break;
	}
}

static void
trace_mmuext(uint64_t ops, uint64_t count)
{
	const struct xm_mmuext_op *op = (const void *)ops;
	uint64_t i;

	for (i = 0; i < count && i < 64 &&
	    readable((uint64_t)&op[i], sizeof(*op)); i++)
		gprintf("#   op %lu: cmd %u arg1 %#lx arg2 %#lx\n", i,
		    op[i].cmd, op[i].arg1.mfn, op[i].arg2.src_mfn);
}

static void
trace_reservation(uint64_t arg)
{
	const struct xm_memory_reservation *r = (const void *)arg;
	const uint64_t *e;
	uint64_t i;

	if (!readable(arg, sizeof(*r)))
		return;
	gprintf("#   extents %#lx nr %lu order %u domid %#x\n",
	    r->extent_start, r->nr_extents, r->extent_order, r->domid);
	e = (const uint64_t *)r->extent_start;
	for (i = 0; i < r->nr_extents && i < 64 &&
	    readable((uint64_t)&e[i], 8); i++)
		gprintf("#   extent %lu: %#lx\n", i, e[i]);
}

/* The call as it will be made (or was), and a multicall's entries. */
void
trace_call(const struct fz_call *c, int done)
{
	const struct xm_multicall_entry *e = (const void *)c->a[0];
	char what[256];
	uint64_t i;

	call_describe(c, done, what, sizeof(what));
	gprintf("# call: %s\n", what);
	if (c->kind == FZ_K_HYPERCALL && c->nr == XM_HYPERCALL_MMUEXT_OP)
		trace_mmuext(c->a[0], c->a[1]);
	if (c->kind == FZ_K_HYPERCALL && c->nr == XM_HYPERCALL_MEMORY_OP &&
	    c->a[0] <= XM_XENMEM_POPULATE_PHYSMAP)
		trace_reservation(c->a[1]);
	if (c->kind == FZ_K_HYPERCALL && c->nr == XM_HYPERCALL_MULTICALL)
		for (i = 0; i < c->a[1] && i < 64 &&
		    readable((uint64_t)&e[i], sizeof(*e)); i++)
			gprintf("#   entry %lu: %lu %s(%#lx, %#lx, %#lx, "
			    "%#lx, %#lx)\n", i, e[i].op, hc_name(e[i].op),
			    e[i].args[0], e[i].args[1], e[i].args[2],
			    e[i].args[3], e[i].args[4]);
	console_flush();
}

void
issue(struct fz_call *c, int trace)
{
	struct hx_fault f;

	safe_call(c);
	if (trace)
		trace_call(c, 0);
	c->rc = 0;
	c->fault = 0;
	local_irq_disable();
	if (hx_run(issue_fn, (uint64_t)c, &f))
		c->fault = f.vector + 1;
	safe_restore(c->flags);
	local_irq_disable();
	stats_call(c);
	if (c->kind == FZ_K_HYPERCALL && c->fault == 0)
		post_call(c->nr, c->a, c->rc, 0);
}
