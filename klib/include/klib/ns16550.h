/*
 * The PC's serial port, a 16550 UART: its registers (offsets from the
 * port's base) and the bits xm uses, for hv's console (COM1) and
 * domain 0's control channel on a serial line (COM2).
 */
#ifndef KLIB_NS16550_H
#define KLIB_NS16550_H

#include <stdint.h>

#include <klib/portio.h>

#define NS16550_COM1		0x3f8
#define NS16550_COM2		0x2f8
#define NS16550_COM2_IRQ	3		/* an ISA line: edge, high */

#define NS16550_RBR		0	/* in: received byte */
#define NS16550_THR		0	/* out: byte to send */
#define NS16550_DLL		0	/* with LCR_DLAB: divisor, low */
#define NS16550_IER		1
#define NS16550_DLM		1	/* with LCR_DLAB: divisor, high */
#define NS16550_IIR		2	/* in */
#define NS16550_FCR		2	/* out */
#define NS16550_LCR		3
#define NS16550_MCR		4
#define NS16550_LSR		5
#define NS16550_SCR		7	/* scratch */

#define NS16550_IER_RDA		0x01	/* data received */
#define NS16550_FCR_ON_CLEAR	0xc7	/* FIFOs on and cleared, 14 bytes */
#define NS16550_LCR_8N1		0x03
#define NS16550_LCR_DLAB	0x80
#define NS16550_MCR_DTR_RTS	0x03
#define NS16550_MCR_OUT2	0x08	/* a PC routes the IRQ through it */
#define NS16550_LSR_DR		0x01	/* a byte waits */
#define NS16550_LSR_THRE	0x20	/* the transmit FIFO is empty */
#define NS16550_FIFO		16	/* bytes the transmit FIFO holds */

/* 115200 8N1, FIFOs on, interrupts off, with mcr: as hv and dom0 set it. */
static inline void
ns16550_setup(uint16_t base, uint8_t mcr)
{
	outb(base + NS16550_IER, 0);
	outb(base + NS16550_LCR, NS16550_LCR_DLAB);
	outb(base + NS16550_DLL, 1);		/* 115200 / 1 */
	outb(base + NS16550_DLM, 0);
	outb(base + NS16550_LCR, NS16550_LCR_8N1);
	outb(base + NS16550_FCR, NS16550_FCR_ON_CLEAR);
	outb(base + NS16550_MCR, mcr);
}

#endif
