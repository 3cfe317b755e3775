/*
 * Event channels. A port belongs to one domain; notifying it sets its
 * pending bit in the domain's shared_info, then (unless masked) the
 * selector bit and upcall_pending of the vCPU it notifies, and wakes that
 * vCPU. Interdomain channels join two ports of two domains.
 *
 * One lock for all channels keeps interdomain binding simple and safe on
 * SMP; per-domain locks come with the control plane.
 *
 * A domain's ports sit in buckets of EVTCHN_BUCKET_PORTS, allocated when
 * the lowest free port falls in one not there yet: most domains use a
 * handful of ports, and hv's memory per domain stays small (Xen grows
 * its port table the same way).  A port in a missing bucket is free.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/event_channel.h>
#include <xm/hypercall.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/heap.h>
#include <hv/hypercall.h>
#include <hv/ioapic.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/spinlock.h>

static spinlock_t evtchn_lock = SPINLOCK_INIT;

static struct evtchn *evtchn_bucket_new(struct domain *, unsigned int);

int
evtchn_init(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < 24; i++)
		d->virq_port[i] = 0;
	return evtchn_bucket_new(d, 0) != NULL ? 0 : -XM_ENOMEM;
}

/* Port's channel, or NULL when out of range or in a missing bucket. */
static struct evtchn *
chan(struct domain *d, uint32_t port)
{
	struct evtchn *b;

	if (port >= EVTCHN_MAX_PORTS)
		return NULL;
	b = d->evtchn[port / EVTCHN_BUCKET_PORTS];
	return b != NULL ? &b[port % EVTCHN_BUCKET_PORTS] : NULL;
}

/* Caller holds evtchn_lock (or d is not yet visible to anyone). */
static struct evtchn *
evtchn_bucket_new(struct domain *d, unsigned int bucket)
{
	struct evtchn *b = hv_alloc(EVTCHN_BUCKET_PORTS * sizeof(*b));

	if (b != NULL) {
		kmemset(b, 0, EVTCHN_BUCKET_PORTS * sizeof(*b));
		d->evtchn[bucket] = b;
	}
	return b;
}

static bool
test_and_set(uint64_t *word, unsigned int bit)
{
	uint64_t mask = 1ULL << bit;

	return __atomic_fetch_or(word, mask, __ATOMIC_SEQ_CST) & mask;
}

/* End v's SCHEDOP_poll if it waits for want (or any port): true if so. */
static bool
end_poll(struct vcpu *v, uint64_t want)
{
	uint64_t polls = __atomic_load_n(&v->poll_mask_port, __ATOMIC_SEQ_CST);

	if (polls == 0 || (polls != VCPU_POLL_ANY && want != VCPU_POLL_ANY &&
	    polls != want))
		return false;
	return __atomic_compare_exchange_n(&v->poll_mask_port, &polls, 0,
	    false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/*
 * Wake each vCPU of d polling port, whichever vCPU the port notifies and
 * whether or not it is masked: pollers usually mask the ports they poll
 * (Linux's spinlock kicker), and Xen wakes them all the same.
 */
static void
wake_pollers(struct domain *d, unsigned int port)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus && i < HV_MAX_VCPUS; i++)
		if (d->vcpus[i] != NULL && end_poll(d->vcpus[i], port + 1))
			vcpu_wake(d->vcpus[i]);
}

/* Mark port pending in d and kick the vCPU it notifies. */
static void
set_pending(struct domain *d, unsigned int port)
{
	struct xm_shared_info *s = d->shared_info;
	struct evtchn *c = chan(d, port);
	struct vcpu *v = c != NULL ? d->vcpus[c->notify_vcpu] : NULL;

	if (v == NULL || test_and_set(&s->evtchn_pending[port / 64],
	    port % 64))
		return;
	stats_event_received(d);
	if (!(s->evtchn_mask[port / 64] & (1ULL << (port % 64))) &&
	    !test_and_set(&v->vcpu_info->evtchn_pending_sel, port / 64)) {
		v->vcpu_info->evtchn_upcall_pending = 1;
		end_poll(v, VCPU_POLL_ANY);	/* a new upcall ends it too */
		vcpu_wake(v);
	}
	wake_pollers(d, port);
}

/* The lowest free port, as Xen gives; its bucket is made if need be. */
static int
alloc_port(struct domain *d)
{
	unsigned int p;
	struct evtchn *c;

	for (p = 1; p < EVTCHN_MAX_PORTS; p++) {
		c = chan(d, p);
		if (c == NULL && evtchn_bucket_new(d,
		    p / EVTCHN_BUCKET_PORTS) == NULL)
			return -XM_ENOMEM;
		if (c == NULL || c->state == ECS_FREE)
			return (int)p;
	}
	return -XM_ENOSPC;
}

