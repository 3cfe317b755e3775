/* events.subscribe: who gets lifecycle events, and sending them. */
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xmctl.h>

#include "dom_record.h"
#include "events.h"
#include "rpc_dispatch.h"
#include "xmd.h"

struct event_sub {
	TAILQ_ENTRY(event_sub)	 es_entry;
	struct rpc_peer		*es_peer;
	int			 es_stats;	/* domain.stats pushes too */
};

int
events_subscribe(struct xmd *x, struct rpc_peer *p, int stats)
{
	struct event_sub *es;

	TAILQ_FOREACH(es, &x->x_subs, es_entry)
		if (es->es_peer == p) {
			es->es_stats |= stats;
			return 0;
		}
	if ((es = calloc(1, sizeof(*es))) == NULL)
		return -1;
	es->es_peer = p;
	es->es_stats = stats;
	TAILQ_INSERT_TAIL(&x->x_subs, es, es_entry);
	return 0;
}

void
events_unsubscribe(struct xmd *x, struct rpc_peer *p)
{
	struct event_sub *es, *next;

	TAILQ_FOREACH_SAFE(es, &x->x_subs, es_entry, next)
		if (es->es_peer == p) {
			TAILQ_REMOVE(&x->x_subs, es, es_entry);
			free(es);
		}
}

void
events_free(struct xmd *x)
{
	struct event_sub *es;

	while ((es = TAILQ_FIRST(&x->x_subs)) != NULL) {
		TAILQ_REMOVE(&x->x_subs, es, es_entry);
		free(es);
	}
}

/* UTC, RFC 3339, milliseconds. */
static void
timestamp(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;

	size_t n;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03dZ", (int)(tv.tv_usec / 1000));
}

/* The event's parameters: its record on the wire (dom_record.h). */
static struct json_object *
params_of(const char *event, const char *name, int id, const uint8_t *uuid,
    const char *reason, const char *action)
{
	struct xmctl_event ev;

	memset(&ev, 0, sizeof(ev));
	snprintf(ev.event, sizeof(ev.event), "%s", event);
	snprintf(ev.domain, sizeof(ev.domain), "%s", name);
	ev.id = id;
	xm_uuid_format(uuid, ev.uuid);
	timestamp(ev.timestamp, sizeof(ev.timestamp));
	snprintf(ev.reason, sizeof(ev.reason), "%s", reason != NULL ? reason :
	    "");
	snprintf(ev.action, sizeof(ev.action), "%s", action != NULL ? action :
	    "");
	return dr_write(&dr_event, &ev);
}

void
events_emit(struct xmd *x, const char *event, const char *name, int id,
    const uint8_t *uuid, const char *reason, const char *action)
{
	struct json_object *p = params_of(event, name, id, uuid, reason,
	    action);
	struct event_sub *es;

	TAILQ_FOREACH(es, &x->x_subs, es_entry)
		rpc_notify(es->es_peer, event, json_object_get(p));
	json_object_put(p);
}

void
events_emit_dom(struct xmd *x, const char *event, const struct dom *d,
    const char *reason, const char *action)
{
	if (!d->d_privileged)
		events_emit(x, event, d->d_name, d->d_id, d->d_uuid, reason,
		    action);
}

int
events_want_stats(struct xmd *x)
{
	struct event_sub *es;

	TAILQ_FOREACH(es, &x->x_subs, es_entry)
		if (es->es_stats)
			return 1;
	return 0;
}

void
events_emit_progress(struct xmd *x, struct json_object *params)
{
	struct event_sub *es;

	TAILQ_FOREACH(es, &x->x_subs, es_entry)
		rpc_notify(es->es_peer, "migration.progress",
		    json_object_get(params));
	json_object_put(params);
}

void
events_emit_stats(struct xmd *x, struct json_object *params)
{
	struct event_sub *es;

	TAILQ_FOREACH(es, &x->x_subs, es_entry)
		if (es->es_stats)
			rpc_notify(es->es_peer, "domain.stats",
			    json_object_get(params));
	json_object_put(params);
}
