/*
 * The host under domain 0's control path (see dom0_host.h): a fake hv
 * for domctl, event channels that only count, a log that formats and
 * drops, and a control port that hands every frame to xmd's scanner.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/platform.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/time.h>

#include "ringback.h"
#include "ctl_frame.h"
#include "dom0.h"
#include "dom0_host.h"
#include "fuzz.h"
#include "log.h"
#include "chan.h"

#define PAGE_BYTES	4096
#define NFRAMES		4
#define CON_MFN		0x1234	/* the console page hv hands out */
#define CON_PORT	7
#define MAX_ATTACHED	1024	/* 40-byte attaches, two passes of 16 KiB */

static struct host_cfg	 cfg;
static struct host_req	 req;
static uint8_t		 frames[NFRAMES][PAGE_BYTES];
static uint8_t		 con_page[PAGE_BYTES];
static xm_domid_t	 attached[MAX_ATTACHED];
static unsigned int	 nattached;
static uint64_t		 now_ns;
static uint64_t		 sent;
static volatile uint64_t sink;

/* The port's output: one frame between reserve and flush (host_chan). */
static uint8_t		 out[CTL_FRAME_MAX];
static size_t		 out_len, out_reserved;

void
host_start(const struct host_cfg *c)
{
	struct xm_console_interface *ring = (void *)con_page;

	cfg = *c;
	memset(&req, 0, sizeof(req));
	memset(con_page, 0, sizeof(con_page));
	memcpy(&ring->in_cons, cfg.hc_ring, sizeof(cfg.hc_ring));
	now_ns += NSEC_PER_SEC;
}

void
host_serving(const struct host_req *r)
{
	if (r != NULL)
		req = *r;
	else
		memset(&req, 0, sizeof(req));
}

void
host_end(void)
{
	while (nattached > 0)
		ringback_detach(attached[--nattached]);
}

uint64_t
host_frames_sent(void)
{
	return sent;
}

uint64_t
host_now(void)
{
	return now_ns;
}

void
host_check_wire(const void *hdr, const void *payload, size_t len)
{
	static uint8_t wire[CTL_FRAME_MAX];
	struct ctl_scan_result r;
	size_t hl = sizeof(struct xm_ctl_hdr);

	FUZZ_CHECK(len <= XM_CTL_MAX_PAYLOAD);
	memcpy(wire, hdr, hl);
	if (len > 0)
		memcpy(wire + hl, payload, len);
	ctl_frame_scan(wire, hl + len, &r);
	FUZZ_CHECK(r.kind == CTL_SCAN_FRAME);
	FUZZ_CHECK(r.size == hl + len);
	FUZZ_CHECK(r.hdr.flags == XM_CTL_F_REPLY ||
	    r.hdr.flags == XM_CTL_F_EVENT);
	sent++;
}

/*
 * hv.
 */

static int
in_range(uint64_t p, uint64_t n, const void *base, size_t len)
{
	uint64_t b = (uint64_t)base;

	return base != NULL && p >= b && p - b <= len && n <= len - (p - b);
}

static uint8_t *
frame_of(uint64_t mfn)
{
	return mfn == CON_MFN ? con_page : frames[mfn % NFRAMES];
}

static void
copy_one(const struct xm_domctl_copy_op *op)
{
	uint8_t *f = frame_of(op->mfn), *buf = (uint8_t *)op->buf;

	FUZZ_CHECK((uint32_t)op->offset + op->len <= PAGE_BYTES);
	FUZZ_CHECK(op->dir == XM_COPY_TO_DOMAIN ||
	    op->dir == XM_COPY_FROM_DOMAIN);
	if (req.hr_payload != NULL && op->dir == XM_COPY_TO_DOMAIN)
		FUZZ_CHECK(in_range(op->buf, op->len, req.hr_payload,
		    req.hr_len));
	if (req.hr_payload != NULL && op->dir == XM_COPY_FROM_DOMAIN)
		FUZZ_CHECK(in_range(op->buf, op->len, req.hr_reply,
		    req.hr_reply_len));
	if (op->len == 0)
		return;
	if (op->dir == XM_COPY_TO_DOMAIN)
		memcpy(f + op->offset, buf, op->len);
	else
		memcpy(buf, f + op->offset, op->len);
}

static int
foreign_copy(struct xm_domctl *d)
{
	const struct xm_domctl_copy_op *ops = (void *)d->u.copy.ops;
	uint32_t i;

	FUZZ_CHECK(d->u.copy.nr_ops <= XM_COPY_MAX_OPS);
	for (i = 0; i < d->u.copy.nr_ops; i++) {
		if (ops[i].dir == XM_COPY_TO_DOMAIN)
			FUZZ_CHECK(d->domain != 0);
		copy_one(&ops[i]);
	}
	d->u.copy.done = d->u.copy.nr_ops;
	return 0;
}

/* Write n entries of size bytes to p, as hv's copy_to_guest would. */
static void
fill(uint64_t p, uint64_t n, size_t size)
{
	if (n > 0)
		memset((void *)p, 0xa5, n * size);
}

static uint32_t
count(uint32_t asked)
{
	return cfg.hc_flags & HC_HOSTILE ? asked + 1 : asked;
}

