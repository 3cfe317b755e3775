/*
 * The JSON-RPC server's transport: unix sockets, one role each, their
 * clients, lines in and out, limits (see rpc.h for the wire format).
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "log.h"
#include "rpc.h"
#include "rpc_audit.h"

#define RPC_LISTENERS_MAX	4

struct rpc_listener {
	struct evconnlistener	*l_ev;
	char			*l_path;
	enum rpc_role		 l_role;
	struct rpc_server	*l_server;
};

struct rpc_client {
	struct rpc_peer		 cl_peer;	/* first */
	TAILQ_ENTRY(rpc_client)	 cl_entry;
	struct rpc_server	*cl_server;
	struct bufferevent	*cl_bev;
	struct event		*cl_stall;	/* a request left unfinished */
	struct rpc_cred		 cl_cred;
	unsigned int		 cl_garbage;
	int			 cl_closing;	/* close once flushed */
};

struct rpc_server {
	struct event_base	*s_base;
	struct rpc_listener	 s_listeners[RPC_LISTENERS_MAX];
	unsigned int		 s_nlisteners;
	const struct rpc_method	*s_table;
	void			*s_ctx;
	void			(*s_on_close)(void *, struct rpc_peer *);
	struct rpc_limits	 s_limits;
	struct rpc_audit	*s_audit;
	TAILQ_HEAD(, rpc_client) s_clients;
	unsigned int		 s_nclients;
};

static void
client_free(struct rpc_client *cl)
{
	struct rpc_server *s = cl->cl_server;

	s->s_on_close(s->s_ctx, &cl->cl_peer);
	rpc_peer_detach(&cl->cl_peer);
	TAILQ_REMOVE(&s->s_clients, cl, cl_entry);
	s->s_nclients--;
	bufferevent_free(cl->cl_bev);
	if (cl->cl_stall != NULL)
		event_free(cl->cl_stall);
	free(cl);
}

/* Say why (a JSON-RPC error, id null), then close once it is sent. */
static void
client_drop(struct rpc_client *cl, int code, const char *why)
{
	char msg[512];
	int n;

	log_warnx("rpc: dropping a client (uid %d, pid %d): %s",
	    (int)cl->cl_cred.uid, (int)cl->cl_cred.pid, why);
	n = snprintf(msg, sizeof(msg), "{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"error\":{\"code\":%d,\"message\":\"%s\"}}\n", code, why);
	evbuffer_drain(bufferevent_get_output(cl->cl_bev),
	    evbuffer_get_length(bufferevent_get_output(cl->cl_bev)));
	bufferevent_write(cl->cl_bev, msg, (size_t)n);
	cl->cl_closing = 1;
	bufferevent_disable(cl->cl_bev, EV_READ);
	bufferevent_trigger(cl->cl_bev, EV_WRITE,
	    BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS);
}

static void
client_send(struct rpc_peer *p, const char *data, size_t len)
{
	struct rpc_client *cl = (struct rpc_client *)p;
	struct evbuffer *out = bufferevent_get_output(cl->cl_bev);

	if (cl->cl_closing)
		return;
	if (evbuffer_get_length(out) + len > RPC_OUT_MAX) {
		client_drop(cl, -32603, "the client reads too slowly");
		return;
	}
	bufferevent_write(cl->cl_bev, data, len);
}

static void
client_audit(struct rpc_peer *p, const char *method, const char *domain,
    int code, const char *msg)
{
	struct rpc_client *cl = (struct rpc_client *)p;

	rpc_audit_log(cl->cl_server->s_audit, &cl->cl_cred, method, domain,
	    code, msg);
}

static void
client_line(struct rpc_client *cl, char *line, size_t len)
{
	struct rpc_server *s = cl->cl_server;

	if (len == 0 || strspn(line, " \t\r") == len)
		return;
	if (rpc_dispatch(s->s_table, s->s_ctx, &cl->cl_peer, line, len) != 0 &&
	    ++cl->cl_garbage >= s->s_limits.max_garbage)
		client_drop(cl, -32700, "too many requests that are not JSON");
}

/* Arm the stall timer while a request is unfinished. */
static void
client_watch(struct rpc_client *cl, size_t pending)
{
	unsigned int ms = cl->cl_server->s_limits.stall_ms;
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (pending == 0 || cl->cl_closing)
		evtimer_del(cl->cl_stall);
	else if (!evtimer_pending(cl->cl_stall, NULL))
		evtimer_add(cl->cl_stall, &tv);
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct rpc_client *cl = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len, max = cl->cl_server->s_limits.max_request;
	char *line;

	while (!cl->cl_closing &&
	    (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (len > max) {
			free(line);
			client_drop(cl, -32600, "a request is too long");
			break;
		}
		client_line(cl, line, len);
		free(line);
	}
	if (!cl->cl_closing && evbuffer_get_length(in) > max)
		client_drop(cl, -32600, "a request is too long");
	client_watch(cl, evbuffer_get_length(in));
}

static void
client_stalled(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	client_drop(arg, -32600, "a request was left unfinished");
}

static void
client_write(struct bufferevent *bev, void *arg)
{
	struct rpc_client *cl = arg;

	if (cl->cl_closing &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		client_free(cl);
}

static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	struct rpc_client *cl = arg;

	(void)bev;
	if (what & BEV_EVENT_TIMEOUT)
		log_warnx("rpc: a client (uid %d) does not read its answers, dropping it",
		    (int)cl->cl_cred.uid);
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		client_free(cl);
}

static unsigned int
clients_of(struct rpc_server *s, uid_t uid)
{
	struct rpc_client *cl;
	unsigned int n = 0;

	TAILQ_FOREACH(cl, &s->s_clients, cl_entry)
		n += cl->cl_cred.uid == uid;
	return n;
}

static int
peer_cred(int fd, struct rpc_cred *c, enum rpc_role role)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0)
		return -1;
	c->uid = uc.uid;
	c->pid = uc.pid;
	c->role = role;
	return 0;
}

