/*
 * domain.save (save.h): the wait for the guest's suspend, then a table
 * of steps over the control channel (steps.h), then the file.
 */
#include <sys/queue.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <xm/ctl.h>
#include <xm/xen_core.h>
#include <xmctl.h>

#include "ctl.h"
#include "log.h"
#include "registry.h"
#include "save.h"
#include "save_int.h"
#include "save_canon.h"
#include "savefile.h"
#include "steps.h"
#include "suspend.h"
#include "xmd.h"
#include "xsd.h"

static TAILQ_HEAD(, save) saves = TAILQ_HEAD_INITIALIZER(saves);

static void	save_end(void *);
static void	save_begin(struct save *);

int
save_active(int id)
{
	struct save *s;

	TAILQ_FOREACH(s, &saves, sv_entry)
		if (s->sv_id == id)
			return 1;
	return 0;
}

int
save_stop_rounds(int id, int code, const char *why)
{
	struct save *s;

	TAILQ_FOREACH(s, &saves, sv_entry)
		if (s->sv_id == id && s->sv_pc.pc_active) {
			s->sv_pc.pc_stop = code;
			snprintf(s->sv_pc.pc_stop_why,
			    sizeof(s->sv_pc.pc_stop_why), "%s", why);
			if (s->sv_pc.pc_ahead_wait) {	/* it would wait on */
				s->sv_pc.pc_ahead_wait = 0;
				steps_resume(&s->sv_run);
			}
			return 0;
		}
	return -1;
}

void
save_stream_went(int id)
{
	struct save *s;

	TAILQ_FOREACH(s, &saves, sv_entry)
		if (s->sv_id == id && s->sv_pc.pc_ahead_wait) {
			s->sv_pc.pc_ahead_wait = 0;
			steps_resume(&s->sv_run);
			return;
		}
}

static void
save_free(struct save *s)
{
	TAILQ_REMOVE(&saves, s, sv_entry);
	if (s->sv_timer != NULL)
		event_free(s->sv_timer);
	if (s->sv_fd >= 0)
		close(s->sv_fd);
	if (s->sv_tmp != NULL)		/* not renamed: nothing is kept */
		unlink(s->sv_tmp);
	canon_map_free(&s->sv_map);
	precopy_free(&s->sv_pc);
	free(s->sv_mfns);
	free(s->sv_pinfo);
	free(s->sv_p2m);
	free(s->sv_ctx);
	free(s->sv_path);
	free(s->sv_tmp);
	free(s);
}

/* The failure, to whoever asked; then s is gone. */
void
save_fail_free(struct save *s, int code, const char *fmt, ...)
{
	char msg[PATH_MAX + 1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->sv_done(s->sv_arg, code, msg, NULL);
	save_free(s);
}

/* --- the wait for the guest ------------------------------------------ */

static void
suspend_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct save *s = arg;

	(void)fd, (void)what;
	(void)xsd_write_dom(s->sv_x, s->sv_id, "control/shutdown", "");
	save_fail_free(s, XMCTL_E_TIMEOUT, "domain '%s': asked to suspend "
	    "through xenstore (control/shutdown), it did not within %u s; "
	    "nothing was saved", s->sv_name, s->sv_timeout_s);
}

void
save_domain_suspended(struct xmd *x, struct dom *d)
{
	struct save *s;

	(void)x;
	TAILQ_FOREACH(s, &saves, sv_entry)
		if (s->sv_id == d->d_id && !s->sv_suspended &&
		    !s->sv_pc.pc_active) {
			save_begin(s);
			return;
		}
}

void
save_domain_ended(struct xmd *x, int id, const char *why)
{
	struct save *s, *next;

	(void)x;
	TAILQ_FOREACH_SAFE(s, &saves, sv_entry, next)
		if (s->sv_id == id && !s->sv_suspended && !s->sv_pc.pc_active)
			save_fail_free(s, XMCTL_E_STATE, "domain '%s': %s before "
			    "it suspended; nothing was saved", s->sv_name,
			    why);
}

