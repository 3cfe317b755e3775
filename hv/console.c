/*
 * hv's console: every line hv prints goes to the debug UART, its own log
 * lines prefixed with "(hv)" and their level so that tests and people can
 * tell them from domain output.
 */
#include <stdarg.h>
#include <stdint.h>

#include <klib/format.h>

#include <hv/console.h>
#include <hv/power.h>
#include <hv/spinlock.h>
#include <hv/uart.h>

static enum log_level console_level = LOG_INFO;
/* Whole lines from different CPUs do not interleave. */
static spinlock_t console_lock = SPINLOCK_INIT;

void
console_lock_line(void)
{
	spin_lock(&console_lock);
}

void
console_unlock_line(void)
{
	spin_unlock(&console_lock);
}
static const char *const level_names[] = {
	[LOG_ERR] = "error",
	[LOG_WARN] = "warn",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

void
console_init(void)
{
	uart_init();
}

void
console_set_level(enum log_level level)
{
	console_level = level;
}

static void
console_emit(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

void
console_write(const char *s, unsigned long len)
{
	while (len-- > 0)
		console_emit(NULL, *s++);
}

void
hv_vprintf(const char *fmt, va_list ap)
{
	kvformat(console_emit, NULL, fmt, ap);
}

void
hv_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vprintf(fmt, ap);
	va_end(ap);
}

void
hv_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > console_level)
		return;
	console_lock_line();
	hv_printf("(hv) %s: ", level_names[level]);
	va_start(ap, fmt);
	hv_vprintf(fmt, ap);
	va_end(ap);
	console_emit(NULL, '\n');
	console_unlock_line();
}

void
hv_panic(const char *fmt, ...)
{
	va_list ap;

	__asm__ volatile("cli");
	hv_printf("(hv) panic: ");
	va_start(ap, fmt);
	hv_vprintf(fmt, ap);
	va_end(ap);
	hv_printf("\n(hv) panic: hv stopped\n");
	machine_stop(HV_EXIT_PANIC);
}
