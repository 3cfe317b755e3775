/*
 * Exceptions raised by a guest. Most go to the handler in the guest's
 * trap table; a few instructions the PV ABI lets guests use are emulated
 * here: the forced-emulation CPUID prefix (ud2; .ascii "xen"; cpuid),
 * reads and writes of the FS/GS base MSRs, and the privileged
 * instructions of emul_priv.c. A guest with no handler for
 * its fault, or whose stack cannot take the frame, is crashed.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>
#include <xm/hypercall.h>

#include <hv/bounce.h>
#include <hv/console.h>
#include <hv/context.h>
#include <hv/domain.h>
#include <hv/desc.h>
#include <hv/guest_access.h>
#include <hv/percpu.h>
#include <hv/traps.h>
#include <hv/x86.h>

/* What an iretq at CPL 3 leaves alone: IF, IOPL, VM, VIF, VIP. */
#define RFLAGS_KEPT	0x1a3200ULL

static const uint8_t xen_prefix[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };

static void
emulate_cpuid(struct vcpu *v, struct xm_cpu_user_regs *r)
{
	uint32_t res[4];

	pv_cpuid(v, (uint32_t)r->rax, (uint32_t)r->rcx, res);
	r->rax = res[0];
	r->rbx = res[1];
	r->rcx = res[2];
	r->rdx = res[3];
}

static bool
try_forced_cpuid(struct vcpu *v, struct xm_cpu_user_regs *r)
{
	uint8_t insn[sizeof(xen_prefix)];

	if (copy_from_guest(insn, r->rip, sizeof(insn)) != 0 ||
	    kmemcmp(insn, xen_prefix, sizeof(insn)) != 0)
		return false;
	emulate_cpuid(v, r);
	r->rip += sizeof(insn);
	return true;
}

static uint64_t *
segbase_msr(struct vcpu *v, uint32_t msr)
{
	switch (msr) {
	case MSR_FS_BASE:
		return &v->fs_base;
	case MSR_GS_BASE:
		return &v->gs_base_kernel;
	case MSR_KERNEL_GS_BASE:
		return &v->gs_base_user;
	}
	return NULL;
}

/* Any other MSR Xen answers (msr_pv.c); false leaves the #GP. */
static bool
try_other_msr(struct vcpu *v, struct xm_cpu_user_regs *r, bool write)
{
	uint32_t msr = (uint32_t)r->rcx;
	uint64_t val;

	if (write) {
		if (!msr_pv_write(v, msr, (r->rdx << 32) | (uint32_t)r->rax))
			return false;
	} else {
		if (!msr_pv_read(v, msr, &val))
			return false;
		r->rax = (uint32_t)val;
		r->rdx = val >> 32;
	}
	r->rip += 2;
	return true;
}

/* wrmsr/rdmsr of the segment bases, from the guest kernel only. */
static bool
try_msr(struct vcpu *v, struct xm_cpu_user_regs *r)
{
	uint8_t insn[2];
	uint64_t *slot;
	uint32_t msr = (uint32_t)r->rcx;

	if (!v->in_kernel || copy_from_guest(insn, r->rip, 2) != 0 ||
	    insn[0] != 0x0f || (insn[1] != 0x30 && insn[1] != 0x32))
		return false;
	slot = segbase_msr(v, msr);
	if (slot == NULL)
		return try_other_msr(v, r, insn[1] == 0x30);
	/* Live values are in the MSRs while v runs: sync both ways. */
	v->fs_base = rdmsr(MSR_FS_BASE);
	v->gs_base_kernel = rdmsr(MSR_KERNEL_GS_BASE);
	if (insn[1] == 0x30) {
		uint64_t val = (r->rdx << 32) | (uint32_t)r->rax;

		if ((int64_t)val >> 47 != 0 && (int64_t)val >> 47 != -1)
			return false;
		*slot = val;
		wrmsr(MSR_FS_BASE, v->fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, v->gs_base_kernel);
	} else {
		r->rax = (uint32_t)*slot;
		r->rdx = *slot >> 32;
	}
	r->rip += 2;
	return true;
}

/*
 * int $n from ring 3 on a gate hv keeps at DPL 0 arrives as #GP with an
 * IDT error code. The vector is taken from the instruction (cd nn) at
 * rip, not from the error code, which some CPU models encode wrongly
 * (QEMU 7.2's TCG reports n * 16 + 2), and is at most 255 either way.
 */
static bool
try_soft_int(struct vcpu *v, struct xm_cpu_user_regs *r, uint32_t err)
{
	uint8_t insn[2];
	unsigned int n, dpl;

	if ((err & 7) != 2 || copy_from_guest(insn, r->rip, 2) != 0 ||
	    insn[0] != 0xcd)
		return false;
	n = insn[1];
	dpl = vcpu_trap(v, n)->flags & XM_TI_DPL_MASK;
	if (vcpu_trap(v, n)->address == 0 || dpl < (v->in_kernel ? 1U : 3U))
		return false;
	r->rip += 2;
	return bounce_trap(v, r, n, false, 0) || (domain_crash(v->domain,
	    "cannot deliver a software interrupt"), true);
}

