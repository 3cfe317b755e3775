/*
 * User mode, as a 64-bit PV kernel enters it: the iret hypercall to a
 * ring-3 frame with RPL 3, on user page tables (here the kernel's own;
 * every guest mapping is a user one under PV), back in kernel mode on
 * the stack_switch stack when the user code makes a system call, a
 * sysenter, or faults.  For tests of what hv does with user frames:
 * code selectors of the guest's GDT and LDT, compatibility mode,
 * sysenter, the failsafe callback.
 */
#ifndef _GUEST_USER_H_
#define _GUEST_USER_H_

#include <stddef.h>
#include <stdint.h>

#include <guest/asm.h>

/* How user mode ended: a trap vector (0-31) or one of these. */
#define USER_EXIT_SYSCALL	TRAP_VECTOR_SYSCALL
#define USER_EXIT_SYSENTER	TRAP_VECTOR_SYSENTER
#define USER_EXIT_FAILSAFE	TRAP_VECTOR_FAILSAFE

struct user_exit {
	uint64_t	vector;		/* USER_EXIT_* or an exception's */
	uint64_t	error_code;	/* failsafe: ds | es<<16 | fs<<32 | gs<<48 */
	uint64_t	rip, cs, rflags, rsp, ss;	/* hv's frame */
	uint64_t	rax;		/* the user code's rax then */
};

/* Where user_code() puts code below 4 GiB, for compatibility mode. */
#define USER_CODE_VA		UINT64_C(0x400000)

/*
 * Run user code at rip on code selector cs with stack rsp, events
 * masked, until it leaves user mode; how it did goes to *out.  0, or a
 * negative errno when user mode could not be set up.
 */
int	user_run(uint64_t rip, uint16_t cs, uint64_t rsp,
	    struct user_exit *out);
/* Copy len bytes of code to a fresh page at USER_CODE_VA; its address. */
uint64_t user_code(const void *code, size_t len);

#endif /* _GUEST_USER_H_ */