/* The file beside path, so that the rename is atomic. */
static int
open_tmp(struct save *s, char *err, size_t errlen)
{
	if (asprintf(&s->sv_tmp, "%s.XXXXXX", s->sv_path) < 0) {
		s->sv_tmp = NULL;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((s->sv_fd = mkstemp(s->sv_tmp)) < 0) {
		snprintf(err, errlen, "domain '%s': cannot write '%s': %s",
		    s->sv_name, s->sv_path, strerror(errno));
		free(s->sv_tmp);
		s->sv_tmp = NULL;
		return -1;
	}
	return 0;
}

static int
save_check(struct xmd *x, struct dom *d, int *code, char *err,
    size_t errlen)
{
	*code = XMCTL_E_STATE;
	if (d->d_privileged)
		snprintf(err, errlen, "domain '%s': domain 0 cannot be saved",
		    d->d_name);
	else if (d->d_busy || save_active(d->d_id))
		snprintf(err, errlen, "domain '%s': busy (being built, saved "
		    "or restored)", d->d_name);
	else if (d->d_state == DOM_PAUSED)
		snprintf(err, errlen, "domain '%s': it is paused; it must run "
		    "to suspend itself (resume it first)", d->d_name);
	else if (d->d_state != DOM_RUNNING && d->d_state != DOM_SUSPENDED)
		snprintf(err, errlen, "domain '%s': cannot save it: it is %s",
		    d->d_name, dom_state_name(d->d_state));
	else if (d->d_text == NULL)
		snprintf(err, errlen, "domain '%s': xmd has no definition of "
		    "it to save", d->d_name);
	else
		return 0;
	(void)x;
	return -1;
}

void
save_start(struct xmd *x, const struct save_req *req)
{
	struct dom *d = req->sr_dom;
	struct save *s;
	char err[PATH_MAX + 128];
	int code;

	d->d_unsuspend_until = 0;	/* this save's suspend is wanted */
	if (save_check(x, d, &code, err, sizeof(err)) != 0) {
		req->sr_done(req->sr_arg, code, err, NULL);
		return;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->sv_path = strdup(req->sr_path)) == NULL) {
		free(s);
		req->sr_done(req->sr_arg, XMCTL_E_SYSTEM, "out of memory",
		    NULL);
		return;
	}
	s->sv_x = x;
	s->sv_done = req->sr_done;
	s->sv_arg = req->sr_arg;
	s->sv_keep = req->sr_keep;
	s->sv_stream = req->sr_stream;
	s->sv_id = d->d_id;
	s->sv_fd = -1;
	s->sv_timeout_s = req->sr_timeout_s;
	snprintf(s->sv_name, sizeof(s->sv_name), "%s", d->d_name);
	snprintf(s->sv_what, sizeof(s->sv_what), "domain '%s'", d->d_name);
	TAILQ_INSERT_TAIL(&saves, s, sv_entry);
	if (open_tmp(s, err, sizeof(err)) != 0) {
		save_fail_free(s, XMCTL_E_SAVEFILE, "%s", err);
		return;
	}
	if (d->d_state == DOM_SUSPENDED) {
		save_begin(s);
		return;
	}
	if (req->sr_live) {
		if (precopy_init(s, req) != 0)
			return;
		d->d_busy = 1;
		steps_init(&s->sv_run, precopy_steps, precopy_nsteps,
		    x->x_ctl, s, s->sv_what, precopy_end);
		if (steps_start(&s->sv_run, x->x_base) != 0) {
			steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: the node is "
			    "not connected", s->sv_what);
			precopy_end(s);
		}
		return;
	}
	save_ask_suspend(s);
}

/* Through xenstore, as Xen's toolstack asks; save_begin once it has. */
void
save_ask_suspend(struct save *s)
{
	struct timeval tv = { s->sv_timeout_s, 0 };
	int rc;

	if ((rc = xsd_write_dom(s->sv_x, s->sv_id, "control/shutdown",
	    "suspend")) != 0) {
		save_fail_free(s, XMCTL_E_INTERNAL, "%s: cannot write "
		    "control/shutdown: %s", s->sv_what, strerror(rc));
		return;
	}
	log_info("%s (d%d): asked to suspend for a save to %s", s->sv_what,
	    s->sv_id, s->sv_path);
	if ((s->sv_timer = evtimer_new(s->sv_x->x_base, suspend_timeout,
	    s)) != NULL)
		evtimer_add(s->sv_timer, &tv);
}

