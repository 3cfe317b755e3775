/* A migration's bandwidth: a token bucket (pace.h). */
#include <stdint.h>
#include <stdio.h>

#include <event2/bufferevent.h>

#include "pace.h"

/* Never less than a batch of pages (a READ_MEM's, 15 of them). */
#define PACE_BURST_MIN	(64 * 1024)

void
pace_init(struct pace *p, uint64_t rate, uint64_t now_ms)
{
	p->pa_rate = rate;
	p->pa_burst = rate * PACE_TICK_MS / 1000;
	if (p->pa_burst < PACE_BURST_MIN)
		p->pa_burst = PACE_BURST_MIN;
	p->pa_tokens = p->pa_burst;
	p->pa_ms = now_ms;
}

static void
refill(struct pace *p, uint64_t now_ms)
{
	uint64_t add;

	if (now_ms <= p->pa_ms)
		return;
	add = p->pa_rate * (now_ms - p->pa_ms) / 1000;
	p->pa_ms = now_ms;
	p->pa_tokens = add >= p->pa_burst - p->pa_tokens ? p->pa_burst :
	    p->pa_tokens + add;
}

uint64_t
pace_wait_ms(struct pace *p, uint64_t n, uint64_t now_ms)
{
	uint64_t want;

	if (p->pa_rate == 0)
		return 0;
	refill(p, now_ms);
	/* More than a burst goes once the bucket is full, and owes none. */
	want = n < p->pa_burst ? n : p->pa_burst;
	if (p->pa_tokens >= want) {
		p->pa_tokens -= want;
		return 0;
	}
	return ((want - p->pa_tokens) * 1000 + p->pa_rate - 1) / p->pa_rate;
}

const char *
pace_str(uint64_t rate, char *buf, size_t len)
{
	if (rate == 0)
		snprintf(buf, len, "unlimited");
	else if (rate % PACE_MIB == 0)
		snprintf(buf, len, "%llu MiB/s",
		    (unsigned long long)(rate / PACE_MIB));
	else
		snprintf(buf, len, "%llu KiB/s",
		    (unsigned long long)(rate / 1024));
	return buf;
}

double
pace_pages_per_ms(const struct pace *p)
{
	return (double)p->pa_rate / 4096.0 / 1000.0;
}

struct ev_token_bucket_cfg *
pace_bufferevent(struct bufferevent *bev, uint64_t rate)
{
	struct timeval tick = { 0, PACE_TICK_MS * 1000 };
	struct ev_token_bucket_cfg *cfg;
	uint64_t per_tick = rate * PACE_TICK_MS / 1000;

	if (per_tick == 0)
		per_tick = 1;
	if (per_tick > EV_RATE_LIMIT_MAX)
		per_tick = EV_RATE_LIMIT_MAX;
	cfg = ev_token_bucket_cfg_new(EV_RATE_LIMIT_MAX, EV_RATE_LIMIT_MAX,
	    (size_t)per_tick, (size_t)per_tick, &tick);
	if (cfg != NULL && bufferevent_set_rate_limit(bev, cfg) != 0) {
		ev_token_bucket_cfg_free(cfg);
		cfg = NULL;
	}
	return cfg;
}

void
pace_read_timeout(struct bufferevent *bev, uint64_t bytes, uint64_t rate,
    unsigned int step_s)
{
	struct timeval rd = { (time_t)step_s, 0 }, wr = { (time_t)step_s, 0 };

	if (rate == 0)
		return;
	rd.tv_sec += (time_t)(bytes / rate + 1);
	bufferevent_set_timeouts(bev, &rd, &wr);
}
