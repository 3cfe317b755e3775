/*
 * Memory hypercalls: page-table updates (mmu_update, update_va_mapping,
 * mmuext_op), reservations (memory_op) and batches (multicall). The
 * checks themselves are hv/mm's; this file copies arguments in and out,
 * takes the domain's lock and flushes TLBs.
 *
 * Batches are applied entry by entry; on a failure the number done so
 * far is written back and the error returned. A long batch is
 * preempted (hv/continuation.c): as in Xen, the rest of it is issued
 * again with MMU_UPDATE_PREEMPTED in its count and the number done so
 * far kept in the guest's done count, which the next part adds to.
 */
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/xen_core.h>

#include <hv/console.h>
#include <hv/context.h>
#include <hv/continuation.h>
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/flush.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <hv/x86.h>

/* Xen's marker of a continued batch, in bit 31 of its count. */
#define MMU_UPDATE_PREEMPTED	0x80000000U
/* Look for pending work after this many entries of a batch. */
#define PREEMPT_EVERY		64

static void
flush_local(void)
{
	write_cr3(read_cr3());
}

/* The ABI's done count is an unsigned int, not a long. */
static long
batch_done(uint64_t done_va, uint64_t n, long rc)
{
	uint32_t done = (uint32_t)n;

	if (done_va != 0 && copy_to_guest(done_va, &done, sizeof(done)) != 0)
		return -XM_EFAULT;
	return rc;
}

/*
 * A batch's count as the guest passed it (an unsigned int), and the
 * number its earlier parts did when it is a continuation.
 */
static long
batch_start(uint64_t count, uint64_t done_va, uint32_t *n, uint32_t *before)
{
	*n = (uint32_t)count;
	*before = 0;
	if (!(*n & MMU_UPDATE_PREEMPTED))
		return 0;
	*n &= ~MMU_UPDATE_PREEMPTED;
	if (done_va != 0 && copy_from_guest(before, done_va,
	    sizeof(*before)) != 0)
		return -XM_EFAULT;
	return 0;
}

static bool
batch_preempt(uint32_t i)
{
	return i != 0 && i % PREEMPT_EVERY == 0 && hypercall_preempt_check();
}

static long
mmu_update_one(struct domain *d, const struct xm_mmu_update *u)
{
	uint64_t ptr = u->ptr & ~XM_MMU_UPDATE_CMD_MASK;

	switch (u->ptr & XM_MMU_UPDATE_CMD_MASK) {
	case XM_MMU_NORMAL_PT_UPDATE:
		return mm_pt_update(&d->mm, ptr, u->val);
	case XM_MMU_PT_UPDATE_PRESERVE_AD:
		return mm_pt_update_preserve_ad(&d->mm, ptr, u->val);
	case XM_MMU_MACHPHYS_UPDATE:
		return mm_machphys_update(&d->mm, ptr >> PAGE_SHIFT, u->val);
	}
	return -XM_ENOSYS;
}

long
do_mmu_update(uint64_t reqs, uint64_t count, uint64_t done_va,
    uint64_t foreigndom)
{
	struct domain *d = current_vcpu()->domain;
	struct xm_mmu_update u;
	uint32_t i, n, before;
	long rc;

	if (foreigndom != XM_DOMID_SELF && foreigndom != d->id)
		return -XM_EPERM;	/* foreign updates: the control plane */
	if ((rc = batch_start(count, done_va, &n, &before)) != 0)
		return rc;
	spin_lock(&d->lock);
	for (i = 0; i < n; i++) {
		if (batch_preempt(i)) {
			spin_unlock(&d->lock);
			flush_local();
			if (batch_done(done_va, before + i, 0) != 0)
				return -XM_EFAULT;
			return hypercall_continue(XM_HYPERCALL_MMU_UPDATE,
			    reqs + i * sizeof(u), (n - i) |
			    MMU_UPDATE_PREEMPTED, done_va, foreigndom);
		}
		if (copy_from_guest(&u, reqs + i * sizeof(u), sizeof(u))) {
			rc = -XM_EFAULT;
			break;
		}
		rc = mmu_update_one(d, &u);
		if (rc != 0)
			break;
		current_vcpu()->stats.mmu_updates++;
	}
	spin_unlock(&d->lock);
	flush_local();
	if (rc != 0)
		domain_log_refusal(d, "mmu_update entry %u of %u refused "
		    "(%ld)", before + i, before + n, rc);
	return batch_done(done_va, before + i, rc);
}

static uint64_t
current_l4(struct vcpu *v)
{
	return v->in_kernel || v->user_l4 == 0 ? v->kernel_l4 : v->user_l4;
}