/* --- the steps ------------------------------------------------------- */

static int
shinfo_send(void *arg)
{
	struct save *s = arg;

	/* A live tail keeps the rounds' map unless a pfn moved. */
	if ((!s->sv_pc.pc_live || s->sv_pc.pc_map_stale) &&
	    save_map_make(s) != 0)
		return -1;
	s->sv_pc.pc_map_stale = 0;
	return save_read_frames(s, &s->sv_info.shared_info_mfn, 1);
}

static int
shinfo_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;

	if (len != PAGE_SIZE)
		return steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: READ_MEM "
		    "gave %zu bytes of a page", s->sv_what, len);
	memcpy(s->sv_shinfo, data, PAGE_SIZE);
	return 0;
}

static int
vcpu_send(void *arg)
{
	struct save *s = arg;
	struct xm_ctl_vcpu v = { (xm_domid_t)s->sv_id, 0,
	    (uint32_t)s->sv_run.s_cursor };
	struct iovec iov = { &v, sizeof(v) };

	return steps_send(&s->sv_run, XM_CTL_OP_GET_VCPU, &iov, 1);
}

static int
vcpu_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;

	(void)len;
	memcpy(&s->sv_ctx[s->sv_run.s_cursor], data, sizeof(*s->sv_ctx));
	return ++s->sv_run.s_cursor < s->sv_info.nr_vcpus;
}

static const struct xm_arch_shared_info *
shinfo_arch(const struct save *s)
{
	return &((const struct xm_shared_info *)s->sv_shinfo)->arch;
}

/* The frame list list the guest published (Linux, Mini-OS do). */
static int
fll_send(void *arg)
{
	struct save *s = arg;
	const struct xm_arch_shared_info *a = shinfo_arch(s);
	uint64_t pfn, p2m_pages;

	p2m_pages = (a->max_pfn + PER_PAGE - 1) / PER_PAGE;
	s->sv_nfl = (p2m_pages + PER_PAGE - 1) / PER_PAGE;
	if (a->pfn_to_mfn_frame_list_list == 0 || a->max_pfn == 0 ||
	    canon_pfn(&s->sv_map, a->pfn_to_mfn_frame_list_list, &pfn) != 0)
		return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: its p2m is "
		    "not published in shared_info (a PV guest sets "
		    "arch.max_pfn and pfn_to_mfn_frame_list_list)",
		    s->sv_what);
	if (s->sv_nfl > FL_MAX)
		return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: its p2m of "
		    "%llu pfns is larger than a save takes", s->sv_what,
		    (unsigned long long)a->max_pfn);
	return save_read_frames(s, &a->pfn_to_mfn_frame_list_list, 1);
}

static int
fll_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;

	(void)len;
	memcpy(s->sv_fl, data, s->sv_nfl * sizeof(uint64_t));
	return 0;
}

static int
fl_send(void *arg)
{
	struct save *s = arg;

	return save_read_frames(s, s->sv_fl, (unsigned int)s->sv_nfl);
}

/* The p2m's frames, as pfns: restore rewrites what they hold. */
static int
fl_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;
	uint64_t max_pfn = shinfo_arch(s)->max_pfn, i, mfn;

	(void)len;
	s->sv_np2m = (max_pfn + PER_PAGE - 1) / PER_PAGE;
	if ((s->sv_p2m = calloc(s->sv_np2m, sizeof(uint64_t))) == NULL)
		return save_no_memory(s);
	for (i = 0; i < s->sv_np2m; i++) {
		memcpy(&mfn, data + i * sizeof(uint64_t), sizeof(mfn));
		if (canon_pfn(&s->sv_map, mfn, &s->sv_p2m[i]) != 0)
			return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: "
			    "frame %llu of its p2m (%#llx) is not its own",
			    s->sv_what, (unsigned long long)i,
			    (unsigned long long)mfn);
	}
	return 0;
}

