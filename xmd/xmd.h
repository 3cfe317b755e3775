/*
 * xmd, the management daemon: what its parts share.  xmd.c starts and
 * stops it; node.c and ctl.c reach the node; domains.c keeps the
 * registry and consoles in step with what the node reports; builder.c
 * builds domains; rpc.c and methods.c serve JSON-RPC.
 */
#ifndef XMD_XMD_H
#define XMD_XMD_H

#include <sys/queue.h>

#include <limits.h>

#include <json-c/json.h>
#include <xm/ctl.h>

#include "console.h"
#include "compat.h"
#include "defs.h"
#include "registry.h"
#include "rpc_dispatch.h"

struct event_base;
struct node;
struct ctl;
struct clock_sync;
struct rpc_server;
struct event_sub;
struct saved_dom;
struct audit;
struct stats;
struct xsd;

struct xmd {
	struct event_base	*x_base;
	char			 x_state_dir[PATH_MAX];
	char			 x_rpc_socket[PATH_MAX];	/* the read-write one */
	char			 x_kernel_dir[PATH_MAX];
	struct console_limits	 x_console_lim;	/* console_log_size, _files */
	struct node		*x_node;
	struct ctl		*x_ctl;
	struct registry		 x_reg;
	struct rpc_server	*x_rpc;
	int			 x_ready;	/* the node answered */
	struct defs		 x_defs;	/* persistent definitions */
	/* Its TLS files (absolute; NULL: none): a migration's client too. */
	const char		*x_tls_cert, *x_tls_key, *x_tls_ca;
	TAILQ_HEAD(, event_sub)	 x_subs;	/* events.subscribe */
	struct saved_dom	*x_saved;	/* the last xmd's registry */
	size_t			 x_nsaved;
	char			*x_rs_text;	/* STATE/domains as written */
	size_t			 x_rs_len;
	int			 x_rs_known;	/* x_rs_text is what is there */
	int			 x_refreshing;	/* domains_refresh's LIST sent */
	int			 x_autostarted;
	struct stats		*x_stats;	/* stats.c */
	struct metrics		*x_metrics;	/* metrics.c, or NULL */
	struct xsd		*x_xsd;		/* xsd.c: xenstore */
	struct clock_sync	*x_clock;	/* clock.c */
};

/* domains.c */
struct dom	*domains_add(struct xmd *, const char *name,
		    const uint8_t *uuid);
void		 domains_gone(struct xmd *, struct dom *, const char *why);
void		 domains_clear(struct xmd *, const char *why);
void		 domains_update(struct xmd *, struct dom *,
		    const struct xm_domctl_info *);
void		 domains_reconcile(struct xmd *, const uint8_t *, size_t);
void		 domains_console(struct xmd *, xm_domid_t, const char *,
		    size_t);
void		 domains_event(struct xmd *, const struct xm_domctl_info *);
/* Its record on the wire (common/dom_record.h). */
struct json_object *domains_json(struct xmd *, const struct dom *);
const char	*domains_state_reason(const struct dom *);
/* A page count of hv's without its own frames (XM_DOMAIN_HV_PAGES). */
uint64_t	 domains_guest_pages(uint64_t pages);
/*
 * Ask the node what runs (LIST) and reconcile, unless a refresh is
 * already on its way: the sampler does it on each tick, so that what
 * domain.list and domain.info serve from the registry is never older
 * than one interval, even for a change no DOMAIN_EVENT told of.
 */
void		 domains_refresh(struct xmd *);
/* A state the caller brought about (pause, resume): with its event. */
void		 domains_set_state(struct xmd *, struct dom *,
		    enum dom_state);

/* launch.c: build a domain from a definition's text. */
typedef void	 launch_done_fn(void *arg, struct dom *, int code,
		    const char *msg);
/* 0: done() is called later (dom NULL on failure); -1: code, err. */
int		 launch(struct xmd *, const char *text, size_t len,
		    launch_done_fn *, void *arg, int *code, char *err,
		    size_t errlen);
/*
 * A registry entry (busy, state BUILDING) for def, whose name and UUID
 * must be free: NULL with code and err otherwise.
 */
struct dom	*launch_new_dom(struct xmd *, const struct xm_domain_def *,
		    const struct lifecycle *, int *code, char *err,
		    size_t errlen);
/* Start the persistent domains marked autostart that do not run. */
void		 launch_autostart(struct xmd *);

/* runstate.c: STATE/domains and STATE/run/NAME.xml, for the next xmd. */
void		 runstate_save(struct xmd *);
void		 runstate_put_text(struct xmd *, const struct dom *);
void		 runstate_drop_text(struct xmd *, const char *name);
void		 runstate_load(struct xmd *);
void		 runstate_free(struct xmd *);
/* runstate_free, and forget the text last written (xmd stops). */
void		 runstate_close(struct xmd *);
/* Whether the last xmd ran domain id; then d gets its name and more. */
struct dom	*runstate_adopt(struct xmd *, int id);

/* methods.c */
extern const struct rpc_method xmd_methods[];
void		 methods_peer_closed(void *xmd, struct rpc_peer *);

/* xmd.c: the node answered LIST after HELLO. */
void		 xmd_node_ready(struct xmd *);

#endif
