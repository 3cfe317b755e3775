/* A save file read and checked for restore (restore_image.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xm/domctl.h>
#include <xm/xen_core.h>

#include "restore_image.h"

#define PER_PAGE	(RS_PAGE_SIZE / sizeof(uint64_t))
#define PAD8(n)		(((uint64_t)(n) + 7) & ~UINT64_C(7))
#define WORD_BITS	(SF_PAGE_PFN | SF_PAGE_PINNED | \
			    (UINT64_C(15) << SF_PAGE_TYPE_SHIFT))
#define IS_TABLE(t)	((t) >= XM_PAGE_L1TAB && (t) <= XM_PAGE_L4TAB)

struct rd {
	struct rs_image	*ri;
	struct sf_reader r;
	uint32_t	 len;
	int		 have_dom;
	uint64_t	 pages;		/* distinct pfns */
	uint64_t	 fsize;
	char		*err;
	size_t		 errlen;
	int		 live;		/* SF_FLAG_LIVE */
	int		 head_only;	/* rs_head_read: nothing allocated */
	int		 in_tail;	/* live: past the first record that is
					 * neither PAGES nor the head's */
};

/* A word's bits are all known and its type one there is. */
int
rs_word_ok(uint64_t w)
{
	return (w & ~WORD_BITS) == 0 &&
	    (w >> SF_PAGE_TYPE_SHIFT) <= XM_PAGE_DESC;
}

static int
bad(struct rd *rd, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rd->err, rd->errlen, "offset %" PRIu64 ": %s", rd->r.r_off,
	    msg);
	return -1;
}

static int
payload(struct rd *rd, uint32_t off, void *buf, size_t len)
{
	if (sf_read_payload(&rd->r, off, buf, len) == 0)
		return 0;
	return bad(rd, "cannot read the record: %s", strerror(errno));
}

static int
need_domain(struct rd *rd, const char *what)
{
	if (rd->have_dom)
		return 0;
	return bad(rd, "%s before the DOMAIN record", what);
}

static int
read_definition(struct rd *rd)
{
	struct rs_image *ri = rd->ri;

	if (ri->ri_def != NULL)
		return bad(rd, "a second DEFINITION record");
	if (rd->len == 0 || rd->len > RS_DEF_MAX)
		return bad(rd, "a definition of %" PRIu32 " bytes", rd->len);
	if ((ri->ri_def = calloc(1, rd->len + 1)) == NULL)
		return bad(rd, "out of memory");
	ri->ri_def_len = rd->len;
	if (payload(rd, 0, ri->ri_def, rd->len) != 0)
		return -1;
	if (strlen(ri->ri_def) != rd->len)
		return bad(rd, "the definition holds a NUL byte");
	return 0;
}

static int
read_domain(struct rd *rd)
{
	struct rs_image *ri = rd->ri;
	struct sf_domain *sd = &ri->ri_dom;

	if (rd->have_dom)
		return bad(rd, "a second DOMAIN record");
	if (rd->len != sizeof(*sd))
		return bad(rd, "a DOMAIN record of %" PRIu32 " bytes", rd->len);
	if (payload(rd, 0, sd, sizeof(*sd)) != 0)
		return -1;
	if (sd->nr_vcpus == 0 || sd->nr_vcpus > XM_LEGACY_MAX_VCPUS)
		return bad(rd, "%" PRIu32 " vCPUs", sd->nr_vcpus);
	/* Before anything is allocated for them: each page is in the file. */
	if (!rd->head_only && sd->tot_pages > rd->fsize / RS_PAGE_SIZE)
		return bad(rd, "%" PRIu64 " pages in a file of %" PRIu64
		    " bytes", sd->tot_pages, rd->fsize);
	if (sd->nr_pfns == 0 || sd->nr_pfns > RS_PFNS_MAX ||
	    sd->tot_pages == 0 || sd->tot_pages > sd->nr_pfns ||
	    (rd->live ? sd->start_info_pfn != SF_NO_PFN :
	    sd->start_info_pfn >= sd->nr_pfns))
		return bad(rd, "a domain of %" PRIu64 " pages in %" PRIu64
		    " pfns, start_info at %#" PRIx64 "%s", sd->tot_pages,
		    sd->nr_pfns, sd->start_info_pfn, rd->live ? " (a live "
		    "stream names none there)" : "");
	rd->have_dom = 1;
	if (rd->head_only)
		return 0;
	ri->ri_vcpus = calloc(sd->nr_vcpus, sizeof(*ri->ri_vcpus));
	ri->ri_type = calloc(sd->nr_pfns, 1);
	ri->ri_pins = calloc(sd->tot_pages, sizeof(*ri->ri_pins));
	if (rd->live) {
		ri->ri_live = calloc(sd->nr_pfns, 1);
		ri->ri_last_at = calloc(sd->nr_pfns, sizeof(uint64_t));
	}
	if (ri->ri_vcpus == NULL || ri->ri_type == NULL ||
	    ri->ri_pins == NULL || (rd->live && (ri->ri_live == NULL ||
	    ri->ri_last_at == NULL)))
		return bad(rd, "out of memory");
	return 0;
}

