/*
 * Per-CPU set-up: the cpu_info at the top of each CPU's stack, GS_BASE
 * pointing at it, TSS.rsp0 just above the guest frame in it, and the
 * syscall MSRs that bring guests' hypercalls to syscall_entry (and
 * sysenter's to sysenter_entry).
 */
#include <stdint.h>

#include <klib/string.h>

#include <hv/context.h>
#include <hv/desc.h>
#include <hv/percpu.h>
#include <hv/x86.h>

/* RFLAGS bits cleared on syscall: TF, IF, DF, IOPL, NT, AC. */
#define SYSCALL_FMASK	0x47700

extern char syscall_entry[], syscall32_entry[], sysenter_entry[];

unsigned int nr_cpus_online;
static struct cpu_info *cpu_infos[HV_MAX_CPUS];

static void
syscall_init(void)
{
	/* sysret would load CS = base + 16, SS = base + 8, both RPL 3. */
	uint64_t star = ((uint64_t)(GUEST_CS32 & ~3) << 48) |
	    ((uint64_t)HV_CS64 << 32);

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, star);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_CSTAR, (uint64_t)syscall32_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
}

/*
 * sysenter, where the CPU has it (SEP): to sysenter_entry on hv's code
 * segment (SS is the next one, HV_DS) and this CPU's guest frame.
 */
_Static_assert(HV_DS == HV_CS64 + 8, "sysenter's SS follows its CS");

static void
sysenter_init(uint64_t rsp0)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_SEP))
		return;
	wrmsr(MSR_SYSENTER_CS, HV_CS64);
	wrmsr(MSR_SYSENTER_ESP, rsp0);
	wrmsr(MSR_SYSENTER_EIP, (uint64_t)sysenter_entry);
}

struct cpu_info *
percpu_init(unsigned int cpu, void *stack_top)
{
	/* rsp0 (= &guest_regs.es, offset 168) must be 16-byte aligned. */
	struct cpu_info *ci = (struct cpu_info *)((uint64_t)stack_top -
	    sizeof(struct cpu_info) - 8);

	kmemset(ci, 0, sizeof(*ci));
	ci->self = ci;
	ci->cpu = cpu;
	ci->rsp0 = (uint64_t)&ci->guest_regs.es;
	cpu_infos[cpu] = ci;
	wrmsr(MSR_GS_BASE, (uint64_t)ci);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	cpu_set_rsp0(cpu, ci->rsp0);
	syscall_init();
	sysenter_init(ci->rsp0);
	/* Guests may use SSE: fxsave/fxrstor and #XM. */
	write_cr4(read_cr4() | CR4_OSFXSR | (1UL << 10));
	context_init_cpu();
	__atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
	return ci;
}

struct cpu_info *
percpu_get(unsigned int cpu)
{
	return cpu < HV_MAX_CPUS ? cpu_infos[cpu] : NULL;
}
