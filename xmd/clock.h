/*
 * The node's wall clock, kept to the host's (clock.c).
 */
#ifndef XMD_CLOCK_H
#define XMD_CLOCK_H

struct xmd;

/* Set the node's wall clock now, and again every CLOCK_PERIOD_S. */
void	clock_sync_start(struct xmd *);
void	clock_sync_free(struct xmd *);

#endif
