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
#include <stdint.h>

#include <klib/string.h>

#include <hv/context.h>
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <hv/time.h>
#include <hv/x86.h>

#define RFLAGS_IF	(1ULL << 9)
#define RFLAGS_IOPL	(3ULL << 12)
#define RFLAGS_NT	(1ULL << 14)
#define RFLAGS_RF	(1ULL << 16)
#define RFLAGS_VM	(1ULL << 17)
#define RFLAGS_AC	(1ULL << 18)
#define CR0_TS		(1ULL << 3)

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
}

void
vcpu_load_cr3(struct vcpu *v)
{
	uint64_t l4 = v->in_kernel || v->user_l4 == 0 ? v->kernel_l4 :
	    v->user_l4;

	write_cr3(l4 << 12);
}

static void
save_vcpu(struct vcpu *v, struct cpu_info *ci)
{
	v->regs = ci->guest_regs;
	__asm__ volatile("clts; fxsave64 %0" : "=m"(v->fpu));
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
	wrmsr(MSR_FS_BASE, v->fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, v->in_kernel ? v->gs_base_kernel :
	    v->gs_base_user);
	vcpu_load_cr3(v);
	cpu_set_io_access(ci->cpu, v->domain->privileged);
	time_update_vcpu(v);
}

void
context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct cpu_info *ci = this_cpu();

	if (prev != NULL)
		save_vcpu(prev, ci);
	ci->current = next;
	if (next != NULL)
		load_vcpu(next, ci);
	else
		write_cr3(hv_l4_maddr);	/* idle: no guest tables held */
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
}

/*
 * What iretq will load must be safe for ring 3 whatever the guest asked:
 * ring-3 selectors, interrupts on, no IOPL, a canonical rip and rsp.
 * (A non-canonical rip would fault on hv's iretq.)
 */
void
context_sanitize_frame(struct xm_cpu_user_regs *r)
{
	r->rflags = (r->rflags & ~(RFLAGS_IOPL | RFLAGS_NT | RFLAGS_VM |
	    RFLAGS_RF)) | RFLAGS_IF | 0x2;
	if (r->cs != GUEST_CS64 && r->cs != GUEST_CS32)
		r->cs = GUEST_CS64;
	r->ss = GUEST_SS;
	if ((int64_t)r->rip >> 47 != 0 && (int64_t)r->rip >> 47 != -1)
		r->rip = 0;
	if ((int64_t)r->rsp >> 47 != 0 && (int64_t)r->rsp >> 47 != -1)
		r->rsp = 0;
}
