/*
 * Memory hypercalls: page-table updates (mmu_update, update_va_mapping,
 * mmuext_op), reservations (memory_op) and batches (multicall). The
 * checks themselves are hv/mm's; this file copies arguments in and out,
 * takes the domain's lock and flushes TLBs.
 *
 * Batches are applied entry by entry; on a failure the number done so
 * far is written back and the error returned. A batch is at most
 * MAX_BATCH entries (hv does not yet preempt long hypercalls).
 */
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/xen_core.h>

#include <hv/console.h>
#include <hv/context.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <hv/x86.h>

#define MAX_BATCH	65536
#define UNUSED2(a, b)	((void)(a), (void)(b))

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
    uint64_t foreigndom, uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	struct xm_mmu_update u;
	uint64_t i;
	long rc = 0;

	(void)a5;
	if (foreigndom != XM_DOMID_SELF && foreigndom != d->id)
		return -XM_EPERM;	/* foreign updates: the control plane */
	if (count > MAX_BATCH)
		return -XM_EINVAL;
	spin_lock(&d->lock);
	for (i = 0; i < count; i++) {
		if (copy_from_guest(&u, reqs + i * sizeof(u), sizeof(u))) {
			rc = -XM_EFAULT;
			break;
		}
		rc = mmu_update_one(d, &u);
		if (rc != 0)
			break;
	}
	spin_unlock(&d->lock);
	flush_local();
	if (rc != 0)
		domain_log_refusal(d, "mmu_update entry %lu of %lu refused "
		    "(%ld)", i, count, rc);
	return batch_done(done_va, i, rc);
}

static uint64_t
current_l4(struct vcpu *v)
{
	return v->in_kernel || v->user_l4 == 0 ? v->kernel_l4 : v->user_l4;
}

long
do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags, uint64_t a4,
    uint64_t a5)
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;
	uint64_t l1;
	unsigned int slot;
	long rc;

	UNUSED2(a4, a5);
	if (!guest_range_ok(va, 1))
		return -XM_EINVAL;
	spin_lock(&d->lock);
	rc = mm_walk_to_l1(&d->mm, current_l4(v), va, &l1, &slot);
	if (rc == 0)
		rc = mm_l1_update(&d->mm, l1, slot, val);
	spin_unlock(&d->lock);
	if (rc != 0) {
		domain_log_refusal(d, "update_va_mapping %p refused (%ld)",
		    (void *)va, rc);
		return rc;
	}
	switch (flags & XM_UVMF_FLUSHTYPE_MASK) {
	case XM_UVMF_INVLPG:
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
		break;
	default:
		/* Flushing also when not asked keeps hv's view simple. */
		flush_local();
		break;
	}
	return 0;
}

/*
 * Make mfn the L4 in *slot (a vCPU's kernel or user table; 0 clears it):
 * the new one is validated and referenced before the old one is put.
 * Caller holds the domain's lock.
 */
long
vcpu_replace_base(struct domain *d, uint64_t *slot, uint64_t mfn)
{
	long rc;

	if (mfn == *slot)
		return 0;
	if (mfn != 0 && (rc = mm_get_base_table(&d->mm, mfn)) != 0)
		return rc;
	if (*slot != 0)
		mm_put_base_table(&d->mm, *slot);
	*slot = mfn;
	return 0;
}

static long
new_baseptr(struct vcpu *v, uint64_t mfn, int user)
{
	if (mfn == 0 && !user)
		return -XM_EINVAL;	/* the kernel always has a table */
	return vcpu_replace_base(v->domain, user ? &v->user_l4 :
	    &v->kernel_l4, mfn);
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
	mm_put_page_and_type(&d->mm, op->arg1.mfn);
	return rc;
}

static long
mmuext_one(struct vcpu *v, const struct xm_mmuext_op *op)
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
		return new_baseptr(v, op->arg1.mfn, 0);
	case XM_MMUEXT_NEW_USER_BASEPTR:
		return new_baseptr(v, op->arg1.mfn, 1);
	case XM_MMUEXT_TLB_FLUSH_LOCAL:
	case XM_MMUEXT_TLB_FLUSH_MULTI:
	case XM_MMUEXT_TLB_FLUSH_ALL:
	case XM_MMUEXT_INVLPG_LOCAL:
	case XM_MMUEXT_INVLPG_MULTI:
	case XM_MMUEXT_INVLPG_ALL:
	case XM_MMUEXT_FLUSH_CACHE:
		return 0;	/* the batch ends with a full local flush */
	case XM_MMUEXT_SET_LDT:
		return op->arg1.linear_addr == 0 && op->arg2.nr_ents == 0 ?
		    0 : -XM_ENOSYS;
	case XM_MMUEXT_CLEAR_PAGE:
	case XM_MMUEXT_COPY_PAGE:
		return page_op(d, op);
	}
	return -XM_ENOSYS;
}

long
do_mmuext_op(uint64_t ops, uint64_t count, uint64_t done_va,
    uint64_t foreigndom, uint64_t a5)
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;
	struct xm_mmuext_op op;
	uint64_t i;
	long rc = 0;

	(void)a5;
	if (foreigndom != XM_DOMID_SELF && foreigndom != d->id)
		return -XM_EPERM;
	if (count > MAX_BATCH)
		return -XM_EINVAL;
	spin_lock(&d->lock);
	for (i = 0; i < count; i++) {
		if (copy_from_guest(&op, ops + i * sizeof(op), sizeof(op))) {
			rc = -XM_EFAULT;
			break;
		}
		rc = mmuext_one(v, &op);
		if (rc != 0)
			break;
	}
	spin_unlock(&d->lock);
	vcpu_load_cr3(v);
	if (rc != 0)
		domain_log_refusal(d, "mmuext_op %u (entry %lu of %lu) "
		    "refused (%ld)", op.cmd, i, count, rc);
	return batch_done(done_va, i, rc);
}

long
do_multicall(uint64_t list, uint64_t count, uint64_t a3, uint64_t a4,
    uint64_t a5)
{
	struct xm_multicall_entry e;
	uint64_t i;

	(void)a3;
	UNUSED2(a4, a5);
	if (count > MAX_BATCH)
		return -XM_EINVAL;
	for (i = 0; i < count; i++) {
		uint64_t at = list + i * sizeof(e);

		if (copy_from_guest(&e, at, sizeof(e)) != 0)
			return -XM_EFAULT;
		if (e.op == XM_HYPERCALL_MULTICALL || e.op == XM_HYPERCALL_IRET)
			e.result = (uint64_t)-XM_EINVAL;
		else
			e.result = (uint64_t)hypercall_call(e.op, e.args);
		if (copy_to_guest(at + __builtin_offsetof(struct
		    xm_multicall_entry, result), &e.result,
		    sizeof(e.result)) != 0)
			return -XM_EFAULT;
		if (current_vcpu()->domain->state != DOMAIN_RUNNING)
			break;		/* it shut down or crashed meanwhile */
	}
	return 0;
}
