/*
 * vm_assist: a domain turns on or off one of the ABI's VM assists, kept
 * as a bit per type for the code that honours it.
 */
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>

long
do_vm_assist(uint64_t cmd, uint64_t type)
{
	struct domain *d = current_vcpu()->domain;

	if (type >= 64)
		return -XM_EINVAL;
	if (cmd == XM_VMASST_CMD_ENABLE)
		d->vm_assist |= 1ULL << type;
	else if (cmd == XM_VMASST_CMD_DISABLE)
		d->vm_assist &= ~(1ULL << type);
	else
		return -XM_ENOSYS;
	return 0;
}
