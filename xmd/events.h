/*
 * Lifecycle events for the clients that called events.subscribe, as
 * JSON-RPC notifications:
 *
 *	{"jsonrpc":"2.0","method":"domain.shutdown","params":{
 *	 "event":"domain.shutdown","domain":"web1","id":3,
 *	 "uuid":"...","timestamp":"2026-11-24T03:41:30.123Z",
 *	 "reason":"poweroff","action":"destroy"}}
 *
 * Events: domain.defined, domain.undefined, domain.started,
 * domain.paused, domain.resumed, domain.shutdown {reason, action},
 * domain.crashed, domain.destroyed; and while a domain migrates live,
 * migration.progress (events_emit_progress).  id is null for a domain that does
 * not run.  Events go out in the order xmd saw the changes.
 */
#ifndef XMD_EVENTS_H
#define XMD_EVENTS_H

#include <stdint.h>

#include <json-c/json.h>

struct xmd;
struct dom;
struct rpc_peer;

/* stats: the peer also gets a domain.stats notification per sample. */
int	events_subscribe(struct xmd *, struct rpc_peer *, int stats);
void	events_unsubscribe(struct xmd *, struct rpc_peer *);
void	events_free(struct xmd *);

/* reason and action: the shutdown event's, else NULL. */
void	events_emit(struct xmd *, const char *event, const char *name,
	    int id, const uint8_t *uuid, const char *reason,
	    const char *action);
void	events_emit_dom(struct xmd *, const char *event, const struct dom *,
	    const char *reason, const char *action);
/*
 * migration.progress {event, domain, phase, round, sent, remaining,
 * dirty, dirty_rate, mbps, bytes} to every subscriber (params taken).
 */
void	events_emit_progress(struct xmd *, struct json_object *params);
/* Whether a subscriber asked for statistics; send them (params taken). */
int	events_want_stats(struct xmd *);
void	events_emit_stats(struct xmd *, struct json_object *params);

#endif
