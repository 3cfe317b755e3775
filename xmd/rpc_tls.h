/*
 * TLS for the JSON-RPC server's TCP listener (rpc.c): the server's
 * context (certificate, key, and the CA that client certificates must
 * verify against), a bufferevent_openssl for each connection, and the
 * role a connection proves, by its certificate or by a token.
 */
#ifndef XMD_RPC_TLS_H
#define XMD_RPC_TLS_H

#include <stddef.h>

#include "rpc.h"

struct bufferevent;
struct event_base;
struct rpc_tls_ctx;

/* NULL, with why in err. */
struct rpc_tls_ctx *rpc_tls_new(const struct rpc_tls *, char *err,
		    size_t errlen);
void		 rpc_tls_free(struct rpc_tls_ctx *);
/* A TLS server on fd (taken over); NULL on failure (fd left open). */
struct bufferevent *rpc_tls_bev(struct rpc_tls_ctx *, struct event_base *,
		    int fd);
/*
 * A TLS connection about to be freed: its close_notify alert, so that
 * the peer sees the end was meant, not cut (nothing for one that is
 * not TLS, or whose handshake did not finish).
 */
void		 rpc_tls_close_notify(struct bufferevent *);
/* The role of a client certificate that verified: 0, or -1 if none. */
int		 rpc_tls_cert_role(struct rpc_tls_ctx *, struct bufferevent *,
		    enum rpc_role *);
/* The role of token, compared in constant time: 0, or -1 if none. */
int		 rpc_tls_token_role(struct rpc_tls_ctx *, const char *token,
		    enum rpc_role *);

#endif
