/*
 * ctl-peer's model of the scheduler (a TEST DOUBLE, see ctl-peer.c):
 * per domain a weight, a cap and each vCPU's hard affinity, checked as
 * include/xm/domctl.h says hv checks them, and vCPU states that look
 * like hv's (vCPU 0 runs while the domain does, the others are down).
 */
#ifndef CTL_PEER_SCHED_H
#define CTL_PEER_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include <xm/domctl.h>

#define PEER_MAX_VCPUS	8

struct peer_sched {
	uint32_t	ps_weight;
	uint32_t	ps_cap;
	uint64_t	ps_cpumap[PEER_MAX_VCPUS];
};

/* What the model needs to know of the domain and the node. */
struct peer_dom_view {
	unsigned int	vcpus;
	unsigned int	nr_cpus;
	int		running;	/* vCPU 0 is on a CPU */
	uint64_t	run_ns;		/* vCPU 0's time so far */
};

/* A new domain's: weight 256, no cap, every vCPU on every CPU. */
void	peer_sched_init(struct peer_sched *, unsigned int nr_cpus);
/*
 * The request op (SCHED_GET, SCHED_SET, VCPU_AFFINITY, VCPU_LIST) with
 * payload p, its size checked: the status (a refusal changes nothing),
 * with the reply in out (room for PEER_MAX_VCPUS vCPU states) and *len.
 */
int	peer_sched_request(struct peer_sched *, const struct peer_dom_view *,
	    uint16_t op, const uint8_t *p, void *out, size_t *len);

#endif
