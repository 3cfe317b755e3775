/*
 * Log-dirty mode of a domain over the control channel
 * (XM_CTL_OP_LOG_DIRTY, include/xm/ctl.h), for live migration's
 * rounds: ENABLE before the first round, CLEAN batch by batch to learn
 * (and forget) what was written since, PEEK to look without
 * forgetting, DISABLE when the migration ends either way.
 *
 * A request is built here, checked as domain 0 and hv would check it,
 * and sent as the current step of a struct steps (steps.h); the step's
 * reply() hands the payload to logdirty_reply() with the request it
 * answers.  A caller outside a table of steps sends the request struct
 * as it is: ctl_request(ctl, XM_CTL_OP_LOG_DIRTY, {&req, sizeof(req)}).
 * A failed request comes back as the step's failure (-XM_ENOENT: log-
 * dirty is off; -XM_EBUSY: ENABLE while it is on).
 *
 * The bitmap is bytes: bit i of byte j is pfn start_pfn + 8j + i.
 */
#ifndef XMD_LOGDIRTY_H
#define XMD_LOGDIRTY_H

#include <stddef.h>
#include <stdint.h>

#include <xm/ctl.h>

struct steps;

/* Bytes of bitmap for count bits. */
#define LOGDIRTY_BYTES(count)	((size_t)(count) / 8)

/*
 * The request into *req: 0, or -1 when domain 0 or hv would refuse it
 * (nr_pfns 0 or above XM_LOG_DIRTY_MAX_PFNS; start_pfn or count not a
 * multiple of 64, count 0 or above XM_LOG_DIRTY_BATCH).
 */
int	logdirty_enable(struct xm_ctl_log_dirty *req, xm_domid_t,
	    uint64_t nr_pfns);
int	logdirty_disable(struct xm_ctl_log_dirty *req, xm_domid_t);
int	logdirty_peek(struct xm_ctl_log_dirty *req, xm_domid_t,
	    uint64_t start_pfn, uint64_t count);
int	logdirty_clean(struct xm_ctl_log_dirty *req, xm_domid_t,
	    uint64_t start_pfn, uint64_t count);

/* Send req as the step's request (steps_send): 0 or -1. */
int	logdirty_send(struct steps *, const struct xm_ctl_log_dirty *req);

/*
 * A successful reply of len bytes to req: hv's figures into *out, and
 * for PEEK and CLEAN the LOGDIRTY_BYTES(req->count) bytes of bitmap
 * into bitmap (which may be NULL then).  0, or -1 with *why (if not
 * NULL) saying what does not fit the request: its size, more dirty
 * bits than were asked for, or a dirty count the bitmap does not have.
 */
int	logdirty_reply(const struct xm_ctl_log_dirty *req,
	    const uint8_t *data, size_t len,
	    struct xm_ctl_log_dirty_reply *out, uint8_t *bitmap,
	    const char **why);

/*
 * The count for the next PEEK or CLEAN of a domain tracking nr_pfns,
 * from start_pfn (a multiple of 64): up to a batch, in whole words, so
 * that the last one covers the end; 0 past the end.
 */
uint64_t logdirty_count(uint64_t nr_pfns, uint64_t start_pfn);

/* Whether bit i of a bitmap (pfn start_pfn + i) is set. */
static inline int
logdirty_bit(const uint8_t *bitmap, uint64_t i)
{
	return bitmap[i / 8] >> (i % 8) & 1;
}

#endif
