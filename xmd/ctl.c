/*
 * The control channel's client: HELLO, requests matched to replies by
 * sequence number, per-request timers, events, and resynchronisation
 * after bad bytes (see ctl.h).
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <klib/ctlop.h>

#include "ctl.h"
#include "ctl_frame.h"
#include "log.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define HDR_SIZE	sizeof(struct xm_ctl_hdr)

struct pending {
	TAILQ_ENTRY(pending)	 p_entry;
	struct ctl		*p_ctl;
	uint32_t		 p_seq;
	uint16_t		 p_op;
	struct event		*p_timer;
	ctl_reply_fn		*p_fn;
	void			*p_arg;
};
TAILQ_HEAD(pending_list, pending);

struct ctl {
	struct event_base	*c_base;
	const struct ctl_hooks	*c_hooks;
	void			*c_arg;
	struct bufferevent	*c_bev;
	struct pending_list	 c_pending;
	uint32_t		 c_seq;
	int			 c_up;
	struct xm_ctl_hello_reply c_hello;
	struct event		*c_hello_timer;
	struct timespec		 c_hello_deadline;
	time_t			 c_last_bad_log;
	unsigned int		 c_timeout_ms;
	struct ctl_stats	 c_stats;
};

static const char *const errno_names[] = {
	[XM_EPERM] = "EPERM: not permitted",
	[XM_ENOENT] = "ENOENT: no such entry",
	[XM_ESRCH] = "ESRCH: no such domain",
	[XM_EIO] = "EIO: I/O error",
	[XM_E2BIG] = "E2BIG: too big",
	[XM_EAGAIN] = "EAGAIN: try again",
	[XM_ENOMEM] = "ENOMEM: out of memory",
	[XM_EACCES] = "EACCES: interface version mismatch",
	[XM_EFAULT] = "EFAULT: bad address",
	[XM_EBUSY] = "EBUSY: busy",
	[XM_EEXIST] = "EEXIST: exists",
	[XM_EINVAL] = "EINVAL: invalid argument",
	[XM_ENOSPC] = "ENOSPC: no space",
	[XM_ERANGE] = "ERANGE: out of range",
	[XM_ENOSYS] = "ENOSYS: not implemented",
	[XM_EBADMSG] = "EBADMSG: malformed message",
};

const char *
ctl_strerror(int status)
{
	static char buf[32];

	switch (status) {
	case 0:
		return "success";
	case CTL_E_TIMEOUT:
		return "the node did not answer in time";
	case CTL_E_DOWN:
		return "the connection to the node is closed";
	case CTL_E_PROTO:
		return "the node sent a malformed reply";
	}
	if (status < 0 && -status < (int)nitems(errno_names) &&
	    errno_names[-status] != NULL)
		return errno_names[-status];
	snprintf(buf, sizeof(buf), "error %d", status);
	return buf;
}

static void	ctl_down(struct ctl *, const char *);

struct ctl *
ctl_new(struct event_base *base, const struct ctl_hooks *hooks, void *arg)
{
	struct ctl *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->c_base = base;
	c->c_hooks = hooks;
	c->c_arg = arg;
	c->c_timeout_ms = CTL_TIMEOUT_MS;
	TAILQ_INIT(&c->c_pending);
	return c;
}

static void
pending_finish(struct pending *p, int status, const uint8_t *data,
    size_t len)
{
	struct ctl *c = p->p_ctl;

	TAILQ_REMOVE(&c->c_pending, p, p_entry);
	event_free(p->p_timer);
	if (p->p_fn != NULL)
		p->p_fn(p->p_arg, status, data, len);
	free(p);
}

static void
fail_all(struct ctl *c, int status)
{
	while (!TAILQ_EMPTY(&c->c_pending))
		pending_finish(TAILQ_FIRST(&c->c_pending), status, NULL, 0);
}

void
ctl_free(struct ctl *c)
{
	if (c == NULL)
		return;
	c->c_up = 0;
	if (c->c_bev != NULL)
		bufferevent_free(c->c_bev);
	c->c_bev = NULL;
	fail_all(c, CTL_E_DOWN);
	if (c->c_hello_timer != NULL)
		event_free(c->c_hello_timer);
	free(c);
}

int
ctl_is_up(const struct ctl *c)
{
	return c->c_up;
}

const struct xm_ctl_hello_reply *
ctl_hello(const struct ctl *c)
{
	return c->c_up ? &c->c_hello : NULL;
}

void
ctl_set_timeout(struct ctl *c, unsigned int ms)
{
	c->c_timeout_ms = ms;
}

unsigned int
ctl_timeout(const struct ctl *c)
{
	return c->c_timeout_ms;
}

const struct ctl_stats *
ctl_stats(const struct ctl *c)
{
	return &c->c_stats;
}

static void
pending_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct pending *p = arg;
	char nb[16];

	(void)fd, (void)what;
	p->p_ctl->c_stats.timeouts++;
	/* HELLO is sent again while the node boots: no need to tell. */
	if (p->p_op != XM_CTL_OP_HELLO)
		log_warnx("node: no reply to %s (seq %u)",
		    ctl_op_name(p->p_op, nb, sizeof(nb)), p->p_seq);
	pending_finish(p, CTL_E_TIMEOUT, NULL, 0);
}

