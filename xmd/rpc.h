/*
 * xmd's JSON-RPC 2.0 server on unix sockets: STATE/xmd.sock (read-write,
 * the admin role; mode 0600, or 0660 with a group) and STATE/xmd-ro.sock
 * (the read-only role, mode 0666).  The wire format:
 *
 *  - Each message is one JSON text on one line, ended by "\n" (JSON
 *    escapes newlines inside strings, so a message never spans lines).
 *    Blank lines are ignored.  A request is at most RPC_LINE_MAX bytes;
 *    a longer one is answered with -32600 and the connection is closed.
 *  - Requests are JSON-RPC 2.0 objects with named params:
 *	{"jsonrpc":"2.0","id":1,"method":"domain.info",
 *	 "params":{"domain":"web1"}}
 *    and are answered in any order (a slow domain.create does not hold
 *    up others), each by its id:
 *	{"jsonrpc":"2.0","id":1,"result":{...}}
 *	{"jsonrpc":"2.0","id":1,"error":{"code":1,
 *	 "message":"domain 'web1': no such domain"}}
 *  - Requests without an id are notifications: run, never answered.
 *    A batch (a JSON array of requests) is answered by one array.
 *  - xmd sends notifications (no id) for streams a client asked for:
 *	{"jsonrpc":"2.0","method":"domain.console.output",
 *	 "params":{"domain":"web1","data":"..."}}
 *	{"jsonrpc":"2.0","method":"domain.console.closed",
 *	 "params":{"domain":"web1","reason":"..."}}
 *  - Rights: each method has a role (read-only or admin); a call above
 *    the connection's role gets error 9 (XMCTL_E_PERM): "method
 *    'domain.define' needs the admin role; this connection is
 *    read-only".  Every admin call, done or refused, is a line in the
 *    audit log (STATE/audit.log): time, uid and pid of the client
 *    (SO_PEERCRED), socket, method, domain, result.
 *  - TCP (rpc_server_listen_tcp, off unless configured): TLS only; a
 *    client certificate that verifies against the CA gives the
 *    connection cert_role; otherwise the connection has no role, and
 *    its first request must be auth.token {"token": SECRET}, which sets
 *    the role of that token; any other method first gets error 9,
 *    "authenticate first", and a wrong token is answered with error 9
 *    and the connection closed.  The audit log names such a client by
 *    its address and port; the connection limit counts per address.
 *  - Limits (struct rpc_limits): a request's size; connections per uid
 *    (more are answered with an error and closed); a client that leaves
 *    a request unfinished or its answers unread for stall_ms, that
 *    queues more than RPC_OUT_MAX bytes, or that sends max_garbage lines
 *    that are not JSON, is disconnected.  Other clients do not notice.
 */
#ifndef XMD_RPC_H
#define XMD_RPC_H

#include "rpc_dispatch.h"

#include <sys/types.h>

#define RPC_LINE_MAX	(2 * 1024 * 1024)
#define RPC_OUT_MAX	(16 * 1024 * 1024)

struct event_base;
struct rpc_server;

struct rpc_limits {
	size_t		 max_request;	/* bytes; at most RPC_LINE_MAX */
	unsigned int	 max_clients_per_uid;
	unsigned int	 stall_ms;
	unsigned int	 max_garbage;
};

#define RPC_LIMITS_DEFAULT	{ RPC_LINE_MAX, 32, 30000, 8 }

/* on_close: peer is about to go; drop whatever refers to it. */
struct rpc_server *rpc_server_new(struct event_base *,
		    const struct rpc_method *table, void *ctx,
		    void (*on_close)(void *ctx, struct rpc_peer *),
		    const struct rpc_limits *);
/* Listen on path for clients of role; gid -1: none.  0, or -1 (errno). */
int		 rpc_server_listen(struct rpc_server *, const char *path,
		    enum rpc_role, mode_t mode, gid_t gid);
struct rpc_token {
	enum rpc_role	 role;
	const char	*secret;
};

struct rpc_tls {
	const char		*cert, *key;	/* PEM */
	const char		*ca;		/* NULL: no client certificates */
	enum rpc_role		 cert_role;
	const struct rpc_token	*tokens;	/* copied */
	size_t			 ntokens;
};

/* Listen on HOST:PORT with TLS: 0, or -1 with why in err. */
int		 rpc_server_listen_tcp(struct rpc_server *,
		    const char *hostport, const struct rpc_tls *, char *err,
		    size_t errlen);
/* The method auth.token (role none): the handler for the method table. */
rpc_handler	 rpc_auth_token;
/* Append an audit line for every admin call to path: 0, or -1. */
int		 rpc_server_audit(struct rpc_server *, const char *path);
void		 rpc_server_free(struct rpc_server *);
unsigned int	 rpc_server_clients(const struct rpc_server *);

#endif
