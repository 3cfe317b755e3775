/*
 * ctl-peer: A TEST DOUBLE of domain 0's end of the control channel
 * (include/xm/ctl.h), for the tests of xmd's protocol handling only.
 * It is not a node and xmd must never be pointed at it outside tests:
 * it runs no guest, it only keeps as much state as the tests check.
 *
 *	ctl-peer [-v] [-c CPUS] [-g N] [-x OP] [-m MIB] SOCKET
 *
 * It listens on the unix socket SOCKET (as QEMU's chardev does for the
 * real node), serves one connection at a time and answers each request
 * as domain 0 would: domains with ids, flags and page counts, frames
 * handed out by POPULATE and kept when WRITE_MEM fills them.  UNPAUSE of
 * a new domain "boots" it: the peer walks the page tables that ctrlreg[3]
 * names to the start_info at rsi and reports on the domain's console
 *
 *	ctl-peer: d1 start_info ok: magic xen-3.0-x86_64, 4096 pages, cmdline "..."
 *
 * (or "ctl-peer: d1 BAD BUILD: why"), then "ctl-peer: d1 tick N" every
 * 100 ms while it runs.  A cmdline word peer-exit=N shuts the domain down
 * (poweroff) after N ticks, with a DOMAIN_EVENT; peer-pause=N pauses it
 * after N ticks with no DOMAIN_EVENT (as if the event were lost, so that
 * only a LIST finds it).  Each domain has a
 * weight, a cap and vCPU affinities, checked as hv checks them
 * (ctl-peer-sched.c).
 *
 *  -c CPUS	the node's CPUs (default 1, at most 64)
 *  -g N	send a run of garbage bytes before every Nth reply
 *  -x OP	never answer requests of op number OP (they time out)
 *  -m MIB	the node's memory (default 256)
 *  -v		log every frame on standard error
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xm/ctl.h>
#include <xm/sched.h>
#include <xm/xen_core.h>

#include <klib/ctlop.h>

#include "ctl-peer.h"
#include "ctl-peer-sched.h"
#include "ctl-peer-stats.h"
#include "ctl_frame.h"

struct pdom		 doms[MAX_DOMS];
uint8_t			 owner[MAX_FRAMES];	/* domid + 1, 0 */
uint8_t			*pages[MAX_FRAMES];	/* written frames */
static uint64_t		 total_pages, free_pages;
static unsigned int	 nr_cpus = 1;
static int		 verbose, garbage_every, drop_op = -1;
static unsigned int	 nreplies;
static int		 conn = -1;

