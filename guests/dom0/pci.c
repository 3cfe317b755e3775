/*
 * PCI configuration mechanism #1: the address (enable bit, bus,
 * device, function, dword register) goes to 0xcf8, the dword comes
 * through 0xcfc..0xcff.  Only bus 0 is scanned: QEMU puts its devices
 * there, and domain 0 drives nothing behind a bridge.
 */

#include <stdint.h>

#include <xm/hypercall.h>

#include "io.h"
#include "pci.h"

#define PCI_CONF_ADDR	0xcf8
#define PCI_CONF_DATA	0xcfc
#define PCI_CONF_ENABLE	0x80000000U
#define PCI_DEVS	32
#define PCI_FNS		8
#define PCI_MULTIFN	0x80

static void
pci_select(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
	outl(PCI_CONF_ADDR, PCI_CONF_ENABLE | (uint32_t)bus << 16 |
	    (uint32_t)dev << 11 | (uint32_t)fn << 8 | (reg & 0xfc));
}

static uint32_t
conf_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
	pci_select(bus, dev, fn, reg);
	return inl(PCI_CONF_DATA);
}

int
pci_access_check(void)
{
	uint32_t v;

	return io_probe_inl(PCI_CONF_ADDR, &v);
}

uint32_t
pci_read32(const struct pci_dev *pd, uint8_t reg)
{
	return conf_read32(pd->pd_bus, pd->pd_dev, pd->pd_fn, reg);
}

uint16_t
pci_read16(const struct pci_dev *pd, uint8_t reg)
{
	return (uint16_t)(pci_read32(pd, reg) >> ((reg & 2) * 8));
}

uint8_t
pci_read8(const struct pci_dev *pd, uint8_t reg)
{
	return (uint8_t)(pci_read32(pd, reg) >> ((reg & 3) * 8));
}

void
pci_write16(const struct pci_dev *pd, uint8_t reg, uint16_t val)
{
	pci_select(pd->pd_bus, pd->pd_dev, pd->pd_fn, reg);
	outw(PCI_CONF_DATA + (reg & 2), val);
}

/* Whether function fn of dev is vendor:device. */
static int
pci_match(uint8_t dev, uint8_t fn, uint16_t vendor, uint16_t device,
    struct pci_dev *pd)
{
	uint32_t id = conf_read32(0, dev, fn, PCI_VENDOR_ID);

	if ((id & 0xffff) != vendor || (id >> 16) != device)
		return 0;
	pd->pd_bus = 0;
	pd->pd_dev = dev;
	pd->pd_fn = fn;
	pd->pd_vendor = vendor;
	pd->pd_device = device;
	return 1;
}

int
pci_find(uint16_t vendor, uint16_t device, struct pci_dev *pd)
{
	uint8_t dev, fn, nfn;

	for (dev = 0; dev < PCI_DEVS; dev++) {
		if ((conf_read32(0, dev, 0, PCI_VENDOR_ID) & 0xffff) ==
		    0xffff)
			continue;
		nfn = (conf_read32(0, dev, 0, PCI_HEADER_TYPE & 0xfc) >> 16) &
		    PCI_MULTIFN ? PCI_FNS : 1;
		for (fn = 0; fn < nfn; fn++)
			if (pci_match(dev, fn, vendor, device, pd))
				return 0;
	}
	return -XM_ENODEV;
}
