/*
 * The control channel's transport, whichever carries it: the
 * virtio-serial port QEMU gives domain 0 (vser.c), or a PC's serial
 * line, a 16550 UART (uart.c).  ctl_server.c frames over it; dom0.c
 * picks one at start and takes its interrupt, or polls it.
 */
#ifndef _DOM0_CHAN_H_
#define _DOM0_CHAN_H_

#include <stddef.h>
#include <stdint.h>

typedef void	chan_rx_t(void *arg, const uint8_t *p, size_t n);

struct ctl_chan {
	const char	*name;
	/* Its interrupt line (a GSI; 0xff: none). */
	uint8_t		(*irq_line)(void);
	/* The interrupt: quiet the device (read its status). */
	uint8_t		(*intr)(void);
	/* Received bytes to fn, a batch; non-zero when more wait. */
	int		(*rx)(chan_rx_t *fn, void *arg);
	/* Room for len bytes within a stall timeout: 0 or -XM_EAGAIN. */
	int		(*reserve)(size_t len);
	/* Queue bytes (after reserve for all of a frame). */
	void		(*write)(const void *p, size_t len);
	/* Hand what is queued to the device. */
	void		(*flush)(void);
	/* Take back what the device has sent. */
	void		(*tx_done)(void);
};

extern const struct ctl_chan	vser_chan, uart_chan;

#endif /* _DOM0_CHAN_H_ */
