/* A save file read and checked for restore (restore_image.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xm/domctl.h>
#include <xm/xen_core.h>

#include "restore_image.h"

#define PER_PAGE	(RS_PAGE_SIZE / sizeof(uint64_t))

struct rd {
	struct rs_image	*ri;
	struct sf_reader r;
	uint32_t	 len;
	int		 have_dom;
	uint64_t	 pages;
	uint64_t	 fsize;
	char		*err;
	size_t		 errlen;
};

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
	if (sd->tot_pages > rd->fsize / RS_PAGE_SIZE)
		return bad(rd, "%" PRIu64 " pages in a file of %" PRIu64
		    " bytes", sd->tot_pages, rd->fsize);
	if (sd->nr_pfns == 0 || sd->nr_pfns > RS_PFNS_MAX ||
	    sd->tot_pages == 0 || sd->tot_pages > sd->nr_pfns ||
	    sd->start_info_pfn >= sd->nr_pfns)
		return bad(rd, "a domain of %" PRIu64 " pages in %" PRIu64
		    " pfns, start_info at %" PRIu64, sd->tot_pages,
		    sd->nr_pfns, sd->start_info_pfn);
	ri->ri_vcpus = calloc(sd->nr_vcpus, sizeof(*ri->ri_vcpus));
	ri->ri_type = calloc(sd->nr_pfns, 1);
	ri->ri_pins = calloc(sd->tot_pages, sizeof(*ri->ri_pins));
	if (ri->ri_vcpus == NULL || ri->ri_type == NULL || ri->ri_pins == NULL)
		return bad(rd, "out of memory");
	rd->have_dom = 1;
	return 0;
}

static int
read_page_word(struct rd *rd, uint64_t w, uint32_t i, uint32_t count)
{
	struct rs_image *ri = rd->ri;
	uint64_t pfn = w & SF_PAGE_PFN;
	unsigned int type = (unsigned int)(w >> SF_PAGE_TYPE_SHIFT);

	if ((w & ~(SF_PAGE_PFN | SF_PAGE_PINNED |
	    (UINT64_C(15) << SF_PAGE_TYPE_SHIFT))) != 0 || type > XM_PAGE_DESC)
		return bad(rd, "page %" PRIu32 ": word %#" PRIx64 " unknown",
		    i, w);
	if (pfn >= ri->ri_dom.nr_pfns || ri->ri_type[pfn] != 0)
		return bad(rd, "page %" PRIu32 ": pfn %#" PRIx64 " %s", i, pfn,
		    pfn >= ri->ri_dom.nr_pfns ? "out of range" : "twice");
	if (++rd->pages > ri->ri_dom.tot_pages)
		return bad(rd, "more pages than the DOMAIN record's %" PRIu64,
		    ri->ri_dom.tot_pages);
	ri->ri_type[pfn] = (uint8_t)(1 + type);
	if ((w & SF_PAGE_PINNED) && type >= XM_PAGE_L1TAB &&
	    type <= XM_PAGE_L4TAB)
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
	for (i = 0; i < h.count; i++)
		if (payload(rd, (uint32_t)(sizeof(h) + i * sizeof(w)), &w,
		    sizeof(w)) != 0 || read_page_word(rd, w, i, h.count) != 0)
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

int
rs_image_read(struct rs_image *ri, int fd, char *err, size_t errlen)
{
	struct rd rd = { ri, { 0, 0, 0, 0 }, 0, 0, 0, 0, err, errlen };
	struct stat st;
	uint32_t type;
	int rc;

	memset(ri, 0, sizeof(*ri));
	ri->ri_fd = fd;
	if (sf_verify(fd, err, errlen) != 0)
		return -1;
	if (fstat(fd, &st) != 0)
		return bad(&rd, "cannot stat it: %s", strerror(errno));
	rd.fsize = (uint64_t)st.st_size;
	sf_read_begin(&rd.r, fd);
	while ((rc = sf_read_next(&rd.r, &type, &rd.len)) == 0) {
		switch (type) {
		case SF_DEFINITION:
			rc = read_definition(&rd);
			break;
		case SF_DOMAIN:
			rc = read_domain(&rd);
			break;
		case SF_PAGES:
			rc = read_pages(&rd);
			break;
		case SF_VCPU:
			rc = read_vcpu(&rd);
			break;
		case SF_SHARED_INFO:
			rc = read_shared_info(&rd);
			break;
		case SF_P2M_FRAMES:
			rc = read_p2m_frames(&rd);
			break;
		}
		if (rc != 0)
			return -1;
	}
	if (rc < 0)
		return bad(&rd, "cannot read it: %s", strerror(errno));
	if (check_whole(&rd) != 0)
		return -1;
	qsort(ri->ri_pins, ri->ri_npins, sizeof(*ri->ri_pins), by_level);
	return 0;
}

void
rs_image_free(struct rs_image *ri)
{
	free(ri->ri_def);
	free(ri->ri_p2m_frames);
	free(ri->ri_vcpus);
	free(ri->ri_type);
	free(ri->ri_pins);
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

	return (w & ~(SF_PAGE_PFN | SF_PAGE_PINNED |
	    (UINT64_C(15) << SF_PAGE_TYPE_SHIFT))) == 0 &&
	    pfn < ri->ri_dom.nr_pfns && ri->ri_type[pfn] == 1 + type;
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
