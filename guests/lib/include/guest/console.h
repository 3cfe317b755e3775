/*
 * The guest's console: console_io(CONSOLEIO_write), which hv prints on
 * its own console with the domain id in front of each line.  Output is
 * kept until a newline (or a full buffer), so that a line leaves the
 * guest in one hypercall and lines of different domains do not mix.
 */

#ifndef _GUEST_CONSOLE_H_
#define _GUEST_CONSOLE_H_

#include <stdarg.h>

#define CONSOLE_LINE_MAX	256

int	gprintf(const char *fmt, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
int	gvprintf(const char *fmt, va_list ap)
	    __attribute__((__format__(__printf__, 1, 0)));
/* s and a newline, as puts(3). */
void	gputs(const char *s);
/* Send what is buffered, even without a newline. */
void	console_flush(void);
/* For a domU: its console ring too, from start_info (start.c). */
void	console_ring_init(void);
/* The ring and its port anew from start_info, after a restore. */
void	console_resume(void);

#endif /* _GUEST_CONSOLE_H_ */
