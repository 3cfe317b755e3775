/*
 * domctl: getting and setting a vCPU's whole state, as the domain
 * builder does before a domain first runs (and migration will). Setting
 * vCPU context takes the page table in ctrlreg[3] as the vCPU's L4: hv
 * pins and validates it like any other.  vcpu_set_context is also what
 * a guest's VCPUOP_initialise goes through (hv/vcpu_op.c), so that
 * both check a context the same way.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include <hv/context.h>
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/guest_access.h>
#include <hv/heap.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/mm.h>

/* Canonical and outside hv's range. */
static bool
canonical(uint64_t va)
{
	return guest_range_ok(va, 1);
}

static bool
pinned_by(const struct domain *d, uint64_t mfn)
{
	const struct page_info *pg = mm_page_info(mfn);

	return pg != NULL && pg->owner == d->id && (pg->flags & PGF_PINNED);
}

/*
 * Make l4 v's table in *slot.  For the domain builder, pin it first (a
 * built domain's tables come unpinned); a guest's own VCPUOP_initialise
 * only takes the base reference, as Xen does.  A restored domain's
 * l4 comes pinned already (PIN_TABLES).
 */
static long
vcpu_set_base(struct domain *d, uint64_t *slot, uint64_t l4, bool pin)
{
	long rc;

	if (pin && l4 != 0 && l4 != *slot && !pinned_by(d, l4)) {
		rc = mm_pin(&d->mm, l4, MM_PGT_L4);
		if (rc != 0)
			return rc;
	}
	return vcpu_replace_base(d, slot, l4, NULL);
}

/* Every handler and stack the context gives hv to bounce traps to. */
static bool
context_handlers_ok(const struct xm_vcpu_guest_context *c)
{
	unsigned int i;

	for (i = 0; i < 256; i++)
		if (c->trap_ctxt[i].address != 0 &&
		    !canonical(c->trap_ctxt[i].address))
			return false;
	return canonical(c->kernel_sp) && canonical(c->event_callback_eip) &&
	    canonical(c->failsafe_callback_eip) &&
	    canonical(c->syscall_callback_eip);
}

/* The LDT and GDT a context names, as Xen checks them. */
static bool
context_tables_ok(const struct xm_vcpu_guest_context *c)
{
	if (c->gdt_ents > GDT_FIRST_HV_ENTRY)
		return false;
	if (c->ldt_ents == 0)
		return true;
	return c->ldt_ents <= LDT_MAX_ENTS && (c->ldt_base & (PAGE_SIZE - 1)) == 0 &&
	    guest_range_ok(c->ldt_base, c->ldt_ents * 8);
}

/*
 * Load v's whole state from c: page tables (ctrlreg[3] the kernel's L4,
 * required; ctrlreg[1] the user's, optional), its GDT and LDT, registers
 * (the IOPL in rflags becomes v's virtual IOPL, as Xen takes it), traps,
 * callbacks, segment bases and FPU; vCPU 0's context carries the
 * domain's VM assists, as Xen's arch_set_info_guest takes them (a
 * restored domain gets back the writable page tables it had).  Leaves
 * v's run state to the caller.  Called with d's lock held,
 * on a vCPU that is not running.
 */
