/*
 * JSON-RPC 2.0 requests to method handlers, with no I/O: a line in,
 * replies out through the peer's send function.  See rpc.c for the wire
 * format.
 *
 * Each method is a table row: name, handler, role and the parameters it
 * takes (by name, each with a type and whether it is required).  The
 * dispatcher answers what is wrong before a handler runs: -32700 (not
 * JSON), -32600 (not a request), -32601 (no such method), -32602 (a
 * parameter missing, unknown or of the wrong type), XMCTL_E_PERM (the
 * peer's role is too low; "authenticate first" while it has none and the
 * method is not one of role none).  A handler ends its call, now or later, with
 * exactly one rpc_result() or rpc_error().  Requests without an id are
 * notifications: they run, and nothing is sent back.  A batch (an array
 * of requests) is answered by one array of the answers, sent once every
 * call in it has ended (nothing when all were notifications); an empty
 * array is -32600.
 *
 * Every call of an admin method, refused or not, is told to the peer's
 * audit function when it has one: method, domain, code (0: success) and
 * the error message.
 */
#ifndef XMD_RPC_DISPATCH_H
#define XMD_RPC_DISPATCH_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

enum rpc_role {
	RPC_ROLE_NONE,		/* not yet authenticated: auth.token only */
	RPC_ROLE_READ,		/* inspection only */
	RPC_ROLE_ADMIN,		/* everything */
};

enum rpc_ptype {
	RPC_P_STRING,
	RPC_P_INT,
	RPC_P_BOOL,
	RPC_P_DOMAIN,		/* a name or UUID (string) or an id */
};

struct rpc_param {
	const char	*name;
	enum rpc_ptype	 type;
	int		 required;
};

struct rpc_call;

typedef void	rpc_handler(struct rpc_call *, struct json_object *params,
		    void *ctx);

struct rpc_method {
	const char		*name;
	rpc_handler		*fn;
	enum rpc_role		 role;
	const struct rpc_param	*params;	/* NULL-named end */
};

/* Bytes of a raw stream; last when the n bytes asked for are all in. */
typedef void	rpc_raw_fn(void *arg, const void *data, size_t len,
		    int last);

/* One connection, as the dispatcher sees it. */
struct rpc_peer {
	void			(*rp_send)(struct rpc_peer *, const char *,
				    size_t);
	enum rpc_role		 rp_role;
	TAILQ_HEAD(, rpc_call)	 rp_calls;	/* not yet answered */
	void			(*rp_audit)(struct rpc_peer *,
				    const char *method, const char *domain,
				    int code, const char *msg);
	/* While rp_raw_left > 0, input goes to rp_raw, not to requests. */
	uint64_t		 rp_raw_left;
	rpc_raw_fn		*rp_raw;
	void			*rp_raw_arg;
};

const char *rpc_role_name(enum rpc_role);

void	rpc_peer_init(struct rpc_peer *, void (*send)(struct rpc_peer *,
	    const char *, size_t), enum rpc_role);
/*
 * The next n bytes the peer sends are not requests: they go to fn, in
 * pieces, then requests are read again (a migration's page stream).
 */
void	rpc_peer_take_raw(struct rpc_peer *, uint64_t n, rpc_raw_fn *fn,
	    void *arg);
/* The connection is gone: answers to its calls will be dropped. */
void	rpc_peer_detach(struct rpc_peer *);

/*
 * One request of len bytes (no newline, a NUL at line[len]) from peer:
 * 0, or -1 when it was not JSON at all (the peer has been answered).
 */
int	rpc_dispatch(const struct rpc_method *table, void *ctx,
	    struct rpc_peer *, const char *line, size_t len);

/* End a call; result is taken over (NULL: null). */
void	rpc_result(struct rpc_call *, struct json_object *result);
void	rpc_error(struct rpc_call *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The peer a call came from; NULL once it has gone. */
struct rpc_peer *rpc_call_peer(const struct rpc_call *);
const char *rpc_call_method(const struct rpc_call *);
/* The ctx given to rpc_dispatch(). */
void	*rpc_call_ctx(const struct rpc_call *);

/* A notification to peer; params is taken over. */
void	rpc_notify(struct rpc_peer *, const char *method,
	    struct json_object *params);

/* len bytes as a JSON string; bytes that are not UTF-8 become U+FFFD. */
struct json_object *rpc_json_bytes(const char *, size_t len);

#endif
