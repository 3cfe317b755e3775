/*
 * Hypercalls from a guest kernel: a near call to the stub for number n
 * in the hypercall page hv filled in (hypercall_page + n * 32), with up
 * to five arguments in rdi, rsi, rdx, r10 and r8 and the result in rax.
 * The stub enters hv with syscall, which uses rcx and r11; hv may also
 * scribble on the argument registers, so every one is an output here.
 *
 * iret is not here: it never returns and needs a frame on the stack, so
 * only guests/lib/entry.S uses it.
 */

#ifndef _GUEST_HYPERCALL_H_
#define _GUEST_HYPERCALL_H_

#include <stdint.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/xen_core.h>

extern char hypercall_page[];

#define HCALL_ASM	"call hypercall_page + %c[off]"
#define HCALL_OFF(n)	[off] "i" ((n) * XM_HYPERCALL_STUB_SIZE)
#define HCALL_CLOBBER	"rcx", "r11", "memory"
#define HCALL_ARG(x)	((uint64_t)(x))

#define _hypercall1(n, a1) ({						\
	register uint64_t __a1 __asm__("rdi") = HCALL_ARG(a1);		\
	long __ret;							\
	__asm__ volatile(HCALL_ASM					\
	    : "=a" (__ret), "+r" (__a1)					\
	    : HCALL_OFF(n)						\
	    : HCALL_CLOBBER);						\
	__ret;								\
})

#define _hypercall2(n, a1, a2) ({					\
	register uint64_t __a1 __asm__("rdi") = HCALL_ARG(a1);		\
	register uint64_t __a2 __asm__("rsi") = HCALL_ARG(a2);		\
	long __ret;							\
	__asm__ volatile(HCALL_ASM					\
	    : "=a" (__ret), "+r" (__a1), "+r" (__a2)			\
	    : HCALL_OFF(n)						\
	    : HCALL_CLOBBER);						\
	__ret;								\
})

#define _hypercall3(n, a1, a2, a3) ({					\
	register uint64_t __a1 __asm__("rdi") = HCALL_ARG(a1);		\
	register uint64_t __a2 __asm__("rsi") = HCALL_ARG(a2);		\
	register uint64_t __a3 __asm__("rdx") = HCALL_ARG(a3);		\
	long __ret;							\
	__asm__ volatile(HCALL_ASM					\
	    : "=a" (__ret), "+r" (__a1), "+r" (__a2), "+r" (__a3)	\
	    : HCALL_OFF(n)						\
	    : HCALL_CLOBBER);						\
	__ret;								\
})

#define _hypercall4(n, a1, a2, a3, a4) ({				\
	register uint64_t __a1 __asm__("rdi") = HCALL_ARG(a1);		\
	register uint64_t __a2 __asm__("rsi") = HCALL_ARG(a2);		\
	register uint64_t __a3 __asm__("rdx") = HCALL_ARG(a3);		\
	register uint64_t __a4 __asm__("r10") = HCALL_ARG(a4);		\
	long __ret;							\
	__asm__ volatile(HCALL_ASM					\
	    : "=a" (__ret), "+r" (__a1), "+r" (__a2), "+r" (__a3),	\
	      "+r" (__a4)						\
	    : HCALL_OFF(n)						\
	    : HCALL_CLOBBER);						\
	__ret;								\
})

#define _hypercall5(n, a1, a2, a3, a4, a5) ({				\
	register uint64_t __a1 __asm__("rdi") = HCALL_ARG(a1);		\
	register uint64_t __a2 __asm__("rsi") = HCALL_ARG(a2);		\
	register uint64_t __a3 __asm__("rdx") = HCALL_ARG(a3);		\
	register uint64_t __a4 __asm__("r10") = HCALL_ARG(a4);		\
	register uint64_t __a5 __asm__("r8") = HCALL_ARG(a5);		\
	long __ret;							\
	__asm__ volatile(HCALL_ASM					\
	    : "=a" (__ret), "+r" (__a1), "+r" (__a2), "+r" (__a3),	\
	      "+r" (__a4), "+r" (__a5)					\
	    : HCALL_OFF(n)						\
	    : HCALL_CLOBBER);						\
	__ret;								\
})

static inline int
HYPERVISOR_set_trap_table(const struct xm_trap_info *table)
{
	return _hypercall1(XM_HYPERCALL_SET_TRAP_TABLE, table);
}

