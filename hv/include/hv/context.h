/* Switching the CPU between vCPUs, and between a guest's two modes. */
#ifndef HV_CONTEXT_H
#define HV_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>

struct vcpu;

void	context_switch(struct vcpu *prev, struct vcpu *next);
void	context_init_cpu(void);
void	context_fix_frame(struct xm_cpu_user_regs *);
bool	guest_code_sel(uint16_t sel);
unsigned int context_cs_fault(const struct vcpu *,
	    const struct xm_cpu_user_regs *, uint32_t *err);
const char *context_frame_fault(const struct xm_cpu_user_regs *);
int	context_check(const struct xm_cpu_user_regs *,
	    const uint8_t *fxsave, uint64_t fs_base, uint64_t gs_kernel,
	    uint64_t gs_user);
void	context_init_vcpu(struct vcpu *);
void	toggle_guest_mode(struct vcpu *);
void	vcpu_load_cr3(struct vcpu *);
void	vcpu_reload_cr3(struct vcpu *);
__attribute__((noreturn)) void	enter_guest_first(struct xm_cpu_user_regs *);
void	prepare_return_to_guest(struct xm_cpu_user_regs *);

/* The MSRs hv answers beyond the segment bases (hv/x86/msr_pv.c). */
bool	msr_pv_read(struct vcpu *, uint32_t msr, uint64_t *val);
bool	msr_pv_write(struct vcpu *, uint32_t msr, uint64_t val);
void	msr_pv_load(const struct vcpu *);

#endif
