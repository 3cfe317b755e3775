/*
 * The debug UART (COM1, 16550) at 115200 8N1, polled. hv keeps it to
 * itself: domains reach it only through console_io.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/ns16550.h>

#include <hv/uart.h>
#include <hv/x86.h>

#define COM1		NS16550_COM1

static bool uart_present;

void
uart_init(void)
{
	ns16550_setup(COM1, NS16550_MCR_DTR_RTS);
	/* A floating bus reads 0xff: no UART there. */
	uart_present = inb(COM1 + NS16550_LSR) != 0xff;
}

void
uart_putc(char c)
{
	unsigned int spins;

	if (!uart_present)
		return;
	for (spins = 0; spins < 100000; spins++)
		if (inb(COM1 + NS16550_LSR) & NS16550_LSR_THRE)
			break;
	outb(COM1 + NS16550_THR, (uint8_t)c);
}

/* A received byte, or -1 when none is waiting. */
int
uart_getc(void)
{
	if (!uart_rx_ready())
		return -1;
	return inb(COM1 + NS16550_RBR);
}

bool
uart_rx_ready(void)
{
	return uart_present && (inb(COM1 + NS16550_LSR) & NS16550_LSR_DR);
}
