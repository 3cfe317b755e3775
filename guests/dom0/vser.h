/*
 * The control port: port VSER_PORT of a virtio-serial device with
 * MULTIPORT (a virtserialport, which QEMU throttles when the host reads
 * slowly: vser_mport.c opens it), or port 0 of one without (a
 * virtconsole, which drops what the host cannot take at once); its
 * receive and transmit queues, with page-sized buffers each inside one
 * page of domain 0.
 */

#ifndef _DOM0_VSER_H_
#define _DOM0_VSER_H_

#include <stddef.h>
#include <stdint.h>

#include "chan.h"

#define VSER_DEVICE	0x1003
#define VSER_PORT	1	/* tools/xm-qemu's virtserialport nr=1 */


/* Find and start the device.  0 or -XM_E*. */
int	vser_init(int force_exchange);
/* Its interrupt line from PCI configuration space (0xff: none). */
uint8_t	vser_irq_line(void);
/* The interrupt: read and so clear the device's ISR. */
uint8_t	vser_intr(void);
/*
 * Hand received bytes to fn, at most a batch of buffers; returns
 * non-zero when more are waiting.
 */
int	vser_rx(chan_rx_t *fn, void *arg);
/*
 * Make sure len bytes can be sent without waiting more than a stall
 * timeout: 0, or -XM_EAGAIN when the host does not take data.
 */
int	vser_reserve(size_t len);
/* Queue bytes (after vser_reserve for all of a frame). */
void	vser_write(const void *p, size_t len);
/* Hand what is queued to the device. */
void	vser_flush(void);
/* Reclaim transmitted buffers. */
void	vser_tx_done(void);

#endif /* _DOM0_VSER_H_ */
