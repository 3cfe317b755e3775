/*
 * Hypercall dispatch. A guest kernel's `syscall` (from the hypercall
 * page or issued directly) is a hypercall: number in rax, arguments in
 * rdi, rsi, rdx, r10, r8, result in rax. A `syscall` from the guest's
 * user mode is the guest's own system call and goes to the kernel's
 * syscall callback instead.
 */
#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>

#include <hv/bounce.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>

#define ROW(nr, fn)	[XM_HYPERCALL_##nr] = { fn, #fn }

static const struct hypercall_row hypercall_table[XM_HYPERCALL_COUNT] = {
	ROW(SET_TRAP_TABLE, do_set_trap_table),
	ROW(MMU_UPDATE, do_mmu_update),
	ROW(STACK_SWITCH, do_stack_switch),
	ROW(SET_CALLBACKS, do_set_callbacks),
	ROW(FPU_TASKSWITCH, do_fpu_taskswitch),
	ROW(MEMORY_OP, do_memory_op),
	ROW(MULTICALL, do_multicall),
	ROW(UPDATE_VA_MAPPING, do_update_va_mapping),
	ROW(SET_TIMER_OP, do_set_timer_op),
	ROW(XEN_VERSION, do_xen_version),
	ROW(CONSOLE_IO, do_console_io),
	ROW(GRANT_TABLE_OP, do_grant_table_op),
	ROW(VM_ASSIST, do_vm_assist),
	ROW(IRET, do_iret),
	ROW(VCPU_OP, do_vcpu_op),
	ROW(SET_SEGMENT_BASE, do_set_segment_base),
	ROW(MMUEXT_OP, do_mmuext_op),
	ROW(SCHED_OP, do_sched_op),
	ROW(CALLBACK_OP, do_callback_op),
	ROW(EVENT_CHANNEL_OP, do_evtchn_op),
	ROW(DOMCTL, do_domctl),
	ROW(PHYSDEV_OP, do_physdev_op),
};

long
hypercall_call(unsigned long nr, const uint64_t a[5])
{
	if (nr >= XM_HYPERCALL_COUNT || hypercall_table[nr].fn == NULL)
		return -XM_ENOSYS;
	return hypercall_table[nr].fn(a[0], a[1], a[2], a[3], a[4]);
}

long
do_evtchn_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4,
    uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return do_event_channel_op((unsigned int)cmd, arg);
}

/* The guest's user mode made a system call: into the guest kernel. */
static void
guest_user_syscall(struct vcpu *v, struct xm_cpu_user_regs *r)
{
	unsigned int flags = v->syscall_masks_events ? BOUNCE_MASK_EVENTS : 0;

	if (v->syscall_callback == 0 ||
	    bounce_to_guest(v, r, v->syscall_callback, flags, 0) != 0) {
		domain_log_refusal(v->domain, "system call from user mode "
		    "with no usable syscall callback");
		domain_crash(v->domain, "undeliverable system call");
	}
}

void
syscall_dispatch(struct xm_cpu_user_regs *r)
{
	struct vcpu *v = current_vcpu();
	uint64_t args[5] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8 };

	if (!v->in_kernel) {
		guest_user_syscall(v, r);
		return;
	}
	r->rax = (uint64_t)hypercall_call(r->rax, args);
}

/*
 * Each 32-byte stub: push %rcx; push %r11; mov $nr, %eax; syscall;
 * pop %r11; pop %rcx; ret. The iret stub keeps rax on the stack too (it
 * is part of the iret frame) and never returns.
 */
void
hypercall_page_fill(uint8_t *p)
{
	static const uint8_t stub[] = { 0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0,
	    0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
	static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 0, 0,
	    0, 0, 0x0f, 0x05, 0x0f, 0x0b };
	unsigned int i, j;

	for (i = 0; i < XM_HYPERCALL_STUB_COUNT; i++) {
		uint8_t *s = p + i * XM_HYPERCALL_STUB_SIZE;

		for (j = 0; j < XM_HYPERCALL_STUB_SIZE; j++)
			s[j] = 0xcc;			/* int3 */
		if (i == XM_HYPERCALL_IRET) {
			for (j = 0; j < sizeof(iret); j++)
				s[j] = iret[j];
			s[5] = (uint8_t)i;
		} else {
			for (j = 0; j < sizeof(stub); j++)
				s[j] = stub[j];
			s[4] = (uint8_t)i;
		}
	}
}
