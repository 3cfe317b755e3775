/*
 * A domain's connection: the bytes of its request ring gathered into
 * whole messages, each answered at once through the transport's send
 * function, then the watch events the request caused.  A header that
 * announces more than XM_XS_PAYLOAD_MAX bytes makes the stream
 * unusable: from then on the connection only answers -1, and the
 * transport drops it (xenstored stops serving such a domain too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_int.h"

struct xs_conn *
xs_conn_new(struct xs_store *st, uint32_t domid, xs_send_fn *send, void *ctx)
{
	struct xs_conn *c;
	struct xs_dom *d;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (xs_dom_get(st, domid, 1) == NULL) {
		free(c);
		return NULL;
	}
	c->st = st;
	c->who.domid = domid;
	c->who.priv = domid == 0;
	c->send = send;
	c->ctx = ctx;
	snprintf(c->home, sizeof(c->home), "/local/domain/%u", domid);
	d = xs_dom_get(st, domid, 0);
	if (d->has_target) {	/* loaded: the domain was given a target */
		c->who.has_target = 1;
		c->who.target = d->target;
	}
	if (d->partial != NULL) {	/* loaded: the request goes on */
		memcpy(c->in, d->partial, d->npartial);
		c->have = d->npartial;
		free(d->partial);
		d->partial = NULL;
	}
	c->next = st->conns;
	st->conns = c;
	xs_watch_unpark(st, c);
	xs_txn_unpark(st, c);
	return c;
}

void
xs_conn_free(struct xs_conn *c)
{
	struct xs_conn **pp;

	if (c == NULL)
		return;
	xs_txn_drop_all(c);
	xs_watch_drop_conn(c->st, c);
	for (pp = &c->st->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	free(c);
}

void
xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id,
    uint32_t tx_id, const void *buf, size_t len)
{
	unsigned char msg[sizeof(struct xm_xs_hdr) + XM_XS_PAYLOAD_MAX];
	struct xm_xs_hdr h;

	if (len > XM_XS_PAYLOAD_MAX)
		return;
	h.type = type;
	h.req_id = req_id;
	h.tx_id = tx_id;
	h.len = (uint32_t)len;
	memcpy(msg, &h, sizeof(h));
	if (len > 0)
		memcpy(msg + sizeof(h), buf, len);
	c->send(c->ctx, msg, sizeof(h) + len);
}

/* Takes up to len bytes toward the message being gathered. */
static size_t
gather(struct xs_conn *c, const unsigned char *p, size_t len, size_t want)
{
	size_t n;

	if (c->have >= want)
		return 0;
	n = want - c->have;
	if (n > len)
		n = len;
	memcpy(c->in + c->have, p, n);
	c->have += n;
	return n;
}

int
xs_conn_input(struct xs_conn *c, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	struct xm_xs_hdr h;
	size_t used;

	while (len > 0 && !c->broken) {
		used = gather(c, p, len, sizeof(h));
		if (c->have >= sizeof(h)) {
			memcpy(&h, c->in, sizeof(h));
			if (h.len > XM_XS_PAYLOAD_MAX) {
				c->broken = 1;
				break;
			}
			used += gather(c, p + used, len - used,
			    sizeof(h) + h.len);
			if (c->have == sizeof(h) + h.len) {
				c->in[c->have] = '\0';
				c->have = 0;
				xs_ops_dispatch(c, &h,
				    (const char *)c->in + sizeof(h));
				xs_watch_deliver(c->st);
			}
		}
		p += used;
		len -= used;
	}
	return c->broken ? -1 : 0;
}
