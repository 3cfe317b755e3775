/*
 * The node's wall clock, set from the host's.  hv reads the CMOS RTC at
 * boot, right to the second at best, so two nodes disagree by up to a
 * second and a migrated guest's clock jumps by as much.  As a Linux
 * domain 0 keeps Xen's wall clock to its own NTP-disciplined one, xmd
 * keeps hv's to the host's: it reads hv's system time through domain 0
 * (CLOCK READ) CLOCK_PROBES times, keeps the reading with the shortest
 * round trip, takes the host's clock at the middle of that trip as the
 * wall time at that system time (so it is right within half the trip),
 * and has domain 0 set it (CLOCK SET: platform_op settime).  Again every
 * CLOCK_PERIOD_S, as an NTP client polls.
 */
#include <sys/uio.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <xm/ctl.h>

#include "clock.h"
#include "ctl.h"
#include "log.h"
#include "xmd.h"

#define CLOCK_PROBES	8
#define CLOCK_PERIOD_S	60
#define CLOCK_LOG_NS	1000000	/* a correction worth a line: 1 ms */

struct clock_sync {
	struct xmd	*cs_x;
	struct event	*cs_timer;
	unsigned int	 cs_probe;
	int		 cs_busy;	/* a setting under way */
	unsigned int	 cs_rounds;
	uint64_t	 cs_t0;		/* host ns when the probe went */
	uint64_t	 cs_rtt;	/* the best probe's */
	uint64_t	 cs_system;	/* hv's system time then */
	uint64_t	 cs_wall;	/* the host's clock then */
	uint64_t	 cs_hv_wall;	/* hv's wall clock then */
};

static uint64_t
host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void	clock_probe(struct clock_sync *);

static void
clock_again(struct clock_sync *cs)
{
	struct timeval tv = { CLOCK_PERIOD_S, 0 };

	cs->cs_busy = 0;
	evtimer_add(cs->cs_timer, &tv);
}

static int
clock_send(struct clock_sync *cs, uint32_t op, ctl_reply_fn *fn)
{
	struct xm_ctl_clock req;
	struct iovec iov = { &req, sizeof(req) };

	memset(&req, 0, sizeof(req));
	req.op = op;
	req.wall_ns = cs->cs_wall;
	req.system_ns = cs->cs_system;
	cs->cs_t0 = host_ns();
	return ctl_request(cs->cs_x->x_ctl, XM_CTL_OP_CLOCK, &iov, 1, 0, fn,
	    cs);
}

static void
set_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct clock_sync *cs = arg;
	int64_t off = (int64_t)(cs->cs_hv_wall - cs->cs_wall);

	(void)data, (void)len;
	if (status != 0)
		log_warnx("node: cannot set its wall clock: %s",
		    ctl_strerror(status));
	else if (cs->cs_rounds++ == 0 || off > CLOCK_LOG_NS ||
	    off < -CLOCK_LOG_NS)
		log_info("node: wall clock set to the host's: it was %+.3f ms "
		    "off; now right within %.3f ms", (double)off / 1e6,
		    (double)cs->cs_rtt / 2e6);
	clock_again(cs);
}

static void
read_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct clock_sync *cs = arg;
	struct xm_ctl_clock_reply r;
	uint64_t t1 = host_ns(), rtt = t1 - cs->cs_t0;

	if (status == -XM_ENOSYS) {	/* a node without it: leave it be */
		log_info("node: domain 0 cannot read or set hv's clock; the "
		    "wall clock stays hv's own");
		return;
	}
	if (status != 0 || len != sizeof(r)) {
		log_warnx("node: cannot read its clock: %s", status != 0 ?
		    ctl_strerror(status) : "a reply of the wrong size");
		clock_again(cs);
		return;
	}
	memcpy(&r, data, sizeof(r));
	if (cs->cs_probe == 0 || rtt < cs->cs_rtt) {
		cs->cs_rtt = rtt;
		cs->cs_system = r.system_ns;
		cs->cs_wall = cs->cs_t0 + rtt / 2;
		cs->cs_hv_wall = r.wall_ns;
	}
	if (++cs->cs_probe < CLOCK_PROBES) {
		clock_probe(cs);
		return;
	}
	if (clock_send(cs, XM_CTL_CLOCK_SET, set_reply) != 0)
		clock_again(cs);
}

static void
clock_probe(struct clock_sync *cs)
{
	cs->cs_busy = 1;
	if (clock_send(cs, XM_CTL_CLOCK_READ, read_reply) != 0)
		clock_again(cs);	/* the channel is down: later */
}

static void
clock_tick(evutil_socket_t fd, short what, void *arg)
{
	struct clock_sync *cs = arg;

	(void)fd, (void)what;
	cs->cs_probe = 0;
	clock_probe(cs);
}

void
clock_sync_start(struct xmd *x)
{
	struct clock_sync *cs;

	if (x->x_clock != NULL)
		return;
	if ((cs = calloc(1, sizeof(*cs))) == NULL ||
	    (cs->cs_timer = evtimer_new(x->x_base, clock_tick, cs)) == NULL) {
		log_warnx("node: cannot keep its wall clock: out of memory");
		free(cs);
		return;
	}
	cs->cs_x = x;
	x->x_clock = cs;
	clock_probe(cs);
}

void
clock_sync_now(struct xmd *x)
{
	struct clock_sync *cs = x->x_clock;

	if (cs == NULL || cs->cs_busy)
		return;
	log_info("node: setting its wall clock again, for a migration");
	cs->cs_rounds = 0;	/* and say how far off it was */
	evtimer_del(cs->cs_timer);
	cs->cs_probe = 0;
	clock_probe(cs);
}

void
clock_sync_free(struct xmd *x)
{
	struct clock_sync *cs = x->x_clock;

	if (cs == NULL)
		return;
	event_free(cs->cs_timer);
	free(cs);
	x->x_clock = NULL;
}
