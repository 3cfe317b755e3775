/*
 * The sampler (stats.h): one round is STATS requests from domain id 0
 * on, a further one after each full reply, then the rings of domains
 * the round did not see are freed. A round that fails is logged and
 * the next one starts on time; a round still waiting skips a tick.
 * Each tick also refreshes the registry (domains_refresh), which the
 * read methods serve from.
 */
#include <sys/uio.h>

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include <xm/ctl.h>

#include "ctl.h"
#include "events.h"
#include "log.h"
#include "methods.h"
#include "stats.h"
#include "stats_ring.h"
#include "xmd.h"

#define STATS_MAX_DOMS	1024	/* domain ids xmd keeps rings for */

struct stats {
	struct xmd		*st_x;
	struct event		*st_timer;
	unsigned int		 st_interval_ms;
	unsigned int		 st_samples;
	int			 st_busy;	/* a round is waiting */
	struct stats_ring	*st_rings[STATS_MAX_DOMS];
	uint8_t			 st_seen[STATS_MAX_DOMS];
	struct xm_ctl_stats_reply st_node[2];	/* latest, the one before */
	unsigned int		 st_nnode;
};

static void	round_reply(void *, int, const uint8_t *, size_t);

static int
round_ask(struct stats *st, unsigned int first)
{
	struct xm_ctl_stats q = { (xm_domid_t)first, 0, XM_CTL_STATS_MAX };
	struct iovec iov = { &q, sizeof(q) };

	if (ctl_request(st->st_x->x_ctl, XM_CTL_OP_STATS, &iov, 1, 0,
	    round_reply, st) != 0)
		return -1;
	st->st_busy = 1;
	return 0;
}

static void
round_end(struct stats *st)
{
	unsigned int id;

	st->st_busy = 0;
	for (id = 0; id < STATS_MAX_DOMS; id++)
		if (!st->st_seen[id] && st->st_rings[id] != NULL) {
			free(st->st_rings[id]);
			st->st_rings[id] = NULL;
		}
}

static void
keep(struct stats *st, uint64_t now, const struct xm_dom_stats *s)
{
	if (s->domain >= STATS_MAX_DOMS)
		return;
	if (st->st_rings[s->domain] == NULL &&
	    (st->st_rings[s->domain] = stats_ring_new(st->st_samples)) ==
	    NULL) {
		log_warnx("stats: out of memory for domain %u", s->domain);
		return;
	}
	stats_ring_push(st->st_rings[s->domain], now, s);
	st->st_seen[s->domain] = 1;
}

static void
keep_node(struct stats *st, const struct xm_ctl_stats_reply *r)
{
	st->st_node[1] = st->st_node[0];
	st->st_node[0] = *r;
	if (st->st_nnode < 2)
		st->st_nnode++;
}

static void
round_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct stats *st = arg;
	struct xm_ctl_stats_reply r;
	struct xm_dom_stats s;
	unsigned int i, last = 0;

	if (status != 0 || len < sizeof(r)) {
		log_warnx("stats: the node's statistics: %s",
		    ctl_strerror(status));
		st->st_busy = 0;
		return;
	}
	memcpy(&r, data, sizeof(r));
	if (r.count > (len - sizeof(r)) / sizeof(s)) {
		log_warnx("stats: a reply of %zu bytes for %u domains", len,
		    r.count);
		st->st_busy = 0;
		return;
	}
	for (i = 0; i < r.count; i++) {
		memcpy(&s, data + sizeof(r) + i * sizeof(s), sizeof(s));
		keep(st, r.now_ns, &s);
		last = s.domain;
	}
	if (r.count == XM_CTL_STATS_MAX && round_ask(st, last + 1) == 0)
		return;
	keep_node(st, &r);
	round_end(st);
	if (events_want_stats(st->st_x))
		events_emit_stats(st->st_x, methods_stats_all(st->st_x));
}

static void
tick(evutil_socket_t fd, short what, void *arg)
{
	struct stats *st = arg;

	(void)fd;
	(void)what;
	domains_refresh(st->st_x);
	if (st->st_busy || !ctl_is_up(st->st_x->x_ctl))
		return;
	memset(st->st_seen, 0, sizeof(st->st_seen));
	if (round_ask(st, 0) != 0)
		log_warnx("stats: cannot ask the node for its statistics");
}

struct stats *
stats_new(struct xmd *x, unsigned int interval_ms, unsigned int samples)
{
	struct stats *st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->st_x = x;
	st->st_interval_ms = interval_ms;
	st->st_samples = samples;
	st->st_timer = event_new(x->x_base, -1, EV_PERSIST, tick, st);
	if (st->st_timer == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

void
stats_start(struct stats *st)
{
	struct timeval tv = { st->st_interval_ms / 1000,
	    (st->st_interval_ms % 1000) * 1000 };

	tick(-1, 0, st);
	evtimer_add(st->st_timer, &tv);
}

void
stats_free(struct stats *st)
{
	unsigned int id;

	if (st == NULL)
		return;
	event_free(st->st_timer);
	for (id = 0; id < STATS_MAX_DOMS; id++)
		free(st->st_rings[id]);
	free(st);
}

const struct stats_ring *
stats_ring_of(const struct stats *st, int id)
{
	if (st == NULL || id < 0 || id >= STATS_MAX_DOMS)
		return NULL;
	return st->st_rings[id];
}

int
stats_node(const struct stats *st, struct xmctl_node_stats *out)
{
	unsigned int id;

	memset(out, 0, sizeof(*out));
	if (st == NULL || st->st_nnode == 0)
		return -1;
	stats_node_record(&st->st_node[0], st->st_nnode > 1 ?
	    &st->st_node[1] : NULL, out);
	out->interval_ms = st->st_interval_ms;
	out->samples = st->st_samples;
	for (id = 0; id < STATS_MAX_DOMS; id++)
		out->nr_domains += st->st_rings[id] != NULL;
	return 0;
}
