/*
 * node.restore (restore.h): the file read whole, then a table of steps
 * over the control channel (steps.h).
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
#include "rpc.h"
#include "save_canon.h"
#include "steps.h"
#include "xmd.h"
#include "xsd.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE	RS_PAGE_SIZE
#define PER_PAGE	(PAGE_SIZE / sizeof(uint64_t))
#define NO_MFN		UINT64_MAX
/* Whole pages per WRITE_MEM: the header, a segment and 4 KiB each. */
#define WRITE_BATCH	((XM_CTL_MAX_PAYLOAD - sizeof(struct xm_ctl_mem)) / \
			    (sizeof(struct xm_ctl_mem_seg) + PAGE_SIZE))

struct restore {
	struct xmd		*rs_x;
	struct rpc_call		*rs_call;
	struct steps		 rs_run;
	char			*rs_path;
	char			 rs_what[XM_DEF_NAME_MAX + 16];
	struct rs_image		 rs_img;
	struct rs_pages		 rs_pages;
	struct xm_domain_def	 rs_def;
	struct dom		*rs_dom;
	int			 rs_created;
	uint64_t		 rs_shared_info_mfn;
	uint64_t		*rs_p2m;	/* pfn -> the new frame */
	uint64_t		 rs_batch;	/* frames POPULATE was asked */
	uint32_t		 rs_console_port;
	uint32_t		 rs_store_port;
	uint8_t			*rs_buf;	/* WRITE_BATCH pages */
	uint8_t			 rs_shinfo[PAGE_SIZE];
};

static void	restore_end(void *);

static void
restore_free(struct restore *r)
{
	if (r->rs_img.ri_fd >= 0)
		close(r->rs_img.ri_fd);
	rs_image_free(&r->rs_img);
	xm_domain_def_dispose(&r->rs_def);
	free(r->rs_p2m);
	free(r->rs_buf);
	free(r->rs_path);
	free(r);
}

static int
domid(const struct restore *r)
{
	return r->rs_dom->d_id;
}

static int
send_domid(struct restore *r, uint16_t op)
{
	struct xm_ctl_domid id = { (xm_domid_t)domid(r), { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };

	return steps_send(&r->rs_run, op, &iov, 1);
}

static int
no_reply(void *arg, const uint8_t *data, size_t len)
{
	(void)arg, (void)data, (void)len;
	return 0;
}

static int
create_send(void *arg)
{
	struct restore *r = arg;
	struct xm_ctl_create c = { r->rs_img.ri_dom.nr_vcpus, 0,
	    r->rs_img.ri_dom.max_pages };
	struct iovec iov = { &c, sizeof(c) };

	return steps_send(&r->rs_run, XM_CTL_OP_CREATE, &iov, 1);
}

static int
create_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;
	struct xm_ctl_domid d;

	(void)len;
	memcpy(&d, data, sizeof(d));
	r->rs_dom->d_id = d.domid;
	r->rs_created = 1;
	log_info("%s: restoring it as d%u from %s", r->rs_what, d.domid,
	    r->rs_path);
	return 0;
}

static int
getinfo_send(void *arg)
{
	return send_domid(arg, XM_CTL_OP_GETINFO);
}

static int
getinfo_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	(void)len;
	memcpy(&r->rs_dom->d_info, data, sizeof(r->rs_dom->d_info));
	r->rs_shared_info_mfn = r->rs_dom->d_info.shared_info_mfn;
	return 0;
}

static int
saved(const struct restore *r, uint64_t pfn)
{
	return r->rs_img.ri_type[pfn] != 0;
}

/* Frames for the next run of saved pfns from the cursor on. */
static int
populate_send(void *arg)
{
	struct restore *r = arg;
	uint64_t pfn = r->rs_run.s_cursor, n = 0, nr = r->rs_img.ri_dom.nr_pfns;
	struct xm_ctl_populate p;
	struct iovec iov = { &p, sizeof(p) };

	while (pfn < nr && !saved(r, pfn))
		pfn++;
	while (pfn + n < nr && saved(r, pfn + n) && n < XM_CTL_POPULATE_MAX)
		n++;
	r->rs_run.s_cursor = pfn;
	if (n == 0)
		return 1;
	memset(&p, 0, sizeof(p));
	p.domid = (xm_domid_t)domid(r);
	p.nr = (uint32_t)n;
	p.first_pfn = pfn;
	r->rs_batch = n;
	return steps_send(&r->rs_run, XM_CTL_OP_POPULATE, &iov, 1);
}

