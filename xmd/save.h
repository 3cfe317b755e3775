/*
 * domain.save: a domain to a save file (xm-save(5)), as Xen's toolstack
 * saves a PV domain.  The guest is asked to suspend through xenstore
 * (control/shutdown = "suspend"; a domain already suspended is taken as
 * it is); once it has, its memory, page tables (as pfns), vCPU contexts,
 * shared_info and the frames of its p2m go to a file written beside the
 * target and renamed over it only when complete and synced; then the
 * domain is destroyed.  On any failure the file is removed and the
 * domain's suspend is cancelled (its suspend call returns 1): it runs
 * on where it stopped.  A migration keeps the domain, suspended and
 * busy, once the file is complete: it destroys it or cancels the
 * suspend itself.
 */
#ifndef XMD_SAVE_H
#define XMD_SAVE_H

struct dom;
struct xmctl_saved;
struct xmd;

#define SAVE_SUSPEND_TIMEOUT_S	60	/* the guest's time to suspend */

/*
 * A live save (a migration's) first sends every page while the domain
 * runs, with log-dirty on, then rounds of the pages written since, until
 * the last round is small enough to send within max_downtime_ms at the
 * rate measured, or max_rounds were made, or the rounds stop shrinking;
 * only then is the guest asked to suspend, and the tail (pages dirtied
 * since, the vCPUs, shared_info) follows.  The file grows meanwhile
 * (xm-save(5), "Live streams"): progress() says after each batch how
 * far, so that a migration sends it on as it comes.
 */
struct save_progress {
	const char	*phase;		/* "precopy", "stop-and-copy" */
	unsigned int	 round;
	uint64_t	 sent;		/* pages, all rounds */
	uint64_t	 remaining;	/* pages of this round */
	uint64_t	 dirty;		/* in the last round's clean */
	uint64_t	 dirty_rate;	/* pages a second */
	uint64_t	 bytes;		/* of the file, so far */
	uint64_t	 mbps;		/* MB/s of pages, this round */
	const char	*rounds_end;	/* why they ended; NULL: they run */
	int		 fd;		/* the file, to read what it holds */
};
typedef void	save_progress_fn(void *arg, const struct save_progress *);

#define SAVE_MAX_ROUNDS		30
#define SAVE_MAX_DOWNTIME_MS	300	/* libvirt's default */

/* Once: code 0 and what was written, or an XMCTL_E_* code and why. */
typedef void	save_done_fn(void *arg, int code, const char *msg,
		    const struct xmctl_saved *);

struct save_req {
	struct dom	*sr_dom;
	const char	*sr_path;	/* absolute */
	unsigned int	 sr_timeout_s;	/* for the suspend */
	int		 sr_keep;	/* keep it suspended (and busy) */
	int		 sr_stream;	/* a migration's stream, read as it is
					   written and then removed: no fsync */
	save_done_fn	*sr_done;
	void		*sr_arg;
	int		 sr_live;	/* pre-copy rounds first */
	unsigned int	 sr_max_rounds;	/* 0: SAVE_MAX_ROUNDS */
	unsigned int	 sr_max_downtime_ms;	/* 0: SAVE_MAX_DOWNTIME_MS */
	uint64_t	 sr_bandwidth;	/* live: bytes a second the rounds
					   read at most; 0: no limit */
	save_progress_fn *sr_progress;	/* may be NULL; sr_arg's */
	/*
	 * live: the stream's bytes written but not gone yet (a migration's
	 * sender): the rounds wait while more than SAVE_AHEAD_MAX are, and
	 * for all of them before the domain is stopped.  May be NULL.
	 */
	uint64_t	(*sr_ahead)(void *arg);
	/*
	 * live: 0 once the target has written into the domain all that
	 * went; else it is asked, and save_stream_went() comes when it
	 * answers.  The domain is stopped only then, so that the target's
	 * backlog is no part of the downtime.  May be NULL.
	 */
	int		(*sr_settled)(void *arg);
};

#define SAVE_AHEAD_MAX	(512u << 10)

/* done() is called once, maybe before this returns. */
void	save_start(struct xmd *, const struct save_req *);
/* Domain d suspended itself: a save waiting for that goes on. */
void	save_domain_suspended(struct xmd *, struct dom *);
/* Domain id shut down or went (why): a save waiting for it fails. */
void	save_domain_ended(struct xmd *, int id, const char *why);
/*
 * A live save of domain id still in its rounds stops (code, why) and
 * fails; the domain runs on.  0, or -1 if none is in its rounds.
 */
int	save_stop_rounds(int id, int code, const char *why);
/* More of domain id's stream went: rounds waiting for that go on. */
void	save_stream_went(int id);
/* Milliseconds of CLOCK_MONOTONIC (precopy.c). */
uint64_t mono_ms(void);
/* Whether a save of domain id is under way. */
int	save_active(int id);

#endif
