/* The debug UART. */
#ifndef HV_UART_H
#define HV_UART_H

#include <stdbool.h>

void	uart_init(void);
void	uart_putc(char);
int	uart_getc(void);
bool	uart_rx_ready(void);

#endif
