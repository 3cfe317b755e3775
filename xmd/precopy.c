/*
 * A live save's pre-copy rounds (save.h), as Clark et al. and Xen's
 * toolstack do them: log-dirty on, every page sent while the domain
 * runs, then rounds of the pages written since, each learnt with
 * LOG_DIRTY CLEAN.  A round skips the pages written again since it
 * began (a LOG_DIRTY PEEK every PEEK_MS tells), as Xen's did: the next
 * round or the tail sends them anyway, so a page the guest keeps
 * writing goes once, not once a round.  The rounds stop once what is
 * left would go within the downtime allowed at the rate the last round
 * measured, after max_rounds, or once the domain writes faster than it
 * can be sent: a round that left nearly as many as the one before (the
 * dirty set no longer shrinks), or three times the memory gone.  Then
 * save.c asks the guest to
 * suspend and writes the tail: what the last CLEAN found and what was
 * left over, every page whose type or pin changed since it went, and
 * start_info.
 */
#include <sys/uio.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <xm/ctl.h>
#include <xmctl.h>

#include "ctl.h"
#include "log.h"
#include "logdirty.h"
#include "registry.h"
#include "save_int.h"
#include "xmd.h"

#define NO_IDX		UINT64_MAX
#define SENT_NEVER	UINT64_MAX
#define SENT_FACTOR	3		/* memories sent before it stops */
#define FEW_DIRTY	50		/* Xen's target dirty count */
#define PEEK_MS		20		/* between PEEKs in a round */

enum pc_phase { PC_PAGES, PC_PEEK, PC_CLEAN, PC_INFO, PC_DRAIN };

int
precopy_init(struct save *s, const struct save_req *req)
{
	struct precopy *pc = &s->sv_pc;

	pc->pc_live = 1;
	pc->pc_active = 1;
	pc->pc_max_rounds = req->sr_max_rounds != 0 ? req->sr_max_rounds :
	    SAVE_MAX_ROUNDS;
	pc->pc_max_downtime_ms = req->sr_max_downtime_ms != 0 ?
	    req->sr_max_downtime_ms : SAVE_MAX_DOWNTIME_MS;
	pc->pc_progress = req->sr_progress;
	pc->pc_ahead = req->sr_ahead;
	pc->pc_settled = req->sr_settled;
	pc->pc_arg = req->sr_arg;
	pc->pc_start_info = SF_NO_PFN;
	pace_init(&pc->pc_pace, req->sr_bandwidth, mono_ms());
	return 0;
}

void
precopy_free(struct precopy *pc)
{
	free(pc->pc_want);
	free(pc->pc_sent);
	free(pc->pc_idx);
	free(pc->pc_skip);
	free(pc->pc_defer);
	free(pc->pc_redirty);
	pc->pc_want = pc->pc_skip = pc->pc_defer = pc->pc_redirty = NULL;
	pc->pc_sent = pc->pc_idx = NULL;
	if (pc->pc_pace_ev != NULL)
		event_free(pc->pc_pace_ev);
	pc->pc_pace_ev = NULL;
}

uint64_t
mono_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
}

void
precopy_progress(struct save *s, const char *phase)
{
	struct precopy *pc = &s->sv_pc;
	struct save_progress p;
	uint64_t ms = mono_ms() - pc->pc_round_t0;

	if (pc->pc_progress == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.phase = phase;
	p.round = pc->pc_round;
	p.sent = pc->pc_pages;
	p.remaining = pc->pc_left;
	p.dirty = pc->pc_dirty;
	p.bytes = s->sv_w.w_off;
	p.fd = s->sv_fd;
	p.rounds_end = pc->pc_end_why;
	if (ms > 0) {
		p.mbps = pc->pc_round_pages * 4096 / 1000 / ms;
		p.dirty_rate = pc->pc_round > 0 ? pc->pc_dirty * 1000 / ms : 0;
	}
	pc->pc_progress(pc->pc_arg, &p);
}

/* --- the steps before the rounds --------------------------------------- */

static int
enable_send(void *arg)
{
	struct save *s = arg;
	struct precopy *pc = &s->sv_pc;

	pc->pc_nr_pfns = s->sv_info.nr_pfns;
	pc->pc_frames_gen = s->sv_info.frames_gen;
	if (logdirty_enable(&pc->pc_req, (xm_domid_t)s->sv_id,
	    pc->pc_nr_pfns) != 0)
		return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: a p2m of "
		    "%llu pfns cannot be tracked", s->sv_what,
		    (unsigned long long)pc->pc_nr_pfns);
	return logdirty_send(&s->sv_run, &pc->pc_req);
}

