/*
 * The hypercall table: one row per hypercall number (Xen's numbering);
 * an empty row answers -ENOSYS. A row names its handler and how many of
 * the five argument registers it takes; the handler's type says the
 * same, so the compiler refuses a row whose count and handler disagree.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>

#define HYPERCALL_MAX_ARGS	5

union hypercall_fn {
	long	(*a0)(void);
	long	(*a1)(uint64_t);
	long	(*a2)(uint64_t, uint64_t);
	long	(*a3)(uint64_t, uint64_t, uint64_t);
	long	(*a4)(uint64_t, uint64_t, uint64_t, uint64_t);
	long	(*a5)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
};

struct hypercall_row {
	union hypercall_fn fn;
	unsigned int	nargs;		/* fn.a<nargs> is the one set */
	const char	*name;
};

long	hypercall_call(unsigned long nr, const uint64_t args[]);
/* The row's argument count; 0 for a number with no handler. */
unsigned int hypercall_nargs(unsigned long nr);
void	syscall_dispatch(struct xm_cpu_user_regs *);
void	sysenter_dispatch(struct xm_cpu_user_regs *);
void	hypercall_page_fill(uint8_t *page);

struct domain;
long	vcpu_replace_base(struct domain *, uint64_t *slot, uint64_t mfn,
	    uint64_t *held);

/* The handlers, by file; each takes the arguments of its row. */
/* hv/x86/hc_cpu.c */
long	do_set_trap_table(uint64_t list);
long	do_stack_switch(uint64_t ss, uint64_t sp);
long	do_set_gdt(uint64_t frame_list, uint64_t entries);
long	do_update_descriptor(uint64_t maddr, uint64_t desc);
long	do_set_callbacks(uint64_t event, uint64_t failsafe,
	    uint64_t syscall);
long	do_fpu_taskswitch(uint64_t set);
long	do_set_debugreg(uint64_t reg, uint64_t value);
long	do_get_debugreg(uint64_t reg);
long	do_iret(void);
long	do_set_segment_base(uint64_t which, uint64_t base);
long	do_callback_op(uint64_t cmd, uint64_t arg);
/* hv/hc_mm.c */
long	do_mmu_update(uint64_t reqs, uint64_t count, uint64_t done,
	    uint64_t foreigndom);
long	do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags);
long	do_mmuext_op(uint64_t ops, uint64_t count, uint64_t done,
	    uint64_t foreigndom);
long	do_multicall(uint64_t list, uint64_t count);
/* hv/memory_op.c */
long	do_memory_op(uint64_t cmd, uint64_t arg);
/* hv/vcpu_timer.c */
long	do_set_timer_op(uint64_t deadline);
/* hv/xen_version.c */
long	do_xen_version(uint64_t cmd, uint64_t arg);
long	do_platform_op(uint64_t op);
/* hv/console_io.c */
long	do_console_io(uint64_t cmd, uint64_t count, uint64_t buf);
/* hv/grant_table.c */
long	do_grant_table_op(uint64_t cmd, uint64_t uop, uint64_t count);
/* hv/vm_assist.c */
long	do_vm_assist(uint64_t cmd, uint64_t type);
/* Whether every assist set in the mask is one a 64-bit PV domain has. */
bool	vm_assist_valid(uint64_t assists);
/* hv/vcpu_op.c */
long	do_vcpu_op(uint64_t cmd, uint64_t id, uint64_t arg);
/* hv/sched_op.c */
long	do_sched_op(uint64_t cmd, uint64_t arg);
/* hv/evtchn.c */
long	do_event_channel_op(uint64_t cmd, uint64_t arg);
/* hv/domctl.c */
long	do_domctl(uint64_t arg);
/* hv/physdev.c */
long	do_physdev_op(uint64_t cmd, uint64_t arg);

#endif
