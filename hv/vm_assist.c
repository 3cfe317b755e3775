/*
 * vm_assist: a domain turns on or off one of the ABI's VM assists, kept
 * as a bit per type for the code that honours it.  The types a 64-bit
 * PV domain may name are Xen's: the 32-bit ones (some mean nothing in
 * 64-bit mode, but Xen cannot start refusing them) and m2p_strict; any
 * other is -EINVAL, as on Xen.
 */
#include <stdbool.h>
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>

#define VMASST_VALID_PV64 (						\
	(1ULL << XM_VMASST_TYPE_4GB_SEGMENTS) |				\
	(1ULL << XM_VMASST_TYPE_4GB_SEGMENTS_NOTIFY) |			\
	(1ULL << XM_VMASST_TYPE_WRITABLE_PAGETABLES) |			\
	(1ULL << XM_VMASST_TYPE_PAE_EXTENDED_CR3) |			\
	(1ULL << XM_VMASST_TYPE_ARCHITECTURAL_IOPL) |			\
	(1ULL << XM_VMASST_TYPE_RUNSTATE_UPDATE_FLAG) |			\
	(1ULL << XM_VMASST_TYPE_M2P_STRICT))

bool
vm_assist_valid(uint64_t assists)
{
	return (assists & ~VMASST_VALID_PV64) == 0;
}

long
do_vm_assist(uint64_t cmd, uint64_t type)
{
	struct domain *d = current_vcpu()->domain;

	if (type >= 64 || !(VMASST_VALID_PV64 & (1ULL << type)))
		return -XM_EINVAL;
	if (cmd == XM_VMASST_CMD_ENABLE)
		d->vm_assist |= 1ULL << type;
	else if (cmd == XM_VMASST_CMD_DISABLE)
		d->vm_assist &= ~(1ULL << type);
	else
		return -XM_ENOSYS;
	return 0;
}