static int
ignore_reply(void *arg, const uint8_t *data, size_t len)
{
	(void)arg, (void)data, (void)len;
	return 0;
}

/* The maps of frames and pfns, then the head of the stream. */
static int
head_send(void *arg)
{
	struct save *s = arg;
	struct precopy *pc = &s->sv_pc;
	struct dom *d = registry_by_id(&s->sv_x->x_reg, s->sv_id);
	struct sf_domain sd;
	uint64_t i, pfn;

	if (d == NULL || d->d_text == NULL)
		return steps_fail(&s->sv_run, XMCTL_E_NO_DOMAIN, "%s: it "
		    "went", s->sv_what);
	if (save_map_make(s) != 0)
		return -1;
	pc->pc_want = calloc(s->sv_nr, 1);
	pc->pc_skip = calloc(s->sv_nr, 1);
	pc->pc_sent = malloc(s->sv_nr * sizeof(uint64_t));
	pc->pc_idx = malloc(pc->pc_nr_pfns * sizeof(uint64_t));
	pc->pc_defer = calloc(s->sv_nr, 1);
	pc->pc_redirty = calloc((pc->pc_nr_pfns + 63) / 64, 8);
	if (pc->pc_want == NULL || pc->pc_skip == NULL ||
	    pc->pc_sent == NULL || pc->pc_idx == NULL ||
	    pc->pc_defer == NULL || pc->pc_redirty == NULL)
		return save_no_memory(s);
	memset(pc->pc_idx, 0xff, pc->pc_nr_pfns * sizeof(uint64_t));
	memset(&sd, 0, sizeof(sd));
	for (i = 0; i < s->sv_nr; i++) {
		pc->pc_sent[i] = SENT_NEVER;
		if (!save_saved(s, i))
			continue;
		pfn = s->sv_pinfo[i].pfn;
		if (pfn < pc->pc_nr_pfns)
			pc->pc_idx[pfn] = i;
		pc->pc_want[i] = 1;
		sd.tot_pages++;
	}
	pc->pc_left = sd.tot_pages;
	sd.nr_vcpus = s->sv_info.nr_vcpus;
	sd.max_pages = s->sv_info.max_pages;
	sd.nr_pfns = s->sv_info.nr_pfns;
	sd.start_info_pfn = SF_NO_PFN;		/* vCPU 0 names it */
	if (sf_write_begin_flags(&s->sv_w, s->sv_fd, SF_FLAG_LIVE) != 0)
		return save_write_failed(s);
	if (save_write_record(s, SF_DEFINITION, d->d_text, d->d_len, NULL,
	    0) || save_write_record(s, SF_DOMAIN, &sd, sizeof(sd), NULL, 0))
		return -1;
	pc->pc_round_t0 = pc->pc_peek_t = mono_ms();
	log_info("%s (d%d): live: sending %llu pages while it runs",
	    s->sv_what, s->sv_id, (unsigned long long)sd.tot_pages);
	return 1;
}

/* --- the rounds --------------------------------------------------------- */

static void
pace_fire(evutil_socket_t fd, short what, void *arg)
{
	struct save *s = arg;

	(void)fd, (void)what;
	steps_resume(&s->sv_run);
}

/*
 * With a bandwidth, n pages wait for the bucket (STEP_WAIT, resumed
 * from a timer) rather than run ahead of the stream, which would leave
 * what they gained to the stop-and-copy: 0 when they may go.
 */
