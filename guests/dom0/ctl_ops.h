/*
 * The control protocol's requests: a handler per request op of
 * XM_CTL_OPS (<xm/ctl_ops.h>), and the dispatcher that checks a frame
 * (header, then the payload against its op's row, klib/ctlop.c)
 * before the handler sees it.  A frame refused there (unknown op, a
 * payload whose size does not add up, reply or event flags on a
 * request) is answered with XM_CTL_OP_ERROR and the request's seq; a
 * handler's own failure is the status of an ordinary reply.
 *
 * This file and ctl_ops.c are pure code (freestanding and host); the
 * handlers that make hypercalls live in ops_*.c.
 */

#ifndef _DOM0_CTL_OPS_H_
#define _DOM0_CTL_OPS_H_

#include <stddef.h>
#include <stdint.h>

#include <xm/ctl.h>

/* A reply being built: the payload goes to buf (XM_CTL_MAX_PAYLOAD). */
struct ctl_reply {
	struct xm_ctl_hdr	 hdr;
	uint8_t			*buf;
	uint32_t		 len;
};

/* Status (0 or -XM_E*); fills r->buf and r->len. */
typedef int	ctl_handler_t(const uint8_t *p, uint32_t len,
		    struct ctl_reply *r);

/* The handler of a request op, NULL if there is none. */
ctl_handler_t	*ctl_op_handler(uint16_t op);
/* Check a request frame against its row: 0 or -XM_E*. */
int	ctl_check(const struct xm_ctl_hdr *h, const uint8_t *payload);
/* Check and run a request; r->buf must be set, the rest is filled. */
void	ctl_dispatch(const struct xm_ctl_hdr *h, const uint8_t *payload,
	    struct ctl_reply *r);
/* An XM_CTL_OP_ERROR reply for seq. */
void	ctl_reply_error(struct ctl_reply *r, uint32_t seq, int status);
/* A header for a frame dom0 sends. */
void	ctl_hdr_fill(struct xm_ctl_hdr *h, uint16_t op, uint32_t seq,
	    int status, uint32_t len, uint16_t flags);

/*
 * The handlers, ctl_op_<name> for each REQUEST row of XM_CTL_OPS: a
 * new row without its handler does not link.
 */
#define CTL_OP_DECL_REQUEST(name)	ctl_handler_t ctl_op_##name;
#define CTL_OP_DECL_EVENT(name)
#define CTL_OP_DECL(op, num, name, dir, ...)	CTL_OP_DECL_##dir(name)
XM_CTL_OPS(CTL_OP_DECL)

#endif /* _DOM0_CTL_OPS_H_ */
