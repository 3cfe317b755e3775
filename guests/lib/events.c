/*
 * 2-level event channels on vCPU 0: the upcall demultiplexer, ports
 * and their handlers, and the guest's interrupt flag.
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/callback.h>
#include <xm/event_channel.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/version.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>

#define EVTCHN_WORD_BITS	64

struct evtchn_slot {
	evtchn_handler_t	*fn;
	void			*data;
};

static struct evtchn_slot evtchn_slots[XM_NR_EVENT_CHANNELS];
volatile uint64_t evtchn_delivered;
volatile uint64_t evtchn_spurious;

void	event_callback(void);
void	failsafe_callback(void);

#define barrier()	__asm__ volatile("" ::: "memory")

static inline uint64_t
port_bit(xm_evtchn_port_t port)
{
	return UINT64_C(1) << (port % EVTCHN_WORD_BITS);
}

static inline unsigned int
port_word(xm_evtchn_port_t port)
{
	return port / EVTCHN_WORD_BITS;
}

/* Any hypercall returns through hv's check for pending events. */
static void
force_evtchn_callback(void)
{
	(void)HYPERVISOR_xen_version(XM_XENVER_VERSION, NULL);
}

void
local_irq_disable(void)
{
	guest_vcpu_info()->evtchn_upcall_mask = 1;
	barrier();
}

void
local_irq_enable(void)
{
	volatile struct xm_vcpu_info *vi = guest_vcpu_info();

	barrier();
	vi->evtchn_upcall_mask = 0;
	barrier();
	if (vi->evtchn_upcall_pending)
		force_evtchn_callback();
}

int
local_irq_disabled(void)
{
	volatile struct xm_vcpu_info *vi = guest_vcpu_info();

	return vi->evtchn_upcall_mask != 0;
}

unsigned int
local_irq_save(void)
{
	unsigned int flags = local_irq_disabled();

	local_irq_disable();
	return flags;
}

void
local_irq_restore(unsigned int flags)
{
	if (!flags)
		local_irq_enable();
}

void
guest_block(void)
{
	HYPERVISOR_sched_op(XM_SCHEDOP_BLOCK, NULL);
}

static void
callbacks_init(void)
{
	struct xm_callback_register event = {
		.type = XM_CALLBACKTYPE_EVENT,
		.flags = XM_CALLBACKF_MASK_EVENTS,
		.address = (uint64_t)event_callback,
	};
	struct xm_callback_register failsafe = {
		.type = XM_CALLBACKTYPE_FAILSAFE,
		.flags = XM_CALLBACKF_MASK_EVENTS,
		.address = (uint64_t)failsafe_callback,
	};
	int rc;

	rc = HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER, &event);
	if (rc == 0)
		rc = HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER,
		    &failsafe);
	/* The older interface does both at once. */
	if (rc == -XM_ENOSYS)
		rc = HYPERVISOR_set_callbacks((uint64_t)event_callback,
		    (uint64_t)failsafe_callback, 0);
	if (rc < 0) {
		gprintf("guest: cannot register callbacks (%d)\n", rc);
		guest_shutdown(XM_SHUTDOWN_CRASH);
	}
}

static void
mask_all(void)
{
	unsigned int i;

	for (i = 0; i < 64; i++)
		__atomic_store_n(&guest_shared_info->evtchn_mask[i],
		    ~UINT64_C(0), __ATOMIC_SEQ_CST);
}

void
events_init(void)
{
	mask_all();
	callbacks_init();
	local_irq_enable();
}

/*
 * In a restored domain every port of the old one is gone, and a new
 * port may have an old one's number: no handler may be left to take
 * its events.  Pending bits stay: they are the new ports' own, and are
 * delivered when those are bound.  The callbacks came back with the
 * vCPU context; registering them again costs little and is sure.
 */
void
events_resume(void)
{
	unsigned int flags = local_irq_save();
	unsigned int i;

	mask_all();
	for (i = 0; i < XM_NR_EVENT_CHANNELS; i++)
		evtchn_slots[i] = (struct evtchn_slot){ NULL, NULL };
	callbacks_init();
	local_irq_restore(flags);
}

void
evtchn_mask(xm_evtchn_port_t port)
{
	__atomic_fetch_or(&guest_shared_info->evtchn_mask[port_word(port)],
	    port_bit(port), __ATOMIC_SEQ_CST);
}

/*
 * Done here rather than by EVTCHNOP_unmask: an event that came while
 * the port was masked left only its pending bit, so raise the selector
 * and upcall flags hv would have set, and take the upcall now if
 * events are enabled.
 */
void
evtchn_unmask(xm_evtchn_port_t port)
{
	struct xm_shared_info *s = guest_shared_info;
	volatile struct xm_vcpu_info *vi = guest_vcpu_info();
	unsigned int w = port_word(port);
	uint64_t sel = UINT64_C(1) << w;

	__atomic_fetch_and(&s->evtchn_mask[w], ~port_bit(port),
	    __ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) &
	    port_bit(port)))
		return;
	if (__atomic_fetch_or(&vi->evtchn_pending_sel, sel,
	    __ATOMIC_SEQ_CST) & sel)
		return;
	vi->evtchn_upcall_pending = 1;
	if (!vi->evtchn_upcall_mask)
		force_evtchn_callback();
}

