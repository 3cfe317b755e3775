/*
 * Per-CPU state. Each CPU has one hv stack; the guest frame of the vCPU
 * it runs sits at the stack's top (struct cpu_info, as Xen lays it out),
 * so that the saved registers of the current vCPU are always at a known
 * place and a context switch is a copy in and out of that frame.
 */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#define HV_MAX_CPUS		8
#define HV_AP_MAX		(HV_MAX_CPUS - 1)
#define HV_STACK_ORDER		2
#define HV_STACK_SIZE		(4096 << HV_STACK_ORDER)

/* Offsets into struct cpu_info for the entry code (checked in C). */
#define CPUINFO_GUEST_REGS	0
#define CPUINFO_RSP0		208
#define CPUINFO_SCRATCH		216
#define CPUINFO_SELF		224

/* entry_vector of a frame made by the syscall entry. */
#define ENTRY_SYSCALL		0x100
/* ... and by the sysenter entry. */
#define ENTRY_SYSENTER		0x101

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>

#include <hv/hypercall.h>

struct vcpu;

struct cpu_info {
	struct xm_cpu_user_regs	guest_regs;	/* the running vCPU's */
	uint64_t		pad0;
	uint64_t		rsp0;		/* &guest_regs.es */
	uint64_t		scratch;	/* guest rsp during syscall */
	struct cpu_info		*self;
	unsigned int		cpu;
	bool			need_resched;
	struct vcpu		*current;
	uint64_t		slice_end;	/* ns */
	unsigned int		apic_id;
	bool			in_multicall;	/* hv/continuation.c */
	bool			mc_preempted;
	uint16_t		pad1;
	/* The arguments of the preempted multicall entry. */
	uint64_t		mc_args[HYPERCALL_MAX_ARGS];
	uint64_t		quiesce_gen;	/* + 1 on each way out of hv */
	uint64_t		guest_l4;	/* the vCPU table CR3 is for */
};
_Static_assert(__builtin_offsetof(struct cpu_info, rsp0) == CPUINFO_RSP0,
    "CPUINFO_RSP0");
_Static_assert(__builtin_offsetof(struct cpu_info, scratch) ==
    CPUINFO_SCRATCH, "CPUINFO_SCRATCH");
_Static_assert(__builtin_offsetof(struct cpu_info, self) == CPUINFO_SELF,
    "CPUINFO_SELF");
_Static_assert(sizeof(struct cpu_info) % 16 == 0, "cpu_info alignment");

/* This CPU's cpu_info: hv keeps its address in GS_BASE. */
static inline struct cpu_info *
this_cpu(void)
{
	struct cpu_info *ci;

	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(ci) : "i"(CPUINFO_SELF));
	return ci;
}

static inline struct vcpu *
current_vcpu(void)
{
	return this_cpu()->current;
}

static inline struct xm_cpu_user_regs *
guest_regs(void)
{
	return &this_cpu()->guest_regs;
}

extern unsigned int nr_cpus_online;
struct cpu_info	*percpu_init(unsigned int cpu, void *stack_top);
struct cpu_info	*percpu_get(unsigned int cpu);
#endif

#endif
