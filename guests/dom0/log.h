/*
 * Domain 0's log on its own console (hv shows it as "(d0) ..."): a
 * line per event worth a line, and for things that may repeat at the
 * rate a peer sends them, at most one line per second per kind.
 */

#ifndef _DOM0_LOG_H_
#define _DOM0_LOG_H_

#include <stdint.h>

struct ratelimit {
	uint64_t	rl_next;	/* ns: next line allowed */
	unsigned int	rl_missed;
};

void	dlog(const char *fmt, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	dlog_limited(struct ratelimit *rl, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

#endif /* _DOM0_LOG_H_ */
