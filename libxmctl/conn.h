/* libxmctl's insides: the handle and the JSON-RPC exchange. */
#ifndef LIBXMCTL_CONN_H
#define LIBXMCTL_CONN_H

#include <sys/types.h>

#include <stddef.h>

#include <json-c/json.h>

#include "uri.h"
#include "xmctl.h"

#define XMCTL_API	__attribute__((visibility("default")))
#define XC_LINE_MAX	(32 * 1024 * 1024)

struct ssl_st;

struct xmctl {
	int		 x_fd;
	struct ssl_st	*x_ssl;		/* xm+tls: over x_fd */
	pid_t		 x_child;	/* xm+ssh: ssh, on x_fd's other end */
	char		*x_uri;		/* remote ones: for messages */
	int		 x_code;
	char		 x_msg[1024];
	int		 x_next_id;
	char		*x_buf;		/* read, not yet taken */
	size_t		 x_len;
	size_t		 x_cap;
	int		 x_following;	/* a console stream is on */
	xmctl_event_fn	*x_event_fn;	/* events.subscribe'd */
	void		*x_event_arg;
	xmctl_watch_fn	*x_watch_fn;	/* store.watch'd */
	void		*x_watch_arg;
	struct json_object *x_events;	/* came during a call: kept */
	int		 x_stop;	/* xmctl_events_stop() */
	char		*x_result;	/* the last call's, as JSON text */
	/* During xmctl_domain_migrate_opts(): its domain's progress. */
	xmctl_progress_fn *x_progress_fn;
	void		*x_progress_arg;
	char		 x_progress_dom[XMCTL_NAME_MAX];
};

/* Set the handle's error; returns code. */
int	xc_fail(struct xmctl *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	xc_ok(struct xmctl *);

/*
 * One request: method with params (taken over; NULL: {}), its result in
 * *result (the caller puts it) or the error on the handle.
 */
int	xc_call(struct xmctl *, const char *method,
	    struct json_object *params, struct json_object **result);

/*
 * The next message from xmd, waiting up to timeout_ms (-1: for ever);
 * XMCTL_E_AGAIN when none came in time.
 */
int	xc_next_message(struct xmctl *, struct json_object **msg,
	    int timeout_ms);

/*
 * Keep msg (taken over) for xmctl_events_dispatch() if it is a
 * lifecycle event the handle subscribed to; else put it.
 */
void	xc_keep_event(struct xmctl *, struct json_object *msg);

/*
 * Whether msg is a migration.progress notification: if so it is taken
 * (put), and handed to x_progress_fn when it is x_progress_dom's and
 * well-formed (a malformed one is dropped: the migration goes on).
 */
int	xc_take_progress(struct xmctl *, struct json_object *msg);
/* Its parameters into p: 0, or -1 with the reason in err. */
int	xc_read_progress(struct json_object *msg,
	    struct xmctl_migration_progress *p, char *err, size_t errlen);

/* Close the connection (any kind); the handle can connect again. */
void	xc_close(struct xmctl *);

/* xm+tls: connected and authenticated, or an error on the handle. */
int	xc_tls_connect(struct xmctl *, const struct xc_uri *,
	    const char *uri);
/* As read(2) and write(2) on the TLS connection. */
ssize_t	xc_tls_read(struct xmctl *, void *buf, size_t len);
ssize_t	xc_tls_write(struct xmctl *, const void *buf, size_t len);
int	xc_tls_pending(const struct xmctl *);
void	xc_tls_free(struct xmctl *);

/* xm+ssh: ssh started, or an error on the handle. */
int	xc_ssh_connect(struct xmctl *, const struct xc_uri *,
	    const char *uri, int readonly);
/* Wait for ssh to end, once x_fd is closed. */
void	xc_ssh_reap(struct xmctl *);

/* A params object naming one domain. */
struct json_object *xc_dom_params(const char *dom);

#endif
