/* events.subscribe: who gets lifecycle events, and sending them. */
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "events.h"
#include "rpc_dispatch.h"
#include "xmd.h"

struct event_sub {
	TAILQ_ENTRY(event_sub)	 es_entry;
	struct rpc_peer		*es_peer;
};

int
events_subscribe(struct xmd *x, struct rpc_peer *p)
{
	struct event_sub *es;

	TAILQ_FOREACH(es, &x->x_subs, es_entry)
		if (es->es_peer == p)
			return 0;
	if ((es = calloc(1, sizeof(*es))) == NULL)
		return -1;
	es->es_peer = p;
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
static struct json_object *
timestamp(void)
{
	struct timeval tv;
	struct tm tm;
	char buf[64];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
	return json_object_new_string(buf);
}

static struct json_object *
params_of(const char *event, const char *name, int id, const uint8_t *uuid,
    struct json_object *extra)
{
	struct json_object *p = json_object_new_object();
	char us[XM_UUID_STRLEN];

	xm_uuid_format(uuid, us);
	json_object_object_add(p, "event", json_object_new_string(event));
	json_object_object_add(p, "domain", json_object_new_string(name));
	json_object_object_add(p, "id", id >= 0 ? json_object_new_int(id) :
	    NULL);
	json_object_object_add(p, "uuid", json_object_new_string(us));
	json_object_object_add(p, "timestamp", timestamp());
	if (extra != NULL) {
		json_object_object_foreach(extra, k, v)
			json_object_object_add(p, k, json_object_get(v));
		json_object_put(extra);
	}
	return p;
}

void
events_emit(struct xmd *x, const char *event, const char *name, int id,
    const uint8_t *uuid, struct json_object *extra)
{
	struct json_object *p = params_of(event, name, id, uuid, extra);
	struct event_sub *es;

	TAILQ_FOREACH(es, &x->x_subs, es_entry)
		rpc_notify(es->es_peer, event, json_object_get(p));
	json_object_put(p);
}

void
events_emit_dom(struct xmd *x, const char *event, const struct dom *d,
    struct json_object *extra)
{
	if (d->d_privileged) {
		json_object_put(extra);
		return;
	}
	events_emit(x, event, d->d_name, d->d_id, d->d_uuid, extra);
}
