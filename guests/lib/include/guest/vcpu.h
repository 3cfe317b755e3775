/*
 * Secondary vCPUs as a PV kernel brings them up: a context for
 * VCPUOP_initialise that starts entry(arg) in kernel mode on the boot
 * page tables and its own stack, events masked (hv starts every vCPU's
 * vcpu_info so), the FPU as after fninit.
 */

#ifndef _GUEST_VCPU_H_
#define _GUEST_VCPU_H_

#include <stdint.h>

#include <xm/vcpu.h>

#define FXSAVE_MXCSR	24	/* in an fxsave image */

typedef void	vcpu_entry_t(uint64_t arg);

void	vcpu_context_init(struct xm_vcpu_guest_context *c, vcpu_entry_t *entry,
	    void *stack_top, uint64_t arg);

#endif /* _GUEST_VCPU_H_ */
