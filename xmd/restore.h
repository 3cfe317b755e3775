/*
 * node.restore: a domain made again from a save file (xm-save(5)), as
 * Xen's toolstack restores a PV domain.  The file is read and checked
 * whole first (restore_image.h); then a new domain gets fresh frames for
 * the saved pfns, the pages are written with page tables rebuilt from
 * pfns to the new frames and the guest's p2m rewritten, start_info gets
 * the new shared_info, store and console frames and ports, the saved
 * pins are made again, the vCPUs get their contexts (vCPU 0's suspend
 * call returns 0) and the domain runs (or, for a migration, waits
 * paused).  Any failure destroys what was made; the file is never
 * changed.
 */
#ifndef XMD_RESTORE_H
#define XMD_RESTORE_H

struct dom;
struct xmd;

/* Once: code 0 and the domain, or an XMCTL_E_* code and why. */
typedef void	restore_done_fn(void *arg, int code, const char *msg,
		    struct dom *);

struct restore_req {
	const char	*rq_path;	/* absolute */
	int		 rq_paused;	/* leave it paused (and busy) */
	restore_done_fn	*rq_done;
	void		*rq_arg;
	/* A stream's: its pages written up to a further offset (or NULL). */
	void		(*rq_progress)(void *arg);
};

/* done() is called once, maybe before this returns. */
void	restore_start(struct xmd *, const struct restore_req *);

/*
 * A live migration's stream (xm-save(5), "Live streams") as it comes
 * into the file rq_path: nothing is made until its head (DEFINITION,
 * DOMAIN) has come; then the domain is made, paused, and the pre-copy
 * pages are written into it as they come; once the stream is whole it
 * is checked as a file and the rest restored as restore_start would.
 * done() is called once, with the domain only after restore_stream_end;
 * from then on the restore is gone.
 *
 * restore_stream_new: NULL with errno (the file cannot be opened, or
 * out of memory); done() is not called then.
 */
struct restore;

struct restore	*restore_stream_new(struct xmd *, const struct restore_req *);
/* The stream's first avail bytes have come (done() may be called). */
void	restore_stream_more(struct restore *, uint64_t avail);
/* Of those, the bytes its pages were written from: the rest is behind. */
uint64_t restore_stream_used(const struct restore *);
/* Whether all that came is written into the domain, early writes too. */
int	restore_stream_settled(struct restore *);
/*
 * All of them, END last: finish (done() is called, maybe now).  crc is
 * zlib's crc32 of the avail bytes but the last SF_END_LEN (the END
 * record, whose checksum covers the rest), summed as they came, so
 * that the file need not be read again for its checksum.
 */
void	restore_stream_end(struct restore *, uint64_t avail, uint32_t crc);
/* Give up (the source went, the file cannot be written): done(code,
 * msg), now or once the request under way is answered; what was made
 * is destroyed. */
void	restore_stream_abort(struct restore *, int code, const char *msg);

#endif