static struct domain *
domain_of(uint16_t id)
{
	struct vcpu *v = current_vcpu();

	return id == XM_DOMID_SELF ? v->domain : domain_get(id);
}

static bool
port_ok(struct domain *d, uint32_t port)
{
	struct evtchn *c = chan(d, port);

	return port > 0 && c != NULL && c->state != ECS_FREE;
}

int
evtchn_alloc_unbound_for(struct domain *d, uint16_t remote, uint32_t *port)
{
	int p;

	spin_lock(&evtchn_lock);
	p = alloc_port(d);
	if (p > 0) {
		*chan(d, (uint32_t)p) = (struct evtchn){ ECS_UNBOUND, 0, remote,
		    0, 0 };
		*port = (uint32_t)p;
	}
	spin_unlock(&evtchn_lock);
	return p > 0 ? 0 : p;
}

static long
op_alloc_unbound(struct xm_evtchn_alloc_unbound *a)
{
	struct domain *self = current_vcpu()->domain, *d;

	d = domain_of(a->dom);
	/* Only domain 0 may make ports in another domain. */
	if (d == NULL || (d != self && !self->privileged))
		return d == NULL ? -XM_ESRCH : -XM_EPERM;
	return evtchn_alloc_unbound_for(d, a->remote_dom == XM_DOMID_SELF ?
	    self->id : a->remote_dom, &a->port);
}

static long
op_bind_interdomain(struct xm_evtchn_bind_interdomain *b)
{
	struct domain *ld = current_vcpu()->domain, *rd;
	struct evtchn *rc;
	long rc_val;
	int p;

	rd = domain_of(b->remote_dom);
	if (rd == NULL)
		return -XM_ESRCH;
	spin_lock(&evtchn_lock);
	rc_val = -XM_EINVAL;
	if (b->remote_port == 0 || (rc = chan(rd, b->remote_port)) == NULL)
		goto out;
	if (rc->state != ECS_UNBOUND || rc->remote_dom != ld->id)
		goto out;
	p = alloc_port(ld);
	if (p < 0 || (rd == ld && (uint32_t)p == b->remote_port)) {
		rc_val = p < 0 ? p : -XM_EINVAL;
		goto out;
	}
	*chan(ld, (uint32_t)p) = (struct evtchn){ ECS_INTERDOMAIN, 0, rd->id,
	    b->remote_port, 0 };
	rc->state = ECS_INTERDOMAIN;
	rc->remote_dom = ld->id;
	rc->remote_port = (uint32_t)p;
	b->local_port = (uint32_t)p;
	/* Events sent to the unbound port may be lost: raise one here. */
	set_pending(ld, (unsigned int)p);
	rc_val = 0;
out:
	spin_unlock(&evtchn_lock);
	return rc_val;
}

/*
 * As in Xen, the timer, debug and profiling VIRQs are each vCPU's own:
 * every vCPU may bind its own port to them.  The others are the
 * domain's, bound once (vCPU 0 first, EVTCHNOP_bind_vcpu moves them).
 */
static bool
virq_is_global(unsigned int virq)
{
	return virq != XM_VIRQ_TIMER && virq != XM_VIRQ_DEBUG &&
	    virq != XM_VIRQ_XENOPROF && virq != XM_VIRQ_XENPMU;
}

/* Where the port bound to virq for vCPU vcpu is kept. */
static unsigned int *
virq_slot(struct domain *d, unsigned int vcpu, unsigned int virq)
{
	if (virq_is_global(virq) || d->vcpus[vcpu] == NULL)
		return &d->virq_port[virq];
	return &d->vcpus[vcpu]->virq_port[virq];
}

static long
op_bind_virq(struct xm_evtchn_bind_virq *b)
{
	struct domain *d = current_vcpu()->domain;
	unsigned int *slot;
	int p;

	if (b->virq >= 24)
		return -XM_EINVAL;
	if (b->vcpu >= d->max_vcpus || d->vcpus[b->vcpu] == NULL)
		return -XM_ENOENT;
	if (virq_is_global(b->virq) && b->vcpu != 0)
		return -XM_EINVAL;
	if (b->virq == XM_VIRQ_DOM_EXC && !d->privileged)
		return -XM_EPERM;
	spin_lock(&evtchn_lock);
	slot = virq_slot(d, b->vcpu, b->virq);
	if (*slot != 0) {
		spin_unlock(&evtchn_lock);
		return -XM_EEXIST;
	}
	p = alloc_port(d);
	if (p > 0) {
		*chan(d, (uint32_t)p) = (struct evtchn){ ECS_VIRQ,
		    (uint8_t)b->vcpu, 0, 0, b->virq };
		*slot = (unsigned int)p;
		b->port = (uint32_t)p;
	}
	spin_unlock(&evtchn_lock);
	return p > 0 ? 0 : p;
}

