/*
 * platform_op: operations on the machine, for domain 0 only (Xen's
 * default policy).  Of them hv implements settime, which sets the wall
 * clock every domain reads from shared_info: Linux as domain 0 calls it
 * when its clock is set, and xm's domain 0 on xmd's word (the host's
 * clock), so that two nodes agree on the time.
 */
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/platform.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>
#include <hv/time.h>

#define NS_PER_SEC	UINT64_C(1000000000)

static long
settime(struct domain *d, uint64_t secs, uint32_t nsecs, uint64_t system)
{
	if (nsecs >= NS_PER_SEC || secs > UINT64_MAX / NS_PER_SEC - 1 ||
	    secs * NS_PER_SEC + nsecs < system)
		return -XM_EINVAL;	/* before the Unix epoch at boot */
	time_set_wallclock(secs * NS_PER_SEC + nsecs, system);
	log_debug("d%u: wall clock set to %lu.%09u at system time %lu",
	    d->id, secs, nsecs, system);
	return 0;
}

long
do_platform_op(uint64_t arg)
{
	struct domain *d = current_vcpu()->domain;
	struct xm_platform_op op;

	if (!d->privileged)
		return -XM_EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)) != 0)
		return -XM_EFAULT;
	if (op.interface_version != XM_PF_INTERFACE_VERSION)
		return -XM_EACCES;
	switch (op.cmd) {
	case XM_PF_SETTIME32:
		return settime(d, op.u.settime32.secs, op.u.settime32.nsecs,
		    op.u.settime32.system_time);
	case XM_PF_SETTIME64:
		if (op.u.settime64.mbz != 0)
			return -XM_EINVAL;
		return settime(d, op.u.settime64.secs, op.u.settime64.nsecs,
		    op.u.settime64.system_time);
	default:
		return -XM_ENOSYS;
	}
}
