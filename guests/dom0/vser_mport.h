/*
 * virtio-serial with MULTIPORT (virtio spec, "Console Device"): the
 * control queues and the handshake that opens one port, so that the
 * control channel can be a virtserialport, which QEMU throttles when
 * the host reads slowly, rather than a virtconsole, which drops.
 */

#ifndef _DOM0_VSER_MPORT_H_
#define _DOM0_VSER_MPORT_H_

#include <stdint.h>

#include "virtio_pci.h"

#define VIRTIO_CONSOLE_F_MULTIPORT	(1U << 1)

/* Queues of the control channel and of port n. */
#define VMPORT_Q_CRX		2
#define VMPORT_Q_CTX		3
#define VMPORT_Q_RX(n)		((n) == 0 ? 0 : 2 * (n) + 2)
#define VMPORT_Q_TX(n)		(VMPORT_Q_RX(n) + 1)

/* Set up the control queues of vd (before virtio_ready): 0 or -XM_E*. */
int	vmport_init(struct virtio_dev *vd, uint16_t port, int force_exchange);
/* After virtio_ready: DEVICE_READY, the handshake's first message. */
void	vmport_start(void);
/* Take the device's control messages and answer them. */
void	vmport_poll(void);
/* Whether the device has said its side of the port is open. */
int	vmport_host_open(void);

#endif /* _DOM0_VSER_MPORT_H_ */
