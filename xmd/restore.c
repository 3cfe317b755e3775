/*
 * node.restore (restore.h) from a file: the file read whole, then a
 * table of steps over the control channel (steps.h).  A live stream's
 * table is here too: restore_stream.c gives its first steps, and once
 * the stream is whole its finish is a file's restore.
 */
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xm/ctl.h>
#include <xm/xen_core.h>
#include <xmctl.h>

#include "ctl.h"
#include "defs.h"
#include "events.h"
#include "log.h"
#include "registry.h"
#include "restore.h"
#include "restore_image.h"
#include "restore_int.h"
#include "rpc.h"
#include "save_canon.h"
#include "dom_make.h"
#include "steps.h"
#include "xmd.h"
#include "xsd.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define PER_PAGE	(PAGE_SIZE / sizeof(uint64_t))

void
restore_free(struct restore *r)
{
	if (r->rs_img.ri_fd >= 0)
		close(r->rs_img.ri_fd);
	rs_image_free(&r->rs_img);
	if (r->rs_feed != NULL)
		rs_feed_free(r->rs_feed);
	rs_image_free(&r->rs_full);
	rs_last_end(&r->rs_last);
	free(r->rs_keep);
	free(r->rs_early_at);
	xm_domain_def_dispose(&r->rs_def);
	free(r->rs_mk.m_p2m);
	free(r->rs_buf);
	free(r->rs_path);
	free(r);
}

static int
domid(const struct restore *r)
{
	return r->rs_mk.m_dom->d_id;
}

static int
saved(const struct restore *r, uint64_t pfn)
{
	return r->rs_img.ri_type[pfn] != 0;
}

/* Saved and no frame yet (a stream's pre-copy gave some theirs). */
static int
needs_frame(const struct restore *r, uint64_t pfn)
{
	return saved(r, pfn) && r->rs_mk.m_p2m[pfn] == NO_MFN;
}

/* Frames for the next run of saved pfns from the cursor on. */
static int
populate_send(void *arg)
{
	struct restore *r = arg;
	uint64_t pfn = r->rs_mk.m_run.s_cursor, n = 0;
	uint64_t nr = r->rs_img.ri_dom.nr_pfns;
	struct xm_ctl_populate p;
	struct iovec iov = { &p, sizeof(p) };

	while (pfn < nr && !needs_frame(r, pfn))
		pfn++;
	while (pfn + n < nr && needs_frame(r, pfn + n) &&
	    n < XM_CTL_POPULATE_MAX)
		n++;
	r->rs_mk.m_run.s_cursor = pfn;
	if (n == 0)
		return 1;
	memset(&p, 0, sizeof(p));
	p.domid = (xm_domid_t)domid(r);
	p.nr = (uint32_t)n;
	p.first_pfn = pfn;
	r->rs_mk.m_batch = n;
	return steps_send(&r->rs_mk.m_run, XM_CTL_OP_POPULATE, &iov, 1);
}

/* The p2m frame k of the guest: the new frames of its 512 pfns. */
static void
patch_p2m_frame(struct restore *r, const struct rs_image *ri, uint64_t k,
    uint8_t *page)
{
	uint64_t j, pfn, v;

	for (j = 0; j < PER_PAGE; j++) {
		pfn = k * PER_PAGE + j;
		if (pfn >= ri->ri_dom.nr_pfns)
			break;
		v = ri->ri_type[pfn] != 0 ? r->rs_mk.m_p2m[pfn] : NO_MFN;
		memcpy(page + j * sizeof(v), &v, sizeof(v));
	}
}

/* What the toolstack fills in on resume (xm/xen_core.h says which). */
static void
patch_start_info(struct restore *r, uint8_t *page)
{
	struct xm_start_info si;

	memcpy(&si, page, sizeof(si));
	si.shared_info = r->rs_mk.m_shared_info_mfn << 12;
	if (si.store_mfn != 0) {
		si.store_mfn = r->rs_mk.m_p2m[si.store_mfn];
		si.store_evtchn = r->rs_mk.m_store_port;
	}
	if (si.console.domU.mfn != 0) {
		si.console.domU.mfn = r->rs_mk.m_p2m[si.console.domU.mfn];
		si.console.domU.evtchn = r->rs_mk.m_console_port;
	}
	memcpy(page, &si, sizeof(si));
}

/*
 * The page of word as the domain must have it, by what image ri says:
 * a page table's pfns as frames, a p2m frame's pfns' frames, start_info
 * the toolstack's fields (a stream's finish and its early writes).
 */
