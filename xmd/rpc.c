/*
 * The JSON-RPC server's transport: unix sockets, one role each, and a
 * TCP listener with TLS (rpc_tls.c); their clients, lines in and out,
 * limits (see rpc.h for the wire format).
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

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
#include "rpc_tls.h"

#include <xmctl.h>

#define RPC_LISTENERS_MAX	4

struct rpc_listener {
	struct evconnlistener	*l_ev;
	char			*l_path;	/* or HOST:PORT */
	enum rpc_role		 l_role;
	struct rpc_tls_ctx	*l_tls;		/* TCP; NULL: unix */
	struct rpc_server	*l_server;
};

struct rpc_client {
	struct rpc_peer		 cl_peer;	/* first */
	TAILQ_ENTRY(rpc_client)	 cl_entry;
	struct rpc_server	*cl_server;
	struct rpc_listener	*cl_listener;
	struct bufferevent	*cl_bev;
	struct event		*cl_stall;	/* a request left unfinished */
	struct rpc_cred		 cl_cred;
	unsigned int		 cl_garbage;
	int			 cl_closing;	/* close once flushed */
	int			 cl_broken;	/* an error: write nothing */
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
	if (!cl->cl_broken)
		rpc_tls_close_notify(cl->cl_bev);
	bufferevent_free(cl->cl_bev);
	if (cl->cl_stall != NULL)
		event_free(cl->cl_stall);
	free(cl);
}

/* Close once what is queued has been sent. */
static void
client_close(struct rpc_client *cl)
{
	cl->cl_closing = 1;
	bufferevent_disable(cl->cl_bev, EV_READ);
	bufferevent_trigger(cl->cl_bev, EV_WRITE,
	    BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS);
}

/* Say why (a JSON-RPC error, id null), then close once it is sent. */
static void
client_drop(struct rpc_client *cl, int code, const char *why)
{
	char msg[512], who[96];
	int n;

	log_warnx("rpc: dropping a client (%s): %s",
	    rpc_cred_str(&cl->cl_cred, who, sizeof(who)), why);
	n = snprintf(msg, sizeof(msg), "{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"error\":{\"code\":%d,\"message\":\"%s\"}}\n", code, why);
	evbuffer_drain(bufferevent_get_output(cl->cl_bev),
	    evbuffer_get_length(bufferevent_get_output(cl->cl_bev)));
	bufferevent_write(cl->cl_bev, msg, (size_t)n);
	client_close(cl);
}

/* The connection has proven role: no more read timeout. */
static void
client_set_role(struct rpc_client *cl, enum rpc_role role)
{
	unsigned int ms = cl->cl_server->s_limits.stall_ms;
	struct timeval wtv = { ms / 1000, (ms % 1000) * 1000 };
	char who[96];

	cl->cl_peer.rp_role = role;
	cl->cl_cred.role = role;
	bufferevent_set_timeouts(cl->cl_bev, NULL, &wtv);
	log_debug("rpc: %s is %s", rpc_cred_str(&cl->cl_cred, who,
	    sizeof(who)), rpc_role_name(role));
}

/*
 * On a unix socket with nothing queued, what the socket takes now is
 * sent at once: an answer then costs one write, not a round through
 * the event loop (two epoll_ctl and an epoll_wait).  How much was sent;
 * an error is left for the bufferevent to find.
 */