static int
populate_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	if (len / sizeof(uint64_t) != r->rs_batch)
		return steps_fail(&r->rs_run, XMCTL_E_NODE, "%s: POPULATE gave "
		    "%zu frames of %llu", r->rs_what, len / sizeof(uint64_t),
		    (unsigned long long)r->rs_batch);
	memcpy(r->rs_p2m + r->rs_run.s_cursor, data, len);
	r->rs_run.s_cursor += r->rs_batch;
	return 1;			/* the next run, if any */
}

static int
attach_send(struct restore *r, uint16_t op, uint64_t pfn)
{
	struct xm_ctl_console_attach a;
	struct iovec iov = { &a, sizeof(a) };

	if (pfn == 0)
		return 1;
	memset(&a, 0, sizeof(a));
	a.domid = (xm_domid_t)domid(r);
	a.mfn = r->rs_p2m[pfn];
	return steps_send(&r->rs_run, op, &iov, 1);
}

static int
console_send(void *arg)
{
	struct restore *r = arg;

	return attach_send(r, XM_CTL_OP_CONSOLE_ATTACH,
	    r->rs_img.ri_console_pfn);
}

static int
console_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;
	struct xm_ctl_console_port p;

	(void)len;
	memcpy(&p, data, sizeof(p));
	r->rs_console_port = p.port;
	return 0;
}

static int
store_send(void *arg)
{
	struct restore *r = arg;

	return attach_send(r, XM_CTL_OP_STORE_ATTACH, r->rs_img.ri_store_pfn);
}

/* The domain's xenstore paths, before it runs again. */
static int
store_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;
	struct xm_ctl_console_port p;
	char err[256];

	(void)len;
	memcpy(&p, data, sizeof(p));
	r->rs_store_port = p.port;
	if (xsd_introduce(r->rs_x, r->rs_dom, p.port,
	    r->rs_p2m[r->rs_img.ri_store_pfn], err, sizeof(err)) != 0)
		return steps_fail(&r->rs_run, XMCTL_E_BUILD, "%s", err);
	return 0;
}

/* The p2m frame k of the guest: the new frames of its 512 pfns. */
static void
patch_p2m_frame(struct restore *r, uint64_t k, uint8_t *page)
{
	uint64_t j, pfn, v;

	for (j = 0; j < PER_PAGE; j++) {
		pfn = k * PER_PAGE + j;
		if (pfn >= r->rs_img.ri_dom.nr_pfns)
			break;
		v = saved(r, pfn) ? r->rs_p2m[pfn] : NO_MFN;
		memcpy(page + j * sizeof(v), &v, sizeof(v));
	}
}

/* What the toolstack fills in on resume (xm/xen_core.h says which). */
static void
patch_start_info(struct restore *r, uint8_t *page)
{
	struct xm_start_info si;

	memcpy(&si, page, sizeof(si));
	si.shared_info = r->rs_shared_info_mfn << 12;
	if (si.store_mfn != 0) {
		si.store_mfn = r->rs_p2m[si.store_mfn];
		si.store_evtchn = r->rs_store_port;
	}
	if (si.console.domU.mfn != 0) {
		si.console.domU.mfn = r->rs_p2m[si.console.domU.mfn];
		si.console.domU.evtchn = r->rs_console_port;
	}
	memcpy(page, &si, sizeof(si));
}

static int
patch_page(struct restore *r, uint64_t word, uint8_t *page)
{
	uint64_t pfn = word & SF_PAGE_PFN, e[CANON_ENTRIES], k;
	unsigned int type = (unsigned int)(word >> SF_PAGE_TYPE_SHIFT);
	char why[256];

	if (type >= XM_PAGE_L1TAB && type <= XM_PAGE_L4TAB) {
		memcpy(e, page, PAGE_SIZE);
		if (uncanon_table(e, type, r->rs_p2m, r->rs_img.ri_dom.nr_pfns,
		    why, sizeof(why)) != 0)
			return steps_fail(&r->rs_run, XMCTL_E_SAVEFILE, "%s: "
			    "the page table at pfn %#llx: %s", r->rs_what,
			    (unsigned long long)pfn, why);
		memcpy(page, e, PAGE_SIZE);
	}
	for (k = 0; k < r->rs_img.ri_np2m; k++)
		if (r->rs_img.ri_p2m_frames[k] == pfn)
			patch_p2m_frame(r, k, page);
	if (pfn == r->rs_img.ri_dom.start_info_pfn)
		patch_start_info(r, page);
	return 0;
}

static int
all_zero(const uint8_t *page)
{
	static const uint8_t zero[PAGE_SIZE];

	return memcmp(page, zero, PAGE_SIZE) == 0;
}

