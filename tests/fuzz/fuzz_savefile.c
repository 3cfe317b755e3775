/*
 * libFuzzer target: save files as `xmctl restore` hands them to xmd,
 * read by xmd/restore_image.c over xmd/savefile.c, which trust nothing
 * in them.  Random bytes almost never carry the right CRC-32, so for
 * all inputs but one in WHOLE_EVERY (chosen by a hash of the input, so
 * always the same ones) the input is the header and records, and the
 * target appends the END record with their checksum; the others are
 * the whole file, END included, so the framing's checks are fuzzed too.
 * The file is a memfd.  Checked on every input:
 *  - sf_verify() takes the file exactly when its framing is that of
 *    xm-save(5), and rs_image_read() refuses it for the same reason
 *    when it does not;
 *  - a refusal says why;
 * and on every file rs_image_read() takes, what xmd/restore.c relies
 * on without checking again: a definition that is a C string; a domain
 * of sizes in range; vCPU 0 there and naming start_info; start_info,
 * the p2m frames, the store and console pages and the pins among the
 * saved pfns; pins of their page's level, L1 first; and the pages read
 * back in file order being tot_pages distinct saved pfns of the types
 * recorded, the start_info page among them the one read before.  Of a
 * live stream (SF_FLAG_LIVE), every copy read back in file order is of
 * a saved pfn, and each pfn's last copy (rs_last_next) once: tot_pages
 * of them, of the types and pins recorded, start_info's in the tail;
 * its head (rs_head_read) is read the same whole or cut anywhere, its
 * pages as they come (rs_stream_next) are only of saved pfns and stop
 * at END, never past what has come, and its records fed as they come
 * (rs_feed), cut anywhere, end as the whole file read at once.
 * Nothing leaks: the image is freed and the memfd closed every time.
 *
 * Most of a file is page contents and vCPU registers that the reader
 * does not look at, so a mutation anywhere in the input seldom changes
 * what it decides on.  Half of the mutations (LLVMFuzzerCustomMutator)
 * are therefore made in place in one of the fields that matter: a
 * record's type and length, the DOMAIN and P2M_FRAMES payloads, a VCPU
 * record's id, flags and rdx, a PAGES record's count and words, the
 * header's flags.
 */
#include <sys/mman.h>

#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include <xm/domctl.h>
#include <xm/xen_core.h>

#include "fuzz.h"
#include "restore_image.h"

#define WHOLE_EVERY	8
#define END_LEN		(SF_RECORD_HDR + 8)
#define PER_PAGE	(RS_PAGE_SIZE / sizeof(uint64_t))
#define TYPE_MASK	(UINT64_C(15) << SF_PAGE_TYPE_SHIFT)
/* ri_type is counted through only for p2m's this small (time). */
#define COUNT_PFNS_MAX	(UINT64_C(1) << 16)
#define SPANS_MAX	64
/* The longest field: a full PAGES record's count and words. */
#define SPAN_MAX	(sizeof(struct sf_pages) +			\
	SF_PAGES_MAX * sizeof(uint64_t))
#define VCPU_RDX	(sizeof(struct sf_vcpu) +			\
	offsetof(struct xm_vcpu_guest_context, user_regs.rdx))

struct span {
	size_t	off, len;
};

size_t	LLVMFuzzerMutate(uint8_t *, size_t, size_t);
size_t	LLVMFuzzerCustomMutator(uint8_t *, size_t, size_t, unsigned int);

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint64_t
pad8(uint32_t n)
{
	return ((uint64_t)n + 7) & ~UINT64_C(7);
}

