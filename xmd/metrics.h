/*
 * Prometheus metrics: GET /metrics on metrics_listen (xmd.conf; off by
 * default) answers in the text exposition format from xmd's latest
 * samples (stats.c), read-only, with no node request. When xmd.conf
 * has tokens, a scrape must send one: "Authorization: Bearer TOKEN".
 */
#ifndef XMD_METRICS_H
#define XMD_METRICS_H

#include <stddef.h>

struct xmd;
struct evbuffer;
struct conf_token;
struct metrics;

/* NULL with the reason in err when the address cannot be bound. */
struct metrics	*metrics_start(struct xmd *, const char *addr,
		    const struct conf_token *tokens, size_t ntokens,
		    char *err, size_t errlen);
void		 metrics_free(struct metrics *);

/* The exposition text of x's figures, appended to b. */
void		 metrics_write(struct xmd *, struct evbuffer *b);

#endif
