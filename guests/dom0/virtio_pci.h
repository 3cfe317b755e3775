/*
 * A legacy (transitional) virtio PCI device through its I/O BAR0: the
 * registers of virtio 0.9.5 without MSI-X, the device status dance,
 * feature negotiation and queue setup.  The virtqueue's bookkeeping is
 * vring.c's; here the device learns where a queue lives.
 */

#ifndef _DOM0_VIRTIO_PCI_H_
#define _DOM0_VIRTIO_PCI_H_

#include <stdint.h>

#include "pci.h"
#include "vring.h"

#define VIRTIO_VENDOR			0x1af4

#define VIRTIO_PCI_HOST_FEATURES	0x00
#define VIRTIO_PCI_GUEST_FEATURES	0x04
#define VIRTIO_PCI_QUEUE_PFN		0x08
#define VIRTIO_PCI_QUEUE_NUM		0x0c
#define VIRTIO_PCI_QUEUE_SEL		0x0e
#define VIRTIO_PCI_QUEUE_NOTIFY		0x10
#define VIRTIO_PCI_STATUS		0x12
#define VIRTIO_PCI_ISR			0x13
#define VIRTIO_PCI_CONFIG		0x14

#define VIRTIO_STATUS_ACK		0x01
#define VIRTIO_STATUS_DRIVER		0x02
#define VIRTIO_STATUS_DRIVER_OK		0x04
#define VIRTIO_STATUS_FAILED		0x80

#define VIRTIO_ISR_QUEUE		0x01
#define VIRTIO_ISR_CONFIG		0x02

/* Never acknowledged: legacy devices offer it to catch broken drivers. */
#define VIRTIO_F_BAD_FEATURE		(1U << 30)

#define VIRTIO_PCI_PFN_SHIFT		12

struct virtio_dev {
	struct pci_dev	vd_pci;
	uint16_t	vd_io;		/* BAR0 */
	uint8_t		vd_irq;		/* 0xff: no line */
	uint32_t	vd_host_features;
};

/*
 * Find device on bus 0, enable its I/O space and bus mastering, reset
 * it and say that a driver is here.  0 or -XM_E*.
 */
int	virtio_open(uint16_t device, struct virtio_dev *vd);
/* Accept the features in want that the device offers; returns them. */
uint32_t virtio_features(struct virtio_dev *vd, uint32_t want);
/*
 * Set up queue idx: size it, get a machine-contiguous area for its
 * ring, tell the device.  force_exchange goes to dma_alloc().
 */
int	virtio_queue_setup(struct virtio_dev *vd, uint16_t idx,
	    struct vring *vr, int force_exchange);
void	virtio_ready(struct virtio_dev *vd);
void	virtio_fail(struct virtio_dev *vd);
void	virtio_notify(struct virtio_dev *vd, uint16_t idx);
/* Read (and so clear) the interrupt status: VIRTIO_ISR_*. */
uint8_t	virtio_isr(struct virtio_dev *vd);

#endif /* _DOM0_VIRTIO_PCI_H_ */