long
vcpu_set_context(struct domain *d, struct vcpu *v,
    const struct xm_vcpu_guest_context *c, bool pin)
{
	unsigned int i;
	long rc;

	if (!canonical(c->user_regs.rip) || !canonical(c->user_regs.rsp) ||
	    !context_handlers_ok(c) || (c->ctrlreg[3] >> PAGE_SHIFT) == 0 ||
	    !context_tables_ok(c) ||
	    context_check(&c->user_regs, (c->flags & XM_VGCF_I387_VALID) ?
	    c->fpu_ctxt : NULL, c->fs_base,
	    c->gs_base_kernel, c->gs_base_user) != 0 ||
	    !vm_assist_valid(c->vm_assist))
		return -XM_EINVAL;
	if (debugreg_check_all(v, c->debugreg) != 0)
		return -XM_EINVAL;
	if (vcpu_traps_room(v, c->trap_ctxt) != 0)
		return -XM_ENOMEM;
	if ((rc = gdt_set_locked(v, c->gdt_frames,
	    (unsigned int)c->gdt_ents)) != 0)
		return rc;
	rc = vcpu_set_base(d, &v->kernel_l4, c->ctrlreg[3] >> PAGE_SHIFT, pin);
	if (rc == 0)
		rc = vcpu_set_base(d, &v->user_l4, c->ctrlreg[1] >> PAGE_SHIFT,
		    pin);
	if (rc != 0) {
		gdt_release(v);
		return rc;
	}
	ldt_set_locked(v, c->ldt_ents ? c->ldt_base : 0,
	    (unsigned int)c->ldt_ents);
	v->iopl = (c->user_regs.rflags >> 12) & 3;
	v->regs = c->user_regs;
	v->regs.error_code = 0;
	v->regs.entry_vector = 0;
	v->in_kernel = (c->flags & XM_VGCF_IN_KERNEL) || v->user_l4 == 0;
	for (i = 0; i < 256; i++)
		(void)vcpu_trap_set(v, i, &c->trap_ctxt[i]);	/* room made */
	for (i = 0; i < 8; i++)
		if (i < 4 || i >= 6)
			(void)debugreg_set(v, i, c->debugreg[i]);	/* checked */
	v->kernel_sp = c->kernel_sp;
	v->event_callback = c->event_callback_eip;
	v->failsafe_callback = c->failsafe_callback_eip;
	v->syscall_callback = c->syscall_callback_eip;
	v->fs_base = c->fs_base;
	v->gs_base_kernel = c->gs_base_kernel;
	v->gs_base_user = c->gs_base_user;
	if (c->flags & XM_VGCF_I387_VALID)
		kmemcpy(&v->fpu, c->fpu_ctxt, sizeof(v->fpu));
	context_fix_frame(&v->regs);
	if (v->id == 0)
		d->vm_assist = c->vm_assist;
	v->initialised = true;
	return 0;
}

/* As Xen: VGCF_online says whether the vCPU is up once it has a context. */
static long
vcpu_set(struct domain *d, struct vcpu *v, const struct xm_vcpu_guest_context *c)
{
	long rc;

	spin_lock(&d->lock);
	rc = vcpu_set_context(d, v, c, true);
	spin_unlock(&d->lock);
	if (rc == 0)
		v->state = (c->flags & XM_VGCF_ONLINE) ? VCPU_RUNNABLE :
		    VCPU_OFFLINE;
	return rc;
}

static void
vcpu_get(const struct vcpu *v, struct xm_vcpu_guest_context *c)
{
	unsigned int i;

	kmemset(c, 0, sizeof(*c));
	kmemcpy(c->fpu_ctxt, &v->fpu, sizeof(c->fpu_ctxt));
	c->flags = XM_VGCF_I387_VALID | (v->in_kernel ? XM_VGCF_IN_KERNEL :
	    0) | (v->state != VCPU_OFFLINE ? XM_VGCF_ONLINE : 0);
	c->user_regs = v->regs;
	for (i = 0; i < 256; i++)
		c->trap_ctxt[i] = *vcpu_trap(v, i);
	for (i = 0; i < 8; i++)
		c->debugreg[i] = v->debugreg[i];
	(void)debugreg_get(v, 7, &c->debugreg[7]);	/* with I/O enables */
	c->kernel_ss = 0xe02b;
	c->kernel_sp = v->kernel_sp;
	c->ctrlreg[3] = v->kernel_l4 << PAGE_SHIFT;
	c->ctrlreg[1] = v->user_l4 << PAGE_SHIFT;
	/* Its descriptor tables, as Xen's arch_get_info_guest gives them. */
	for (i = 0; i < (v->gdt_ents + 511) / 512; i++)
		c->gdt_frames[i] = v->gdt_frames[i];
	c->gdt_ents = v->gdt_ents;
	c->ldt_base = v->ldt_ents != 0 ? v->ldt_base : 0;
	c->ldt_ents = v->ldt_ents;
	c->vm_assist = v->domain->vm_assist;
	c->event_callback_eip = v->event_callback;
	c->failsafe_callback_eip = v->failsafe_callback;
	c->syscall_callback_eip = v->syscall_callback;
	c->fs_base = v->fs_base;
	c->gs_base_kernel = v->gs_base_kernel;
	c->gs_base_user = v->gs_base_user;
}

