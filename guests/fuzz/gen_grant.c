/*
 * Generators for grant tables and event channels.  The fuzzer grants
 * its pool frames (never a live one) to whoever, read-only unless to
 * itself; maps and copies the other domains' grants and its own;
 * remembers what it mapped, so that unmaps can hit real handles; and
 * binds, sends to and closes ports of its own and of others.
 */

#include <stdint.h>

#include <klib/string.h>

#include <xm/event_channel.h>
#include <xm/grant_table.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/gnttab.h>
#include <guest/mm.h>

#include "fuzz.h"

#define MAPS	16
#define OWN_REFS	56	/* refs 8..63 are the fuzzer's to grant */

static struct mapping {
	uint64_t	host_addr;
	uint32_t	handle;
} maps[MAPS];
static unsigned int	nmaps;

static uint64_t
sandbox_page(void)
{
	return SANDBOX_VA + rng_below(SANDBOX_PAGES) * PAGE_SIZE;
}

/* Write one entry of its own grant table, as a guest would. */
static void
grant_write(void)
{
	uint32_t ref = XM_GNTTAB_NR_RESERVED_ENTRIES + (uint32_t)rng_below(
	    OWN_REFS);
	volatile struct xm_grant_entry_v1 *e = gnttab_entry(ref);
	uint64_t frame = rng_one_in(4) ? gen_mfn() : pool_hot();
	uint16_t flags = XM_GTF_PERMIT_ACCESS;
	xm_domid_t domid;

	if (e == NULL)
		return;
	if (mfn_is_live(frame))
		frame = pool_any();
	if (rng_one_in(2))
		flags |= XM_GTF_READONLY;
	if (rng_one_in(8))
		flags = (uint16_t)rng_next();
	domid = (xm_domid_t)(rng_one_in(4) ? gen_domid() : 1 + rng_below(3));
	/*
	 * Writable only to itself: another domain's bytes in a pool frame
	 * could become a table that points into its live ones.
	 */
	if (domid != fz.domid && domid != XM_DOMID_SELF)
		flags |= XM_GTF_READONLY;
	e->flags = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	e->domid = domid;
	e->frame = (uint32_t)frame;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	e->flags = rng_one_in(8) ? 0 : flags;
	if (fz.grefs_n < sizeof(fz.grefs) / sizeof(fz.grefs[0]))
		fz.grefs[fz.grefs_n++] = ref;
}

void
grant_mapped(uint64_t uop, uint64_t count)
{
	const struct xm_gnttab_map_grant_ref *op = (const void *)uop;
	uint64_t i;

	if (region_of(uop) != FZ_R_ARENA)
		return;
	for (i = 0; i < count && i < 8; i++) {
		if (region_of((uint64_t)&op[i + 1] - 1) != FZ_R_ARENA)
			return;
		if (op[i].status != XM_GNTST_OKAY)
			continue;
		maps[nmaps % MAPS].host_addr = op[i].host_addr;
		maps[nmaps % MAPS].handle = op[i].handle;
		nmaps++;
	}
}

static uint16_t
gnt_map_flags(void)
{
	uint16_t f = XM_GNTMAP_HOST_MAP;

	if (rng_one_in(2))
		f |= XM_GNTMAP_READONLY;
	if (rng_one_in(8))
		f |= XM_GNTMAP_DEVICE_MAP;
	if (rng_one_in(16))
		f |= XM_GNTMAP_APPLICATION_MAP;
	if (rng_one_in(16))
		f |= XM_GNTMAP_CONTAINS_PTE;
	if (rng_one_in(16))
		f = (uint16_t)rng_next();
	return f;
}

static void
map_op(void *p)
{
	struct xm_gnttab_map_grant_ref *op = p;

	op->flags = gnt_map_flags();
	op->host_addr = (op->flags & XM_GNTMAP_CONTAINS_PTE) ?
	    sandbox_entry_maddr((unsigned int)rng_next()) :
	    rng_one_in(4) ? gen_va() : sandbox_page();
	op->ref = (uint32_t)gen_gref();
	op->dom = (xm_domid_t)(rng_one_in(3) ? gen_domid() :
	    1 + rng_below(3));
	op->status = (int16_t)rng_next();
}

