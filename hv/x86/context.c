/*
 * vCPU context on x86-64. The running vCPU's registers live in the frame
 * at the top of the CPU's stack; switching copies them out and the next
 * vCPU's in, loads its page tables and segment bases, and saves and
 * restores the FPU eagerly (hv itself never touches it).
 *
 * A PV guest has two modes in ring 3: kernel and user, each with its own
 * page tables and GS base; hv switches between them when it bounces a
 * trap to the kernel and when the kernel irets to user mode.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>

#include <hv/context.h>
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/flush.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <hv/time.h>
#include <hv/traps.h>
#include <hv/x86.h>

#define RFLAGS_IF	(1ULL << 9)
#define CR0_TS		(1ULL << 3)
/* CF PF AF ZF SF TF DF OF NT RF AC ID: what a guest frame may carry. */
#define RFLAGS_GUEST_MASK	0x254dd5ULL
#define FXSAVE_MXCSR		24
#define FXSAVE_MXCSR_MASK	28

/* MXCSR bits fxrstor accepts; fxsave reports 0 for the default. */
static uint32_t mxcsr_mask = 0xffbf;

static bool
is_canonical(uint64_t va)
{
	return (int64_t)va >> 47 == 0 || (int64_t)va >> 47 == -1;
}

void
context_init_cpu(void)
{
	struct fxsave_area area;
	uint32_t mask;

	__asm__ volatile("fxsave64 %0" : "=m"(area));
	kmemcpy(&mask, &area.bytes[FXSAVE_MXCSR_MASK], sizeof(mask));
	if (mask != 0)
		mxcsr_mask = mask;
}

void
context_init_vcpu(struct vcpu *v)
{
	/* The FPU as after fninit, SSE exceptions masked. */
	kmemset(&v->fpu, 0, sizeof(v->fpu));
	v->fpu.bytes[0] = 0x7f;			/* FCW 0x037f */
	v->fpu.bytes[1] = 0x03;
	v->fpu.bytes[24] = 0x80;		/* MXCSR 0x1f80 */
	v->fpu.bytes[25] = 0x1f;
	v->regs.cs = GUEST_CS64;
	v->regs.ss = GUEST_SS;
	v->regs.rflags = RFLAGS_IF;
	v->in_kernel = true;
	debugreg_init(v);
}

void
vcpu_load_cr3(struct vcpu *v)
{
	uint64_t l4 = v->in_kernel || v->user_l4 == 0 ? v->kernel_l4 :
	    v->user_l4;

	this_cpu()->guest_l4 = l4;
	write_cr3(logdirty_cr3(v->domain, l4) << 12);
}

/*
 * A flush of everything: the vCPU's table again, which is a shadow's
 * since log-dirty went on or the guest's own since it went off.  From
 * wherever a CPU answers a flush, so it makes no shadow and takes no
 * lock; with none made yet, the CPU keeps what it has (a flush).
 */
void
vcpu_reload_cr3(struct vcpu *v)
{
	uint64_t l4 = this_cpu()->guest_l4, t = 0;

	if (v != NULL && l4 != 0)
		t = logdirty_cr3_lookup(v->domain, l4);
	write_cr3(t != 0 ? t << 12 : read_cr3());
}

static void
save_vcpu(struct vcpu *v, struct cpu_info *ci)
{
	v->regs = ci->guest_regs;
	__asm__ volatile("clts; fxsave64 %0" : "=m"(v->fpu));
	seg_save(v);
	v->fs_base = rdmsr(MSR_FS_BASE);
	/* While hv runs, the guest's GS base waits in KERNEL_GS_BASE. */
	if (v->in_kernel)
		v->gs_base_kernel = rdmsr(MSR_KERNEL_GS_BASE);
	else
		v->gs_base_user = rdmsr(MSR_KERNEL_GS_BASE);
}

static void
load_vcpu(struct vcpu *v, struct cpu_info *ci)
{
	ci->guest_regs = v->regs;
	__asm__ volatile("clts; fxrstor64 %0" : : "m"(v->fpu));
	if (v->fpu_ts)
		__asm__ volatile("mov %%cr0, %%rax; or %0, %%rax; "
		    "mov %%rax, %%cr0" : : "i"(CR0_TS) : "rax");
	vcpu_load_cr3(v);
	gdt_load(v);
	ldt_load(v);
	seg_load(v);		/* selectors first: loading one sets its base */
	wrmsr(MSR_FS_BASE, v->fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, v->in_kernel ? v->gs_base_kernel :
	    v->gs_base_user);
	msr_pv_load(v);
	cpu_set_io_access(ci->cpu, v->domain->privileged);
	time_update_vcpu(v);
}

void
context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct cpu_info *ci = this_cpu();

	if (prev != NULL)
		save_vcpu(prev, ci);
	ci->guest_l4 = 0;	/* a flush from here on keeps CR3 */
	ci->current = next;
	debugreg_switch(prev, next);
	if (next != NULL) {
		next->on_cpu = true;
		flush_vcpu_load(next);
		load_vcpu(next, ci);
	} else {
		this_cpu()->guest_l4 = 0;
		write_cr3(hv_l4_maddr);	/* idle: no guest tables held */
	}
	if (prev != NULL) {
		/* The CR3 write took prev's translations off this CPU. */
		flush_vcpu_unload(prev, next);
		/* Its state is saved: a destroyer may free it from now on. */
		__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	}
}

