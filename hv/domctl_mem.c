/*
 * domctl: another domain's memory, for the domain builder, save and
 * restore: giving it frames, listing them and saying what each is,
 * pinning its tables, copying to and from them (shared_info among them:
 * it is the domain's frame, as in Xen), its hypercall page and its
 * console ring.  Never hv's frames, never a frame the target does not
 * own, and never a write into one of its page tables (that would bypass
 * validation): writes take a writable type reference for their duration.
 */
#include <stdbool.h>
#include <stdint.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>

#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/mm.h>

#define POPULATE_MAX	65536

_Static_assert(MM_M2P_INVALID == XM_M2P_INVALID, "one invalid pfn");

long
domctl_populate(struct domctl_call *c)
{
	struct domain *d = c->target;
	struct xm_domctl_populate *p = &c->op->u.populate;
	int64_t mfn;
	uint64_t m;
	long rc = 0;

	p->count = 0;
	if (p->nr > POPULATE_MAX || p->first_pfn + p->nr < p->first_pfn)
		return -XM_EINVAL;
	while (p->count < p->nr) {
		spin_lock(&d->lock);
		mfn = mm_domain_alloc_frame(&d->mm);
		spin_unlock(&d->lock);
		if (mfn < 0) {
			rc = (long)mfn;
			break;
		}
		m = (uint64_t)mfn;
		mm_m2p_set(m, p->first_pfn + p->count);
		if (copy_to_guest(p->mfns + p->count * sizeof(m), &m,
		    sizeof(m)) != 0) {
			rc = -XM_EFAULT;	/* the frame stays d's */
			break;
		}
		p->count++;
	}
	if (p->first_pfn + p->count > d->nr_pfns)
		d->nr_pfns = p->first_pfn + p->count;
	return rc;
}

long
domctl_get_page_list(struct domctl_call *c)
{
	struct domain *d = c->target;
	struct xm_domctl_page_list *l = &c->op->u.page_list;
	uint64_t i = 0, mfn;
	const struct page_info *pg;
	long rc = 0;

	l->count = 0;
	spin_lock(&d->lock);
	l->total = d->mm.tot_pages;
	for (mfn = d->mm.head; mfn != MM_NIL && l->count < l->max;
	    mfn = pg->next, i++) {
		pg = mm_page_info(mfn);
		if (pg == NULL)
			break;
		if (i < l->first)
			continue;
		if (copy_to_guest(l->mfns + l->count * sizeof(mfn), &mfn,
		    sizeof(mfn)) != 0) {
			rc = -XM_EFAULT;
			break;
		}
		l->count++;
	}
	spin_unlock(&d->lock);
	return rc;
}

/* What frame mfn is to d (d's lock held). */
static struct xm_page_info
page_info_of(const struct domain *d, uint64_t mfn)
{
	static const uint32_t types[] = {
		[MM_PGT_NONE] = XM_PAGE_NOTAB, [MM_PGT_L1] = XM_PAGE_L1TAB,
		[MM_PGT_L2] = XM_PAGE_L2TAB, [MM_PGT_L3] = XM_PAGE_L3TAB,
		[MM_PGT_L4] = XM_PAGE_L4TAB, [MM_PGT_SEG_DESC] = XM_PAGE_DESC,
		[MM_PGT_WRITABLE] = XM_PAGE_NOTAB,
	};
	const struct page_info *pg = mm_page_info(mfn);
	struct xm_page_info out = { XM_M2P_INVALID, XM_PAGE_XTAB, 0 };

	if (pg == NULL || pg->owner != d->id ||
	    !(pg->flags & PGF_ALLOCATED) ||
	    pg->type >= sizeof(types) / sizeof(types[0]))
		return out;
	out.pfn = mm_m2p_get(mfn);
	out.type = types[pg->type];
	if (pg->flags & PGF_PINNED)
		out.flags |= XM_PAGE_PINNED;
	return out;
}

long
domctl_page_info(struct domctl_call *c)
{
	struct domain *d = c->target;
	const struct xm_domctl_page_info *p = &c->op->u.page_info;
	struct xm_page_info out;
	uint64_t mfn;
	uint32_t i;

	if (p->nr > XM_PAGE_INFO_MAX)
		return -XM_EINVAL;
	for (i = 0; i < p->nr; i++) {
		if (copy_from_guest(&mfn, p->mfns + i * sizeof(mfn),
		    sizeof(mfn)) != 0)
			return -XM_EFAULT;
		spin_lock(&d->lock);
		out = page_info_of(d, mfn);
		spin_unlock(&d->lock);
		if (copy_to_guest(p->info + i * sizeof(out), &out,
		    sizeof(out)) != 0)
			return -XM_EFAULT;
	}
	return 0;
}

