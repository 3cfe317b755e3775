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
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>

/* A row: handler h of number nr takes the first n argument registers. */
#define HC(nr, h, n)	\
	[XM_HYPERCALL_##nr] = { .fn.a##n = h, .nargs = n, .name = #h }

static const struct hypercall_row hypercall_table[XM_HYPERCALL_COUNT] = {
	HC(SET_TRAP_TABLE, do_set_trap_table, 1),
	HC(MMU_UPDATE, do_mmu_update, 4),
	HC(SET_GDT, do_set_gdt, 2),
	HC(STACK_SWITCH, do_stack_switch, 2),
	HC(SET_CALLBACKS, do_set_callbacks, 3),
	HC(FPU_TASKSWITCH, do_fpu_taskswitch, 1),
	HC(SET_DEBUGREG, do_set_debugreg, 2),
	HC(GET_DEBUGREG, do_get_debugreg, 1),
	HC(MEMORY_OP, do_memory_op, 2),
	HC(MULTICALL, do_multicall, 2),
	HC(UPDATE_VA_MAPPING, do_update_va_mapping, 3),
	HC(SET_TIMER_OP, do_set_timer_op, 1),
	HC(XEN_VERSION, do_xen_version, 2),
	HC(CONSOLE_IO, do_console_io, 3),
	HC(GRANT_TABLE_OP, do_grant_table_op, 3),
	HC(UPDATE_DESCRIPTOR, do_update_descriptor, 2),
	HC(VM_ASSIST, do_vm_assist, 2),
	HC(IRET, do_iret, 0),
	HC(VCPU_OP, do_vcpu_op, 3),
	HC(SET_SEGMENT_BASE, do_set_segment_base, 2),
	HC(MMUEXT_OP, do_mmuext_op, 4),
	HC(SCHED_OP, do_sched_op, 2),
	HC(CALLBACK_OP, do_callback_op, 2),
	HC(EVENT_CHANNEL_OP, do_event_channel_op, 2),
	HC(DOMCTL, do_domctl, 1),
	HC(PHYSDEV_OP, do_physdev_op, 2),
	HC(PLATFORM_OP, do_platform_op, 1),
};

unsigned int
hypercall_nargs(unsigned long nr)
{
	return nr < XM_HYPERCALL_COUNT ? hypercall_table[nr].nargs : 0;
}

/* a[] holds HYPERCALL_MAX_ARGS values; the row says how many it uses. */
long
hypercall_call(unsigned long nr, const uint64_t a[])
{
	const union hypercall_fn *fn;

	if (nr >= XM_HYPERCALL_COUNT || hypercall_table[nr].name == NULL)
		return -XM_ENOSYS;
	fn = &hypercall_table[nr].fn;
	switch (hypercall_table[nr].nargs) {
	case 0:
		return fn->a0();
	case 1:
		return fn->a1(a[0]);
	case 2:
		return fn->a2(a[0], a[1]);
	case 3:
		return fn->a3(a[0], a[1], a[2]);
	case 4:
		return fn->a4(a[0], a[1], a[2], a[3]);
	}
	return fn->a5(a[0], a[1], a[2], a[3], a[4]);
}

/*
 * The guest's user mode made a system call: into the guest kernel.  One
 * from compatibility mode goes to the syscall32 callback, or, as Xen
 * does, to the 64-bit one when the guest registered none.
 */
static void
guest_user_syscall(struct vcpu *v, struct xm_cpu_user_regs *r)
{
	bool compat = r->cs == GUEST_CS32 && v->syscall32_callback != 0;
	uint64_t to = compat ? v->syscall32_callback : v->syscall_callback;
	unsigned int flags = (compat ? v->syscall32_masks_events :
	    v->syscall_masks_events) ? BOUNCE_MASK_EVENTS : 0;

	if (to == 0 || bounce_to_guest(v, r, to, flags, 0) != 0) {
		domain_log_refusal(v->domain, "system call from user mode "
		    "with no usable syscall callback");
		domain_crash(v->domain, "undeliverable system call");
	}
}

void
syscall_dispatch(struct xm_cpu_user_regs *r)
{
	struct vcpu *v = current_vcpu();
	uint64_t args[HYPERCALL_MAX_ARGS] = { r->rdi, r->rsi, r->rdx, r->r10,
	    r->r8 };

	if (!v->in_kernel) {
		guest_user_syscall(v, r);
		return;
	}
	stats_hypercall(&v->stats, r->rax);
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
