/*
 * node.restore from a live migration's stream (restore.h, "A live
 * migration's stream"; xm-save(5), "Live streams") as it comes into its
 * file: the domain made once the head (DEFINITION, DOMAIN) has come, its
 * records read (rs_feed) and its pages written as they come, those of
 * the tail too, then, once the stream is whole, the rest is checked as
 * a file and restore.c's steps finish it with the last copy of each page
 * the finish must write.
 */
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "defs.h"
#include "dom_make.h"
#include "log.h"
#include "registry.h"
#include "restore.h"
#include "restore_image.h"
#include "restore_int.h"
#include "steps.h"
#include "xmd.h"

/*
 * A live stream's next page for the finish: the last copy of a page
 * table (the stream's writes skip them: they name pfns), a p2m frame or
 * start_info (rs_keep); the others, the tail's too, are in the domain
 * already.
 */
int
restore_stream_last_next(struct restore *r, uint64_t *word, uint8_t *page)
{
	uint64_t pfn;
	unsigned int type;
	int rc, tail;

	while ((rc = rs_last_next(&r->rs_last, word, &tail)) == 1) {
		pfn = *word & SF_PAGE_PFN;
		type = (unsigned int)(*word >> SF_PAGE_TYPE_SHIFT);
		/* Written once the tail began, and no later copy came. */
		if (r->rs_early_at != NULL && r->rs_early_at[pfn] != 0 &&
		    r->rs_early_at[pfn] == r->rs_img.ri_last_at[pfn] &&
		    pfn != r->rs_img.ri_dom.start_info_pfn)
			continue;
		if (IS_TABLE(type) ||
		    (r->rs_keep[pfn / 8] & (1u << (pfn % 8)))) {
			r->rs_fin[tail]++;
			return rs_last_page(&r->rs_last, page) == 0 ? 1 : -1;
		}
	}
	if (rc == 0)
		log_debug("%s: the finish writes %u page tables, p2m frames "
		    "or start_info: %u of the tail, %u sent before; %llu "
		    "copies were not written, a later one had come",
		    r->rs_what, r->rs_fin[0] + r->rs_fin[1], r->rs_fin[1],
		    r->rs_fin[0], (unsigned long long)r->rs_superseded);
	return rc;
}

/* The page just read (at slot rs_nw) into the batch, or not. */
static int
stream_take(struct restore *r, uint64_t word)
{
	uint64_t pfn = word & SF_PAGE_PFN, *mfn = &r->rs_mk.m_p2m[pfn];
	unsigned int type = (unsigned int)(word >> SF_PAGE_TYPE_SHIFT), i;
	uint8_t *page = r->rs_buf + r->rs_nw * PAGE_SIZE;
	int fresh = *mfn == NO_MFN;

	if (fresh) {
		if (++r->rs_distinct > r->rs_img.ri_dom.tot_pages)
			return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE,
			    "%s: the stream has more pages than its DOMAIN "
			    "record's %llu", r->rs_what, (unsigned long long)
			    r->rs_img.ri_dom.tot_pages);
		*mfn = QUEUED_MFN;
		r->rs_pop[r->rs_npop++] = pfn;
	}
	/* Page tables name pfns, p2m frames mfns: written, patched, from
	 * their last copies (early_send, the finish). */
	if (IS_TABLE(type) || (fresh && restore_all_zero(page)) ||
	    (r->rs_keep != NULL && (r->rs_keep[pfn / 8] & (1u << (pfn % 8)))))
		return 0;
	/* A later copy has come (the feed read it): that one is written. */
	if (r->rs_full.ri_last_at != NULL &&
	    r->rs_full.ri_last_at[pfn] > r->rs_st.st_page_at) {
		r->rs_superseded++;
		return 0;
	}
	for (i = 0; i < r->rs_nw; i++)
		if (r->rs_wpfns[i] == pfn) {	/* a later copy, same batch */
			memcpy(r->rs_buf + i * PAGE_SIZE, page, PAGE_SIZE);
			return 0;
		}
	r->rs_wpfns[r->rs_nw++] = pfn;
	return 0;
}