static int
send_frame(struct ctl *c, uint16_t op, uint32_t seq, const struct iovec *iov,
    int iovcnt)
{
	uint8_t hdr[HDR_SIZE];
	size_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (len > XM_CTL_MAX_PAYLOAD || c->c_bev == NULL)
		return -1;
	ctl_frame_encode(hdr, op, seq, 0, (uint32_t)len, 0);
	if (bufferevent_write(c->c_bev, hdr, sizeof(hdr)) != 0)
		return -1;
	for (i = 0; i < iovcnt; i++)
		if (bufferevent_write(c->c_bev, iov[i].iov_base,
		    iov[i].iov_len) != 0)
			return -1;
	return 0;
}

static uint32_t
next_seq(struct ctl *c)
{
	if (++c->c_seq == 0)
		c->c_seq = 1;
	return c->c_seq;
}

static int
request(struct ctl *c, uint16_t op, const struct iovec *iov, int iovcnt,
    unsigned int timeout_ms, ctl_reply_fn *fn, void *arg)
{
	struct timeval tv;
	struct pending *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	p->p_ctl = c;
	p->p_seq = next_seq(c);
	p->p_op = op;
	p->p_fn = fn;
	p->p_arg = arg;
	p->p_timer = evtimer_new(c->c_base, pending_timeout, p);
	if (p->p_timer == NULL || send_frame(c, op, p->p_seq, iov, iovcnt)) {
		if (p->p_timer != NULL)
			event_free(p->p_timer);
		free(p);
		return -1;
	}
	if (timeout_ms == 0)
		timeout_ms = c->c_timeout_ms;
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(p->p_timer, &tv);
	TAILQ_INSERT_TAIL(&c->c_pending, p, p_entry);
	c->c_stats.requests++;
	return 0;
}

int
ctl_request(struct ctl *c, uint16_t op, const struct iovec *iov, int iovcnt,
    unsigned int timeout_ms, ctl_reply_fn *fn, void *arg)
{
	if (!c->c_up)
		return -1;
	return request(c, op, iov, iovcnt, timeout_ms, fn, arg);
}

static struct pending *
find_pending(struct ctl *c, uint32_t seq)
{
	struct pending *p;

	TAILQ_FOREACH(p, &c->c_pending, p_entry)
		if (p->p_seq == seq)
			return p;
	return NULL;
}

static void
handle_reply(struct ctl *c, const struct xm_ctl_hdr *h, const uint8_t *data)
{
	struct pending *p = find_pending(c, h->seq);
	char nb[16], nb2[16];

	if (p == NULL && h->op == XM_CTL_OP_ERROR) {
		log_warnx("node: could not read a frame (seq %u): %s", h->seq,
		    ctl_strerror(h->status));
		return;
	}
	if (p == NULL) {
		c->c_stats.late_replies++;
		log_debug("node: reply %s seq %u matches no request",
		    ctl_op_name(h->op, nb, sizeof(nb)), h->seq);
		return;
	}
	if (h->op == XM_CTL_OP_ERROR) {
		log_warnx("node: could not read %s (seq %u): %s",
		    ctl_op_name(p->p_op, nb, sizeof(nb)), h->seq,
		    ctl_strerror(h->status));
		pending_finish(p, h->status != 0 ? h->status : -XM_EINVAL,
		    NULL, 0);
	} else if (h->op != p->p_op ||
	    (h->status == 0 && !ctlop_reply_ok(h->op, h->len))) {
		log_warnx("node: malformed reply to %s (seq %u): %s, %u bytes",
		    ctl_op_name(p->p_op, nb, sizeof(nb)), h->seq,
		    ctl_op_name(h->op, nb2, sizeof(nb2)), h->len);
		pending_finish(p, CTL_E_PROTO, NULL, 0);
	} else
		pending_finish(p, h->status, h->status == 0 ? data : NULL,
		    h->status == 0 ? h->len : 0);
}

