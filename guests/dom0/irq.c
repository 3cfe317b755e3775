/*
 * Device interrupts through pirqs (see irq.h).  The pirq asked for is
 * the GSI's own number, as Linux's domain 0 does for legacy lines.
 */

#include <stdint.h>

#include <xm/event_channel.h>
#include <xm/hypercall.h>
#include <xm/physdev.h>

#include <guest/events.h>
#include <guest/hypercall.h>

#include "dom0.h"
#include "hc.h"
#include "irq.h"

#define IRQ_LINE_NONE	0xff
#define IRQ_LINE_MAX	24	/* one IOAPIC's pins */

static int		irq_pirq = -1;
static irq_handler_t	*irq_fn;
static volatile uint64_t irq_events;

static void
irq_event(xm_evtchn_port_t port, void *data)
{
	struct xm_physdev_eoi eoi = { .irq = (uint32_t)irq_pirq };

	(void)port;
	(void)data;
	irq_events++;
	irq_fn();
	(void)HYPERVISOR_physdev_op(XM_PHYSDEVOP_EOI, &eoi);
	dom0_kick();
}

static int
pirq_map(uint8_t line)
{
	struct xm_physdev_map_pirq m = {
		.domid = XM_DOMID_SELF,
		.type = XM_MAP_PIRQ_TYPE_GSI,
		.index = line,
		.pirq = line,
	};
	int rc;

	rc = HYPERVISOR_physdev_op(XM_PHYSDEVOP_MAP_PIRQ, &m);
	return rc < 0 ? rc : m.pirq;
}

static int
pirq_bind(int pirq)
{
	struct xm_evtchn_bind_pirq b = { .pirq = (uint32_t)pirq };
	int rc;

	rc = HYPERVISOR_event_channel_op(XM_EVTCHNOP_BIND_PIRQ, &b);
	return rc < 0 ? rc : (int)b.port;
}

static void
pirq_unmap(int pirq)
{
	struct xm_physdev_unmap_pirq u = {
		.domid = XM_DOMID_SELF,
		.pirq = pirq,
	};

	(void)HYPERVISOR_physdev_op(XM_PHYSDEVOP_UNMAP_PIRQ, &u);
}

int
irq_bind(uint8_t line, irq_handler_t *fn)
{
	int pirq, port;

	if (line == IRQ_LINE_NONE || line == 0 || line >= IRQ_LINE_MAX)
		return -XM_ENXIO;
	if ((pirq = pirq_map(line)) < 0)
		return pirq;
	if ((port = pirq_bind(pirq)) < 0) {
		pirq_unmap(pirq);
		return port;
	}
	irq_pirq = pirq;
	irq_fn = fn;
	return evtchn_bind((xm_evtchn_port_t)port, irq_event, NULL);
}

uint64_t
irq_count(void)
{
	return irq_events;
}