static int
pace_pages(struct save *s, unsigned int n)
{
	struct precopy *pc = &s->sv_pc;
	struct timeval tv;
	uint64_t ms;

	ms = pace_wait_ms(&pc->pc_pace, (uint64_t)n * PAGE_SIZE, mono_ms());
	if (ms == 0)
		return 0;
	if (pc->pc_pace_ev == NULL)
		pc->pc_pace_ev = evtimer_new(s->sv_x->x_base, pace_fire, s);
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	if (pc->pc_pace_ev == NULL || evtimer_add(pc->pc_pace_ev, &tv) != 0)
		return steps_fail(&s->sv_run, XMCTL_E_INTERNAL, "%s: cannot "
		    "wait for the bandwidth", s->sv_what);
	return STEP_WAIT;
}

/*
 * The stream's sender more than max bytes behind the rounds: they wait
 * (STEP_WAIT) until save_stream_went(), so that they run at the pace
 * the stream goes and the target writes.
 */
static int
ahead_wait(struct save *s, uint64_t max)
{
	struct precopy *pc = &s->sv_pc;

	if (pc->pc_ahead == NULL || pc->pc_ahead(pc->pc_arg) <= max)
		return 0;
	pc->pc_ahead_wait = 1;
	return STEP_WAIT;
}

/* Whether the last PEEK saw frame i's pfn written since the CLEAN. */
static int
written_again(const struct save *s, uint64_t i)
{
	const struct precopy *pc = &s->sv_pc;
	uint64_t pfn = s->sv_pinfo[i].pfn;

	return pfn < pc->pc_nr_pfns && logdirty_bit(pc->pc_redirty, pfn);
}

/*
 * Up to a READ_MEM of wanted frames from the cursor on; 1: none left.
 * A frame written again is deferred: the CLEAN after the round wants it
 * again (pc_defer makes sure, should its pfn have changed).
 */
static int
pages_send(struct save *s)
{
	struct precopy *pc = &s->sv_pc;
	uint64_t mfns[SF_PAGES_MAX], i;
	int rc;

	s->sv_batch_n = 0;
	for (i = s->sv_run.s_cursor; i < s->sv_nr &&
	    s->sv_batch_n < SF_PAGES_MAX; i++) {
		if (!pc->pc_want[i] || !save_saved(s, i))
			continue;
		if (written_again(s, i)) {
			pc->pc_want[i] = 0;
			pc->pc_defer[i] = 1;
			pc->pc_left--;
			pc->pc_round_skipped++;
			continue;
		}
		s->sv_batch[s->sv_batch_n] = i;
		mfns[s->sv_batch_n++] = s->sv_mfns[i];
	}
	if (s->sv_batch_n == 0) {
		s->sv_run.s_cursor = i;
		return 1;
	}
	if ((rc = ahead_wait(s, SAVE_AHEAD_MAX)) != 0 ||
	    (rc = pace_pages(s, s->sv_batch_n)) != 0)
		return rc;		/* the same batch, once resumed */
	s->sv_run.s_cursor = i;
	return save_read_frames(s, mfns, s->sv_batch_n);
}

/* A PEEK is due: PEEK_MS since the last, or since the CLEAN. */
static int
peek_due(const struct precopy *pc)
{
	return mono_ms() - pc->pc_peek_t >= PEEK_MS;
}

/* A PEEK or CLEAN of pfns at + n, as the step's request. */
static int
bitmap_send(struct save *s, int clean, uint64_t at, uint64_t n)
{
	struct precopy *pc = &s->sv_pc;
	xm_domid_t id = (xm_domid_t)s->sv_id;

	if ((clean ? logdirty_clean(&pc->pc_req, id, at, n) :
	    logdirty_peek(&pc->pc_req, id, at, n)) != 0)
		return steps_fail(&s->sv_run, XMCTL_E_INTERNAL, "%s: a %s of "
		    "pfns %llu+%llu", s->sv_what, clean ? "CLEAN" : "PEEK",
		    (unsigned long long)at, (unsigned long long)n);
	return logdirty_send(&s->sv_run, &pc->pc_req);
}

/* Its answer's bits into bitmap: 0, or -1 (the step failed). */
static int
bitmap_reply(struct save *s, const uint8_t *data, size_t len,
    uint8_t *bitmap)
{
	struct precopy *pc = &s->sv_pc;
	struct xm_ctl_log_dirty_reply out;
	const char *why = "";

	if (logdirty_reply(&pc->pc_req, data, len, &out, bitmap, &why) == 0)
		return 0;
	return steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: LOG_DIRTY %s: %s",
	    s->sv_what, pc->pc_req.op == XM_LOG_DIRTY_CLEAN ? "CLEAN" :
	    "PEEK", why);
}

