/*
 * Exceptions: the trap table the runtime installs, the frame every
 * exception, event and failsafe entry builds, hooks through which a
 * guest can take a fault itself, and probes that touch memory that may
 * fault (for guests that test what hv refuses).
 *
 * Unless a probe or a hook handles it, an exception prints the frame
 * and shuts the domain down with SHUTDOWN_crash.
 */

#ifndef _GUEST_TRAPS_H_
#define _GUEST_TRAPS_H_

#include <stdint.h>

#include <guest/asm.h>

/*
 * Lowest address first.  hv's bounce frame (rcx, r11, [error code],
 * rip, cs, rflags, rsp, ss) is rearranged into this by entry.S: rcx and
 * r11 join the other registers, the error code is 0 where the CPU has
 * none.  cs carries hv's saved upcall mask in bits 32-39; rflags.IF is
 * the inverse of that mask.
 */
struct trap_frame {
	uint64_t	r15;
	uint64_t	r14;
	uint64_t	r13;
	uint64_t	r12;
	uint64_t	r11;
	uint64_t	r10;
	uint64_t	r9;
	uint64_t	r8;
	uint64_t	rbp;
	uint64_t	rdi;
	uint64_t	rsi;
	uint64_t	rdx;
	uint64_t	rcx;
	uint64_t	rbx;
	uint64_t	rax;
	uint64_t	vector;		/* 0-31, or TRAP_VECTOR_* */
	uint64_t	error_code;
	uint64_t	rip;
	uint64_t	cs;
	uint64_t	rflags;
	uint64_t	rsp;
	uint64_t	ss;
};

/* Exception vectors. */
#define TRAP_DE		0
#define TRAP_DB		1
#define TRAP_NMI	2
#define TRAP_BP		3
#define TRAP_OF		4
#define TRAP_BR		5
#define TRAP_UD		6
#define TRAP_NM		7
#define TRAP_DF		8
#define TRAP_TS		10
#define TRAP_NP		11
#define TRAP_SS		12
#define TRAP_GP		13
#define TRAP_PF		14
#define TRAP_MF		16
#define TRAP_AC		17
#define TRAP_MC		18
#define TRAP_XM		19
#define TRAP_NR		32

/* The last exception taken, whoever handled it. */
struct trap_record {
	uint64_t	count;		/* exceptions so far */
	uint64_t	vector;
	uint64_t	error_code;
	uint64_t	rip;
	uint64_t	cr2;		/* from vcpu_info, for #PF */
};
extern volatile struct trap_record trap_last;

/*
 * A hook returns non-zero when it handled the exception (it may change
 * the frame, rip included, to resume elsewhere), zero to let the
 * runtime report it and crash.
 */
typedef int	trap_hook_t(struct trap_frame *tf);

void	traps_init(void);
/* vector: 0-31, or TRAP_VECTOR_FAILSAFE (error code: guest/user.h). */
void	trap_set_hook(unsigned int vector, trap_hook_t *hook);
/* Called first for any frame from user mode (RPL 3). */
void	trap_set_user_hook(trap_hook_t *hook);
/* Print the frame and crash. */
void	trap_fatal(const struct trap_frame *tf, const char *why)
	    __attribute__((__noreturn__));
/* Called by entry.S for every exception and callback. */
void	trap_dispatch(struct trap_frame *tf);

/*
 * Read or write 8 bytes at va.  Return 0, or -XM_EFAULT when the access
 * faulted (#PF or #GP); trap_last then describes the fault.
 */
int	probe_read64(const volatile void *va, uint64_t *val);
int	probe_write64(volatile void *va, uint64_t val);

#endif /* _GUEST_TRAPS_H_ */
