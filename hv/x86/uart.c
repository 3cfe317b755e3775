/*
 * The debug UART (COM1, 16550) at 115200 8N1, polled. hv keeps it to
 * itself: domains reach it only through console_io.
 */
#include <stdbool.h>
#include <stdint.h>

#include <hv/uart.h>
#include <hv/x86.h>

#define COM1		0x3f8
#define UART_THR	0
#define UART_DLL	0
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_THRE	0x20
#define LCR_DLAB	0x80

static bool uart_present;

void
uart_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);		/* 115200 / 1 */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, 0x03);		/* 8N1 */
	outb(COM1 + UART_FCR, 0xc7);		/* FIFO on, cleared */
	outb(COM1 + UART_MCR, 0x03);		/* DTR, RTS */
	/* A floating bus reads 0xff: no UART there. */
	uart_present = inb(COM1 + UART_LSR) != 0xff;
}

void
uart_putc(char c)
{
	unsigned int spins;

	if (!uart_present)
		return;
	for (spins = 0; spins < 100000; spins++)
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	outb(COM1 + UART_THR, (uint8_t)c);
}

/* A received byte, or -1 when none is waiting. */
int
uart_getc(void)
{
	if (!uart_present || !(inb(COM1 + UART_LSR) & 0x01))
		return -1;
	return inb(COM1 + UART_THR);
}

bool
uart_rx_ready(void)
{
	return uart_present && (inb(COM1 + UART_LSR) & 0x01);
}