/* The vCPU the call names, when it is not running. */
static long
stopped_vcpu(struct domain *d, const struct xm_domctl_vcpu_context *vc,
    struct vcpu **v)
{
	if (vc->vcpu >= d->max_vcpus || (*v = d->vcpus[vc->vcpu]) == NULL)
		return -XM_EINVAL;
	/* Only a vCPU that is not running has a context to read or set. */
	if (d->state == DOMAIN_BUILDING)
		return 0;
	if (!d->paused && d->state != DOMAIN_SHUTDOWN)
		return -XM_EBUSY;
	domain_wait_off_cpu(d);		/* its registers saved */
	return 0;
}

/*
 * As Xen's arch_set_info_guest on a vCPU that has run: its page tables,
 * GDT and LDT stay as they are (-EOPNOTSUPP otherwise), so that what
 * can change (registers, FPU, traps, callbacks ...) cannot fail half way.
 */
static bool
same_tables(const struct vcpu *v, const struct xm_vcpu_guest_context *c)
{
	unsigned int i;

	if (c->ctrlreg[3] >> PAGE_SHIFT != v->kernel_l4 ||
	    c->ctrlreg[1] >> PAGE_SHIFT != v->user_l4 ||
	    c->gdt_ents != v->gdt_ents || c->ldt_ents != v->ldt_ents ||
	    (v->ldt_ents != 0 && c->ldt_base != v->ldt_base))
		return false;
	for (i = 0; i < (v->gdt_ents + 511) / 512; i++)
		if (c->gdt_frames[i] != v->gdt_frames[i])
			return false;
	return true;
}

/*
 * While the domain is being built, or stopped (paused, or shut down:
 * a suspend the toolstack cancels sets the call's return value so).
 */
long
domctl_set_vcpu_context(struct domctl_call *call)
{
	struct domain *d = call->target;
	const struct xm_domctl_vcpu_context *vc = &call->op->u.vcpu_context;
	struct xm_vcpu_guest_context *c;
	struct vcpu *v;
	long rc;

	if ((rc = stopped_vcpu(d, vc, &v)) != 0)
		return rc;
	c = hv_alloc(sizeof(*c));
	if (c == NULL)
		return -XM_ENOMEM;
	if (copy_from_guest(c, vc->ctxt, sizeof(*c)) != 0)
		rc = -XM_EFAULT;
	else if (v->initialised && !same_tables(v, c))
		rc = -XM_EOPNOTSUPP;
	else
		rc = vcpu_set(d, v, c);
	hv_free(c);
	return rc;
}

long
domctl_get_vcpu_context(struct domctl_call *call)
{
	struct domain *d = call->target;
	const struct xm_domctl_vcpu_context *vc = &call->op->u.vcpu_context;
	struct xm_vcpu_guest_context *c;
	struct vcpu *v;
	long rc;

	if ((rc = stopped_vcpu(d, vc, &v)) != 0)
		return rc;
	c = hv_alloc(sizeof(*c));
	if (c == NULL)
		return -XM_ENOMEM;
	vcpu_get(v, c);
	if (copy_to_guest(vc->ctxt, c, sizeof(*c)) != 0)
		rc = -XM_EFAULT;
	hv_free(c);
	return rc;
}