/* Pages that have come, up to a batch (and what they need populated). */
static int
stream_fill(struct restore *r)
{
	char why[256];
	uint64_t word;
	int rc;

	while (r->rs_nw < WRITE_BATCH && r->rs_npop < POP_MAX) {
		rc = rs_stream_next(&r->rs_st, r->rs_avail, &word,
		    r->rs_buf + r->rs_nw * PAGE_SIZE, why, sizeof(why));
		if (rc < 0)
			return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE,
			    "%s: the migration stream: %s", r->rs_what, why);
		if (rc == 0)
			break;
		if (stream_take(r, word) != 0)
			return -1;
	}
	if (!r->rs_st.st_over && r->rs_whole && r->rs_nw < WRITE_BATCH &&
	    r->rs_npop < POP_MAX)
		return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE, "%s: the "
		    "migration stream ends inside a record at offset %llu "
		    "(cut short?)", r->rs_what,
		    (unsigned long long)r->rs_st.st_next);
	return 0;
}

/* Frames for the first run of queued pfns. */
static int
stream_populate(struct restore *r)
{
	struct xm_ctl_populate p;
	struct iovec iov = { &p, sizeof(p) };
	unsigned int n = 1;

	while (n < r->rs_npop && r->rs_pop[n] == r->rs_pop[0] + n)
		n++;
	memset(&p, 0, sizeof(p));
	p.domid = (xm_domid_t)r->rs_mk.m_dom->d_id;
	p.nr = n;
	p.first_pfn = r->rs_pop[0];
	r->rs_pop_n = n;
	if (steps_send(&r->rs_mk.m_run, XM_CTL_OP_POPULATE, &iov, 1) != 0)
		return -1;
	r->rs_pop_busy = 1;
	r->rs_q[(r->rs_qh + r->rs_qn++) % STREAM_WINDOW] = XM_CTL_OP_POPULATE;
	return 0;
}

/*
 * The batch filled so far as one WRITE_MEM, up to STREAM_WINDOW under
 * way: the request holds a copy of the pages, so the batch is free again
 * at once.
 */
static int
stream_write(struct restore *r)
{
	uint8_t *pages[WRITE_BATCH];
	unsigned int i, n = r->rs_nw;

	for (i = 0; i < n; i++)
		pages[i] = r->rs_buf + i * PAGE_SIZE;
	r->rs_nw = 0;
	steps_window(&r->rs_mk.m_run, STREAM_WINDOW);
	if (dom_make_write_pages(&r->rs_mk, r->rs_wpfns, pages, n) != 0)
		return -1;
	r->rs_q[(r->rs_qh + r->rs_qn++) % STREAM_WINDOW] = XM_CTL_OP_WRITE_MEM;
	return 0;
}

/*
 * The early writes: the page tables, and the p2m frames once the tail
 * has named them, as their last copies so far have them, once every pfn
 * has its frame.  A pass over those a newer copy changed runs whenever
 * the stream's writes have caught up with what came, and once more when
 * the tail begins (the source stopped the domain), so that the finish
 * writes only those the tail changed.  Whether the batch is free for
 * them and every frame there.
 */
static int
early_ready(const struct restore *r)
{
	const struct rs_image *ri = &r->rs_full;

	return r->rs_npop == 0 && r->rs_nw == 0 && ri->ri_last_at != NULL &&
	    r->rs_distinct == ri->ri_dom.tot_pages;
}

/* A pass under way goes on; the tail's starts. */
static int
early_due(struct restore *r)
{
	if (!early_ready(r))
		return 0;
	if (!r->rs_early_pass && r->rs_st.st_tail && !r->rs_early_tail &&
	    r->rs_full.ri_p2m_frames != NULL) {
		r->rs_early_tail = r->rs_early_pass = 1;
		r->rs_early_pfn = 0;
	}
	return r->rs_early_pass;
}

/* Before the tail, with the writes caught up: a pass, if more came. */
static int
early_idle_due(struct restore *r)
{
	if (!early_ready(r) || r->rs_st.st_tail ||
	    r->rs_early_avail == r->rs_avail)
		return 0;
	r->rs_early_avail = r->rs_avail;
	r->rs_early_pass = 1;
	r->rs_early_pfn = 0;
	return 1;
}

/* A table or p2m frame whose last copy is not the one written. */
static int
early_page(const struct restore *r, uint64_t pfn)
{
	const struct rs_image *ri = &r->rs_full;

	return ri->ri_type[pfn] != 0 && (IS_TABLE(ri->ri_type[pfn] - 1u) ||
	    (r->rs_keep != NULL && (r->rs_keep[pfn / 8] & (1u << (pfn % 8))))) &&
	    r->rs_early_at[pfn] != ri->ri_last_at[pfn];
}

/* Where the early writes note what they wrote; the p2m frames marked,
 * once the tail has named them. */