/* The next pages of the file, patched: those not zero (frames come so). */
static int
write_send(void *arg)
{
	struct restore *r = arg;
	struct xm_ctl_mem_seg segs[WRITE_BATCH];
	struct iovec iov[2 + WRITE_BATCH];
	struct xm_ctl_mem mem;
	uint8_t *page;
	uint64_t word;
	unsigned int n = 0;
	int rc;

	memset(segs, 0, sizeof(segs));
	while (n < WRITE_BATCH) {
		page = r->rs_buf + n * PAGE_SIZE;
		if ((rc = rs_pages_next(&r->rs_pages, &word, page)) < 0)
			return steps_fail(&r->rs_run, XMCTL_E_SAVEFILE, "%s: "
			    "cannot read '%s': %s", r->rs_what, r->rs_path,
			    strerror(errno));
		if (rc == 0)
			break;
		if (patch_page(r, word, page) != 0)
			return -1;
		if (all_zero(page))
			continue;
		segs[n].mfn = r->rs_p2m[word & SF_PAGE_PFN];
		segs[n].len = PAGE_SIZE;
		iov[2 + n] = (struct iovec){ page, PAGE_SIZE };
		n++;
	}
	r->rs_run.s_cursor = n == WRITE_BATCH;	/* more may follow */
	if (n == 0)
		return 1;
	mem = (struct xm_ctl_mem){ (xm_domid_t)domid(r), 0, n };
	iov[0] = (struct iovec){ &mem, sizeof(mem) };
	iov[1] = (struct iovec){ segs, n * sizeof(segs[0]) };
	return steps_send(&r->rs_run, XM_CTL_OP_WRITE_MEM, iov, 2 + (int)n);
}

static int
write_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	(void)data, (void)len;
	return r->rs_run.s_cursor != 0;
}

static int
shinfo_mem(struct restore *r, uint16_t op, const void *data)
{
	struct xm_ctl_mem mem = { (xm_domid_t)domid(r), 0, 1 };
	struct xm_ctl_mem_seg seg = { r->rs_shared_info_mfn, 0, PAGE_SIZE,
	    0 };
	struct iovec iov[3] = { { &mem, sizeof(mem) }, { &seg, sizeof(seg) },
	    { (void *)(uintptr_t)data, PAGE_SIZE } };

	return steps_send(&r->rs_run, op, iov, data != NULL ? 3 : 2);
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
		return steps_fail(&r->rs_run, XMCTL_E_NODE, "%s: READ_MEM gave "
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
	uint64_t at = r->rs_run.s_cursor;

	while (at < r->rs_img.ri_npins && p.nr < nitems(pins)) {
		rp = &r->rs_img.ri_pins[at++];
		pins[p.nr++] = (struct xm_pin_table){ r->rs_p2m[rp->pfn],
		    rp->level, 0 };
	}
	r->rs_run.s_cursor = at;
	if (p.nr == 0)
		return 1;
	iov[1].iov_len = p.nr * sizeof(pins[0]);
	return steps_send(&r->rs_run, XM_CTL_OP_PIN_TABLES, iov, 2);
}

static int
pin_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	(void)data, (void)len;
	return r->rs_run.s_cursor < r->rs_img.ri_npins;
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
		*cr = r->rs_p2m[pfn] << 12;
	}
	for (i = 0; i < (c->gdt_ents + 511) / 512 && i < 16; i++) {
		if ((pfn = c->gdt_frames[i]) >= nr || !saved(r, pfn))
			goto bad;
		c->gdt_frames[i] = r->rs_p2m[pfn];
	}
	if (vcpu == 0) {
		c->user_regs.rdx = r->rs_p2m[r->rs_img.ri_dom.start_info_pfn];
		c->user_regs.rax = 0;	/* the suspend call: restored */
	}
	return 0;
bad:
	return steps_fail(&r->rs_run, XMCTL_E_SAVEFILE, "%s: vCPU %u's page "
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
	uint64_t i = r->rs_run.s_cursor;

	for (; i < r->rs_img.ri_dom.nr_vcpus; i++) {
		rv = &r->rs_img.ri_vcpus[i];
		if (rv->present && rv->ctx.ctrlreg[3] != 0)
			break;
	}
	r->rs_run.s_cursor = i;
	if (i >= r->rs_img.ri_dom.nr_vcpus)
		return 1;
	ctx = rv->ctx;
	if (uncanon_context(r, (unsigned int)i, &ctx) != 0)
		return -1;
	v.vcpu = (uint32_t)i;
	return steps_send(&r->rs_run, XM_CTL_OP_SET_VCPU, iov, 2);
}

static int
vcpu_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	(void)data, (void)len;
	return ++r->rs_run.s_cursor < r->rs_img.ri_dom.nr_vcpus;
}

static int
unpause_send(void *arg)
{
	return send_domid(arg, XM_CTL_OP_UNPAUSE);
}

