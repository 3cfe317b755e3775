/*
 * Xen x86-64 PV guest ABI: platform_op(op).  Operations on the machine
 * rather than a domain, for the control domain only.  xm implements
 * setting the wall clock (settime); the others are refused.
 */

#ifndef _XM_PLATFORM_H_
#define _XM_PLATFORM_H_

#include <stdint.h>

#include "hypercall.h"

/* interface_version must be this, or the call fails with -XM_EACCES. */
#define XM_PF_INTERFACE_VERSION	0x03000001

/*
 * The wall clock reads secs.nsecs (since the Unix epoch) when system
 * time is system_time; every domain's shared_info follows.
 */
#define XM_PF_SETTIME32		17
struct xm_pf_settime32 {
	uint32_t	secs;
	uint32_t	nsecs;
	uint64_t	system_time;
};

#define XM_PF_SETTIME64		62
struct xm_pf_settime64 {
	uint64_t	secs;
	uint32_t	nsecs;
	uint32_t	mbz;		/* must be zero */
	uint64_t	system_time;
};

struct xm_platform_op {
	uint32_t	cmd;
	uint32_t	interface_version;
	union {
		struct xm_pf_settime32	settime32;
		struct xm_pf_settime64	settime64;
		uint8_t			pad[128];
	} u;
};

_Static_assert(sizeof(struct xm_pf_settime32) == 16, "settime32 ABI");
_Static_assert(sizeof(struct xm_pf_settime64) == 24, "settime64 ABI");
_Static_assert(sizeof(struct xm_platform_op) == 136, "platform_op ABI");

#endif /* _XM_PLATFORM_H_ */
