/*
 * vcpu_op: a domain's vCPUs as its kernel sees them.  Bringing them up
 * and down (a vCPU other than 0 starts down and without a context; the
 * guest gives it one with VCPUOP_initialise, then VCPUOP_up), run-state
 * information, where its vcpu_info lives, and its timers.  The rules and
 * error codes are Xen's (xen/common/domain.c, do_vcpu_op).
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>
#include <xm/arch_x86_64.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/vcpu.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/heap.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>

#define PERIOD_MAX_NS	(UINT64_C(1) << 62)

/*
 * Up; said once, when the vCPU gets its CPU, with those its domain's
 * other vCPUs are on (placement puts it apart from them if it can).
 */
static void
bring_up(struct vcpu *v)
{
	bool first = !v->placed;
	uint64_t others;
	char list[64] = "";
	unsigned int cpu, n = 0;

	vcpu_up(v);
	if (!first)
		return;
	others = sched_domain_cpus(v);
	for (cpu = 0; cpu < 64 && n + 8 < sizeof(list); cpu++)
		if (others & (UINT64_C(1) << cpu))
			n += (unsigned int)ksnprintf(list + n, sizeof(list) - n,
			    "%scpu%u", n ? "," : "", cpu);
	log_info("d%u: vCPU %u up on cpu%u (its others on %s)",
	    v->domain->id, v->id, v->processor, n ? list : "none");
}

static long
vcpu_op_up(struct vcpu *v)
{
	if (!v->initialised)
		return -XM_EINVAL;
	bring_up(v);
	return 0;
}

/*
 * The context is checked and loaded as domctl's (vcpu_set_context), but
 * the guest's own tables are not pinned for it.  VGCF_online brings the
 * vCPU up at once; without it, VCPUOP_up does.
 */
static long
vcpu_initialise(struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->domain;
	struct xm_vcpu_guest_context *c;
	long rc;

	c = hv_alloc(sizeof(*c));
	if (c == NULL)
		return -XM_ENOMEM;
	if (copy_from_guest(c, arg, sizeof(*c)) != 0) {
		rc = -XM_EFAULT;
		goto out;
	}
	spin_lock(&d->lock);
	rc = v->initialised ? -XM_EEXIST : vcpu_set_context(d, v, c, false);
	spin_unlock(&d->lock);
	if (rc == 0 && (c->flags & XM_VGCF_ONLINE))
		bring_up(v);
	if (rc == 0)
		log_info("d%u: vCPU %u initialised", d->id, v->id);
	else if (rc != -XM_EEXIST)
		domain_log_refusal(d, "VCPUOP_initialise of vCPU %u refused "
		    "(%ld)", v->id, rc);
out:
	hv_free(c);
	return rc;
}

/* Taking the last vCPU that is up down powers the domain off. */
static long
vcpu_op_down(struct vcpu *v)
{
	struct domain *d = v->domain;

	if (!vcpu_down(v)) {
		log_info("d%u: its last vCPU up (%u) went down", d->id, v->id);
		domain_shutdown(d, XM_SHUTDOWN_POWEROFF);
	}
	return 0;
}

static long
vcpu_runstate_info(struct vcpu *v, uint64_t arg)
{
	struct xm_vcpu_runstate_info ri;
	unsigned int cpu;

	kmemset(&ri, 0, sizeof(ri));
	/* v may be another vCPU, being scheduled on another CPU. */
	cpu = vcpu_sched_lock(v);
	vcpu_runstate_change(v, v->runstate, time_now());
	ri.state = v->runstate;
	ri.state_entry_time = v->runstate_since;
	kmemcpy(ri.time, v->runstate_time, sizeof(ri.time));
	vcpu_sched_unlock(v, cpu);
	return copy_to_guest(arg, &ri, sizeof(ri)) == 0 ? 0 : -XM_EFAULT;
}

/*
 * The address in a register_*_memory_area argument (one uint64_t): 0,
 * or where size bytes of the guest's own may go; else -EFAULT, as Xen's
 * guest_handle_okay() check gives.
 */
static int
area_addr(uint64_t arg, size_t size, uint64_t *addr)
{
	_Static_assert(sizeof(struct xm_vcpu_register_runstate_memory_area) ==
	    sizeof(uint64_t) && sizeof(struct
	    xm_vcpu_register_time_memory_area) == sizeof(uint64_t),
	    "an area is its address");
	if (copy_from_guest(addr, arg, sizeof(*addr)) != 0)
		return -XM_EFAULT;
	return *addr == 0 || guest_range_ok(*addr, size) ? 0 : -XM_EFAULT;
}

static long
vcpu_runstate_area(struct vcpu *v, uint64_t arg)
{
	uint64_t addr;

	if (area_addr(arg, sizeof(struct xm_vcpu_runstate_info), &addr) != 0)
		return -XM_EFAULT;
	v->runstate_area = addr;
	if (v == current_vcpu())
		vcpu_runstate_publish(v);	/* as Xen: filled in at once */
	return 0;
}