static long
op_bind_pirq(struct xm_evtchn_bind_pirq *b)
{
	struct domain *d = current_vcpu()->domain;
	int p;
	long rc;

	if (!d->privileged)
		return -XM_EPERM;
	spin_lock(&evtchn_lock);
	p = alloc_port(d);
	if (p < 0) {
		spin_unlock(&evtchn_lock);
		return p;
	}
	*chan(d, (uint32_t)p) = (struct evtchn){ ECS_PIRQ, 0, 0, 0, b->pirq };
	spin_unlock(&evtchn_lock);
	rc = pirq_bind(d, b->pirq, (unsigned int)p);
	if (rc != 0) {
		spin_lock(&evtchn_lock);
		kmemset(chan(d, (uint32_t)p), 0, sizeof(struct evtchn));
		spin_unlock(&evtchn_lock);
		return rc;
	}
	b->port = (uint32_t)p;
	return 0;
}

void
evtchn_send_pirq(struct domain *d, unsigned int port)
{
	spin_lock(&evtchn_lock);
	if (port_ok(d, port) && chan(d, port)->state == ECS_PIRQ)
		set_pending(d, port);
	spin_unlock(&evtchn_lock);
}

static long
op_bind_ipi(struct xm_evtchn_bind_ipi *b)
{
	struct domain *d = current_vcpu()->domain;
	int p;

	if (b->vcpu >= d->max_vcpus || d->vcpus[b->vcpu] == NULL)
		return -XM_ENOENT;
	spin_lock(&evtchn_lock);
	p = alloc_port(d);
	if (p > 0) {
		*chan(d, (uint32_t)p) = (struct evtchn){ ECS_IPI,
		    (uint8_t)b->vcpu, 0, 0, 0 };
		b->port = (uint32_t)p;
	}
	spin_unlock(&evtchn_lock);
	return p > 0 ? 0 : p;
}

/* Caller holds evtchn_lock. */
static void
close_port(struct domain *d, uint32_t port)
{
	struct evtchn *c = chan(d, port), *rc;

	if (c->state == ECS_VIRQ && c->virq < 24)
		*virq_slot(d, c->notify_vcpu, c->virq) = 0;
	if (c->state == ECS_PIRQ)
		pirq_unbind(d, c->virq);
	if (c->state == ECS_INTERDOMAIN) {
		struct domain *rd = domain_get(c->remote_dom);

		/* The other end goes back to waiting for a bind. */
		rc = rd != NULL ? chan(rd, c->remote_port) : NULL;
		if (rc != NULL && rc->state == ECS_INTERDOMAIN &&
		    rc->remote_port == port) {
			rc->state = ECS_UNBOUND;
			rc->remote_dom = d->id;
		}
	}
	kmemset(c, 0, sizeof(*c));
}

static long
op_close(struct xm_evtchn_close *c)
{
	struct domain *d = current_vcpu()->domain;
	long rc = -XM_EINVAL;

	spin_lock(&evtchn_lock);
	if (port_ok(d, c->port)) {
		close_port(d, c->port);
		rc = 0;
	}
	spin_unlock(&evtchn_lock);
	return rc;
}

void
evtchn_send_port(struct domain *d, unsigned int port)
{
	struct evtchn *c;
	struct domain *rd;

	spin_lock(&evtchn_lock);
	if (port_ok(d, port)) {
		c = chan(d, port);
		switch (c->state) {
		case ECS_INTERDOMAIN:
			rd = domain_get(c->remote_dom);
			if (rd != NULL && chan(rd, c->remote_port) != NULL)
				set_pending(rd, c->remote_port);
			break;
		case ECS_IPI:
			set_pending(d, port);
			break;
		case ECS_UNBOUND:
			break;		/* nobody listens yet: dropped, as Xen does */
		default:
			break;
		}
	}
	spin_unlock(&evtchn_lock);
}

static long
op_send(struct xm_evtchn_send *s)
{
	struct domain *d = current_vcpu()->domain;

	if (!port_ok(d, s->port))
		return -XM_EINVAL;
	current_vcpu()->stats.events_sent++;
	evtchn_send_port(d, s->port);
	return 0;
}

static long
op_status(struct xm_evtchn_status *st)
{
	struct domain *self = current_vcpu()->domain, *d;
	struct evtchn free = { ECS_FREE, 0, 0, 0, 0 }, *c;
	static const uint32_t stat[] = {
		[ECS_FREE] = XM_EVTCHNSTAT_CLOSED,
		[ECS_UNBOUND] = XM_EVTCHNSTAT_UNBOUND,
		[ECS_INTERDOMAIN] = XM_EVTCHNSTAT_INTERDOMAIN,
		[ECS_PIRQ] = XM_EVTCHNSTAT_PIRQ,
		[ECS_VIRQ] = XM_EVTCHNSTAT_VIRQ,
		[ECS_IPI] = XM_EVTCHNSTAT_IPI,
	};

	d = domain_of(st->dom);
	if (d == NULL)
		return -XM_ESRCH;
	if (d != self && !self->privileged)
		return -XM_EPERM;
	if (st->port >= EVTCHN_MAX_PORTS)
		return -XM_EINVAL;
	spin_lock(&evtchn_lock);
	if ((c = chan(d, st->port)) == NULL)
		c = &free;
	st->status = stat[c->state];
	st->vcpu = c->notify_vcpu;
	kmemset(&st->u, 0, sizeof(st->u));
	if (c->state == ECS_UNBOUND)
		st->u.unbound.dom = c->remote_dom;
	else if (c->state == ECS_INTERDOMAIN) {
		st->u.interdomain.dom = c->remote_dom;
		st->u.interdomain.port = c->remote_port;
	} else if (c->state == ECS_VIRQ || c->state == ECS_PIRQ)
		st->u.virq = c->virq;
	spin_unlock(&evtchn_lock);
	return 0;
}

static long
op_bind_vcpu(struct xm_evtchn_bind_vcpu *b)
{
	struct domain *d = current_vcpu()->domain;
	long rc = -XM_EINVAL;

	if (b->vcpu >= d->max_vcpus || d->vcpus[b->vcpu] == NULL)
		return -XM_ENOENT;
	spin_lock(&evtchn_lock);
	if (port_ok(d, b->port)) {
		struct evtchn *c = chan(d, b->port);

		/* Per-vCPU VIRQs and IPIs stay where they were bound. */
		if (c->state == ECS_INTERDOMAIN || c->state == ECS_UNBOUND ||
		    c->state == ECS_PIRQ || (c->state == ECS_VIRQ &&
		    virq_is_global(c->virq))) {
			c->notify_vcpu = (uint8_t)b->vcpu;
			rc = 0;
		}
	}
	spin_unlock(&evtchn_lock);
	return rc;
}

static long
op_unmask(struct xm_evtchn_unmask *u)
{
	struct domain *d = current_vcpu()->domain;
	struct xm_shared_info *s = d->shared_info;
	unsigned int port = u->port;

	if (port >= EVTCHN_MAX_PORTS)
		return -XM_EINVAL;
	spin_lock(&evtchn_lock);
	__atomic_and_fetch(&s->evtchn_mask[port / 64], ~(1ULL << (port % 64)),
	    __ATOMIC_SEQ_CST);
	if ((s->evtchn_pending[port / 64] & (1ULL << (port % 64))) &&
	    port_ok(d, port)) {
		struct vcpu *v = d->vcpus[chan(d, port)->notify_vcpu];

		if (v != NULL && !test_and_set(&v->vcpu_info->
		    evtchn_pending_sel, port / 64)) {
			v->vcpu_info->evtchn_upcall_pending = 1;
			vcpu_wake(v);
		}
	}
	spin_unlock(&evtchn_lock);
	return 0;
}

void
evtchn_send_virq_vcpu(struct vcpu *v, unsigned int virq)
{
	struct domain *d = v->domain;
	unsigned int port;

	spin_lock(&evtchn_lock);
	port = *virq_slot(d, v->id, virq);
	if (port != 0 && chan(d, port)->notify_vcpu == v->id)
		set_pending(d, port);
	spin_unlock(&evtchn_lock);
}

void
evtchn_send_virq(struct domain *d, unsigned int virq)
{
	unsigned int port;

	spin_lock(&evtchn_lock);
	port = *virq_slot(d, 0, virq);
	if (port != 0)
		set_pending(d, port);
	spin_unlock(&evtchn_lock);
}

void
evtchn_send_dom_exc(void)
{
	struct domain *d0 = domain_get(0);

	if (d0 != NULL && d0->state == DOMAIN_RUNNING)
		evtchn_send_virq(d0, XM_VIRQ_DOM_EXC);
}

void
evtchn_destroy(struct domain *d)
{
	unsigned int p, b;

	spin_lock(&evtchn_lock);
	for (p = 1; p < EVTCHN_MAX_PORTS; p++)
		if (port_ok(d, p))
			close_port(d, p);
	for (b = 0; b < EVTCHN_BUCKETS; b++) {
		hv_free(d->evtchn[b]);
		d->evtchn[b] = NULL;
	}
	spin_unlock(&evtchn_lock);
}

/* Untyped entry points for the table below. */
#define EVTCHN_OP(fn, type)						\
	static long fn##_v(void *p) { return fn((struct type *)p); }
EVTCHN_OP(op_bind_interdomain, xm_evtchn_bind_interdomain)
EVTCHN_OP(op_bind_virq, xm_evtchn_bind_virq)
EVTCHN_OP(op_close, xm_evtchn_close)
EVTCHN_OP(op_send, xm_evtchn_send)
EVTCHN_OP(op_status, xm_evtchn_status)
EVTCHN_OP(op_alloc_unbound, xm_evtchn_alloc_unbound)
EVTCHN_OP(op_bind_ipi, xm_evtchn_bind_ipi)
EVTCHN_OP(op_bind_pirq, xm_evtchn_bind_pirq)
EVTCHN_OP(op_bind_vcpu, xm_evtchn_bind_vcpu)
EVTCHN_OP(op_unmask, xm_evtchn_unmask)

/* The sub-operations: argument size and handler, one row each. */
typedef long (*evtchn_handler_t)(void *);
static const struct {
	unsigned int		size;
	evtchn_handler_t	fn;
	bool			copy_back;
} evtchn_ops[] = {
	[XM_EVTCHNOP_BIND_INTERDOMAIN] = { sizeof(struct
	    xm_evtchn_bind_interdomain), op_bind_interdomain_v,
	    true },
	[XM_EVTCHNOP_BIND_VIRQ] = { sizeof(struct xm_evtchn_bind_virq),
	    op_bind_virq_v, true },
	[XM_EVTCHNOP_CLOSE] = { sizeof(struct xm_evtchn_close),
	    op_close_v, false },
	[XM_EVTCHNOP_SEND] = { sizeof(struct xm_evtchn_send),
	    op_send_v, false },
	[XM_EVTCHNOP_STATUS] = { sizeof(struct xm_evtchn_status),
	    op_status_v, true },
	[XM_EVTCHNOP_ALLOC_UNBOUND] = { sizeof(struct xm_evtchn_alloc_unbound),
	    op_alloc_unbound_v, true },
	[XM_EVTCHNOP_BIND_PIRQ] = { sizeof(struct xm_evtchn_bind_pirq),
	    op_bind_pirq_v, true },
	[XM_EVTCHNOP_BIND_IPI] = { sizeof(struct xm_evtchn_bind_ipi),
	    op_bind_ipi_v, true },
	[XM_EVTCHNOP_BIND_VCPU] = { sizeof(struct xm_evtchn_bind_vcpu),
	    op_bind_vcpu_v, false },
	[XM_EVTCHNOP_UNMASK] = { sizeof(struct xm_evtchn_unmask),
	    op_unmask_v, false },
};

/* The ABI's command is an int: only the low 32 bits count. */
long
do_event_channel_op(uint64_t cmd64, uint64_t arg)
{
	unsigned int cmd = (unsigned int)cmd64;
	uint64_t buf[4];
	long rc;

	_Static_assert(sizeof(buf) >= sizeof(struct xm_evtchn_status),
	    "evtchn argument buffer");
	if (cmd >= sizeof(evtchn_ops) / sizeof(evtchn_ops[0]) ||
	    evtchn_ops[cmd].fn == NULL)
		return -XM_ENOSYS;
	if (copy_from_guest(buf, arg, evtchn_ops[cmd].size) != 0)
		return -XM_EFAULT;
	rc = evtchn_ops[cmd].fn(buf);
	if (rc == 0 && evtchn_ops[cmd].copy_back &&
	    copy_to_guest(arg, buf, evtchn_ops[cmd].size) != 0)
		return -XM_EFAULT;
	return rc;
}
