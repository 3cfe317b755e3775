/* Exceptions: hv's own and guests'. */
#ifndef HV_TRAPS_H
#define HV_TRAPS_H

#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>

/* The exceptions hv raises in guests. */
#define TRAP_DB		1
#define TRAP_BP		3
#define TRAP_UD		6
#define TRAP_NM		7
#define TRAP_NP		11
#define TRAP_GP		13
#define TRAP_PF		14

extern const char *const exception_names[32];

bool	extable_fixup(struct xm_cpu_user_regs *);
void	dump_frame(const struct xm_cpu_user_regs *);
void	guest_exception(struct xm_cpu_user_regs *);
struct vcpu;
void	guest_raise(struct vcpu *, struct xm_cpu_user_regs *, unsigned int vec,
	    uint32_t err);
/* A privileged instruction Xen emulates for PV kernels: true if done. */
bool	emul_priv_op(struct vcpu *, struct xm_cpu_user_regs *);
/* A write to one of its page tables, emulated (hv/x86/ptwr.c). */
bool	ptwr_emulate(struct vcpu *, struct xm_cpu_user_regs *, uint32_t err,
	    uint64_t cr2);
/* CPUID as a PV guest sees it (hv/x86/cpuid_pv.c). */
void	pv_cpuid(const struct vcpu *, uint32_t leaf, uint32_t sub,
	    uint32_t res[4]);
/* hv/x86/hc_cpu.c: the running vCPU's virtual CR0.TS. */
void	vcpu_fpu_taskswitch(struct vcpu *, bool set);

#endif