/* A context's frames as pfns: its page tables, GDT, start_info in rdx. */
static int
canon_context(struct save *s, unsigned int vcpu,
    struct xm_vcpu_guest_context *c)
{
	uint64_t pfn, i;
	const char *what = "its page table";

	for (i = 0; i < 2; i++) {
		uint64_t *cr = &c->ctrlreg[i == 0 ? 3 : 1];

		if (*cr == 0)
			continue;
		if (canon_pfn(&s->sv_map, *cr >> 12, &pfn) != 0)
			goto bad;
		*cr = pfn << 12;
	}
	what = "its GDT";
	for (i = 0; i < (c->gdt_ents + 511) / 512 && i < 16; i++) {
		if (canon_pfn(&s->sv_map, c->gdt_frames[i], &pfn) != 0)
			goto bad;
		c->gdt_frames[i] = pfn;
	}
	if (vcpu == 0) {
		what = "its start_info (rdx of the suspend call)";
		if (canon_pfn(&s->sv_map, c->user_regs.rdx, &pfn) != 0)
			goto bad;
		c->user_regs.rdx = pfn;
	}
	return 0;
bad:
	return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: vCPU %u: %s is not "
	    "a frame of the domain", s->sv_what, vcpu, what);
}

static int
write_vcpus(struct save *s)
{
	struct xm_vcpu_guest_context c;
	struct sf_vcpu v;
	unsigned int i;

	for (i = 0; i < s->sv_info.nr_vcpus; i++) {
		c = s->sv_ctx[i];
		v.vcpu = i;
		v.flags = (c.flags & XM_VGCF_ONLINE) ? SF_VCPU_ONLINE : 0;
		/* A vCPU never brought up has no frames to name. */
		if (c.ctrlreg[3] != 0 && canon_context(s, i, &c) != 0)
			return -1;
		if (save_write_record(s, SF_VCPU, &v, sizeof(v), &c, sizeof(c)) != 0)
			return -1;
	}
	return 0;
}

/* Everything but the pages, before them. */
static int
head_send(void *arg)
{
	struct save *s = arg;
	struct dom *d = registry_by_id(&s->sv_x->x_reg, s->sv_id);
	struct xm_shared_info *si = (struct xm_shared_info *)s->sv_shinfo;
	struct sf_domain sd;
	uint64_t i, fll;

	if (d == NULL || d->d_text == NULL)
		return steps_fail(&s->sv_run, XMCTL_E_NO_DOMAIN, "%s: it "
		    "went", s->sv_what);
	memset(&sd, 0, sizeof(sd));
	sd.nr_vcpus = s->sv_info.nr_vcpus;
	sd.max_pages = s->sv_info.max_pages;
	sd.nr_pfns = s->sv_info.nr_pfns;
	for (i = 0; i < s->sv_nr; i++)
		sd.tot_pages += save_saved(s, i);
	if (s->sv_ctx[0].ctrlreg[3] == 0 || canon_pfn(&s->sv_map,
	    s->sv_ctx[0].user_regs.rdx, &sd.start_info_pfn) != 0)
		return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: vCPU 0 does "
		    "not name its start_info in its suspend call", s->sv_what);
	(void)canon_pfn(&s->sv_map, si->arch.pfn_to_mfn_frame_list_list,
	    &fll);			/* fll_send found it */
	si->arch.pfn_to_mfn_frame_list_list = fll;
	if (s->sv_pc.pc_live) {		/* the head went before the rounds */
		s->sv_pc.pc_start_info = sd.start_info_pfn;
		goto tail;
	}
	if (sf_write_begin(&s->sv_w, s->sv_fd) != 0)
		return save_write_failed(s);
	if (save_write_record(s, SF_DEFINITION, d->d_text, d->d_len, NULL, 0) ||
	    save_write_record(s, SF_DOMAIN, &sd, sizeof(sd), NULL, 0))
		return -1;
