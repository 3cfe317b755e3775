/*
 * The JSON-RPC methods: one table row each (name, handler, role,
 * parameters), one handler each.  Errors name the object:
 * "domain 'web1': no such domain".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xm/version.h>
#include <xmctl.h>

#include "builder.h"
#include "console.h"
#include "ctl.h"
#include "dom_record.h"
#include "domain_def.h"
#include "node.h"
#include "events.h"
#include "methods.h"
#include "migrate.h"
#include "rpc.h"
#include "rpc_dispatch.h"
#include "suspend.h"
#include "xmd.h"

/* A call waiting for the node, about the domain with this id. */
struct op {
	struct xmd	*o_x;
	struct rpc_call	*o_call;
	int		 o_id;
	char		 o_name[XM_DEF_NAME_MAX + 1];
	const char	*o_verb;	/* "pause" ... */
};

static int
code_of(int status)
{
	if (status == CTL_E_TIMEOUT)
		return XMCTL_E_TIMEOUT;
	if (status == -XM_ENOMEM)
		return XMCTL_E_NO_MEMORY;
	if (status == -XM_ESRCH)
		return XMCTL_E_NO_DOMAIN;
	return XMCTL_E_NODE;
}

static struct op *
op_new(struct xmd *x, struct rpc_call *call, const struct dom *d,
    const char *verb)
{
	struct op *o = calloc(1, sizeof(*o));

	if (o == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return NULL;
	}
	o->o_x = x;
	o->o_call = call;
	o->o_id = d->d_id;
	o->o_verb = verb;
	snprintf(o->o_name, sizeof(o->o_name), "%s", d->d_name);
	return o;
}

/* Send op about o's domain; on failure the call is answered. */
static void
op_send(struct op *o, uint16_t op, ctl_reply_fn *fn)
{
	struct xm_ctl_domid id = { (xm_domid_t)o->o_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };

	if (ctl_request(o->o_x->x_ctl, op, &iov, 1, 0, fn, o) != 0) {
		rpc_error(o->o_call, XMCTL_E_NODE,
		    "domain '%s': cannot reach the node", o->o_name);
		free(o);
	}
}

/* The node refused or failed: answer, and forget a vanished domain. */
static void
op_failed(struct op *o, int status)
{
	struct dom *d = registry_by_id(&o->o_x->x_reg, o->o_id);

	if (status == -XM_ESRCH && d != NULL)
		domains_gone(o->o_x, d, "no longer on the node");
	if (status == -XM_ESRCH)
		rpc_error(o->o_call, XMCTL_E_NO_DOMAIN,
		    "domain '%s': no such domain", o->o_name);
	else
		rpc_error(o->o_call, code_of(status), "domain '%s': cannot %s: %s",
		    o->o_name, o->o_verb, ctl_strerror(status));
}

/* Whether d may be paused, resumed or destroyed now; else answered. */
static int
dom_ready(struct rpc_call *call, const struct dom *d, const char *verb)
{
	if (d->d_busy)
		rpc_error(call, XMCTL_E_STATE, "domain '%s': being built",
		    d->d_name);
	else if (d->d_privileged)
		rpc_error(call, XMCTL_E_STATE, "domain '%s': domain 0 cannot be %s",
		    d->d_name, verb);
	else if (d->d_state == DOM_DYING)
		rpc_error(call, XMCTL_E_STATE, "domain '%s': being destroyed",
		    d->d_name);
	else
		return 1;
	return 0;
}

/*
 * domain.create {definition}
 */
static void
create_done(void *arg, struct dom *d, int code, const char *msg)
{
	methods_answer_dom(arg, code, msg, d);
}

static void
m_domain_create(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct json_object *v;
	char err[1024];
	int code;

	if (!methods_node_up(x, call))
		return;
	json_object_object_get_ex(params, "definition", &v);
	if (launch(x, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), create_done, call, &code,
	    err, sizeof(err)) != 0)
		rpc_error(call, code, "%s", err);
}

/*
 * domain.list {all}: what runs; with all, the persistent domains that
 * do not run too (state "shut off").  Like domain.info, served from
 * xmd's state, which node events and the sampler's refresh keep
 * current (domains.h): a read asks the node nothing and writes nothing.
 */