/* The events, ev_<name> for each EVENT row of XM_CTL_OPS. */
typedef void	event_fn(struct ctl *, const uint8_t *, uint32_t);

static void
ev_console_output(struct ctl *c, const uint8_t *data, uint32_t len)
{
	struct xm_ctl_console_data cd;

	memcpy(&cd, data, sizeof(cd));
	if (c->c_hooks->console != NULL)
		c->c_hooks->console(c->c_arg, cd.domid,
		    (const char *)data + sizeof(cd), len - sizeof(cd));
}

static void
ev_store_output(struct ctl *c, const uint8_t *data, uint32_t len)
{
	struct xm_ctl_console_data cd;

	memcpy(&cd, data, sizeof(cd));
	if (c->c_hooks->store != NULL)
		c->c_hooks->store(c->c_arg, cd.domid, data + sizeof(cd),
		    len - sizeof(cd));
}

static void
ev_domain_event(struct ctl *c, const uint8_t *data, uint32_t len)
{
	struct xm_ctl_domain_event ev;

	(void)len;
	memcpy(&ev, data, sizeof(ev));
	if (c->c_hooks->domain != NULL)
		c->c_hooks->domain(c->c_arg, &ev.info);
}

#define EVENT_REQUEST(op, name)
#define EVENT_EVENT(op, name)	[op] = ev_##name,
#define EVENT(op, num, name, dir, ...)	EVENT_##dir(op, name)

static event_fn *const events[] = {
	XM_CTL_OPS(EVENT)
};

/* An event whose payload its row allows; anything else is logged. */
static void
handle_event(struct ctl *c, const struct xm_ctl_hdr *h, const uint8_t *data)
{
	char nb[16];
	int rc;

	if (h->op >= nitems(events) || events[h->op] == NULL) {
		log_warnx("node: unexpected event %s with %u bytes",
		    ctl_op_name(h->op, nb, sizeof(nb)), h->len);
		return;
	}
	if ((rc = ctlop_check(h->op, data, h->len)) != 0) {
		log_warnx("node: malformed event %s with %u bytes: %s",
		    ctl_op_name(h->op, nb, sizeof(nb)), h->len,
		    ctl_strerror(rc));
		return;
	}
	events[h->op](c, data, h->len);
}

static void
handle_frame(struct ctl *c, const struct xm_ctl_hdr *h, const uint8_t *data)
{
	char nb[16];

	if (h->flags & XM_CTL_F_REPLY)
		handle_reply(c, h, data);
	else if (h->flags & XM_CTL_F_EVENT)
		handle_event(c, h, data);
	else
		log_warnx("node: ignoring a request (%s, seq %u) from the node",
		    ctl_op_name(h->op, nb, sizeof(nb)), h->seq);
}

static void
note_bad(struct ctl *c, const struct ctl_scan_result *r)
{
	time_t now = time(NULL);

	c->c_stats.bad_frames++;
	c->c_stats.bad_bytes += r->skip;
	if (now == c->c_last_bad_log)
		return;		/* at most one line a second */
	c->c_last_bad_log = now;
	log_warnx("node: skipped %zu bytes (%s); %llu bad runs, %llu bytes "
	    "so far", r->skip, r->why,
	    (unsigned long long)c->c_stats.bad_frames,
	    (unsigned long long)c->c_stats.bad_bytes);
}

/* Frames out of the input buffer while whole ones are there. */
static void
ctl_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct ctl *c = arg;
	struct ctl_scan_result r;
	size_t have;
	uint8_t *buf;

	while (c->c_bev == bev && (have = evbuffer_get_length(in)) > 0) {
		if (have > CTL_FRAME_MAX)
			have = CTL_FRAME_MAX;
		buf = evbuffer_pullup(in, (ssize_t)have);
		ctl_frame_scan(buf, have, &r);
		if (r.kind == CTL_SCAN_MORE)
			break;
		if (r.kind == CTL_SCAN_BAD) {
			note_bad(c, &r);
			evbuffer_drain(in, r.skip);
			continue;
		}
		handle_frame(c, &r.hdr, buf + HDR_SIZE);
		if (c->c_bev == bev)
			evbuffer_drain(in, r.size);
	}
}