static void
unmap_op(void *p)
{
	struct xm_gnttab_unmap_grant_ref *op = p;
	const struct mapping *m = &maps[rng_below(MAPS)];

	op->host_addr = rng_one_in(4) ? sandbox_page() : m->host_addr;
	op->handle = rng_one_in(4) ? (uint32_t)gen_small() : m->handle;
	op->dev_bus_addr = rng_one_in(8) ? rng_next() : 0;
}

static void
copy_end(struct xm_gnttab_copy_ptr *p, int gref)
{
	if (gref)
		p->u.ref = (uint32_t)gen_gref();
	else
		p->u.gmfn = rng_one_in(2) ? pool_hot() : gen_mfn();
	p->domid = (xm_domid_t)(rng_one_in(2) ? XM_DOMID_SELF : gen_domid());
	p->offset = (uint16_t)(rng_one_in(4) ? rng_next() :
	    rng_below(PAGE_SIZE));
}

static void
copy_op(void *p)
{
	struct xm_gnttab_copy *op = p;

	op->flags = (uint16_t)(rng_one_in(8) ? rng_next() : rng_below(4));
	copy_end(&op->source, op->flags & XM_GNTCOPY_SOURCE_GREF);
	copy_end(&op->dest, op->flags & XM_GNTCOPY_DEST_GREF);
	op->len = (uint16_t)(rng_one_in(4) ? rng_next() : rng_below(64));
}

static void
transfer_op(void *p)
{
	struct xm_gnttab_transfer *op = p;

	op->mfn = rng_one_in(2) ? pool_any() : gen_mfn();
	op->domid = (xm_domid_t)gen_domid();
	op->ref = (uint32_t)gen_gref();
}

static void
replace_op(void *p)
{
	struct xm_gnttab_unmap_and_replace *op = p;

	op->host_addr = sandbox_page();
	op->new_addr = rng_one_in(2) ? sandbox_page() : gen_va();
	op->handle = (uint32_t)gen_small();
}

static const struct gnt_gen {
	uint32_t	cmd;
	size_t		size;
	void		(*fill)(void *);
} gnt_gens[] = {
	{ XM_GNTTABOP_MAP_GRANT_REF, sizeof(struct xm_gnttab_map_grant_ref),
	    map_op },
	{ XM_GNTTABOP_MAP_GRANT_REF, sizeof(struct xm_gnttab_map_grant_ref),
	    map_op },
	{ XM_GNTTABOP_UNMAP_GRANT_REF,
	    sizeof(struct xm_gnttab_unmap_grant_ref), unmap_op },
	{ XM_GNTTABOP_UNMAP_GRANT_REF,
	    sizeof(struct xm_gnttab_unmap_grant_ref), unmap_op },
	{ XM_GNTTABOP_COPY, sizeof(struct xm_gnttab_copy), copy_op },
	{ XM_GNTTABOP_COPY, sizeof(struct xm_gnttab_copy), copy_op },
	{ XM_GNTTABOP_TRANSFER, sizeof(struct xm_gnttab_transfer),
	    transfer_op },
	{ XM_GNTTABOP_UNMAP_AND_REPLACE,
	    sizeof(struct xm_gnttab_unmap_and_replace), replace_op },
};

static void
gnt_batch(struct fz_call *c, const struct gnt_gen *g)
{
	uint64_t n = 1 + rng_below(rng_one_in(4) ? 16 : 3), i;
	uint8_t *ops = arena_alloc(n * g->size);

	for (i = 0; ops != NULL && i < n; i++) {
		rng_fill(ops + i * g->size, g->size);
		g->fill(ops + i * g->size);
	}
	c->a[0] = g->cmd;
	c->a[1] = arena_or_bad(ops);
	c->a[2] = rng_one_in(8) ? gen_count(n) : n;
}

