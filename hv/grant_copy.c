/*
 * GNTTABOP_copy: copy bytes between two frames, each named either by a
 * grant (GNTCOPY_source_gref / GNTCOPY_dest_gref: a ref of domid's
 * table that grants the caller access) or, only with DOMID_SELF, by
 * the caller's own mfn.  Neither end may cross its page.  A grant end
 * is pinned for the copy like a mapping is (the granter sees
 * GTF_reading/GTF_writing meanwhile); the destination must be writable.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/grant_table.h>
#include <xm/hypercall.h>

#include <hv/domain.h>
#include <hv/mm.h>

#include "grant_internal.h"

/* One end of a copy, once claimed. */
struct copy_end {
	struct domain	*d;		/* whose frame */
	bool		 gref;
	bool		 ro;
	bool		 held;
	uint32_t	 ref;
	uint64_t	 mfn;
};

static int16_t
end_lookup(struct domain *ld, const struct xm_gnttab_copy_ptr *p,
    struct copy_end *end)
{
	if (!end->gref && p->domid != XM_DOMID_SELF) {
		domain_log_refusal(ld, "grant copy: frame %#lx of d%u: only "
		    "DOMID_SELF may name frames", p->u.gmfn, p->domid);
		return XM_GNTST_PERMISSION_DENIED;
	}
	end->d = p->domid == XM_DOMID_SELF ? ld : domain_get(p->domid);
	if (end->d == NULL) {
		domain_log_refusal(ld, "grant copy: no domain %u", p->domid);
		return XM_GNTST_BAD_DOMAIN;
	}
	return XM_GNTST_OKAY;
}

/* The caller's own frame: a reference, writable for a destination. */
static int16_t
own_frame_get(struct domain *ld, uint64_t mfn, bool ro)
{
	if (mm_get_page(&ld->mm, mfn) != 0) {
		domain_log_refusal(ld, "grant copy: mfn %#lx is not its frame",
		    mfn);
		return XM_GNTST_BAD_PAGE;
	}
	if (ro)
		return XM_GNTST_OKAY;
	mm_put_page(&ld->mm, mfn);
	if (mm_get_page_and_type(&ld->mm, mfn, MM_PGT_WRITABLE) != 0) {
		domain_log_refusal(ld, "grant copy: mfn %#lx is not writable",
		    mfn);
		return XM_GNTST_GENERAL_ERROR;
	}
	return XM_GNTST_OKAY;
}

static int16_t
end_claim(struct domain *ld, const struct xm_gnttab_copy_ptr *p,
    struct copy_end *end)
{
	int16_t st;

	if (end->gref) {
		if (!gnt_usable(end->d)) {
			domain_log_refusal(ld, "grant copy: d%u is dying",
			    end->d->id);
			return XM_GNTST_BAD_DOMAIN;
		}
		end->ref = p->u.ref;
		st = gnt_acquire(ld, end->d, end->ref, end->ro, false,
		    &end->mfn);
	} else {
		end->mfn = p->u.gmfn;
		st = own_frame_get(ld, end->mfn, end->ro);
	}
	end->held = st == XM_GNTST_OKAY;
	return st;
}

static void
end_release(struct copy_end *end)
{
	if (!end->held)
		return;
	if (end->gref)
		gnt_release(end->d, end->ref, end->ro);
	else if (end->ro)
		mm_put_page(&end->d->mm, end->mfn);
	else
		mm_put_page_and_type(&end->d->mm, end->mfn);
	end->held = false;
}

/* Both ends' domains locked. */
static int16_t
copy_locked(struct domain *ld, const struct xm_gnttab_copy *op,
    struct copy_end *src, struct copy_end *dst)
{
	int16_t st;

	st = end_claim(ld, &op->source, src);
	if (st == XM_GNTST_OKAY)
		st = end_claim(ld, &op->dest, dst);
	if (st == XM_GNTST_OKAY && (op->source.offset + op->len > 4096 ||
	    op->dest.offset + op->len > 4096)) {
		domain_log_refusal(ld, "grant copy of %u bytes at %u to %u: "
		    "beyond a page", op->len, op->source.offset,
		    op->dest.offset);
		st = XM_GNTST_BAD_COPY_ARG;
	}
	if (st == XM_GNTST_OKAY) {
		kmemcpy((uint8_t *)mm_map_frame(dst->mfn) + op->dest.offset,
		    (const uint8_t *)mm_map_frame(src->mfn) +
		    op->source.offset, op->len);
		logdirty_mark(dst->d, dst->mfn);
	}
	end_release(dst);
	end_release(src);
	return st;
}

int16_t
gnt_copy_one(struct domain *ld, struct xm_gnttab_copy *op)
{
	struct copy_end src = { .gref = (op->flags &
	    XM_GNTCOPY_SOURCE_GREF) != 0, .ro = true };
	struct copy_end dst = { .gref = (op->flags &
	    XM_GNTCOPY_DEST_GREF) != 0, .ro = false };

	op->status = end_lookup(ld, &op->source, &src);
	if (op->status == XM_GNTST_OKAY)
		op->status = end_lookup(ld, &op->dest, &dst);
	if (op->status != XM_GNTST_OKAY)
		return op->status;
	gnt_lock2(src.d, dst.d);
	op->status = copy_locked(ld, op, &src, &dst);
	gnt_unlock2(src.d, dst.d);
	return op->status;
}
