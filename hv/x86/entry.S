/*
 * Entry to hv from a guest or from hv itself.
 *
 * Every entry builds a struct xm_cpu_user_regs: the CPU's frame, the
 * error code and the entry vector in one slot, then the general
 * registers. From a guest (ring 3) that frame is the one at the top of
 * the CPU's stack (TSS.rsp0 points just above it), GS is swapped to
 * hv's, and the way out is return_to_guest, which may switch vCPUs or
 * bounce an event before it restores the frame.
 */
#include <hv/desc.h>
#include <hv/percpu.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
	(v) == 21 || (v) == 29 || (v) == 30)

/* Offsets in struct xm_cpu_user_regs. */
#define UREGS_VECTOR	124
#define UREGS_RIP	128
#define UREGS_CS	136
#define UREGS_HW_END	168	/* just above ss */

/*
 * A guest may enter with AC set (popf in ring 3 sets it): clear it, or
 * SMAP would let hv touch guest memory outside the copy helpers without
 * the fault that shows such a bug. clac exists only with SMAP.
 */
	.macro	CLEAR_AC
	testb	$1, hv_smap_on(%rip)
	jz	1f
	clac
1:
	.endm

	.macro	SAVE_GPRS
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
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
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	.endm

	.text
	.balign	16
	.globl	trap_stubs
trap_stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	.if	!HAS_ERR(vec)
	pushq	$0
	.endif
	movl	$vec, 4(%rsp)
	jmp	trap_common
	.set	vec, vec + 1
	.endr

trap_common:
	cld
	CLEAR_AC
	testb	$3, UREGS_CS-UREGS_VECTOR+4(%rsp)
	jz	trap_from_hv
	swapgs
	SAVE_GPRS
	movq	%rsp, %rdi
	call	trap_dispatch
	/* NMI, #DF and #MC arrive on their own stacks: straight back. */
	movq	%gs:CPUINFO_RSP0, %rax
	subq	$UREGS_HW_END, %rax
	cmpq	%rax, %rsp
	je	return_to_guest
	RESTORE_GPRS
	addq	$8, %rsp
	swapgs
	iretq

trap_from_hv:
	cmpl	$1, 4(%rsp)
	je	debug_from_hv
trap_from_hv_saved:
	SAVE_GPRS
	movq	%rsp, %rbx
	andq	$-16, %rsp
	movq	%rbx, %rdi
	call	trap_dispatch
	movq	%rbx, %rsp
	RESTORE_GPRS
	addq	$8, %rsp
	.globl	hv_iret
hv_iret:
	iretq

/*
 * A #DB in hv: a guest's TF steps through sysenter_entry's first pushes
 * (sysenter keeps TF), before its swapgs, so nothing here may use GS.
 * Go on until the guest's flags are saved, with TF in them, then clear
 * it, as Xen does.  Any other #DB is trap_dispatch's.
 */
debug_from_hv:
	pushq	%rax
	leaq	sysenter_entry(%rip), %rax
	cmpq	%rax, 16(%rsp)
	jb	1f
	leaq	sysenter_flags_saved(%rip), %rax
	cmpq	%rax, 16(%rsp)
	ja	1f
	jne	2f
	andq	$~0x100, 32(%rsp)
2:	popq	%rax
	addq	$8, %rsp
	iretq
1:	popq	%rax
	jmp	trap_from_hv_saved

/*
 * syscall from ring 3: a hypercall when the guest is in kernel mode, a
 * system call of the guest's own otherwise. IF is clear (FMASK).
 */
/* The hardware frame a syscall did not push, with the guest's cs. */
	.macro	SYSCALL_FRAME cs
	swapgs
	movq	%rsp, %gs:CPUINFO_SCRATCH
	movq	%gs:CPUINFO_RSP0, %rsp
	pushq	$GUEST_SS
	pushq	%gs:CPUINFO_SCRATCH
	pushq	%r11
	pushq	$\cs
	.endm

	.balign	16
	.globl	syscall_entry
syscall_entry:
	SYSCALL_FRAME GUEST_CS64
	jmp	syscall_common

/* The same from compatibility mode (MSR_CSTAR): its frame says so. */
	.balign	16
	.globl	syscall32_entry
syscall32_entry:
	SYSCALL_FRAME GUEST_CS32
syscall_common:
	pushq	%rcx
	pushq	$0
	movl	$ENTRY_SYSCALL, 4(%rsp)
	cld
	SAVE_GPRS
	movq	%rsp, %rdi
	call	syscall_dispatch
	/* fall through */

/* rsp points at the guest frame at the top of this CPU's stack. */
	.globl	return_to_guest
return_to_guest:
	cli
	movq	%rsp, %rdi
	call	prepare_return_to_guest
	RESTORE_GPRS
	addq	$8, %rsp
	swapgs
	.globl	guest_iret
guest_iret:
	iretq

/* Start running guests on this CPU: rdi is the guest frame. */
	.globl	enter_guest_first
enter_guest_first:
	movq	%rdi, %rsp
	jmp	return_to_guest

/*
 * sysenter from ring 3 (MSR_IA32_SYSENTER_*: rsp is this CPU's rsp0, IF
 * clear).  The CPU saves nothing of where it came from, so the frame is
 * Xen's: rip 0, cs 3 (null, RPL 3), rsp 0; the guest's callback knows
 * where its code returns.  The guest's flags are kept (with IF, which it
 * ran with); hv goes on with none of TF, NT, AC and DF.
 */
	.balign	16
	.globl	sysenter_entry
sysenter_entry:
	pushq	$GUEST_SS
	pushq	$0
	pushfq
sysenter_flags_saved:
	orq	$0x200, (%rsp)
	pushq	$0
	popfq
	swapgs
	pushq	$3
	pushq	$0
	pushq	$0
	movl	$ENTRY_SYSENTER, 4(%rsp)
	SAVE_GPRS
	movq	%rsp, %rdi
	call	sysenter_dispatch
	jmp	return_to_guest