static size_t
client_send_now(struct rpc_client *cl, const char *data, size_t len)
{
	ssize_t n;

	if (cl->cl_listener->l_tls != NULL ||
	    evbuffer_get_length(bufferevent_get_output(cl->cl_bev)) != 0)
		return 0;
	do
		n = send(bufferevent_getfd(cl->cl_bev), data, len,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n > 0 ? (size_t)n : 0;
}

static void
client_send(struct rpc_peer *p, const char *data, size_t len)
{
	struct rpc_client *cl = (struct rpc_client *)p;
	struct evbuffer *out = bufferevent_get_output(cl->cl_bev);
	size_t sent;

	if (cl->cl_closing)
		return;
	if (evbuffer_get_length(out) + len > RPC_OUT_MAX) {
		client_drop(cl, -32603, "the client reads too slowly");
		return;
	}
	sent = client_send_now(cl, data, len);
	if (sent < len)
		bufferevent_write(cl->cl_bev, data + sent, len - sent);
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

/* Raw bytes to the peer's taker: 0, or -1 when in has no more. */
static int
client_raw(struct rpc_client *cl, struct evbuffer *in)
{
	struct rpc_peer *p = &cl->cl_peer;
	char buf[64 * 1024];
	size_t n = evbuffer_get_length(in);

	if (n == 0)
		return -1;
	if (n > sizeof(buf))
		n = sizeof(buf);
	if (n > p->rp_raw_left)
		n = (size_t)p->rp_raw_left;
	n = (size_t)evbuffer_remove(in, buf, n);
	p->rp_raw_left -= n;
	p->rp_raw(p->rp_raw_arg, buf, n, p->rp_raw_left == 0);
	return 0;
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct rpc_client *cl = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len, max = cl->cl_server->s_limits.max_request;
	char *line;

	while (!cl->cl_closing) {
		if (cl->cl_peer.rp_raw_left > 0) {
			if (client_raw(cl, in) != 0)
				break;		/* wait for more */
			continue;
		}
		if ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) ==
		    NULL)
			break;
		if (len > max) {
			free(line);
			client_drop(cl, -32600, "a request is too long");
			break;
		}
		client_line(cl, line, len);
		free(line);
	}
	if (!cl->cl_closing && cl->cl_peer.rp_raw_left == 0 &&
	    evbuffer_get_length(in) > max)
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

/* The TLS handshake is done: a certificate may give the role. */
static void
client_tls_ready(struct rpc_client *cl)
{
	enum rpc_role role;

	if (rpc_tls_cert_role(cl->cl_listener->l_tls, cl->cl_bev, &role) == 0)
		client_set_role(cl, role);
}

static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	struct rpc_client *cl = arg;
	char who[96];

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		client_tls_ready(cl);
	if (what & BEV_EVENT_TIMEOUT)
		log_warnx("rpc: a client (%s) stalls, dropping it",
		    rpc_cred_str(&cl->cl_cred, who, sizeof(who)));
	if (what & BEV_EVENT_ERROR)
		cl->cl_broken = 1;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		client_free(cl);
}

/* Connections of the same uid (unix) or address (TCP) as c. */
static unsigned int
clients_of(struct rpc_server *s, const struct rpc_cred *c)
{
	struct rpc_client *cl;
	unsigned int n = 0;

	TAILQ_FOREACH(cl, &s->s_clients, cl_entry)
		n += strcmp(cl->cl_cred.addr, c->addr) == 0 &&
		    (c->addr[0] != '\0' || cl->cl_cred.uid == c->uid);
	return n;
}

static int
peer_cred(int fd, struct rpc_cred *c)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0)
		return -1;
	c->uid = uc.uid;
	c->pid = uc.pid;
	return 0;
}

/* A TCP peer: its address and port. */
static int
peer_addr(const struct sockaddr *sa, struct rpc_cred *c)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

	c->uid = (uid_t)-1;
	c->pid = -1;
	if (sa->sa_family == AF_INET) {
		c->port = ntohs(sin->sin_port);
		return inet_ntop(AF_INET, &sin->sin_addr, c->addr,
		    sizeof(c->addr)) != NULL ? 0 : -1;
	}
	if (sa->sa_family == AF_INET6) {
		c->port = ntohs(sin6->sin6_port);
		return inet_ntop(AF_INET6, &sin6->sin6_addr, c->addr,
		    sizeof(c->addr)) != NULL ? 0 : -1;
	}
	return -1;
}

/* Who is on fd, and a bufferevent for it (TLS on TCP); NULL on failure. */
static struct bufferevent *
client_bev(struct rpc_listener *l, int fd, const struct sockaddr *sa,
    struct rpc_cred *c)
{
	struct event_base *base = l->l_server->s_base;

	if (l->l_tls == NULL) {
		c->role = l->l_role;
		if (peer_cred(fd, c) != 0)
			return NULL;
		return bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	}
	c->role = RPC_ROLE_NONE;
	if (peer_addr(sa, c) != 0)
		return NULL;
	return rpc_tls_bev(l->l_tls, base, fd);
}

