/*
 * A live stream's records read as they come, and each pfn's last copy
 * (restore_image.h: rs_stream, rs_last).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "restore_image.h"

#define PAD8(n)		(((uint64_t)(n) + 7) & ~UINT64_C(7))

void
rs_stream_begin(struct rs_stream *st, int fd, uint64_t off, uint64_t nr_pfns)
{
	memset(st, 0, sizeof(*st));
	st->st_fd = fd;
	st->st_next = off;
	st->st_nr_pfns = nr_pfns;
}

static int
stream_bad(struct rs_stream *st, char *err, size_t errlen, const char *fmt,
    ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "offset %" PRIu64 ": %s", st->st_rec, msg);
	return -1;
}

/*
 * The next PAGES record, if it has come whole, the tail's other records
 * stepped over: 1, 0 (not yet, or END), -1.
 */
static int
stream_record(struct rs_stream *st, uint64_t avail, char *err,
    size_t errlen)
{
	uint8_t h[SF_RECORD_HDR];
	struct sf_pages ph;
	uint32_t type, len, i;
	uint64_t pfn;

again:
	st->st_rec = st->st_next;
	if (avail < st->st_rec || avail - st->st_rec < SF_RECORD_HDR)
		return 0;
	if (sf_read_at(st->st_fd, st->st_rec, h, sizeof(h)) != 0)
		return stream_bad(st, err, errlen, "cannot read it: %s",
		    strerror(errno));
	memcpy(&type, h, sizeof(type));
	memcpy(&len, h + 4, sizeof(len));
	if (type == SF_END) {
		st->st_over = 1;
		return 0;
	}
	if (type != SF_PAGES) {
		if (type == 0 || type == SF_DEFINITION || type == SF_DOMAIN ||
		    type > SF_TYPE_LAST || len > SF_RECORD_MAX)
			return stream_bad(st, err, errlen, "a record of type %"
			    PRIu32 " and %" PRIu32 " bytes after the head",
			    type, len);
		if (PAD8(len) > avail - st->st_rec - SF_RECORD_HDR)
			return 0;
		st->st_tail = 1;		/* the domain was stopped */
		st->st_next = st->st_rec + SF_RECORD_HDR + PAD8(len);
		goto again;
	}
	if (len < sizeof(ph) || len > SF_RECORD_MAX)
		return stream_bad(st, err, errlen, "a PAGES record of %" PRIu32
		    " bytes", len);
	if (PAD8(len) > avail - st->st_rec - SF_RECORD_HDR)
		return 0;
	if (sf_read_at(st->st_fd, st->st_rec + SF_RECORD_HDR, &ph,
	    sizeof(ph)) != 0)
		return stream_bad(st, err, errlen, "cannot read it: %s",
		    strerror(errno));
	if (ph.count == 0 || ph.count > SF_PAGES_MAX || ph.pad != 0 ||
	    len != sizeof(ph) + ph.count * (sizeof(uint64_t) + RS_PAGE_SIZE))
		return stream_bad(st, err, errlen, "a PAGES record of %" PRIu32
		    " bytes for %" PRIu32 " pages", len, ph.count);
	if (sf_read_at(st->st_fd, st->st_rec + SF_RECORD_HDR + sizeof(ph),
	    st->st_words, ph.count * sizeof(uint64_t)) != 0)
		return stream_bad(st, err, errlen, "cannot read it: %s",
		    strerror(errno));
	for (i = 0; i < ph.count; i++) {
		pfn = st->st_words[i] & SF_PAGE_PFN;
		if (!rs_word_ok(st->st_words[i]) || pfn >= st->st_nr_pfns)
			return stream_bad(st, err, errlen, "page %" PRIu32
			    ": word %#" PRIx64 " unknown or out of range", i,
			    st->st_words[i]);
	}
	st->st_count = ph.count;
	st->st_idx = 0;
	st->st_next = st->st_rec + SF_RECORD_HDR + PAD8(len);
	return 1;
}

int
rs_stream_next(struct rs_stream *st, uint64_t avail, uint64_t *word,
    uint8_t page[RS_PAGE_SIZE], char *err, size_t errlen)
{
	uint64_t off;
	int rc;

	while (st->st_idx == st->st_count) {
		if (st->st_over)
			return 0;
		if ((rc = stream_record(st, avail, err, errlen)) <= 0)
			return rc;
	}
	off = st->st_rec + SF_RECORD_HDR + sizeof(struct sf_pages) +
	    st->st_count * sizeof(uint64_t) + st->st_idx * RS_PAGE_SIZE;
	if (sf_read_at(st->st_fd, off, page, RS_PAGE_SIZE) != 0)
		return stream_bad(st, err, errlen, "cannot read it: %s",
		    strerror(errno));
	st->st_page_at = off;
	*word = st->st_words[st->st_idx++];
	return 1;
}

int
rs_last_begin(struct rs_last *rl, const struct rs_image *ri)
{
	memset(rl, 0, sizeof(*rl));
	rl->rl_img = ri;
	return 0;
}

void
rs_last_end(struct rs_last *rl)
{
	rl->rl_img = NULL;
}

int
rs_last_next(struct rs_last *rl, uint64_t *word, int *tail)
{
	const struct rs_image *ri = rl->rl_img;
	uint64_t pfn;
	uint8_t live;

	for (pfn = rl->rl_pfn; pfn < ri->ri_dom.nr_pfns; pfn++)
		if (ri->ri_type[pfn] != 0)
			break;
	if (pfn >= ri->ri_dom.nr_pfns)
		return 0;
	live = ri->ri_live[pfn];
	*word = pfn | (uint64_t)(ri->ri_type[pfn] - 1u) << SF_PAGE_TYPE_SHIFT |
	    ((live & RS_LIVE_PINNED) ? SF_PAGE_PINNED : 0);
	*tail = (live & RS_LIVE_TAIL) != 0;
	rl->rl_at = ri->ri_last_at[pfn];
	rl->rl_pfn = pfn + 1;
	return 1;
}

int
rs_last_page(struct rs_last *rl, uint8_t page[RS_PAGE_SIZE])
{
	return sf_read_at(rl->rl_img->ri_fd, rl->rl_at, page, RS_PAGE_SIZE);
}
