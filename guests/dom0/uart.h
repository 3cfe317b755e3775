/*
 * The control channel on a PC's serial line: a 16550 UART (uart.c);
 * uart_chan (chan.h) drives it once uart_init() has found it.
 */
#ifndef _DOM0_UART_H_
#define _DOM0_UART_H_

/* Find the UART and set it up: 0, or -XM_ENODEV when none answers. */
int	uart_init(void);

#endif /* _DOM0_UART_H_ */