tail:
	if (save_write_record(s, SF_P2M_FRAMES, &s->sv_np2m, sizeof(uint64_t),
	    s->sv_p2m, s->sv_np2m * sizeof(uint64_t)) ||
	    save_write_record(s, SF_SHARED_INFO, s->sv_shinfo, PAGE_SIZE, NULL,
	    0) || write_vcpus(s))
		return -1;
	return 1;
}

/* The next frames to save, from the cursor on: a READ_MEM of the ring. */
static int
pages_send(void *arg)
{
	struct save *s = arg;
	unsigned int b = (s->sv_ring_head + s->sv_ring_count) % SAVE_WINDOW;
	uint64_t mfns[SF_PAGES_MAX], i, *idx = s->sv_ring[b];
	unsigned int n = 0;

	for (i = s->sv_run.s_cursor; i < s->sv_nr && n < SF_PAGES_MAX; i++)
		if (save_saved(s, i) && (s->sv_pc.pc_want == NULL ||
		    s->sv_pc.pc_want[i])) {
			idx[n] = i;
			mfns[n++] = s->sv_mfns[i];
		}
	s->sv_run.s_cursor = i;
	if (n == 0)
		return 1;
	steps_window(&s->sv_run, SAVE_WINDOW);
	if (save_read_frames(s, mfns, n) != 0)
		return -1;
	s->sv_ring_n[b] = n;
	s->sv_ring_count++;
	return 0;
}

/* The oldest READ_MEM under way is answered (the node keeps order). */
static int
pages_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;
	unsigned int b = s->sv_ring_head;

	s->sv_ring_head = (b + 1) % SAVE_WINDOW;
	s->sv_ring_count--;
	if (save_write_pages(s, s->sv_ring[b], s->sv_ring_n[b], data, len,
	    NULL) != 0)
		return -1;
	precopy_progress(s, "stop-and-copy");
	return 1;
}

/* The file complete, synced and in place (its directory synced too). */
static int
file_send(void *arg)
{
	struct save *s = arg;
	char *dir;
	int fd;

	/* A save file is on disk before it is said to be saved. */
	if (sf_write_end(&s->sv_w) != 0 ||
	    (!s->sv_stream && fsync(s->sv_fd) != 0) ||
	    rename(s->sv_tmp, s->sv_path) != 0)
		return save_write_failed(s);
	free(s->sv_tmp);
	s->sv_tmp = NULL;
	if (s->sv_stream)
		return 1;
	if ((dir = strdup(s->sv_path)) != NULL &&
	    (fd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
	return 1;
}

static int
destroy_send(void *arg)
{
	struct save *s = arg;

	if (s->sv_keep)
		return 1;		/* the caller's, suspended */
	return save_send_domid(s, XM_CTL_OP_DESTROY);
}

static int
destroy_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;

	(void)data, (void)len;
	s->sv_destroyed = 1;
	return 0;
}

static const struct step save_steps[] = {
	{ "GETINFO",		save_getinfo_send,	save_getinfo_reply },
	{ "PAGE_LIST",		save_list_send,	save_list_reply },
	{ "PAGE_INFO",		save_info_send,	save_info_reply },
	{ "READ_MEM of shared_info", shinfo_send, shinfo_reply },
	{ "GET_VCPU",		vcpu_send,	vcpu_reply },
	{ "READ_MEM of the frame list list", fll_send, fll_reply },
	{ "READ_MEM of the frame lists", fl_send, fl_reply },
	{ "the file's head",	head_send,	NULL },
	{ "READ_MEM",		pages_send,	pages_reply },
	{ "the file's end",	file_send,	NULL },
	{ "DESTROY",		destroy_send,	destroy_reply },
};

/* A live save's tail: the rounds wrote the head and most pages. */
static const struct step tail_steps[] = {
	{ "GETINFO",	save_getinfo_send,	precopy_tail_getinfo_reply },
	{ "LOG_DIRTY CLEAN",	precopy_tail_send, precopy_tail_reply },
	{ "PAGE_INFO of the dirty frames", precopy_tail_info_send,
	    precopy_tail_info_reply },
	{ "READ_MEM of shared_info", shinfo_send, shinfo_reply },
	{ "GET_VCPU",		vcpu_send,	vcpu_reply },
	{ "READ_MEM of the frame list list", fll_send, fll_reply },
	{ "READ_MEM of the frame lists", fl_send, fl_reply },
	{ "the tail's head",	head_send,	NULL },
	{ "the tail's frames",	precopy_tail_pick, NULL },
	{ "READ_MEM",		pages_send,	pages_reply },
	{ "the file's end",	file_send,	NULL },
	{ "LOG_DIRTY DISABLE",	precopy_off_send, precopy_off_reply },
	{ "DESTROY",		destroy_send,	destroy_reply },
};

static void
save_begin(struct save *s)
{
	struct dom *d = registry_by_id(&s->sv_x->x_reg, s->sv_id);
	int live = s->sv_pc.pc_live;

	s->sv_suspended = 1;
	if (s->sv_timer != NULL)
		evtimer_del(s->sv_timer);
	if (d != NULL)
		d->d_busy = 1;
	log_info("%s (d%d): suspended; saving it to %s", s->sv_what,
	    s->sv_id, s->sv_path);
	if (live)
		precopy_progress(s, "suspended");
	steps_init(&s->sv_run, live ? tail_steps : save_steps, live ?
	    nitems(tail_steps) : nitems(save_steps), s->sv_x->x_ctl, s,
	    s->sv_what, save_end);
	if (steps_start(&s->sv_run, s->sv_x->x_base) != 0) {
		steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: the node is not "
		    "connected", s->sv_what);
		save_end(s);
	}
}

