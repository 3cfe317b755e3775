/*
 * physdev_op: for domain 0, physical interrupts as PIRQs (map a GSI,
 * EOI it, ask whether it needs one); for any domain, its vCPU's virtual
 * I/O privilege level, which decides what hv emulates for it (cli/sti,
 * in/out: hv/x86/emul_priv.c), and for a domU the page where Xen
 * would mark its PIRQs that need an EOI.  Domain 0 has its ports
 * through the TSS bitmap whatever its IOPL.
 */
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/physdev.h>

#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/ioapic.h>
#include <hv/mm.h>
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

/*
 * PHYSDEVOP_pirq_eoi_gmfn_v1/v2 from a domU, as Xen takes it: the frame
 * must be its own and become writable-typed; only once (-EBUSY).  A
 * domU has no PIRQs, so no bit of the map is ever set, which is the
 * answer Xen gives it too.  Domain 0's PIRQs are not reflected in a map
 * (hv/ioapic.c): it keeps asking IRQ_STATUS_QUERY, Linux's fallback
 * when the call fails.
 */
static long
physdev_pirq_eoi_gmfn(struct domain *self, uint64_t arg)
{
	struct xm_physdev_pirq_eoi_gmfn g;
	long rc;

	if (self->privileged)
		return -XM_ENOSYS;
	if (copy_from_guest(&g, arg, sizeof(g)) != 0)
		return -XM_EFAULT;
	spin_lock(&self->lock);
	if (self->pirq_eoi_mfn != 0)
		rc = -XM_EBUSY;
	else if (mm_get_page_and_type(&self->mm, g.gmfn,
	    MM_PGT_WRITABLE) != 0)
		rc = -XM_EINVAL;
	else {
		self->pirq_eoi_mfn = g.gmfn;
		rc = 0;
	}
	spin_unlock(&self->lock);
	return rc;
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
	if (cmd == XM_PHYSDEVOP_PIRQ_EOI_GMFN_V1 ||
	    cmd == XM_PHYSDEVOP_PIRQ_EOI_GMFN_V2)
		return physdev_pirq_eoi_gmfn(self, arg);
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