/* The domctls that change a domain: never domain 0, never a reserved id. */
static int
changes_domain(uint32_t cmd)
{
	switch (cmd) {
	case XM_DOMCTL_DESTROY:
	case XM_DOMCTL_PAUSE:
	case XM_DOMCTL_UNPAUSE:
	case XM_DOMCTL_MAX_MEM:
	case XM_DOMCTL_POPULATE:
	case XM_DOMCTL_SET_VCPU_CONTEXT:
	case XM_DOMCTL_HYPERCALL_INIT:
	case XM_DOMCTL_SHUTDOWN:
	case XM_DOMCTL_CONSOLE_RING:
	case XM_DOMCTL_LOG_DIRTY:
	case XM_DOMCTL_RESUME:
	case XM_DOMCTL_PIN_TABLES:
		return 1;
	}
	return 0;
}

/* LOG_DIRTY: a PEEK or CLEAN writes count / 8 bytes (half their bits). */
static int
log_dirty(struct xm_domctl *d)
{
	struct xm_domctl_log_dirty *ld = &d->u.log_dirty;

	FUZZ_CHECK(ld->op >= XM_LOG_DIRTY_ENABLE &&
	    ld->op <= XM_LOG_DIRTY_CLEAN);
	ld->nr_pfns = ld->op == XM_LOG_DIRTY_ENABLE ? ld->nr_pfns : 4096;
	ld->pages = 1000;
	if (ld->op != XM_LOG_DIRTY_PEEK && ld->op != XM_LOG_DIRTY_CLEAN)
		return 0;
	FUZZ_CHECK(ld->count > 0 && ld->count <= XM_LOG_DIRTY_BATCH &&
	    ld->count % 64 == 0 && ld->buf != 0);
	fill(ld->buf, ld->count / 8, 1);
	ld->dirty = cfg.hc_flags & HC_HOSTILE ? ld->count + 1 : ld->count / 2;
	return 0;
}

static int
domctl_ok(struct xm_domctl *d)
{
	switch (d->cmd) {
	case XM_DOMCTL_CREATE:
		FUZZ_CHECK(d->domain == XM_DOMID_ANY);
		d->domain = 1 + (uint16_t)(now_ns / NSEC_PER_SEC % 100);
		return 0;
	case XM_DOMCTL_GETINFO:
		memset(&d->u.info, 0, sizeof(d->u.info));
		d->u.info.domain = d->domain;
		return 0;
	case XM_DOMCTL_GETINFO_LIST:
		fill(d->u.info_list.buffer, d->u.info_list.max,
		    sizeof(struct xm_domctl_info));
		d->u.info_list.count = count(d->u.info_list.max);
		return 0;
	case XM_DOMCTL_POPULATE:
		fill(d->u.populate.mfns, d->u.populate.nr, sizeof(uint64_t));
		d->u.populate.count = count(d->u.populate.nr);
		return 0;
	case XM_DOMCTL_GET_PAGE_LIST:
		fill(d->u.page_list.mfns, d->u.page_list.max,
		    sizeof(uint64_t));
		d->u.page_list.count = count(d->u.page_list.max);
		d->u.page_list.total = d->u.page_list.first + 1000;
		return 0;
	case XM_DOMCTL_GET_VCPU_CONTEXT:
		fill(d->u.vcpu_context.ctxt, 1,
		    sizeof(struct xm_vcpu_guest_context));
		return 0;
	case XM_DOMCTL_SET_VCPU_CONTEXT:
		/* Read all of it, so that ASan sees a short buffer. */
		sink = fuzz_hash((const void *)d->u.vcpu_context.ctxt,
		    sizeof(struct xm_vcpu_guest_context));
		return 0;
	case XM_DOMCTL_FOREIGN_COPY:
		return foreign_copy(d);
	case XM_DOMCTL_PHYSINFO:
		memset(&d->u.physinfo, 0, sizeof(d->u.physinfo));
		d->u.physinfo.nr_cpus = 2;
		return 0;
	case XM_DOMCTL_VCPU_LIST:
		fill(d->u.vcpu_list.buffer, d->u.vcpu_list.max,
		    sizeof(struct xm_vcpu_state));
		d->u.vcpu_list.count = count(d->u.vcpu_list.max);
		return 0;
	case XM_DOMCTL_STATS:
		fill(d->u.stats.buffer, d->u.stats.max,
		    sizeof(struct xm_dom_stats));
		fill(d->u.stats.cpus, d->u.stats.nr_cpus,
		    sizeof(struct xm_cpu_stats));
		d->u.stats.count = count(d->u.stats.max);
		d->u.stats.nr_cpus = 2;
		return 0;
	case XM_DOMCTL_CONSOLE_RING:
		if (d->u.console.mfn == 0)
			d->u.console.mfn = CON_MFN;
		d->u.console.port = CON_PORT;
		return 0;
	case XM_DOMCTL_LOG_DIRTY:
		return log_dirty(d);
	case XM_DOMCTL_PAGE_INFO:
		/* Read every mfn, so that ASan sees a short payload. */
		FUZZ_CHECK(d->u.page_info.nr <= XM_PAGE_INFO_MAX);
		sink = fuzz_hash((const void *)d->u.page_info.mfns,
		    d->u.page_info.nr * sizeof(uint64_t));
		fill(d->u.page_info.info, d->u.page_info.nr,
		    sizeof(struct xm_page_info));
		return 0;
	case XM_DOMCTL_PIN_TABLES:
		FUZZ_CHECK(d->u.pin_tables.nr <= XM_PAGE_INFO_MAX);
		sink = fuzz_hash((const void *)d->u.pin_tables.pins,
		    d->u.pin_tables.nr * sizeof(struct xm_pin_table));
		d->u.pin_tables.done = d->u.pin_tables.nr;
		return 0;
	}
	return 0;
}

