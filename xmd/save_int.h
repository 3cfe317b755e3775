/*
 * What save.c and precopy.c share: a save under way.  A live save
 * (a migration's, precopy.h) runs rounds while the domain runs before
 * it asks the guest to suspend; then save.c's steps write the tail.
 */
#ifndef XMD_SAVE_INT_H
#define XMD_SAVE_INT_H

#include <sys/queue.h>

#include <stdint.h>
#include <time.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xmctl.h>

#include "defs.h"
#include "pace.h"
#include "save.h"
#include "save_canon.h"
#include "savefile.h"
#include "steps.h"

struct event;
struct xmd;

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE	4096
#define PER_PAGE	(PAGE_SIZE / sizeof(uint64_t))
#define LIST_BATCH	(XM_CTL_POPULATE_MAX - 2)
/* Frame-list pages one READ_MEM brings: 15 * 2^18 pfns, 15 GiB. */
#define FL_MAX		SF_PAGES_MAX
/* READ_MEMs of a stop-and-copy under way at once (steps.h, window). */
#define SAVE_WINDOW	3

/* A live save's rounds (precopy.c). */
struct precopy {
	int			 pc_live;
	int			 pc_active;	/* the rounds run */
	uint64_t		 pc_start_info;	/* its pfn, in the tail */
	uint8_t			*pc_skip;	/* per frame: to the tail */
	int			 pc_stop;	/* an XMCTL_E_*: stop the rounds */
	char			 pc_stop_why[256];
	unsigned int		 pc_max_rounds;
	unsigned int		 pc_max_downtime_ms;
	unsigned int		 pc_round;	/* 0: all pages */
	int			 pc_phase;	/* precopy.c */
	const char		*pc_end_why;	/* why the rounds ended */
	uint8_t			*pc_want;	/* per frame: send it now */
	uint64_t		*pc_sent;	/* per frame: word sent, or ~0 */
	uint64_t		*pc_idx;	/* per pfn: frame, or ~0 */
	uint64_t		 pc_nr_pfns;	/* tracked */
	uint32_t		 pc_frames_gen;	/* GETINFO's, before the rounds */
	int			 pc_map_stale;	/* a pfn moved: sv_map again */
	uint64_t		 pc_info_idx[XM_PAGE_INFO_MAX];	/* PAGE_INFO's */
	unsigned int		 pc_info_n;
	uint64_t		 pc_dirty;	/* in the last CLEAN */
	uint64_t		 pc_left;	/* wanted, not yet sent */
	uint64_t		 pc_pages;	/* sent in all */
	uint64_t		 pc_round_pages;
	uint64_t		 pc_round_t0;	/* mono_ms() */
	uint64_t		 pc_round_skipped; /* written again: next round */
	uint64_t		 pc_prev_left;	/* pc_left after the last round */
	uint8_t			*pc_defer;	/* per frame: skipped this round */
	uint8_t			*pc_redirty;	/* per pfn: PEEK's bits */
	uint64_t		 pc_peek_at;	/* the next PEEK's start_pfn */
	uint64_t		 pc_peek_t;	/* mono_ms() of the last */
	double			 pc_rate;	/* pages a ms, measured */
	struct pace		 pc_pace;	/* the migration's bandwidth */
	struct event		*pc_pace_ev;	/* the wait for it */
	uint64_t		(*pc_ahead)(void *);	/* sr_ahead */
	int			(*pc_settled)(void *);	/* sr_settled */
	int			 pc_ahead_wait;	/* for save_stream_went */
	save_progress_fn	*pc_progress;
	void			*pc_arg;
	struct xm_ctl_log_dirty	 pc_req;
	uint8_t			 pc_bits[XM_LOG_DIRTY_BATCH / 8];
};