/* The next window of pfns, round robin (one is 128 MiB). */
static int
peek_send(struct save *s)
{
	struct precopy *pc = &s->sv_pc;
	uint64_t n = logdirty_count(pc->pc_nr_pfns, pc->pc_peek_at);

	if (n == 0) {
		pc->pc_peek_at = 0;
		n = logdirty_count(pc->pc_nr_pfns, 0);
	}
	return bitmap_send(s, 0, pc->pc_peek_at, n);
}

static int
peek_reply(struct save *s, const uint8_t *data, size_t len)
{
	struct precopy *pc = &s->sv_pc;

	if (bitmap_reply(s, data, len,
	    pc->pc_redirty + pc->pc_req.start_pfn / 8) != 0)
		return -1;
	pc->pc_peek_at = pc->pc_req.start_pfn + pc->pc_req.count;
	pc->pc_peek_t = mono_ms();
	pc->pc_phase = PC_PAGES;
	return 1;
}

/*
 * The CLEAN after a round is done: the frames it deferred are wanted
 * (the CLEAN found most of them), and the PEEKs start afresh.
 */
static void
clean_done(struct save *s)
{
	struct precopy *pc = &s->sv_pc;
	uint64_t i;

	for (i = 0; i < s->sv_nr; i++) {
		if (!pc->pc_defer[i])
			continue;
		pc->pc_defer[i] = 0;
		if (pc->pc_want[i])
			continue;
		pc->pc_want[i] = 1;
		pc->pc_dirty++;
		pc->pc_left++;
	}
	memset(pc->pc_redirty, 0, (pc->pc_nr_pfns + 63) / 64 * 8);
	pc->pc_peek_at = 0;
	pc->pc_peek_t = mono_ms();
}

static int
clean_send(struct save *s)
{
	struct precopy *pc = &s->sv_pc;
	uint64_t at = s->sv_run.s_cursor;
	uint64_t n = logdirty_count(pc->pc_nr_pfns, at);

	if (n == 0)
		return 1;
	return bitmap_send(s, 1, at, n);
}

/* A CLEAN's bits: the frames of those pfns are wanted again. */
static int
clean_reply(struct save *s, const uint8_t *data, size_t len)
{
	struct precopy *pc = &s->sv_pc;
	uint64_t i, pfn, idx;

	if (bitmap_reply(s, data, len, pc->pc_bits) != 0)
		return -1;
	for (i = 0; i < pc->pc_req.count; i++) {
		if (!logdirty_bit(pc->pc_bits, i))
			continue;
		pfn = pc->pc_req.start_pfn + i;
		idx = pfn < pc->pc_nr_pfns ? pc->pc_idx[pfn] : NO_IDX;
		if (idx == NO_IDX || pc->pc_want[idx])
			continue;
		pc->pc_want[idx] = 1;
		pc->pc_dirty++;
		pc->pc_left++;
	}
	s->sv_run.s_cursor += pc->pc_req.count;
	return 1;
}

/*
 * PAGE_INFO again of the frames wanted (and, in the tail, of those left
 * to it), from the cursor on: hv marks a frame dirty when its type, pin
 * or pfn changes, so the others are as they were.  1: none left.
 */
static int
info_want_send(struct save *s, int tail)
{
	struct precopy *pc = &s->sv_pc;
	uint64_t mfns[XM_PAGE_INFO_MAX], i;
	struct xm_ctl_page_info p = { (xm_domid_t)s->sv_id, 0, 0 };
	struct iovec iov[2];

	pc->pc_info_n = 0;
	for (i = s->sv_run.s_cursor; i < s->sv_nr &&
	    pc->pc_info_n < XM_PAGE_INFO_MAX; i++)
		if (pc->pc_want[i] || (tail && pc->pc_skip[i])) {
			pc->pc_info_idx[pc->pc_info_n] = i;
			mfns[pc->pc_info_n++] = s->sv_mfns[i];
		}
	s->sv_run.s_cursor = i;
	if (pc->pc_info_n == 0)
		return 1;
	p.nr = pc->pc_info_n;
	iov[0] = (struct iovec){ &p, sizeof(p) };
	iov[1] = (struct iovec){ mfns, p.nr * sizeof(uint64_t) };
	return steps_send(&s->sv_run, XM_CTL_OP_PAGE_INFO, iov, 2);
}

