/*
 * dom0: domain 0's kernel.  It relays the control protocol between
 * xmd, at the host end of a virtio-serial port (QEMU's) or of a serial
 * line (a PC's 16550, uart.c), and hv: each request
 * becomes hypercalls, each reply carries a status.  It is also the
 * console backend of other domains and tells xmd when one shuts down,
 * crashes or goes away.
 *
 * One loop: do the work the last events asked for, then block until
 * the next event (the device's interrupt, a console, VIRQ_DOM_EXC) or
 * the timer, armed only for work that is due at a time.  Without a
 * routable interrupt the port is polled from that timer.
 *
 * Command line: dma=exchange (swap frames for the virtqueues even when
 * they are contiguous), irq=poll (do not ask for the interrupt),
 * ctl_uart=BASE[,IRQ] (the UART of the serial line taken when there is
 * no virtio-serial port: COM2's by default).
 */

#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/events.h>
#include <guest/guest.h>
#include <guest/time.h>

#include "ringback.h"
#include "ctl_server.h"
#include "dom0.h"
#include "domexc.h"
#include "irq.h"
#include "log.h"
#include "pci.h"
#include "uart.h"
#include "vser.h"

#define POLL_NS		(10 * NSEC_PER_MSEC)
#define PARTIAL_TICK_NS	(500 * NSEC_PER_MSEC)

const struct ctl_chan	*dom0_chan;	/* the control port works */
static volatile uint64_t dom0_events;
static int		dom0_polling;	/* ... without its interrupt */

void
dom0_kick(void)
{
	dom0_events++;
}

void
dom0_wait(uint64_t ns)
{
	uint64_t seen = dom0_events;

	(void)timer_set_oneshot(monotonic_ns() + ns);
	local_irq_disable();
	if (dom0_events == seen)
		guest_block();
	else
		local_irq_enable();
}

static int
cmdline_is(const char *key, const char *want)
{
	char val[32];

	return kcmdline_get(guest_cmdline(), key, val, sizeof(val)) &&
	    kstrcmp(val, want) == 0;
}

static void
chan_isr(void)
{
	(void)dom0_chan->intr();
}

/*
 * The device's interrupt as an event channel, or the timer polls.  An
 * interrupt raised before the line was routed may hold it high, and an
 * I/O APIC that saw no edge would never deliver it: so the ISR is read
 * (which lowers the line) and the queues looked at once.
 */
static void
channel_irq_init(void)
{
	int rc;

	uint8_t line = dom0_chan->irq_line();

	rc = cmdline_is("irq", "poll") ? -XM_EPERM : irq_bind(line, chan_isr);
	if (rc < 0) {
		dom0_polling = 1;
		dlog("control port: interrupt line %u not routed (%d), "
		    "polling every %lu ms", line, rc,
		    POLL_NS / NSEC_PER_MSEC);
		return;
	}
	(void)dom0_chan->intr();
	dom0_kick();
	dlog("control port: interrupt line %u as an event channel", line);
}

/* virtio-serial, as QEMU gives it: 0, or why not (-XM_E*). */
static int
channel_vser(void)
{
	if (pci_access_check() < 0) {
		dlog("no access to the PCI configuration ports 0xcf8-0xcff");
		return -XM_EPERM;
	}
	return vser_init(cmdline_is("dma", "exchange"));
}

static void
channel_init(void)
{
	int rc;

	if ((rc = channel_vser()) == 0)
		dom0_chan = &vser_chan;
	else
		dlog("no virtio-serial control port (%d)", rc);
	if (dom0_chan == NULL) {
		if ((rc = uart_init()) == 0)
			dom0_chan = &uart_chan;
		else
			dlog("no serial line for the control port either (%d): "
			    "no control channel", rc);
	}
	if (dom0_chan != NULL)
		channel_irq_init();
}

/* One round of work; non-zero when more is waiting already. */
static int
dom0_work(void)
{
	uint64_t now = monotonic_ns();
	int more = 0;

	if (dom0_chan != NULL) {
		more = dom0_chan->rx(ctl_server_input, NULL);
		dom0_chan->tx_done();
	}
	ringback_poll(now);
	domexc_poll();
	ctl_server_tick(now);
	return more;
}

static uint64_t
earliest(uint64_t a, uint64_t b)
{
	if (a == 0)
		return b;
	return b == 0 || a < b ? a : b;
}

/* The timer for the next work due at a time (0: none). */
static void
timer_arm(void)
{
	uint64_t now = monotonic_ns(), at = ringback_deadline();

	if (dom0_chan != NULL && dom0_polling)
		at = earliest(at, now + POLL_NS);
	if (ctl_server_partial())
		at = earliest(at, now + PARTIAL_TICK_NS);
	(void)timer_set_oneshot(at);
}

static void
dom0_loop(void)
{
	uint64_t events, ticks;
	int more;

	for (;;) {
		events = dom0_events;
		ticks = timer_ticks();
		more = dom0_work();
		timer_arm();
		local_irq_disable();
		if (!more && events == dom0_events && ticks == timer_ticks())
			guest_block();
		else
			local_irq_enable();
	}
}

int
guest_main(void)
{
	int rc;

	dlog("xm-dom0 " XM_VERSION " starting");
	if (!(guest_start_info->flags & XM_SIF_INITDOMAIN))
		dlog("not started as the initial domain: hv will refuse "
		    "control operations");
	if ((rc = timer_init()) < 0)
		dlog("no timer (%d)", rc);
	if ((rc = domexc_init()) < 0)
		dlog("no domain state events (%d)", rc);
	ctl_server_init();
	channel_init();
	dlog("ready");
	dom0_loop();
	return 0;
}
