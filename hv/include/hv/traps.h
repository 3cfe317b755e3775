/* Exceptions: hv's own and guests'. */
#ifndef HV_TRAPS_H
#define HV_TRAPS_H

#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>

extern const char *const exception_names[32];

bool	extable_fixup(struct xm_cpu_user_regs *);
void	dump_frame(const struct xm_cpu_user_regs *);
void	guest_exception(struct xm_cpu_user_regs *);
struct vcpu;
void	guest_raise(struct vcpu *, struct xm_cpu_user_regs *, unsigned int vec,
	    uint32_t err);

#endif