static struct json_object *
list_json(struct xmd *x, int all)
{
	struct json_object *a = json_object_new_array();
	struct dom *d;
	struct def *df;

	TAILQ_FOREACH(d, &x->x_reg.r_doms, d_entry)
		json_object_array_add(a, domains_json(x, d));
	if (!all)
		return a;
	TAILQ_FOREACH(df, &x->x_defs.ds_list, df_entry)
		if (registry_by_name(&x->x_reg, df->df_name) == NULL)
			json_object_array_add(a, methods_def_json(df));
	return a;
}

static void
m_domain_list(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct json_object *v;
	int all;

	all = json_object_object_get_ex(params, "all", &v) &&
	    json_object_get_boolean(v);
	rpc_result(call, list_json(ctx, all));
}

/*
 * domain.info {domain}
 */
static void
m_domain_info(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct dom *d;

	if ((d = methods_dom(x, call, params, 0)) == NULL)
		methods_info_defined(x, call, params);
	else
		rpc_result(call, domains_json(x, d));
}

/*
 * domain.pause, domain.resume, domain.destroy {domain}
 *
 * A pause or resume is answered with the domain's info read after the
 * change: the cache may hold figures from a LIST answered just before it
 * (CPU time still growing), and a caller reading dominfo next must see
 * the paused domain's final ones.
 */
static void
state_info_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct op *o = arg;

	methods_answer_info(o->o_x, o->o_call, o->o_id, status, data, len);
	free(o);
}

static void
state_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct op *o = arg;
	struct dom *d = registry_by_id(&o->o_x->x_reg, o->o_id);

	(void)data, (void)len;
	if (status != 0)
		op_failed(o, status);
	else if (d == NULL)
		rpc_result(o->o_call, NULL);
	else if (strcmp(o->o_verb, "destroy") == 0) {
		domains_gone(o->o_x, d, "destroyed");
		rpc_result(o->o_call, NULL);
	} else {
		domains_set_state(o->o_x, d, strcmp(o->o_verb, "pause") == 0 ?
		    DOM_PAUSED : DOM_RUNNING);
		op_send(o, XM_CTL_OP_GETINFO, state_info_reply);
		return;
	}
	free(o);
}

static void
state_change(struct rpc_call *call, struct json_object *params,
    struct xmd *x, const char *verb, const char *done, uint16_t op)
{
	struct dom *d;
	struct op *o;

	if ((d = methods_dom(x, call, params, 1)) == NULL || !methods_node_up(x, call) ||
	    !dom_ready(call, d, done))
		return;
	if (op == XM_CTL_OP_PAUSE && d->d_state == DOM_PAUSED)
		rpc_error(call, XMCTL_E_STATE, "domain '%s': already paused",
		    d->d_name);
	else if (op == XM_CTL_OP_UNPAUSE && d->d_state != DOM_PAUSED)
		rpc_error(call, XMCTL_E_STATE, "domain '%s': not paused",
		    d->d_name);
	else if (op != XM_CTL_OP_DESTROY && d->d_state != DOM_RUNNING &&
	    d->d_state != DOM_PAUSED)
		rpc_error(call, XMCTL_E_STATE, "domain '%s': not running",
		    d->d_name);
	else if ((o = op_new(x, call, d, verb)) != NULL)
		op_send(o, op, state_reply);
}

static void
m_domain_pause(struct rpc_call *call, struct json_object *params, void *ctx)
{
	state_change(call, params, ctx, "pause", "paused", XM_CTL_OP_PAUSE);
}

/* A paused domain is unpaused; one that suspended itself runs on. */
static void
m_domain_resume(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct dom *d = methods_dom(ctx, call, params, 0);

	if (d != NULL && d->d_state == DOM_SUSPENDED && !d->d_busy) {
		if (methods_node_up(ctx, call))
			suspend_cancel_start(ctx, call, d);
		return;
	}
	state_change(call, params, ctx, "resume", "resumed",
	    XM_CTL_OP_UNPAUSE);
}