/*
 * A same-privilege iretq of the guest kernel (a PV kernel's fast path)
 * that faulted reading its own frame as a supervisor access: QEMU's TCG
 * reads an iretq frame that way, and with SMAP on that is a #PF (error
 * code P only) that no real CPU raises. Do the iretq as a CPU at CPL 3
 * would: selectors of the guest's ring, IOPL and IF unchanged, a #GP
 * for a frame it cannot return to.
 */
#define PF_ERR_BITS	0x1f	/* P W U RSVD I */

static bool
try_user_iret(struct vcpu *v, struct xm_cpu_user_regs *r, uint32_t err)
{
	struct { uint64_t rip, cs, rflags, rsp, ss; } f;
	struct xm_cpu_user_regs n = *r;
	uint8_t insn[2];
	uint64_t cr2 = read_cr2();

	if ((err & PF_ERR_BITS) != 0x1 || cr2 < r->rsp ||
	    cr2 >= r->rsp + sizeof(f) ||
	    copy_from_guest(insn, r->rip, 2) != 0 ||
	    (insn[0] & 0xf8) != 0x48 || insn[1] != 0xcf ||
	    copy_from_guest(&f, r->rsp, sizeof(f)) != 0)
		return false;
	n.rip = f.rip;
	n.cs = (uint16_t)f.cs;
	n.rflags = (f.rflags & ~RFLAGS_KEPT) | (r->rflags & RFLAGS_KEPT);
	n.rsp = f.rsp;
	n.ss = (uint16_t)f.ss;
	if ((n.cs != GUEST_CS64 && n.cs != GUEST_CS32) || n.ss != GUEST_SS) {
		guest_raise(v, r, TRAP_GP, (n.ss != GUEST_SS ? n.ss : n.cs) &
		    ~3U);
		return true;
	}
	context_fix_frame(&n);
	if (context_frame_fault(&n) != NULL) {
		guest_raise(v, r, TRAP_GP, 0);
		return true;
	}
	*r = n;
	return true;
}

/*
 * Give the guest exception vec as the CPU would: to the handler in its
 * trap table, or, with none or with no stack to take the frame, a crash
 * with the reason logged.
 */
void
guest_raise(struct vcpu *v, struct xm_cpu_user_regs *r, unsigned int vec,
    uint32_t err)
{
	bool has_err = vec == 8 || (vec >= 10 && vec <= 14) || vec == 17;
	char why[96];

	if (vcpu_trap(v, vec)->address == 0) {
		domain_log_refusal(v->domain, "%s at %p with no handler "
		    "(error %#x, cr2 %p)", exception_names[vec], (void *)r->rip,
		    err, vec == TRAP_PF ? (void *)read_cr2() : NULL);
		domain_crash(v->domain, "unhandled exception");
		return;
	}
	if (!bounce_trap(v, r, vec, has_err, err)) {
		ksnprintf(why, sizeof(why), "triple fault: cannot deliver %s, "
		    "kernel stack %p not writable", exception_names[vec],
		    (void *)r->rsp);
		domain_crash(v->domain, why);
	}
}

void
guest_exception(struct xm_cpu_user_regs *r)
{
	struct vcpu *v = current_vcpu();
	unsigned int vec = r->entry_vector;

	switch (vec) {
	case TRAP_DB:
		debugreg_trap(v);
		break;
	case TRAP_UD:
		if (try_forced_cpuid(v, r))
			return;
		break;
	case TRAP_GP:
		if (try_msr(v, r) || try_soft_int(v, r, r->error_code) ||
		    ldt_fault(v, (uint32_t)r->error_code) ||
		    (r->error_code == 0 && emul_priv_op(v, r)))
			return;
		break;
	case TRAP_NM:
		__asm__ volatile("clts");
		if (!v->fpu_ts)
			return;
		v->fpu_ts = false;
		break;
	case TRAP_PF:
		if (logdirty_fault(v, read_cr2(), (uint32_t)r->error_code) ||
		    try_user_iret(v, r, r->error_code) ||
		    ptwr_emulate(v, r, r->error_code, read_cr2()))
			return;
		v->vcpu_info->arch.cr2 = read_cr2();
		break;
	}
	guest_raise(v, r, vec, r->error_code);
}

/*
 * sysenter (hv/x86/entry.S), from either mode: to the sysenter callback
 * with Xen's frame, or, with none registered, a #GP as Xen gives.
 */
void
sysenter_dispatch(struct xm_cpu_user_regs *r)
{
	struct vcpu *v = current_vcpu();

	if (v->sysenter_callback == 0) {
		guest_raise(v, r, TRAP_GP, 0);
		return;
	}
	if (bounce_to_guest(v, r, v->sysenter_callback,
	    v->sysenter_masks_events ? BOUNCE_MASK_EVENTS : 0, 0) != 0) {
		domain_log_refusal(v->domain, "sysenter: kernel stack %p not "
		    "writable", (void *)v->kernel_sp);
		domain_crash(v->domain, "undeliverable sysenter");
	}
}
