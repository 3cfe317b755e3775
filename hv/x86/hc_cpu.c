/*
 * Hypercalls about a vCPU's processor state: its trap table, kernel
 * stack, callbacks, FPU switch flag, segment bases, and the iret that
 * returns from a bounced trap or event.
 */
#include <stdint.h>

#include <xm/callback.h>
#include <xm/hypercall.h>

#include <hv/context.h>
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>
#include <hv/traps.h>
#include <hv/x86.h>

#define RFLAGS_IF		(1ULL << 9)

/* An address a guest may run or keep its stack at: never hv's range. */
static int
canonical(uint64_t va)
{
	return guest_range_ok(va, 1);
}

/* A table of trap_info, ended by an entry whose address is 0. */
long
do_set_trap_table(uint64_t list)
{
	struct vcpu *v = current_vcpu();
	struct xm_trap_info t;
	unsigned int i;

	if (list == 0) {
		vcpu_traps_clear(v);
		return 0;
	}
	for (i = 0; i < 256; i++) {
		if (copy_from_guest(&t, list + i * sizeof(t), sizeof(t)) != 0)
			return -XM_EFAULT;
		if (t.address == 0)
			return 0;
		if (!canonical(t.address))
			return -XM_EINVAL;
		if (vcpu_trap_set(v, t.vector, &t) != 0)
			return -XM_ENOMEM;
	}
	return 0;
}

/*
 * The ABI's first argument is the kernel's stack segment; a 64-bit PV
 * kernel's is fixed, so hv has no use for it.
 */
long
do_stack_switch(uint64_t, uint64_t sp)
{
	if (!canonical(sp))
		return -XM_EINVAL;
	current_vcpu()->kernel_sp = sp;
	return 0;
}

static long	callback_register(struct vcpu *,
		    const struct xm_callback_register *);

/*
 * The older interface: the three callbacks, none masking events.  As in
 * Xen, one at a non-canonical address is left as it was, and the call
 * returns 0 whatever.
 */
long
do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
	struct vcpu *v = current_vcpu();
	const struct xm_callback_register cb[] = {
		{ .type = XM_CALLBACKTYPE_EVENT, .address = event },
		{ .type = XM_CALLBACKTYPE_FAILSAFE, .address = failsafe },
		{ .type = XM_CALLBACKTYPE_SYSCALL, .address = syscall },
	};
	unsigned int i;

	for (i = 0; i < 3; i++)
		(void)callback_register(v, &cb[i]);
	return 0;
}

/* CALLBACKOP_register, with Xen's results. */
static long
callback_register(struct vcpu *v, const struct xm_callback_register *cb)
{
	bool mask = cb->flags & XM_CALLBACKF_MASK_EVENTS;

	if (!canonical(cb->address))
		return -XM_EINVAL;
	switch (cb->type) {
	case XM_CALLBACKTYPE_EVENT:
		v->event_callback = cb->address;
		return 0;
	case XM_CALLBACKTYPE_FAILSAFE:
		v->failsafe_callback = cb->address;
		v->failsafe_masks_events = mask;
		return 0;
	case XM_CALLBACKTYPE_SYSCALL:
		v->syscall_callback = cb->address;
		v->syscall_masks_events = mask;
		return 0;
	case XM_CALLBACKTYPE_SYSCALL32:
		v->syscall32_callback = cb->address;
		v->syscall32_masks_events = mask;
		return 0;
	case XM_CALLBACKTYPE_SYSENTER:
		v->sysenter_callback = cb->address;
		v->sysenter_masks_events = mask;
		return 0;
	case XM_CALLBACKTYPE_NMI:
		return 0;	/* accepted; a domU is sent no NMI */
	}
	return -XM_ENOSYS;
}

/*
 * CALLBACKOP_unregister: as in Xen, only the NMI callback can be taken
 * back; the others are replaced by registering again.
 */
