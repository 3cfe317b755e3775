/*
 * xenstore for the node's domains (xenstore.h is the store itself): one
 * connection per domain, fed by domain 0's relay of the domain's ring
 * page (STORE_OUTPUT events) and answered through STORE_INPUT requests,
 * queued per domain and sent one at a time.  At a domain's start it
 * writes the paths Xen's toolstack writes (/local/domain/N/..., /vm/UUID)
 * with the same permissions, and introduces the domain; at its end it
 * releases it and removes them.
 *
 * The store lives in xmd, behind domain 0's relay, rather than in
 * domain 0: xmd already knows every domain's definition, and the store
 * is host code with the host's allocator and unit tests.  The cost is a
 * control-channel round trip per request.
 *
 * The store is saved in STATE/xenstore (xs_save.c) ~100 ms after it
 * changed and when xmd stops, so that an xmd that takes over a running
 * node gives the domains back their keys and watches.
 */
#ifndef XMD_XSD_H
#define XMD_XSD_H

#include <stddef.h>
#include <stdint.h>

struct xmd;
struct dom;
struct xs_store;

int		 xsd_init(struct xmd *);
/*
 * Before the domains are adopted: the saved store back if node_kept
 * (the node ran on without xmd), else the saved file is removed.  A
 * file that does not load is logged and left: the store stays empty.
 */
void		 xsd_load(struct xmd *, int node_kept);
/* Now, if it changed since the last save. */
void		 xsd_save(struct xmd *);
void		 xsd_free(struct xmd *);
struct xs_store	*xsd_store(struct xmd *);

/*
 * A domain found running: its connection again, with its keys and
 * watches if the loaded store has them, else as xsd_introduce.
 */
int		 xsd_adopt(struct xmd *, const struct dom *, char *err,
		    size_t errlen);
/*
 * The domain's ring is served from now on: write its paths, introduce
 * it.  store_port and store_mfn: its start_info's.  0, or -1 with the
 * reason in err.
 */
int		 xsd_introduce(struct xmd *, const struct dom *,
		    uint32_t store_port, uint64_t store_mfn, char *err,
		    size_t errlen);
/* The domain is gone: release it, remove its paths. */
void		 xsd_release(struct xmd *, int domid, const uint8_t *uuid);
/*
 * Once the domains found running are adopted after xsd_load: the saved
 * ones that are not (they went while no xmd ran) are released and their
 * paths removed, as xsd_release does.
 */
void		 xsd_forget_vanished(struct xmd *);
/* The node is gone: every connection with it. */
void		 xsd_clear(struct xmd *);
/* What the domain wrote into its request ring. */
void		 xsd_ring_output(struct xmd *, int domid, const void *,
		    size_t);
/* Put a value in the domain's own tree (memory/target ...). */
int		 xsd_write_dom(struct xmd *, int domid, const char *rel,
		    const char *val);
/* Read one there: malloc'd, or NULL with errno set. */
char		*xsd_read_dom(struct xmd *, int domid, const char *rel);

/* xsd.c, for xsd_paths.c: the domain's connection (a new one). */
int		 xsd_connect(struct xmd *, int domid);
int		 xsd_take_loaded(struct xmd *);
void		 xsd_disconnect(struct xmd *, int domid);

#endif