int
restore_patch_page(struct restore *r, const struct rs_image *ri,
    uint64_t word, uint8_t *page)
{
	uint64_t pfn = word & SF_PAGE_PFN, e[CANON_ENTRIES], k;
	unsigned int type = (unsigned int)(word >> SF_PAGE_TYPE_SHIFT);
	char why[256];

	if (type >= XM_PAGE_L1TAB && type <= XM_PAGE_L4TAB) {
		memcpy(e, page, PAGE_SIZE);
		if (uncanon_table(e, type, r->rs_mk.m_p2m, ri->ri_dom.nr_pfns,
		    why, sizeof(why)) != 0)
			return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE, "%s: "
			    "the page table at pfn %#llx: %s", r->rs_what,
			    (unsigned long long)pfn, why);
		memcpy(page, e, PAGE_SIZE);
	}
	for (k = 0; k < ri->ri_np2m; k++)
		if (ri->ri_p2m_frames[k] == pfn)
			patch_p2m_frame(r, ri, k, page);
	if (pfn == ri->ri_dom.start_info_pfn)
		patch_start_info(r, page);
	return 0;
}

int
restore_all_zero(const uint8_t *page)
{
	static const uint8_t zero[PAGE_SIZE];

	return memcmp(page, zero, PAGE_SIZE) == 0;
}

/* The next pages of the file, patched: those not zero (frames come so). */
static int
write_send(void *arg)
{
	struct restore *r = arg;
	uint64_t pfns[WRITE_BATCH], word;
	uint8_t *pages[WRITE_BATCH];
	unsigned int n = 0;
	int rc;

	while (n < WRITE_BATCH) {
		pages[n] = r->rs_buf + n * PAGE_SIZE;
		rc = r->rs_live ? restore_stream_last_next(r, &word,
		    pages[n]) :
		    rs_pages_next(&r->rs_pages, &word, pages[n]);
		if (rc < 0)
			return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE,
			    "%s: cannot read '%s': %s", r->rs_what,
			    r->rs_path, errno == EILSEQ ? "it changed since "
			    "it was checked" : strerror(errno));
		if (rc == 0)
			break;
		if (restore_patch_page(r, &r->rs_img, word, pages[n]) != 0)
			return -1;
		/* A stream's frame may hold an earlier copy: written. */
		if (!r->rs_live && restore_all_zero(pages[n]))
			continue;
		pfns[n++] = word & SF_PAGE_PFN;
	}
	r->rs_mk.m_run.s_cursor = n == WRITE_BATCH;	/* more may follow */
	if (n == 0)
		return 1;
	return dom_make_write_pages(&r->rs_mk, pfns, pages, n);
}

static int
write_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	(void)data, (void)len;
	return r->rs_mk.m_run.s_cursor != 0;
}

static int
shinfo_mem(struct restore *r, uint16_t op, const void *data)
{
	struct xm_ctl_mem mem = { (xm_domid_t)domid(r), 0, 1 };
	struct xm_ctl_mem_seg seg = { r->rs_mk.m_shared_info_mfn, 0, PAGE_SIZE,
	    0 };
	struct iovec iov[3] = { { &mem, sizeof(mem) }, { &seg, sizeof(seg) },
	    { (void *)(uintptr_t)data, PAGE_SIZE } };

	return steps_send(&r->rs_mk.m_run, op, iov, data != NULL ? 3 : 2);
}

static int
shinfo_read_send(void *arg)
{
	return shinfo_mem(arg, XM_CTL_OP_READ_MEM, NULL);
}

static int
shinfo_read_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	if (len != PAGE_SIZE)
		return steps_fail(&r->rs_mk.m_run, XMCTL_E_NODE, "%s: READ_MEM gave "
		    "%zu bytes of shared_info", r->rs_what, len);
	memcpy(r->rs_shinfo, data, PAGE_SIZE);
	return 0;
}

/*
 * As Xen's restore: each vCPU's upcall mask and the guest's p2m details
 * from the saved page, no event pending, every port masked (the guest
 * binds and unmasks its ports again), the frame list list for the
 * guest to publish anew; hv's time and wallclock stay.
 */
static int
shinfo_write_send(void *arg)
{
	struct restore *r = arg;
	struct xm_shared_info *to = (struct xm_shared_info *)r->rs_shinfo;
	const struct xm_shared_info *from =
	    (const struct xm_shared_info *)r->rs_img.ri_shinfo;
	unsigned int i;

	for (i = 0; i < XM_LEGACY_MAX_VCPUS; i++) {
		to->vcpu_info[i].evtchn_upcall_mask =
		    from->vcpu_info[i].evtchn_upcall_mask;
		to->vcpu_info[i].evtchn_upcall_pending = 0;
		to->vcpu_info[i].evtchn_pending_sel = 0;
	}
	memset(to->evtchn_pending, 0, sizeof(to->evtchn_pending));
	memset(to->evtchn_mask, 0xff, sizeof(to->evtchn_mask));
	to->arch = from->arch;
	to->arch.pfn_to_mfn_frame_list_list = 0;
	return shinfo_mem(r, XM_CTL_OP_WRITE_MEM, r->rs_shinfo);
}