/* Whether f is a well framed save file, as xm-save(5) has it. */
static int
framed(const uint8_t *f, size_t n)
{
	uint64_t off = SF_HEADER_LEN;
	uint32_t type, len;

	if (n < SF_HEADER_LEN || memcmp(f, SF_MAGIC, SF_MAGIC_LEN) != 0 ||
	    le32(f + 8) != SF_VERSION || (le32(f + 12) & ~SF_FLAGS_KNOWN) != 0)
		return 0;
	for (;;) {
		if (n - off < SF_RECORD_HDR)
			return 0;
		type = le32(f + off);
		len = le32(f + off + 4);
		if (type == SF_END)
			break;
		if (type == 0 || type > SF_TYPE_LAST || len > SF_RECORD_MAX ||
		    pad8(len) > n - off - SF_RECORD_HDR)
			return 0;
		off += SF_RECORD_HDR + pad8(len);
	}
	return len == 8 && n - off == END_LEN && le32(f + off + 12) == 0 &&
	    le32(f + off + 8) == (uint32_t)crc32(0, f, (uInt)off);
}

/* The file's bytes: the input, then END unless it is taken whole. */
static uint8_t *
make_file(const uint8_t *data, size_t size, size_t *n)
{
	uint8_t *f;
	int whole = fuzz_hash(data, size) % WHOLE_EVERY == 0;

	*n = size + (whole ? 0 : END_LEN);
	if ((f = malloc(*n > 0 ? *n : 1)) == NULL)
		return NULL;
	memcpy(f, data, size);
	if (!whole) {
		memset(f + size, 0, END_LEN);
		put_le32(f + size, SF_END);
		put_le32(f + size + 4, 8);
		put_le32(f + size + 8, (uint32_t)crc32(0, data, (uInt)size));
	}
	return f;
}

/* A memfd holding the n bytes of f (failing here means fds leak). */
static int
memfd_of(const uint8_t *f, size_t n)
{
	ssize_t w;
	int fd;

	FUZZ_CHECK((fd = memfd_create("savefile", MFD_CLOEXEC)) >= 0);
	while (n > 0) {
		FUZZ_CHECK((w = write(fd, f, n)) > 0);
		f += w;
		n -= (size_t)w;
	}
	return fd;
}

static int
saved(const struct rs_image *ri, uint64_t pfn)
{
	return pfn < ri->ri_dom.nr_pfns && ri->ri_type[pfn] != 0;
}

static void
check_domain(const struct rs_image *ri)
{
	const struct sf_domain *sd = &ri->ri_dom;
	uint32_t i;

	FUZZ_CHECK(ri->ri_def != NULL && ri->ri_def_len > 0 &&
	    ri->ri_def_len <= RS_DEF_MAX);
	FUZZ_CHECK(strlen(ri->ri_def) == ri->ri_def_len);
	FUZZ_CHECK(sd->nr_vcpus >= 1 && sd->nr_vcpus <= XM_LEGACY_MAX_VCPUS);
	FUZZ_CHECK(sd->nr_pfns >= 1 && sd->nr_pfns <= RS_PFNS_MAX);
	FUZZ_CHECK(sd->tot_pages >= 1 && sd->tot_pages <= sd->nr_pfns);
	FUZZ_CHECK(ri->ri_vcpus != NULL && ri->ri_type != NULL);
	FUZZ_CHECK(ri->ri_vcpus[0].present &&
	    ri->ri_vcpus[0].ctx.user_regs.rdx == sd->start_info_pfn);
	for (i = 0; i < sd->nr_vcpus; i++)
		FUZZ_CHECK((ri->ri_vcpus[i].flags & ~SF_VCPU_ONLINE) == 0 &&
		    (ri->ri_vcpus[i].present || ri->ri_vcpus[i].flags == 0));
}

/* The pages restore.c patches or names to hv by their pfns. */
static void
check_pfns(const struct rs_image *ri)
{
	const struct xm_start_info *si = (const void *)ri->ri_start_info;
	uint64_t nr = ri->ri_dom.nr_pfns, i;

	FUZZ_CHECK(saved(ri, ri->ri_dom.start_info_pfn));
	FUZZ_CHECK(ri->ri_p2m_frames != NULL && ri->ri_np2m >= 1 &&
	    ri->ri_np2m <= (nr + PER_PAGE - 1) / PER_PAGE + 1);
	for (i = 0; i < ri->ri_np2m; i++)
		FUZZ_CHECK(saved(ri, ri->ri_p2m_frames[i]));
	FUZZ_CHECK(ri->ri_store_pfn == si->store_mfn &&
	    ri->ri_console_pfn == si->console.domU.mfn);
	FUZZ_CHECK(ri->ri_store_pfn == 0 || saved(ri, ri->ri_store_pfn));
	FUZZ_CHECK(ri->ri_console_pfn == 0 || saved(ri, ri->ri_console_pfn));
}