static inline int
HYPERVISOR_mmu_update(struct xm_mmu_update *req, unsigned int count,
    unsigned int *done, xm_domid_t domid)
{
	return _hypercall4(XM_HYPERCALL_MMU_UPDATE, req, count, done, domid);
}

static inline int
HYPERVISOR_stack_switch(uint64_t ss, uint64_t sp)
{
	return _hypercall2(XM_HYPERCALL_STACK_SWITCH, ss, sp);
}

/* The x86-64 form: event, failsafe and syscall entry addresses. */
static inline int
HYPERVISOR_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
	return _hypercall3(XM_HYPERCALL_SET_CALLBACKS, event, failsafe,
	    syscall);
}

static inline int
HYPERVISOR_fpu_taskswitch(int set)
{
	return _hypercall1(XM_HYPERCALL_FPU_TASKSWITCH, set);
}

static inline long
HYPERVISOR_set_segment_base(unsigned int which, uint64_t base)
{
	return _hypercall2(XM_HYPERCALL_SET_SEGMENT_BASE, which, base);
}

static inline int
HYPERVISOR_physdev_op(int cmd, void *arg)
{
	return (int)_hypercall2(XM_HYPERCALL_PHYSDEV_OP, cmd, arg);
}

static inline long
HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	return _hypercall2(XM_HYPERCALL_MEMORY_OP, cmd, arg);
}

static inline int
HYPERVISOR_multicall(struct xm_multicall_entry *calls, unsigned int count)
{
	return _hypercall2(XM_HYPERCALL_MULTICALL, calls, count);
}

static inline int
HYPERVISOR_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags)
{
	return _hypercall3(XM_HYPERCALL_UPDATE_VA_MAPPING, va, pte, flags);
}

/* Absolute system time in ns; 0 cancels. */
static inline int
HYPERVISOR_set_timer_op(uint64_t timeout)
{
	return _hypercall1(XM_HYPERCALL_SET_TIMER_OP, timeout);
}

static inline int
HYPERVISOR_xen_version(int cmd, void *arg)
{
	return _hypercall2(XM_HYPERCALL_XEN_VERSION, cmd, arg);
}

static inline int
HYPERVISOR_console_io(int cmd, unsigned int count, const char *buf)
{
	return _hypercall3(XM_HYPERCALL_CONSOLE_IO, cmd, count, buf);
}

static inline int
HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
	return _hypercall3(XM_HYPERCALL_GRANT_TABLE_OP, cmd, uop, count);
}

static inline int
HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
	return _hypercall2(XM_HYPERCALL_VM_ASSIST, cmd, type);
}

static inline int
HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return _hypercall3(XM_HYPERCALL_VCPU_OP, cmd, vcpu, arg);
}

static inline int
HYPERVISOR_mmuext_op(struct xm_mmuext_op *ops, unsigned int count,
    unsigned int *done, xm_domid_t domid)
{
	return _hypercall4(XM_HYPERCALL_MMUEXT_OP, ops, count, done, domid);
}

static inline int
HYPERVISOR_sched_op(int cmd, void *arg)
{
	return _hypercall2(XM_HYPERCALL_SCHED_OP, cmd, arg);
}

/*
 * SCHEDOP_shutdown(SHUTDOWN_suspend) with the start_info frame in the
 * third argument, as the ABI has it: 1 when the toolstack cancelled the
 * suspend (the domain goes on where it was), 0 in a domain restored
 * from it (which must take its rings and shared_info anew).
 */
static inline int
HYPERVISOR_suspend(uint64_t start_info_mfn)
{
	struct xm_sched_shutdown s = { .reason = XM_SHUTDOWN_SUSPEND };

	return _hypercall3(XM_HYPERCALL_SCHED_OP, XM_SCHEDOP_SHUTDOWN, &s,
	    start_info_mfn);
}

/* domctl cmd about domain dom (domain 0's), with op's argument. */
static inline long
HYPERVISOR_domctl_on(struct xm_domctl *op, uint32_t cmd, unsigned int dom)
{
	op->cmd = cmd;
	op->interface_version = XM_DOMCTL_INTERFACE_VERSION;
	op->domain = (xm_domid_t)dom;
	return _hypercall1(XM_HYPERCALL_DOMCTL, op);
}

static inline int
HYPERVISOR_callback_op(int cmd, const void *arg)
{
	return _hypercall2(XM_HYPERCALL_CALLBACK_OP, cmd, arg);
}

static inline int
HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return _hypercall2(XM_HYPERCALL_EVENT_CHANNEL_OP, cmd, arg);
}

#endif /* _GUEST_HYPERCALL_H_ */
