/*
 * What the domain builder (builder.c) and restore (restore.c) share:
 * the steps over the control channel that make a new domain whatever
 * its memory comes from, a kernel image or a save file.  CREATE,
 * GETINFO, the POPULATE answers, the console and xenstore rings
 * attached, the definition's cputune (weight, cap, pinning), UNPAUSE,
 * and the new domain destroyed when a later step fails.
 *
 * The owner's context begins with a struct dom_make, so that these
 * functions stand in the owner's step table as they are (each takes
 * the owner's context as its void *).  The owner fills in what CREATE
 * and the attach steps need before they run.
 */
#ifndef XMD_DOM_MAKE_H
#define XMD_DOM_MAKE_H

#include <stddef.h>
#include <stdint.h>

#include <xm/ctl.h>

#include "steps.h"

struct dom;
struct xm_domain_def;

#define DOM_MAKE_PAGE_SIZE	4096
/* Whole pages per WRITE_MEM: the header, a segment and 4 KiB each. */
#define DOM_MAKE_WRITE_BATCH	((XM_CTL_MAX_PAYLOAD - \
			    sizeof(struct xm_ctl_mem)) / \
			    (sizeof(struct xm_ctl_mem_seg) + DOM_MAKE_PAGE_SIZE))

/* The domain's xenstore page and port, before it runs: 0 or -1, err. */
typedef int	dom_make_store_fn(void *arg, struct dom *, uint32_t port,
		    uint64_t mfn, char *err, size_t errlen);

struct dom_make {
	struct steps		 m_run;		/* first: see above */
	struct dom		*m_dom;
	const struct xm_domain_def *m_def;	/* its cputune */
	/* CREATE */
	uint32_t		 m_vcpus;
	uint64_t		 m_max_pages;	/* hv's own frames included */
	int			 m_created;
	/* POPULATE: the frames, by pfn; the batch asked for at cursor */
	uint64_t		*m_p2m;
	uint64_t		 m_batch;
	/* GETINFO */
	uint64_t		 m_shared_info_mfn;
	/* the rings: their pfns (when has), the ports the replies name */
	int			 m_has_console;
	uint64_t		 m_console_pfn;
	uint32_t		 m_console_port;
	int			 m_has_store;
	uint64_t		 m_store_pfn;
	uint32_t		 m_store_port;
	dom_make_store_fn	*m_store_fn;
	void			*m_store_arg;
	void			(*m_finish)(void *);	/* dom_make_end's */
};

/* A request that names the domain only (struct xm_ctl_domid). */
int	dom_make_send_domid(struct dom_make *, uint16_t op);
/*
 * WRITE_MEM of n (1 .. DOM_MAKE_WRITE_BATCH) whole pages: pages[i] to
 * the frame of pfns[i].
 */
int	dom_make_write_pages(struct dom_make *, const uint64_t *pfns,
	    uint8_t *const *pages, unsigned int n);

/* Step functions: send(ctx) and reply(ctx, data, len), as steps.h. */
int	dom_make_create_send(void *);
int	dom_make_create_reply(void *, const uint8_t *, size_t);
int	dom_make_getinfo_send(void *);
int	dom_make_getinfo_reply(void *, const uint8_t *, size_t);
/* POPULATE's frames at the cursor; send again (the owner's send ends). */
int	dom_make_populate_reply(void *, const uint8_t *, size_t);
int	dom_make_console_send(void *);
int	dom_make_console_reply(void *, const uint8_t *, size_t);
int	dom_make_store_send(void *);
int	dom_make_store_reply(void *, const uint8_t *, size_t);
/* The definition's cputune: weight and cap, then each vCPU's pinning. */
int	dom_make_sched_send(void *);
int	dom_make_pin_send(void *);
int	dom_make_pin_reply(void *, const uint8_t *, size_t);
int	dom_make_unpause_send(void *);
int	dom_make_no_reply(void *, const uint8_t *, size_t);

/*
 * After the steps: on a failure, the domain (if CREATE made one) is
 * destroyed, then finish(ctx); else finish(ctx) at once.
 */
void	dom_make_end(struct dom_make *, void (*finish)(void *));

#endif