static void	send_hello(struct ctl *);

static void
hello_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct ctl *c = arg;

	(void)len;
	if (status == CTL_E_TIMEOUT || status == CTL_E_DOWN)
		return;		/* the retry timer goes on, or down */
	if (status != 0) {
		ctl_down(c, ctl_strerror(status));
		return;
	}
	memcpy(&c->c_hello, data, sizeof(c->c_hello));
	if (c->c_hello.version != XM_CTL_VERSION) {
		ctl_down(c, "domain 0 chose a protocol version xmd does not speak");
		return;
	}
	c->c_hello.dom0_version[sizeof(c->c_hello.dom0_version) - 1] = '\0';
	c->c_hello.physinfo.hv_extraversion[
	    sizeof(c->c_hello.physinfo.hv_extraversion) - 1] = '\0';
	evtimer_del(c->c_hello_timer);
	c->c_up = 1;
	if (c->c_hooks->up != NULL)
		c->c_hooks->up(c->c_arg, &c->c_hello);
}

static int
past_deadline(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec || (now.tv_sec ==
	    deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static void
hello_retry(evutil_socket_t fd, short what, void *arg)
{
	struct ctl *c = arg;

	(void)fd, (void)what;
	if (past_deadline(&c->c_hello_deadline)) {
		ctl_down(c, "domain 0 did not answer HELLO");
		return;
	}
	log_debug("node: no HELLO reply yet, sending it again");
	send_hello(c);
}

static void
send_hello(struct ctl *c)
{
	struct xm_ctl_hello hello = { XM_CTL_VERSION, XM_CTL_VERSION, 0 };
	struct iovec iov = { &hello, sizeof(hello) };
	struct timeval tv = { CTL_HELLO_RETRY_MS / 1000,
	    (CTL_HELLO_RETRY_MS % 1000) * 1000 };

	if (request(c, XM_CTL_OP_HELLO, &iov, 1, CTL_HELLO_RETRY_MS,
	    hello_reply, c) != 0) {
		ctl_down(c, "cannot send HELLO");
		return;
	}
	evtimer_add(c->c_hello_timer, &tv);
}

static void
ctl_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl *c = arg;

	(void)bev;
	if (what & BEV_EVENT_EOF)
		ctl_down(c, "the node closed the control channel");
	else if (what & BEV_EVENT_ERROR)
		ctl_down(c, strerror(EVUTIL_SOCKET_ERROR()));
}

/* Close the channel, fail what is pending, tell the owner once. */
static void
ctl_down(struct ctl *c, const char *why)
{
	if (c->c_bev == NULL)
		return;
	bufferevent_free(c->c_bev);
	c->c_bev = NULL;
	c->c_up = 0;
	evtimer_del(c->c_hello_timer);
	fail_all(c, CTL_E_DOWN);
	if (c->c_hooks->down != NULL)
		c->c_hooks->down(c->c_arg, why);
}

int
ctl_start(struct ctl *c, int fd, unsigned int hello_timeout_ms)
{
	evutil_make_socket_nonblocking(fd);
	c->c_bev = bufferevent_socket_new(c->c_base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->c_bev == NULL) {
		close(fd);
		return -1;
	}
	if (c->c_hello_timer == NULL &&
	    (c->c_hello_timer = evtimer_new(c->c_base, hello_retry, c)) ==
	    NULL)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &c->c_hello_deadline);
	c->c_hello_deadline.tv_sec += hello_timeout_ms / 1000;
	c->c_hello_deadline.tv_nsec += (long)(hello_timeout_ms % 1000) *
	    1000000;
	if (c->c_hello_deadline.tv_nsec >= 1000000000) {
		c->c_hello_deadline.tv_sec++;
		c->c_hello_deadline.tv_nsec -= 1000000000;
	}
	bufferevent_setcb(c->c_bev, ctl_read, NULL, ctl_event, c);
	bufferevent_enable(c->c_bev, EV_READ | EV_WRITE);
	send_hello(c);
	return 0;
}
