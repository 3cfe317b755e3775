/*
 * xenstore for the node's domains (see xsd.h).
 */
#include <sys/queue.h>
#include <sys/uio.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <xm/ctl.h>

#include "ctl.h"
#include "log.h"
#include "statefile.h"
#include "uuid.h"
#include "xenstore.h"
#include "xmd.h"
#include "xsd.h"

#define RSP_RING	1024	/* xm_xs_interface.rsp */
#define CHUNK_MIN	16
#define RETRY_MS	5
/* A domain that does not read its answers loses them past this. */
#define QUEUE_MAX	(256 * 1024)
/* Changes within this are saved together. */
#define SAVE_MS		100
#define SAVE_NAME	"xenstore"
#define SAVE_MAX	(64 << 20)

struct xsd_conn {
	TAILQ_ENTRY(xsd_conn)	 c_entry;
	struct xsd		*c_xsd;
	int			 c_domid;
	struct xs_conn		*c_xs;
	struct evbuffer		*c_out;
	struct event		*c_retry;
	size_t			 c_chunk;	/* bytes per STORE_INPUT */
	size_t			 c_sent;	/* in flight, or 0 */
	int			 c_dead;	/* freed when the reply comes */
	int			 c_overflow;
};

struct xsd {
	struct xmd		*s_xmd;
	struct xs_store		*s_store;
	TAILQ_HEAD(, xsd_conn)	 s_conns;
	struct event		*s_save;	/* the coalescing timer */
	uint64_t		 s_saved;	/* version in the file */
	int			 s_loaded;	/* a saved store taken back */
};

static struct xsd_conn *
conn_find(struct xsd *s, int domid)
{
	struct xsd_conn *c;

	TAILQ_FOREACH(c, &s->s_conns, c_entry)
		if (c->c_domid == domid && !c->c_dead)
			return c;
	return NULL;
}

static void
conn_free(struct xsd_conn *c)
{
	if (c->c_xs != NULL)
		xs_conn_free(c->c_xs);
	if (c->c_retry != NULL)
		event_free(c->c_retry);
	evbuffer_free(c->c_out);
	free(c);
}

static void	changed(void *);

/* Out of the list now; freed now, or when its request is answered. */
static void
conn_drop(struct xsd_conn *c)
{
	TAILQ_REMOVE(&c->c_xsd->s_conns, c, c_entry);
	if (c->c_xs != NULL) {
		xs_conn_free(c->c_xs);	/* and its watches: save that */
		c->c_xs = NULL;
		changed(c->c_xsd);
	}
	if (c->c_sent != 0)
		c->c_dead = 1;
	else
		conn_free(c);
}

static void	pump(struct xsd_conn *);

static void
input_done(void *arg, int status, const uint8_t *payload, size_t len)
{
	struct xsd_conn *c = arg;
	struct timeval tv = { 0, RETRY_MS * 1000 };

	(void)payload, (void)len;
	if (c->c_dead) {
		conn_free(c);
		return;
	}
	if (status == 0) {
		evbuffer_drain(c->c_out, c->c_sent);
		c->c_sent = 0;
		c->c_chunk = RSP_RING;
		pump(c);
		return;
	}
	c->c_sent = 0;
	if (status == -XM_EAGAIN) {
		/* The ring is fuller than the chunk: try less, later. */
		if (c->c_chunk > CHUNK_MIN)
			c->c_chunk /= 2;
		event_add(c->c_retry, &tv);
		return;
	}
	log_warnx("xenstore: d%d: answers not delivered (%s), connection "
	    "closed", c->c_domid, ctl_strerror(status));
	conn_drop(c);
}

static void
pump(struct xsd_conn *c)
{
	struct xm_ctl_console_data d;
	struct iovec iov[2];
	size_t n = evbuffer_get_length(c->c_out);

	if (c->c_sent != 0 || n == 0 || event_pending(c->c_retry, EV_TIMEOUT,
	    NULL))
		return;
	if (n > c->c_chunk)
		n = c->c_chunk;
	memset(&d, 0, sizeof(d));
	d.domid = (xm_domid_t)c->c_domid;
	d.len = (uint32_t)n;
	iov[0].iov_base = &d;
	iov[0].iov_len = sizeof(d);
	iov[1].iov_base = evbuffer_pullup(c->c_out, (ssize_t)n);
	iov[1].iov_len = n;
	if (ctl_request(c->c_xsd->s_xmd->x_ctl, XM_CTL_OP_STORE_INPUT, iov, 2,
	    0, input_done, c) != 0)
		return;		/* the channel is down: xsd_clear follows */
	c->c_sent = n;
}

static void
retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	pump(arg);
}

/* The store's answers and watch events for the domain. */
static void
conn_send(void *ctx, const void *msg, size_t len)
{
	struct xsd_conn *c = ctx;

	if (evbuffer_get_length(c->c_out) + len > QUEUE_MAX) {
		if (!c->c_overflow)
			log_warnx("xenstore: d%d does not read its answers: "
			    "dropping them", c->c_domid);
		c->c_overflow = 1;
		return;
	}
	c->c_overflow = 0;
	evbuffer_add(c->c_out, msg, len);
	pump(c);
}

