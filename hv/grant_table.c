/*
 * Grant tables, version 1: each domain's table and its frames, pinning
 * a grant for a mapping or a copy, and grant_table_op with its table of
 * sub-operations.  The semantics are Xen's (xen/common/grant_table.c):
 * each batched op reports a GNTST_* status of its own and the hypercall
 * returns 0 unless an argument cannot be copied.
 */
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/grant_table.h>
#include <xm/hypercall.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/grant_table.h>
#include <hv/guest_access.h>
#include <hv/heap.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/spinlock.h>

#include "grant_internal.h"

#define GNTTABOP_ARG_SHIFT	12	/* Xen's continuation bits in cmd */
#define SET_STATUS_RETRIES	4

/* Version 2 is not offered: set_version and get_version answer 1. */
struct gnt_set_version {
	uint32_t	version;
};

struct gnt_get_version {
	xm_domid_t	dom;
	uint16_t	pad;
	uint32_t	version;
};

/*
 * Locks, and which domain an op names.
 */

void
gnt_lock2(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->lock);
		return;
	}
	spin_lock(a->id < b->id ? &a->lock : &b->lock);
	spin_lock(a->id < b->id ? &b->lock : &a->lock);
}

void
gnt_unlock2(struct domain *a, struct domain *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

/* d's table can be used: call with d->lock held. */
bool
gnt_usable(const struct domain *d)
{
	return d->gnttab != NULL && !d->gnttab->dying;
}

/* DOMID_SELF or a domain id; NULL if there is no such domain. */
static struct domain *
any_domain(struct domain *self, uint16_t id)
{
	return id == XM_DOMID_SELF ? self : domain_get(id);
}

/* Xen's XSM_TARGET default: oneself, or domain 0 for anyone. */
static bool
may_manage(const struct domain *self, const struct domain *d)
{
	return self == d || self->privileged;
}

/*
 * The domain a table op names, or NULL with *status saying why not (no
 * such domain, or not the caller's to manage). *status starts as
 * bad_domain either way; the caller sets it once the op has worked.
 */
static struct domain *
managed_domain(struct domain *self, uint16_t id, int16_t *status)
{
	struct domain *d = any_domain(self, id);

	*status = XM_GNTST_BAD_DOMAIN;
	if (d == NULL)
		return NULL;
	if (!may_manage(self, d)) {
		*status = XM_GNTST_PERMISSION_DENIED;
		return NULL;
	}
	return d;
}

/*
 * Every domain with a grant table, by id, dying ones included (those
 * are out of domain_table already): tear-down must reach the other
 * side of every mapping.  Changed, and used by tear-down, under
 * gnt_domains_lock, which is taken before any domain's lock; so two
 * domains never tear down their grants at once, and an id is not
 * reused before its grants are torn down.
 */
static spinlock_t	 gnt_domains_lock = SPINLOCK_INIT;
static struct domain	*gnt_domains[HV_MAX_DOMAINS];

/* During tear-down only. */
struct domain *
gnt_domain(uint16_t id)
{
	return id < HV_MAX_DOMAINS ? gnt_domains[id] : NULL;
}

/*
 * The table and its frames.
 */

int
gnttab_init(struct domain *d)
{
	struct grant_table *gt = hv_alloc(sizeof(*gt));
	int rc = 0;

	if (gt == NULL)
		return -XM_ENOMEM;
	gt->max_frames = GNTTAB_DEFAULT_FRAMES;
	gt->maptrack_free = MAPTRACK_NIL;
	spin_lock(&gnt_domains_lock);
	if (d->id >= HV_MAX_DOMAINS || gnt_domains[d->id] != NULL)
		rc = -XM_EBUSY;
	else
		gnt_domains[d->id] = d;
	spin_unlock(&gnt_domains_lock);
	if (rc != 0) {
		hv_free(gt);
		return rc;
	}
	/* The grant frames come out of the domain's reservation. */
	d->mm.max_pages += gt->max_frames;
	d->gnttab = gt;
	return 0;
}

unsigned int
gnttab_max_frames(const struct domain *d)
{
	return d->gnttab != NULL ? d->gnttab->max_frames : 0;
}

unsigned int
gnttab_room(const struct domain *d)
{
	const struct grant_table *gt = d->gnttab;

	return gt != NULL ? gt->max_frames - gt->nr_frames : 0;
}

int
gnttab_set_max_frames(struct domain *d, unsigned int max)
{
	struct grant_table *gt = d->gnttab;
	int rc = -XM_EINVAL;

	spin_lock(&d->lock);
	if (gnt_usable(d) && max >= gt->nr_frames &&
	    max <= GNTTAB_MAX_FRAMES) {
		d->mm.max_pages = d->mm.max_pages - gt->max_frames + max;
		gt->max_frames = max;
		rc = 0;
	}
	spin_unlock(&d->lock);
	return rc;
}

/*
 * Give a grant frame back to the domain's reservation: the allocation
 * (unless the guest freed the frame already), then hv's reference.  It
 * stays until the guest's own mappings of it go.
 */
static void
frame_free(struct domain *d, struct grant_table *gt, unsigned int i)
{
	const struct page_info *pg = mm_page_info(gt->mfn[i]);

	hv_free(gt->active[i]);
	gt->active[i] = NULL;
	gt->shared[i] = NULL;
	if (pg != NULL && (pg->flags & PGF_ALLOCATED))
		mm_domain_free_frame(&d->mm, gt->mfn[i]);
	mm_put_page_and_type(&d->mm, gt->mfn[i]);
	gt->mfn[i] = 0;
}

static int
frame_add(struct domain *d, struct grant_table *gt, unsigned int i)
{
	int64_t mfn = mm_domain_alloc_frame(&d->mm);

	if (mfn < 0)
		return (int)mfn;
	/* hv writes the flags: never a page table (mm.h). */
	if (mm_get_page_and_type(&d->mm, (uint64_t)mfn,
	    MM_PGT_WRITABLE) != 0) {
		mm_domain_free_frame(&d->mm, (uint64_t)mfn);
		return -XM_ENOMEM;
	}
	gt->mfn[i] = (uint64_t)mfn;
	gt->active[i] = hv_alloc(GNT_PER_FRAME * sizeof(struct gnt_active));
	if (gt->active[i] == NULL) {
		frame_free(d, gt, i);
		return -XM_ENOMEM;
	}
	gt->shared[i] = mm_map_frame((uint64_t)mfn);
	return 0;
}

/* Grow to nr frames, all or nothing; d->lock held. */
static int
table_grow(struct domain *d, unsigned int nr)
{
	struct grant_table *gt = d->gnttab;
	unsigned int i;
	int rc;

	for (i = gt->nr_frames; i < nr; i++) {
		rc = frame_add(d, gt, i);
		if (rc != 0) {
			while (i-- > gt->nr_frames)
				frame_free(d, gt, i);
			return rc;
		}
	}
	if (nr > gt->nr_frames)
		gt->nr_frames = nr;
	return 0;
}

void
gnttab_destroy(struct domain *d)
{
	struct grant_table *gt = d->gnttab;
	unsigned int i;

	if (gt == NULL)
		return;
	spin_lock(&gnt_domains_lock);
	spin_lock(&d->lock);
	gt->dying = true;
	spin_unlock(&d->lock);
	gnt_release_mappings(d);
	gnt_revoke_mappings_of(d);
	spin_lock(&d->lock);
	for (i = 0; i < gt->nr_frames; i++)
		frame_free(d, gt, i);
	gnt_maptrack_free(gt);
	d->gnttab = NULL;
	spin_unlock(&d->lock);
	gnt_domains[d->id] = NULL;
	spin_unlock(&gnt_domains_lock);
	hv_free(gt);
}

/*
 * Pins.  A grant is pinned for a mapping or a copy: the first pin (and
 * the first writable one) marks the shared entry in use, every pin
 * holds a reference on the frame for its user.
 */

static uint32_t
entries(const struct grant_table *gt)
{
	return gt->nr_frames * GNT_PER_FRAME;
}

static struct xm_grant_entry_v1 *
shared_entry(struct grant_table *gt, uint32_t ref)
{
	return &gt->shared[ref / GNT_PER_FRAME][ref % GNT_PER_FRAME];
}

static struct gnt_active *
active_entry(struct grant_table *gt, uint32_t ref)
{
	return &gt->active[ref / GNT_PER_FRAME][ref % GNT_PER_FRAME];
}

/*
 * Set GTF_reading (and GTF_writing) in the entry, checking it grants
 * ldomid access (type and domid are only checked at the first pin):
 * one compare-and-swap of flags and domid together, retried a few
 * times only, for the guest may rewrite the entry faster than hv.
 */
static const char *
set_status(struct xm_grant_entry_v1 *e, bool pinned, bool ro, bool map,
    uint16_t ldomid)
{
	uint32_t *word = (uint32_t *)e;
	uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE), new;
	uint16_t mask = XM_GTF_TYPE_MASK | (map ? XM_GTF_SUB_PAGE : 0);
	unsigned int tries;

	_Static_assert(offsetof(struct xm_grant_entry_v1, domid) == 2,
	    "flags and domid share a word");
	for (tries = 0;; tries++) {
		if (!pinned && ((old & mask) != XM_GTF_PERMIT_ACCESS ||
		    (uint16_t)(old >> 16) != ldomid))
			return "not granted to the caller";
		if (!ro && (old & XM_GTF_READONLY))
			return "granted read-only";
		new = old | XM_GTF_READING | (ro ? 0 : XM_GTF_WRITING);
		if (__atomic_compare_exchange_n(word, &old, new, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return NULL;
		if (tries == SET_STATUS_RETRIES)
			return "entry unstable";
	}
}

static void
clear_status(struct xm_grant_entry_v1 *e, const struct gnt_active *act,
    bool ro)
{
	uint16_t clear = 0;

	if (!ro && !(act->pin & PIN_W_MASK))
		clear |= XM_GTF_WRITING;
	if (act->pin == 0)
		clear |= XM_GTF_READING;
	if (clear != 0)
		__atomic_fetch_and(&e->flags, (uint16_t)~clear,
		    __ATOMIC_RELEASE);
}

/* The frame's references for one pin. */
static int
frame_get(struct domain *rd, uint64_t mfn, bool ro)
{
	if (ro)
		return mm_get_page(&rd->mm, mfn);
	return mm_get_page_and_type(&rd->mm, mfn, MM_PGT_WRITABLE);
}

static int16_t
pin_frame(struct domain *ld, struct domain *rd, struct gnt_active *act,
    struct xm_grant_entry_v1 *e, bool ro)
{
	const struct page_info *pg;
	uint64_t mfn = act->mfn;

	if (act->pin == 0)
		mfn = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);
	if (frame_get(rd, mfn, ro) == 0) {
		act->mfn = mfn;
		return XM_GNTST_OKAY;
	}
	pg = mm_page_info(mfn);
	if (pg == NULL || pg->owner != rd->id) {
		domain_log_refusal(ld, "grant of d%u: frame %#lx is not "
		    "d%u's", rd->id, mfn, rd->id);
		return XM_GNTST_BAD_PAGE;
	}
	domain_log_refusal(ld, "grant of d%u: frame %#lx cannot be %s", rd->id,
	    mfn, ro ? "referenced" : "written");
	return XM_GNTST_GENERAL_ERROR;
}

/*
 * Pin rd's grant ref for ld (both locked), read-only or writable, for
 * a mapping (map) or a copy: GNTST_* and, when okay, the frame.
 */
int16_t
gnt_acquire(struct domain *ld, struct domain *rd, uint32_t ref, bool ro,
    bool map, uint64_t *mfn)
{
	struct grant_table *rgt = rd->gnttab;
	struct xm_grant_entry_v1 *e;
	struct gnt_active *act;
	const char *why;
	int16_t st;

	if (ref >= entries(rgt)) {
		domain_log_refusal(ld, "grant ref %u of d%u: past its table "
		    "(%u)", ref, rd->id, entries(rgt));
		return XM_GNTST_BAD_GNTREF;
	}
	act = active_entry(rgt, ref);
	e = shared_entry(rgt, ref);
	if (act->pin != 0 && (act->domid != ld->id ||
	    (act->pin & PIN_FULL) != 0)) {
		domain_log_refusal(ld, "grant ref %u of d%u: in use by d%u "
		    "(pins %#x)", ref, rd->id, act->domid, act->pin);
		return XM_GNTST_GENERAL_ERROR;
	}
	if (act->pin == 0 || (!ro && !(act->pin & PIN_W_MASK))) {
		why = set_status(e, act->pin != 0, ro, map, ld->id);
		if (why != NULL) {
			domain_log_refusal(ld, "grant ref %u of d%u: %s", ref,
			    rd->id, why);
			return XM_GNTST_GENERAL_ERROR;
		}
	}
	st = pin_frame(ld, rd, act, e, ro);
	if (st != XM_GNTST_OKAY) {
		clear_status(e, act, ro);
		return st;
	}
	act->domid = ld->id;
	act->pin += ro ? PIN_R_INC : PIN_W_INC;
	*mfn = act->mfn;
	return XM_GNTST_OKAY;
}

/* Undo one gnt_acquire; whatever mapped the frame is gone and flushed. */
void
gnt_release(struct domain *rd, uint32_t ref, bool ro)
{
	struct grant_table *rgt = rd->gnttab;
	struct gnt_active *act = active_entry(rgt, ref);

	ASSERT(ref < entries(rgt) && (act->pin & (ro ? PIN_R_MASK :
	    PIN_W_MASK)) != 0);
	if (ro)
		mm_put_page(&rd->mm, act->mfn);
	else
		mm_put_page_and_type(&rd->mm, act->mfn);
	act->pin -= ro ? PIN_R_INC : PIN_W_INC;
	clear_status(shared_entry(rgt, ref), act, ro);
}

/*
 * The single operations: count must be 1.
 */

static long
op_setup_table(struct domain *self, uint64_t uop, unsigned int count)
{
	struct xm_gnttab_setup_table op;
	uint64_t mfns[GNTTAB_MAX_FRAMES];
	struct domain *d;
	unsigned int i;

	if (count != 1)
		return -XM_EINVAL;
	if (copy_from_guest(&op, uop, sizeof(op)) != 0 ||
	    !guest_range_ok(op.frame_list, (uint64_t)op.nr_frames * 8))
		return -XM_EFAULT;
	d = managed_domain(self, op.dom, &op.status);
	if (d != NULL) {
		spin_lock(&d->lock);
		if (!gnt_usable(d))
			op.status = XM_GNTST_BAD_DOMAIN;
		else if (op.nr_frames > d->gnttab->max_frames ||
		    table_grow(d, op.nr_frames) != 0)
			op.status = XM_GNTST_GENERAL_ERROR;
		else {
			for (i = 0; i < op.nr_frames; i++)
				mfns[i] = d->gnttab->mfn[i];
			op.status = XM_GNTST_OKAY;
		}
		spin_unlock(&d->lock);
	}
	if (op.status != XM_GNTST_OKAY)
		domain_log_refusal(self, "grant setup_table of d%u with %u "
		    "frames refused (%d)", op.dom, op.nr_frames, op.status);
	for (i = 0; op.status == XM_GNTST_OKAY && i < op.nr_frames; i++)
		if (copy_to_guest(op.frame_list + i * 8, &mfns[i], 8) != 0)
			op.status = XM_GNTST_BAD_VIRT_ADDR;
	if (copy_to_guest(uop + offsetof(struct xm_gnttab_setup_table,
	    status), &op.status, sizeof(op.status)) != 0)
		return -XM_EFAULT;
	return 0;
}

static long
op_query_size(struct domain *self, uint64_t uop, unsigned int count)
{
	struct xm_gnttab_query_size op;
	struct domain *d;

	if (count != 1)
		return -XM_EINVAL;
	if (copy_from_guest(&op, uop, sizeof(op)) != 0)
		return -XM_EFAULT;
	d = managed_domain(self, op.dom, &op.status);
	if (d != NULL) {
		spin_lock(&d->lock);
		if (gnt_usable(d)) {
			op.nr_frames = d->gnttab->nr_frames;
			op.max_nr_frames = d->gnttab->max_frames;
			op.status = XM_GNTST_OKAY;
		}
		spin_unlock(&d->lock);
	}
	return copy_to_guest(uop, &op, sizeof(op)) == 0 ? 0 : -XM_EFAULT;
}

/*
 * At most this many entries are printed per call: on a real UART at
 * 115200 baud a full table would hold the domain's lock for a minute.
 */
#define GNT_DUMP_MAX_LINES	32

static void
dump_entries(struct domain *d)
{
	struct grant_table *gt = d->gnttab;
	struct gnt_active *act;
	uint32_t ref, n = 0;

	log_info("d%u: grant table v1, %u of %u frames", d->id,
	    gt->nr_frames, gt->max_frames);
	for (ref = 0; ref < entries(gt); ref++) {
		act = active_entry(gt, ref);
		if (act->pin == 0)
			continue;
		if (n++ >= GNT_DUMP_MAX_LINES)
			continue;
		log_info("d%u: grant %#x to d%u mfn %#lx pins %#x flags %#x",
		    d->id, ref, act->domid, act->mfn, act->pin,
		    shared_entry(gt, ref)->flags);
	}
	if (n > GNT_DUMP_MAX_LINES)
		log_info("d%u: %u grants in use, the first %u printed", d->id,
		    n, GNT_DUMP_MAX_LINES);
	else
		log_info("d%u: %u grants in use", d->id, n);
}

static long
op_dump_table(struct domain *self, uint64_t uop, unsigned int count)
{
	struct xm_gnttab_dump_table op;
	struct domain *d;

	if (count != 1)
		return -XM_EINVAL;
	if (copy_from_guest(&op, uop, sizeof(op)) != 0)
		return -XM_EFAULT;
	d = managed_domain(self, op.dom, &op.status);
	if (d != NULL) {
		spin_lock(&d->lock);
		if (gnt_usable(d)) {
			dump_entries(d);
			op.status = XM_GNTST_OKAY;
		}
		spin_unlock(&d->lock);
	}
	return copy_to_guest(uop, &op, sizeof(op)) == 0 ? 0 : -XM_EFAULT;
}

/* Xen built with gnttab max_ver:1 answers a request for 2 so. */
static long
op_set_version(struct domain *self, uint64_t uop, unsigned int count)
{
	struct gnt_set_version op;
	long rc = 0;

	(void)self, (void)count;
	if (copy_from_guest(&op, uop, sizeof(op)) != 0)
		return -XM_EFAULT;
	if (op.version != 1 && op.version != 2)
		rc = -XM_EINVAL;
	else if (op.version == 2)
		rc = -XM_ENOSYS;
	op.version = 1;
	if (copy_to_guest(uop, &op, sizeof(op)) != 0)
		return -XM_EFAULT;
	return rc;
}

static long
op_get_version(struct domain *self, uint64_t uop, unsigned int count)
{
	struct gnt_get_version op;
	struct domain *d;

	(void)count;
	if (copy_from_guest(&op, uop, sizeof(op)) != 0)
		return -XM_EFAULT;
	d = any_domain(self, op.dom);
	if (d == NULL)
		return -XM_ESRCH;
	if (!may_manage(self, d))
		return -XM_EPERM;
	op.version = 1;
	return copy_to_guest(uop + offsetof(struct gnt_get_version, version),
	    &op.version, sizeof(op.version)) == 0 ? 0 : -XM_EFAULT;
}

/*
 * The batched operations: one status each, written back per op.
 */

#define GNT_BATCH(fn, type)						\
	static int16_t fn##_v(struct domain *d, void *p)		\
	{ return fn(d, (struct type *)p); }
GNT_BATCH(gnt_map_one, xm_gnttab_map_grant_ref)
GNT_BATCH(gnt_unmap_one, xm_gnttab_unmap_grant_ref)
GNT_BATCH(gnt_copy_one, xm_gnttab_copy)

typedef int16_t	gnt_batch_fn(struct domain *, void *);
typedef long	gnt_single_fn(struct domain *, uint64_t, unsigned int);

#define BATCH(t, fn, ...)	{ sizeof(struct t), fn, __VA_ARGS__, NULL }
#define SINGLE(fn)	{ 0, NULL, 0, 0, fn }
#define STATUS_OF(t)	offsetof(struct t, status), sizeof(int16_t)

/* One row per sub-operation; a batched op writes back [off, off+len). */
static const struct gnt_op_row {
	unsigned int	size;
	gnt_batch_fn	*one;
	unsigned int	back_off;
	unsigned int	back_len;
	gnt_single_fn	*single;
} gnt_ops[] = {
	[XM_GNTTABOP_MAP_GRANT_REF] = BATCH(xm_gnttab_map_grant_ref,
	    gnt_map_one_v, 0, sizeof(struct xm_gnttab_map_grant_ref)),
	[XM_GNTTABOP_UNMAP_GRANT_REF] = BATCH(xm_gnttab_unmap_grant_ref,
	    gnt_unmap_one_v, STATUS_OF(xm_gnttab_unmap_grant_ref)),
	[XM_GNTTABOP_SETUP_TABLE] = SINGLE(op_setup_table),
	[XM_GNTTABOP_DUMP_TABLE] = SINGLE(op_dump_table),
	[XM_GNTTABOP_COPY] = BATCH(xm_gnttab_copy, gnt_copy_one_v,
	    STATUS_OF(xm_gnttab_copy)),
	[XM_GNTTABOP_QUERY_SIZE] = SINGLE(op_query_size),
	[XM_GNTTABOP_SET_VERSION] = SINGLE(op_set_version),
	[XM_GNTTABOP_GET_VERSION] = SINGLE(op_get_version),
};

static long
run_batch(struct domain *d, const struct gnt_op_row *row, uint64_t uop,
    unsigned int count)
{
	uint64_t buf[5];
	unsigned int i;

	_Static_assert(sizeof(buf) >= sizeof(struct xm_gnttab_copy) &&
	    sizeof(buf) >= sizeof(struct xm_gnttab_map_grant_ref),
	    "grant op buffer");
	if (count > GNTTAB_BATCH_MAX)
		return -XM_EINVAL;
	for (i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * row->size;

		if (copy_from_guest(buf, at, row->size) != 0)
			return -XM_EFAULT;
		row->one(d, buf);
		if (copy_to_guest(at + row->back_off, (uint8_t *)buf +
		    row->back_off, row->back_len) != 0)
			return -XM_EFAULT;
	}
	return 0;
}

long
do_grant_table_op(uint64_t cmd, uint64_t uop, uint64_t count)
{
	struct domain *d = current_vcpu()->domain;
	const struct gnt_op_row *row;
	long rc;

	if ((int)count < 0 || (cmd >> GNTTABOP_ARG_SHIFT) != 0)
		return -XM_EINVAL;
	if (cmd >= sizeof(gnt_ops) / sizeof(gnt_ops[0]) ||
	    (gnt_ops[cmd].one == NULL && gnt_ops[cmd].single == NULL))
		return -XM_ENOSYS;
	row = &gnt_ops[cmd];
	if (row->single != NULL)
		return row->single(d, uop, (unsigned int)count);
	rc = run_batch(d, row, uop, (unsigned int)count);
	/* A mapping may have replaced a present entry. */
	if (cmd == XM_GNTTABOP_MAP_GRANT_REF) {
		spin_lock(&d->lock);
		mm_tlb_flush_domain(&d->mm);
		spin_unlock(&d->lock);
	}
	return rc;
}