/* Pinned tables of their recorded level, by level, L1 first. */
static void
check_pins(const struct rs_image *ri)
{
	const struct rs_pin *p;
	size_t i;

	FUZZ_CHECK(ri->ri_npins <= ri->ri_dom.tot_pages);
	for (i = 0; i < ri->ri_npins; i++) {
		p = &ri->ri_pins[i];
		FUZZ_CHECK(p->level >= XM_PAGE_L1TAB &&
		    p->level <= XM_PAGE_L4TAB);
		FUZZ_CHECK(saved(ri, p->pfn) &&
		    ri->ri_type[p->pfn] == 1 + p->level);
		FUZZ_CHECK(i == 0 || p[-1].level <= p->level);
	}
}

static int
by_pfn(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* A word against what rs_image_read recorded; 1 if a pinned table. */
static int
check_page_type(const struct rs_image *ri, uint64_t w)
{
	uint64_t pfn = w & SF_PAGE_PFN;
	unsigned int type = (unsigned int)(w >> SF_PAGE_TYPE_SHIFT);

	FUZZ_CHECK((w & ~(SF_PAGE_PFN | SF_PAGE_PINNED | TYPE_MASK)) == 0);
	FUZZ_CHECK(type <= XM_PAGE_DESC);
	FUZZ_CHECK(saved(ri, pfn) && ri->ri_type[pfn] == 1 + type);
	return (w & SF_PAGE_PINNED) && type >= XM_PAGE_L1TAB &&
	    type <= XM_PAGE_L4TAB;
}

/* One page read back: its word against what rs_image_read recorded. */
static int
check_page(const struct rs_image *ri, uint64_t w, const uint8_t *page)
{
	if ((w & SF_PAGE_PFN) == ri->ri_dom.start_info_pfn)
		FUZZ_CHECK(memcmp(page, ri->ri_start_info, RS_PAGE_SIZE) == 0);
	return check_page_type(ri, w);
}

/* A live stream's copies in file order, then each pfn's last copy. */
static void
check_live_pages(const struct rs_image *ri, size_t fsize)
{
	static uint8_t page[RS_PAGE_SIZE];
	struct rs_pages rp;
	struct rs_last rl;
	uint64_t w, pfn, n = 0, pinned = 0;
	int rc, tail;

	rs_pages_begin(&rp, ri);
	while ((rc = rs_pages_next(&rp, &w, page)) == 1) {
		FUZZ_CHECK(n++ < fsize / RS_PAGE_SIZE);
		FUZZ_CHECK(saved(ri, w & SF_PAGE_PFN));
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(ri->ri_tail_off >= SF_HEADER_LEN && ri->ri_tail_off < fsize);
	FUZZ_CHECK(rs_last_begin(&rl, ri) == 0);
	n = 0;
	while ((rc = rs_last_next(&rl, &w, &tail)) == 1) {
		FUZZ_CHECK(n++ < ri->ri_dom.tot_pages);
		pfn = w & SF_PAGE_PFN;
		pinned += check_page_type(ri, w);
		FUZZ_CHECK(((ri->ri_live[pfn] & RS_LIVE_PINNED) != 0) ==
		    ((w & SF_PAGE_PINNED) != 0));
		FUZZ_CHECK(((ri->ri_live[pfn] & RS_LIVE_TAIL) != 0) == tail);
		if (pfn == ri->ri_dom.start_info_pfn) {
			FUZZ_CHECK(tail);
			FUZZ_CHECK(rs_last_page(&rl, page) == 0);
			FUZZ_CHECK(memcmp(page, ri->ri_start_info,
			    RS_PAGE_SIZE) == 0);
		}
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(n == ri->ri_dom.tot_pages && pinned == ri->ri_npins);
	rs_last_end(&rl);
}

/* The pages in file order, as restore.c writes them; fsize bounds them. */
static void
check_pages(const struct rs_image *ri, size_t fsize)
{
	static uint8_t page[RS_PAGE_SIZE];
	struct rs_pages rp;
	uint64_t *pfns, w, n = 0, pinned = 0, i;
	size_t max = fsize / RS_PAGE_SIZE + 1;
	int rc;

	FUZZ_CHECK((pfns = calloc(max, sizeof(*pfns))) != NULL);
	rs_pages_begin(&rp, ri);
	while ((rc = rs_pages_next(&rp, &w, page)) == 1) {
		FUZZ_CHECK(n < ri->ri_dom.tot_pages && n < max);
		pinned += check_page(ri, w, page);
		pfns[n++] = w & SF_PAGE_PFN;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(n == ri->ri_dom.tot_pages && pinned == ri->ri_npins);
	qsort(pfns, n, sizeof(*pfns), by_pfn);
	for (i = 1; i < n; i++)
		FUZZ_CHECK(pfns[i - 1] != pfns[i]);
	free(pfns);
	/* And no pfn saved but those. */
	if (ri->ri_dom.nr_pfns <= COUNT_PFNS_MAX) {
		for (i = n = 0; i < ri->ri_dom.nr_pfns; i++)
			n += ri->ri_type[i] != 0;
		FUZZ_CHECK(n == ri->ri_dom.tot_pages);
	}
}

/* A live stream rs_image_read took, fed as it came, cut at avail. */
static void
check_feed(const struct rs_image *ri, int fd, uint64_t avail)
{
	static struct rs_image fed;
	struct rs_feed *f;
	char err[512];
	uint64_t i;

	FUZZ_CHECK((f = rs_feed_new(&fed, fd)) != NULL);
	FUZZ_CHECK(rs_feed_more(f, avail, err, sizeof(err)) == 0);
	FUZZ_CHECK(rs_feed_end(f, 0, 0, err, sizeof(err)) == 0);
	FUZZ_CHECK(fed.ri_tail_off == ri->ri_tail_off &&
	    fed.ri_npins == ri->ri_npins &&
	    fed.ri_dom.start_info_pfn == ri->ri_dom.start_info_pfn);
	if (ri->ri_dom.nr_pfns <= COUNT_PFNS_MAX)
		for (i = 0; i < ri->ri_dom.nr_pfns; i++)
			FUZZ_CHECK(fed.ri_type[i] == ri->ri_type[i] &&
			    fed.ri_last_at[i] == ri->ri_last_at[i]);
	rs_feed_free(f);
	rs_image_free(&fed);
}

/*
 * A live stream rs_image_read took, as it came: its head cut at avail
 * (all of it, or part), then its pages up to avail.
 */
static void
check_stream(const struct rs_image *ri, int fd, uint64_t avail,
    uint64_t fsize)
{
	static struct rs_image head;
	static uint8_t page[RS_PAGE_SIZE];
	struct rs_stream st;
	char err[512];
	uint64_t w;
	int rc;

	rc = rs_head_read(&head, fd, avail, err, sizeof(err));
	FUZZ_CHECK(rc >= 0);
	if (rc == 1) {
		FUZZ_CHECK(head.ri_head_end <= avail);
		FUZZ_CHECK(head.ri_def_len == ri->ri_def_len &&
		    memcmp(head.ri_def, ri->ri_def, ri->ri_def_len) == 0);
		FUZZ_CHECK(head.ri_dom.nr_pfns == ri->ri_dom.nr_pfns &&
		    head.ri_dom.tot_pages == ri->ri_dom.tot_pages &&
		    head.ri_dom.start_info_pfn == SF_NO_PFN);
		rs_stream_begin(&st, fd, head.ri_head_end, head.ri_dom.nr_pfns);
		while ((rc = rs_stream_next(&st, avail, &w, page, err,
		    sizeof(err))) == 1) {
			FUZZ_CHECK(st.st_next <= avail);
			FUZZ_CHECK(saved(ri, w & SF_PAGE_PFN));
		}
		FUZZ_CHECK(rc == 0);
		FUZZ_CHECK(!st.st_over || st.st_rec + SF_END_LEN == fsize);
		FUZZ_CHECK(!st.st_tail || st.st_next > ri->ri_tail_off);
	}
	rs_image_free(&head);
}

/* The file at fd, of the n bytes f: read, checked, freed. */
static void
read_image(int fd, const uint8_t *f, size_t n)
{
	static struct rs_image ri;
	char err[512], verr[512];
	int ok;

	err[0] = verr[0] = '\0';
	ok = sf_verify(fd, verr, sizeof(verr)) == 0;
	FUZZ_CHECK(ok == framed(f, n));
	FUZZ_CHECK(ok || verr[0] != '\0');
	if (rs_image_read(&ri, fd, err, sizeof(err)) != 0) {
		FUZZ_CHECK(err[0] != '\0' && ri.ri_fd == fd);
		FUZZ_CHECK(ok || strcmp(err, verr) == 0);
		rs_image_free(&ri);
		return;
	}
	FUZZ_CHECK(ok && ri.ri_fd == fd);
	check_domain(&ri);
	check_pfns(&ri);
	check_pins(&ri);
	if (ri.ri_flags & SF_FLAG_LIVE) {
		check_live_pages(&ri, n);
		check_stream(&ri, fd, n, n);
		check_stream(&ri, fd, fuzz_hash(f, n) % (n + 1), n);
		check_feed(&ri, fd, fuzz_hash(f, n) % (n + 1));
	} else
		check_pages(&ri, n);
	rs_image_free(&ri);
}

/* Adds [off, off + len) of the n bytes, what of it there is. */
static void
add_span(struct span *sp, size_t *nsp, size_t off, size_t len, size_t n)
{
	if (*nsp == SPANS_MAX || off >= n || len == 0)
		return;
	len = len < n - off ? len : n - off;
	len = len < SPAN_MAX ? len : SPAN_MAX;
	sp[(*nsp)++] = (struct span){ off, len };
}

/* The fields that matter in the records of the n bytes at d. */
static size_t
find_spans(const uint8_t *d, size_t n, struct span *sp)
{
	size_t off = SF_HEADER_LEN, nsp = 0, p;
	uint32_t type, len;

	add_span(sp, &nsp, 12, 4, n);		/* the header's flags */
	while (n >= SF_RECORD_HDR && off <= n - SF_RECORD_HDR) {
		type = le32(d + off);
		len = le32(d + off + 4);
		p = off + SF_RECORD_HDR;
		add_span(sp, &nsp, off, SF_RECORD_HDR, n);
		if (type == SF_DOMAIN || type == SF_P2M_FRAMES ||
		    type == SF_PAGES)
			add_span(sp, &nsp, p, len, n);
		if (type == SF_VCPU) {
			add_span(sp, &nsp, p, sizeof(struct sf_vcpu), n);
			add_span(sp, &nsp, p + VCPU_RDX, 8, n);
		}
		if (pad8(len) > n - p)
			break;
		off = p + pad8(len);
	}
	return nsp;
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max,
    unsigned int seed)
{
	struct span sp[SPANS_MAX];
	uint8_t field[SPAN_MAX];
	size_t nsp, k;

	if (seed % 2 == 0 || (nsp = find_spans(data, size, sp)) == 0)
		return LLVMFuzzerMutate(data, size, max);
	k = seed / 2 % nsp;
	memcpy(field, data + sp[k].off, sp[k].len);
	/* Shorter, it leaves the field's last bytes as they were. */
	memcpy(data + sp[k].off, field,
	    LLVMFuzzerMutate(field, sp[k].len, sp[k].len));
	return size;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *f;
	size_t n;
	int fd;

	if ((f = make_file(data, size, &n)) == NULL)
		return 0;
	fd = memfd_of(f, n);
	read_image(fd, f, n);
	close(fd);
	free(f);
	return 0;
}