/* The single-struct sub-operations: a struct of random, then the fields. */
static void
gnt_single(struct fz_call *c)
{
	static const uint64_t cmds[] = { XM_GNTTABOP_SETUP_TABLE,
	    XM_GNTTABOP_QUERY_SIZE,
	    XM_GNTTABOP_SET_VERSION, XM_GNTTABOP_GET_STATUS_FRAMES,
	    XM_GNTTABOP_GET_VERSION, XM_GNTTABOP_SWAP_GRANT_REF,
	    XM_GNTTABOP_CACHE_FLUSH, 13, 0x100, 0x80000000 };
	struct xm_gnttab_setup_table *st;
	uint16_t *dom;

	/* A dump is a line on hv's console per grant in use: rarely. */
	c->a[0] = rng_one_in(64) ? XM_GNTTABOP_DUMP_TABLE : RNG_PICK(cmds);
	c->a[2] = rng_one_in(4) ? gen_count(2) : 1;
	st = arena_alloc(64);
	if (st != NULL) {
		rng_fill(st, 64);
		dom = (uint16_t *)st;
		*dom = (uint16_t)(rng_one_in(2) ? XM_DOMID_SELF : gen_domid());
	}
	if (st != NULL && c->a[0] == XM_GNTTABOP_SETUP_TABLE) {
		st->nr_frames = (uint32_t)(rng_one_in(4) ? gen_boundary() :
		    rng_below(GNTTAB_NR_FRAMES + 4));
		st->frame_list = rng_one_in(2) ? gen_ptr() :
		    arena_or_bad(arena_alloc(64));
	}
	if (st != NULL && c->a[0] == XM_GNTTABOP_SET_VERSION)
		*(uint32_t *)st = (uint32_t)rng_below(4);
	c->a[1] = arena_or_bad(st);
}

void
gen_grant_table_op(struct fz_call *c)
{
	c->gen = "grant_table_op";
	c->nr = XM_HYPERCALL_GRANT_TABLE_OP;
	if (rng_one_in(3))
		grant_write();
	if (rng_one_in(4))
		gnt_single(c);
	else
		gnt_batch(c, &gnt_gens[rng_below(sizeof(gnt_gens) /
		    sizeof(gnt_gens[0]))]);
}

/* --- event channels --------------------------------------------------- */

static void
evtchn_fill(uint64_t cmd, uint32_t *w)
{
	uint16_t *h = (uint16_t *)w;

	switch (cmd) {
	case XM_EVTCHNOP_ALLOC_UNBOUND:
		h[0] = (uint16_t)(rng_one_in(3) ? gen_domid() : XM_DOMID_SELF);
		h[1] = (uint16_t)(rng_one_in(3) ? gen_domid() :
		    1 + rng_below(3));
		break;
	case XM_EVTCHNOP_BIND_INTERDOMAIN:
		h[0] = (uint16_t)(rng_one_in(3) ? gen_domid() :
		    rng_below(4));
		w[1] = (uint32_t)gen_port();
		break;
	case XM_EVTCHNOP_BIND_VIRQ:
		w[0] = (uint32_t)(rng_one_in(4) ? gen_value() :
		    rng_below(XM_NR_VIRQS + 2));
		w[1] = (uint32_t)(rng_one_in(4) ? gen_small() : 0);
		break;
	case XM_EVTCHNOP_STATUS:
		h[0] = (uint16_t)(rng_one_in(2) ? XM_DOMID_SELF : gen_domid());
		w[1] = (uint32_t)gen_port();
		break;
	case XM_EVTCHNOP_BIND_IPI:
	case XM_EVTCHNOP_RESET:
		w[0] = (uint32_t)(rng_one_in(2) ? 0 : gen_small());
		break;
	default:
		w[0] = (uint32_t)gen_port();
		w[1] = (uint32_t)(rng_one_in(2) ? 0 : gen_small());
	}
}

void
gen_event_channel_op(struct fz_call *c)
{
	uint32_t *w = arena_alloc(32);

	c->gen = "event_channel_op";
	c->nr = XM_HYPERCALL_EVENT_CHANNEL_OP;
	c->a[0] = rng_one_in(16) ? gen_boundary() : rng_below(14);
	if (w != NULL) {
		rng_fill(w, 32);
		evtchn_fill(c->a[0], w);
	}
	c->a[1] = arena_or_bad(w);
	if (rng_one_in(16)) {
		/* The old form: the sub-operation inside the struct. */
		c->nr = XM_HYPERCALL_EVENT_CHANNEL_OP_COMPAT;
		c->a[1] = 0;
		if (w != NULL) {
			kmemmove(w + 2, w, 24);
			w[0] = (uint32_t)c->a[0];
		}
		c->a[0] = arena_or_bad(w);
	}
}