/*
 * A second copy of the vCPU's time info, where its vDSO can read it.
 * hv sets no XM_PVCLOCK_TSC_STABLE_BIT (as Xen unless clocksource=tsc),
 * so Linux registers, finds the TSC not stable and takes it back (0).
 */
static long
vcpu_time_area(struct vcpu *v, uint64_t arg)
{
	uint64_t addr;

	if (area_addr(arg, sizeof(struct xm_vcpu_time_info), &addr) != 0)
		return -XM_EFAULT;
	v->time_area = addr;
	v->time_pending = false;
	if (v == current_vcpu())
		time_publish_area(v);	/* as Xen: filled in at once */
	return 0;
}

/* Once per vCPU; on the caller itself or on a vCPU that is down. */
static long
vcpu_register_info(struct vcpu *v, uint64_t arg)
{
	struct xm_vcpu_register_vcpu_info ri;
	struct domain *d = v->domain;
	struct xm_vcpu_info *new;
	int rc;

	if (copy_from_guest(&ri, arg, sizeof(ri)) != 0)
		return -XM_EFAULT;
	if (ri.rsvd != 0 || ri.offset > PAGE_SIZE - sizeof(*new) ||
	    (ri.offset & 7) != 0)
		return -XM_EINVAL;
	if (v->vcpu_info_mfn != 0)
		return -XM_EINVAL;
	if (v != current_vcpu() && v->state != VCPU_OFFLINE)
		return -XM_EINVAL;
	spin_lock(&d->lock);
	rc = mm_get_page_and_type(&d->mm, ri.mfn, MM_PGT_WRITABLE);
	spin_unlock(&d->lock);
	if (rc != 0)
		return rc;
	new = (struct xm_vcpu_info *)((uint8_t *)mm_map_frame(ri.mfn) +
	    ri.offset);
	kmemcpy(new, v->vcpu_info, sizeof(*new));
	v->vcpu_info_mfn = ri.mfn;
	v->vcpu_info = new;
	time_update_vcpu(v);
	return 0;
}

static long
vcpu_singleshot(struct vcpu *v, uint64_t arg)
{
	struct xm_vcpu_set_singleshot_timer t;
	uint64_t now = time_now();

	if (copy_from_guest(&t, arg, sizeof(t)) != 0)
		return -XM_EFAULT;
	if ((t.flags & XM_VCPU_SSHOTTMR_FUTURE) && t.timeout_abs_ns < now)
		return -XM_ETIME;
	v->timer_deadline = t.timeout_abs_ns ? t.timeout_abs_ns : 1;
	vcpu_timer_changed(v, now);
	return 0;
}

static long
vcpu_periodic(struct vcpu *v, uint64_t arg)
{
	struct xm_vcpu_set_periodic_timer t;
	uint64_t now = time_now();

	if (copy_from_guest(&t, arg, sizeof(t)) != 0)
		return -XM_EFAULT;
	/* At most 1 kHz, as Xen; and at most 2^62 ns, or it overflows. */
	if (t.period_ns < 1000000 || t.period_ns > PERIOD_MAX_NS)
		return -XM_EINVAL;
	v->periodic_period = t.period_ns;
	v->periodic_next = now + t.period_ns;
	vcpu_timer_changed(v, now);
	return 0;
}

/* The one-shot timer is only the caller's own to set or stop. */
static long
vcpu_op_own(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	if (v != current_vcpu())
		return -XM_EINVAL;
	if (cmd == XM_VCPUOP_SET_SINGLESHOT_TIMER)
		return vcpu_singleshot(v, arg);
	v->timer_deadline = 0;
	return 0;
}

long
do_vcpu_op(uint64_t cmd, uint64_t id, uint64_t arg)
{
	struct domain *d = current_vcpu()->domain;
	struct vcpu *v;

	if (id >= d->max_vcpus || (v = d->vcpus[id]) == NULL)
		return -XM_ENOENT;
	switch (cmd) {
	case XM_VCPUOP_INITIALISE:
		return vcpu_initialise(v, arg);
	case XM_VCPUOP_UP:
		return vcpu_op_up(v);
	case XM_VCPUOP_DOWN:
		return vcpu_op_down(v);
	case XM_VCPUOP_IS_UP:
		return v->state != VCPU_OFFLINE;
	case XM_VCPUOP_GET_RUNSTATE_INFO:
		return vcpu_runstate_info(v, arg);
	case XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA:
		return vcpu_runstate_area(v, arg);
	case XM_VCPUOP_REGISTER_VCPU_INFO:
		return vcpu_register_info(v, arg);
	case XM_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA:
		return vcpu_time_area(v, arg);
	case XM_VCPUOP_SET_PERIODIC_TIMER:
		return vcpu_periodic(v, arg);
	case XM_VCPUOP_STOP_PERIODIC_TIMER:
		v->periodic_period = 0;
		return 0;
	case XM_VCPUOP_SET_SINGLESHOT_TIMER:
	case XM_VCPUOP_STOP_SINGLESHOT_TIMER:
		return vcpu_op_own(v, cmd, arg);
	}
	return -XM_ENOSYS;
}