static void
m_domain_destroy(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	state_change(call, params, ctx, "destroy", "destroyed",
	    XM_CTL_OP_DESTROY);
}

/*
 * domain.console {domain, follow}: the kept output; with follow, the
 * rest as domain.console.output notifications until the domain goes
 * (domain.console.closed) or the client does.
 */
static void
sink_output(void *arg, const char *dom, const char *data, size_t len)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "domain", json_object_new_string(dom));
	json_object_object_add(p, "data", rpc_json_bytes(data, len));
	rpc_notify(arg, "domain.console.output", p);
}

static void
sink_closed(void *arg, const char *dom, const char *why)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "domain", json_object_new_string(dom));
	json_object_object_add(p, "reason", json_object_new_string(why));
	rpc_notify(arg, "domain.console.closed", p);
}

static const struct console_sink rpc_sink = { sink_output, sink_closed };

static void
m_domain_console(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct json_object *v, *r;
	struct xmd *x = ctx;
	struct dom *d;
	size_t len;
	char *buf;

	if ((d = methods_dom(x, call, params, 1)) == NULL)
		return;
	if (d->d_privileged) {
		rpc_error(call, XMCTL_E_STATE, "domain '%s': its console is the node's serial log, %s/node.log",
		    d->d_name, x->x_state_dir);
		return;
	}
	if ((buf = malloc(CONSOLE_KEEP)) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	len = console_kept(d->d_console, buf);
	r = json_object_new_object();
	json_object_object_add(r, "domain", json_object_new_string(d->d_name));
	json_object_object_add(r, "data", rpc_json_bytes(buf, len));
	free(buf);
	if (json_object_object_get_ex(params, "follow", &v) &&
	    json_object_get_boolean(v) && rpc_call_peer(call) != NULL &&
	    console_follow(d->d_console, &rpc_sink, rpc_call_peer(call)) != 0) {
		json_object_put(r);
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	rpc_result(call, r);
}

void
methods_peer_closed(void *ctx, struct rpc_peer *peer)
{
	struct xmd *x = ctx;
	struct dom *d;

	TAILQ_FOREACH(d, &x->x_reg.r_doms, d_entry)
		console_unfollow(d->d_console, peer);
	events_unsubscribe(x, peer);
	methods_store_peer_closed(x, peer);
	migrate_in_peer_closed(x, peer);
}

/*
 * node.info {}
 */
static void
physinfo_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct op *o = arg;
	const struct xm_ctl_hello_reply *h = ctl_hello(o->o_x->x_ctl);
	struct xm_domctl_physinfo pi;
	struct xmctl_node_info ni;
	struct json_object *r;

	(void)len;
	if (status != 0 || h == NULL) {
		rpc_error(o->o_call, code_of(status), "node: cannot get its information: %s",
		    ctl_strerror(status));
		free(o);
		return;
	}
	memcpy(&pi, data, sizeof(pi));
	pi.hv_extraversion[sizeof(pi.hv_extraversion) - 1] = '\0';
	memset(&ni, 0, sizeof(ni));
	snprintf(ni.hv_version, sizeof(ni.hv_version), "%u.%u%s",
	    pi.hv_version >> 16, pi.hv_version & 0xffff, pi.hv_extraversion);
	snprintf(ni.dom0_version, sizeof(ni.dom0_version), "%s",
	    h->dom0_version);
	ni.protocol = h->version;
	ni.nr_cpus = pi.nr_cpus;
	ni.total_kib = pi.total_pages * 4;
	ni.free_kib = pi.free_pages * 4;
	ni.nr_domains = pi.nr_domains;
	snprintf(ni.node, sizeof(ni.node), "%s",
	    node_describe(o->o_x->x_node));
	r = dr_write(&dr_node_info, &ni);
	rpc_result(o->o_call, r);
	free(o);
}

static void
m_node_info(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct op *o;

	(void)params;
	if (!methods_node_up(x, call))
		return;
	if ((o = calloc(1, sizeof(*o))) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	o->o_x = x;
	o->o_call = call;
	if (ctl_request(x->x_ctl, XM_CTL_OP_PHYSINFO, NULL, 0, 0,
	    physinfo_reply, o) != 0) {
		rpc_error(call, XMCTL_E_NODE, "node: cannot reach it");
		free(o);
	}
}

static const struct rpc_param p_none[] = {
	{ NULL, 0, 0 },
};

/* xmd.version: this xmd's, whether or not its node is up. */
static void
m_xmd_version(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct json_object *r = json_object_new_object();

	(void)params, (void)ctx;
	json_object_object_add(r, "version",
	    json_object_new_string(PACKAGE_VERSION));
	rpc_result(call, r);
}

static const struct rpc_param p_create[] = {
	{ "definition",	RPC_P_STRING,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_domain[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_shutdown[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "timeout",	RPC_P_INT,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_list[] = {
	{ "all",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_console[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "follow",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_console_input[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "data",	RPC_P_STRING,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_autostart[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "enable",	RPC_P_BOOL,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_definition[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "format",	RPC_P_STRING,	0 },
	{ "inactive",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_ping[] = {
	{ "count",	RPC_P_INT,	0 },
	{ "size",	RPC_P_INT,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_affect[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "live",	RPC_P_BOOL,	0 },
	{ "config",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_sched[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "weight",	RPC_P_INT,	0 },
	{ "cap",	RPC_P_INT,	0 },
	{ "live",	RPC_P_BOOL,	0 },
	{ "config",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_vcpupin[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "vcpu",	RPC_P_INT,	0 },
	{ "cpulist",	RPC_P_STRING,	0 },
	{ "live",	RPC_P_BOOL,	0 },
	{ "config",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_subscribe[] = {
	{ "stats",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_stats[] = {
	{ "domain",	RPC_P_DOMAIN,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_path[] = {
	{ "path",	RPC_P_STRING,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_path_opt[] = {
	{ "path",	RPC_P_STRING,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_store_write[] = {
	{ "path",	RPC_P_STRING,	1 },
	{ "value",	RPC_P_STRING,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_memory[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "kib",	RPC_P_INT,	1 },
	{ "live",	RPC_P_BOOL,	0 },
	{ "config",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_save[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "path",	RPC_P_STRING,	1 },
	{ "timeout",	RPC_P_INT,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_migrate[] = {
	{ "domain",	RPC_P_DOMAIN,	1 },
	{ "uri",	RPC_P_STRING,	1 },
	{ "timeout",	RPC_P_INT,	0 },
	{ "live",	RPC_P_BOOL,	0 },
	{ "max_rounds",	RPC_P_INT,	0 },
	{ "max_downtime_ms", RPC_P_INT,	0 },
	{ "bandwidth",	RPC_P_INT,	0 },
	{ "persistent",	RPC_P_BOOL,	0 },
	{ "undefine_source", RPC_P_BOOL, 0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_mig_prepare[] = {
	{ "name",	RPC_P_STRING,	1 },
	{ "uuid",	RPC_P_STRING,	1 },
	{ "live",	RPC_P_BOOL,	0 },
	{ "persistent",	RPC_P_BOOL,	0 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_mig_status[] = {
	{ "uuid",	RPC_P_STRING,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_mig_receive[] = {
	{ "bytes",	RPC_P_INT,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_restore[] = {
	{ "path",	RPC_P_STRING,	1 },
	{ NULL, 0, 0 },
};

static const struct rpc_param p_token[] = {
	{ "token",	RPC_P_STRING,	1 },
	{ NULL, 0, 0 },
};

const struct rpc_method xmd_methods[] = {
	/* a TCP connection without a client certificate, first (rpc.c) */
	{ "auth.token",		rpc_auth_token,	    RPC_ROLE_NONE,  p_token },
	/* inspection */
	{ "domain.list",	m_domain_list,	    RPC_ROLE_READ,  p_list },
	{ "domain.info",	m_domain_info,	    RPC_ROLE_READ,  p_domain },
	{ "domain.state",	m_domain_state,	    RPC_ROLE_READ,  p_domain },
	{ "domain.definition",	m_domain_definition, RPC_ROLE_READ,
	    p_definition },
	{ "domain.console",	m_domain_console,   RPC_ROLE_READ,  p_console },
	{ "node.info",		m_node_info,	    RPC_ROLE_READ,  p_none },
	{ "xmd.version",	m_xmd_version,	    RPC_ROLE_READ,  p_none },
	{ "node.ping",		m_node_ping,	    RPC_ROLE_READ,  p_ping },
	{ "events.subscribe",	m_events_subscribe, RPC_ROLE_READ,
	    p_subscribe },
	{ "domain.schedinfo",	m_domain_schedinfo, RPC_ROLE_READ,  p_affect },
	{ "domain.vcpuinfo",	m_domain_vcpuinfo,  RPC_ROLE_READ,  p_domain },
	{ "domain.stats",	m_domain_stats,	    RPC_ROLE_READ,  p_stats },
	{ "node.stats",		m_node_stats,	    RPC_ROLE_READ,  p_none },
	/* lifecycle */
	{ "domain.define",	m_domain_define,    RPC_ROLE_ADMIN, p_create },
	{ "domain.undefine",	m_domain_undefine,  RPC_ROLE_ADMIN, p_domain },
	{ "domain.create",	m_domain_create,    RPC_ROLE_ADMIN, p_create },
	{ "domain.start",	m_domain_start,	    RPC_ROLE_ADMIN, p_domain },
	{ "domain.shutdown",	m_domain_shutdown,  RPC_ROLE_ADMIN, p_shutdown },
	{ "domain.reboot",	m_domain_reboot,    RPC_ROLE_ADMIN, p_shutdown },
	{ "domain.destroy",	m_domain_destroy,   RPC_ROLE_ADMIN, p_domain },
	{ "domain.pause",	m_domain_pause,	    RPC_ROLE_ADMIN, p_domain },
	{ "domain.resume",	m_domain_resume,    RPC_ROLE_ADMIN, p_domain },
	{ "domain.console.input", m_domain_console_input, RPC_ROLE_ADMIN,
	    p_console_input },
	{ "domain.autostart",	m_domain_autostart, RPC_ROLE_ADMIN,
	    p_autostart },
	{ "domain.save",	m_domain_save,	    RPC_ROLE_ADMIN, p_save },
	{ "node.restore",	m_node_restore,	    RPC_ROLE_ADMIN, p_restore },
	/* migration: the source's method, then the target's steps */
	{ "domain.migrate",	m_domain_migrate,   RPC_ROLE_ADMIN, p_migrate },
	{ "domain.abortJob",	m_domain_abort_job, RPC_ROLE_ADMIN, p_domain },
	{ "migration.prepare",	m_migration_prepare, RPC_ROLE_ADMIN,
	    p_mig_prepare },
	{ "migration.receive",	m_migration_receive, RPC_ROLE_ADMIN,
	    p_mig_receive },
	{ "migration.finish",	m_migration_finish, RPC_ROLE_ADMIN, p_none },
	{ "migration.commit",	m_migration_commit, RPC_ROLE_ADMIN, p_none },
	{ "migration.status",	m_migration_status, RPC_ROLE_ADMIN,
	    p_mig_status },
	/* the scheduler */
	{ "domain.setSchedParams", m_domain_set_sched_params, RPC_ROLE_ADMIN,
	    p_sched },
	{ "domain.vcpupin",	m_domain_vcpupin,   RPC_ROLE_ADMIN, p_vcpupin },
	/* xenstore, with domain 0's rights */
	{ "store.read",		m_store_read,	    RPC_ROLE_ADMIN, p_path },
	{ "store.write",	m_store_write,	    RPC_ROLE_ADMIN, p_store_write },
	{ "store.rm",		m_store_rm,	    RPC_ROLE_ADMIN, p_path },
	{ "store.ls",		m_store_ls,	    RPC_ROLE_ADMIN, p_path_opt },
	{ "store.watch",	m_store_watch,	    RPC_ROLE_ADMIN, p_path },
	/* memory */
	{ "domain.setMaxMemory", m_domain_set_max_memory, RPC_ROLE_ADMIN,
	    p_memory },
	{ "domain.setMemory",	m_domain_set_memory, RPC_ROLE_ADMIN, p_memory },
	{ NULL, NULL, 0, NULL },
};
