/*
 * Constants that the guest runtime's assembly shares with its C code.
 * Plain #defines only: the xm ABI headers hold structs and cannot be
 * included from a .S file, so the few ABI numbers needed here are
 * repeated and guests/lib/traps.c asserts that they agree.
 */

#ifndef _GUEST_ASM_H_
#define _GUEST_ASM_H_

/* Where every guest kernel is linked and mapped (the VIRT_BASE note). */
#define GUEST_VIRT_BASE		0xffffffff80000000
#define GUEST_PAGE_SIZE		4096

/* The runtime's own stack, in .bss; the bootstrap stack is left behind. */
#define GUEST_STACK_SIZE	16384

/* XM_HYPERCALL_IRET and XM_HYPERCALL_STUB_SIZE. */
#define GUEST_HYPERCALL_IRET	23
#define GUEST_HYPERCALL_STUB	32

/*
 * Pseudo vector numbers in struct trap_frame for the callbacks that
 * share the exception path.
 */
#define TRAP_VECTOR_EVENT	256
#define TRAP_VECTOR_FAILSAFE	257
/* ... and for user mode's way back in (guest/user.h). */
#define TRAP_VECTOR_SYSCALL	258
#define TRAP_VECTOR_SYSENTER	259

/*
 * struct trap_frame: 15 general registers, then vector and error code,
 * then the iret frame (rip, cs, rflags, rsp, ss).
 */
#define TRAP_FRAME_VECTOR	120
#define TRAP_FRAME_RIP		136
#define TRAP_FRAME_SIZE		176

#endif /* _GUEST_ASM_H_ */