long
do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags)
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;
	uint64_t l1;
	unsigned int slot;
	long rc;

	if (!guest_range_ok(va, 1))
		return -XM_EINVAL;
	spin_lock(&d->lock);
	rc = mm_walk_to_l1(&d->mm, current_l4(v), va, &l1, &slot);
	if (rc == 0)
		rc = mm_l1_update(&d->mm, l1, slot, val);
	spin_unlock(&d->lock);
	v->stats.va_updates++;
	if (rc != 0) {
		domain_log_refusal(d, "update_va_mapping %p refused (%ld)",
		    (void *)va, rc);
		return rc;
	}
	return flush_uvmf(v, va, flags);
}

/*
 * Make mfn the L4 in *slot (a vCPU's kernel or user table; 0 clears it):
 * the new one is validated and referenced before the old one is put.
 * Caller holds the domain's lock. When held is not NULL and the old
 * table is the one this CPU runs on, its reference goes to *held
 * instead: the caller puts it once CR3 no longer points there, since
 * a table the CPU still walks must not be freed or retyped (by a later
 * entry of the same batch, say).
 */
long
vcpu_replace_base(struct domain *d, uint64_t *slot, uint64_t mfn,
    uint64_t *held)
{
	long rc;

	if (mfn == *slot)
		return 0;
	if (mfn != 0 && (rc = mm_get_base_table(&d->mm, mfn)) != 0)
		return rc;
	if (*slot != 0) {
		if (held != NULL && *held == 0 &&
		    *slot == this_cpu()->guest_l4)
			*held = *slot;
		else
			mm_put_base_table(&d->mm, *slot);
	}
	*slot = mfn;
	return 0;
}

static long
new_baseptr(struct vcpu *v, uint64_t mfn, int user, uint64_t *held)
{
	if (mfn == 0 && !user)
		return -XM_EINVAL;	/* the kernel always has a table */
	return vcpu_replace_base(v->domain, user ? &v->user_l4 :
	    &v->kernel_l4, mfn, held);
}

static long
page_op(struct domain *d, const struct xm_mmuext_op *op)
{
	long rc;

	rc = mm_get_page_and_type(&d->mm, op->arg1.mfn, MM_PGT_WRITABLE);
	if (rc != 0)
		return rc;
	if (op->cmd == XM_MMUEXT_CLEAR_PAGE) {
		kmemset(mm_map_frame(op->arg1.mfn), 0, PAGE_SIZE);
	} else {
		rc = mm_get_page(&d->mm, op->arg2.src_mfn);
		if (rc == 0) {
			kmemcpy(mm_map_frame(op->arg1.mfn),
			    mm_map_frame(op->arg2.src_mfn), PAGE_SIZE);
			mm_put_page(&d->mm, op->arg2.src_mfn);
		}
	}
	logdirty_mark(d, op->arg1.mfn);
	mm_put_page_and_type(&d->mm, op->arg1.mfn);
	return rc;
}

/* v is the caller: its new LDT is loaded on this CPU at once. */
static long
mmuext_set_ldt(struct vcpu *v, const struct xm_mmuext_op *op)
{
	long rc = ldt_set_op(v, op->arg1.linear_addr, op->arg2.nr_ents);

	if (rc == 0)
		ldt_load(v);
	return rc;
}

static long
mmuext_one(struct vcpu *v, const struct xm_mmuext_op *op, uint64_t *held)
{
	struct domain *d = v->domain;

	switch (op->cmd) {
	case XM_MMUEXT_PIN_L1_TABLE:
	case XM_MMUEXT_PIN_L2_TABLE:
	case XM_MMUEXT_PIN_L3_TABLE:
	case XM_MMUEXT_PIN_L4_TABLE:
		return mm_pin(&d->mm, op->arg1.mfn,
		    (enum mm_pgt)(op->cmd - XM_MMUEXT_PIN_L1_TABLE + 1));
	case XM_MMUEXT_UNPIN_TABLE:
		return mm_unpin(&d->mm, op->arg1.mfn);
	case XM_MMUEXT_NEW_BASEPTR:
		return new_baseptr(v, op->arg1.mfn, 0, held);
	case XM_MMUEXT_NEW_USER_BASEPTR:
		return new_baseptr(v, op->arg1.mfn, 1, held);
	case XM_MMUEXT_TLB_FLUSH_LOCAL:
	case XM_MMUEXT_TLB_FLUSH_MULTI:
	case XM_MMUEXT_TLB_FLUSH_ALL:
	case XM_MMUEXT_INVLPG_LOCAL:
	case XM_MMUEXT_INVLPG_MULTI:
	case XM_MMUEXT_INVLPG_ALL:
		return flush_mmuext(v, op);
	case XM_MMUEXT_FLUSH_CACHE:
		return 0;
	case XM_MMUEXT_SET_LDT:
		return mmuext_set_ldt(v, op);
	case XM_MMUEXT_CLEAR_PAGE:
	case XM_MMUEXT_COPY_PAGE:
		return page_op(d, op);
	}
	return -XM_ENOSYS;
}