void
logf_(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "ctl-peer: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void
send_all(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (conn >= 0 && len > 0) {
		if ((n = send(conn, p, len, MSG_NOSIGNAL)) <= 0) {
			close(conn);
			conn = -1;
			return;
		}
		p += n, len -= (size_t)n;
	}
}

static void
send_frame(uint16_t op, uint32_t seq, int32_t status, uint16_t flags,
    const void *a, size_t alen, const void *b, size_t blen)
{
	uint8_t hdr[HDR];

	ctl_frame_encode(hdr, op, seq, status, (uint32_t)(alen + blen), flags);
	send_all(hdr, sizeof(hdr));
	if (alen > 0)
		send_all(a, alen);
	if (blen > 0)
		send_all(b, blen);
}

static void
reply(const struct xm_ctl_hdr *h, int32_t status, const void *p, size_t len)
{
	static const char junk[] = "\x01garbage MCT\xffMCTLjunk";

	if (garbage_every > 0 && ++nreplies % (unsigned)garbage_every == 0)
		send_all(junk, sizeof(junk) - 1);
	logf_("reply op %u seq %u status %d len %zu", h->op, h->seq, status,
	    status == 0 ? len : 0);
	send_frame(h->op, h->seq, status, XM_CTL_F_REPLY, p,
	    status == 0 ? len : 0, NULL, 0);
}

void
console_out(int id, const char *fmt, ...)
{
	struct xm_ctl_console_data cd;
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memset(&cd, 0, sizeof(cd));
	cd.domid = (xm_domid_t)id;
	cd.len = (uint32_t)n;
	send_frame(XM_CTL_OP_CONSOLE_OUTPUT, 0, 0, XM_CTL_F_EVENT, &cd,
	    sizeof(cd), buf, (size_t)n);
}

static void
fill_info(int id, struct xm_domctl_info *in)
{
	const struct pdom *d = &doms[id];

	memset(in, 0, sizeof(*in));
	in->domain = (xm_domid_t)id;
	in->flags = d->flags;
	in->shutdown_reason = d->shutdown_reason;
	in->nr_vcpus = d->vcpus;
	in->nr_online_vcpus = d->flags & XM_DOMINF_BUILDING ? 0 : 1;
	in->tot_pages = d->tot_pages;
	in->max_pages = d->max_pages;
	in->cpu_time_ns = (uint64_t)d->ticks * TICK_MS * 1000000;
	in->shared_info_mfn = d->shared_info_mfn;
}

static void
domain_event(int id)
{
	struct xm_ctl_domain_event ev;

	fill_info(id, &ev.info);
	if (!doms[id].used)
		ev.info.flags = 0;	/* gone */
	send_frame(XM_CTL_OP_DOMAIN_EVENT, 0, 0, XM_CTL_F_EVENT, &ev,
	    sizeof(ev), NULL, 0);
}

/* A free frame for domain id, or -1. */
static int64_t
alloc_frame(int id)
{
	static uint64_t next = 0x100;	/* low frames are "hv's" */
	uint64_t i, mfn;

	for (i = 0; i < MAX_FRAMES && free_pages > 0; i++) {
		mfn = (next + i) % MAX_FRAMES;
		if (mfn >= 0x100 && mfn < 0x100 + total_pages && !owner[mfn]) {
			owner[mfn] = (uint8_t)(id + 1);
			next = mfn + 1;
			free_pages--;
			doms[id].tot_pages++;
			return (int64_t)mfn;
		}
	}
	return -1;
}

int
owned(int id, uint64_t mfn)
{
	return mfn < MAX_FRAMES && owner[mfn] == id + 1;
}

static void
free_domain(int id)
{
	uint64_t mfn;

	for (mfn = 0; mfn < MAX_FRAMES; mfn++)
		if (owner[mfn] == id + 1) {
			owner[mfn] = 0;
			free(pages[mfn]);
			pages[mfn] = NULL;
			free_pages++;
		}
	memset(&doms[id], 0, sizeof(doms[id]));
}

/*
 * The ops, peer_<name> for each REQUEST row of XM_CTL_OPS.  handle()
 * has checked the payload's size against the row (klib/ctlop.c), as
 * domain 0 does.
 */

static int
get_dom(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_domid d;

	memcpy(&d, p, sizeof(d));
	if (d.domid == 0 || d.domid >= MAX_DOMS || !doms[d.domid].used) {
		reply(h, -XM_ESRCH, NULL, 0);
		return -1;
	}
	return d.domid;
}

static void
physinfo(struct xm_domctl_physinfo *pi)
{
	int i;

	memset(pi, 0, sizeof(*pi));
	pi->nr_cpus = nr_cpus;
	pi->hv_version = (4 << 16) | 14;
	pi->total_pages = total_pages;
	pi->free_pages = free_pages;
	pi->max_mfn = 0x100 + total_pages;
	for (i = 0; i < MAX_DOMS; i++)
		pi->nr_domains += doms[i].used;
	snprintf(pi->hv_extraversion, sizeof(pi->hv_extraversion), ".0-peer");
}

static void
peer_hello(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_hello_reply r;

	(void)p;
	memset(&r, 0, sizeof(r));
	r.version = XM_CTL_VERSION;
	physinfo(&r.physinfo);
	snprintf(r.dom0_version, sizeof(r.dom0_version), "ctl-peer (test double)");
	reply(h, 0, &r, sizeof(r));
}

static void
peer_physinfo(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_domctl_physinfo pi;

	(void)p;
	physinfo(&pi);
	reply(h, 0, &pi, sizeof(pi));
}

static void
peer_create(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_domid r = { 0, { 0, 0, 0 } };
	struct xm_ctl_create c;
	int64_t mfn;
	int id;

	memcpy(&c, p, sizeof(c));
	for (id = 1; id < MAX_DOMS && doms[id].used; id++)
		;
	if (id == MAX_DOMS || c.max_vcpus == 0 ||
	    c.max_vcpus > PEER_MAX_VCPUS) {
		reply(h, id == MAX_DOMS ? -XM_ENOSPC : -XM_EINVAL, NULL, 0);
		return;
	}
	doms[id].used = 1;
	doms[id].flags = XM_DOMINF_BUILDING | XM_DOMINF_PAUSED;
	doms[id].vcpus = c.max_vcpus;
	doms[id].max_pages = c.max_pages;
	peer_sched_init(&doms[id].sched, nr_cpus);
	doms[id].created_ns = peer_now_ns();
	if ((mfn = alloc_frame(id)) < 0) {
		free_domain(id);
		reply(h, -XM_ENOMEM, NULL, 0);
		return;
	}
	doms[id].shared_info_mfn = (uint64_t)mfn;
	r.domid = (xm_domid_t)id;
	reply(h, 0, &r, sizeof(r));
}

static void
peer_destroy(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	int id;

	if ((id = get_dom(h, p)) < 0)
		return;
	free_domain(id);
	reply(h, 0, NULL, 0);
	domain_event(id);
}

static void
peer_pause(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	int id;

	if ((id = get_dom(h, p)) < 0)
		return;
	doms[id].flags |= XM_DOMINF_PAUSED;
	reply(h, 0, NULL, 0);
}

static void
peer_unpause(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	int id, first;

	if ((id = get_dom(h, p)) < 0)
		return;
	first = (doms[id].flags & XM_DOMINF_BUILDING) != 0;
	doms[id].flags &= ~(XM_DOMINF_PAUSED | XM_DOMINF_BUILDING);
	reply(h, 0, NULL, 0);
	if (first)
		boot(id);
}

/* As hv's RESUME: a domain that shut down runs again. */
static void
peer_resume(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	int id;

	if ((id = get_dom(h, p)) < 0)
		return;
	doms[id].flags &= ~XM_DOMINF_SHUTDOWN;
	doms[id].shutdown_reason = 0;
	reply(h, 0, NULL, 0);
}

/* As hv's domctl: the domain is marked shut down, an event follows. */
static void
peer_shutdown(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_shutdown s;
	int id;

	if ((id = get_dom(h, p)) < 0)
		return;
	memcpy(&s, p, sizeof(s));
	doms[id].flags |= XM_DOMINF_SHUTDOWN;
	doms[id].shutdown_reason = s.reason;
	reply(h, 0, NULL, 0);
	domain_event(id);
}

static void
peer_getinfo(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_domctl_info in;
	int id;

	if ((id = get_dom(h, p)) < 0)
		return;
	fill_info(id, &in);
	reply(h, 0, &in, sizeof(in));
}

static void
peer_list(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_domctl_info out[MAX_DOMS];
	struct xm_ctl_list l;
	size_t n = 0;
	int id;

	memcpy(&l, p, sizeof(l));
	for (id = l.first; id < MAX_DOMS && n < l.max; id++)
		if (doms[id].used)
			fill_info(id, &out[n++]);
	reply(h, 0, out, n * sizeof(out[0]));
}

static void
peer_populate(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	static uint64_t mfns[XM_CTL_POPULATE_MAX];
	struct xm_ctl_populate pp;
	int64_t mfn;
	uint32_t i;

	memcpy(&pp, p, sizeof(pp));
	if (pp.domid >= MAX_DOMS || !doms[pp.domid].used) {
		reply(h, -XM_ESRCH, NULL, 0);
		return;
	}
	if (pp.nr > XM_CTL_POPULATE_MAX || doms[pp.domid].tot_pages + pp.nr >
	    doms[pp.domid].max_pages) {
		reply(h, pp.nr > XM_CTL_POPULATE_MAX ? -XM_EINVAL : -XM_ENOMEM,
		    NULL, 0);
		return;
	}
	for (i = 0; i < pp.nr; i++) {
		if ((mfn = alloc_frame(pp.domid)) < 0) {
			reply(h, -XM_ENOMEM, NULL, 0);
			return;
		}
		mfns[i] = (uint64_t)mfn;
	}
	reply(h, 0, mfns, pp.nr * sizeof(uint64_t));
}

static void
peer_write_mem(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_mem_seg seg;
	struct xm_ctl_mem m;
	size_t data;
	uint32_t i;

	memcpy(&m, p, sizeof(m));
	data = sizeof(m) + (size_t)m.nr_segs * sizeof(seg);
	for (i = 0; i < m.nr_segs; i++) {
		memcpy(&seg, p + sizeof(m) + i * sizeof(seg), sizeof(seg));
		if (!owned(m.domid, seg.mfn)) {
			reply(h, -XM_EINVAL, NULL, 0);
			return;
		}
		if (pages[seg.mfn] == NULL &&
		    (pages[seg.mfn] = calloc(1, PAGE_SIZE)) == NULL)
			abort();
		memcpy(pages[seg.mfn] + seg.offset, p + data, seg.len);
		data += seg.len;
	}
	reply(h, 0, NULL, 0);
}

static void
peer_hypercall_init(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_hypercall_init hi;

	memcpy(&hi, p, sizeof(hi));
	reply(h, owned(hi.domid, hi.mfn) ? 0 : -XM_EINVAL, NULL, 0);
}

static void
peer_set_vcpu(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_vcpu v;
	int id;

	memcpy(&v, p, sizeof(v));
	if ((id = v.domid) == 0 || id >= MAX_DOMS || !doms[id].used ||
	    v.vcpu != 0) {
		reply(h, v.vcpu != 0 ? -XM_EINVAL : -XM_ESRCH, NULL, 0);
		return;
	}
	memcpy(&doms[id].ctx, p + sizeof(v), sizeof(doms[id].ctx));
	doms[id].have_ctx = 1;
	reply(h, owned(id, XM_CR3_TO_PFN(doms[id].ctx.ctrlreg[3])) ? 0 :
	    -XM_EINVAL, NULL, 0);
}

static void
peer_console_attach(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_console_attach a;
	struct xm_ctl_console_port port = { 1, 0 };
	int id;

	if ((id = get_dom(h, p)) < 0)
		return;
	memcpy(&a, p, sizeof(a));
	if (!owned(id, a.mfn)) {
		reply(h, -XM_EINVAL, NULL, 0);
		return;
	}
	doms[id].console = 1;
	reply(h, 0, &port, sizeof(port));
}

/* The store's page: its port is the one after the console's. */
static void
peer_store_attach(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_console_attach a;
	struct xm_ctl_console_port port = { 2, 0 };
	int id;

	if ((id = get_dom(h, p)) < 0)
		return;
	memcpy(&a, p, sizeof(a));
	reply(h, owned(id, a.mfn) ? 0 : -XM_EINVAL, &port,
	    owned(id, a.mfn) ? sizeof(port) : 0);
}

/* XM_CTL_OP_ECHO: the payload back, as domain 0 answers it. */
static void
peer_echo(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	reply(h, 0, p, h->len);
}

/* SCHED_GET, SCHED_SET, VCPU_AFFINITY, VCPU_LIST: ctl-peer-sched.c. */
static void
peer_sched(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_vcpu_state out[PEER_MAX_VCPUS];
	struct peer_dom_view v;
	size_t len = 0;
	int id, rc;

	if ((id = get_dom(h, p)) < 0)
		return;
	v.vcpus = doms[id].vcpus;
	v.nr_cpus = nr_cpus;
	v.running = !(doms[id].flags & (XM_DOMINF_PAUSED |
	    XM_DOMINF_BUILDING | XM_DOMINF_SHUTDOWN));
	v.run_ns = (uint64_t)doms[id].ticks * TICK_MS * 1000000;
	rc = peer_sched_request(&doms[id].sched, &v, h->op, p, out, &len);
	reply(h, rc, out, len);
}

#define PEER_SCHED(name)						\
static void								\
peer_##name(const struct xm_ctl_hdr *h, const uint8_t *p)		\
{									\
	peer_sched(h, p);						\
}

PEER_SCHED(sched_get)
PEER_SCHED(sched_set)
PEER_SCHED(vcpu_affinity)
PEER_SCHED(vcpu_list)

/* STATS: the domains' figures as tests/ctl-peer-stats.c makes them. */
static void
peer_stats(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	static uint8_t out[sizeof(struct xm_ctl_stats_reply) +
	    MAX_DOMS * sizeof(struct xm_dom_stats)];
	struct xm_ctl_stats_reply *r = (struct xm_ctl_stats_reply *)out;
	struct xm_dom_stats *s = (struct xm_dom_stats *)(r + 1);
	struct xm_domctl_info in;
	struct xm_ctl_stats q;
	uint64_t now = peer_now_ns(), busy = 0;
	int id;

	memcpy(&q, p, sizeof(q));
	for (id = 1; id < MAX_DOMS; id++)
		busy += doms[id].used ? doms[id].ticks : 0;
	peer_fill_cpus(r, now, busy * TICK_MS * 1000000);
	for (id = q.first; id < MAX_DOMS && r->count < q.max; id++) {
		if (!doms[id].used)
			continue;
		fill_info(id, &in);
		peer_fill_stats(&in, doms[id].created_ns, doms[id].ticks, now,
		    &s[r->count++]);
	}
	reply(h, 0, out, sizeof(*r) + r->count * sizeof(*s));
}

/* max_mem as hv does it: never below what the domain has (-EBUSY). */
static void
peer_max_mem(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	struct xm_ctl_max_mem m;

	memcpy(&m, p, sizeof(m));
	if (m.domid >= MAX_DOMS || !doms[m.domid].used)
		reply(h, -XM_ESRCH, NULL, 0);
	else if (m.max_pages < doms[m.domid].tot_pages)
		reply(h, -XM_EBUSY, NULL, 0);
	else {
		doms[m.domid].max_pages = m.max_pages;
		reply(h, 0, NULL, 0);
	}
}

/* Requests the double does not model: an ordinary -ENOSYS reply. */
#define PEER_UNSUPPORTED(name)						\
static void								\
peer_##name(const struct xm_ctl_hdr *h, const uint8_t *p)		\
{									\
	(void)p;							\
	reply(h, -XM_ENOSYS, NULL, 0);					\
}

PEER_UNSUPPORTED(get_vcpu)
PEER_UNSUPPORTED(page_list)
PEER_UNSUPPORTED(page_info)
PEER_UNSUPPORTED(pin_tables)
PEER_UNSUPPORTED(log_dirty)
PEER_UNSUPPORTED(clock)
PEER_UNSUPPORTED(read_mem)
PEER_UNSUPPORTED(console_input)
PEER_UNSUPPORTED(store_input)

typedef void op_fn(const struct xm_ctl_hdr *, const uint8_t *);

#define PEER_REQUEST(op, name)	[op] = peer_##name,
#define PEER_EVENT(op, name)
#define PEER_OP(op, num, name, dir, ...)	PEER_##dir(op, name)

static op_fn *const ops[] = {
	XM_CTL_OPS(PEER_OP)
};

static void
handle(const struct xm_ctl_hdr *h, const uint8_t *p)
{
	int rc;

	logf_("request op %u seq %u len %u", h->op, h->seq, h->len);
	if (h->flags != 0) {
		logf_("ignoring a frame with flags %#x", h->flags);
		return;
	}
	if ((int)h->op == drop_op)
		return;
	if (h->op >= sizeof(ops) / sizeof(ops[0]) || ops[h->op] == NULL) {
		reply(h, -XM_ENOSYS, NULL, 0);
		return;
	}
	if ((rc = ctlop_check(h->op, p, h->len)) != 0) {
		logf_("op %u seq %u: %u bytes is the wrong size", h->op,
		    h->seq, h->len);
		send_frame(XM_CTL_OP_ERROR, h->seq, rc, XM_CTL_F_REPLY, NULL,
		    0, NULL, 0);
		return;
	}
	ops[h->op](h, p);
}

/* Frames out of buf; garbage answered with ERROR once per run. */
static size_t
consume(uint8_t *buf, size_t len)
{
	struct ctl_scan_result r;
	size_t off = 0;
	int in_garbage = 0;

	while (off < len) {
		ctl_frame_scan(buf + off, len - off, &r);
		if (r.kind == CTL_SCAN_MORE)
			break;
		if (r.kind == CTL_SCAN_BAD) {
			logf_("bad frame (%s), skipping %zu bytes", r.why, r.skip);
			if (!in_garbage)
				send_frame(XM_CTL_OP_ERROR, r.hdr_valid ?
				    r.hdr.seq : 0, -XM_EBADMSG, XM_CTL_F_REPLY,
				    NULL, 0, NULL, 0);
			in_garbage = 1;
			off += r.skip;
			continue;
		}
		in_garbage = 0;
		handle(&r.hdr, buf + off + HDR);
		off += r.size;
	}
	return off;
}

static void
tick(void)
{
	int id;

	for (id = 1; id < MAX_DOMS; id++) {
		struct pdom *d = &doms[id];

		if (!d->used || (d->flags & (XM_DOMINF_PAUSED |
		    XM_DOMINF_BUILDING | XM_DOMINF_SHUTDOWN)))
			continue;
		d->ticks++;
		if (d->console)
			console_out(id, "ctl-peer: d%d tick %u\n", id, d->ticks);
		if (d->exit_after > 0 && d->ticks >= (unsigned)d->exit_after) {
			d->flags |= XM_DOMINF_SHUTDOWN;
			d->shutdown_reason = XM_SHUTDOWN_POWEROFF;
			domain_event(id);
		}
		/* Silently: a change that only xmd's refresh can find. */
		if (d->pause_after > 0 && d->ticks >= (unsigned)d->pause_after) {
			d->flags |= XM_DOMINF_PAUSED;
			d->pause_after = 0;
		}
	}
}

static int
listen_on(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(fd, 1) != 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
serve(int lfd)
{
	static uint8_t buf[2 * CTL_FRAME_MAX];
	size_t have = 0, used;
	long next_tick = now_ms() + TICK_MS;
	struct pollfd pfd;
	ssize_t n;

	for (;;) {
		pfd.fd = conn >= 0 ? conn : lfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, TICK_MS) > 0) {
			if (conn < 0) {
				conn = accept(lfd, NULL, NULL);
				have = 0;
				logf_("xmd connected");
				continue;
			}
			n = read(conn, buf + have, sizeof(buf) - have);
			if (n <= 0) {
				logf_("xmd went away");
				close(conn);
				conn = -1;
				continue;
			}
			have += (size_t)n;
			used = consume(buf, have);
			memmove(buf, buf + used, have - used);
			have -= used;
		}
		if (now_ms() >= next_tick) {
			next_tick += TICK_MS;
			if (conn >= 0)
				tick();
		}
	}
}

int
main(int argc, char **argv)
{
	int ch;

	total_pages = 256 * 256;
	while ((ch = getopt(argc, argv, "c:g:m:vx:")) != -1) {
		switch (ch) {
		case 'c':
			nr_cpus = (unsigned int)atoi(optarg);
			break;
		case 'g':
			garbage_every = atoi(optarg);
			break;
		case 'm':
			total_pages = (uint64_t)atoi(optarg) * 256;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'x':
			drop_op = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: ctl-peer [-v] [-c CPUS] [-g N] [-x OP] [-m MIB] SOCKET\n");
			return 2;
		}
	}
	if (optind + 1 != argc || total_pages == 0 || nr_cpus == 0 ||
	    nr_cpus > 64 ||
	    total_pages > MAX_FRAMES - 0x100)
		return 2;
	free_pages = total_pages;
	signal(SIGPIPE, SIG_IGN);
	serve(listen_on(argv[optind]));
	return 0;
}
