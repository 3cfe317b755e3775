/*
 * The JSON-RPC server's transport: a unix socket, its clients, lines in
 * and out (see rpc.h for the wire format).
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "log.h"
#include "rpc.h"

struct rpc_client {
	struct rpc_peer		 cl_peer;	/* first */
	TAILQ_ENTRY(rpc_client)	 cl_entry;
	struct rpc_server	*cl_server;
	struct bufferevent	*cl_bev;
	int			 cl_closing;	/* close once flushed */
};

struct rpc_server {
	struct evconnlistener	*s_listener;
	char			*s_path;
	const struct rpc_method	*s_table;
	void			*s_ctx;
	void			(*s_on_close)(void *, struct rpc_peer *);
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
	free(cl);
}

static void
client_send(struct rpc_peer *p, const char *data, size_t len)
{
	struct rpc_client *cl = (struct rpc_client *)p;
	struct evbuffer *out = bufferevent_get_output(cl->cl_bev);

	if (cl->cl_closing)
		return;
	if (evbuffer_get_length(out) + len > RPC_OUT_MAX) {
		log_warnx("rpc: a client reads too slowly, dropping it");
		cl->cl_closing = 1;
		bufferevent_disable(cl->cl_bev, EV_READ);
		evbuffer_drain(out, evbuffer_get_length(out));
		bufferevent_trigger(cl->cl_bev, EV_WRITE,
		    BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS);
		return;
	}
	bufferevent_write(cl->cl_bev, data, len);
}

static void
client_too_long(struct rpc_client *cl)
{
	static const char msg[] = "{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"error\":{\"code\":-32600,\"message\":"
	    "\"a request must be shorter than 2 MiB\"}}\n";

	log_warnx("rpc: a request is longer than %d bytes, closing",
	    RPC_LINE_MAX);
	bufferevent_write(cl->cl_bev, msg, sizeof(msg) - 1);
	cl->cl_closing = 1;
	bufferevent_disable(cl->cl_bev, EV_READ);
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct rpc_client *cl = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct rpc_server *s = cl->cl_server;
	size_t len;
	char *line;

	while (!cl->cl_closing &&
	    (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (len > RPC_LINE_MAX) {
			free(line);
			client_too_long(cl);
			break;
		}
		if (len > 0 && strspn(line, " \t\r") != len)
			rpc_dispatch(s->s_table, s->s_ctx, &cl->cl_peer, line,
			    len);
		free(line);
	}
	if (!cl->cl_closing && evbuffer_get_length(in) > RPC_LINE_MAX)
		client_too_long(cl);
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
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		client_free(arg);
}

static void
server_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct rpc_server *s = arg;
	struct rpc_client *cl;

	(void)l, (void)sa, (void)salen;
	if ((cl = calloc(1, sizeof(*cl))) == NULL ||
	    (cl->cl_bev = bufferevent_socket_new(evconnlistener_get_base(l),
	    fd, BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		log_warnx("rpc: out of memory for a client");
		free(cl);
		close(fd);
		return;
	}
	cl->cl_server = s;
	rpc_peer_init(&cl->cl_peer, client_send, RPC_ROLE_ADMIN);
	TAILQ_INSERT_TAIL(&s->s_clients, cl, cl_entry);
	s->s_nclients++;
	bufferevent_setcb(cl->cl_bev, client_read, client_write,
	    client_event, cl);
	bufferevent_enable(cl->cl_bev, EV_READ | EV_WRITE);
	log_debug("rpc: client connected (%u now)", s->s_nclients);
}

static struct evconnlistener *
listen_unix(struct event_base *base, const char *path, struct rpc_server *s)
{
	struct evconnlistener *l;
	struct sockaddr_un sun;
	mode_t old;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(sun.sun_path, path);
	unlink(path);
	old = umask(0077);
	l = evconnlistener_new_bind(base, server_accept, s,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	return l;
}

struct rpc_server *
rpc_server_new(struct event_base *base, const char *path,
    const struct rpc_method *table, void *ctx,
    void (*on_close)(void *, struct rpc_peer *))
{
	struct rpc_server *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->s_path = strdup(path)) == NULL) {
		free(s);
		return NULL;
	}
	s->s_table = table;
	s->s_ctx = ctx;
	s->s_on_close = on_close;
	TAILQ_INIT(&s->s_clients);
	if ((s->s_listener = listen_unix(base, path, s)) == NULL) {
		free(s->s_path);
		free(s);
		return NULL;
	}
	return s;
}

void
rpc_server_free(struct rpc_server *s)
{
	if (s == NULL)
		return;
	while (!TAILQ_EMPTY(&s->s_clients))
		client_free(TAILQ_FIRST(&s->s_clients));
	evconnlistener_free(s->s_listener);
	unlink(s->s_path);
	free(s->s_path);
	free(s);
}

unsigned int
rpc_server_clients(const struct rpc_server *s)
{
	return s->s_nclients;
}
