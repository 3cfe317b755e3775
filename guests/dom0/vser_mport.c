/*
 * The MULTIPORT handshake (see vser_mport.h).  The driver says
 * DEVICE_READY; the device adds each port (PORT_ADD); the driver says
 * the port is ready (PORT_READY) and open on its side (PORT_OPEN), and
 * only then does the device pass the host's bytes to it; the device
 * names the port (PORT_NAME) and says when the host side opens or
 * closes (PORT_OPEN).  Messages are 8 bytes, little-endian.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/hypercall.h>

#include <guest/mm.h>

#include "log.h"
#include "vring.h"
#include "vser_mport.h"

#define VC_DEVICE_READY	0
#define VC_PORT_ADD	1
#define VC_PORT_REMOVE	2
#define VC_PORT_READY	3
#define VC_CONSOLE_PORT	4
#define VC_RESIZE	5
#define VC_PORT_OPEN	6
#define VC_PORT_NAME	7

#define CRX_PAGES	4
#define CTX_SLOTS	(PAGE_SIZE / sizeof(struct vc_msg))

struct vc_msg {
	uint32_t	id;
	uint16_t	event;
	uint16_t	value;
};
_Static_assert(sizeof(struct vc_msg) == 8, "virtio_console_control");

static struct virtio_dev	*vm_dev;
static struct vring		 vm_crxq, vm_ctxq;
static uint16_t			 vm_port;	/* the one we open */
static int			 vm_host_open;
static unsigned int		 vm_ctx_next;
static uint16_t			 vm_crx_of[VRING_NUM_MAX];

static uint8_t vm_crx_pages[CRX_PAGES][PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));
static struct vc_msg vm_ctx_slots[CTX_SLOTS]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));

static void
crx_post(uint16_t page)
{
	int id;

	id = vring_add(&vm_crxq, virt_to_maddr(vm_crx_pages[page]),
	    PAGE_SIZE, 1);
	if (id >= 0)
		vm_crx_of[id] = page;
}

int
vmport_init(struct virtio_dev *vd, uint16_t port, int force_exchange)
{
	uint16_t i;
	int rc;

	vm_dev = vd;
	vm_port = port;
	rc = virtio_queue_setup(vd, VMPORT_Q_CRX, &vm_crxq, force_exchange);
	if (rc == 0)
		rc = virtio_queue_setup(vd, VMPORT_Q_CTX, &vm_ctxq,
		    force_exchange);
	if (rc < 0)
		return rc;
	for (i = 0; i < CRX_PAGES && i < vm_crxq.vr_num; i++)
		crx_post(i);
	return 0;
}

/* One message to the device; its slot is reused a page of them later. */
static void
send_msg(uint32_t id, uint16_t event, uint16_t value)
{
	struct vc_msg *m;
	uint32_t len;

	while (vring_take(&vm_ctxq, &len) >= 0)
		;
	m = &vm_ctx_slots[vm_ctx_next++ % CTX_SLOTS];
	m->id = id;
	m->event = event;
	m->value = value;
	if (vring_add(&vm_ctxq, virt_to_maddr(m), sizeof(*m), 0) < 0) {
		dlog("control port: the virtio-serial control queue is full; "
		    "event %u for port %u lost", event, id);
		return;
	}
	virtio_notify(vm_dev, VMPORT_Q_CTX);
}

void
vmport_start(void)
{
	virtio_notify(vm_dev, VMPORT_Q_CRX);
	send_msg(0, VC_DEVICE_READY, 1);
}

static void
handle(const struct vc_msg *m, const uint8_t *extra, size_t n)
{
	char name[64];

	switch (m->event) {
	case VC_PORT_ADD:
		/* Ports but ours are ready and stay closed on our side. */
		send_msg(m->id, VC_PORT_READY, 1);
		if (m->id == vm_port)
			send_msg(m->id, VC_PORT_OPEN, 1);
		break;
	case VC_PORT_NAME:
		n = n < sizeof(name) - 1 ? n : sizeof(name) - 1;
		kmemcpy(name, extra, n);
		name[n] = '\0';
		dlog("control port: virtio-serial port %u is '%s'%s", m->id,
		    name, m->id == vm_port ? " (ours)" : "");
		break;
	case VC_PORT_OPEN:
		if (m->id == vm_port)
			vm_host_open = m->value != 0;
		break;
	default:
		break;			/* consoles, resizes, removals */
	}
}

void
vmport_poll(void)
{
	struct vc_msg m;
	uint32_t len;
	uint16_t page;
	int id, got = 0;

	if (vm_dev == NULL)
		return;
	while ((id = vring_take(&vm_crxq, &len)) >= 0) {
		page = vm_crx_of[id];
		if (len >= sizeof(m)) {
			kmemcpy(&m, vm_crx_pages[page], sizeof(m));
			handle(&m, vm_crx_pages[page] + sizeof(m),
			    len - sizeof(m));
		}
		crx_post(page);
		got = 1;
	}
	if (got && vring_want_notify(&vm_crxq))
		virtio_notify(vm_dev, VMPORT_Q_CRX);
}

int
vmport_host_open(void)
{
	return vm_host_open;
}
