/*
 * What the JSON-RPC method files share: methods.c (create, list, info,
 * pause, resume, destroy, console, node.info and the table),
 * methods_persist.c (define, undefine, start, autostart, definition,
 * state, shutdown, reboot, events.subscribe), methods_node.c
 * (node.ping), methods_common.c (finding the domain a call names),
 * methods_sched.c (schedinfo, setSchedParams) and methods_vcpu.c
 * (vcpuinfo, vcpupin), with sched_call.c.
 */
#ifndef XMD_METHODS_H
#define XMD_METHODS_H

#include <json-c/json.h>

#include "rpc_dispatch.h"

struct xmd;
struct dom;
struct def;
struct xm_domain_def;

/* Whether the node is there; else the call is answered. */
int		 methods_node_up(struct xmd *, struct rpc_call *);
/* The domain params names (running or being built), or NULL; answered
 * ("no such domain") when answer is set. */
struct dom	*methods_dom(struct xmd *, struct rpc_call *,
		    struct json_object *params, int answer);
/*
 * params' timeout in seconds, brought into min..3600; dflt when there
 * is none.
 */
unsigned int	 methods_timeout(struct json_object *params, unsigned int min,
		    unsigned int dflt);
/* "warnings" into result: each element of def kept with no effect
 * (dd_warnings), if any. */
void		 methods_add_warnings(struct json_object *result,
		    const struct xm_domain_def *);
/* A call that makes a domain: its answer, the domain (with "warnings")
 * or code and msg. */
void		 methods_answer_dom(struct rpc_call *, int code,
		    const char *msg, const struct dom *);
/* The persistent definition params names, or NULL. */
struct def	*methods_def(struct xmd *, struct json_object *params);
/* params' domain as the caller wrote it. */
const char	*methods_ref(struct json_object *params, char *buf,
		    size_t len);
void		 methods_no_domain(struct rpc_call *,
		    struct json_object *params);
/*
 * A GETINFO reply about domain id, at the end of a change: xmd's view
 * of it updated, the call answered with the domain (null if it went).
 */
void		 methods_answer_info(struct xmd *, struct rpc_call *, int id,
		    int status, const uint8_t *data, size_t len);
/* A domain that is defined and does not run, as domain.info says. */
struct json_object *methods_def_json(const struct def *);
/* domain.info for a domain that does not run: its definition, or
 * "no such domain". */
void		 methods_info_defined(struct xmd *, struct rpc_call *,
		    struct json_object *params);

rpc_handler	 m_domain_define, m_domain_undefine, m_domain_start,
		 m_domain_autostart, m_domain_definition, m_domain_state,
		 m_domain_shutdown, m_domain_reboot, m_events_subscribe,
		 m_node_ping, m_domain_schedinfo, m_domain_set_sched_params,
		 m_domain_vcpuinfo, m_domain_vcpupin, m_domain_console_input;
/* methods_store.c */
rpc_handler	 m_store_read, m_store_write, m_store_rm, m_store_ls,
		 m_store_watch;
void		 methods_store_peer_closed(struct xmd *, struct rpc_peer *);
/* methods_mem.c */
rpc_handler	 m_domain_set_max_memory, m_domain_set_memory;
/* methods_save.c */
rpc_handler	 m_domain_save, m_node_restore;
/* methods_stats.c */
rpc_handler	 m_domain_stats, m_node_stats;
/* domain.stats' result for every running domain. */
struct json_object *methods_stats_all(struct xmd *);

#endif