static int
domctl(struct xm_domctl *d)
{
	FUZZ_CHECK(d->interface_version == XM_DOMCTL_INTERFACE_VERSION);
	FUZZ_CHECK(d->cmd >= XM_DOMCTL_CREATE &&
	    d->cmd <= XM_DOMCTL_LOG_DIRTY);
	if (changes_domain(d->cmd))
		FUZZ_CHECK(d->domain != 0 &&
		    d->domain < XM_DOMID_FIRST_RESERVED);
	if (cfg.hc_fail & (UINT32_C(1) << d->cmd))
		return cfg.hc_flags & HC_ESRCH ? -XM_ESRCH : -XM_EINVAL;
	return domctl_ok(d);
}

/* settime, the one platform_op domain 0 makes: well-formed, it is hv's. */
static long
platform_op(const struct xm_platform_op *op)
{
	FUZZ_CHECK(op->interface_version == XM_PF_INTERFACE_VERSION);
	FUZZ_CHECK(op->cmd == XM_PF_SETTIME64 && op->u.settime64.mbz == 0);
	FUZZ_CHECK(op->u.settime64.nsecs < 1000000000);
	return 0;
}

long
fuzz_hypercall(unsigned int n, uint64_t a1, uint64_t a2)
{
	(void)a2;
	if (n == XM_HYPERCALL_PLATFORM_OP)
		return platform_op((const struct xm_platform_op *)a1);
	FUZZ_CHECK(n == XM_HYPERCALL_DOMCTL);
	return domctl((struct xm_domctl *)a1);
}

/*
 * Event channels, the clock, the kernel loop, the log.
 */

/* A console being attached: remember its domain for host_end(). */
int
evtchn_bind_interdomain(xm_domid_t remote, xm_evtchn_port_t port)
{
	unsigned int i;

	FUZZ_CHECK(port == CON_PORT);
	for (i = 0; i < nattached && attached[i] != remote; i++)
		;
	if (i == nattached) {
		FUZZ_CHECK(nattached < MAX_ATTACHED);
		attached[nattached++] = remote;
	}
	return 10 + (int)i;
}

/* The store's port, made in the domain for domain 0 to bind. */
int
evtchn_alloc_unbound_in(xm_domid_t dom, xm_domid_t remote)
{
	(void)dom, (void)remote;
	return CON_PORT;
}

int
evtchn_bind(xm_evtchn_port_t port, evtchn_handler_t *fn, void *data)
{
	(void)port, (void)fn, (void)data;
	return 0;
}

int
evtchn_notify(xm_evtchn_port_t port)
{
	(void)port;
	return 0;
}

int
evtchn_close(xm_evtchn_port_t port)
{
	(void)port;
	return 0;
}

uint64_t
monotonic_ns(void)
{
	return now_ns;
}

void
wallclock(uint64_t *sec, uint32_t *nsec)
{
	*sec = 1700000000 + now_ns / 1000000000;
	*nsec = (uint32_t)(now_ns % 1000000000);
}

void
dom0_kick(void)
{
}

/* Format the line, so that a bad format or argument shows. */
static void
vlog(const char *fmt, va_list ap)
{
	char line[256];

	vsnprintf(line, sizeof(line), fmt, ap);
}

void
dlog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void
dlog_limited(struct ratelimit *rl, const char *fmt, ...)
{
	va_list ap;

	(void)rl;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

/*
 * The control port (chan.h): a frame is reserved, written and flushed
 * whole.
 */

static int
host_reserve(size_t len)
{
	FUZZ_CHECK(out_len == 0 && out_reserved == 0);
	FUZZ_CHECK(len <= sizeof(out));
	out_reserved = len;
	return 0;
}

static void
host_write(const void *p, size_t len)
{
	FUZZ_CHECK(len <= out_reserved - out_len);
	if (len > 0)
		memcpy(out + out_len, p, len);
	out_len += len;
}

static void
host_flush(void)
{
	size_t hl = sizeof(struct xm_ctl_hdr);

	FUZZ_CHECK(out_len == out_reserved && out_len >= hl);
	host_check_wire(out, out + hl, out_len - hl);
	out_len = out_reserved = 0;
}

static const struct ctl_chan host_chan = {
	.name = "the fuzzer's",
	.reserve = host_reserve,
	.write = host_write,
	.flush = host_flush,
};
const struct ctl_chan *dom0_chan = &host_chan;
