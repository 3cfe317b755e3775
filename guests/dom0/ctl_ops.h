/*
 * The control protocol's requests: one row per op (name, the size of
 * its fixed payload, a rule for what may follow it, the handler), and
 * the dispatcher that checks a frame against its row before the
 * handler sees it.  A frame the table refuses (unknown op, a payload
 * whose size does not add up, reply or event flags on a request) is
 * answered with XM_CTL_OP_ERROR and the request's seq; a handler's
 * own failure is the status of an ordinary reply.
 *
 * This file and ctl_ops.c are pure code (freestanding and host); the
 * handlers, which make hypercalls, live in ops_*.c.
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

/* 0 when the payload's size is consistent, -XM_E* when not. */
typedef int	ctl_rule_t(const uint8_t *p, uint32_t len);
/* Status (0 or -XM_E*); fills r->buf and r->len. */
typedef int	ctl_handler_t(const uint8_t *p, uint32_t len,
		    struct ctl_reply *r);

struct ctl_op {
	const char	*co_name;
	uint32_t	 co_size;	/* the fixed payload */
	ctl_rule_t	*co_rule;	/* NULL: exactly co_size bytes */
	ctl_handler_t	*co_handler;
};

/* The row of a request op, NULL if there is none. */
const struct ctl_op *ctl_op_lookup(uint16_t op);
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

/* Bytes of segment data a READ_MEM or WRITE_MEM names (checked). */
uint32_t ctl_mem_data_len(const uint8_t *p);

/* The handlers, one per request op. */
ctl_handler_t	ctl_op_hello;
ctl_handler_t	ctl_op_create;
ctl_handler_t	ctl_op_destroy;
ctl_handler_t	ctl_op_pause;
ctl_handler_t	ctl_op_unpause;
ctl_handler_t	ctl_op_shutdown;
ctl_handler_t	ctl_op_getinfo;
ctl_handler_t	ctl_op_list;
ctl_handler_t	ctl_op_max_mem;
ctl_handler_t	ctl_op_populate;
ctl_handler_t	ctl_op_set_vcpu;
ctl_handler_t	ctl_op_get_vcpu;
ctl_handler_t	ctl_op_page_list;
ctl_handler_t	ctl_op_write_mem;
ctl_handler_t	ctl_op_read_mem;
ctl_handler_t	ctl_op_hypercall_init;
ctl_handler_t	ctl_op_physinfo;
ctl_handler_t	ctl_op_console_attach;
ctl_handler_t	ctl_op_console_input;

#endif /* _DOM0_CTL_OPS_H_ */
