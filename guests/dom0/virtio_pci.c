/*
 * Legacy virtio over PCI (see virtio_pci.h).  The queue PFN register
 * holds the ring's machine address >> 12, so rings must lie below
 * 2^44; the queue size is the device's, read-only in this interface.
 */

#include <stdint.h>

#include <xm/hypercall.h>

#include "dma.h"
#include "io.h"
#include "pci.h"
#include "virtio_pci.h"
#include "vring.h"

#define PAGE_BYTES	4096U

static void
status_set(struct virtio_dev *vd, uint8_t bits)
{
	uint8_t s = inb(vd->vd_io + VIRTIO_PCI_STATUS);

	outb(vd->vd_io + VIRTIO_PCI_STATUS, s | bits);
}

int
virtio_open(uint16_t device, struct virtio_dev *vd)
{
	uint32_t bar;
	uint16_t cmd;
	int rc;

	rc = pci_find(VIRTIO_VENDOR, device, &vd->vd_pci);
	if (rc < 0)
		return rc;
	bar = pci_read32(&vd->vd_pci, PCI_BAR0);
	if (!(bar & PCI_BAR_IO) || (bar & PCI_BAR_IO_MASK) > 0xffff)
		return -XM_ENXIO;
	vd->vd_io = (uint16_t)(bar & PCI_BAR_IO_MASK);
	vd->vd_irq = pci_read8(&vd->vd_pci, PCI_INTERRUPT_LINE);
	cmd = pci_read16(&vd->vd_pci, PCI_COMMAND);
	cmd |= PCI_COMMAND_IO | PCI_COMMAND_MASTER;
	cmd &= (uint16_t)~PCI_COMMAND_INTX_OFF;
	pci_write16(&vd->vd_pci, PCI_COMMAND, cmd);
	outb(vd->vd_io + VIRTIO_PCI_STATUS, 0);
	status_set(vd, VIRTIO_STATUS_ACK);
	status_set(vd, VIRTIO_STATUS_DRIVER);
	vd->vd_host_features = inl(vd->vd_io + VIRTIO_PCI_HOST_FEATURES);
	return 0;
}

uint32_t
virtio_features(struct virtio_dev *vd, uint32_t want)
{
	uint32_t f = vd->vd_host_features & want & ~VIRTIO_F_BAD_FEATURE;

	outl(vd->vd_io + VIRTIO_PCI_GUEST_FEATURES, f);
	return f;
}

static unsigned int
pages_order(uint64_t bytes)
{
	unsigned int order = 0;

	while (((uint64_t)PAGE_BYTES << order) < bytes)
		order++;
	return order;
}

int
virtio_queue_setup(struct virtio_dev *vd, uint16_t idx, struct vring *vr,
    int force_exchange)
{
	uint16_t num;
	uint64_t maddr;
	size_t bytes;
	void *va;
	int rc;

	outw(vd->vd_io + VIRTIO_PCI_QUEUE_SEL, idx);
	num = inw(vd->vd_io + VIRTIO_PCI_QUEUE_NUM);
	if (num == 0 || inl(vd->vd_io + VIRTIO_PCI_QUEUE_PFN) != 0)
		return -XM_ENOENT;
	if ((bytes = vring_bytes(num)) == 0)
		return -XM_EINVAL;
	rc = dma_alloc(pages_order(bytes), force_exchange, &va, &maddr);
	if (rc < 0)
		return rc;
	if ((maddr >> VIRTIO_PCI_PFN_SHIFT) > UINT32_MAX)
		return -XM_ERANGE;
	vring_init(vr, num, va);
	outl(vd->vd_io + VIRTIO_PCI_QUEUE_PFN,
	    (uint32_t)(maddr >> VIRTIO_PCI_PFN_SHIFT));
	return 0;
}

void
virtio_ready(struct virtio_dev *vd)
{
	status_set(vd, VIRTIO_STATUS_DRIVER_OK);
}

void
virtio_fail(struct virtio_dev *vd)
{
	status_set(vd, VIRTIO_STATUS_FAILED);
}

void
virtio_notify(struct virtio_dev *vd, uint16_t idx)
{
	outw(vd->vd_io + VIRTIO_PCI_QUEUE_NOTIFY, idx);
}

uint8_t
virtio_isr(struct virtio_dev *vd)
{
	return inb(vd->vd_io + VIRTIO_PCI_ISR);
}