static struct xsd_conn *
conn_new(struct xsd *s, int domid)
{
	struct xsd_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->c_xsd = s;
	c->c_domid = domid;
	c->c_chunk = RSP_RING;
	c->c_out = evbuffer_new();
	c->c_retry = evtimer_new(s->s_xmd->x_base, retry_cb, c);
	if (c->c_out != NULL && c->c_retry != NULL)
		c->c_xs = xs_conn_new(s->s_store, (uint32_t)domid, conn_send,
		    c);
	if (c->c_xs == NULL) {
		if (c->c_out != NULL)
			evbuffer_free(c->c_out);
		if (c->c_retry != NULL)
			event_free(c->c_retry);
		free(c);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&s->s_conns, c, c_entry);
	return c;
}

void
xsd_ring_output(struct xmd *x, int domid, const void *buf, size_t len)
{
	struct xsd_conn *c;

	if (x->x_xsd == NULL || (c = conn_find(x->x_xsd, domid)) == NULL) {
		log_debug("xenstore: %zu bytes from d%d, which has no "
		    "connection", len, domid);
		return;
	}
	if (xs_conn_input(c->c_xs, buf, len) != 0) {
		log_warnx("xenstore: d%d sent a malformed message: its "
		    "connection is closed", domid);
		conn_drop(c);
	}
}

int
xsd_connect(struct xmd *x, int domid)
{
	xsd_disconnect(x, domid);
	return conn_new(x->x_xsd, domid) != NULL ? 0 : ENOMEM;
}

void
xsd_disconnect(struct xmd *x, int domid)
{
	struct xsd_conn *c;

	if (x->x_xsd != NULL && (c = conn_find(x->x_xsd, domid)) != NULL)
		conn_drop(c);
}

void
xsd_save(struct xmd *x)
{
	struct xsd *s = x->x_xsd;
	uint64_t v;
	char *text;
	size_t len;
	int rc;

	if (s == NULL)
		return;
	event_del(s->s_save);
	if ((v = xs_store_version(s->s_store)) == s->s_saved)
		return;		/* nothing changed */
	if ((rc = xs_save(s->s_store, &text, &len)) != 0) {
		log_warnx("xenstore: cannot save the store: %s",
		    strerror(rc));
		return;
	}
	if (statefile_write(x->x_state_dir, SAVE_NAME, text, len) != 0)
		log_warn("xenstore: cannot save the store in %s/%s",
		    x->x_state_dir, SAVE_NAME);
	else
		s->s_saved = v;
	free(text);
}

static void
save_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	xsd_save(arg);
}

/* The store changed: save it soon, with what follows. */
static void
changed(void *arg)
{
	struct xsd *s = arg;
	struct timeval tv = { 0, SAVE_MS * 1000 };

	if (!event_pending(s->s_save, EV_TIMEOUT, NULL))
		event_add(s->s_save, &tv);
}

static void
use_store(struct xsd *s, struct xs_store *st)
{
	xs_store_free(s->s_store);
	s->s_store = st;
	s->s_saved = xs_store_version(st);
	xs_store_set_hook(st, changed, s);
}

void
xsd_load(struct xmd *x, int node_kept)
{
	struct xsd *s = x->x_xsd;
	struct xs_store *st;
	char path[PATH_MAX], err[256];
	size_t len;
	char *text;

	if (s == NULL)
		return;
	if (!node_kept) {
		/* A new node: its domains will write their keys anew. */
		if (statefile_remove(x->x_state_dir, SAVE_NAME) != 0)
			log_warn("xenstore: %s/%s", x->x_state_dir, SAVE_NAME);
		return;
	}
	if (statefile_path(path, sizeof(path), x->x_state_dir, SAVE_NAME) != 0)
		return;
	if ((text = statefile_read(path, SAVE_MAX, &len)) == NULL) {
		if (errno != ENOENT)
			log_warn("xenstore: %s: starting with an empty store",
			    path);
		return;
	}
	if ((st = xs_load(NULL, text, len, err, sizeof(err))) == NULL)
		log_warnx("xenstore: %s refused (%s): starting with an empty "
		    "store", path, err);
	else {
		use_store(s, st);
		s->s_loaded = 1;
		log_info("xenstore: the store saved in %s taken back", path);
	}
	free(text);
}

int
xsd_init(struct xmd *x)
{
	struct xs_store *st;
	struct xsd *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->s_xmd = x;
	TAILQ_INIT(&s->s_conns);
	if ((st = xs_store_new(NULL)) == NULL ||
	    (s->s_save = evtimer_new(x->x_base, save_cb, x)) == NULL) {
		xs_store_free(st);
		free(s);
		return -1;
	}
	use_store(s, st);
	x->x_xsd = s;
	return 0;
}

void
xsd_clear(struct xmd *x)
{
	struct xsd_conn *c;

	if (x->x_xsd == NULL)
		return;
	while ((c = TAILQ_FIRST(&x->x_xsd->s_conns)) != NULL) {
		(void)xs_release(x->x_xsd->s_store, (uint32_t)c->c_domid);
		conn_drop(c);
	}
}

void
xsd_free(struct xmd *x)
{
	if (x->x_xsd == NULL)
		return;
	xsd_clear(x);
	event_free(x->x_xsd->s_save);
	xs_store_free(x->x_xsd->s_store);
	free(x->x_xsd);
	x->x_xsd = NULL;
}

/* True once after xsd_load took a saved store back. */
int
xsd_take_loaded(struct xmd *x)
{
	int loaded = x->x_xsd != NULL && x->x_xsd->s_loaded;

	if (loaded)
		x->x_xsd->s_loaded = 0;
	return loaded;
}

struct xs_store *
xsd_store(struct xmd *x)
{
	return x->x_xsd != NULL ? x->x_xsd->s_store : NULL;
}
