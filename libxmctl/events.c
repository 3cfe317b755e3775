/*
 * libxmctl: lifecycle events.  events.subscribe asks xmd for them; they
 * come as notifications ({"method":"domain.started","params":{...}}),
 * are kept in a queue when a call is waiting for its answer, and are
 * handed to the callback by xmctl_events_dispatch() and _run().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "dom_record.h"

#define EVENT_PREFIX	"domain."

/* The lifecycle events; console notifications are not among them. */
static const char *const event_names[] = {
	"started", "paused", "resumed", "shutdown", "crashed", "destroyed",
	"defined", "undefined", "suspended", NULL,
};

/* The event msg carries, without "domain."; NULL if it is none. */
static const char *
event_name(struct json_object *msg)
{
	struct json_object *m;
	const char *name;
	size_t i;

	if (!json_object_object_get_ex(msg, "method", &m) ||
	    !json_object_is_type(m, json_type_string))
		return NULL;
	name = json_object_get_string(m);
	if (strncmp(name, EVENT_PREFIX, strlen(EVENT_PREFIX)) != 0)
		return NULL;
	name += strlen(EVENT_PREFIX);
	for (i = 0; event_names[i] != NULL; i++)
		if (strcmp(name, event_names[i]) == 0)
			return name;
	return NULL;
}

/* Whether msg is a store.watch notification. */
static int
is_watch(struct json_object *msg)
{
	struct json_object *m;

	return json_object_object_get_ex(msg, "method", &m) &&
	    json_object_is_type(m, json_type_string) &&
	    strcmp(json_object_get_string(m), "store.watch") == 0;
}

void
xc_keep_event(struct xmctl *x, struct json_object *msg)
{
	int watch = is_watch(msg);

	if ((watch && x->x_watch_fn == NULL) || (!watch &&
	    (x->x_event_fn == NULL || event_name(msg) == NULL))) {
		json_object_put(msg);
		return;
	}
	if (x->x_events == NULL)
		x->x_events = json_object_new_array();
	json_object_array_add(x->x_events, msg);
}

/*
 * msg as an event, to the callback, with its parameters as
 * xmctl_result_json(); XMCTL_E_PROTOCOL, naming the field, when they
 * are not an event's.
 */
/* A store.watch notification, to its callback. */
static int
hand_out_watch(struct xmctl *x, struct json_object *params)
{
	struct json_object *w, *p;

	if (!json_object_object_get_ex(params, "watch", &w) ||
	    !json_object_is_type(w, json_type_string) ||
	    !json_object_object_get_ex(params, "path", &p) ||
	    !json_object_is_type(p, json_type_string))
		return xc_fail(x, XMCTL_E_PROTOCOL,
		    "store.watch: no watch or path");
	free(x->x_result);
	x->x_result = strdup(json_object_to_json_string_ext(params,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	x->x_watch_fn(x->x_watch_arg, json_object_get_string(w),
	    json_object_get_string(p));
	return XMCTL_OK;
}

static int
hand_out(struct xmctl *x, struct json_object *msg)
{
	struct json_object *params = NULL;
	const char *name = event_name(msg);
	struct xmctl_event ev;
	char err[256];

	json_object_object_get_ex(msg, "params", &params);
	if (is_watch(msg))
		return hand_out_watch(x, params);
	if (dr_read(&dr_event, params, &ev, err, sizeof(err)) != 0)
		return xc_fail(x, XMCTL_E_PROTOCOL, "domain.%s %s", name, err);
	snprintf(ev.event, sizeof(ev.event), "%s", name);
	free(x->x_result);
	x->x_result = strdup(json_object_to_json_string_ext(params,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	x->x_event_fn(x->x_event_arg, &ev);
	return XMCTL_OK;
}

/* The kept events, to the callback; *handed: whether there were any. */
static int
hand_out_kept(struct xmctl *x, int *handed)
{
	struct json_object *msg;
	int rc = XMCTL_OK;

	while (rc == XMCTL_OK && !x->x_stop && x->x_events != NULL &&
	    json_object_array_length(x->x_events) > 0) {
		msg = json_object_array_get_idx(x->x_events, 0);
		json_object_get(msg);
		json_object_array_del_idx(x->x_events, 0, 1);
		rc = hand_out(x, msg);
		json_object_put(msg);
		*handed = 1;
	}
	return rc;
}

XMCTL_API int
xmctl_events_subscribe(struct xmctl *x, xmctl_event_fn *cb, void *arg)
{
	struct json_object *r;
	int rc;

	if (cb == NULL)
		return xc_fail(x, XMCTL_E_ARG, "no event callback");
	x->x_event_fn = cb;
	x->x_event_arg = arg;
	if ((rc = xc_call(x, "events.subscribe", NULL, &r)) != XMCTL_OK) {
		x->x_event_fn = NULL;
		return rc;
	}
	json_object_put(r);
	return XMCTL_OK;
}

XMCTL_API int
xmctl_events_dispatch(struct xmctl *x, int timeout_ms)
{
	struct json_object *msg;
	int handed, rc;

	if (x->x_event_fn == NULL && x->x_watch_fn == NULL)
		return xc_fail(x, XMCTL_E_ARG, "not subscribed to events");
	x->x_stop = 0;
	handed = 0;
	if ((rc = hand_out_kept(x, &handed)) != XMCTL_OK)
		return rc;
	while (!x->x_stop) {
		rc = xc_next_message(x, &msg, handed ? 0 : timeout_ms);
		if (rc == XMCTL_E_AGAIN)
			break;
		if (rc != XMCTL_OK)
			return rc;
		xc_keep_event(x, msg);
		if ((rc = hand_out_kept(x, &handed)) != XMCTL_OK)
			return rc;
	}
	return handed ? xc_ok(x) : XMCTL_E_AGAIN;
}

XMCTL_API int
xmctl_events_run(struct xmctl *x)
{
	int rc;

	if (x->x_event_fn == NULL && x->x_watch_fn == NULL)
		return xc_fail(x, XMCTL_E_ARG, "not subscribed to events");
	do
		rc = xmctl_events_dispatch(x, -1);
	while (!x->x_stop && (rc == XMCTL_OK || rc == XMCTL_E_AGAIN));
	return x->x_stop ? xc_ok(x) : rc;
}

XMCTL_API void
xmctl_events_stop(struct xmctl *x)
{
	x->x_stop = 1;
}
