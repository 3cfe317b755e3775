/*
 * xsclient: a test guest for xenstore (see xsclient.c).
 */

#ifndef _XSCLIENT_H_
#define _XSCLIENT_H_

#include <stddef.h>
#include <stdint.h>

#define XSC_PATH_MAX	256
#define XSC_VAL_MAX	4100

/* What we learnt of ourselves in own_tree(). */
struct xsc_self {
	unsigned int	domid;
	char		name[64];
	char		home[XSC_PATH_MAX];	/* /local/domain/N */
};

extern struct xsc_self xsc_self;

/* -1 with the store's error want (name); says what it got otherwise. */
int	xsc_refused(int rc, const char *want);
/* path in buf: fmt with printf arguments. */
const char *xsc_path(char *buf, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/* The next watch event's path, or "" when none came within ms. */
const char *xsc_next_event(char *path, const char *token, unsigned int ms);

/* own.c: the domain's own tree, data, watches, transactions. */
void	xsc_own_tree(void);
void	xsc_data(void);
void	xsc_watches(void);
void	xsc_transactions(void);

/* isolation.c: another domain's tree is not ours. */
void	xsc_isolation(unsigned int peer, const char *peer_vm);
/* The peer as data/peer names it ("N /vm/UUID"), waiting for it. */
int	xsc_wait_peer(unsigned int *peer, char *vm, size_t vmlen);
/* A watch on the peer's data hears nothing of it. */
void	xsc_spy(unsigned int peer);

/* hostile.c: quotas and malformed requests, then the connection cut. */
void	xsc_hostile(void);
/* The stream made unusable: a header announcing len bytes. */
void	xsc_cutoff(uint32_t len, int send_payload);
/* Then requests as fast as the ring takes them, for secs seconds. */
void	xsc_spam(unsigned int secs);

#endif /* _XSCLIENT_H_ */
