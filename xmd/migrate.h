/*
 * Migration between two xmd, stop and copy (issue 13's first step; the
 * live pre-copy rounds are to come): the source asks the guest to
 * suspend and saves it into a file of its state directory, keeping it
 * suspended; it connects to the target xmd (xm+unix:///PATH: the
 * target's admin socket; xm+tls://HOST[:PORT]/: its TCP listener, the
 * source's certificate giving the role), sends the file as a raw stream on that
 * connection, the target restores it paused, and on the target's word
 * the source commits: the target unpauses its copy, and only once it
 * says so is the source's destroyed.  Up to the commit any failure
 * cancels the suspend on the source (the domain runs on there) and the
 * target destroys what it made (migrate_in.c).
 */
#ifndef XMD_MIGRATE_H
#define XMD_MIGRATE_H

#include "rpc.h"

#include <stddef.h>

struct bufferevent;
struct xmd;

#define MIGRATE_BYTES_MAX	(UINT64_C(1) << 40)	/* a save file */

/* The source: domain.migrate {domain, uri, timeout}, domain.abortJob. */
rpc_handler	m_domain_migrate, m_domain_abort_job;
/* The target: migration.prepare, .receive, .finish and .commit. */
rpc_handler	m_migration_prepare, m_migration_receive;
rpc_handler	m_migration_finish, m_migration_commit;

/*
 * A TLS client connection to HOST:PORT, connecting (migrate_tls.c):
 * NULL, with why in err.
 */
struct bufferevent *migrate_tls_connect(struct xmd *, const char *host,
		    const char *port, char *err, size_t errlen);

/* A connection went: an incoming migration it had is abandoned. */
void	migrate_in_peer_closed(struct xmd *, struct rpc_peer *);

#endif
