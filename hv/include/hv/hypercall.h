/*
 * The hypercall table: one row per hypercall number (Xen's numbering);
 * an empty row answers -ENOSYS. Handlers take the five argument
 * registers and return the value for rax.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <stdint.h>

#include <xm/arch_x86_64.h>

typedef long (*hypercall_fn_t)(uint64_t, uint64_t, uint64_t, uint64_t,
    uint64_t);

struct hypercall_row {
	hypercall_fn_t	fn;
	const char	*name;
};

long	hypercall_call(unsigned long nr, const uint64_t args[5]);
void	syscall_dispatch(struct xm_cpu_user_regs *);
void	hypercall_page_fill(uint8_t *page);

struct domain;
long	vcpu_replace_base(struct domain *, uint64_t *slot, uint64_t mfn,
	    uint64_t *held);

/* The handlers, by file. */
long	do_set_trap_table(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_mmu_update(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_stack_switch(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_set_callbacks(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_fpu_taskswitch(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_memory_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_multicall(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_update_va_mapping(uint64_t, uint64_t, uint64_t, uint64_t,
	    uint64_t);
long	do_set_timer_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_xen_version(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_console_io(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_grant_table_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_vm_assist(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_iret(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_vcpu_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_set_segment_base(uint64_t, uint64_t, uint64_t, uint64_t,
	    uint64_t);
long	do_mmuext_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_sched_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_callback_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_evtchn_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_domctl(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long	do_physdev_op(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

#endif
