/*
 * The audit log (STATE/audit.log): one line per admin call, done or
 * refused, appended and flushed at once:
 *
 *	2026-11-24T03:41:30Z uid=1000 pid=4242 role=admin
 *	    method=domain.define domain=web1 result=ok
 *
 * (one line); a failure is "result=error code=9 message=\"...\"".  A
 * TCP client is "peer=ADDRESS:PORT" in place of uid and pid.
 */
#ifndef XMD_RPC_AUDIT_H
#define XMD_RPC_AUDIT_H

#include <sys/types.h>

#include "rpc_dispatch.h"

struct rpc_audit;

struct rpc_cred {
	uid_t		 uid;
	pid_t		 pid;
	char		 addr[64];	/* TCP: the peer's address; else "" */
	int		 port;
	enum rpc_role	 role;		/* the socket's, or the one proven */
};

/* "uid U pid P", or "ADDRESS:PORT", in buf. */
const char	*rpc_cred_str(const struct rpc_cred *, char *buf, size_t len);

struct rpc_audit *rpc_audit_open(const char *path);
void		 rpc_audit_close(struct rpc_audit *);
/* Nothing when a is NULL. */
void		 rpc_audit_log(struct rpc_audit *a, const struct rpc_cred *,
		    const char *method, const char *domain, int code,
		    const char *msg);

#endif
