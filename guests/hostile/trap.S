/*
 * The hostile guest's own exception entries and the few instructions
 * its attacks need that C cannot express.
 *
 * Every entry turns hv's bounce frame (rcx, r11, [error code,] rip,
 * cs, rflags, rsp, ss) into vector, error code, rip, cs, rflags, rsp,
 * ss and calls hx_trap(), which records the fault and returns the
 * recovery point (struct hx_jmp) armed by hx_run().  The entry then
 * returns there with the iret hypercall, the callee-saved registers
 * restored from it, so that hx_setjmp() appears to return 1.
 */
#include <guest/asm.h>

/* Offsets in struct hx_jmp (hostile.h). */
#define JMP_RBX		0
#define JMP_RBP		8
#define JMP_R12		16
#define JMP_R13		24
#define JMP_R14		32
#define JMP_R15		40
#define JMP_RSP		48
#define JMP_RIP		56

#define IRET_STUB	(GUEST_HYPERCALL_IRET * GUEST_HYPERCALL_STUB)

	.text

/* int hx_setjmp(struct hx_jmp *j): 0 now, 1 when a fault resumes it. */
	.globl	hx_setjmp
	.type	hx_setjmp, @function
hx_setjmp:
	movq	%rbx, JMP_RBX(%rdi)
	movq	%rbp, JMP_RBP(%rdi)
	movq	%r12, JMP_R12(%rdi)
	movq	%r13, JMP_R13(%rdi)
	movq	%r14, JMP_R14(%rdi)
	movq	%r15, JMP_R15(%rdi)
	leaq	8(%rsp), %rax
	movq	%rax, JMP_RSP(%rdi)
	movq	(%rsp), %rax
	movq	%rax, JMP_RIP(%rdi)
	xorl	%eax, %eax
	ret
	.size	hx_setjmp, . - hx_setjmp

	.macro	HX_NOERR name, vector
	.globl	\name
	.type	\name, @function
\name:
	popq	%rcx
	popq	%r11
	pushq	$0
	pushq	$\vector
	jmp	hx_trap_common
	.size	\name, . - \name
	.endm

	.macro	HX_ERR name, vector
	.globl	\name
	.type	\name, @function
\name:
	popq	%rcx
	popq	%r11
	pushq	$\vector
	jmp	hx_trap_common
	.size	\name, . - \name
	.endm

	HX_NOERR	hx_trap_de, 0
	HX_NOERR	hx_trap_db, 1
	HX_NOERR	hx_trap_bp, 3
	HX_NOERR	hx_trap_of, 4
	HX_NOERR	hx_trap_br, 5
	HX_NOERR	hx_trap_ud, 6
	HX_NOERR	hx_trap_nm, 7
	HX_NOERR	hx_trap_cso, 9
	HX_ERR		hx_trap_ts, 10
	HX_ERR		hx_trap_np, 11
	HX_ERR		hx_trap_ss, 12
	HX_ERR		hx_trap_gp, 13
	HX_ERR		hx_trap_pf, 14
	HX_NOERR	hx_trap_spurious, 15
	HX_NOERR	hx_trap_mf, 16
	HX_ERR		hx_trap_ac, 17
	HX_NOERR	hx_trap_mc, 18
	HX_NOERR	hx_trap_xm, 19

/*
 * The failsafe callback too, so that a bounce hv should not have made
 * there is survived.  Its frame has ds, es, fs and gs besides; the
 * record of it is rough, and the way back does not use the frame.
 */
	HX_NOERR	hx_failsafe, 257

/*
 * rsp: vector, error code, rip, cs, rflags, rsp, ss.  The way back is
 * a new iret frame to the recovery point, whatever this frame is: the
 * kernel's flat selectors, events enabled, no TF.
 */
	.type	hx_trap_common, @function
hx_trap_common:
	cld
	movq	0(%rsp), %rdi
	movq	8(%rsp), %rsi
	movq	16(%rsp), %rdx
	movq	40(%rsp), %rcx
	andq	$-16, %rsp
	call	hx_trap			/* never returns NULL */
	movq	%rax, %rdi
	xorl	%ecx, %ecx
	movw	%ss, %cx
	pushq	%rcx			/* ss */
	pushq	JMP_RSP(%rdi)		/* rsp */
	pushfq
	orq	$0x200, (%rsp)		/* IF: events enabled */
	andq	$~0x100, (%rsp)		/* no TF */
	movw	%cs, %cx
	andl	$~3, %ecx		/* RPL 0: back to kernel mode */
	pushq	%rcx			/* cs */
	pushq	JMP_RIP(%rdi)		/* rip */
	movq	JMP_RBX(%rdi), %rbx
	movq	JMP_RBP(%rdi), %rbp
	movq	JMP_R12(%rdi), %r12
	movq	JMP_R13(%rdi), %r13
	movq	JMP_R14(%rdi), %r14
	movq	JMP_R15(%rdi), %r15
	movl	$1, %eax		/* hx_setjmp's second return */
	pushq	$0			/* iret flags: not from syscall */
	jmp	hypercall_page + IRET_STUB
	.size	hx_trap_common, . - hx_trap_common

/*
 * long hx_syscall(nr, a1, a2, a3, a4, a5): a hypercall by number with
 * syscall issued here, not through the hypercall page, so that numbers
 * the page has no stub for can be tried.
 */
	.globl	hx_syscall
	.type	hx_syscall, @function
