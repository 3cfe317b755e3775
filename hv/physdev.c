/*
 * physdev_op: for domain 0, physical interrupts as PIRQs (map a GSI,
 * EOI it, ask whether it needs one); for any domain, its vCPU's virtual
 * I/O privilege level, which decides what hv emulates for it (cli/sti,
 * in/out: hv/x86/emul_priv.c).  Domain 0 has its ports through the TSS
 * bitmap whatever its IOPL.
 */
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/physdev.h>

#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/ioapic.h>
#include <hv/percpu.h>

static long
physdev_map_pirq(struct domain *self, uint64_t arg)
{
	struct xm_physdev_map_pirq m;
	int pirq;

	if (copy_from_guest(&m, arg, sizeof(m)) != 0)
		return -XM_EFAULT;
	if (m.domid != XM_DOMID_SELF && m.domid != self->id)
		return -XM_EPERM;	/* PIRQs for others: later */
	if (m.type != XM_MAP_PIRQ_TYPE_GSI || (m.pirq >= 0 &&
	    m.pirq != m.index))
		return -XM_EINVAL;
	pirq = pirq_map(self, m.index);
	if (pirq < 0)
		return pirq;
	m.pirq = pirq;
	return copy_to_guest(arg, &m, sizeof(m)) == 0 ? 0 : -XM_EFAULT;
}

static long
physdev_set_iopl(uint64_t arg)
{
	struct xm_physdev_set_iopl s;

	if (copy_from_guest(&s, arg, sizeof(s)) != 0)
		return -XM_EFAULT;
	if (s.iopl > 3)
		return -XM_EINVAL;
	current_vcpu()->iopl = s.iopl;
	return 0;
}

long
do_physdev_op(uint64_t cmd, uint64_t arg)
{
	struct domain *self = current_vcpu()->domain;
	struct xm_physdev_eoi eoi;
	struct xm_physdev_irq_status_query q;

	/* Any PV domain may set its vCPU's virtual IOPL, as on Xen. */
	if (cmd == XM_PHYSDEVOP_SET_IOPL)
		return physdev_set_iopl(arg);
	if (!self->privileged) {
		domain_log_refusal(self, "physdev_op %lu refused: not "
		    "privileged", cmd);
		return -XM_EPERM;
	}
	switch (cmd) {
	case XM_PHYSDEVOP_MAP_PIRQ:
		return physdev_map_pirq(self, arg);
	case XM_PHYSDEVOP_EOI:
		if (copy_from_guest(&eoi, arg, sizeof(eoi)) != 0)
			return -XM_EFAULT;
		return pirq_eoi(self, eoi.irq);
	case XM_PHYSDEVOP_IRQ_STATUS_QUERY:
		if (copy_from_guest(&q, arg, sizeof(q)) != 0)
			return -XM_EFAULT;
		q.flags = pirq_needs_eoi(q.irq) ? XM_XENIRQSTAT_NEEDS_EOI : 0;
		return copy_to_guest(arg, &q, sizeof(q)) == 0 ? 0 :
		    -XM_EFAULT;
	}
	return -XM_ENOSYS;
}