static int
read_page_word(struct rd *rd, uint64_t w, uint32_t i, uint32_t count)
{
	struct rs_image *ri = rd->ri;
	uint64_t pfn = w & SF_PAGE_PFN;
	unsigned int type = (unsigned int)(w >> SF_PAGE_TYPE_SHIFT);

	if (!rs_word_ok(w))
		return bad(rd, "page %" PRIu32 ": word %#" PRIx64 " unknown",
		    i, w);
	if (pfn >= ri->ri_dom.nr_pfns || (ri->ri_type[pfn] != 0 && !rd->live))
		return bad(rd, "page %" PRIu32 ": pfn %#" PRIx64 " %s", i, pfn,
		    pfn >= ri->ri_dom.nr_pfns ? "out of range" : "twice");
	if (ri->ri_type[pfn] == 0 && ++rd->pages > ri->ri_dom.tot_pages)
		return bad(rd, "more pages than the DOMAIN record's %" PRIu64,
		    ri->ri_dom.tot_pages);
	ri->ri_type[pfn] = (uint8_t)(1 + type);
	if (rd->live) {		/* the last copy's, pins once all are read */
		ri->ri_live[pfn] = (uint8_t)((w & SF_PAGE_PINNED ?
		    RS_LIVE_PINNED : 0) | (rd->in_tail ? RS_LIVE_TAIL : 0));
		ri->ri_last_at[pfn] = rd->r.r_off + SF_RECORD_HDR +
		    sizeof(struct sf_pages) + count * sizeof(uint64_t) +
		    (uint64_t)i * RS_PAGE_SIZE;
		return 0;
	}
	if ((w & SF_PAGE_PINNED) && IS_TABLE(type))
		ri->ri_pins[ri->ri_npins++] = (struct rs_pin){ pfn, type, 0 };
	if (pfn == ri->ri_dom.start_info_pfn)
		return payload(rd, (uint32_t)(sizeof(struct sf_pages) +
		    count * sizeof(uint64_t) + i * RS_PAGE_SIZE),
		    ri->ri_start_info, RS_PAGE_SIZE);
	return 0;
}

static int
read_pages(struct rd *rd)
{
	static uint64_t words[SF_PAGES_MAX];	/* one read, not one each */
	struct sf_pages h;
	uint64_t w;
	uint32_t i;

	if (need_domain(rd, "a PAGES record") != 0 ||
	    payload(rd, 0, &h, sizeof(h)) != 0)
		return -1;
	if (h.count == 0 || h.count > SF_PAGES_MAX || h.pad != 0 ||
	    rd->len != sizeof(h) + h.count * (sizeof(w) + RS_PAGE_SIZE))
		return bad(rd, "a PAGES record of %" PRIu32 " bytes for %"
		    PRIu32 " pages", rd->len, h.count);
	if (payload(rd, (uint32_t)sizeof(h), words, h.count * sizeof(w)) != 0)
		return -1;
	for (i = 0; i < h.count; i++)
		if (read_page_word(rd, words[i], i, h.count) != 0)
			return -1;
	return 0;
}

static int
read_vcpu(struct rd *rd)
{
	struct rs_image *ri = rd->ri;
	struct sf_vcpu v;
	struct rs_vcpu *rv;

	if (need_domain(rd, "a VCPU record") != 0)
		return -1;
	if (rd->len != sizeof(v) + sizeof(rv->ctx))
		return bad(rd, "a VCPU record of %" PRIu32 " bytes", rd->len);
	if (payload(rd, 0, &v, sizeof(v)) != 0)
		return -1;
	if (v.vcpu >= ri->ri_dom.nr_vcpus || ri->ri_vcpus[v.vcpu].present ||
	    (v.flags & ~SF_VCPU_ONLINE) != 0)
		return bad(rd, "vCPU %" PRIu32 " (flags %#" PRIx32 ") of %"
		    PRIu32 ", or twice", v.vcpu, v.flags, ri->ri_dom.nr_vcpus);
	rv = &ri->ri_vcpus[v.vcpu];
	rv->present = 1;
	rv->flags = v.flags;
	return payload(rd, sizeof(v), &rv->ctx, sizeof(rv->ctx));
}