static const struct step restore_steps[] = {
	{ "CREATE",		create_send,	create_reply },
	{ "GETINFO",		getinfo_send,	getinfo_reply },
	{ "POPULATE",		populate_send,	populate_reply },
	{ "CONSOLE_ATTACH",	console_send,	console_reply },
	{ "STORE_ATTACH",	store_send,	store_reply },
	{ "WRITE_MEM",		write_send,	write_reply },
	{ "READ_MEM of shared_info", shinfo_read_send, shinfo_read_reply },
	{ "WRITE_MEM of shared_info", shinfo_write_send, no_reply },
	{ "PIN_TABLES",		pin_send,	pin_reply },
	{ "SET_VCPU",		vcpu_send,	vcpu_reply },
	{ "UNPAUSE",		unpause_send,	no_reply },
	{ "GETINFO",		getinfo_send,	getinfo_reply },
};

static void
restore_finish(struct restore *r)
{
	struct xmd *x = r->rs_x;
	struct dom *d = r->rs_dom;

	d->d_busy = 0;
	if (r->rs_run.s_code != 0) {
		log_warnx("%s", r->rs_run.s_msg);
		rpc_error(r->rs_call, r->rs_run.s_code, "%s", r->rs_run.s_msg);
		domains_gone(x, d, "restore failed");
	} else {
		d->d_state = DOM_RUNNING;
		runstate_put_text(x, d);
		runstate_save(x);
		log_info("%s: restored from %s, running as d%d", r->rs_what,
		    r->rs_path, d->d_id);
		events_emit_dom(x, "domain.started", d, NULL, NULL);
		rpc_result(r->rs_call, domains_json(x, d));
	}
	restore_free(r);
}

static void
destroyed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct restore *r = arg;

	(void)data, (void)len;
	if (status != 0)
		log_warnx("%s: cannot destroy d%d after the failed restore: %s",
		    r->rs_what, domid(r), ctl_strerror(status));
	restore_finish(r);
}

static void
restore_end(void *arg)
{
	struct restore *r = arg;
	struct xm_ctl_domid id;
	struct iovec iov = { &id, sizeof(id) };

	if (r->rs_run.s_code == 0 || !r->rs_created) {
		restore_finish(r);
		return;
	}
	memset(&id, 0, sizeof(id));
	id.domid = (xm_domid_t)domid(r);
	if (ctl_request(r->rs_x->x_ctl, XM_CTL_OP_DESTROY, &iov, 1, 0,
	    destroyed, r) != 0)
		restore_finish(r);
}

/* The definition the file holds, for a domain that may be made. */
static int
restore_def(struct restore *r, struct lifecycle *life, int *code, char *err,
    size_t errlen)
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
	if (restore_def(r, &life, code, err, errlen) != 0)
		return -1;
	r->rs_p2m = malloc(r->rs_img.ri_dom.nr_pfns * sizeof(uint64_t));
	r->rs_buf = malloc(WRITE_BATCH * PAGE_SIZE);
	if (r->rs_p2m == NULL || r->rs_buf == NULL) {
		*code = XMCTL_E_SYSTEM;
		snprintf(err, errlen, "%s: out of memory", r->rs_what);
		return -1;
	}
	memset(r->rs_p2m, 0xff, r->rs_img.ri_dom.nr_pfns * sizeof(uint64_t));
	rs_pages_begin(&r->rs_pages, fd);
	r->rs_dom = launch_new_dom(r->rs_x, &r->rs_def, &life, code, err,
	    errlen);
	return r->rs_dom != NULL ? 0 : -1;
}

void
restore_start(struct xmd *x, struct rpc_call *call, const char *path)
{
	struct restore *r = calloc(1, sizeof(*r));
	char err[PATH_MAX + 1024];
	int code;

	if (r == NULL || (r->rs_path = strdup(path)) == NULL) {
		free(r);
		rpc_error(call, XMCTL_E_SYSTEM, "out of memory");
		return;
	}
	r->rs_x = x;
	r->rs_call = call;
	r->rs_img.ri_fd = -1;
	xm_domain_def_init(&r->rs_def);
	if (restore_prepare(r, &code, err, sizeof(err)) != 0) {
		rpc_error(call, code, "%s", err);
		restore_free(r);
		return;
	}
	steps_init(&r->rs_run, restore_steps, nitems(restore_steps), x->x_ctl,
	    r, r->rs_what, restore_end);
	if (steps_start(&r->rs_run, x->x_base) != 0) {
		steps_fail(&r->rs_run, XMCTL_E_NODE, "%s: the node is not "
		    "connected", r->rs_what);
		restore_finish(r);
	}
}
