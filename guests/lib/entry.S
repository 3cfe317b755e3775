/*
 * The guest kernel's entry points: the ELF entry, the exception entries
 * of the trap table, and the event and failsafe callbacks.
 *
 * hv enters the ELF entry in ring 3 on the flat kernel code segment
 * with rsi = &start_info, rsp at the top of the bootstrap stack and
 * events masked.
 *
 * Exceptions and callbacks arrive on the current (kernel) stack in hv's
 * bounce frame, lowest address first:
 *
 *	rcx, r11, [error code,] rip, cs, rflags, rsp, ss	exceptions
 *	rcx, r11, rip, cs, rflags, rsp, ss			event
 *	rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss	failsafe
 *	rcx, r11, rip, cs, rflags, rsp, ss			syscall,
 *								sysenter
 *
 * Each entry turns that into a struct trap_frame (guest/traps.h) and
 * calls trap_dispatch() with events masked; the way back is the iret
 * hypercall, which takes rip..ss from the frame, rax, r11 and rcx from
 * the registers (the iret stub pushes them), and restores the event
 * mask from the frame's rflags.IF.
 */
#include <guest/asm.h>

	.macro	SAVE_GPRS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	.endm

	.macro	RESTORE_GPRS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	.endm

	.section .text.entry, "ax", @progbits
	.globl	guest_entry
	.type	guest_entry, @function
guest_entry:
	cld
	movq	%rsi, %r12
	movq	%rsp, %r13
	/* .bss holds the new stack, so clear it before using any stack. */
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb
	leaq	guest_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	movq	%r12, %rdi
	movq	%r13, %rsi
	call	guest_start
	ud2
	.size	guest_entry, . - guest_entry

	.text

	/* An exception without error code: make room for one. */
	.macro	TRAP_NOERR name, vector
	.globl	\name
	.type	\name, @function
\name:
	popq	%rcx
	popq	%r11
	pushq	$0
	pushq	$\vector
	jmp	trap_common
	.size	\name, . - \name
	.endm

	.macro	TRAP_ERR name, vector
	.globl	\name
	.type	\name, @function
\name:
	popq	%rcx
	popq	%r11
	pushq	$\vector
	jmp	trap_common
	.size	\name, . - \name
	.endm

	TRAP_NOERR	trap_de, 0
	TRAP_NOERR	trap_db, 1
	TRAP_NOERR	trap_bp, 3
	TRAP_NOERR	trap_of, 4
	TRAP_NOERR	trap_br, 5
	TRAP_NOERR	trap_ud, 6
	TRAP_NOERR	trap_nm, 7
	TRAP_NOERR	trap_cso, 9
	TRAP_ERR	trap_ts, 10
	TRAP_ERR	trap_np, 11
	TRAP_ERR	trap_ss, 12
	TRAP_ERR	trap_gp, 13
	TRAP_ERR	trap_pf, 14
	TRAP_NOERR	trap_spurious, 15
	TRAP_NOERR	trap_mf, 16
	TRAP_ERR	trap_ac, 17
	TRAP_NOERR	trap_mc, 18
	TRAP_NOERR	trap_xm, 19

	TRAP_NOERR	event_callback, TRAP_VECTOR_EVENT

	/* System calls and sysenter from user mode (guest/user.h). */
	TRAP_NOERR	user_syscall_entry, TRAP_VECTOR_SYSCALL
	TRAP_NOERR	user_sysenter_entry, TRAP_VECTOR_SYSENTER

	/*
	 * hv could not load the segment registers it was returning with:
	 * the ones it had, ds, es, fs and gs, packed into the error code.
	 */
	.globl	failsafe_callback
	.type	failsafe_callback, @function
failsafe_callback:
	popq	%rcx
	popq	%r11
	pushq	%rax
	movzwl	32(%rsp), %eax		/* gs */
	shlq	$16, %rax
	movw	24(%rsp), %ax		/* fs */
	shlq	$16, %rax
	movw	16(%rsp), %ax		/* es */
	shlq	$16, %rax
	movw	8(%rsp), %ax		/* ds */
	movq	%rax, 32(%rsp)
	popq	%rax
	addq	$24, %rsp
	pushq	$TRAP_VECTOR_FAILSAFE
	jmp	trap_common
	.size	failsafe_callback, . - failsafe_callback

	/* rsp: vector, error code, rip, cs, rflags, rsp, ss */
	.type	trap_common, @function
trap_common:
	SAVE_GPRS
	cld
	movq	%rsp, %rdi
	/* hv aligns its frame, but the C ABI is not hv's to keep. */
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	trap_dispatch
	movq	%rbx, %rsp
	RESTORE_GPRS
	addq	$16, %rsp		/* vector, error code */
	pushq	$0			/* iret flags: not from syscall */
	jmp	hypercall_page + GUEST_HYPERCALL_IRET * GUEST_HYPERCALL_STUB
	.size	trap_common, . - trap_common

	.section .bss.stack, "aw", @nobits
	.balign	16
guest_stack:
	.skip	GUEST_STACK_SIZE
guest_stack_top:
