/*
 * The xenstore client (see guest/xs.h).  The page holds two byte rings
 * with free-running 32-bit indexes: we produce into req and consume
 * from rsp.  As in a Xen guest, the other side's index is read with
 * acquire order before the bytes it covers, and ours is published with
 * release order after the bytes we wrote or read, then the port is
 * notified.  Waiting is SCHEDOP_block with events off between the test
 * and the block, and a one-shot timer for the deadline.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/format.h>
#include <klib/parse.h>
#include <klib/string.h>

#include <xm/xen_core.h>
#include <xm/xs_wire.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/mm.h>
#include <guest/time.h>
#include <guest/xs.h>

#define RING_SIZE	sizeof(((struct xm_xs_interface *)0)->req)

_Static_assert(RING_SIZE == XM_XS_RING_SIZE, "xenstore ring size");

struct xs_event {
	char	path[XS_EVENT_STR_MAX];
	char	token[XS_EVENT_STR_MAX];
};

struct seg {
	const void	*p;
	size_t		 n;
};

static struct xm_xs_interface *xs_page;
static xm_evtchn_port_t	xs_port;
static uint32_t		xs_req_id;
static uint64_t		xs_timeout = XS_TIMEOUT_NS;
static char		xs_err[16] = "ENODEV";
/* One message in, its payload NUL-terminated. */
static char		xs_body[XM_XS_PAYLOAD_MAX + 1];
static struct xs_event	xs_events[XS_EVENTS_MAX];
static unsigned int	xs_ev_head, xs_ev_count, xs_ev_lost;

static int
fail(const char *name)
{
	kstrlcpy(xs_err, name, sizeof(xs_err));
	return -1;
}

const char *
xs_error(void)
{
	return xs_err;
}

void
xs_set_timeout(uint64_t ns)
{
	xs_timeout = ns;
}

uint32_t
xs_next_req_id(void)
{
	return ++xs_req_id;
}

/* The event only wakes us from guest_block(); the rings say the rest. */
static void
xs_event_cb(xm_evtchn_port_t port, void *data)
{
	(void)port, (void)data;
}

int
xs_init(void)
{
	const struct xm_start_info *si = guest_start_info;
	int rc;

	if (si->store_mfn == 0 || si->store_evtchn == 0)
		return fail("ENODEV");
	if ((rc = timer_init()) < 0)
		return fail("ENOSYS");
	xs_page = pfn_to_virt(mfn_to_pfn(si->store_mfn));
	xs_port = si->store_evtchn;
	if (evtchn_bind(xs_port, xs_event_cb, NULL) < 0) {
		xs_page = NULL;
		return fail("ENODEV");
	}
	return 0;
}

/*
 * After a restore the page is the same pfn on a new frame and the port
 * is new; the store on the other side is a new connection that owes us
 * nothing and has none of our watches.  What the old one had put in
 * rsp (at most the tail of a watch event: a call's answer is taken
 * before the call returns) is dropped, as Linux's xb_init_comms does.
 */
int
xs_resume(void)
{
	if (xs_page == NULL)
		return 0;
	xs_page = NULL;
	if (xs_init() != 0)
		return -1;
	if (xs_page->req_prod != xs_page->req_cons)
		gprintf("xs: %u request bytes left unread by the store\n",
		    xs_page->req_prod - xs_page->req_cons);
	__atomic_store_n(&xs_page->rsp_cons, __atomic_load_n(
	    &xs_page->rsp_prod, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
	xs_ev_head = xs_ev_count = 0;
	return 0;
}

/*
 * Wait until ready() holds or the deadline passes: 0 or -1.  Events
 * are off while ready() is tested and the timer armed, so that an
 * event cannot come between the test and the block unnoticed.
 */
static int
wait_for(int (*ready)(void), uint64_t deadline)
{
	for (;;) {
		local_irq_disable();
		if (ready()) {
			local_irq_enable();
			return 0;
		}
		if (monotonic_ns() >= deadline) {
			local_irq_enable();
			return -1;
		}
		if (timer_set_oneshot(deadline) < 0)
			(void)timer_set_timer_op(deadline);
		guest_block();
	}
}

static int
req_has_room(void)
{
	uint32_t cons = __atomic_load_n(&xs_page->req_cons, __ATOMIC_ACQUIRE);

	return xs_page->req_prod - cons < RING_SIZE;
}

static int
rsp_has_data(void)
{
	uint32_t prod = __atomic_load_n(&xs_page->rsp_prod, __ATOMIC_ACQUIRE);

	return prod != xs_page->rsp_cons;
}

/* n bytes into req, as room comes: 0 or -1 (ETIMEDOUT). */
static int
ring_put(const void *buf, size_t n, uint64_t deadline)
{
	const char *p = buf;
	uint32_t prod, cons, room;

	while (n > 0) {
		if (wait_for(req_has_room, deadline) != 0)
			return fail("ETIMEDOUT");
		prod = xs_page->req_prod;
		cons = __atomic_load_n(&xs_page->req_cons, __ATOMIC_ACQUIRE);
		room = RING_SIZE - (prod - cons);
		if (room > RING_SIZE)
			return fail("EPROTO");	/* indexes gone wrong */
		while (room > 0 && n > 0) {
			xs_page->req[XM_XS_RING_IDX(prod)] = *p++;
			prod++, room--, n--;
		}
		__atomic_store_n(&xs_page->req_prod, prod, __ATOMIC_RELEASE);
		evtchn_notify(xs_port);
	}
	return 0;
}

/* n bytes out of rsp, as they come: 0 or -1 (ETIMEDOUT). */
static int
ring_get(void *buf, size_t n, uint64_t deadline)
{
	char *p = buf;
	uint32_t prod, cons, avail;

	while (n > 0) {
		if (wait_for(rsp_has_data, deadline) != 0)
			return fail("ETIMEDOUT");
		cons = xs_page->rsp_cons;
		prod = __atomic_load_n(&xs_page->rsp_prod, __ATOMIC_ACQUIRE);
		avail = prod - cons;
		if (avail > RING_SIZE)
			return fail("EPROTO");
		while (avail > 0 && n > 0) {
			*p++ = xs_page->rsp[XM_XS_RING_IDX(cons)];
			cons++, avail--, n--;
		}
		__atomic_store_n(&xs_page->rsp_cons, cons, __ATOMIC_RELEASE);
		evtchn_notify(xs_port);
	}
	return 0;
}

/* "path\0token\0" of a watch event, queued; the oldest goes if full. */
static void
event_queue(const char *pl, uint32_t len)
{
	struct xs_event *e;
	size_t plen = kstrnlen(pl, len);

	if (plen + 1 >= len)
		return;			/* no token: not an event */
	if (xs_ev_count == XS_EVENTS_MAX) {
		xs_ev_head = (xs_ev_head + 1) % XS_EVENTS_MAX;
		xs_ev_count--;
		xs_ev_lost++;
	}
	e = &xs_events[(xs_ev_head + xs_ev_count) % XS_EVENTS_MAX];
	kstrlcpy(e->path, pl, sizeof(e->path));
	kstrlcpy(e->token, pl + plen + 1, sizeof(e->token));
	xs_ev_count++;
}

/* One message into h and xs_body; watch events are queued too. */
static int
msg_get(struct xm_xs_hdr *h, uint64_t deadline)
{
	if (ring_get(h, sizeof(*h), deadline) != 0)
		return -1;
	if (h->len > XM_XS_PAYLOAD_MAX)
		return fail("EPROTO");
	if (ring_get(xs_body, h->len, deadline) != 0)
		return -1;
	xs_body[h->len] = '\0';
	if (h->type == XM_XS_WATCH_EVENT)
		event_queue(xs_body, h->len);
	return 0;
}

/* The answer to req_id, skipping events and strays. */
static int
answer_get(uint32_t req_id, struct xm_xs_hdr *h, uint64_t deadline)
{
	for (;;) {
		if (msg_get(h, deadline) != 0)
			return -1;
		if (h->type == XM_XS_WATCH_EVENT)
			continue;
		if (h->req_id == req_id)
			return 0;
		gprintf("xs: a stray answer (type %u, req_id %u)\n", h->type,
		    h->req_id);
	}
}

/* Copy the answer's payload out: 0, or -1 (ERANGE). */
static int
answer_copy(const struct xm_xs_hdr *h, char *buf, size_t size)
{
	if (buf == NULL)
		return 0;
	if (h->len + 1 > size)
		return fail("ERANGE");
	kmemcpy(buf, xs_body, h->len + 1);
	return 0;
}

/*
 * One request of the payload segments, its answer in buf (NUL after
 * it; *len its length).  An XS_ERROR answer is -1 with its name.
 */
static int
talk(uint32_t type, uint32_t tx, const struct seg *segs, unsigned int nseg,
    char *buf, size_t size, size_t *len)
{
	uint64_t deadline = monotonic_ns() + xs_timeout;
	struct xm_xs_hdr h = { .type = type, .tx_id = tx };
	unsigned int i;

	if (xs_page == NULL)
		return fail("ENODEV");
	for (i = 0; i < nseg; i++)
		h.len += (uint32_t)segs[i].n;
	if (h.len > XM_XS_PAYLOAD_MAX)
		return fail("E2BIG");
	h.req_id = xs_next_req_id();
	if (ring_put(&h, sizeof(h), deadline) != 0)
		return -1;
	for (i = 0; i < nseg; i++)
		if (ring_put(segs[i].p, segs[i].n, deadline) != 0)
			return -1;
	if (answer_get(h.req_id, &h, deadline) != 0)
		return -1;
	if (h.type == XM_XS_ERROR)
		return fail(h.len > 0 ? xs_body : "EPROTO");
	if (h.type != type)
		return fail("EPROTO");
	if (len != NULL)
		*len = h.len;
	return answer_copy(&h, buf, size);
}

/* A request whose payload is one string and its NUL. */
static int
talk_str(uint32_t type, uint32_t tx, const char *s, char *buf, size_t size,
    size_t *len)
{
	struct seg seg = { s, kstrlen(s) + 1 };

	return talk(type, tx, &seg, 1, buf, size, len);
}

int
xs_read(uint32_t tx, const char *path, char *buf, size_t size)
{
	return talk_str(XM_XS_READ, tx, path, buf, size, NULL);
}

int
xs_write_len(uint32_t tx, const char *path, const void *val, size_t len)
{
	struct seg segs[2] = { { path, kstrlen(path) + 1 }, { val, len } };

	return talk(XM_XS_WRITE, tx, segs, 2, NULL, 0, NULL);
}

int
xs_write(uint32_t tx, const char *path, const char *val)
{
	return xs_write_len(tx, path, val, kstrlen(val));
}

int
xs_mkdir(uint32_t tx, const char *path)
{
	return talk_str(XM_XS_MKDIR, tx, path, NULL, 0, NULL);
}

int
xs_rm(uint32_t tx, const char *path)
{
	return talk_str(XM_XS_RM, tx, path, NULL, 0, NULL);
}

/* NUL-separated strings in buf[0..len): how many. */
static unsigned int
count_strings(const char *buf, size_t len)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		n += buf[i] == '\0';
	return n;
}

int
xs_directory(uint32_t tx, const char *path, char *buf, size_t size,
    unsigned int *count)
{
	size_t len;

	if (talk_str(XM_XS_DIRECTORY, tx, path, buf, size, &len) != 0)
		return -1;
	if (count != NULL)
		*count = count_strings(buf, len);
	return 0;
}

int
xs_get_perms(uint32_t tx, const char *path, char *buf, size_t size)
{
	size_t len, i;

	if (talk_str(XM_XS_GET_PERMS, tx, path, buf, size, &len) != 0)
		return -1;
	for (i = 0; len > 0 && i < len - 1; i++)
		if (buf[i] == '\0')
			buf[i] = ',';
	return 0;
}

int
xs_set_perms(uint32_t tx, const char *path, const char *perms, size_t len)
{
	struct seg segs[2] = { { path, kstrlen(path) + 1 }, { perms, len } };

	return talk(XM_XS_SET_PERMS, tx, segs, 2, NULL, 0, NULL);
}

int
xs_get_domain_path(unsigned int domid, char *buf, size_t size)
{
	char id[16];

	ksnprintf(id, sizeof(id), "%u", domid);
	return talk_str(XM_XS_GET_DOMAIN_PATH, 0, id, buf, size, NULL);
}

int
xs_watch(const char *path, const char *token)
{
	struct seg segs[2] = { { path, kstrlen(path) + 1 },
	    { token, kstrlen(token) + 1 } };

	return talk(XM_XS_WATCH, 0, segs, 2, NULL, 0, NULL);
}

int
xs_unwatch(const char *path, const char *token)
{
	struct seg segs[2] = { { path, kstrlen(path) + 1 },
	    { token, kstrlen(token) + 1 } };

	return talk(XM_XS_UNWATCH, 0, segs, 2, NULL, 0, NULL);
}

/* Take what has come in without waiting (events are queued). */
static void
drain(void)
{
	struct xm_xs_hdr h;

	while (rsp_has_data())
		if (msg_get(&h, monotonic_ns() + xs_timeout) != 0 ||
		    h.type != XM_XS_WATCH_EVENT)
			break;
}

int
xs_watch_event(char *path, char *token, uint64_t timeout_ns)
{
	uint64_t deadline = monotonic_ns() + timeout_ns;
	struct xs_event *e;

	if (xs_page == NULL)
		return fail("ENODEV");
	drain();
	while (xs_ev_count == 0) {
		if (wait_for(rsp_has_data, deadline) != 0)
			return fail("ETIMEDOUT");
		drain();
	}
	e = &xs_events[xs_ev_head];
	kstrlcpy(path, e->path, XS_EVENT_STR_MAX);
	kstrlcpy(token, e->token, XS_EVENT_STR_MAX);
	xs_ev_head = (xs_ev_head + 1) % XS_EVENTS_MAX;
	xs_ev_count--;
	return 0;
}

unsigned int
xs_watch_flush(void)
{
	unsigned int lost = xs_ev_lost;

	if (xs_page != NULL)
		drain();
	xs_ev_head = xs_ev_count = xs_ev_lost = 0;
	return lost;
}

int
xs_transaction_start(uint32_t *tx)
{
	char buf[16];
	uint64_t id;

	if (talk_str(XM_XS_TRANSACTION_START, 0, "", buf, sizeof(buf),
	    NULL) != 0)
		return -1;
	if (kstrtou64(buf, NULL, 10, &id) != 0 || id == 0 ||
	    id > UINT32_MAX)
		return fail("EPROTO");
	*tx = (uint32_t)id;
	return 0;
}

int
xs_transaction_end(uint32_t tx, int commit)
{
	return talk_str(XM_XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL,
	    0, NULL);
}

int
xs_raw_send(const struct xm_xs_hdr *h, const void *payload,
    size_t payload_len)
{
	uint64_t deadline = monotonic_ns() + xs_timeout;

	if (xs_page == NULL)
		return fail("ENODEV");
	if (ring_put(h, sizeof(*h), deadline) != 0 ||
	    ring_put(payload, payload_len, deadline) != 0)
		return -1;
	return 0;
}

int
xs_raw_answer(uint32_t req_id, uint32_t *type, char *buf, size_t size)
{
	struct xm_xs_hdr a;

	if (xs_page == NULL)
		return fail("ENODEV");
	if (answer_get(req_id, &a, monotonic_ns() + xs_timeout) != 0)
		return -1;
	*type = a.type;
	return answer_copy(&a, buf, size);
}

int
xs_raw(const struct xm_xs_hdr *h, const void *payload, size_t payload_len,
    uint32_t *type, char *buf, size_t size)
{
	if (xs_raw_send(h, payload, payload_len) != 0)
		return -1;
	return xs_raw_answer(h->req_id, type, buf, size);
}