/* Frame i is at pfn now, not at its old one: the maps follow. */
static void
frame_moved(struct save *s, uint64_t i, uint64_t old, uint64_t pfn)
{
	struct precopy *pc = &s->sv_pc;

	if (old < pc->pc_nr_pfns && pc->pc_idx[old] == i)
		pc->pc_idx[old] = NO_IDX;
	if (pfn < pc->pc_nr_pfns)
		pc->pc_idx[pfn] = i;
	pc->pc_map_stale = 1;
}

static int
info_want_reply(struct save *s, const uint8_t *data, size_t len)
{
	struct precopy *pc = &s->sv_pc;
	struct xm_page_info pi;
	unsigned int k;
	uint64_t i;

	if (len != pc->pc_info_n * sizeof(pi))
		return steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: PAGE_INFO "
		    "answered %zu bytes for %u frames", s->sv_what, len,
		    pc->pc_info_n);
	for (k = 0; k < pc->pc_info_n; k++) {
		i = pc->pc_info_idx[k];
		memcpy(&pi, data + k * sizeof(pi), sizeof(pi));
		if (pi.pfn != s->sv_pinfo[i].pfn)
			frame_moved(s, i, s->sv_pinfo[i].pfn, pi.pfn);
		s->sv_pinfo[i] = pi;
	}
	return 1;
}

/* After a CLEAN: whether the rest goes in the tail (1) or a round (0). */
static int
rounds_done(struct save *s)
{
	struct precopy *pc = &s->sv_pc;
	uint64_t ms = mono_ms() - pc->pc_round_t0;
	double bw = pace_pages_per_ms(&pc->pc_pace), rate;
	char bws[32];
	uint64_t est;

	if (pc->pc_round_pages > 0 && ms > 0)
		pc->pc_rate = (double)pc->pc_round_pages / (double)ms;
	/* The tail goes no faster than the bandwidth lets the stream. */
	rate = bw > 0 && (pc->pc_rate == 0 || bw < pc->pc_rate) ? bw :
	    pc->pc_rate;
	est = rate > 0 ? (uint64_t)((double)pc->pc_left / rate) : UINT64_MAX;
	log_info("%s (d%d): live: round %u sent %llu pages in %llu ms, "
	    "skipped %llu written again (bandwidth %s); %llu dirty since, "
	    "about %llu ms to send", s->sv_what, s->sv_id, pc->pc_round,
	    (unsigned long long)pc->pc_round_pages, (unsigned long long)ms,
	    (unsigned long long)pc->pc_round_skipped,
	    pace_str(pc->pc_pace.pa_rate, bws, sizeof(bws)),
	    (unsigned long long)pc->pc_dirty,
	    (unsigned long long)(est == UINT64_MAX ? 0 : est));
	/*
	 * As Xen's: converged, out of rounds, or written faster than sent.
	 * Converged: the rest fits the downtime allowed, and either few are
	 * left (Xen stops under 50) or this round did not halve them: a
	 * round more would leave about as many.  What the tail does not
	 * hold costs no downtime.  Written faster than sent: this round
	 * left more than 7/8 of what the last one did, so a round more
	 * would cost its time and save no downtime.
	 */
	if (est <= pc->pc_max_downtime_ms && (pc->pc_left < FEW_DIRTY ||
	    pc->pc_left * 2 > pc->pc_round_pages))
		pc->pc_end_why = "converged";
	else if (pc->pc_round >= pc->pc_max_rounds)
		pc->pc_end_why = "max_rounds";
	else if (pc->pc_pages >= SENT_FACTOR * s->sv_nr || (pc->pc_round > 0 &&
	    pc->pc_left * 8 > pc->pc_prev_left * 7))
		pc->pc_end_why = "not_converging";
	else {
		pc->pc_prev_left = pc->pc_left;
		return 0;
	}
	if (strcmp(pc->pc_end_why, "converged") != 0)
		log_warnx("%s (d%d): live: the rounds end without converging "
		    "(%s): about %llu ms of pages left for the stop-and-copy, "
		    "over the %u ms allowed; it writes %llu pages a second",
		    s->sv_what, s->sv_id, pc->pc_end_why, (unsigned long long)
		    (est == UINT64_MAX ? 0 : est), pc->pc_max_downtime_ms,
		    (unsigned long long)(ms > 0 ? pc->pc_dirty * 1000 / ms :
		    0));
	return 1;
}

