/*
 * Console output through console_io, a line at a time, and for a domU
 * also into its console ring (start_info's console page), where domain
 * 0's console backend reads it for xmd. A full ring drops output rather
 * than blocking: boot-time domUs have no backend. Events are masked
 * while the line buffer changes, so that an event handler that prints
 * does not tear a line of the code it interrupted.
 */

#include <stdarg.h>
#include <stddef.h>

#include <klib/format.h>
#include <klib/string.h>

#include <xm/sched.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>

static char	con_line[CONSOLE_LINE_MAX];
static size_t	con_len;
static struct xm_console_interface *con_ring;
static uint32_t	con_port;

void
console_ring_init(void)
{
	const struct xm_start_info *si = guest_start_info;

	if ((si->flags & XM_SIF_INITDOMAIN) || si->console.domU.mfn == 0)
		return;
	con_ring = pfn_to_virt(mfn_to_pfn(si->console.domU.mfn));
	con_port = si->console.domU.evtchn;
}

/*
 * In a restored domain: the ring's pfn is on a new frame (so the same
 * page here) and its port is new.  Until this, a notify would go to an
 * old port number, which may now be another channel.
 */
void
console_resume(void)
{
	con_ring = NULL;
	con_port = 0;
	console_ring_init();
}

/*
 * Room for n bytes in the out ring. When a backend has ever drained it
 * (out_cons moved), wait for it a little, yielding, before giving up;
 * with none, do not wait at all.
 */
static int
con_ring_room(size_t n)
{
	unsigned int tries;

	for (tries = 0; tries < 200; tries++) {
		xm_console_ring_idx_t cons = __atomic_load_n(
		    &con_ring->out_cons, __ATOMIC_ACQUIRE);

		if (con_ring->out_prod - cons + n <= sizeof(con_ring->out))
			return 1;
		if (cons == 0)
			return 0;
		if (con_port != 0)
			evtchn_notify(con_port);
		HYPERVISOR_sched_op(XM_SCHEDOP_YIELD, NULL);
	}
	return 0;
}

static void
con_ring_write(const char *s, size_t n)
{
	xm_console_ring_idx_t prod;
	size_t i;

	if (!con_ring_room(n))
		return;			/* dropped: nobody reads the ring */
	prod = con_ring->out_prod;
	for (i = 0; i < n; i++)
		con_ring->out[XM_CONSOLE_IDX(prod++, con_ring->out)] = s[i];
	__atomic_store_n(&con_ring->out_prod, prod, __ATOMIC_RELEASE);
	if (con_port != 0)
		evtchn_notify(con_port);
}

static void
con_send(void)
{
	if (con_len > 0) {
		HYPERVISOR_console_io(XM_CONSOLEIO_WRITE, con_len, con_line);
		if (con_ring != NULL)
			con_ring_write(con_line, con_len);
	}
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
