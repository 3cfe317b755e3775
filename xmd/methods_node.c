/*
 * node.ping {count, size}: ECHO requests over the control channel, one
 * at a time, each with its own bytes, and their round trips (the time
 * xmd waits for domain 0 to answer, the channel and QEMU included).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "ctl.h"
#include "dom_record.h"
#include "methods.h"
#include "rpc_dispatch.h"
#include "xmd.h"

#define PING_DEFAULT_SIZE	64

struct ping {
	struct xmd	*p_x;
	struct rpc_call	*p_call;
	unsigned int	 p_count;
	unsigned int	 p_done;
	size_t		 p_size;
	uint64_t	 p_sent;	/* ns, CLOCK_MONOTONIC */
	uint64_t	 p_min, p_max, p_sum;
	uint8_t		 p_data[];
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static void	ping_reply(void *, int, const uint8_t *, size_t);

/* The next ECHO; its bytes differ from the last one's. */
static int
ping_send(struct ping *p)
{
	struct iovec iov = { p->p_data, p->p_size };
	size_t i;

	for (i = 0; i < p->p_size; i++)
		p->p_data[i] = (uint8_t)(i * 31 + p->p_done);
	p->p_sent = now_ns();
	return ctl_request(p->p_x->x_ctl, XM_CTL_OP_ECHO, &iov, 1, 0,
	    ping_reply, p);
}

static void
ping_result(struct ping *p)
{
	struct xmctl_ping pg = {
		.count = p->p_count,
		.size = p->p_size,
		.min_ns = p->p_min,
		.avg_ns = p->p_sum / p->p_count,
		.max_ns = p->p_max,
	};

	rpc_result(p->p_call, dr_write(&dr_ping, &pg));
}

static void
ping_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct ping *p = arg;
	uint64_t rtt = now_ns() - p->p_sent;

	if (status != 0) {
		rpc_error(p->p_call, status == CTL_E_TIMEOUT ?
		    XMCTL_E_TIMEOUT : XMCTL_E_NODE, "node: echo %u of %u: %s",
		    p->p_done + 1, p->p_count, ctl_strerror(status));
		goto out;
	}
	if (len != p->p_size || (len > 0 && memcmp(data, p->p_data, len))) {
		rpc_error(p->p_call, XMCTL_E_NODE, "node: echo %u of %u came "
		    "back as %zu other bytes (%zu sent)", p->p_done + 1,
		    p->p_count, len, p->p_size);
		goto out;
	}
	if (p->p_done == 0 || rtt < p->p_min)
		p->p_min = rtt;
	if (rtt > p->p_max)
		p->p_max = rtt;
	p->p_sum += rtt;
	if (++p->p_done < p->p_count) {
		if (ping_send(p) == 0)
			return;
		rpc_error(p->p_call, XMCTL_E_NODE, "node: cannot reach it");
		goto out;
	}
	ping_result(p);
out:
	free(p);
}

/* params' integer name, def if absent; -1 (answered) if out of range. */
static long
int_param(struct rpc_call *call, struct json_object *params,
    const char *name, long def, long min, long max)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(params, name, &v))
		return def;
	n = json_object_get_int64(v);
	if (n < min || n > max) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS,
		    "node: %s %lld: must be from %ld to %ld", name,
		    (long long)n, min, max);
		return -1;
	}
	return (long)n;
}

void
m_node_ping(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct ping *p;
	long count, size;

	if ((count = int_param(call, params, "count", 1, 1,
	    XMCTL_PING_MAX_COUNT)) < 0 ||
	    (size = int_param(call, params, "size", PING_DEFAULT_SIZE, 0,
	    XM_CTL_MAX_PAYLOAD)) < 0)
		return;
	if (!methods_node_up(x, call))
		return;
	if ((p = calloc(1, sizeof(*p) + (size_t)size)) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	p->p_x = x;
	p->p_call = call;
	p->p_count = (unsigned int)count;
	p->p_size = (size_t)size;
	if (ping_send(p) != 0) {
		rpc_error(call, XMCTL_E_NODE, "node: cannot reach it");
		free(p);
	}
}