hx_syscall:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	syscall
	ret
	.size	hx_syscall, . - hx_syscall

/*
 * uint64_t hx_iret(cs, rflags, ss): the iret hypercall back to the next
 * instruction, asking for cs, rflags and ss; returns the cs it came
 * back with.
 */
	.globl	hx_iret
	.type	hx_iret, @function
hx_iret:
	movq	%rsp, %rax
	pushq	%rdx			/* ss */
	pushq	%rax			/* rsp: at the return address */
	pushq	%rsi			/* rflags */
	pushq	%rdi			/* cs */
	leaq	1f(%rip), %rax
	pushq	%rax			/* rip */
	pushq	$0			/* flags */
	xorl	%eax, %eax
	jmp	hypercall_page + IRET_STUB
1:	xorl	%eax, %eax
	movw	%cs, %ax
	ret
	.size	hx_iret, . - hx_iret

	.globl	hx_rflags
	.type	hx_rflags, @function
hx_rflags:
	pushfq
	popq	%rax
	ret
	.size	hx_rflags, . - hx_rflags

/*
 * void hx_stack_smash(sp): switch to stack sp and push onto it.  With
 * sp unmapped the push faults and hv cannot write the fault's frame on
 * that stack either: the guest's triple fault.
 */
	.globl	hx_stack_smash
	.type	hx_stack_smash, @function
hx_stack_smash:
	movq	%rdi, %rsp
	pushq	$0
	ud2
	.size	hx_stack_smash, . - hx_stack_smash

/*
 * void hx_tf_syscall(arg): a hypercall (xen_version) made with the
 * trap flag set.  The iret hypercall lands on the syscall itself with
 * TF on, so no instruction of the guest runs single-stepped before it;
 * hv must not take the single-step trap itself, and the guest gets it
 * after the hypercall returns (a #DB at the first nop).  The ud2 is
 * reached only if no #DB came at all.
 */
	.globl	hx_tf_syscall
	.type	hx_tf_syscall, @function
hx_tf_syscall:
	movq	%rsp, %rax
	xorl	%ecx, %ecx
	movw	%ss, %cx
	pushq	%rcx			/* ss */
	pushq	%rax			/* rsp */
	pushfq
	orq	$0x100, (%rsp)		/* rflags with TF */
	movw	%cs, %cx
	andl	$~3, %ecx		/* RPL 0: back to kernel mode */
	pushq	%rcx			/* cs */
	leaq	1f(%rip), %rcx
	pushq	%rcx			/* rip: the syscall below */
	pushq	$0			/* flags */
	movl	$17, %eax		/* rax after iret: xen_version */
	xorl	%edi, %edi		/* XENVER_version */
	xorl	%esi, %esi
	jmp	hypercall_page + IRET_STUB
1:	syscall
	nop
	nop
	ud2
	.size	hx_tf_syscall, . - hx_tf_syscall

/*
 * An event callback at an address whose second byte has its low two
 * bits set (0x...3xx): a trap_info that overlaps it reads DPL 3.
 */
	.balign	1024
	.skip	0x300, 0xcc
	.globl	hx_event_tramp
	.type	hx_event_tramp, @function
hx_event_tramp:
	jmp	event_callback
	.size	hx_event_tramp, . - hx_event_tramp

/*
 * void hx_iret_frame(rip, cs, rflags, rsp, ss): the iret hypercall with
 * a frame of the caller's choosing; it comes back only through a fault.
 */
	.globl	hx_iret_frame
	.type	hx_iret_frame, @function
hx_iret_frame:
	pushq	%r8			/* ss */
	pushq	%rcx			/* rsp */
	pushq	%rdx			/* rflags */
	pushq	%rsi			/* cs */
	pushq	%rdi			/* rip */
	pushq	$0			/* flags */
	xorl	%eax, %eax
	jmp	hypercall_page + IRET_STUB
	.size	hx_iret_frame, . - hx_iret_frame

/*
 * int hx_native_iretq(cs, rflags_or): the guest kernel's own iretq in
 * ring 3 to the next instruction with code selector cs and its flags
 * with rflags_or set, as PV kernels return on their fast path; 1 when
 * it got there.
 */
	.globl	hx_native_iretq
	.type	hx_native_iretq, @function
hx_native_iretq:
	movq	%rsp, %rax
	xorl	%ecx, %ecx
	movw	%ss, %cx
	pushq	%rcx			/* ss */
	pushq	%rax			/* rsp */
	pushfq				/* rflags */
	orq	%rsi, (%rsp)
	pushq	%rdi			/* cs */
	leaq	1f(%rip), %rax
	pushq	%rax			/* rip */
	iretq
1:	movl	$1, %eax
	ret
	.size	hx_native_iretq, . - hx_native_iretq

/* void hx_set_ac(int on): the alignment-check flag, which ring 3 owns. */
	.globl	hx_set_ac
	.type	hx_set_ac, @function
hx_set_ac:
	pushfq
	andq	$~0x40000, (%rsp)
	testl	%edi, %edi
	jz	1f
	orq	$0x40000, (%rsp)
1:	popfq
	ret
	.size	hx_set_ac, . - hx_set_ac
