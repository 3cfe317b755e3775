/*
 * Xen x86-64 PV guest ABI: callback_op(cmd, arg) and nmi_op(cmd, arg).
 * The guest's entry points for events, for faults hv hits while
 * returning to it, for syscall and for NMIs.
 */

#ifndef _XM_CALLBACK_H_
#define _XM_CALLBACK_H_

#include <stdint.h>

#define XM_CALLBACKOP_REGISTER		0
#define XM_CALLBACKOP_UNREGISTER	1

/* Event upcalls. */
#define XM_CALLBACKTYPE_EVENT			0
/*
 * Entered when hv cannot return to the guest, e.g. because a segment
 * register the guest left behind does not load.
 */
#define XM_CALLBACKTYPE_FAILSAFE		1
/* syscall from 64-bit user mode. */
#define XM_CALLBACKTYPE_SYSCALL			2
#define XM_CALLBACKTYPE_SYSENTER_DEPRECATED	3
#define XM_CALLBACKTYPE_NMI			4
#define XM_CALLBACKTYPE_SYSENTER		5
/* 6 is unassigned. */
#define XM_CALLBACKTYPE_SYSCALL32		7

/* Mask events on entry, like an interrupt gate clearing IF. */
#define XM_CALLBACKF_MASK_EVENTS	(1U << 0)

struct xm_callback_register {
	uint16_t	type;		/* XM_CALLBACKTYPE_* */
	uint16_t	flags;		/* XM_CALLBACKF_* */
	uint32_t	pad;
	uint64_t	address;
};
_Static_assert(sizeof(struct xm_callback_register) == 16,
    "xm_callback_register");

struct xm_callback_unregister {
	uint16_t	type;
	uint16_t	pad;
};
_Static_assert(sizeof(struct xm_callback_unregister) == 4,
    "xm_callback_unregister");

/* nmi_op: the older way to set the NMI callback, still used. */
#define XM_NMIOP_REGISTER_CALLBACK	0
#define XM_NMIOP_UNREGISTER_CALLBACK	1

struct xm_nmi_callback {
	uint64_t	handler_address;
	uint64_t	pad;
};
_Static_assert(sizeof(struct xm_nmi_callback) == 16, "xm_nmi_callback");

#endif /* _XM_CALLBACK_H_ */