struct save {
	TAILQ_ENTRY(save)	 sv_entry;
	struct xmd		*sv_x;
	save_done_fn		*sv_done;	/* called once */
	void			*sv_arg;
	int			 sv_keep;	/* no DESTROY at the end */
	int			 sv_stream;	/* sr_stream: no fsync */
	struct steps		 sv_run;
	int			 sv_id;
	char			 sv_name[XM_DEF_NAME_MAX + 1];
	char			 sv_what[XM_DEF_NAME_MAX + 16];
	char			*sv_path;
	char			*sv_tmp;	/* written, then renamed */
	int			 sv_fd;
	struct sf_writer	 sv_w;
	struct event		*sv_timer;	/* the wait for the suspend */
	unsigned int		 sv_timeout_s;
	int			 sv_suspended;	/* cancel it on failure */
	int			 sv_destroyed;
	struct xm_domctl_info	 sv_info;
	uint64_t		*sv_mfns;	/* its frames, PAGE_LIST's order */
	struct xm_page_info	*sv_pinfo;	/* PAGE_INFO of each */
	uint64_t		 sv_nr;
	struct canon_map	 sv_map;
	uint64_t		 sv_saved;	/* pages in the file */
	uint64_t		 sv_batch[SF_PAGES_MAX];	/* indexes */
	unsigned int		 sv_batch_n;
	/* The stop-and-copy's READ_MEMs under way, oldest at sv_ring_head. */
	uint64_t		 sv_ring[SAVE_WINDOW][SF_PAGES_MAX];
	unsigned int		 sv_ring_n[SAVE_WINDOW];
	unsigned int		 sv_ring_head, sv_ring_count;
	uint8_t			 sv_shinfo[PAGE_SIZE];
	uint64_t		 sv_fl[PER_PAGE];	/* frame-list frames */
	uint64_t		 sv_nfl;
	uint64_t		*sv_p2m;	/* the p2m's frames, as pfns */
	uint64_t		 sv_np2m;
	struct xm_vcpu_guest_context *sv_ctx;
	struct precopy		 sv_pc;
};


/* save.c, for precopy.c. */
int	save_send_domid(struct save *, uint16_t op);
int	save_write_failed(struct save *);
int	save_no_memory(struct save *);
int	save_write_record(struct save *, uint32_t type, const void *,
	    size_t, const void *, size_t);
int	save_read_frames(struct save *, const uint64_t *mfns, unsigned int n);
int	save_saved(const struct save *, uint64_t i);
int	save_map_make(struct save *);
/* Frames idx[] of a READ_MEM reply as a PAGES record: 0 or -1. */
int	save_write_pages(struct save *, const uint64_t *idx, unsigned int n,
	    const uint8_t *data, size_t len, uint8_t *skip);
void	save_ask_suspend(struct save *);
uint64_t save_page_word(const struct xm_page_info *);
int	save_getinfo_send(void *);
int	save_getinfo_reply(void *, const uint8_t *, size_t);
int	save_list_send(void *);
int	save_list_reply(void *, const uint8_t *, size_t);
int	save_info_send(void *);
int	save_info_reply(void *, const uint8_t *, size_t);
void	save_fail_free(struct save *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* precopy.c */
extern const struct step precopy_steps[];
extern const size_t precopy_nsteps;
/* 0, or -1 after s was failed and freed. */
int	precopy_init(struct save *, const struct save_req *);
void	precopy_free(struct precopy *);
/* The rounds' end: the guest is asked to suspend, or s fails. */
void	precopy_end(void *s);
/*
 * The tail, in its order: GETINFO (the frames are those of the rounds),
 * the last CLEAN, PAGE_INFO of the dirty frames only (hv marks a frame
 * whose type, pin or pfn changes), then, once the head is written, the
 * frames to send: dirty, changed since they went, start_info.
 */
int	precopy_tail_getinfo_reply(void *, const uint8_t *, size_t);
int	precopy_tail_send(void *);
int	precopy_tail_reply(void *, const uint8_t *, size_t);
int	precopy_tail_info_send(void *);
int	precopy_tail_info_reply(void *, const uint8_t *, size_t);
int	precopy_tail_pick(void *);
int	precopy_off_send(void *);
int	precopy_off_reply(void *, const uint8_t *, size_t);
/* On failure: LOG_DIRTY DISABLE, its answer not awaited. */
void	precopy_off(struct save *);
void	precopy_progress(struct save *, const char *phase);

#endif