/*
 * One step for all rounds: pages, then CLEAN of every pfn, then
 * PAGE_INFO of every frame, then the pages of the next round.
 */
static int
round_send(void *arg)
{
	struct save *s = arg;
	struct precopy *pc = &s->sv_pc;
	int rc;

	if (pc->pc_stop != 0)
		return steps_fail(&s->sv_run, pc->pc_stop, "%s: %s",
		    s->sv_what, pc->pc_stop_why);
	for (;;) {
		switch (pc->pc_phase) {
		case PC_PAGES:
			if (peek_due(pc)) {
				pc->pc_phase = PC_PEEK;	/* the cursor stays */
				return peek_send(s);
			}
			if ((rc = pages_send(s)) != 1)
				return rc;
			pc->pc_phase = PC_CLEAN;
			pc->pc_dirty = 0;
			break;
		case PC_PEEK:		/* its reply sets PC_PAGES */
			return steps_fail(&s->sv_run, XMCTL_E_INTERNAL, "%s: "
			    "a PEEK unanswered", s->sv_what);
		case PC_CLEAN:
			if ((rc = clean_send(s)) != 1)
				return rc;
			clean_done(s);
			pc->pc_phase = PC_INFO;
			break;
		case PC_INFO:
			if ((rc = info_want_send(s, 0)) != 1)
				return rc;
			if (rounds_done(s)) {
				pc->pc_phase = PC_DRAIN;
				continue;
			}
			pc->pc_phase = PC_PAGES;
			pc->pc_round++;
			pc->pc_round_pages = pc->pc_round_skipped = 0;
			pc->pc_round_t0 = mono_ms();
			break;
		case PC_DRAIN:		/* all gone before the domain stops */
			if (ahead_wait(s, 0) != 0)
				return STEP_WAIT;
			if (pc->pc_settled != NULL &&
			    pc->pc_settled(pc->pc_arg) != 0) {
				pc->pc_ahead_wait = 1;	/* and written */
				return STEP_WAIT;
			}
			return 1;
		}
		s->sv_run.s_cursor = 0;
	}
}

static int
round_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;
	struct precopy *pc = &s->sv_pc;
	unsigned int i;

	switch (pc->pc_phase) {
	case PC_PAGES:
		if (save_write_pages(s, s->sv_batch, s->sv_batch_n, data, len,
		    pc->pc_skip) != 0)
			return -1;
		for (i = 0; i < s->sv_batch_n; i++)
			pc->pc_want[s->sv_batch[i]] = 0;
		pc->pc_pages += s->sv_batch_n;
		pc->pc_round_pages += s->sv_batch_n;
		pc->pc_left -= s->sv_batch_n;
		precopy_progress(s, "precopy");
		return 1;
	case PC_PEEK:
		return peek_reply(s, data, len) < 0 ? -1 : 1;
	case PC_CLEAN:
		return clean_reply(s, data, len) < 0 ? -1 : 1;
	default:
		return info_want_reply(s, data, len);
	}
}

const struct step precopy_steps[] = {
	{ "GETINFO",		save_getinfo_send, save_getinfo_reply },
	{ "LOG_DIRTY ENABLE",	enable_send,	ignore_reply },
	{ "PAGE_LIST",		save_list_send,	save_list_reply },
	{ "PAGE_INFO",		save_info_send,	save_info_reply },
	{ "the stream's head",	head_send,	NULL },
	{ "a pre-copy round",	round_send,	round_reply },
};
const size_t precopy_nsteps = sizeof(precopy_steps) /
    sizeof(precopy_steps[0]);

