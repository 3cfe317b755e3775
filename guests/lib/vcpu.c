/*
 * The start-of-day context of a secondary vCPU (guest/vcpu.h).
 */

#include <stdint.h>

#include <klib/string.h>

#include <xm/arch_x86_64.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/mm.h>
#include <guest/vcpu.h>

#define FXSAVE_FCW	0
#define MXCSR_DEFAULT	UINT32_C(0x1f80)
#define FCW_DEFAULT	UINT16_C(0x37f)

void
vcpu_context_init(struct xm_vcpu_guest_context *c, vcpu_entry_t *entry,
    void *stack_top, uint64_t arg)
{
	uint64_t top = (uint64_t)stack_top;
	uint32_t mxcsr = MXCSR_DEFAULT;
	uint16_t fcw = FCW_DEFAULT;

	kmemset(c, 0, sizeof(*c));
	c->flags = XM_VGCF_IN_KERNEL | XM_VGCF_I387_VALID;
	c->user_regs.rip = (uint64_t)entry;
	c->user_regs.rdi = arg;
	c->user_regs.rsp = top - 8;	/* as if called */
	c->user_regs.cs = XM_FLAT_KERNEL_CS;
	c->user_regs.ss = XM_FLAT_KERNEL_SS;
	c->user_regs.rflags = 0x202;
	c->kernel_sp = top;
	c->ctrlreg[3] = virt_to_mfn((void *)guest_start_info->pt_base) <<
	    PAGE_SHIFT;
	kmemcpy(c->fpu_ctxt + FXSAVE_FCW, &fcw, sizeof(fcw));
	kmemcpy(c->fpu_ctxt + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}