static int
early_begin(struct restore *r)
{
	const struct rs_image *ri = &r->rs_full;
	uint64_t k, pfn;

	if (r->rs_early_at == NULL)
		r->rs_early_at = calloc(ri->ri_dom.nr_pfns, sizeof(uint64_t));
	if (r->rs_keep == NULL && ri->ri_p2m_frames != NULL)
		r->rs_keep = calloc((ri->ri_dom.nr_pfns + 7) / 8, 1);
	if (r->rs_early_at == NULL ||
	    (r->rs_keep == NULL && ri->ri_p2m_frames != NULL))
		return steps_fail(&r->rs_mk.m_run, XMCTL_E_SYSTEM, "%s: out "
		    "of memory", r->rs_what);
	if (ri->ri_p2m_frames == NULL)
		return 0;
	for (k = 0; k < ri->ri_np2m; k++) {
		pfn = ri->ri_p2m_frames[k];	/* below nr_pfns: the feed */
		r->rs_keep[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
	}
	return 0;
}

/* The next batch of the early writes: 0 sent, 1 none left, -1. */
static int
early_send(struct restore *r)
{
	const struct rs_image *ri = &r->rs_full;
	uint8_t *pages[WRITE_BATCH];
	uint64_t pfn, word;
	unsigned int n = 0;

	if ((r->rs_early_at == NULL || (r->rs_keep == NULL &&
	    ri->ri_p2m_frames != NULL)) && early_begin(r) != 0)
		return -1;
	for (pfn = r->rs_early_pfn; pfn < ri->ri_dom.nr_pfns &&
	    n < WRITE_BATCH; pfn++) {
		if (!early_page(r, pfn))
			continue;
		pages[n] = r->rs_buf + n * PAGE_SIZE;
		word = pfn | (uint64_t)(ri->ri_type[pfn] - 1u) <<
		    SF_PAGE_TYPE_SHIFT;
		if (sf_read_at(ri->ri_fd, ri->ri_last_at[pfn], pages[n],
		    PAGE_SIZE) != 0)
			return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE,
			    "%s: cannot read '%s': %s", r->rs_what, r->rs_path,
			    strerror(errno));
		if (restore_patch_page(r, ri, word, pages[n]) != 0)
			return -1;
		r->rs_early_at[pfn] = ri->ri_last_at[pfn];
		r->rs_wpfns[n++] = pfn;
	}
	r->rs_early_pfn = pfn;
	r->rs_early_pass = pfn < ri->ri_dom.nr_pfns;
	if (n == 0)
		return 1;
	r->rs_nw = n;
	return stream_write(r);
}

/*
 * POPULATE what the batch needs, then WRITE_MEM it; STEP_WAIT until
 * more comes (or, with requests under way, until an answer: a batch
 * waits for the frames a POPULATE under way brings); done once END has.
 */
int
restore_stream_pages_send(void *arg)
{
	struct restore *r = arg;
	int rc;

	if (r->rs_pop_busy || r->rs_qn == STREAM_WINDOW)
		return STEP_WAIT;
	if (early_due(r) && (rc = early_send(r)) != 1)
		return rc;
	if (r->rs_npop == 0 && stream_fill(r) != 0)
		return -1;
	if (r->rs_npop > 0)
		return stream_populate(r);
	if (r->rs_nw > 0)
		return stream_write(r);
	if (r->rs_st.st_over)
		return 1;
	if (early_idle_due(r) && (rc = early_send(r)) != 1)
		return rc;
	if (r->rs_progress != NULL)	/* all that came is read */
		r->rs_progress(r->rs_arg);
	return STEP_WAIT;
}

/* The oldest request under way is answered (the node keeps order). */
int
restore_stream_pages_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;
	unsigned int n = r->rs_pop_n;
	uint16_t op = r->rs_q[r->rs_qh];

	r->rs_qh = (r->rs_qh + 1) % STREAM_WINDOW;
	r->rs_qn--;
	if (r->rs_progress != NULL)
		r->rs_progress(r->rs_arg);
	if (op == XM_CTL_OP_WRITE_MEM)
		return 1;
	r->rs_pop_busy = 0;
	if (len != n * sizeof(uint64_t))
		return steps_fail(&r->rs_mk.m_run, XMCTL_E_NODE, "%s: POPULATE "
		    "gave %zu frames of %u", r->rs_what, len / sizeof(uint64_t),
		    n);
	memcpy(r->rs_mk.m_p2m + r->rs_pop[0], data, len);
	memmove(r->rs_pop, r->rs_pop + n, (r->rs_npop - n) * sizeof(uint64_t));
	r->rs_npop -= n;
	return 1;
}