static void
off_done(void *arg, int status, const uint8_t *data, size_t len)
{
	(void)arg, (void)status, (void)data, (void)len;
}

void
precopy_off(struct save *s)
{
	struct xm_ctl_log_dirty req;
	struct iovec iov = { &req, sizeof(req) };

	if (!s->sv_pc.pc_live ||
	    logdirty_disable(&req, (xm_domid_t)s->sv_id) != 0)
		return;
	s->sv_pc.pc_live = 0;
	(void)ctl_request(s->sv_x->x_ctl, XM_CTL_OP_LOG_DIRTY, &iov, 1, 0,
	    off_done, NULL);
}

void
precopy_end(void *arg)
{
	struct save *s = arg;
	struct precopy *pc = &s->sv_pc;
	struct dom *d = registry_by_id(&s->sv_x->x_reg, s->sv_id);

	pc->pc_active = 0;
	if (s->sv_run.s_code != 0) {
		precopy_off(s);
		if (d != NULL)
			d->d_busy = 0;
		save_fail_free(s, s->sv_run.s_code, "%s; nothing was saved, "
		    "the domain runs on", s->sv_run.s_msg);
		return;
	}
	log_info("%s (d%d): live: %u rounds, %llu pages sent, %llu left for "
	    "the tail", s->sv_what, s->sv_id, pc->pc_round,
	    (unsigned long long)pc->pc_pages,
	    (unsigned long long)pc->pc_left);
	precopy_progress(s, "stop-and-copy");
	if (d != NULL)
		d->d_busy = 0;	/* its suspend must be seen (save_begin) */
	save_ask_suspend(s);
}

/* --- the tail, once the guest has suspended ---------------------------- */

/* The frames are those the rounds listed: none joined or left. */
int
precopy_tail_getinfo_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;

	if (save_getinfo_reply(s, data, len) != 0)
		return -1;
	if (s->sv_info.tot_pages != s->sv_nr ||
	    s->sv_info.frames_gen != s->sv_pc.pc_frames_gen)
		return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: its frames "
		    "changed during the migration (it gave memory back or took "
		    "more); try again", s->sv_what);
	return 0;
}

/* The last CLEAN, of every pfn. */
int
precopy_tail_send(void *arg)
{
	return clean_send(arg);
}

int
precopy_tail_reply(void *arg, const uint8_t *data, size_t len)
{
	return clean_reply(arg, data, len) < 0 ? -1 : 1;
}

int
precopy_tail_info_send(void *arg)
{
	return info_want_send(arg, 1);
}

int
precopy_tail_info_reply(void *arg, const uint8_t *data, size_t len)
{
	return info_want_reply(arg, data, len);
}

/* What the tail sends: dirty, left over, changed since it went, and
 * start_info (the head named it). */
int
precopy_tail_pick(void *arg)
{
	struct save *s = arg;
	struct precopy *pc = &s->sv_pc;
	uint64_t i, idx;

	for (i = 0; i < s->sv_nr; i++)
		if (save_saved(s, i) && (pc->pc_skip[i] ||
		    pc->pc_sent[i] != save_page_word(&s->sv_pinfo[i])))
			pc->pc_want[i] = 1;
	idx = pc->pc_start_info < pc->pc_nr_pfns ?
	    pc->pc_idx[pc->pc_start_info] : NO_IDX;
	if (idx == NO_IDX)
		return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: its "
		    "start_info (pfn %#llx) is not among its frames",
		    s->sv_what, (unsigned long long)pc->pc_start_info);
	pc->pc_want[idx] = 1;
	return 1;
}

int
precopy_off_send(void *arg)
{
	struct save *s = arg;

	if (logdirty_disable(&s->sv_pc.pc_req, (xm_domid_t)s->sv_id) != 0)
		return 1;
	s->sv_pc.pc_live = 0;
	return logdirty_send(&s->sv_run, &s->sv_pc.pc_req);
}

int
precopy_off_reply(void *arg, const uint8_t *data, size_t len)
{
	return ignore_reply(arg, data, len);
}
