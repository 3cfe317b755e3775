/*
 * The steps of a save that a live save's rounds (precopy.c) share with
 * its stop-and-copy (save.c), declared in save_int.h: the domain's
 * frames listed (PAGE_LIST) and typed (PAGE_INFO), the mfn -> pfn map,
 * frames read (READ_MEM) and written to the file as PAGES records with
 * page tables as pfns.
 */
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "save_canon.h"
#include "save_int.h"
#include "savefile.h"
#include "steps.h"

int
save_send_domid(struct save *s, uint16_t op)
{
	struct xm_ctl_domid id = { (xm_domid_t)s->sv_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };

	return steps_send(&s->sv_run, op, &iov, 1);
}

/* The file cannot be written (errno says why). */
int
save_write_failed(struct save *s)
{
	return steps_fail(&s->sv_run, XMCTL_E_SAVEFILE, "%s: cannot write "
	    "'%s': %s", s->sv_what, s->sv_path, strerror(errno));
}

int
save_no_memory(struct save *s)
{
	return steps_fail(&s->sv_run, XMCTL_E_SYSTEM, "%s: out of memory",
	    s->sv_what);
}

int
save_getinfo_send(void *arg)
{
	return save_send_domid(arg, XM_CTL_OP_GETINFO);
}

int
save_getinfo_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;

	(void)len;
	memcpy(&s->sv_info, data, sizeof(s->sv_info));
	if (s->sv_info.nr_vcpus == 0 || s->sv_info.nr_vcpus > 4096)
		return steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: the node "
		    "says it has %u vCPUs", s->sv_what, s->sv_info.nr_vcpus);
	if (s->sv_ctx == NULL)
		s->sv_ctx = calloc(s->sv_info.nr_vcpus, sizeof(*s->sv_ctx));
	return s->sv_ctx == NULL ? save_no_memory(s) : 0;
}

int
save_list_send(void *arg)
{
	struct save *s = arg;
	struct xm_ctl_page_list l = { (xm_domid_t)s->sv_id, 0, LIST_BATCH,
	    s->sv_run.s_cursor };
	struct iovec iov = { &l, sizeof(l) };

	return steps_send(&s->sv_run, XM_CTL_OP_PAGE_LIST, &iov, 1);
}

int
save_list_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;
	struct xm_ctl_page_list_reply r;
	uint64_t at = s->sv_run.s_cursor;

	memcpy(&r, data, sizeof(r));
	if (at == 0) {
		if (r.total == 0 || r.total > (UINT64_C(1) << 32))
			return steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: the "
			    "node lists %llu frames", s->sv_what,
			    (unsigned long long)r.total);
		s->sv_nr = r.total;
		s->sv_mfns = calloc(r.total, sizeof(uint64_t));
		s->sv_pinfo = calloc(r.total, sizeof(*s->sv_pinfo));
		if (s->sv_mfns == NULL || s->sv_pinfo == NULL)
			return save_no_memory(s);
	}
	if (r.total != s->sv_nr || r.count == 0 || r.count > s->sv_nr - at ||
	    len != sizeof(r) + r.count * sizeof(uint64_t))
		goto changed;
	memcpy(s->sv_mfns + at, data + sizeof(r), r.count * sizeof(uint64_t));
	s->sv_run.s_cursor += r.count;
	return s->sv_run.s_cursor < s->sv_nr;
changed:
	return steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: its frames changed "
	    "%s", s->sv_what, s->sv_pc.pc_live ? "while they were listed (it "
	    "gave memory back or took more); try again" : "while it was "
	    "suspended");
}

int
save_info_send(void *arg)
{
	struct save *s = arg;
	uint64_t at = s->sv_run.s_cursor, n = s->sv_nr - at;
	struct xm_ctl_page_info p = { (xm_domid_t)s->sv_id, 0, 0 };
	struct iovec iov[2];

	p.nr = (uint32_t)(n < XM_PAGE_INFO_MAX ? n : XM_PAGE_INFO_MAX);
	iov[0] = (struct iovec){ &p, sizeof(p) };
	iov[1] = (struct iovec){ s->sv_mfns + at, p.nr * sizeof(uint64_t) };
	return steps_send(&s->sv_run, XM_CTL_OP_PAGE_INFO, iov, 2);
}

int
save_info_reply(void *arg, const uint8_t *data, size_t len)
{
	struct save *s = arg;
	uint64_t at = s->sv_run.s_cursor, n = len / sizeof(*s->sv_pinfo);

	if (n == 0 || n > s->sv_nr - at)
		return steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: PAGE_INFO "
		    "answered %llu frames", s->sv_what, (unsigned long long)n);
	memcpy(s->sv_pinfo + at, data, n * sizeof(*s->sv_pinfo));
	s->sv_run.s_cursor += n;
	return s->sv_run.s_cursor < s->sv_nr;
}

/* Whether frame i goes into the file: the domain's, with a pfn. */
int
save_saved(const struct save *s, uint64_t i)
{
	return s->sv_pinfo[i].type != XM_PAGE_XTAB &&
	    s->sv_pinfo[i].pfn != XM_M2P_INVALID &&
	    s->sv_pinfo[i].pfn <= SF_PAGE_PFN;
}

