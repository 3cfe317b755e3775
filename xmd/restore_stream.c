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
	/* Page tables name pfns: written from their last copy at the end. */
	if (IS_TABLE(type) || (fresh && restore_all_zero(page)))
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
	r->rs_op = XM_CTL_OP_POPULATE;
	return steps_send(&r->rs_mk.m_run, XM_CTL_OP_POPULATE, &iov, 1);
}

/*
 * POPULATE what the batch needs, then WRITE_MEM it; STEP_WAIT until
 * more comes; done once the first record that is not PAGES has.
 */
int
restore_stream_pages_send(void *arg)
{
	struct restore *r = arg;
	uint8_t *pages[WRITE_BATCH];
	unsigned int i;

	if (r->rs_npop == 0 && stream_fill(r) != 0)
		return -1;
	if (r->rs_npop > 0)
		return stream_populate(r);
	if (r->rs_nw > 0) {
		for (i = 0; i < r->rs_nw; i++)
			pages[i] = r->rs_buf + i * PAGE_SIZE;
		r->rs_op = XM_CTL_OP_WRITE_MEM;
		return dom_make_write_pages(&r->rs_mk, r->rs_wpfns, pages,
		    r->rs_nw);
	}
	return r->rs_st.st_over ? 1 : STEP_WAIT;
}

int
restore_stream_pages_reply(void *arg, const uint8_t *data, size_t len)
{
	struct restore *r = arg;
	unsigned int n = r->rs_pop_n;

	if (r->rs_op == XM_CTL_OP_WRITE_MEM) {
		r->rs_nw = 0;
		return 1;
	}
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