int
evtchn_is_pending(xm_evtchn_port_t port)
{
	return (__atomic_load_n(&guest_shared_info->evtchn_pending[
	    port_word(port)], __ATOMIC_SEQ_CST) & port_bit(port)) != 0;
}

int
evtchn_is_masked(xm_evtchn_port_t port)
{
	return (__atomic_load_n(&guest_shared_info->evtchn_mask[
	    port_word(port)], __ATOMIC_SEQ_CST) & port_bit(port)) != 0;
}

int
evtchn_bind(xm_evtchn_port_t port, evtchn_handler_t *fn, void *data)
{
	unsigned int flags;

	if (port >= XM_NR_EVENT_CHANNELS)
		return -XM_EINVAL;
	flags = local_irq_save();
	evtchn_slots[port].fn = fn;
	evtchn_slots[port].data = data;
	local_irq_restore(flags);
	evtchn_unmask(port);
	return 0;
}

void
evtchn_unbind(xm_evtchn_port_t port)
{
	unsigned int flags;

	if (port >= XM_NR_EVENT_CHANNELS)
		return;
	evtchn_mask(port);
	flags = local_irq_save();
	evtchn_slots[port].fn = NULL;
	evtchn_slots[port].data = NULL;
	local_irq_restore(flags);
}

int
evtchn_bind_virq(uint32_t virq)
{
	struct xm_evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
	int rc;

	rc = HYPERVISOR_event_channel_op(XM_EVTCHNOP_BIND_VIRQ, &op);
	return rc < 0 ? rc : (int)op.port;
}

int
evtchn_alloc_unbound(xm_domid_t remote)
{
	return evtchn_alloc_unbound_in(XM_DOMID_SELF, remote);
}

int
evtchn_alloc_unbound_in(xm_domid_t dom, xm_domid_t remote)
{
	struct xm_evtchn_alloc_unbound op = {
		.dom = dom,
		.remote_dom = remote,
	};
	int rc;

	rc = HYPERVISOR_event_channel_op(XM_EVTCHNOP_ALLOC_UNBOUND, &op);
	return rc < 0 ? rc : (int)op.port;
}

int
evtchn_bind_interdomain(xm_domid_t remote, xm_evtchn_port_t port)
{
	struct xm_evtchn_bind_interdomain op = {
		.remote_dom = remote,
		.remote_port = port,
	};
	int rc;

	rc = HYPERVISOR_event_channel_op(XM_EVTCHNOP_BIND_INTERDOMAIN, &op);
	return rc < 0 ? rc : (int)op.local_port;
}

int
evtchn_notify(xm_evtchn_port_t port)
{
	struct xm_evtchn_send op = { .port = port };

	return HYPERVISOR_event_channel_op(XM_EVTCHNOP_SEND, &op);
}

int
evtchn_close(xm_evtchn_port_t port)
{
	struct xm_evtchn_close op = { .port = port };

	evtchn_unbind(port);
	return HYPERVISOR_event_channel_op(XM_EVTCHNOP_CLOSE, &op);
}

/* Clear the pending bit first, so that an event during fn is not lost. */
static void
evtchn_dispatch(xm_evtchn_port_t port)
{
	struct evtchn_slot *slot = &evtchn_slots[port];

	__atomic_fetch_and(&guest_shared_info->evtchn_pending[
	    port_word(port)], ~port_bit(port), __ATOMIC_SEQ_CST);
	if (slot->fn == NULL) {
		evtchn_spurious++;
		return;
	}
	evtchn_delivered++;
	slot->fn(port, slot->data);
}

static void
evtchn_scan_word(unsigned int w)
{
	struct xm_shared_info *s = guest_shared_info;
	uint64_t active;

	for (;;) {
		active = __atomic_load_n(&s->evtchn_pending[w],
		    __ATOMIC_SEQ_CST) & ~__atomic_load_n(&s->evtchn_mask[w],
		    __ATOMIC_SEQ_CST);
		if (active == 0)
			return;
		evtchn_dispatch(w * EVTCHN_WORD_BITS +
		    __builtin_ctzll(active));
	}
}

/*
 * Called with events masked.  Clear upcall_pending before taking the
 * selector, so that hv's next event raises it again and this loop
 * sees it.
 */
void
evtchn_do_upcall(void)
{
	volatile struct xm_vcpu_info *vi = guest_vcpu_info();
	uint64_t sel;

	while (vi->evtchn_upcall_pending) {
		vi->evtchn_upcall_pending = 0;
		sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
		    __ATOMIC_SEQ_CST);
		while (sel != 0) {
			evtchn_scan_word(__builtin_ctzll(sel));
			sel &= sel - 1;
		}
	}
}
