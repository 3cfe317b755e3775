/*
 * A migration's bandwidth (domain.migrate's bandwidth, MiB/s, as virsh
 * migrate --bandwidth): a token bucket that the pre-copy rounds ask
 * before each batch of pages they read, so that they go no faster than
 * the stream can, and libevent's rate limit (a token bucket refilled
 * by a timer) on the connection that carries the stream.  Neither
 * sleeps: the rounds wait on a timer, the connection's writes are
 * suspended until the bucket refills.
 */
#ifndef XMD_PACE_H
#define XMD_PACE_H

#include <stddef.h>
#include <stdint.h>

struct bufferevent;
struct ev_token_bucket_cfg;

#define PACE_MIB	(UINT64_C(1) << 20)
#define PACE_TICK_MS	100	/* a refill: a tenth of a second's bytes */

struct pace {
	uint64_t	pa_rate;	/* bytes a second; 0: no limit */
	uint64_t	pa_burst;	/* the most that may go at once */
	uint64_t	pa_tokens;	/* bytes that may go now */
	uint64_t	pa_ms;		/* when it was last refilled */
};

/* A bucket of rate bytes a second (0: no limit), full, at now_ms. */
void		pace_init(struct pace *, uint64_t rate, uint64_t now_ms);
/*
 * n bytes are to go at now_ms: 0 if they may (they are taken), else
 * the milliseconds to wait before asking again.
 */
uint64_t	pace_wait_ms(struct pace *, uint64_t n, uint64_t now_ms);
/* "4 MiB/s" (rate in bytes a second), or "unlimited" for 0, in buf. */
const char	*pace_str(uint64_t rate, char *buf, size_t len);
/* The rate in pages (4 KiB) a millisecond; 0 for no limit. */
double		pace_pages_per_ms(const struct pace *);
/*
 * bev writes at most rate bytes a second (not 0): the bucket's
 * configuration, which bev uses and which is to be freed
 * (ev_token_bucket_cfg_free) only once bev is; NULL if it cannot be.
 */
struct ev_token_bucket_cfg *pace_bufferevent(struct bufferevent *,
		    uint64_t rate);

/*
 * Before bytes go on bev at rate (0: no limit): its read timeout, for
 * the answer after them, becomes step_s more than they take to go.
 */
void		pace_read_timeout(struct bufferevent *, uint64_t bytes,
		    uint64_t rate, unsigned int step_s);

#endif