void
toggle_guest_mode(struct vcpu *v)
{
	uint64_t gs = rdmsr(MSR_KERNEL_GS_BASE);

	if (v->in_kernel)
		v->gs_base_kernel = gs;
	else
		v->gs_base_user = gs;
	v->in_kernel = !v->in_kernel;
	wrmsr(MSR_KERNEL_GS_BASE, v->in_kernel ? v->gs_base_kernel :
	    v->gs_base_user);
	vcpu_load_cr3(v);
	if (v->in_kernel && v->runstate_pending)
		vcpu_runstate_publish(v);	/* missed in user mode */
	if (v->in_kernel && v->time_pending)
		time_publish_area(v);
}

/*
 * What iretq will load must be one the CPU can return to from ring 0
 * without faulting there, whatever the guest asked: ring-3 selectors
 * (the flat ones), no IOPL or virtual-8086 mode, interrupts on. NT may
 * stay: a 64-bit iretq faults on the live NT only, and hv runs with it
 * clear (Xen keeps the guest's too). Selectors are forced; what cannot
 * be forced without changing where the guest runs is refused.
 */
void
context_fix_frame(struct xm_cpu_user_regs *r)
{
	r->rflags = (r->rflags & RFLAGS_GUEST_MASK) | RFLAGS_IF | 0x2;
	if (r->cs != GUEST_CS64 && r->cs != GUEST_CS32 &&
	    !guest_code_sel(r->cs))
		r->cs = GUEST_CS64;
	r->ss = GUEST_SS;
}


/*
 * A code selector of the guest's own, as far as the selector shows: RPL
 * 3, in its LDT or in its GDT below hv's entries (Linux's __USER32_CS,
 * 0x23, for its 32-bit processes).  Its descriptor is judged on the way
 * out.
 */
bool
guest_code_sel(uint16_t sel)
{
	if ((sel & 3) != 3)
		return false;
	if (sel & 4)
		return true;
	return (sel >> 3) != 0 && (sel >> 3) < GDT_FIRST_HV_ENTRY;
}

/*
 * Last, on the way out with interrupts off and v's descriptor tables
 * copied into this CPU's (nothing changes those copies now): iretq
 * faults in hv unless a guest selector in the frame names a present
 * DPL-3 code segment that holds rip.  0 if it does; else the exception
 * the CPU would raise (#NP or #GP, error code in *err), which the guest
 * is given at that frame, as Xen does when its iret to the guest faults.
 */
unsigned int
context_cs_fault(const struct vcpu *v, const struct xm_cpu_user_regs *r,
    uint32_t *err)
{
	uint64_t d, limit;
	unsigned int idx = r->cs >> 3, cpu = this_cpu()->cpu;

	*err = r->cs & 0xfffc;
	if (r->cs == GUEST_CS64 || r->cs == GUEST_CS32)
		return 0;
	if (r->cs & 4)
		d = ldt_cpu_desc(v, cpu, idx);
	else
		d = idx < v->gdt_ents ? cpu_gdt(cpu)[idx] : 0;
	if (!(d & DESC_S) || !(d & DESC_CODE) || (d & DESC_DPL) != DESC_DPL ||
	    ((d & DESC_L) && (d & DESC_DB)))
		return TRAP_GP;
	if (!(d & DESC_P))
		return TRAP_NP;
	if (d & DESC_L)
		return 0;
	limit = (d & 0xffff) | ((d >> 32) & 0xf0000);
	if (d & DESC_G)
		limit = (limit << 12) | 0xfff;
	*err = 0;
	return r->rip <= limit ? 0 : TRAP_GP;
}

/* 0, or why rip/rsp of a fixed frame would fault hv's iretq. */
const char *
context_frame_fault(const struct xm_cpu_user_regs *r)
{
	if (r->cs == GUEST_CS32 ? r->rip > UINT32_MAX : !is_canonical(r->rip))
		return "instruction pointer beyond its code segment";
	if (!is_canonical(r->rsp))
		return "stack pointer not canonical";
	return NULL;
}

/*
 * The frame a context comes with (domctl, VCPUOP_initialise), and the
 * FPU state (an fxsave image, or NULL): fxrstor faults in ring 0 on
 * reserved MXCSR bits.
 */
int
context_check(const struct xm_cpu_user_regs *r, const uint8_t *fxsave,
    uint64_t fs_base, uint64_t gs_kernel, uint64_t gs_user)
{
	struct xm_cpu_user_regs fixed = *r;
	uint32_t mxcsr;

	context_fix_frame(&fixed);
	if (context_frame_fault(&fixed) != NULL || !is_canonical(fs_base) ||
	    !is_canonical(gs_kernel) || !is_canonical(gs_user))
		return -XM_EINVAL;
	if (fxsave == NULL)
		return 0;
	kmemcpy(&mxcsr, fxsave + FXSAVE_MXCSR, sizeof(mxcsr));
	return (mxcsr & ~mxcsr_mask) != 0 ? -XM_EINVAL : 0;
}
