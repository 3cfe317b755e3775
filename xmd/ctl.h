/*
 * xmd's end of the control channel to domain 0 (include/xm/ctl.h).
 *
 * ctl_start() takes a connected descriptor and sends HELLO, again every
 * CTL_HELLO_RETRY_MS until domain 0 answers or the HELLO timeout runs
 * out (the node may still be booting; bytes sent before domain 0 drives
 * its port may be lost).  Once domain 0 has answered, hooks->up is
 * called and requests may be sent.
 *
 * Each request gets the next sequence number (never 0, which events
 * use) and its own timer; its callback runs exactly once: with the
 * reply's status and payload, or with CTL_E_TIMEOUT, CTL_E_DOWN (the
 * connection closed) or CTL_E_PROTO (a reply of the wrong op or size).
 * A reply's payload size is checked against the op before the callback
 * sees it.  A reply that comes after its request timed out is dropped.
 *
 * Bad bytes from the node (wrong magic, version, flags or length) are
 * skipped up to the next magic and counted; xmd never answers them (it
 * only receives replies and events), and requests whose replies were
 * lost time out.
 */
#ifndef XMD_CTL_H
#define XMD_CTL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <xm/ctl.h>

struct event_base;
struct ctl;

#define CTL_E_TIMEOUT		(-1000)
#define CTL_E_DOWN		(-1001)
#define CTL_E_PROTO		(-1002)

#define CTL_TIMEOUT_MS		10000	/* a request's default */
#define CTL_HELLO_RETRY_MS	2000

typedef void	ctl_reply_fn(void *arg, int status, const uint8_t *payload,
		    size_t len);

struct ctl_hooks {
	void	(*up)(void *arg, const struct xm_ctl_hello_reply *);
	void	(*down)(void *arg, const char *why);
	void	(*console)(void *arg, xm_domid_t, const char *, size_t);
	void	(*domain)(void *arg, const struct xm_domctl_info *);
	void	(*store)(void *arg, xm_domid_t, const uint8_t *, size_t);
};

struct ctl_stats {
	uint64_t	requests;
	uint64_t	timeouts;
	uint64_t	bad_frames;	/* runs of bytes skipped */
	uint64_t	bad_bytes;
	uint64_t	late_replies;
};

struct ctl	*ctl_new(struct event_base *, const struct ctl_hooks *,
		    void *arg);
/* Fails every pending request with CTL_E_DOWN (without calling down). */
void		 ctl_free(struct ctl *);

int		 ctl_start(struct ctl *, int fd,
		    unsigned int hello_timeout_ms);
/* A request's timeout when the caller says 0 (CTL_TIMEOUT_MS at first). */
void		 ctl_set_timeout(struct ctl *, unsigned int ms);
unsigned int	 ctl_timeout(const struct ctl *);
int		 ctl_is_up(const struct ctl *);
const struct xm_ctl_hello_reply *ctl_hello(const struct ctl *);
const struct ctl_stats *ctl_stats(const struct ctl *);

/*
 * Send op with the payload gathered from iov.  0, or -1 when the channel
 * is not up or the payload is larger than XM_CTL_MAX_PAYLOAD (then fn is
 * not called).  timeout_ms 0 means the channel's default.
 */
int		 ctl_request(struct ctl *, uint16_t op,
		    const struct iovec *iov, int iovcnt,
		    unsigned int timeout_ms, ctl_reply_fn *fn, void *arg);

/* "ENOMEM", "timed out" ...: a status for people. */
const char	*ctl_strerror(int status);

#endif
