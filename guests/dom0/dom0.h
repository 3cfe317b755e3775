/*
 * Domain 0's kernel: what its parts share.  The kernel is one loop
 * (dom0.c) that does whatever work the events of the last round asked
 * for and blocks in SCHEDOP_block when there is none; event handlers
 * only note work and call dom0_kick().
 */

#ifndef _DOM0_DOM0_H_
#define _DOM0_DOM0_H_

#include <stdint.h>

#define DOM0_NAME	"dom0"

/* An event handler noted work: the loop must not block before it. */
void	dom0_kick(void);
/*
 * Block until an event or for at most ns (work done elsewhere waits
 * for its device this way).  Returns at once if an event came since
 * the last call.
 */
void	dom0_wait(uint64_t ns);
/* Whether xmd has said HELLO on this channel (events go out then). */
int	dom0_connected(void);

struct ctl_chan;
/* The control channel's transport, once found (chan.h); else NULL. */
extern const struct ctl_chan	*dom0_chan;

#endif /* _DOM0_DOM0_H_ */