/*
 * The stream whole: the rest of it read (most was, as it came) and
 * checked as a file, its DEFINITION and DOMAIN the head's, then what the
 * finish writes besides the tail marked.
 */
static int
whole_check(struct restore *r, struct rs_image *ri)
{
	const struct rs_image *head = &r->rs_img;
	struct sf_domain sd;
	char why[512];
	uint64_t k, pfn;

	if (rs_feed_end(r->rs_feed, r->rs_avail >= SF_END_LEN ?
	    r->rs_avail - SF_END_LEN : 0, r->rs_crc, why, sizeof(why)) != 0)
		return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE, "%s: the "
		    "migration stream: %s", r->rs_what, why);
	sd = ri->ri_dom;
	sd.start_info_pfn = SF_NO_PFN;
	if (!(ri->ri_flags & SF_FLAG_LIVE) || ri->ri_def_len !=
	    head->ri_def_len || memcmp(ri->ri_def, head->ri_def,
	    head->ri_def_len) != 0 || memcmp(&sd, &head->ri_dom,
	    sizeof(sd)) != 0)
		return steps_fail(&r->rs_mk.m_run, XMCTL_E_SAVEFILE, "%s: the "
		    "migration stream's head changed", r->rs_what);
	free(r->rs_keep);		/* the early writes' */
	if ((r->rs_keep = calloc((sd.nr_pfns + 7) / 8, 1)) == NULL)
		return steps_fail(&r->rs_mk.m_run, XMCTL_E_SYSTEM, "%s: out "
		    "of memory", r->rs_what);
	for (k = 0; k <= ri->ri_np2m; k++) {
		pfn = k < ri->ri_np2m ? ri->ri_p2m_frames[k] :
		    ri->ri_dom.start_info_pfn;
		r->rs_keep[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
	}
	return 0;
}

/* STEP_WAIT until the stream is whole; then it is read as a file. */
int
restore_stream_whole_send(void *arg)
{
	struct restore *r = arg;
	int fd = r->rs_img.ri_fd;

	if (!r->rs_whole)
		return STEP_WAIT;
	if (whole_check(r, &r->rs_full) != 0)
		return -1;
	rs_image_free(&r->rs_img);
	r->rs_img = r->rs_full;
	r->rs_img.ri_fd = fd;
	memset(&r->rs_full, 0, sizeof(r->rs_full));
	restore_make_plan(r);
	if (rs_last_begin(&r->rs_last, &r->rs_img) != 0)
		return steps_fail(&r->rs_mk.m_run, XMCTL_E_SYSTEM, "%s: out "
		    "of memory", r->rs_what);
	log_info("%s: the migration stream is whole (%llu bytes), its tail "
	    "at %llu", r->rs_what, (unsigned long long)r->rs_avail,
	    (unsigned long long)r->rs_img.ri_tail_off);
	return 1;
}

struct restore *
restore_stream_new(struct xmd *x, const struct restore_req *req)
{
	struct restore *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->rs_path = strdup(req->rq_path)) == NULL) {
		free(r);
		return NULL;
	}
	r->rs_x = x;
	r->rs_done = req->rq_done;
	r->rs_arg = req->rq_arg;
	r->rs_paused = req->rq_paused;
	r->rs_live = 1;
	r->rs_progress = req->rq_progress;
	xm_domain_def_init(&r->rs_def);
	snprintf(r->rs_what, sizeof(r->rs_what), "migration stream");
	if ((r->rs_img.ri_fd = open(r->rs_path, O_RDONLY | O_CLOEXEC)) < 0) {
		restore_free(r);
		return NULL;
	}
	return r;
}

/* Before the steps run: done() with why, and r is gone. */
static void
stream_fail(struct restore *r, int code, const char *msg)
{
	log_warnx("%s", msg);
	r->rs_done(r->rs_arg, code, msg, NULL);
	restore_free(r);
}