/* Only into a domain being built: a running guest pins its own. */
long
domctl_pin_tables(struct domctl_call *c)
{
	static const enum mm_pgt levels[] = {
		[XM_PAGE_L1TAB] = MM_PGT_L1, [XM_PAGE_L2TAB] = MM_PGT_L2,
		[XM_PAGE_L3TAB] = MM_PGT_L3, [XM_PAGE_L4TAB] = MM_PGT_L4,
	};
	struct domain *d = c->target;
	struct xm_domctl_pin_tables *p = &c->op->u.pin_tables;
	struct xm_pin_table pin;
	long rc;

	p->done = 0;
	if (p->nr > XM_PAGE_INFO_MAX)
		return -XM_EINVAL;
	if (d->state != DOMAIN_BUILDING)
		return -XM_EBUSY;
	while (p->done < p->nr) {
		if (copy_from_guest(&pin, p->pins + p->done * sizeof(pin),
		    sizeof(pin)) != 0)
			return -XM_EFAULT;
		if (pin.level < XM_PAGE_L1TAB || pin.level > XM_PAGE_L4TAB)
			return -XM_EINVAL;
		spin_lock(&d->lock);
		rc = mm_pin(&d->mm, pin.mfn, levels[pin.level]);
		spin_unlock(&d->lock);
		if (rc != 0)
			return rc;
		p->done++;
	}
	return 0;
}

/* One segment; caller holds d->lock. */
static long
copy_one(struct domain *d, const struct xm_domctl_copy_op *op)
{
	uint8_t *frame;
	long rc;

	if ((uint32_t)op->offset + op->len > PAGE_SIZE ||
	    op->dir > XM_COPY_FROM_DOMAIN)
		return -XM_EINVAL;
	if (op->dir == XM_COPY_TO_DOMAIN)
		rc = mm_get_page_and_type(&d->mm, op->mfn, MM_PGT_WRITABLE);
	else
		rc = mm_get_page(&d->mm, op->mfn);
	if (rc != 0)
		return rc;
	frame = (uint8_t *)mm_map_frame(op->mfn) + op->offset;
	if (op->dir == XM_COPY_TO_DOMAIN) {
		rc = copy_from_guest(frame, op->buf, op->len);
		logdirty_mark(d, op->mfn);
		mm_put_page_and_type(&d->mm, op->mfn);
	} else {
		rc = copy_to_guest(op->buf, frame, op->len);
		mm_put_page(&d->mm, op->mfn);
	}
	return rc;
}

/* Never the caller's own memory (its row says): that is no foreign copy. */
long
domctl_foreign_copy(struct domctl_call *call)
{
	struct domain *d = call->target;
	struct xm_domctl_copy *c = &call->op->u.copy;
	struct xm_domctl_copy_op op;
	long rc = 0;

	c->done = 0;
	if (c->nr_ops > XM_COPY_MAX_OPS)
		return -XM_EINVAL;
	spin_lock(&d->lock);
	while (c->done < c->nr_ops) {
		if (copy_from_guest(&op, c->ops + c->done * sizeof(op),
		    sizeof(op)) != 0) {
			rc = -XM_EFAULT;
			break;
		}
		rc = copy_one(d, &op);
		if (rc != 0)
			break;
		c->done++;
	}
	spin_unlock(&d->lock);
	return rc;
}

long
domctl_hypercall_init(struct domctl_call *c)
{
	struct domain *d = c->target;
	uint64_t mfn = c->op->u.hypercall_init.mfn;
	long rc;

	spin_lock(&d->lock);
	rc = mm_get_page_and_type(&d->mm, mfn, MM_PGT_WRITABLE);
	if (rc == 0) {
		hypercall_page_fill(mm_map_frame(mfn));
		mm_put_page_and_type(&d->mm, mfn);
	}
	spin_unlock(&d->lock);
	return rc;
}

/* Record (mfn != 0) or query the console ring; its port is made once. */
long
domctl_console_ring(struct domctl_call *call)
{
	struct domain *d = call->target;
	struct xm_domctl_console *c = &call->op->u.console;
	const struct page_info *pg;
	long rc;

	if (c->mfn != 0) {
		pg = mm_page_info(c->mfn);
		if (pg == NULL || pg->owner != d->id)
			return -XM_EINVAL;
		d->console_mfn = c->mfn;
	}
	if (d->console_mfn == 0)
		return -XM_ENOENT;
	if (d->console_port == 0) {
		rc = evtchn_alloc_unbound_for(d, call->caller->id,
		    &d->console_port);
		if (rc != 0)
			return rc;
	}
	c->mfn = d->console_mfn;
	c->port = d->console_port;
	return 0;
}