static void
cancelled(void *arg, int status, const char *step)
{
	struct save *s = arg;

	if (status == 0) {
		log_info("%s (d%d): runs on after the failed save", s->sv_what,
		    s->sv_id);
		domains_refresh(s->sv_x);
		save_fail_free(s, s->sv_run.s_code, "%s; nothing was saved, the "
		    "domain runs on", s->sv_run.s_msg);
	} else
		save_fail_free(s, s->sv_run.s_code, "%s; nothing was saved, and "
		    "the domain stays suspended: resuming it failed (%s): %s",
		    s->sv_run.s_msg, step, ctl_strerror(status));
}

static void
save_failed(struct save *s, struct dom *d)
{
	log_warnx("%s", s->sv_run.s_msg);
	precopy_off(s);
	if (s->sv_tmp == NULL)		/* renamed: the domain lives on */
		unlink(s->sv_path);
	if (d != NULL)
		d->d_busy = 0;
	if (d == NULL || s->sv_destroyed || suspend_cancel(s->sv_x, s->sv_id,
	    cancelled, s) != 0)
		save_fail_free(s, s->sv_run.s_code, "%s; nothing was saved",
		    s->sv_run.s_msg);
}

static void
save_end(void *arg)
{
	struct save *s = arg;
	struct dom *d = registry_by_id(&s->sv_x->x_reg, s->sv_id);
	struct xmctl_saved r;
	char why[PATH_MAX + 16];

	if (s->sv_run.s_code != 0) {
		save_failed(s, d);
		return;
	}
	log_info("%s (d%d): saved to %s: %llu pages, %llu bytes", s->sv_what,
	    s->sv_id, s->sv_path, (unsigned long long)s->sv_saved,
	    (unsigned long long)s->sv_w.w_off);
	memset(&r, 0, sizeof(r));
	snprintf(r.domain, sizeof(r.domain), "%s", s->sv_name);
	snprintf(r.path, sizeof(r.path), "%s", s->sv_path);
	r.pages = s->sv_saved;
	r.bytes = s->sv_w.w_off;
	s->sv_done(s->sv_arg, 0, NULL, &r);
	if (d != NULL && s->sv_keep)
		log_info("%s (d%d): kept suspended", s->sv_what, s->sv_id);
	else if (d != NULL) {
		d->d_busy = 0;
		snprintf(why, sizeof(why), "saved to %s", s->sv_path);
		domains_gone(s->sv_x, d, why);
	}
	save_free(s);
}
