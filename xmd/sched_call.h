/*
 * What the scheduler's JSON-RPC methods share (methods_sched.c:
 * domain.schedinfo, domain.setSchedParams; methods_vcpu.c:
 * domain.vcpuinfo, domain.vcpupin): which domain a call reads or
 * changes, as virsh's --live and --config say; the stored definition
 * changed in place; the node's answers in words; one request to the
 * node about a domain.
 */
#ifndef XMD_SCHED_CALL_H
#define XMD_SCHED_CALL_H

#include <stdint.h>

#include <json-c/json.h>

#include "ctl.h"
#include "domain_def.h"
#include "rpc_dispatch.h"

struct xmd;
struct dom;

/*
 * The call's target.  live: the running (or paused) domain; config: its
 * stored definition, read into sc_def.  Given neither, the running
 * domain if it runs, else the definition.
 */
struct sched_call {
	struct xmd		*sc_x;
	struct rpc_call		*sc_call;
	char			 sc_name[XM_DEF_NAME_MAX + 1];
	int			 sc_id;		/* on the node; -1 */
	unsigned int		 sc_vcpus;	/* the running domain's */
	int			 sc_live;
	int			 sc_config;
	struct xm_domain_def	 sc_def;	/* when sc_config */
	void			*sc_arg;	/* the method's; freed */
};

/*
 * A new target for params, or NULL when the call has been answered (no
 * such domain, not running for live, not persistent for config).
 */
struct sched_call *sched_call_new(struct xmd *, struct rpc_call *,
		    struct json_object *params);
void		 sched_call_free(struct sched_call *);

/* params' integer key: 1 with *v, or 0 when it is not there. */
int		 sched_param_int(struct json_object *params, const char *key,
		    int64_t *v);
/* The node's CPUs, as its HELLO said (0: not known). */
unsigned int	 sched_node_cpus(struct xmd *);

/*
 * Send op with payload about sc's domain; fn gets the reply.  On
 * failure the call is answered and sc freed: -1.
 */
int		 sched_call_send(struct sched_call *, uint16_t op,
		    const void *payload, size_t len, ctl_reply_fn *fn);
/* The node refused or failed what (e.g. "set its scheduler parameters"):
 * answer the call (sc is not freed). */
void		 sched_call_failed(struct sched_call *, int status,
		    const char *what);

/*
 * Change the stored definition: fn(def, arg) on a fresh reading of it,
 * then store it (defs_put).  0, or -1 with the call answered.
 */
int		 sched_call_update_def(struct sched_call *,
		    int (*fn)(struct xm_domain_def *, void *), void *arg);

#endif