/* The saved pins, L1 first, up to XM_PAGE_INFO_MAX each time. */
static int
pin_send(void *arg)
{
	struct restore *r = arg;
	struct xm_pin_table pins[64];
	struct xm_ctl_page_info p = { (xm_domid_t)domid(r), 0, 0 };
	struct iovec iov[2] = { { &p, sizeof(p) }, { pins, 0 } };
	const struct rs_pin *rp;
	uint64_t at = r->rs_mk.m_run.s_cursor;

	while (at < r->rs_img.ri_npins && p.nr < nitems(pins)) {
		rp = &r->rs_img.ri_pins[at++];
		pins[p.nr++] = (struct xm_pin_table){ r->rs_mk.m_p2m[rp->pfn],
		    rp->level, 0 };
	}
	r->rs_mk.m_run.s_cursor = at;
	if (p.nr == 0)
		return 1;
	iov[1].iov_len = p.nr * sizeof(pins[0]);
	return steps_send(&r->rs_mk.m_run, XM_CTL_OP_PIN_TABLES, iov, 2);
}

static int
pin_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	(void)data, (void)len;
	return r->rs_mk.m_run.s_cursor < r->rs_img.ri_npins;
}

/* A saved context's pfns as the new frames (restore_image checked them). */
static int
uncanon_context(struct restore *r, unsigned int vcpu,
    struct xm_vcpu_guest_context *c)
{
	uint64_t nr = r->rs_img.ri_dom.nr_pfns, pfn, i;

	for (i = 0; i < 2; i++) {
		uint64_t *cr = &c->ctrlreg[i == 0 ? 3 : 1];

		if (*cr == 0)
			continue;
		if ((pfn = *cr >> 12) >= nr || !saved(r, pfn))
			goto bad;
		*cr = r->rs_mk.m_p2m[pfn] << 12;
	}
	for (i = 0; i < (c->gdt_ents + 511) / 512 && i < 16; i++) {
		if ((pfn = c->gdt_frames[i]) >= nr || !saved(r, pfn))
			goto bad;
		c->gdt_frames[i] = r->rs_mk.m_p2m[pfn];
	}
	if (vcpu == 0) {
		c->user_regs.rdx = r->rs_mk.m_p2m[r->rs_img.ri_dom.start_info_pfn];
		c->user_regs.rax = 0;	/* the suspend call: restored */
	}
	return 0;
bad:
	return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE, "%s: vCPU %u's page "
	    "tables or GDT name a pfn that was not saved", r->rs_what, vcpu);
}

/* Each vCPU that had a context, from the cursor on. */
static int
vcpu_send(void *arg)
{
	struct restore *r = arg;
	struct xm_vcpu_guest_context ctx;
	struct xm_ctl_vcpu v = { (xm_domid_t)domid(r), 0, 0 };
	struct iovec iov[2] = { { &v, sizeof(v) }, { &ctx, sizeof(ctx) } };
	const struct rs_vcpu *rv;
	uint64_t i = r->rs_mk.m_run.s_cursor;

	for (; i < r->rs_img.ri_dom.nr_vcpus; i++) {
		rv = &r->rs_img.ri_vcpus[i];
		if (rv->present && rv->ctx.ctrlreg[3] != 0)
			break;
	}
	r->rs_mk.m_run.s_cursor = i;
	if (i >= r->rs_img.ri_dom.nr_vcpus)
		return 1;
	ctx = rv->ctx;
	if (uncanon_context(r, (unsigned int)i, &ctx) != 0)
		return -1;
	v.vcpu = (uint32_t)i;
	return steps_send(&r->rs_mk.m_run, XM_CTL_OP_SET_VCPU, iov, 2);
}

static int
vcpu_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	(void)data, (void)len;
	return ++r->rs_mk.m_run.s_cursor < r->rs_img.ri_dom.nr_vcpus;
}

static int
unpause_send(void *arg)
{
	struct restore *r = arg;

	if (r->rs_paused)
		return 1;
	return dom_make_unpause_send(r);
}

/* As restore_steps, the pages written while the stream comes
 * (restore_stream.c), the tail's too. */
