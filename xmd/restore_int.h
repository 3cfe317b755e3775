/*
 * What restore.c and restore_stream.c share: a restore under way.  A
 * file's is read whole first (restore.c); a live migration's stream
 * (restore_stream.c) makes the domain once its head has come, writes
 * the pre-copy pages as they come and, once it is whole, finishes with
 * a file's steps.
 */
#ifndef XMD_RESTORE_INT_H
#define XMD_RESTORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "defs.h"
#include "dom_make.h"
#include "restore.h"
#include "restore_image.h"
#include "save_canon.h"

struct xmd;
struct lifecycle;

#define PAGE_SIZE	RS_PAGE_SIZE
#define NO_MFN		CANON_NO_MFN
#define QUEUED_MFN	(CANON_NO_MFN - 1)	/* a stream's, to populate */
#define WRITE_BATCH	DOM_MAKE_WRITE_BATCH
#define POP_MAX		256		/* pfns a stream queues to populate */
#define STREAM_WINDOW	3		/* a stream's requests under way */
#define IS_TABLE(t)	((t) >= XM_PAGE_L1TAB && (t) <= XM_PAGE_L4TAB)

struct restore {
	struct dom_make		 rs_mk;		/* first: dom_make.h */
	struct xmd		*rs_x;
	restore_done_fn		*rs_done;	/* called once */
	void			*rs_arg;
	int			 rs_paused;	/* no UNPAUSE */
	char			*rs_path;
	char			 rs_what[XM_DEF_NAME_MAX + 16];
	struct rs_image		 rs_img;
	struct rs_pages		 rs_pages;
	struct xm_domain_def	 rs_def;
	uint8_t			*rs_buf;	/* WRITE_BATCH pages */
	uint8_t			 rs_shinfo[PAGE_SIZE];
	/* A live stream (restore_stream_new) */
	int			 rs_live;
	void			(*rs_progress)(void *);	/* rq_progress */
	int			 rs_started;	/* its head came: steps run */
	int			 rs_whole;	/* and END */
	uint64_t		 rs_avail;	/* its bytes come so far */
	uint32_t		 rs_crc;	/* at the end: their crc32 */
	struct rs_stream	 rs_st;		/* its pre-copy pages */
	struct rs_feed		*rs_feed;	/* its records, read as they come */
	struct rs_image		 rs_full;	/* what they say: rs_img at END */
	uint64_t		 rs_distinct;	/* their pfns */
	uint64_t		 rs_pop[POP_MAX];	/* pfns to populate */
	unsigned int		 rs_npop;
	unsigned int		 rs_pop_n;	/* POPULATE under way */
	int			 rs_pop_busy;	/* a POPULATE under way */
	uint16_t		 rs_q[STREAM_WINDOW];	/* ops under way, in order */
	unsigned int		 rs_qh, rs_qn;
	uint64_t		 rs_wpfns[WRITE_BATCH];
	unsigned int		 rs_nw;
	struct rs_last		 rs_last;	/* the finish's last copies */
	uint8_t			*rs_keep;	/* a bit per pfn: write it */
	uint64_t		 rs_superseded;	/* copies not written: later came */
	/* Tables and p2m frames written before the finish, from where. */
	uint64_t		*rs_early_at;	/* per pfn: the copy's offset */
	uint64_t		 rs_early_pfn;	/* the pass's next to look at */
	uint64_t		 rs_early_avail;	/* rs_avail at the last pass */
	int			 rs_early_pass;	/* a pass under way */
	int			 rs_early_tail;	/* the tail's has begun */
	unsigned int		 rs_fin[2];	/* pages the finish wrote: sent
						 * before the tail, in it */
};
/* restore.c, for restore_stream.c. */
void	restore_free(struct restore *);
int	restore_all_zero(const uint8_t *page);
int	restore_patch_page(struct restore *, const struct rs_image *,
	    uint64_t word, uint8_t *page);
/* The definition the head holds, for a domain that may be made. */
int	restore_check_def(struct restore *, struct lifecycle *, int *code,
	    char *err, size_t errlen);
/* What the shared steps (dom_make.h) need, from the head. */
void	restore_make_plan(struct restore *);
/* The steps (a stream's if rs_live): 0, or -1 when done() was called
 * and r is gone. */
int	restore_run(struct restore *);

/* restore_stream.c, a live stream's steps and its finish's pages. */
int	restore_stream_pages_send(void *);
int	restore_stream_pages_reply(void *, const uint8_t *, size_t);
int	restore_stream_whole_send(void *);
/* 1 and the next page the finish writes, 0 at the end, -1 with errno. */
int	restore_stream_last_next(struct restore *, uint64_t *word,
	    uint8_t *page);

#endif
