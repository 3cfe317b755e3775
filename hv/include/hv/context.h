/* Switching the CPU between vCPUs, and between a guest's two modes. */
#ifndef HV_CONTEXT_H
#define HV_CONTEXT_H

#include <stdint.h>

#include <xm/arch_x86_64.h>

struct vcpu;

void	context_switch(struct vcpu *prev, struct vcpu *next);
void	context_sanitize_frame(struct xm_cpu_user_regs *);
void	context_init_vcpu(struct vcpu *);
void	toggle_guest_mode(struct vcpu *);
void	vcpu_load_cr3(struct vcpu *);
__attribute__((noreturn)) void	enter_guest_first(struct xm_cpu_user_regs *);
void	prepare_return_to_guest(struct xm_cpu_user_regs *);

#endif
