/*
 * Samples of the node's statistics (XM_CTL_OP_STATS), kept per domain
 * in a bounded ring, and what they are turned into for domain.stats and
 * node.stats: the latest figures and the rates over the interval before
 * them. No I/O: stats.c samples, the unit tests feed it by hand.
 */
#ifndef XMD_STATS_RING_H
#define XMD_STATS_RING_H

#include <stdint.h>

#include <xm/ctl.h>
#include <xmctl.h>

#define STATS_RING_MAX	3600	/* samples a ring may keep */

_Static_assert(XMCTL_STATS_HYPERCALLS == XM_STATS_HYPERCALLS,
    "one counter per hypercall number, in hv and in libxmctl");

struct stats_sample {
	uint64_t		 ss_now;	/* hv's time, ns */
	struct xm_dom_stats	 ss_dom;
};

struct stats_ring {
	unsigned int		 sr_size;	/* capacity */
	unsigned int		 sr_head;	/* the next slot */
	unsigned int		 sr_count;
	struct stats_sample	 sr_s[];
};

/* A ring for size (1 .. STATS_RING_MAX) samples; NULL without memory. */
struct stats_ring	*stats_ring_new(unsigned int size);
/*
 * Keep s, taken at now; the oldest sample goes when the ring is full.
 * A sample of another domain (a new one with the same id: created_ns
 * differs) or one older than the latest empties the ring first.
 */
void	stats_ring_push(struct stats_ring *, uint64_t now,
	    const struct xm_dom_stats *s);
/* The sample back samples before the latest (0: the latest), or NULL. */
const struct stats_sample *stats_ring_at(const struct stats_ring *,
	    unsigned int back);

/*
 * The latest sample's figures and the rates since the one before it
 * (0 with one sample) into out; the caller fills name, id, state.state
 * and the balloon figures.
 */
void	stats_ring_record(const struct stats_ring *,
	    struct xmctl_domain_stats *out);

/* Per second (percent) of a counter that went from a to b in dt ns. */
double	stats_rate(uint64_t a, uint64_t b, uint64_t dt);
double	stats_percent(uint64_t a, uint64_t b, uint64_t dt);

/* The node's figures: the latest reply, rates against the one before. */
void	stats_node_record(const struct xm_ctl_stats_reply *latest,
	    const struct xm_ctl_stats_reply *before,
	    struct xmctl_node_stats *out);

#endif