static struct rpc_client *
client_new(struct rpc_listener *l, int fd, const struct sockaddr *sa)
{
	struct rpc_server *s = l->l_server;
	struct timeval wtv = { s->s_limits.stall_ms / 1000,
	    (s->s_limits.stall_ms % 1000) * 1000 };
	struct rpc_client *cl;

	if ((cl = calloc(1, sizeof(*cl))) == NULL)
		return NULL;
	if ((cl->cl_stall = evtimer_new(s->s_base, client_stalled, cl)) ==
	    NULL || (cl->cl_bev = client_bev(l, fd, sa, &cl->cl_cred)) ==
	    NULL) {
		if (cl->cl_stall != NULL)
			event_free(cl->cl_stall);
		free(cl);
		return NULL;
	}
	cl->cl_server = s;
	cl->cl_listener = l;
	rpc_peer_init(&cl->cl_peer, client_send, cl->cl_cred.role);
	cl->cl_peer.rp_audit = client_audit;
	TAILQ_INSERT_TAIL(&s->s_clients, cl, cl_entry);
	s->s_nclients++;
	bufferevent_setcb(cl->cl_bev, client_read, client_write,
	    client_event, cl);
	/* Until it has a role, a TCP client may not stall reading either. */
	bufferevent_set_timeouts(cl->cl_bev, l->l_tls != NULL ? &wtv : NULL,
	    &wtv);
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
	char who[96];

	(void)ev, (void)salen;
	if ((cl = client_new(l, fd, sa)) == NULL) {
		log_warnx("rpc: cannot take a client on %s", l->l_path);
		close(fd);
		return;
	}
	if (clients_of(s, &cl->cl_cred) > s->s_limits.max_clients_per_uid) {
		client_drop(cl, -32603, "too many connections from this user");
		return;
	}
	log_debug("rpc: client %s on %s (%u now)", rpc_cred_str(&cl->cl_cred,
	    who, sizeof(who)), l->l_path, s->s_nclients);
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
	memset(l, 0, sizeof(*l));
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
rpc_server_listen_tcp(struct rpc_server *s, const char *hostport,
    const struct rpc_tls *tls, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct rpc_listener *l;
	int sslen = sizeof(ss);

	if (s->s_nlisteners == RPC_LISTENERS_MAX) {
		snprintf(err, errlen, "too many listeners");
		return -1;
	}
	if (evutil_parse_sockaddr_port(hostport, (struct sockaddr *)&ss,
	    &sslen) != 0) {
		snprintf(err, errlen, "%s: not ADDRESS:PORT", hostport);
		return -1;
	}
	l = &s->s_listeners[s->s_nlisteners];
	memset(l, 0, sizeof(*l));
	l->l_server = s;
	l->l_role = RPC_ROLE_NONE;
	if ((l->l_tls = rpc_tls_new(tls, err, errlen)) == NULL)
		return -1;
	if ((l->l_path = strdup(hostport)) == NULL ||
	    (l->l_ev = evconnlistener_new_bind(s->s_base, server_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    16, (struct sockaddr *)&ss, sslen)) == NULL) {
		snprintf(err, errlen, "%s: %s", hostport, strerror(errno));
		free(l->l_path);
		rpc_tls_free(l->l_tls);
		return -1;
	}
	s->s_nlisteners++;
	return 0;
}

void
rpc_auth_token(struct rpc_call *c, struct json_object *params, void *ctx)
{
	struct rpc_client *cl = (struct rpc_client *)rpc_call_peer(c);
	struct json_object *v;
	enum rpc_role role;
	char who[96];

	(void)ctx;
	if (cl->cl_listener->l_tls == NULL ||
	    cl->cl_peer.rp_role != RPC_ROLE_NONE) {
		rpc_error(c, XMCTL_E_STATE, "this connection is %s already",
		    rpc_role_name(cl->cl_peer.rp_role));
		return;
	}
	json_object_object_get_ex(params, "token", &v);
	if (rpc_tls_token_role(cl->cl_listener->l_tls,
	    json_object_get_string(v), &role) != 0) {
		log_warnx("rpc: a wrong token from %s, closing",
		    rpc_cred_str(&cl->cl_cred, who, sizeof(who)));
		rpc_error(c, XMCTL_E_PERM, "wrong token");
		client_close(cl);
		return;
	}
	client_set_role(cl, role);
	v = json_object_new_object();
	json_object_object_add(v, "role",
	    json_object_new_string(rpc_role_name(role)));
	rpc_result(c, v);
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
		if (s->s_listeners[i].l_tls == NULL)
			unlink(s->s_listeners[i].l_path);
		rpc_tls_free(s->s_listeners[i].l_tls);
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