/* The head has come: the domain is made from it, pages may follow. */
static int
stream_prepare(struct restore *r, int *code, char *err, size_t errlen)
{
	struct lifecycle life;
	const struct sf_domain *sd = &r->rs_img.ri_dom;

	if (restore_check_def(r, &life, code, err, errlen) != 0)
		return -1;
	if (sd->tot_pages > sd->max_pages) {
		snprintf(err, errlen, "%s: %llu pages of at most %llu",
		    r->rs_what, (unsigned long long)sd->tot_pages,
		    (unsigned long long)sd->max_pages);
		return -1;
	}
	r->rs_mk.m_p2m = malloc(sd->nr_pfns * sizeof(uint64_t));
	r->rs_buf = malloc((WRITE_BATCH + 1) * PAGE_SIZE);
	if (r->rs_mk.m_p2m == NULL || r->rs_buf == NULL) {
		*code = XMCTL_E_SYSTEM;
		snprintf(err, errlen, "%s: out of memory", r->rs_what);
		return -1;
	}
	memset(r->rs_mk.m_p2m, 0xff, sd->nr_pfns * sizeof(uint64_t));
	restore_make_plan(r);	/* the rings once the stream is whole */
	rs_stream_begin(&r->rs_st, r->rs_img.ri_fd, r->rs_img.ri_head_end,
	    sd->nr_pfns);
	r->rs_mk.m_dom = launch_new_dom(r->rs_x, &r->rs_def, &life, code, err,
	    errlen);
	return r->rs_mk.m_dom != NULL ? 0 : -1;
}

/* The head, if it has come: 1 started, 0 not yet, -1 failed (r gone). */
static int
stream_try_head(struct restore *r)
{
	char why[512], err[PATH_MAX + 1024];
	int fd = r->rs_img.ri_fd, rc, code = XMCTL_E_SAVEFILE;

	rs_image_free(&r->rs_img);	/* what an earlier try read */
	rc = rs_head_read(&r->rs_img, fd, r->rs_avail, why, sizeof(why));
	r->rs_img.ri_fd = fd;
	if (rc == 0)
		return 0;
	if (rc < 0) {
		snprintf(err, sizeof(err), "migration stream '%s': %s",
		    r->rs_path, why);
		stream_fail(r, code, err);
		return -1;
	}
	if (stream_prepare(r, &code, err, sizeof(err)) != 0) {
		stream_fail(r, code, err);
		return -1;
	}
	if ((r->rs_feed = rs_feed_new(&r->rs_full, fd)) == NULL) {
		stream_fail(r, XMCTL_E_SYSTEM, "out of memory");
		return -1;
	}
	log_info("%s: restoring it from the live stream %s", r->rs_what,
	    r->rs_path);
	r->rs_started = 1;
	return restore_run(r) == 0 ? 1 : -1;
}

/* The records that have come, read now rather than once all have:
 * 0, or -1 when the steps were stopped (r may be gone). */
static int
stream_feed(struct restore *r)
{
	char why[512];

	if (rs_feed_more(r->rs_feed, r->rs_avail, why, sizeof(why)) == 0)
		return 0;
	steps_stop(&r->rs_mk.m_run, XMCTL_E_SAVEFILE, "%s: the migration "
	    "stream: %s", r->rs_what, why);
	return -1;
}

int
restore_stream_settled(struct restore *r)
{
	return r->rs_qn == 0 && r->rs_nw == 0 && r->rs_npop == 0 &&
	    !r->rs_early_pass && (!early_ready(r) || r->rs_st.st_tail ||
	    r->rs_early_avail == r->rs_avail);
}

uint64_t
restore_stream_used(const struct restore *r)
{
	return r->rs_started ? r->rs_st.st_next : 0;
}

void
restore_stream_more(struct restore *r, uint64_t avail)
{
	r->rs_avail = avail;
	if (!r->rs_started) {
		(void)stream_try_head(r);
		return;
	}
	if (stream_feed(r) == 0)
		steps_resume(&r->rs_mk.m_run);
}

void
restore_stream_end(struct restore *r, uint64_t avail, uint32_t crc)
{
	char err[PATH_MAX + 128];

	r->rs_avail = avail;
	r->rs_crc = crc;
	r->rs_whole = 1;
	if (r->rs_started) {
		steps_resume(&r->rs_mk.m_run);
		return;
	}
	if (stream_try_head(r) != 0)
		return;			/* started, or failed and gone */
	snprintf(err, sizeof(err), "migration stream '%s': it ends (%llu "
	    "bytes) before its head (DEFINITION, DOMAIN) is whole",
	    r->rs_path, (unsigned long long)avail);
	stream_fail(r, XMCTL_E_SAVEFILE, err);
}

void
restore_stream_abort(struct restore *r, int code, const char *msg)
{
	if (!r->rs_started) {
		stream_fail(r, code, msg);
		return;
	}
	steps_stop(&r->rs_mk.m_run, code, "%s: %s", r->rs_what, msg);
}