static const struct step stream_steps[] = {
	{ "CREATE",	dom_make_create_send,	dom_make_create_reply },
	{ "GETINFO",	dom_make_getinfo_send,	dom_make_getinfo_reply },
	{ "WRITE_MEM as the stream comes", restore_stream_pages_send,
	    restore_stream_pages_reply },
	{ "the whole stream", restore_stream_whole_send, dom_make_no_reply },
	{ "POPULATE",		populate_send,	dom_make_populate_reply },
	{ "CONSOLE_ATTACH", dom_make_console_send, dom_make_console_reply },
	{ "STORE_ATTACH", dom_make_store_send,	dom_make_store_reply },
	{ "WRITE_MEM",		write_send,	write_reply },
	{ "READ_MEM of shared_info", shinfo_read_send, shinfo_read_reply },
	{ "WRITE_MEM of shared_info", shinfo_write_send, dom_make_no_reply },
	{ "PIN_TABLES",		pin_send,	pin_reply },
	{ "SET_VCPU",		vcpu_send,	vcpu_reply },
	{ "SCHED_SET",	dom_make_sched_send,	dom_make_no_reply },
	{ "VCPU_AFFINITY", dom_make_pin_send,	dom_make_pin_reply },
	{ "UNPAUSE",		unpause_send,	dom_make_no_reply },
	{ "GETINFO",	dom_make_getinfo_send,	dom_make_getinfo_reply },
};

static const struct step restore_steps[] = {
	{ "CREATE",	dom_make_create_send,	dom_make_create_reply },
	{ "GETINFO",	dom_make_getinfo_send,	dom_make_getinfo_reply },
	{ "POPULATE",		populate_send,	dom_make_populate_reply },
	{ "CONSOLE_ATTACH", dom_make_console_send, dom_make_console_reply },
	{ "STORE_ATTACH", dom_make_store_send,	dom_make_store_reply },
	{ "WRITE_MEM",		write_send,	write_reply },
	{ "READ_MEM of shared_info", shinfo_read_send, shinfo_read_reply },
	{ "WRITE_MEM of shared_info", shinfo_write_send, dom_make_no_reply },
	{ "PIN_TABLES",		pin_send,	pin_reply },
	{ "SET_VCPU",		vcpu_send,	vcpu_reply },
	{ "SCHED_SET",	dom_make_sched_send,	dom_make_no_reply },
	{ "VCPU_AFFINITY", dom_make_pin_send,	dom_make_pin_reply },
	{ "UNPAUSE",		unpause_send,	dom_make_no_reply },
	{ "GETINFO",	dom_make_getinfo_send,	dom_make_getinfo_reply },
};

static void
restore_finish(void *arg)
{
	struct restore *r = arg;
	struct xmd *x = r->rs_x;
	struct dom *d = r->rs_mk.m_dom;

	d->d_busy = 0;
	if (r->rs_mk.m_run.s_code != 0) {
		log_warnx("%s", r->rs_mk.m_run.s_msg);
		r->rs_done(r->rs_arg, r->rs_mk.m_run.s_code,
		    r->rs_mk.m_run.s_msg, NULL);
		domains_gone(x, d, "restore failed");
		restore_free(r);
		return;
	}
	runstate_put_text(x, d);
	runstate_save(x);
	if (r->rs_paused) {
		d->d_busy = 1;		/* the caller's until it unpauses */
		d->d_state = DOM_PAUSED;
		log_info("%s: restored from %s as d%d, paused", r->rs_what,
		    r->rs_path, d->d_id);
	} else {
		d->d_state = DOM_RUNNING;
		log_info("%s: restored from %s, running as d%d", r->rs_what,
		    r->rs_path, d->d_id);
		events_emit_dom(x, "domain.started", d, NULL, NULL);
	}
	r->rs_done(r->rs_arg, 0, NULL, d);
	restore_free(r);
}

int
restore_check_def(struct restore *r, struct lifecycle *life, int *code,
    char *err, size_t errlen)
{
	const struct sf_domain *sd = &r->rs_img.ri_dom;
	char why[1024];

	*code = XMCTL_E_SAVEFILE;
	if (defs_parse(r->rs_img.ri_def, r->rs_img.ri_def_len, &r->rs_def,
	    life, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "save file '%s': its definition: %s",
		    r->rs_path, why);
		return -1;
	}
	snprintf(r->rs_what, sizeof(r->rs_what), "domain '%s'",
	    r->rs_def.dd_name);
	if (sd->max_pages > r->rs_def.dd_memory_kib / 4 + XM_DOMAIN_HV_PAGES ||
	    sd->nr_pfns > 2 * sd->max_pages || sd->nr_vcpus !=
	    r->rs_def.dd_vcpus) {
		snprintf(err, errlen, "save file '%s': %llu pages in %llu pfns "
		    "with %u vCPUs do not fit its definition (%llu KiB, %u "
		    "vCPUs)", r->rs_path, (unsigned long long)sd->max_pages,
		    (unsigned long long)sd->nr_pfns, sd->nr_vcpus,
		    (unsigned long long)r->rs_def.dd_memory_kib,
		    r->rs_def.dd_vcpus);
		return -1;
	}
	return 0;
}

