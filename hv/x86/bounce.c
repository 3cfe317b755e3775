/*
 * Bouncing into the guest kernel, as the x86-64 PV ABI frames it. On
 * the guest kernel's stack (its stack_switch stack if it was in user
 * mode) hv pushes, lowest address first:
 *
 *	rcx, r11, [error code,] rip, cs, rflags, rsp, ss
 *	rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss	(failsafe)
 *
 * cs carries the interrupted context's event mask in bits 32-39 and has
 * RPL 0 when the guest kernel was interrupted (3 for its user mode);
 * rflags.IF mirrors the event mask. The handler then runs with the flat
 * kernel selectors.
 */
#include <stdbool.h>
#include <stdint.h>

#include <xm/hypercall.h>

#include <hv/bounce.h>
#include <hv/console.h>
#include <hv/context.h>
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>

#define RFLAGS_IF	(1ULL << 9)
#define RFLAGS_TF	(1ULL << 8)
#define RFLAGS_NT	(1ULL << 14)
#define RFLAGS_RF	(1ULL << 16)
#define RFLAGS_VM	(1ULL << 17)

int
bounce_to_guest(struct vcpu *v, struct xm_cpu_user_regs *r,
    uint64_t handler, unsigned int flags, uint32_t error_code)
{
	uint64_t frame[11], sp, cs;
	uint8_t mask = v->vcpu_info->evtchn_upcall_mask;
	unsigned int n = 0, i;
	bool was_kernel = v->in_kernel;

	if (handler == 0)
		return -XM_EINVAL;
	cs = (r->cs & 0xffff) | ((uint64_t)mask << 32);
	if (was_kernel)
		cs &= ~3ULL;
	frame[n++] = r->rcx;
	frame[n++] = r->r11;
	for (i = 0; (flags & BOUNCE_SEGS) && i < 4; i++)
		frame[n++] = v->seg_lost_sel[i];
	if (flags & BOUNCE_ERRCODE)
		frame[n++] = error_code;
	frame[n++] = r->rip;
	frame[n++] = cs;
	frame[n++] = (r->rflags & ~RFLAGS_IF) | (mask ? 0 : RFLAGS_IF);
	frame[n++] = r->rsp;
	frame[n++] = r->ss;
	if (!was_kernel) {
		toggle_guest_mode(v);
		sp = v->kernel_sp;
	} else
		sp = r->rsp;
	sp = (sp & ~15ULL) - n * sizeof(uint64_t);
	if (copy_to_guest(sp, frame, n * sizeof(uint64_t)) != 0) {
		if (!was_kernel)
			toggle_guest_mode(v);	/* leave it as it was */
		return -XM_EFAULT;
	}
	for (i = 0; i < n; i++)
		frame[i] = 0;
	if (flags & BOUNCE_MASK_EVENTS)
		v->vcpu_info->evtchn_upcall_mask = 1;
	r->rsp = sp;
	r->rip = handler;
	r->cs = GUEST_CS64;
	r->ss = GUEST_SS;
	r->rflags &= ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM);
	return 0;
}

/* Deliver exception vector to the handler in the guest's trap table. */
bool
bounce_trap(struct vcpu *v, struct xm_cpu_user_regs *r, unsigned int vector,
    bool has_error, uint32_t error_code)
{
	const struct xm_trap_info *t = vcpu_trap(v, vector);
	unsigned int flags = 0;

	if (has_error)
		flags |= BOUNCE_ERRCODE;
	if (t->flags & XM_TI_MASK_EVENTS)
		flags |= BOUNCE_MASK_EVENTS;
	if (bounce_to_guest(v, r, t->address, flags, error_code) != 0)
		return false;
	v->stats.traps_bounced++;
	return true;
}

/*
 * A data selector of v's did not load when it was put on this CPU (its
 * descriptor changed or went): it runs with null there, and, as Xen
 * does, its failsafe callback is given the selectors it had, so that
 * the kernel can tell this from a faulting iret and load others.
 */
void
failsafe_deliver(struct vcpu *v, struct xm_cpu_user_regs *r)
{
	unsigned int flags = BOUNCE_SEGS;

	if (!v->seg_lost)
		return;
	v->seg_lost = false;
	if (v->failsafe_callback == 0)
		return;
	if (v->failsafe_masks_events)
		flags |= BOUNCE_MASK_EVENTS;
	if (bounce_to_guest(v, r, v->failsafe_callback, flags, 0) != 0) {
		domain_log_refusal(v->domain, "cannot deliver the failsafe "
		    "callback: kernel stack %p not writable", (void *)r->rsp);
		domain_crash(v->domain, "failsafe callback delivery failed");
	}
}

/* An upcall is due: pending, unmasked, and the guest has a callback. */
void
event_deliver_upcall(struct vcpu *v, struct xm_cpu_user_regs *r)
{
	struct xm_vcpu_info *vi = v->vcpu_info;

	if (vi == NULL || !vi->evtchn_upcall_pending ||
	    vi->evtchn_upcall_mask || v->event_callback == 0)
		return;
	if (bounce_to_guest(v, r, v->event_callback, BOUNCE_MASK_EVENTS,
	    0) != 0) {
		domain_log_refusal(v->domain, "cannot deliver an event: "
		    "kernel stack %p not writable", (void *)r->rsp);
		domain_crash(v->domain, "event delivery failed");
	}
}
