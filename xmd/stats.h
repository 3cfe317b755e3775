/*
 * xmd's sampling of the node's statistics: a STATS request every
 * interval (xmd.conf's stats_interval_ms) while the node is up, each
 * domain's answer kept in its ring (stats_ring.h) of stats_samples
 * samples; domain.stats and node.stats read what was kept, without a
 * request of their own.
 */
#ifndef XMD_STATS_H
#define XMD_STATS_H

#include <xmctl.h>

struct xmd;
struct stats;
struct stats_ring;

struct stats	*stats_new(struct xmd *, unsigned int interval_ms,
		    unsigned int samples);
void		 stats_free(struct stats *);
/* Sample now and then every interval; the node must be up. */
void		 stats_start(struct stats *);

/* Domain id's ring, NULL before its first sample. */
const struct stats_ring *stats_ring_of(const struct stats *, int id);
/* The node's latest figures: 0, or -1 before the first sample. */
int		 stats_node(const struct stats *, struct xmctl_node_stats *);

#endif
