/*
 * xenstore, as Xen's xenstored keeps it: a tree of nodes, each with a
 * value and a permission list, shared by the domains of a node and the
 * toolstack.  This module is the store and its protocol only, with no
 * I/O: the transport hands it the bytes a domain wrote into its request
 * ring and queues what it sends back.
 *
 * Domain 0 and the direct calls below are privileged; every other
 * domain is bound by the nodes' permissions and by the quotas of
 * struct xs_limits.  Errors are positive errno values (EACCES, ...).
 */
#ifndef XMD_XENSTORE_H
#define XMD_XENSTORE_H

#include <stddef.h>
#include <stdint.h>

struct xs_store;
struct xs_conn;

/* Per unprivileged domain; 0 takes Xen's default. */
struct xs_limits {
	unsigned	nodes_per_domain;	/* 1000: nodes it owns */
	unsigned	watches_per_domain;	/* 128 */
	unsigned	txns_per_domain;	/* 10: open at once */
	unsigned	entry_size;		/* 2048: bytes of a value */
	unsigned	perms_per_node;		/* 5: entries of a list */
	unsigned	path_max;		/* 3072: absolute path */
	/*
	 * 16 MiB: bytes of the tree copies a domain's open transactions
	 * hold (each starts with a copy of the store), so that its
	 * transactions cost memory in proportion to the store, not more.
	 */
	unsigned	txn_bytes;
};

struct xs_store *xs_store_new(const struct xs_limits *);
void	xs_store_free(struct xs_store *);

/* Whole framed messages toward the domain: replies and watch events. */
typedef void xs_send_fn(void *ctx, const void *msg, size_t len);

struct xs_conn *xs_conn_new(struct xs_store *, uint32_t domid,
	    xs_send_fn *, void *);
void	xs_conn_free(struct xs_conn *);
/*
 * Bytes from the request ring, in any split.  0, or -1 when the
 * stream is unusable (a header announcing more than XM_XS_PAYLOAD_MAX):
 * the caller drops the connection, as xenstored ignores such a domain.
 * Answers and watch events go out through send before it returns; the
 * store keeps no queue, so bounding what waits for a slow ring is the
 * transport's part.
 */
int	xs_conn_input(struct xs_conn *, const void *, size_t);

/* The toolstack's calls, with domain 0's rights. */
int	xs_read(struct xs_store *, const char *path, char **val,
	    size_t *len);
int	xs_write(struct xs_store *, const char *path, const void *val,
	    size_t len);
int	xs_mkdir(struct xs_store *, const char *path);
int	xs_rm(struct xs_store *, const char *path);
/* *names is one allocation, NULL-terminated: free(*names) frees all. */
int	xs_directory(struct xs_store *, const char *path, char ***names,
	    size_t *n);

#define XS_PERM_NONE	'n'
#define XS_PERM_READ	'r'
#define XS_PERM_WRITE	'w'
#define XS_PERM_BOTH	'b'
struct xs_perm {
	uint32_t	domid;
	char		perm;		/* XS_PERM_* */
};
/* The first entry is the owner and the rights of everyone not listed. */
int	xs_set_perms(struct xs_store *, const char *path,
	    const struct xs_perm *, size_t n);
int	xs_get_perms(struct xs_store *, const char *path,
	    struct xs_perm **, size_t *n);

/*
 * Introduce fires @introduceDomain.  Release (ENOENT if the domain was
 * not introduced) drops the watches and transactions of its
 * connections and fires @releaseDomain; the nodes it owns stay until
 * the toolstack removes them, and count against it until then.
 */
int	xs_introduce(struct xs_store *, uint32_t domid);
int	xs_release(struct xs_store *, uint32_t domid);
int	xs_is_introduced(struct xs_store *, uint32_t domid);
/* The introduced domains' ids, in *ids (malloc'd): 0 or ENOMEM. */
int	xs_introduced(struct xs_store *, uint32_t **ids, size_t *n);

/*
 * Local watches, for xmd itself and `xmctl store watch`: fn is called
 * once at once (as xenstored fires a new watch), then for every change
 * at or below path, after the change is complete.  fn may call the
 * store, but must not free the connection whose input caused the event
 * (defer that to the event loop).
 */
typedef void xs_watch_fn(void *ctx, const char *path, const char *token);
int	xs_watch_local(struct xs_store *, const char *path,
	    const char *token, xs_watch_fn *, void *);
int	xs_unwatch_local(struct xs_store *, const char *path,
	    const char *token, xs_watch_fn *, void *);

/*
 * Saving the store, for an xmd that restarts over a running node: the
 * nodes (values, permissions, generations), the domains introduced and
 * the targets they were given, every domain connection's watches and
 * the part of a request it had begun to send; open transactions and
 * local watches are not saved.  xs_save gives a
 * malloc'd text (format in xs_save.c).  xs_load makes a new store from
 * one, or returns NULL with a reason in err (a bad file: nothing of it
 * is kept).  A loaded domain's watches wait for its next connection
 * (xs_conn_new), which takes them without firing them.
 */
int	xs_save(struct xs_store *, char **text, size_t *len);
struct xs_store *xs_load(const struct xs_limits *, const char *text,
	    size_t len, char *err, size_t errlen);
/* Grows whenever what xs_save would write changes. */
uint64_t xs_store_version(const struct xs_store *);
/* fn(ctx) after an operation that changed the version. */
void	xs_store_set_hook(struct xs_store *, void (*fn)(void *), void *ctx);

/* The nodes a domain owns now (quota accounting). */
unsigned xs_domain_nodes(struct xs_store *, uint32_t domid);

#endif /* XMD_XENSTORE_H */