/* CR3 is off the table the batch replaced: now its reference can go. */
static void
mmuext_end(struct vcpu *v, uint64_t held)
{
	vcpu_load_cr3(v);
	if (held == 0)
		return;
	spin_lock(&v->domain->lock);
	mm_put_base_table(&v->domain->mm, held);
	spin_unlock(&v->domain->lock);
}

long
do_mmuext_op(uint64_t ops, uint64_t count, uint64_t done_va,
    uint64_t foreigndom)
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;
	struct xm_mmuext_op op;
	uint64_t held = 0;
	uint32_t i, n, before;
	long rc;

	if (foreigndom != XM_DOMID_SELF && foreigndom != d->id)
		return -XM_EPERM;
	if ((rc = batch_start(count, done_va, &n, &before)) != 0)
		return rc;
	spin_lock(&d->lock);
	for (i = 0; i < n; i++) {
		if (batch_preempt(i)) {
			spin_unlock(&d->lock);
			mmuext_end(v, held);
			if (batch_done(done_va, before + i, 0) != 0)
				return -XM_EFAULT;
			return hypercall_continue(XM_HYPERCALL_MMUEXT_OP,
			    ops + i * sizeof(op), (n - i) |
			    MMU_UPDATE_PREEMPTED, done_va, foreigndom);
		}
		if (copy_from_guest(&op, ops + i * sizeof(op), sizeof(op))) {
			rc = -XM_EFAULT;
			break;
		}
		rc = mmuext_one(v, &op, &held);
		if (rc != 0)
			break;
		v->stats.mmuext_ops++;
	}
	spin_unlock(&d->lock);
	mmuext_end(v, held);
	if (rc != 0)
		domain_log_refusal(d, "mmuext_op %u (entry %u of %u) "
		    "refused (%ld)", op.cmd, before + i, before + n, rc);
	return batch_done(done_va, before + i, rc);
}

/*
 * One entry of a multicall: 0 when done, 1 when its call was preempted
 * (its arguments for the rest are back in the entry, and the multicall
 * goes on from it), -EFAULT when the entry cannot be written.
 */
static int
multicall_one(uint64_t at, struct xm_multicall_entry *e)
{
	struct cpu_info *ci = this_cpu();

	if (e->op == XM_HYPERCALL_MULTICALL || e->op == XM_HYPERCALL_IRET)
		e->result = (uint64_t)-XM_EINVAL;
	else {
		ci->in_multicall = true;
		ci->mc_preempted = false;
		kmemcpy(ci->mc_args, e->args, sizeof(ci->mc_args));
		stats_hypercall(&ci->current->stats, e->op);
		e->result = (uint64_t)hypercall_call(e->op, e->args);
		ci->in_multicall = false;
	}
	if (ci->mc_preempted) {
		ci->mc_preempted = false;
		return copy_to_guest(at + __builtin_offsetof(struct
		    xm_multicall_entry, args), ci->mc_args,
		    sizeof(ci->mc_args)) == 0 ? 1 : -XM_EFAULT;
	}
	return copy_to_guest(at + __builtin_offsetof(struct
	    xm_multicall_entry, result), &e->result,
	    sizeof(e->result)) == 0 ? 0 : -XM_EFAULT;
}

long
do_multicall(uint64_t list, uint64_t count)
{
	struct xm_multicall_entry e;
	uint64_t i, at;
	int rc;

	if (count > UINT32_MAX)
		return -XM_EINVAL;	/* the ABI's count is an unsigned int */
	for (i = 0; i < count; i++) {
		at = list + i * sizeof(e);
		if (i != 0 && hypercall_preempt_check())
			break;
		if (copy_from_guest(&e, at, sizeof(e)) != 0)
			return -XM_EFAULT;
		if ((rc = multicall_one(at, &e)) < 0)
			return rc;
		if (current_vcpu()->domain->state != DOMAIN_RUNNING)
			return 0;	/* it shut down or crashed meanwhile */
		if (rc == 1)
			break;
	}
	if (i == count)
		return 0;
	return hypercall_continue(XM_HYPERCALL_MULTICALL, list + i * sizeof(e),
	    count - i);
}
