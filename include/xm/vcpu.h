/*
 * Xen x86-64 PV guest ABI: vcpu_op(cmd, vcpu, arg).  Bringing vCPUs up
 * and down, run-state accounting, per-vCPU timers and moving a vCPU's
 * vcpu_info or time info to a page of the guest's choosing.
 */

#ifndef _XM_VCPU_H_
#define _XM_VCPU_H_

#include <stdint.h>

#include "hypercall.h"

/* Takes a struct xm_vcpu_guest_context; only for a vCPU still down. */
#define XM_VCPUOP_INITIALISE			0
#define XM_VCPUOP_UP				1
#define XM_VCPUOP_DOWN				2
#define XM_VCPUOP_IS_UP				3
#define XM_VCPUOP_GET_RUNSTATE_INFO		4
#define XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA	5
#define XM_VCPUOP_SET_PERIODIC_TIMER		6
#define XM_VCPUOP_STOP_PERIODIC_TIMER		7
#define XM_VCPUOP_SET_SINGLESHOT_TIMER		8
#define XM_VCPUOP_STOP_SINGLESHOT_TIMER		9
#define XM_VCPUOP_REGISTER_VCPU_INFO		10
#define XM_VCPUOP_SEND_NMI			11
#define XM_VCPUOP_GET_PHYSID			12
#define XM_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA 13

/* xm_vcpu_runstate_info.state, also the index into time[] */
#define XM_RUNSTATE_RUNNING	0
#define XM_RUNSTATE_RUNNABLE	1	/* ready, waiting for a CPU */
#define XM_RUNSTATE_BLOCKED	2	/* waiting for an event */
#define XM_RUNSTATE_OFFLINE	3	/* neither: down, paused ... */

/*
 * Time spent in each run state, ns.  With the runstate_update_flag
 * assist, hv sets this bit in state_entry_time while it updates the
 * area, so the guest can tell a torn read.
 */
#define XM_RUNSTATE_UPDATE	(UINT64_C(1) << 63)

struct xm_vcpu_runstate_info {
	int32_t		state;		/* XM_RUNSTATE_* */
	uint32_t	pad;
	uint64_t	state_entry_time;
	uint64_t	time[4];
};
_Static_assert(sizeof(struct xm_vcpu_runstate_info) == 48,
    "xm_vcpu_runstate_info");

/*
 * hv keeps a copy of the run-state info at this guest virtual address,
 * updated whenever the vCPU is scheduled.
 */
struct xm_vcpu_register_runstate_memory_area {
	uint64_t	addr;
};
_Static_assert(sizeof(struct xm_vcpu_register_runstate_memory_area) == 8,
    "xm_vcpu_register_runstate_memory_area");

struct xm_vcpu_set_periodic_timer {
	uint64_t	period_ns;
};
_Static_assert(sizeof(struct xm_vcpu_set_periodic_timer) == 8,
    "xm_vcpu_set_periodic_timer");

/* Fire once at system time timeout_abs_ns. */
struct xm_vcpu_set_singleshot_timer {
	uint64_t	timeout_abs_ns;
	uint32_t	flags;		/* XM_VCPU_SSHOTTMR_* */
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_vcpu_set_singleshot_timer) == 16,
    "xm_vcpu_set_singleshot_timer");

/* Fail with -XM_ETIME instead of firing at once if already past. */
#define XM_VCPU_SSHOTTMR_FUTURE	(1U << 0)

/*
 * Move the vCPU's vcpu_info to mfn + offset.  The only way a vCPU
 * beyond the 32 slots in shared_info gets one.
 */
struct xm_vcpu_register_vcpu_info {
	uint64_t	mfn;
	uint32_t	offset;
	uint32_t	rsvd;		/* must be 0 */
};
_Static_assert(sizeof(struct xm_vcpu_register_vcpu_info) == 16,
    "xm_vcpu_register_vcpu_info");

/* APIC id in the low, ACPI id in the high 32 bits. */
struct xm_vcpu_get_physid {
	uint64_t	phys_id;
};
_Static_assert(sizeof(struct xm_vcpu_get_physid) == 8,
    "xm_vcpu_get_physid");

/* Like the run-state area, for a copy of xm_vcpu_time_info. */
struct xm_vcpu_register_time_memory_area {
	uint64_t	addr;
};
_Static_assert(sizeof(struct xm_vcpu_register_time_memory_area) == 8,
    "xm_vcpu_register_time_memory_area");

#endif /* _XM_VCPU_H_ */
