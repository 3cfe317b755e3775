/*
 * The store's insides, shared by xs_path.c (names), xs_tree.c (nodes,
 * permissions, quotas), xs_txn.c (transactions), xs_watch.c (watches
 * and their events), xs_conn.c (the wire) and xs_api.c (direct calls).
 */
#ifndef XMD_XS_INT_H
#define XMD_XS_INT_H

#include <stddef.h>
#include <stdint.h>

#include <xm/xs_wire.h>

#include "xenstore.h"

/* A canonical absolute path always fits, with room for a NUL. */
#define XS_PATH_BUF	(XM_XS_ABS_PATH_MAX + 1)

struct xs_node {
	char		 *name;		/* "" for the root */
	struct xs_node	 *parent;
	struct xs_node	**kids;
	size_t		  nkids, kcap;
	char		 *val;		/* NUL-terminated too */
	size_t		  len;
	struct xs_perm	 *perms;	/* [0]: owner and default */
	size_t		  nperms;
	uint64_t	  gen;		/* changes with value, perms, kids */
};

/* Who asks: the rights of a connection. */
struct xs_who {
	uint32_t	domid;
	int		priv;		/* domain 0 and the toolstack */
	int		has_target;	/* XS_SET_TARGET: acts for target */
	uint32_t	target;
};

/* A domain's usage, against struct xs_limits. */
struct xs_dom {
	struct xs_dom	*next;
	uint32_t	 domid;
	unsigned	 nodes, watches, txns;
	size_t		 txn_bytes;	/* held by its transactions' copies */
	int		 introduced;
	/* Loaded from a save (xs_save.c), for its next connection. */
	int		 has_target;
	uint32_t	 target;
	unsigned char	*partial;	/* a request's first bytes */
	size_t		 npartial;
	uint32_t	*lost_txns;	/* transactions it had open */
	size_t		 nlost_txns;
};

struct xs_access {
	char		*path;
	uint64_t	 gen;		/* 0: did not exist */
};

/* A change made in a transaction, replayed on the live tree at commit. */
struct xs_op {
	int		 type;		/* XM_XS_WRITE, MKDIR, RM, SET_PERMS */
	char		*path;
	char		*val;
	size_t		 len;
	struct xs_perm	*perms;
	size_t		 nperms;
};

struct xs_txn {
	struct xs_txn	 *next;
	uint32_t	  id;
	struct xs_conn	 *conn;
	struct xs_node	 *root;		/* the transaction's own copy */
	struct xs_access *acc;		/* what it read or wrote, first seen */
	size_t		  nacc, acap;
	struct xs_op	 *log;
	size_t		  nlog, lcap;
	long		  node_delta;	/* nodes gained by its domain */
	size_t		  bytes;	/* the copy's size when made */
	int		  failed;	/* lost track (ENOMEM): no commit */
	int		  lost;		/* open across a restart: EAGAIN */
};

struct xs_watch {
	struct xs_watch	*next;
	char		*path;		/* absolute, or "@..." */
	char		*token;
	size_t		 strip;		/* prefix cut from events: relative */
	struct xs_conn	*conn;		/* NULL: a local watch */
	uint32_t	 domid;		/* a parked one's (xs_save.c) */
	xs_watch_fn	*fn;
	void		*ctx;
};

struct xs_event {
	struct xs_event	*next;
	struct xs_conn	*conn;
	xs_watch_fn	*fn;
	void		*ctx;
	char		*path;
	char		*token;
};

struct xs_conn {
	struct xs_conn	*next;
	struct xs_store	*st;
	struct xs_who	 who;
	xs_send_fn	*send;
	void		*ctx;
	char		 home[32];	/* /local/domain/N */
	unsigned char	 in[sizeof(struct xm_xs_hdr) + XM_XS_PAYLOAD_MAX + 1];
	size_t		 have;
	int		 broken;
	struct xs_txn	*txns;
};

struct xs_store {
	struct xs_limits lim;
	struct xs_node	*root;
	uint64_t	 gen;		/* last generation handed out */
	uint32_t	 next_txid;
	struct xs_dom	*doms;
	struct xs_conn	*conns;
	struct xs_watch	*watches;
	/* Loaded watches whose domain has no connection yet. */
	struct xs_watch	*parked;
	uint64_t	 changes;	/* of what is saved, beside gen */
	uint64_t	 notified;	/* xs_store_version at the last hook */
	void		(*hook)(void *);
	void		*hook_ctx;
	struct xs_event	*ev_head, **ev_tail;
	int		 delivering;
	struct xs_who	 admin;
};

