/*
 * The control channel on a PC's serial line (chan.h): a 16550 UART,
 * COM2 (0x2f8, IRQ 3) unless the command line says ctl_uart=BASE[,IRQ]
 * (numbers in C syntax).  hv keeps COM1 for its console and opens the
 * other ports to domain 0, whose kernel drives this one itself.
 *
 * Received bytes are read while the line status says one waits, on the
 * interrupt (data received, and the FIFO's timeout) or when polled.  A
 * frame to send is queued whole in a ring, then flush() feeds the
 * transmit FIFO 16 bytes at a time until the ring is empty, waiting
 * on the UART (a serial line is slow, and domain 0 has nothing else to
 * send meanwhile); it gives up after TX_STALL_NS without progress,
 * when nobody reads the line, and the rest goes from tx_done().
 */
#include <stddef.h>
#include <stdint.h>

#include <klib/ns16550.h>
#include <klib/parse.h>
#include <klib/string.h>

#include <xm/hypercall.h>

#include <guest/guest.h>
#include <guest/time.h>

#include "chan.h"
#include "log.h"
#include "uart.h"

#define TX_RING		(128 * 1024)	/* a frame, whole: 64 KiB + header */
#define RX_BATCH	4096
#define TX_STALL_NS	(2 * NSEC_PER_SEC)

static uint16_t	uart_base;
static uint8_t	uart_irq = 0xff;
static uint8_t	uart_tx[TX_RING];
static size_t	uart_tx_head, uart_tx_len;	/* the ring's */
static uint8_t	uart_rx_buf[RX_BATCH];

static uint8_t
reg_in(unsigned int reg)
{
	return inb((uint16_t)(uart_base + reg));
}

static void
reg_out(unsigned int reg, uint8_t v)
{
	outb((uint16_t)(uart_base + reg), v);
}

/* A 16550 answers at base: its scratch register keeps what is written. */
static int
uart_probe(uint16_t base)
{
	uart_base = base;
	if (reg_in(NS16550_LSR) == 0xff)
		return 0;		/* a floating bus */
	reg_out(NS16550_SCR, 0x5a);
	if (reg_in(NS16550_SCR) != 0x5a)
		return 0;
	reg_out(NS16550_SCR, 0xa5);
	return reg_in(NS16550_SCR) == 0xa5;
}

/* ctl_uart=BASE[,IRQ] from the command line, else COM2's. */
static void
uart_where(uint16_t *base, uint8_t *irq)
{
	char val[32];
	const char *end;
	uint64_t b, i;

	*base = NS16550_COM2;
	*irq = NS16550_COM2_IRQ;
	if (!kcmdline_get(guest_cmdline(), "ctl_uart", val, sizeof(val)))
		return;
	if (kstrtou64(val, &end, 0, &b) != 0 || b == 0 || b > 0xfff8)
		return;
	*base = (uint16_t)b;
	*irq = 0xff;
	if (*end == ',' && kstrtou64(end + 1, &end, 0, &i) == 0 && i < 24)
		*irq = (uint8_t)i;
}

int
uart_init(void)
{
	uint16_t base;
	uint8_t irq;
	unsigned int n;

	uart_where(&base, &irq);
	if (!uart_probe(base))
		return -XM_ENODEV;
	uart_irq = irq;
	ns16550_setup(base, NS16550_MCR_DTR_RTS | NS16550_MCR_OUT2);
	for (n = 0; n < RX_BATCH && (reg_in(NS16550_LSR) & NS16550_LSR_DR);
	    n++)
		(void)reg_in(NS16550_RBR);	/* what came before us */
	reg_out(NS16550_IER, NS16550_IER_RDA);
	dlog("control port: serial line, 16550 at I/O %#x, IRQ %u, 115200 "
	    "8N1", base, irq);
	return 0;
}

static uint8_t
uart_irq_line(void)
{
	return uart_irq;
}

static uint8_t
uart_intr(void)
{
	return reg_in(NS16550_IIR);
}

/* As much of the ring as the transmit FIFO takes now; how much. */
static size_t
tx_pump(void)
{
	size_t sent = 0, n;

	if (uart_tx_len == 0 || !(reg_in(NS16550_LSR) & NS16550_LSR_THRE))
		return 0;
	for (n = 0; n < NS16550_FIFO && uart_tx_len > 0; n++) {
		reg_out(NS16550_THR, uart_tx[uart_tx_head]);
		uart_tx_head = (uart_tx_head + 1) % TX_RING;
		uart_tx_len--;
		sent++;
	}
	return sent;
}

/* Pump until the ring holds at most keep bytes: 0, or -XM_EAGAIN once
 * TX_STALL_NS went by without a byte going. */
static int
tx_drain(size_t keep)
{
	uint64_t last = monotonic_ns();

	while (uart_tx_len > keep) {
		if (tx_pump() > 0)
			last = monotonic_ns();
		else if (monotonic_ns() - last > TX_STALL_NS)
			return -XM_EAGAIN;
		else
			__asm__ volatile("pause");
	}
	return 0;
}

static int
uart_rx(chan_rx_t *fn, void *arg)
{
	size_t n = 0;

	while (n < RX_BATCH && (reg_in(NS16550_LSR) & NS16550_LSR_DR))
		uart_rx_buf[n++] = reg_in(NS16550_RBR);
	if (n > 0)
		fn(arg, uart_rx_buf, n);
	return n == RX_BATCH;
}

static int
uart_reserve(size_t len)
{
	if (len > TX_RING)
		return -XM_EAGAIN;
	return tx_drain(TX_RING - len);
}

static void
uart_write(const void *p, size_t len)
{
	const uint8_t *s = p;
	size_t at;

	for (; len > 0 && uart_tx_len < TX_RING; len--) {
		at = (uart_tx_head + uart_tx_len) % TX_RING;
		uart_tx[at] = *s++;
		uart_tx_len++;
	}
}

static void
uart_flush(void)
{
	(void)tx_drain(0);
}

static void
uart_tx_done(void)
{
	(void)tx_pump();
}

const struct ctl_chan uart_chan = {
	.name = "serial line",
	.irq_line = uart_irq_line,
	.intr = uart_intr,
	.rx = uart_rx,
	.reserve = uart_reserve,
	.write = uart_write,
	.flush = uart_flush,
	.tx_done = uart_tx_done,
};
