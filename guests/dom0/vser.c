/*
 * The virtio-serial control port (see vser.h).  Receive buffers are
 * whole pages, all posted at start and posted again once read.
 * Transmit data is packed into pages from a pool; a page goes to the
 * device when full or at vser_flush(), and comes back to the pool when
 * the device has used it.  Buffers are named by machine address.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/hypercall.h>

#include <guest/mm.h>
#include <guest/time.h>

#include "dom0.h"
#include "log.h"
#include "virtio_pci.h"
#include "vring.h"
#include "vser.h"
#include "vser_mport.h"

#define RX_PAGES	32
#define TX_PAGES	64
#define RX_BATCH	16
#define TX_WAIT_NS	NSEC_PER_MSEC
#define TX_STALL_NS	(2 * NSEC_PER_SEC)

static struct virtio_dev	vser_dev;
static struct vring		vser_rxq, vser_txq;
static uint16_t			vser_q_rx, vser_q_tx;	/* the port's */

static uint8_t vser_rx_pages[RX_PAGES][PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));
static uint8_t vser_tx_pages[TX_PAGES][PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));

/* The page behind each descriptor; the free transmit pages. */
static uint16_t	vser_rx_of[VRING_NUM_MAX];
static uint16_t	vser_tx_of[VRING_NUM_MAX];
static uint16_t	vser_tx_free[TX_PAGES];
static unsigned int vser_tx_nfree;
/* The transmit page being filled (-1: none), and whether to notify. */
static int	vser_tx_cur = -1;
static size_t	vser_tx_fill;
static int	vser_tx_added;

static void
rx_post(uint16_t page)
{
	int id;

	id = vring_add(&vser_rxq, virt_to_maddr(vser_rx_pages[page]),
	    PAGE_SIZE, 1);
	if (id >= 0)
		vser_rx_of[id] = page;
}

static int
queues_init(int force_exchange)
{
	uint16_t i;
	int rc;

	rc = virtio_queue_setup(&vser_dev, vser_q_rx, &vser_rxq,
	    force_exchange);
	if (rc == 0)
		rc = virtio_queue_setup(&vser_dev, vser_q_tx, &vser_txq,
		    force_exchange);
	if (rc < 0)
		return rc;
	for (i = 0; i < RX_PAGES && i < vser_rxq.vr_num; i++)
		rx_post(i);
	for (i = 0; i < TX_PAGES; i++)
		vser_tx_free[i] = i;
	vser_tx_nfree = TX_PAGES;
	return 0;
}

int
vser_init(int force_exchange)
{
	int rc;

	uint16_t port;
	int multi;

	rc = virtio_open(VSER_DEVICE, &vser_dev);
	if (rc < 0)
		return rc;
	multi = virtio_features(&vser_dev, VIRTIO_CONSOLE_F_MULTIPORT) != 0;
	port = multi ? VSER_PORT : 0;
	vser_q_rx = (uint16_t)VMPORT_Q_RX(port);
	vser_q_tx = (uint16_t)VMPORT_Q_TX(port);
	rc = queues_init(force_exchange);
	if (rc == 0 && multi)
		rc = vmport_init(&vser_dev, port, force_exchange);
	if (rc < 0) {
		virtio_fail(&vser_dev);
		return rc;
	}
	virtio_ready(&vser_dev);
	virtio_notify(&vser_dev, vser_q_rx);
	if (multi)
		vmport_start();
	dlog("control port: virtio-serial at 00:%02x.%u, I/O %#x, port %u%s, "
	    "queues of %u and %u", vser_dev.vd_pci.pd_dev, vser_dev.vd_pci.pd_fn,
	    vser_dev.vd_io, port, multi ? " (MULTIPORT)" : "",
	    vser_rxq.vr_num, vser_txq.vr_num);
	return 0;
}

uint8_t
vser_irq_line(void)
{
	return vser_dev.vd_irq;
}

uint8_t
vser_intr(void)
{
	return virtio_isr(&vser_dev);
}

int
vser_rx(chan_rx_t *fn, void *arg)
{
	unsigned int n;
	uint32_t len;
	uint16_t page;
	int id;

	vmport_poll();
	for (n = 0; n < RX_BATCH; n++) {
		if ((id = vring_take(&vser_rxq, &len)) < 0)
			break;
		page = vser_rx_of[id];
		fn(arg, vser_rx_pages[page], len);
		rx_post(page);
	}
	if (n > 0 && vring_want_notify(&vser_rxq))
		virtio_notify(&vser_dev, vser_q_rx);
	return n == RX_BATCH;
}

void
vser_tx_done(void)
{
	uint32_t len;
	int id;

	while ((id = vring_take(&vser_txq, &len)) >= 0)
		vser_tx_free[vser_tx_nfree++] = vser_tx_of[id];
}

static void
tx_submit(void)
{
	int id;

	id = vring_add(&vser_txq, virt_to_maddr(vser_tx_pages[vser_tx_cur]),
	    (uint32_t)vser_tx_fill, 0);
	if (id >= 0) {
		vser_tx_of[id] = (uint16_t)vser_tx_cur;
		vser_tx_added = 1;
	} else
		vser_tx_free[vser_tx_nfree++] = (uint16_t)vser_tx_cur;
	vser_tx_cur = -1;
	vser_tx_fill = 0;
}

/* Whether len more bytes fit in free pages and descriptors. */
static int
tx_room(size_t len)
{
	size_t cur_room = vser_tx_cur < 0 ? 0 : PAGE_SIZE - vser_tx_fill;
	size_t pages;

	if (len <= cur_room)
		return 1;
	pages = (len - cur_room + PAGE_SIZE - 1) / PAGE_SIZE;
	return pages <= vser_tx_nfree &&
	    pages + (vser_tx_cur >= 0) <= vser_txq.vr_num_free;
}

int
vser_reserve(size_t len)
{
	uint64_t start = monotonic_ns();

	for (;;) {
		vser_tx_done();
		if (tx_room(len))
			return 0;
		if (monotonic_ns() - start > TX_STALL_NS)
			return -XM_EAGAIN;
		vser_flush();
		dom0_wait(TX_WAIT_NS);
	}
}

void
vser_write(const void *p, size_t len)
{
	const uint8_t *s = p;
	size_t n;

	while (len > 0) {
		if (vser_tx_cur < 0) {
			if (vser_tx_nfree == 0)
				return;	/* not reserved: dropped */
			vser_tx_cur = vser_tx_free[--vser_tx_nfree];
			vser_tx_fill = 0;
		}
		n = PAGE_SIZE - vser_tx_fill;
		if (n > len)
			n = len;
		kmemcpy(vser_tx_pages[vser_tx_cur] + vser_tx_fill, s, n);
		vser_tx_fill += n;
		s += n;
		len -= n;
		if (vser_tx_fill == PAGE_SIZE)
			tx_submit();
	}
}

void
vser_flush(void)
{
	if (vser_tx_cur >= 0 && vser_tx_fill > 0)
		tx_submit();
	if (vser_tx_added && vring_want_notify(&vser_txq))
		virtio_notify(&vser_dev, vser_q_tx);
	vser_tx_added = 0;
}

const struct ctl_chan vser_chan = {
	.name = "virtio-serial",
	.irq_line = vser_irq_line,
	.intr = vser_intr,
	.rx = vser_rx,
	.reserve = vser_reserve,
	.write = vser_write,
	.flush = vser_flush,
	.tx_done = vser_tx_done,
};