/* The tree an operation works on: the live one or a transaction's. */
struct xs_view {
	struct xs_store		*st;
	struct xs_node		*root;
	struct xs_txn		*txn;	/* NULL: live, watches fire */
	const struct xs_who	*who;
	int			 quota;	/* 0 while replaying a commit */
};

/* xs_path.c */
int	xs_path_canon(const struct xs_store *, const char *home,
	    const char *in, size_t inlen, char *out, size_t *strip);
int	xs_path_is_below(const char *path, const char *top);
const char *xs_path_parent(const char *path, char *buf);

/* xs_tree.c */
struct xs_node *xs_node_new(struct xs_store *, const char *name,
	    const struct xs_perm *, size_t);
void	xs_node_free(struct xs_node *);
struct xs_node *xs_node_find(struct xs_node *root, const char *path);
int	xs_node_add_kid(struct xs_node *parent, struct xs_node *kid);
struct xs_node *xs_node_clone(const struct xs_node *, struct xs_node *);
size_t	xs_node_bytes(const struct xs_node *);
int	xs_can(const struct xs_who *, const struct xs_node *, int write);
int	xs_can_perms(const struct xs_who *, const struct xs_perm *, size_t,
	    int write);
int	xs_hide_enoent(struct xs_view *, const char *path, int err);
int	xs_tree_get(struct xs_view *, const char *path, int write,
	    struct xs_node **);
int	xs_tree_write(struct xs_view *, const char *path, const void *,
	    size_t);
int	xs_tree_mkdir(struct xs_view *, const char *path);
int	xs_tree_rm(struct xs_view *, const char *path);
/* One of the four changes above by type (XM_XS_WRITE ...). */
int	xs_tree_apply(struct xs_view *, int type, const char *path,
	    const void *val, size_t len, const struct xs_perm *, size_t np);
int	xs_tree_set_perms(struct xs_view *, const char *path,
	    const struct xs_perm *, size_t);
int	xs_perms_parse(const char *buf, size_t len, struct xs_perm **,
	    size_t *);
struct xs_dom *xs_dom_get(struct xs_store *, uint32_t, int create);
void	xs_count_nodes(struct xs_store *);
int	xs_control(struct xs_store *, const char **argv, size_t argc,
	    char **out, size_t *len);
void	xs_view_live(struct xs_view *, struct xs_store *,
	    const struct xs_who *);

/* xs_txn.c */
int	xs_txn_start(struct xs_conn *, uint32_t *id);
struct xs_txn *xs_txn_find(struct xs_conn *, uint32_t id);
int	xs_txn_end(struct xs_conn *, struct xs_txn *, int commit);
void	xs_txn_view(struct xs_view *, struct xs_txn *);
void	xs_txn_note(struct xs_view *, const char *path,
	    const struct xs_node *);
int	xs_txn_log(struct xs_view *, int type, const char *path,
	    const void *val, size_t len, const struct xs_perm *, size_t);
void	xs_txn_drop_all(struct xs_conn *);
void	xs_txn_unpark(struct xs_store *, struct xs_conn *);

/* xs_watch.c */
int	xs_watch_add(struct xs_store *, struct xs_conn *, const char *path,
	    const char *token, size_t strip, xs_watch_fn *, void *);
int	xs_watch_del(struct xs_store *, struct xs_conn *, const char *path,
	    const char *token, xs_watch_fn *, void *);
void	xs_watch_drop_conn(struct xs_store *, struct xs_conn *);
void	xs_watch_fire(struct xs_store *, const char *path,
	    const struct xs_node *, const struct xs_perm *old, size_t nold,
	    int recurse);
void	xs_watch_fire_special(struct xs_store *, const char *name);
void	xs_watch_queue(struct xs_store *, const struct xs_watch *,
	    const char *path);
void	xs_watch_deliver(struct xs_store *);
void	xs_watch_free(struct xs_watch *);
void	xs_watch_unpark(struct xs_store *, struct xs_conn *);
void	xs_watch_drop_parked(struct xs_store *, uint32_t domid);

/* xs_conn.c */
void	xs_conn_send(struct xs_conn *, uint32_t type, uint32_t req_id,
	    uint32_t tx_id, const void *, size_t);

/* xs_ops.c: one wire request, answered through xs_conn_send. */
void	xs_ops_dispatch(struct xs_conn *, const struct xm_xs_hdr *,
	    const char *payload);

#endif /* XMD_XS_INT_H */
