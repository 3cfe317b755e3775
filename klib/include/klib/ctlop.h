/*
 * The control channel's ops (XM_CTL_OPS in <xm/ctl_ops.h>) as data, and
 * the one check of a payload's size against its op.  Pure code, no
 * libc: domain 0 compiles it freestanding, xmd and the tests for the
 * host, so that both ends of the channel read a payload the same way.
 */

#ifndef KLIB_CTLOP_H
#define KLIB_CTLOP_H

#include <stdint.h>

#include <xm/ctl.h>

struct ctlop {
	const char	*co_name;	/* "WRITE_MEM" */
	uint8_t		 co_dir;	/* XM_CTL_DIR_* */
	uint8_t		 co_tail;	/* XM_CTL_TAIL_* */
	uint32_t	 co_size;	/* fixed payload */
	uint32_t	 co_reply;	/* fixed reply payload */
	uint32_t	 co_reply_elem;	/* then elements; 0: none */
};

/* The op's row, or NULL if there is no such op. */
const struct ctlop *ctlop_find(uint16_t op);

/*
 * Whether the len bytes at p are a payload that op's row allows (a
 * request's or an event's): 0, -XM_ENOSYS for no such op, -XM_EINVAL
 * when the sizes do not add up, -XM_EMSGSIZE for a READ_MEM whose
 * data would not fit in one reply.
 */
int	ctlop_check(uint16_t op, const uint8_t *p, uint32_t len);

/* Whether len bytes are the size of a successful reply to op. */
int	ctlop_reply_ok(uint16_t op, uint32_t len);

/* Bytes of segment data a READ_MEM or WRITE_MEM names (checked). */
uint32_t ctlop_mem_data_len(const uint8_t *p);

#endif /* KLIB_CTLOP_H */
