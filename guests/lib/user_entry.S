/*
 * The way into user mode and back (guest/user.h).  user_enter keeps
 * the kernel's callee-saved registers and stack in a user_jmp and irets
 * to the user frame; user_leave, called from a trap or callback taken
 * in user mode, abandons that stack and returns from user_enter.
 */
#include <guest/asm.h>

	.text

/* void user_enter(struct user_jmp *j, const uint64_t frame[5]) */
	.globl	user_enter
	.type	user_enter, @function
user_enter:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	movq	%rsp, 48(%rdi)
	/* iret context, as the hypercall reads it: flags, rip .. ss */
	pushq	32(%rsi)		/* ss */
	pushq	24(%rsi)		/* rsp */
	pushq	16(%rsi)		/* rflags */
	pushq	8(%rsi)			/* cs */
	pushq	0(%rsi)			/* rip */
	pushq	$0			/* flags: not from a syscall */
	xorl	%eax, %eax
	jmp	hypercall_page + GUEST_HYPERCALL_IRET * GUEST_HYPERCALL_STUB
	.size	user_enter, . - user_enter

/* void user_leave(const struct user_jmp *j): user_enter returns. */
	.globl	user_leave
	.type	user_leave, @function
user_leave:
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	ret
	.size	user_leave, . - user_leave
