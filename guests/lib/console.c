/*
 * Console output through console_io, a line at a time.  Events are
 * masked while the line buffer changes, so that an event handler that
 * prints does not tear a line of the code it interrupted.
 */

#include <stdarg.h>
#include <stddef.h>

#include <klib/format.h>
#include <klib/string.h>

#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/hypercall.h>

static char	con_line[CONSOLE_LINE_MAX];
static size_t	con_len;

static void
con_send(void)
{
	if (con_len > 0)
		HYPERVISOR_console_io(XM_CONSOLEIO_WRITE, con_len, con_line);
	con_len = 0;
}

static void
con_emit(void *ctx, char c)
{
	(void)ctx;
	con_line[con_len++] = c;
	if (c == '\n' || con_len == sizeof(con_line))
		con_send();
}

void
console_flush(void)
{
	unsigned int flags = local_irq_save();

	con_send();
	local_irq_restore(flags);
}

int
gvprintf(const char *fmt, va_list ap)
{
	unsigned int flags = local_irq_save();
	int n;

	n = kvformat(con_emit, NULL, fmt, ap);
	local_irq_restore(flags);
	return n;
}

int
gprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = gvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void
gputs(const char *s)
{
	gprintf("%s\n", s);
}
