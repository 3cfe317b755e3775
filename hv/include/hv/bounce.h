/* Delivering traps and events into a PV guest's kernel. */
#ifndef HV_BOUNCE_H
#define HV_BOUNCE_H

#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>

struct vcpu;

#define BOUNCE_ERRCODE		0x1	/* push the error code */
#define BOUNCE_MASK_EVENTS	0x2	/* like an interrupt gate */
#define BOUNCE_SEGS		0x4	/* the failsafe frame's selectors */

int	bounce_to_guest(struct vcpu *, struct xm_cpu_user_regs *,
	    uint64_t handler, unsigned int flags, uint32_t error_code);
void	failsafe_deliver(struct vcpu *, struct xm_cpu_user_regs *);
bool	bounce_trap(struct vcpu *, struct xm_cpu_user_regs *,
	    unsigned int vector, bool has_error, uint32_t error_code);

#endif
