/*
 * The node's wall clock, kept to the host's (clock.c).
 */
#ifndef XMD_CLOCK_H
#define XMD_CLOCK_H

struct xmd;

/* Set the node's wall clock now, and again every CLOCK_PERIOD_S. */
void	clock_sync_start(struct xmd *);
/*
 * Set it again now rather than at the next period, unless a setting is
 * under way: a migration is about to move a guest from one node's
 * clock to another's, which drift apart between settings.
 */
void	clock_sync_now(struct xmd *);
void	clock_sync_free(struct xmd *);

#endif
