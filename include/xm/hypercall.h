/*
 * Xen x86-64 PV guest ABI: hypercall numbers, the hypercall page, the
 * error values hypercalls return, reserved domain ids and the scalar
 * types every other ABI header builds on.
 *
 * Names follow the ABI's own with an XM_/xm_ prefix, so that a file can
 * include these headers and Xen's side by side.
 */

#ifndef _XM_HYPERCALL_H_
#define _XM_HYPERCALL_H_

#include <stdint.h>

/*
 * A guest handle is a guest virtual address.  It is a plain integer
 * rather than a pointer so that hv, which must never dereference it
 * without a checked copy, cannot do so by accident.
 */
typedef uint64_t	xm_guest_handle_t;
typedef uint64_t	xm_pfn_t;	/* guest or machine frame number */
typedef uint16_t	xm_domid_t;

/*
 * Hypercall numbers.  A hypercall is a `syscall' with the number in rax
 * and up to five arguments in rdi, rsi, rdx, r10 and r8; the result
 * comes back in rax, negative XM_E* on failure.
 */
#define XM_HYPERCALL_SET_TRAP_TABLE		0
#define XM_HYPERCALL_MMU_UPDATE			1
#define XM_HYPERCALL_SET_GDT			2
#define XM_HYPERCALL_STACK_SWITCH		3
#define XM_HYPERCALL_SET_CALLBACKS		4
#define XM_HYPERCALL_FPU_TASKSWITCH		5
#define XM_HYPERCALL_SCHED_OP_COMPAT		6	/* superseded by 29 */
#define XM_HYPERCALL_PLATFORM_OP		7
#define XM_HYPERCALL_SET_DEBUGREG		8
#define XM_HYPERCALL_GET_DEBUGREG		9
#define XM_HYPERCALL_UPDATE_DESCRIPTOR		10
/* 11 was never assigned. */
#define XM_HYPERCALL_MEMORY_OP			12
#define XM_HYPERCALL_MULTICALL			13
#define XM_HYPERCALL_UPDATE_VA_MAPPING		14
#define XM_HYPERCALL_SET_TIMER_OP		15
#define XM_HYPERCALL_EVENT_CHANNEL_OP_COMPAT	16	/* superseded by 32 */
#define XM_HYPERCALL_XEN_VERSION		17
#define XM_HYPERCALL_CONSOLE_IO			18
#define XM_HYPERCALL_PHYSDEV_OP_COMPAT		19	/* superseded by 33 */
#define XM_HYPERCALL_GRANT_TABLE_OP		20
#define XM_HYPERCALL_VM_ASSIST			21
#define XM_HYPERCALL_UPDATE_VA_MAPPING_OTHERDOMAIN 22
#define XM_HYPERCALL_IRET			23
#define XM_HYPERCALL_VCPU_OP			24
#define XM_HYPERCALL_SET_SEGMENT_BASE		25
#define XM_HYPERCALL_MMUEXT_OP			26
#define XM_HYPERCALL_XSM_OP			27
#define XM_HYPERCALL_NMI_OP			28
#define XM_HYPERCALL_SCHED_OP			29
#define XM_HYPERCALL_CALLBACK_OP		30
#define XM_HYPERCALL_XENOPROF_OP		31
#define XM_HYPERCALL_EVENT_CHANNEL_OP		32
#define XM_HYPERCALL_PHYSDEV_OP			33
#define XM_HYPERCALL_HVM_OP			34
#define XM_HYPERCALL_SYSCTL			35
#define XM_HYPERCALL_DOMCTL			36
#define XM_HYPERCALL_KEXEC_OP			37
#define XM_HYPERCALL_TMEM_OP			38
#define XM_HYPERCALL_ARGO_OP			39
#define XM_HYPERCALL_XENPMU_OP			40
#define XM_HYPERCALL_DM_OP			41
#define XM_HYPERCALL_HYPFS_OP			42
/* 43-47 are unassigned; 48-55 belong to the architecture. */
#define XM_HYPERCALL_ARCH_0			48
#define XM_HYPERCALL_ARCH_1			49
#define XM_HYPERCALL_ARCH_2			50
#define XM_HYPERCALL_ARCH_3			51
#define XM_HYPERCALL_ARCH_4			52
#define XM_HYPERCALL_ARCH_5			53
#define XM_HYPERCALL_ARCH_6			54
#define XM_HYPERCALL_ARCH_7			55
#define XM_HYPERCALL_MCA			XM_HYPERCALL_ARCH_0
/* Entries in a dispatch table indexed by hypercall number. */
#define XM_HYPERCALL_COUNT			56