static struct rpc_client *
client_new(struct rpc_listener *l, int fd)
{
	struct rpc_server *s = l->l_server;
	struct timeval wtv = { s->s_limits.stall_ms / 1000,
	    (s->s_limits.stall_ms % 1000) * 1000 };
	struct rpc_client *cl;

	if ((cl = calloc(1, sizeof(*cl))) == NULL)
		return NULL;
	if (peer_cred(fd, &cl->cl_cred, l->l_role) != 0 ||
	    (cl->cl_stall = evtimer_new(s->s_base, client_stalled, cl)) ==
	    NULL || (cl->cl_bev = bufferevent_socket_new(s->s_base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		if (cl->cl_stall != NULL)
			event_free(cl->cl_stall);
		free(cl);
		return NULL;
	}
	cl->cl_server = s;
	rpc_peer_init(&cl->cl_peer, client_send, l->l_role);
	cl->cl_peer.rp_audit = client_audit;
	TAILQ_INSERT_TAIL(&s->s_clients, cl, cl_entry);
	s->s_nclients++;
	bufferevent_setcb(cl->cl_bev, client_read, client_write,
	    client_event, cl);
	bufferevent_set_timeouts(cl->cl_bev, NULL, &wtv);
	bufferevent_enable(cl->cl_bev, EV_READ | EV_WRITE);
	return cl;
}

static void
server_accept(struct evconnlistener *ev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct rpc_listener *l = arg;
	struct rpc_server *s = l->l_server;
	struct rpc_client *cl;

	(void)ev, (void)sa, (void)salen;
	if ((cl = client_new(l, fd)) == NULL) {
		log_warnx("rpc: cannot take a client on %s", l->l_path);
		close(fd);
		return;
	}
	if (clients_of(s, cl->cl_cred.uid) > s->s_limits.max_clients_per_uid) {
		client_drop(cl, -32603, "too many connections from this user");
		return;
	}
	log_debug("rpc: client uid %d pid %d on %s (%u now)",
	    (int)cl->cl_cred.uid, (int)cl->cl_cred.pid, l->l_path,
	    s->s_nclients);
}

static struct evconnlistener *
listen_unix(struct rpc_listener *l, mode_t mode, gid_t gid)
{
	struct evconnlistener *ev;
	struct sockaddr_un sun;
	mode_t old;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(l->l_path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(sun.sun_path, l->l_path);
	unlink(l->l_path);
	old = umask(0077);
	ev = evconnlistener_new_bind(l->l_server->s_base, server_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ev == NULL)
		return NULL;
	if ((gid != (gid_t)-1 && chown(l->l_path, (uid_t)-1, gid) != 0) ||
	    chmod(l->l_path, mode) != 0) {
		evconnlistener_free(ev);
		return NULL;
	}
	return ev;
}

int
rpc_server_listen(struct rpc_server *s, const char *path, enum rpc_role role,
    mode_t mode, gid_t gid)
{
	struct rpc_listener *l;

	if (s->s_nlisteners == RPC_LISTENERS_MAX) {
		errno = ENOSPC;
		return -1;
	}
	l = &s->s_listeners[s->s_nlisteners];
	l->l_server = s;
	l->l_role = role;
	if ((l->l_path = strdup(path)) == NULL)
		return -1;
	if ((l->l_ev = listen_unix(l, mode, gid)) == NULL) {
		free(l->l_path);
		return -1;
	}
	s->s_nlisteners++;
	return 0;
}

int
rpc_server_audit(struct rpc_server *s, const char *path)
{
	return (s->s_audit = rpc_audit_open(path)) != NULL ? 0 : -1;
}

struct rpc_server *
rpc_server_new(struct event_base *base, const struct rpc_method *table,
    void *ctx, void (*on_close)(void *, struct rpc_peer *),
    const struct rpc_limits *limits)
{
	struct rpc_server *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->s_base = base;
	s->s_table = table;
	s->s_ctx = ctx;
	s->s_on_close = on_close;
	s->s_limits = *limits;
	if (s->s_limits.max_request == 0 ||
	    s->s_limits.max_request > RPC_LINE_MAX)
		s->s_limits.max_request = RPC_LINE_MAX;
	TAILQ_INIT(&s->s_clients);
	return s;
}

void
rpc_server_free(struct rpc_server *s)
{
	unsigned int i;

	if (s == NULL)
		return;
	while (!TAILQ_EMPTY(&s->s_clients))
		client_free(TAILQ_FIRST(&s->s_clients));
	for (i = 0; i < s->s_nlisteners; i++) {
		evconnlistener_free(s->s_listeners[i].l_ev);
		unlink(s->s_listeners[i].l_path);
		free(s->s_listeners[i].l_path);
	}
	rpc_audit_close(s->s_audit);
	free(s);
}

unsigned int
rpc_server_clients(const struct rpc_server *s)
{
	return s->s_nclients;
}