static long
callback_unregister(const struct xm_callback_unregister *un)
{
	switch (un->type) {
	case XM_CALLBACKTYPE_EVENT:
	case XM_CALLBACKTYPE_FAILSAFE:
	case XM_CALLBACKTYPE_SYSCALL:
	case XM_CALLBACKTYPE_SYSCALL32:
	case XM_CALLBACKTYPE_SYSENTER:
		return -XM_EINVAL;
	case XM_CALLBACKTYPE_NMI:
		return 0;
	}
	return -XM_ENOSYS;
}

long
do_callback_op(uint64_t cmd, uint64_t arg)
{
	struct vcpu *v = current_vcpu();
	struct xm_callback_register cb;
	struct xm_callback_unregister un;

	switch (cmd) {
	case XM_CALLBACKOP_REGISTER:
		if (copy_from_guest(&cb, arg, sizeof(cb)) != 0)
			return -XM_EFAULT;
		return callback_register(v, &cb);
	case XM_CALLBACKOP_UNREGISTER:
		if (copy_from_guest(&un, arg, sizeof(un)) != 0)
			return -XM_EFAULT;
		return callback_unregister(&un);
	}
	return -XM_ENOSYS;
}

/* The running vCPU's virtual CR0.TS, in the CPU's too (its #NM). */
void
vcpu_fpu_taskswitch(struct vcpu *v, bool set)
{
	v->fpu_ts = set;
	if (set)
		__asm__ volatile("mov %%cr0, %%rax; or $8, %%rax; "
		    "mov %%rax, %%cr0" ::: "rax");
	else
		__asm__ volatile("clts");
}

long
do_fpu_taskswitch(uint64_t set)
{
	vcpu_fpu_taskswitch(current_vcpu(), set != 0);
	return 0;
}

long
do_set_segment_base(uint64_t which, uint64_t base)
{
	struct vcpu *v = current_vcpu();

	if (which == XM_SEGBASE_GS_USER_SEL)
		return seg_load_user_gs(v, (uint16_t)base);
	if (!canonical(base))
		return -XM_EINVAL;
	switch (which) {
	case XM_SEGBASE_FS:
		wrmsr(MSR_FS_BASE, base);
		return 0;
	case XM_SEGBASE_GS_USER:
		/* The kernel's is live; the user's is applied on iret. */
		if (v->in_kernel)
			v->gs_base_user = base;
		else
			wrmsr(MSR_KERNEL_GS_BASE, base);
		return 0;
	case XM_SEGBASE_GS_KERNEL:
		if (v->in_kernel)
			wrmsr(MSR_KERNEL_GS_BASE, base);
		else
			v->gs_base_kernel = base;
		return 0;
	}
	return -XM_EINVAL;
}

/*
 * Return from a bounced trap or event: the guest pushed an iret_context
 * on its stack and jumped to the iret stub. Restores the interrupted
 * context (user mode too, switching page tables) and its event mask.
 */
long
do_iret(void)
{
	struct vcpu *v = current_vcpu();
	struct xm_cpu_user_regs *r = guest_regs(), n;
	struct xm_iret_context ic;

	if (copy_from_guest(&ic, r->rsp, sizeof(ic)) != 0) {
		domain_crash(v->domain, "bad iret frame");
		return -XM_EFAULT;
	}
	n = *r;
	n.rip = ic.rip;
	n.cs = (uint16_t)(ic.cs | 3);
	n.rflags = ic.rflags;
	n.rsp = ic.rsp;
	n.ss = (uint16_t)(ic.ss | 3);
	context_fix_frame(&n);
	if (context_frame_fault(&n) != NULL) {
		/* As the CPU's iretq would: #GP at the iret itself. */
		r->rip -= 2;
		guest_raise(v, r, 13, 0);
		return (long)r->rax;
	}
	if ((ic.cs & 3) == 3 && v->in_kernel) {
		if (v->user_l4 == 0) {
			domain_crash(v->domain, "iret to user mode without "
			    "user page tables");
			return -XM_EINVAL;
		}
		toggle_guest_mode(v);
	}
	if (!(ic.flags & XM_VGCF_IN_SYSCALL)) {
		n.r11 = ic.r11;
		n.rcx = ic.rcx;
	}
	*r = n;
	v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & RFLAGS_IF);
	return (long)ic.rax;
}
