/*
 * Prometheus metrics: GET /metrics on metrics_listen (xmd.conf; off by
 * default) answers in the text exposition format from xmd's latest
 * samples (stats.c), read-only, with no node request.  The rules are
 * the JSON-RPC TCP listener's: TLS, and a client certificate that
 * verifies or a token ("Authorization: Bearer TOKEN"), else 401.
 * Plain HTTP only when xmd.conf says metrics_plain = yes; a token is
 * then needed when xmd.conf has any.
 */
#ifndef XMD_METRICS_H
#define XMD_METRICS_H

#include <stddef.h>

struct xmd;
struct evbuffer;
struct conf_token;
struct metrics;
struct rpc_tls;

/*
 * tls: the TCP listener's files and tokens, or NULL for plain HTTP
 * (tokens: xmd.conf's, kept; none: anyone reads).  NULL with the
 * reason in err when the address cannot be bound or TLS set up.
 */
struct metrics	*metrics_start(struct xmd *, const char *addr,
		    const struct rpc_tls *tls, const struct conf_token *tokens,
		    size_t ntokens, char *err, size_t errlen);
void		 metrics_free(struct metrics *);

/* The exposition text of x's figures, appended to b. */
void		 metrics_write(struct xmd *, struct evbuffer *b);

#endif
