/*
 * console_io: a domain's writes go to hv's console a line at a time,
 * prefixed with the domain's id; domain 0 alone may read the UART.
 */
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>
#include <hv/uart.h>

#define CONSOLE_MAX_WRITE	(64 * 1024)
#define CONSOLE_CHUNK		128

static void
console_put(struct domain *d, char c)
{
	if (c == '\r')
		return;
	if (c != '\n' && d->con_len < sizeof(d->con_line) - 1) {
		d->con_line[d->con_len++] = c;
		return;
	}
	d->con_line[d->con_len] = '\0';
	console_lock_line();
	hv_printf("(d%u) %s\n", d->id, d->con_line);
	console_unlock_line();
	d->con_len = 0;
	if (c != '\n')
		d->con_line[d->con_len++] = c;
}

static long
console_write_guest(struct domain *d, uint64_t count, uint64_t buf)
{
	char chunk[CONSOLE_CHUNK];
	uint64_t done = 0, n, i;

	if (count > CONSOLE_MAX_WRITE)
		return -XM_EINVAL;
	while (done < count) {
		n = count - done < sizeof(chunk) ? count - done :
		    sizeof(chunk);
		if (copy_from_guest(chunk, buf + done, n) != 0)
			return -XM_EFAULT;
		for (i = 0; i < n; i++)
			console_put(d, chunk[i]);
		done += n;
	}
	return 0;
}

/* What the UART has now, at most one chunk; never waits. */
static long
console_read_guest(struct domain *d, uint64_t count, uint64_t buf)
{
	char chunk[CONSOLE_CHUNK];
	uint64_t n;

	if (!d->privileged)
		return -XM_EPERM;
	for (n = 0; n < count && n < sizeof(chunk); n++) {
		int c = uart_getc();

		if (c < 0)
			break;
		chunk[n] = (char)c;
	}
	if (n > 0 && copy_to_guest(buf, chunk, n) != 0)
		return -XM_EFAULT;
	return (long)n;
}

long
do_console_io(uint64_t cmd, uint64_t count, uint64_t buf)
{
	struct domain *d = current_vcpu()->domain;

	switch (cmd) {
	case XM_CONSOLEIO_WRITE:
		return console_write_guest(d, count, buf);
	case XM_CONSOLEIO_READ:
		return console_read_guest(d, count, buf);
	}
	return -XM_ENOSYS;
}
