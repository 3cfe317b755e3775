/*
 * Migration between two xmd (live: pre-copy rounds first, precopy.c;
 * then stop and copy, as without live): the source asks the guest to
 * suspend and saves it into a file of its state directory, keeping it
 * suspended; it connects to the target xmd (xm+unix:///PATH: the
 * target's admin socket; xm+tls://HOST[:PORT]/: its TCP listener, the
 * source's certificate giving the role), sends the file as a raw stream on that
 * connection, the target restores it paused, and on the target's word
 * the source commits: the target unpauses its copy, and only once it
 * says so is the source's destroyed.  Up to the commit any failure
 * cancels the suspend on the source (the domain runs on there) and the
 * target destroys what it made (migrate_in.c).  A commit whose answer
 * is lost is settled by asking the target (migration.status) which
 * copy runs.
 */
#ifndef XMD_MIGRATE_H
#define XMD_MIGRATE_H

#include "rpc.h"

#include <stddef.h>

struct bufferevent;
struct dom;
struct xmd;

#define MIGRATE_BYTES_MAX	(UINT64_C(1) << 40)	/* a save file */
/*
 * A live stream's flow: the target holds a receive back while more than
 * MIGRATE_BEHIND_MAX bytes wait for its writes, and the source asks for
 * at most MIGRATE_CHUNK_MAX at once and runs its rounds no further
 * than MIGRATE_AHEAD_MAX ahead of what went: the rounds go at the pace
 * of both ends, and when the domain stops, about a millisecond's worth
 * is left between them rather than a backlog.
 */
#define MIGRATE_BEHIND_MAX	(256u << 10)
#define MIGRATE_CHUNK_MAX	(256u << 10)
#define MIGRATE_AHEAD_MAX	(512u << 10)

/* The source: domain.migrate {domain, uri, timeout}, domain.abortJob. */
rpc_handler	m_domain_migrate, m_domain_abort_job;
/* The target: migration.prepare, .receive, .finish, .commit, .status. */
rpc_handler	m_migration_prepare, m_migration_receive;
rpc_handler	m_migration_finish, m_migration_commit, m_migration_status;

/*
 * A TLS client connection to HOST:PORT, connecting (migrate_tls.c):
 * NULL, with why in err.
 */
struct bufferevent *migrate_tls_connect(struct xmd *, const char *host,
		    const char *port, char *err, size_t errlen);

/*
 * Records of migrations out under way (migrate_recover.c): written as
 * one starts (phase "sending") and before its commit ("commit"),
 * removed as it ends; migrate_recover() settles those an xmd that was
 * killed left, once the node's domains are known.
 */
void	migrate_record(struct xmd *, const char *dom, const char *uuid,
	    const char *uri, const char *phase);
void	migrate_record_remove(struct xmd *, const char *dom);
void	migrate_recover(struct xmd *);
/*
 * Domain d suspended within the window after migrate_recover() settled
 * its migration before the commit: the suspend that migration asked
 * for came late, and is cancelled.
 */
void	migrate_unsuspend(struct xmd *, struct dom *d);
/*
 * Domain d's migration to uri stopped with its commit sent: ask the
 * target which copy runs, as for a lost commit answer (migrate_out.c).
 * 0 once under way, -1 if it cannot be.
 */
int	migrate_out_settle(struct xmd *, struct dom *d, const char *uri);

/* A connection went: an incoming migration it had is abandoned. */
void	migrate_in_peer_closed(struct xmd *, struct rpc_peer *);

#endif