static int
introduce(void *arg, struct dom *d, uint32_t port, uint64_t mfn, char *err,
    size_t errlen)
{
	return xsd_introduce(arg, d, port, mfn, err, errlen);
}

void
restore_make_plan(struct restore *r)
{
	struct dom_make *m = &r->rs_mk;

	m->m_def = &r->rs_def;
	m->m_vcpus = r->rs_img.ri_dom.nr_vcpus;
	m->m_max_pages = r->rs_img.ri_dom.max_pages;
	m->m_has_console = r->rs_img.ri_console_pfn != 0;
	m->m_console_pfn = r->rs_img.ri_console_pfn;
	m->m_has_store = r->rs_img.ri_store_pfn != 0;
	m->m_store_pfn = r->rs_img.ri_store_pfn;
	m->m_store_fn = introduce;
	m->m_store_arg = r->rs_x;
}

static void
restore_end(void *arg)
{
	struct restore *r = arg;

	dom_make_end(&r->rs_mk, restore_finish);
}

int
restore_run(struct restore *r)
{
	if (r->rs_live)
		steps_init(&r->rs_mk.m_run, stream_steps, nitems(stream_steps),
		    r->rs_x->x_ctl, r, r->rs_what, restore_end);
	else
		steps_init(&r->rs_mk.m_run, restore_steps,
		    nitems(restore_steps), r->rs_x->x_ctl, r, r->rs_what,
		    restore_end);
	if (steps_start(&r->rs_mk.m_run, r->rs_x->x_base) != 0) {
		steps_fail(&r->rs_mk.m_run, XMCTL_E_NODE, "%s: the node is not "
		    "connected", r->rs_what);
		restore_finish(r);
		return -1;
	}
	return 0;
}

static int
restore_prepare(struct restore *r, int *code, char *err, size_t errlen)
{
	struct lifecycle life;
	char why[512];
	int fd;

	*code = XMCTL_E_SAVEFILE;
	if ((fd = open(r->rs_path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "save file '%s': %s", r->rs_path,
		    strerror(errno));
		return -1;
	}
	if (rs_image_read(&r->rs_img, fd, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "save file '%s': %s", r->rs_path, why);
		return -1;
	}
	if (restore_check_def(r, &life, code, err, errlen) != 0)
		return -1;
	r->rs_mk.m_p2m = malloc(r->rs_img.ri_dom.nr_pfns * sizeof(uint64_t));
	r->rs_buf = malloc(WRITE_BATCH * PAGE_SIZE);
	if (r->rs_mk.m_p2m == NULL || r->rs_buf == NULL) {
		*code = XMCTL_E_SYSTEM;
		snprintf(err, errlen, "%s: out of memory", r->rs_what);
		return -1;
	}
	memset(r->rs_mk.m_p2m, 0xff, r->rs_img.ri_dom.nr_pfns *
	    sizeof(uint64_t));
	restore_make_plan(r);
	rs_pages_begin(&r->rs_pages, &r->rs_img);
	r->rs_mk.m_dom = launch_new_dom(r->rs_x, &r->rs_def, &life, code, err,
	    errlen);
	return r->rs_mk.m_dom != NULL ? 0 : -1;
}

void
restore_start(struct xmd *x, const struct restore_req *req)
{
	struct restore *r = calloc(1, sizeof(*r));
	const char *path = req->rq_path;
	char err[PATH_MAX + 1024];
	int code;

	if (r == NULL || (r->rs_path = strdup(path)) == NULL) {
		free(r);
		req->rq_done(req->rq_arg, XMCTL_E_SYSTEM, "out of memory",
		    NULL);
		return;
	}
	r->rs_x = x;
	r->rs_done = req->rq_done;
	r->rs_arg = req->rq_arg;
	r->rs_paused = req->rq_paused;
	r->rs_img.ri_fd = -1;
	xm_domain_def_init(&r->rs_def);
	if (restore_prepare(r, &code, err, sizeof(err)) != 0) {
		req->rq_done(req->rq_arg, code, err, NULL);
		restore_free(r);
		return;
	}
	log_info("%s: restoring it from %s", r->rs_what, path);
	(void)restore_run(r);
}
