/*
 * xmd's JSON-RPC 2.0 server on a unix socket (STATE/xmd.sock, mode
 * 0600).  The wire format:
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
 *    Batches are not supported yet (-32600).
 *  - xmd sends notifications (no id) for streams a client asked for:
 *	{"jsonrpc":"2.0","method":"domain.console.output",
 *	 "params":{"domain":"web1","data":"..."}}
 *	{"jsonrpc":"2.0","method":"domain.console.closed",
 *	 "params":{"domain":"web1","reason":"..."}}
 *  - A client that does not read what it is sent (more than
 *    RPC_OUT_MAX bytes queued) is disconnected.
 */
#ifndef XMD_RPC_H
#define XMD_RPC_H

#include "rpc_dispatch.h"

#define RPC_LINE_MAX	(2 * 1024 * 1024)
#define RPC_OUT_MAX	(16 * 1024 * 1024)

struct event_base;
struct rpc_server;

/* on_close: peer is about to go; drop whatever refers to it. */
struct rpc_server *rpc_server_new(struct event_base *, const char *path,
		    const struct rpc_method *table, void *ctx,
		    void (*on_close)(void *ctx, struct rpc_peer *));
void		 rpc_server_free(struct rpc_server *);
unsigned int	 rpc_server_clients(const struct rpc_server *);

#endif
