/*
 * The I/O APIC and physical interrupts (PIRQs). A PIRQ is a GSI handed to
 * domain 0, which binds it to an event channel: hv routes the line to
 * CPU 0, turns each interrupt into an event, and for a level-triggered
 * line keeps it masked until the domain says PHYSDEVOP_eoi.
 */
#ifndef HV_IOAPIC_H
#define HV_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define NR_PIRQS		24
#define VECTOR_PIRQ_BASE	0x30

struct acpi_irq_info {
	uint64_t	ioapic_pa;
	uint32_t	iso_present;		/* bit per ISA IRQ */
	uint32_t	iso_gsi[16];
	uint16_t	iso_flags[16];		/* MPS INTI flags */
};
extern struct acpi_irq_info acpi_irq;

struct domain;

void	ioapic_init(void);
int	pirq_map(struct domain *, int gsi);
int	pirq_bind(struct domain *, unsigned int pirq, unsigned int port);
void	pirq_unbind(struct domain *, unsigned int pirq);
int	pirq_eoi(struct domain *, unsigned int pirq);
bool	pirq_needs_eoi(unsigned int pirq);
void	pirq_interrupt(unsigned int vector);

#endif
