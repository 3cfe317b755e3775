/*
 * PCI configuration space through the ports 0xcf8/0xcfc (mechanism #1),
 * enough to find one device on bus 0 and read what a driver needs.
 */

#ifndef _DOM0_PCI_H_
#define _DOM0_PCI_H_

#include <stdint.h>

#define PCI_VENDOR_ID		0x00
#define PCI_COMMAND		0x04
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_INTERRUPT_LINE	0x3c

#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_INTX_OFF	0x0400

#define PCI_BAR_IO		0x1
#define PCI_BAR_IO_MASK		0xfffffffcU

struct pci_dev {
	uint8_t		pd_bus;
	uint8_t		pd_dev;
	uint8_t		pd_fn;
	uint16_t	pd_vendor;
	uint16_t	pd_device;
};

/* 0 when domain 0 may use the configuration ports, else -XM_EFAULT. */
int		pci_access_check(void);
/* Find vendor:device on bus 0: 0, or -XM_ENODEV. */
int		pci_find(uint16_t vendor, uint16_t device,
		    struct pci_dev *pd);
uint32_t	pci_read32(const struct pci_dev *pd, uint8_t reg);
uint16_t	pci_read16(const struct pci_dev *pd, uint8_t reg);
uint8_t		pci_read8(const struct pci_dev *pd, uint8_t reg);
void		pci_write16(const struct pci_dev *pd, uint8_t reg,
		    uint16_t val);

#endif /* _DOM0_PCI_H_ */
