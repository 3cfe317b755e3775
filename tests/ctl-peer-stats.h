/* ctl-peer's model of STATS (tests/ctl-peer-stats.c). */
#ifndef CTL_PEER_STATS_H
#define CTL_PEER_STATS_H

#include <stdint.h>

#include <xm/ctl.h>

uint64_t peer_now_ns(void);
void	peer_fill_stats(const struct xm_domctl_info *, uint64_t created,
	    unsigned int ticks, uint64_t now, struct xm_dom_stats *);
void	peer_fill_cpus(struct xm_ctl_stats_reply *, uint64_t now,
	    uint64_t busy);

#endif
