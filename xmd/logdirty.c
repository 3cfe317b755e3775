/*
 * Log-dirty requests and their replies (see logdirty.h).  No I/O but
 * logdirty_send(), so that the unit tests link the rest as it is.
 */
#include <sys/uio.h>

#include <string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>

#include "logdirty.h"
#include "steps.h"

#define BITS_PER_WORD	64

static void
req_init(struct xm_ctl_log_dirty *req, xm_domid_t domid, uint32_t op)
{
	memset(req, 0, sizeof(*req));
	req->domid = domid;
	req->op = op;
}

static int
has_bits(uint32_t op)
{
	return op == XM_LOG_DIRTY_PEEK || op == XM_LOG_DIRTY_CLEAN;
}

int
logdirty_enable(struct xm_ctl_log_dirty *req, xm_domid_t domid,
    uint64_t nr_pfns)
{
	req_init(req, domid, XM_LOG_DIRTY_ENABLE);
	req->nr_pfns = nr_pfns;
	return nr_pfns == 0 || nr_pfns > XM_LOG_DIRTY_MAX_PFNS ? -1 : 0;
}

int
logdirty_disable(struct xm_ctl_log_dirty *req, xm_domid_t domid)
{
	req_init(req, domid, XM_LOG_DIRTY_DISABLE);
	return 0;
}

static int
bits_req(struct xm_ctl_log_dirty *req, xm_domid_t domid, uint32_t op,
    uint64_t start_pfn, uint64_t count)
{
	req_init(req, domid, op);
	req->start_pfn = start_pfn;
	req->count = count;
	if (count == 0 || count > XM_LOG_DIRTY_BATCH ||
	    count % BITS_PER_WORD != 0 || start_pfn % BITS_PER_WORD != 0 ||
	    start_pfn > XM_LOG_DIRTY_MAX_PFNS)
		return -1;
	return 0;
}

int
logdirty_peek(struct xm_ctl_log_dirty *req, xm_domid_t domid,
    uint64_t start_pfn, uint64_t count)
{
	return bits_req(req, domid, XM_LOG_DIRTY_PEEK, start_pfn, count);
}

int
logdirty_clean(struct xm_ctl_log_dirty *req, xm_domid_t domid,
    uint64_t start_pfn, uint64_t count)
{
	return bits_req(req, domid, XM_LOG_DIRTY_CLEAN, start_pfn, count);
}

int
logdirty_send(struct steps *s, const struct xm_ctl_log_dirty *req)
{
	struct iovec iov = { (void *)req, sizeof(*req) };

	return steps_send(s, XM_CTL_OP_LOG_DIRTY, &iov, 1);
}

static uint64_t
bits_set(const uint8_t *p, size_t n)
{
	uint64_t set = 0;
	size_t i;

	for (i = 0; i < n; i++)
		set += (uint64_t)__builtin_popcount(p[i]);
	return set;
}

static int
refuse(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

int
logdirty_reply(const struct xm_ctl_log_dirty *req, const uint8_t *data,
    size_t len, struct xm_ctl_log_dirty_reply *out, uint8_t *bitmap,
    const char **why)
{
	size_t bytes = has_bits(req->op) ? LOGDIRTY_BYTES(req->count) : 0;
	struct xm_ctl_log_dirty_reply rep;

	if (len != sizeof(rep) + bytes)
		return refuse(why, bytes > 0 ? "not the bitmap asked for" :
		    "not the size of its figures");
	memcpy(&rep, data, sizeof(rep));
	if (bytes > 0 && rep.dirty > req->count)
		return refuse(why, "more dirty pages than were asked for");
	if (bytes > 0 && bits_set(data + sizeof(rep), bytes) != rep.dirty)
		return refuse(why, "its dirty count is not its bitmap's");
	*out = rep;
	if (bytes > 0 && bitmap != NULL)
		memcpy(bitmap, data + sizeof(rep), bytes);
	return 0;
}

uint64_t
logdirty_count(uint64_t nr_pfns, uint64_t start_pfn)
{
	uint64_t left;

	if (start_pfn >= nr_pfns)
		return 0;
	left = nr_pfns - start_pfn;
	if (left >= XM_LOG_DIRTY_BATCH)
		return XM_LOG_DIRTY_BATCH;
	return (left + BITS_PER_WORD - 1) / BITS_PER_WORD * BITS_PER_WORD;
}
