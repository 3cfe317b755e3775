/*
 * The I/O APIC: routes a GSI given to domain 0 to CPU 0 at
 * VECTOR_PIRQ_BASE + gsi. Polarity and trigger come from the MADT's
 * overrides for ISA IRQs (QEMU declares its PCI links level-triggered
 * there), otherwise edge/high for ISA and level/low for the rest.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/ioapic.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <hv/spinlock.h>
#include <hv/time.h>

#define IOAPIC_VIRT	0xffff82d040001000ULL
#define REDIR_MASKED	(1U << 16)
#define REDIR_LEVEL	(1U << 15)
#define REDIR_LOW	(1U << 13)

struct pirq {
	uint16_t	domid;		/* who may bind it */
	bool		mapped;
	bool		level;
	bool		in_flight;	/* masked until the domain's EOI */
	unsigned int	port;		/* 0: not bound */
};

static struct pirq pirqs[NR_PIRQS];
static spinlock_t pirq_lock = SPINLOCK_INIT;
static unsigned int nr_pins;

static uint32_t
ioapic_read(uint32_t reg)
{
	*(volatile uint32_t *)IOAPIC_VIRT = reg;
	return *(volatile uint32_t *)(IOAPIC_VIRT + 0x10);
}

static void
ioapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)IOAPIC_VIRT = reg;
	*(volatile uint32_t *)(IOAPIC_VIRT + 0x10) = v;
}

static void
pin_mask(unsigned int pin, bool masked)
{
	uint32_t lo = ioapic_read(0x10 + 2 * pin);

	ioapic_write(0x10 + 2 * pin, masked ? lo | REDIR_MASKED :
	    lo & ~REDIR_MASKED);
}

void
ioapic_init(void)
{
	unsigned int pin;

	paging_map(IOAPIC_VIRT, acpi_irq.ioapic_pa, 4096,
	    PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G | PTE_NX);
	nr_pins = ((ioapic_read(1) >> 16) & 0xff) + 1;
	if (nr_pins > NR_PIRQS)
		nr_pins = NR_PIRQS;
	for (pin = 0; pin < nr_pins; pin++)
		ioapic_write(0x10 + 2 * pin, REDIR_MASKED);
	log_info("ioapic: %u pins at %p", nr_pins, (void *)acpi_irq.ioapic_pa);
}

/* The pin for gsi and how it signals. */
static void
gsi_mode(unsigned int gsi, bool *level, bool *low)
{
	unsigned int irq;
	uint16_t f;

	*level = gsi >= 16;
	*low = gsi >= 16;
	for (irq = 0; irq < 16; irq++) {
		if (!(acpi_irq.iso_present & (1U << irq)) ||
		    acpi_irq.iso_gsi[irq] != gsi)
			continue;
		f = acpi_irq.iso_flags[irq];
		if ((f & 3) == 3)
			*low = true;
		else if ((f & 3) == 1)
			*low = false;
		if (((f >> 2) & 3) == 3)
			*level = true;
		else if (((f >> 2) & 3) == 1)
			*level = false;
	}
}

int
pirq_map(struct domain *d, int gsi)
{
	/* hv's own lines: the PIT and the RTC; 2 is the cascade. */
	if (gsi < 0 || (unsigned int)gsi >= nr_pins || gsi == 0 || gsi == 2 ||
	    gsi == 4 || gsi == 8)
		return -XM_EINVAL;
	spin_lock(&pirq_lock);
	if (pirqs[gsi].mapped && pirqs[gsi].domid != d->id) {
		spin_unlock(&pirq_lock);
		return -XM_EBUSY;
	}
	pirqs[gsi].mapped = true;
	pirqs[gsi].domid = d->id;
	spin_unlock(&pirq_lock);
	return gsi;
}

int
pirq_bind(struct domain *d, unsigned int pirq, unsigned int port)
{
	struct cpu_info *cpu0 = percpu_get(0);
	bool level, low;
	uint32_t lo;

	if (pirq >= nr_pins || !pirqs[pirq].mapped ||
	    pirqs[pirq].domid != d->id || pirqs[pirq].port != 0)
		return -XM_EINVAL;
	gsi_mode(pirq, &level, &low);
	spin_lock(&pirq_lock);
	pirqs[pirq].port = port;
	pirqs[pirq].level = level;
	pirqs[pirq].in_flight = false;
	lo = (VECTOR_PIRQ_BASE + pirq) | (level ? REDIR_LEVEL : 0) |
	    (low ? REDIR_LOW : 0);
	ioapic_write(0x11 + 2 * pirq, cpu0->apic_id << 24);
	ioapic_write(0x10 + 2 * pirq, lo);
	spin_unlock(&pirq_lock);
	log_info("d%u: pirq %u (%s, active %s) on port %u", d->id, pirq,
	    level ? "level" : "edge", low ? "low" : "high", port);
	return 0;
}

void
pirq_unbind(struct domain *d, unsigned int pirq)
{
	if (pirq >= nr_pins || pirqs[pirq].domid != d->id)
		return;
	spin_lock(&pirq_lock);
	pin_mask(pirq, true);
	pirqs[pirq].port = 0;
	pirqs[pirq].in_flight = false;
	spin_unlock(&pirq_lock);
}

int
pirq_eoi(struct domain *d, unsigned int pirq)
{
	if (pirq >= nr_pins || !pirqs[pirq].mapped ||
	    pirqs[pirq].domid != d->id)
		return -XM_EINVAL;
	spin_lock(&pirq_lock);
	if (pirqs[pirq].in_flight) {
		pirqs[pirq].in_flight = false;
		pin_mask(pirq, false);
	}
	spin_unlock(&pirq_lock);
	return 0;
}

bool
pirq_needs_eoi(unsigned int pirq)
{
	return pirq < nr_pins && pirqs[pirq].level;
}

/* On CPU 0, interrupts off: hold a level line, then tell the domain. */
void
pirq_interrupt(unsigned int vector)
{
	unsigned int pirq = vector - VECTOR_PIRQ_BASE;
	struct domain *d;
	unsigned int port;

	spin_lock(&pirq_lock);
	if (pirq >= nr_pins || pirqs[pirq].port == 0) {
		spin_unlock(&pirq_lock);
		apic_eoi();
		return;
	}
	if (pirqs[pirq].level) {
		pin_mask(pirq, true);
		pirqs[pirq].in_flight = true;
	}
	port = pirqs[pirq].port;
	d = domain_get(pirqs[pirq].domid);
	spin_unlock(&pirq_lock);
	apic_eoi();
	if (d != NULL && d->state == DOMAIN_RUNNING)
		evtchn_send_pirq(d, port);
}