static int
read_shared_info(struct rd *rd)
{
	if (rd->len != RS_PAGE_SIZE)
		return bad(rd, "a SHARED_INFO record of %" PRIu32 " bytes",
		    rd->len);
	return payload(rd, 0, rd->ri->ri_shinfo, RS_PAGE_SIZE);
}

static int
read_p2m_frames(struct rd *rd)
{
	struct rs_image *ri = rd->ri;
	uint64_t n, i;

	if (need_domain(rd, "a P2M_FRAMES record") != 0 ||
	    payload(rd, 0, &n, sizeof(n)) != 0)
		return -1;
	if (ri->ri_p2m_frames != NULL || n == 0 ||
	    n > (ri->ri_dom.nr_pfns + PER_PAGE - 1) / PER_PAGE + 1 ||
	    rd->len != (n + 1) * sizeof(uint64_t))
		return bad(rd, "a P2M_FRAMES record of %" PRIu64 " frames in %"
		    PRIu32 " bytes, or a second one", n, rd->len);
	if ((ri->ri_p2m_frames = calloc(n, sizeof(uint64_t))) == NULL)
		return bad(rd, "out of memory");
	ri->ri_np2m = n;
	if (payload(rd, sizeof(n), ri->ri_p2m_frames, n * sizeof(n)) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (ri->ri_p2m_frames[i] >= ri->ri_dom.nr_pfns)
			return bad(rd, "p2m frame %" PRIu64 " at pfn %#" PRIx64
			    ", out of range", i, ri->ri_p2m_frames[i]);
	return 0;
}

static int
seen(const struct rs_image *ri, uint64_t pfn)
{
	return pfn < ri->ri_dom.nr_pfns && ri->ri_type[pfn] != 0;
}

/* A live stream's start_info: the last copy of pfn (in the tail). */
static int
live_start_info(struct rd *rd, uint64_t pfn)
{
	struct rs_image *ri = rd->ri;

	if (sf_read_at(ri->ri_fd, ri->ri_last_at[pfn], ri->ri_start_info,
	    RS_PAGE_SIZE) != 0)
		return bad(rd, "cannot read start_info: %s", strerror(errno));
	return 0;
}

/* A live stream's: start_info from vCPU 0, the pins of the last copies. */
static int
check_live(struct rd *rd)
{
	struct rs_image *ri = rd->ri;
	uint64_t pfn = ri->ri_vcpus[0].ctx.user_regs.rdx, i;
	unsigned int type;

	if (pfn >= ri->ri_dom.nr_pfns || ri->ri_type[pfn] == 0 ||
	    !(ri->ri_live[pfn] & RS_LIVE_TAIL))
		return bad(rd, "start_info (pfn %#" PRIx64 ", vCPU 0's rdx) "
		    "is not a page of the tail", pfn);
	if (live_start_info(rd, pfn) != 0)
		return -1;
	ri->ri_dom.start_info_pfn = pfn;
	for (i = 0; i < ri->ri_dom.nr_pfns; i++) {
		type = ri->ri_type[i] - 1u;
		if (ri->ri_type[i] != 0 && IS_TABLE(type) &&
		    (ri->ri_live[i] & RS_LIVE_PINNED))
			ri->ri_pins[ri->ri_npins++] = (struct rs_pin){ i, type,
			    0 };
	}
	return 0;
}

/* What the records say of each other, once all are read. */
static int
check_whole(struct rd *rd)
{
	struct rs_image *ri = rd->ri;
	const struct xm_start_info *si = (const void *)ri->ri_start_info;
	uint64_t i;

	if (ri->ri_def == NULL || !rd->have_dom || ri->ri_p2m_frames == NULL)
		return bad(rd, "no %s record", ri->ri_def == NULL ?
		    "DEFINITION" : !rd->have_dom ? "DOMAIN" : "P2M_FRAMES");
	if (!ri->ri_vcpus[0].present)
		return bad(rd, "no VCPU record for vCPU 0");
	if (rd->pages != ri->ri_dom.tot_pages)
		return bad(rd, "%" PRIu64 " pages of the DOMAIN record's %"
		    PRIu64, rd->pages, ri->ri_dom.tot_pages);
	if (rd->live && check_live(rd) != 0)
		return -1;
	if (!seen(ri, ri->ri_dom.start_info_pfn) ||
	    ri->ri_vcpus[0].ctx.user_regs.rdx != ri->ri_dom.start_info_pfn)
		return bad(rd, "start_info (pfn %#" PRIx64 ") is not a saved "
		    "page named by vCPU 0", ri->ri_dom.start_info_pfn);
	for (i = 0; i < ri->ri_np2m; i++)
		if (!seen(ri, ri->ri_p2m_frames[i]))
			return bad(rd, "p2m frame %" PRIu64 " is not saved", i);
	/* The guest turned them into pfns before it suspended. */
	ri->ri_store_pfn = si->store_mfn;
	ri->ri_console_pfn = si->console.domU.mfn;
	if ((ri->ri_store_pfn != 0 && !seen(ri, ri->ri_store_pfn)) ||
	    (ri->ri_console_pfn != 0 && !seen(ri, ri->ri_console_pfn)))
		return bad(rd, "start_info's store (%#" PRIx64 ") or console "
		    "(%#" PRIx64 ") frame is no saved pfn: did the guest turn "
		    "them into pfns before it suspended?", ri->ri_store_pfn,
		    ri->ri_console_pfn);
	return 0;
}

static int
by_level(const void *a, const void *b)
{
	const struct rs_pin *x = a, *y = b;

	return (x->level > y->level) - (x->level < y->level);
}

/*
 * A live stream's order: the head (DEFINITION, DOMAIN) before all else;
 * the first record after it that is not PAGES begins the tail.
 */
static int
live_order(struct rd *rd, uint32_t type)
{
	struct rs_image *ri = rd->ri;
	int head = type == SF_DEFINITION || type == SF_DOMAIN;

	if (ri->ri_def == NULL || !rd->have_dom) {
		if (!head)
			return bad(rd, "a record of type %" PRIu32 " before "
			    "the head (DEFINITION, DOMAIN) is whole", type);
		return 0;
	}
	if (ri->ri_head_end == 0)
		ri->ri_head_end = rd->r.r_off;
	if (!rd->in_tail && type != SF_PAGES) {
		rd->in_tail = 1;
		ri->ri_tail_off = rd->r.r_off;
	}
	return 0;
}

/* One record, read_* by its type (the types verify knows). */
static int
read_record(struct rd *rd, uint32_t type)
{
	if (rd->live && live_order(rd, type) != 0)
		return -1;
	switch (type) {
	case SF_DEFINITION:
		return read_definition(rd);
	case SF_DOMAIN:
		return read_domain(rd);
	case SF_PAGES:
		return read_pages(rd);
	case SF_VCPU:
		return read_vcpu(rd);
	case SF_SHARED_INFO:
		return read_shared_info(rd);
	case SF_P2M_FRAMES:
		return read_p2m_frames(rd);
	}
	return 0;
}

struct rs_feed {
	struct rd	rd;
};

static void
feed_begin(struct rs_feed *f, struct rs_image *ri, int fd)
{
	memset(f, 0, sizeof(*f));
	memset(ri, 0, sizeof(*ri));
	f->rd.ri = ri;
	ri->ri_fd = fd;
	ri->ri_flags = sf_flags(fd);
	f->rd.live = (ri->ri_flags & SF_FLAG_LIVE) != 0;
	f->rd.fsize = UINT64_MAX;	/* a stream's length is not known */
	sf_read_begin(&f->rd.r, fd);
}

/*
 * Each record wholly below avail, from where the last call stopped: 0
 * at the END record (not taken) or at one not all come, -1 with why.
 * Its type and length are checked as sf_verify checks them, so that
 * sf_verify_rest need not walk these records again.
 */
static int
feed_records(struct rs_feed *f, uint64_t avail)
{
	struct rd *rd = &f->rd;
	struct sf_reader at;
	uint32_t type;
	int rc;

	for (;;) {
		at = rd->r;
		if (avail < at.r_next || avail - at.r_next < SF_RECORD_HDR)
			return 0;
		if ((rc = sf_read_next(&rd->r, &type, &rd->len)) != 0) {
			rd->r = at;		/* END stays the next */
			return rc < 0 ? bad(rd, "cannot read it: %s",
			    strerror(errno)) : 0;
		}
		if (type == 0 || type > SF_TYPE_LAST)
			return bad(rd, "record type %" PRIu32 " unknown to "
			    "version %d", type, SF_VERSION);
		if (rd->len > SF_RECORD_MAX)
			return bad(rd, "a record of %" PRIu32 " bytes", rd->len);
		if (rd->r.r_next > avail) {
			rd->r = at;		/* not all of it yet */
			return 0;
		}
		if (read_record(rd, type) != 0)
			return -1;
	}
}

/* The file verified up to END: the rest of its records, then checks. */
static int
feed_finish(struct rs_feed *f, uint64_t fsize)
{
	struct rd *rd = &f->rd;
	struct rs_image *ri = rd->ri;

	rd->fsize = fsize;
	if (feed_records(f, fsize) != 0)
		return -1;
	if (rd->live && !rd->in_tail)
		ri->ri_tail_off = rd->r.r_next;	/* END: an empty tail */
	if (check_whole(rd) != 0)
		return -1;
	qsort(ri->ri_pins, ri->ri_npins, sizeof(*ri->ri_pins), by_level);
	return 0;
}

static int
file_size(struct rd *rd, uint64_t *size)
{
	struct stat st;

	if (fstat(rd->ri->ri_fd, &st) != 0)
		return bad(rd, "cannot stat it: %s", strerror(errno));
	*size = (uint64_t)st.st_size;
	return 0;
}

int
rs_image_read(struct rs_image *ri, int fd, char *err, size_t errlen)
{
	return rs_image_read_from(ri, fd, 0, 0, err, errlen);
}

int
rs_image_read_from(struct rs_image *ri, int fd, uint64_t known_len,
    uint32_t known_crc, char *err, size_t errlen)
{
	struct rs_feed f;
	uint64_t size = 0;

	feed_begin(&f, ri, fd);
	f.rd.err = err;
	f.rd.errlen = errlen;
	/* Verified first: a damaged file is said to be damaged. */
	if (sf_verify_from(fd, known_len, known_crc, err, errlen) != 0 ||
	    file_size(&f.rd, &size) != 0)
		return -1;
	return feed_finish(&f, size);
}

struct rs_feed *
rs_feed_new(struct rs_image *ri, int fd)
{
	struct rs_feed *f = malloc(sizeof(*f));

	if (f != NULL)
		feed_begin(f, ri, fd);
	return f;
}

int
rs_feed_more(struct rs_feed *f, uint64_t avail, char *err, size_t errlen)
{
	f->rd.err = err;
	f->rd.errlen = errlen;
	return feed_records(f, avail);
}

int
rs_feed_end(struct rs_feed *f, uint64_t known_len, uint32_t known_crc,
    char *err, size_t errlen)
{
	uint64_t size = 0;

	f->rd.err = err;
	f->rd.errlen = errlen;
	if (sf_verify_rest(f->rd.ri->ri_fd, f->rd.r.r_next, known_len,
	    known_crc, err, errlen) != 0 || file_size(&f->rd, &size) != 0)
		return -1;
	return feed_finish(f, size);
}

void
rs_feed_free(struct rs_feed *f)
{
	free(f);
}

void
rs_image_free(struct rs_image *ri)
{
	free(ri->ri_def);
	free(ri->ri_p2m_frames);
	free(ri->ri_vcpus);
	free(ri->ri_type);
	free(ri->ri_pins);
	free(ri->ri_live);
	free(ri->ri_last_at);
	memset(ri, 0, sizeof(*ri));
	ri->ri_fd = -1;
}

void
rs_pages_begin(struct rs_pages *rp, const struct rs_image *ri)
{
	memset(rp, 0, sizeof(*rp));
	rp->rp_img = ri;
	sf_read_begin(&rp->rp_r, ri->ri_fd);
}

/* The file may have changed since rs_image_read: a word must still be
 * one it recorded, for the caller indexes by its pfn. */
static int
known_word(const struct rs_image *ri, uint64_t w)
{
	uint64_t pfn = w & SF_PAGE_PFN;
	uint64_t type = w >> SF_PAGE_TYPE_SHIFT;

	if (!rs_word_ok(w) || pfn >= ri->ri_dom.nr_pfns)
		return 0;
	/* A live stream's earlier copies may be of another type. */
	if (ri->ri_flags & SF_FLAG_LIVE)
		return ri->ri_type[pfn] != 0;
	return ri->ri_type[pfn] == 1 + type;
}

int
rs_pages_next(struct rs_pages *rp, uint64_t *word, uint8_t page[RS_PAGE_SIZE])
{
	struct sf_pages h;
	uint32_t type, len, off;
	int rc;

	while (rp->rp_idx == rp->rp_count) {
		if ((rc = sf_read_next(&rp->rp_r, &type, &len)) != 0)
			return rc > 0 ? 0 : -1;
		if (type != SF_PAGES)
			continue;
		if (sf_read_payload(&rp->rp_r, 0, &h, sizeof(h)) != 0)
			return -1;
		rp->rp_count = h.count;
		rp->rp_idx = 0;
	}
	off = (uint32_t)(sizeof(h) + rp->rp_idx * sizeof(uint64_t));
	if (sf_read_payload(&rp->rp_r, off, word, sizeof(*word)) != 0)
		return -1;
	if (!known_word(rp->rp_img, *word)) {
		errno = EILSEQ;		/* "changed since it was checked" */
		return -1;
	}
	off = (uint32_t)(sizeof(h) + rp->rp_count * sizeof(uint64_t) +
	    rp->rp_idx * RS_PAGE_SIZE);
	if (sf_read_payload(&rp->rp_r, off, page, RS_PAGE_SIZE) != 0)
		return -1;
	rp->rp_idx++;
	return 1;
}

/* --- a live stream as it comes --------------------------------------- */

static int
read_head_header(struct rd *rd, int fd)
{
	uint8_t h[SF_HEADER_LEN];
	uint32_t version, flags;

	if (sf_read_at(fd, 0, h, sizeof(h)) != 0)
		return bad(rd, "cannot read it: %s", strerror(errno));
	memcpy(&version, h + 8, sizeof(version));
	memcpy(&flags, h + 12, sizeof(flags));
	if (memcmp(h, SF_MAGIC, SF_MAGIC_LEN) != 0)
		return bad(rd, "not an xm save file");
	if (version != SF_VERSION)
		return bad(rd, "save file version %" PRIu32 ", this xmd reads "
		    "version %d", version, SF_VERSION);
	if ((flags & ~SF_FLAGS_KNOWN) != 0 || !(flags & SF_FLAG_LIVE))
		return bad(rd, "save file flags %#" PRIx32 ": not a live "
		    "stream", flags);
	rd->ri->ri_flags = flags;
	return 0;
}

int
rs_head_read(struct rs_image *ri, int fd, uint64_t avail, char *err,
    size_t errlen)
{
	struct rd rd;
	uint8_t h[SF_RECORD_HDR];
	uint32_t type;

	memset(&rd, 0, sizeof(rd));
	rd.ri = ri;
	rd.err = err;
	rd.errlen = errlen;
	rd.live = rd.head_only = 1;
	memset(ri, 0, sizeof(*ri));
	ri->ri_fd = fd;
	sf_read_begin(&rd.r, fd);
	if (avail < SF_HEADER_LEN)
		return 0;
	if (read_head_header(&rd, fd) != 0)
		return -1;
	while (ri->ri_def == NULL || !rd.have_dom) {
		rd.r.r_off = rd.r.r_next;
		if (avail - rd.r.r_off < SF_RECORD_HDR)
			return 0;
		if (sf_read_at(fd, rd.r.r_off, h, sizeof(h)) != 0)
			return bad(&rd, "cannot read it: %s", strerror(errno));
		memcpy(&type, h, sizeof(type));
		memcpy(&rd.len, h + 4, sizeof(rd.len));
		if (type != SF_DEFINITION && type != SF_DOMAIN)
			return bad(&rd, "a record of type %" PRIu32 " before "
			    "the head (DEFINITION, DOMAIN) is whole", type);
		if (rd.len > SF_RECORD_MAX)
			return bad(&rd, "a record of %" PRIu32 " bytes",
			    rd.len);
		if (PAD8(rd.len) > avail - rd.r.r_off - SF_RECORD_HDR)
			return 0;		/* not all of it yet */
		rd.r.r_len = rd.len;
		rd.r.r_next = rd.r.r_off + SF_RECORD_HDR + PAD8(rd.len);
		if ((type == SF_DEFINITION ? read_definition(&rd) :
		    read_domain(&rd)) != 0)
			return -1;
	}
	ri->ri_head_end = rd.r.r_next;
	return 1;
}