/*
 * The hypercall page: hv fills one guest page with a 32-byte stub per
 * hypercall number, so a guest calls number n at page + n * 32 and
 * never has to know which instruction enters hv.
 */
#define XM_HYPERCALL_PAGE_SIZE		4096
#define XM_HYPERCALL_STUB_SIZE		32
#define XM_HYPERCALL_STUB_COUNT		\
	(XM_HYPERCALL_PAGE_SIZE / XM_HYPERCALL_STUB_SIZE)
#define XM_HYPERCALL_STUB_OFFSET(n)	((n) * XM_HYPERCALL_STUB_SIZE)

/*
 * Error values.  The ABI uses Linux's errno numbers whatever the guest
 * OS, so guests other than Linux must translate.  A failing hypercall
 * returns the negated value.
 */
#define XM_EPERM		1
#define XM_ENOENT		2
#define XM_ESRCH		3
#define XM_EIO			5
#define XM_ENXIO		6
#define XM_E2BIG		7
#define XM_ENOEXEC		8
#define XM_EBADF		9
#define XM_ECHILD		10
#define XM_EAGAIN		11
#define XM_EWOULDBLOCK		XM_EAGAIN
#define XM_ENOMEM		12
#define XM_EACCES		13
#define XM_EFAULT		14
#define XM_EBUSY		16
#define XM_EEXIST		17
#define XM_EXDEV		18
#define XM_ENODEV		19
#define XM_ENOTDIR		20
#define XM_EISDIR		21
#define XM_EINVAL		22
#define XM_ENFILE		23
#define XM_EMFILE		24
#define XM_ENOSPC		28
#define XM_EROFS		30
#define XM_EMLINK		31
#define XM_EDOM			33
#define XM_ERANGE		34
#define XM_EDEADLK		35
#define XM_EDEADLOCK		XM_EDEADLK
#define XM_ENAMETOOLONG		36
#define XM_ENOLCK		37
#define XM_ENOSYS		38
#define XM_ENOTEMPTY		39
#define XM_ENODATA		61
#define XM_ETIME		62
#define XM_EBADMSG		74
#define XM_EOVERFLOW		75
#define XM_EILSEQ		84
#define XM_ENOTSOCK		88
#define XM_EMSGSIZE		90
#define XM_EOPNOTSUPP		95
#define XM_EADDRINUSE		98
#define XM_EADDRNOTAVAIL	99
#define XM_ENOBUFS		105
#define XM_EISCONN		106
#define XM_ENOTCONN		107
#define XM_ETIMEDOUT		110
#define XM_ECONNREFUSED		111

/*
 * Private to hv: a preempted hypercall is restarted, never failed, so
 * these two must not reach a guest.  They keep their Linux numbers so
 * that a leak would at least be recognisable in a guest's log.
 */
#define XM_EINTR		4
#define XM_ERESTART		85

/*
 * Domain ids from 0x7ff0 up are not domains; they name a party in a
 * hypercall argument (the caller, I/O memory, hv itself ...).
 */
#define XM_DOMID_FIRST_RESERVED	0x7ff0U
#define XM_DOMID_SELF		0x7ff0U
#define XM_DOMID_IO		0x7ff1U
#define XM_DOMID_XEN		0x7ff2U
#define XM_DOMID_COW		0x7ff3U
#define XM_DOMID_INVALID	0x7ff4U
#define XM_DOMID_IDLE		0x7fffU
#define XM_DOMID_MASK		0x7fffU

#endif /* _XM_HYPERCALL_H_ */