/* mfn -> pfn of every frame saved; no pfn twice. */
int
save_map_make(struct save *s)
{
	uint64_t *mfns, *pfns, i, n = 0, pfn;
	int rc = 0;

	canon_map_free(&s->sv_map);
	mfns = calloc(s->sv_nr, sizeof(uint64_t));
	pfns = calloc(s->sv_nr, sizeof(uint64_t));
	if (mfns == NULL || pfns == NULL) {
		free(mfns);
		free(pfns);
		return save_no_memory(s);
	}
	for (i = 0; i < s->sv_nr; i++)
		if (save_saved(s, i)) {
			mfns[n] = s->sv_mfns[i];
			pfns[n++] = s->sv_pinfo[i].pfn;
		}
	if (canon_map_init(&s->sv_map, pfns, mfns, n) != 0)
		rc = save_no_memory(s);
	/* Sorted by pfn (the map used the other way round): no repeats. */
	for (i = 1; rc == 0 && i < n; i++)
		if (s->sv_map.cm_pairs[2 * i] == s->sv_map.cm_pairs[2 * i - 2]) {
			pfn = s->sv_map.cm_pairs[2 * i];
			rc = steps_fail(&s->sv_run, XMCTL_E_STATE, "%s: two of "
			    "its frames claim pfn %#llx", s->sv_what,
			    (unsigned long long)pfn);
		}
	canon_map_free(&s->sv_map);
	if (rc == 0 && canon_map_init(&s->sv_map, mfns, pfns, n) != 0)
		rc = save_no_memory(s);
	free(mfns);
	free(pfns);
	return rc;
}

/* READ_MEM of whole frames. */
int
save_read_frames(struct save *s, const uint64_t *mfns, unsigned int n)
{
	struct xm_ctl_mem_seg segs[SF_PAGES_MAX];
	struct xm_ctl_mem mem = { (xm_domid_t)s->sv_id, 0, n };
	struct iovec iov[2] = { { &mem, sizeof(mem) },
	    { segs, n * sizeof(segs[0]) } };
	unsigned int i;

	memset(segs, 0, sizeof(segs));
	for (i = 0; i < n; i++) {
		segs[i].mfn = mfns[i];
		segs[i].len = PAGE_SIZE;
	}
	return steps_send(&s->sv_run, XM_CTL_OP_READ_MEM, iov, 2);
}

int
save_write_record(struct save *s, uint32_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	struct iovec iov[2] = { { (void *)(uintptr_t)a, alen },
	    { (void *)(uintptr_t)b, blen } };

	if (sf_write_record(&s->sv_w, type, iov, b != NULL ? 2 : 1) == 0)
		return 0;
	return save_write_failed(s);
}

uint64_t
save_page_word(const struct xm_page_info *pi)
{
	return pi->pfn | (uint64_t)pi->type << SF_PAGE_TYPE_SHIFT |
	    ((pi->flags & XM_PAGE_PINNED) ? SF_PAGE_PINNED : 0);
}

/*
 * Frames idx[0..n) of the domain, READ_MEM's data, as one PAGES record,
 * page tables as pfns.  In a pre-copy round (skip not NULL) a page table
 * that does not come out as one (it changed under the read) is left
 * out and marked in skip[], for the tail.  0, or -1 (steps_fail).
 */
int
save_write_pages(struct save *s, const uint64_t *idx, unsigned int n,
    const uint8_t *data, size_t len, uint8_t *skip)
{
	uint64_t words[SF_PAGES_MAX], e[CANON_ENTRIES];
	uint8_t *pages = malloc(len);
	struct sf_pages h = { 0, 0 };
	const struct xm_page_info *pi;
	struct iovec iov[3];
	char why[256];
	unsigned int i;
	int rc;

	if (len != (size_t)n * PAGE_SIZE || pages == NULL) {
		free(pages);
		return steps_fail(&s->sv_run, XMCTL_E_NODE, "%s: READ_MEM "
		    "gave %zu bytes", s->sv_what, len);
	}
	for (i = 0; i < n; i++) {
		pi = &s->sv_pinfo[idx[i]];
		memcpy(pages + h.count * PAGE_SIZE, data + i * PAGE_SIZE,
		    PAGE_SIZE);
		if (pi->type >= XM_PAGE_L1TAB && pi->type <= XM_PAGE_L4TAB) {
			memcpy(e, data + i * PAGE_SIZE, PAGE_SIZE);
			if (canon_table(e, pi->type, &s->sv_map, why,
			    sizeof(why)) != 0) {
				if (skip != NULL) {
					skip[idx[i]] = 1;
					continue;
				}
				free(pages);
				return steps_fail(&s->sv_run, XMCTL_E_STATE,
				    "%s: the page table at pfn %#llx: %s",
				    s->sv_what, (unsigned long long)pi->pfn,
				    why);
			}
			memcpy(pages + h.count * PAGE_SIZE, e, PAGE_SIZE);
		}
		if (s->sv_pc.pc_sent != NULL)
			s->sv_pc.pc_sent[idx[i]] = save_page_word(pi);
		words[h.count++] = save_page_word(pi);
	}
	rc = 0;
	if (h.count > 0) {
		iov[0] = (struct iovec){ &h, sizeof(h) };
		iov[1] = (struct iovec){ words, h.count * sizeof(uint64_t) };
		iov[2] = (struct iovec){ pages, h.count * PAGE_SIZE };
		rc = sf_write_record(&s->sv_w, SF_PAGES, iov, 3);
	}
	free(pages);
	if (rc != 0)
		return save_write_failed(s);
	s->sv_saved += h.count;
	return 0;
}
