/*
 * The JSON-RPC methods of persistent domains and of lifecycle beyond
 * create/destroy: domain.define, domain.undefine, domain.start,
 * domain.autostart, domain.definition, domain.state, domain.shutdown,
 * domain.reboot, events.subscribe.  Their table rows are in methods.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xm/sched.h>
#include <xmctl.h>

#include "ctl.h"
#include "dom_record.h"
#include "events.h"
#include "methods.h"
#include "shutdown_coop.h"
#include "xmd.h"

/* The UUID a new definition gets: the one it says, or the name's. */
static int
define_uuid(struct xmd *x, struct rpc_call *call,
    struct xm_domain_def *def)
{
	struct def *old = defs_by_name(&x->x_defs, def->dd_name), *other;
	struct dom *run = registry_by_name(&x->x_reg, def->dd_name);
	const uint8_t *keep = old != NULL ? old->df_uuid :
	    run != NULL ? run->d_uuid : NULL;
	char uuid[XM_UUID_STRLEN];

	if (!def->dd_uuid_given && keep != NULL)
		memcpy(def->dd_uuid, keep, XM_UUID_LEN);
	xm_uuid_format(def->dd_uuid, uuid);
	if (keep != NULL && memcmp(keep, def->dd_uuid, XM_UUID_LEN) != 0) {
		rpc_error(call, XMCTL_E_EXISTS, "domain '%s': already has another UUID",
		    def->dd_name);
		return -1;
	}
	if (((other = defs_by_uuid(&x->x_defs, def->dd_uuid)) != NULL &&
	    other != old) || ((run = registry_by_uuid(&x->x_reg,
	    def->dd_uuid)) != NULL && strcmp(run->d_name, def->dd_name) != 0)) {
		rpc_error(call, XMCTL_E_EXISTS, "domain '%s': UUID %s belongs to domain '%s'",
		    def->dd_name, uuid, other != NULL && other != old ?
		    other->df_name : run->d_name);
		return -1;
	}
	return 0;
}

void
m_domain_define(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct xm_domain_def def;
	struct json_object *v;
	struct json_object *result;
	struct lifecycle life;
	struct def *df;
	const char *text;
	char err[1024];
	size_t len;

	xm_domain_def_init(&def);
	json_object_object_get_ex(params, "definition", &v);
	text = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (defs_parse(text, len, &def, &life, err, sizeof(err)) != 0) {
		rpc_error(call, XMCTL_E_DEFINITION, "definition: %s", err);
		goto out;
	}
	if (define_uuid(x, call, &def) != 0)
		goto out;
	if (defs_put(&x->x_defs, &def, &df) != 0) {
		rpc_error(call, XMCTL_E_INTERNAL, "domain '%s': cannot store its definition in %s: %m",
		    def.dd_name, x->x_defs.ds_dir);
		goto out;
	}
	events_emit(x, "domain.defined", df->df_name, -1, df->df_uuid, NULL,
	    NULL);
	if ((result = methods_def_json(df)) != NULL)
		methods_add_warnings(result, &def);
	rpc_result(call, result);
out:
	xm_domain_def_dispose(&def);
}

void
m_domain_undefine(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xmd *x = ctx;
	char name[XM_DEF_NAME_MAX + 1];
	uint8_t uuid[XM_UUID_LEN];
	struct def *df;

	if ((df = methods_def(x, params)) == NULL) {
		if (methods_dom(x, call, params, 1) != NULL)
			rpc_error(call, XMCTL_E_STATE, "domain '%s': not persistent",
			    methods_dom(x, call, params, 0)->d_name);
		return;
	}
	snprintf(name, sizeof(name), "%s", df->df_name);
	memcpy(uuid, df->df_uuid, XM_UUID_LEN);
	if (defs_remove(&x->x_defs, df) != 0) {
		rpc_error(call, XMCTL_E_INTERNAL, "domain '%s': cannot remove its definition: %m",
		    name);
		return;
	}
	events_emit(x, "domain.undefined", name, -1, uuid, NULL, NULL);
	rpc_result(call, NULL);
}

static void
started(void *arg, struct dom *d, int code, const char *msg)
{
	methods_answer_dom(arg, code, msg, d);
}

void
m_domain_start(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct def *df;
	struct dom *d;
	char err[1024];
	int code;

	if ((d = methods_dom(x, call, params, 0)) != NULL) {
		rpc_error(call, XMCTL_E_STATE, "domain '%s': already running",
		    d->d_name);
		return;
	}
	if ((df = methods_def(x, params)) == NULL) {
		methods_no_domain(call, params);
		return;
	}
	if (!methods_node_up(x, call))
		return;
	if (launch(x, df->df_text, df->df_len, started, call, &code, err,
	    sizeof(err)) != 0)
		rpc_error(call, code, "%s", err);
}

void
m_domain_autostart(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xmd *x = ctx;
	struct json_object *v, *r;
	struct def *df;
	struct dom *d;
	int on;

	json_object_object_get_ex(params, "enable", &v);
	on = json_object_get_boolean(v);
	if ((df = methods_def(x, params)) == NULL) {
		if ((d = methods_dom(x, call, params, 1)) != NULL)
			rpc_error(call, XMCTL_E_STATE, "domain '%s': not persistent",
			    d->d_name);
		return;
	}
	if (defs_set_autostart(&x->x_defs, df, on) != 0) {
		rpc_error(call, XMCTL_E_INTERNAL, "domain '%s': cannot mark it: %m",
		    df->df_name);
		return;
	}
	r = json_object_new_object();
	json_object_object_add(r, "domain", json_object_new_string(df->df_name));
	json_object_object_add(r, "autostart", json_object_new_boolean(on));
	rpc_result(call, r);
}

/*
 * text (canonical XML) in format in *out, with id= set to the running
 * domain's id (> 0) as virsh shows it: 0, or -1 (answered).
 */
static int
rewrite(struct rpc_call *call, const char *name, const char *text,
    int json, int id, char **out)
{
	struct xm_domain_def def;
	struct lifecycle life;
	char err[512];
	int rc = -1;

	xm_domain_def_init(&def);
	if (defs_parse(text, strlen(text), &def, &life, err, sizeof(err)) != 0)
		rpc_error(call, XMCTL_E_INTERNAL, "domain '%s': its stored definition: %s",
		    name, err);
	else {
		def.dd_id = id > 0 ? (unsigned int)id : 0;
		if ((json ? dd_write_json(&def, out) : dd_write_xml(&def,
		    out)) != 0)
			rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		else
			rc = 0;
	}
	xm_domain_def_dispose(&def);
	return rc;
}

/*
 * The text of the definition params name, or NULL (answered); *id the
 * running domain's id when the text is the running domain's, else -1.
 * With "inactive", the stored definition first (virsh's --inactive).
 */
static const char *
definition_of(struct xmd *x, struct rpc_call *call,
    struct json_object *params, const char **name, int *id)
{
	struct dom *d = methods_dom(x, call, params, 0);
	struct def *df = methods_def(x, params);
	struct json_object *v;

	*id = -1;
	if (df != NULL && json_object_object_get_ex(params, "inactive", &v) &&
	    json_object_get_boolean(v)) {
		*name = df->df_name;
		return df->df_text;
	}
	if (d != NULL && d->d_text != NULL) {
		*name = d->d_name;
		*id = d->d_id;
		return d->d_text;
	}
	if (df != NULL) {
		*name = df->df_name;
		return df->df_text;
	}
	if (d != NULL)
		rpc_error(call, XMCTL_E_STATE, "domain '%s': its definition is not known (it was found running on the node)",
		    d->d_name);
	else
		methods_no_domain(call, params);
	return NULL;
}

void
m_domain_definition(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xmd *x = ctx;
	struct json_object *v, *r;
	const char *format = "xml", *text, *name;
	char *out = NULL;
	int id;

	if (json_object_object_get_ex(params, "format", &v))
		format = json_object_get_string(v);
	if (strcmp(format, "xml") != 0 && strcmp(format, "json") != 0) {
		rpc_error(call, -32602, "format '%s': must be \"xml\" or \"json\"",
		    format);
		return;
	}
	if ((text = definition_of(x, call, params, &name, &id)) == NULL)
		return;
	if (strcmp(format, "json") == 0 || id > 0) {
		if (rewrite(call, name, text, strcmp(format, "json") == 0, id,
		    &out) != 0)
			return;
		text = out;
	}
	r = json_object_new_object();
	json_object_object_add(r, "format", json_object_new_string(format));
	json_object_object_add(r, "definition", json_object_new_string(text));
	rpc_result(call, r);
	free(out);
}

void
m_domain_state(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct xmctl_domain_state r;
	struct dom *d = methods_dom(x, call, params, 0);
	struct def *df = d == NULL ? methods_def(x, params) : NULL;
	const char *reason = d != NULL ? domains_state_reason(d) : NULL;

	if (d == NULL && df == NULL) {
		methods_no_domain(call, params);
		return;
	}
	memset(&r, 0, sizeof(r));
	snprintf(r.domain, sizeof(r.domain), "%s", d != NULL ? d->d_name :
	    df->df_name);
	snprintf(r.state, sizeof(r.state), "%s", d != NULL ?
	    dom_state_name(d->d_state) : dom_state_name(DOM_SHUTOFF));
	if (reason != NULL)
		snprintf(r.reason, sizeof(r.reason), "%s", reason);
	rpc_result(call, dr_write(&dr_domain_state, &r));
}

/* domain.shutdown and domain.reboot: SHUTDOWN with a reason. */
struct shutdown_op {
	struct rpc_call	*s_call;
	char		 s_name[XM_DEF_NAME_MAX + 1];
	const char	*s_verb;
};

static void
shutdown_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct shutdown_op *s = arg;

	(void)data, (void)len;
	if (status == -XM_ESRCH)
		rpc_error(s->s_call, XMCTL_E_NO_DOMAIN, "domain '%s': no such domain",
		    s->s_name);
	else if (status != 0)
		rpc_error(s->s_call, status == CTL_E_TIMEOUT ? XMCTL_E_TIMEOUT :
		    XMCTL_E_NODE, "domain '%s': cannot %s: %s", s->s_name,
		    s->s_verb, ctl_strerror(status));
	else
		rpc_result(s->s_call, NULL);
	free(s);
}

static void
shutdown_send(struct rpc_call *call, struct json_object *params,
    struct xmd *x, uint32_t reason, const char *verb)
{
	struct xm_ctl_shutdown req;
	struct iovec iov = { &req, sizeof(req) };
	struct shutdown_op *s;
	struct dom *d;

	if ((d = methods_dom(x, call, params, 1)) == NULL ||
	    !methods_node_up(x, call))
		return;
	if (d->d_busy || d->d_privileged || (d->d_state != DOM_RUNNING &&
	    d->d_state != DOM_PAUSED)) {
		rpc_error(call, XMCTL_E_STATE, "domain '%s': cannot %s: it is "
		    "%s", d->d_name, verb, d->d_privileged ? "domain 0" :
		    dom_state_name(d->d_state));
		return;
	}
	if (!d->d_privileged && coop_shutdown_start(x, call, d,
	    reason == XM_SHUTDOWN_REBOOT, methods_timeout(params, 0, 0)) != 0)
		return;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	*s = (struct shutdown_op){ call, { 0 }, verb };
	snprintf(s->s_name, sizeof(s->s_name), "%s", d->d_name);
	memset(&req, 0, sizeof(req));
	req.domid = (xm_domid_t)d->d_id;
	req.reason = reason;
	if (ctl_request(x->x_ctl, XM_CTL_OP_SHUTDOWN, &iov, 1, 0,
	    shutdown_reply, s) != 0) {
		rpc_error(call, XMCTL_E_NODE, "domain '%s': cannot reach the node",
		    d->d_name);
		free(s);
	}
}

void
m_domain_shutdown(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	shutdown_send(call, params, ctx, XM_SHUTDOWN_POWEROFF, "shut down");
}

void
m_domain_reboot(struct rpc_call *call, struct json_object *params, void *ctx)
{
	shutdown_send(call, params, ctx, XM_SHUTDOWN_REBOOT, "reboot");
}

void
m_events_subscribe(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct rpc_peer *p = rpc_call_peer(call);
	struct json_object *r, *v;
	int stats;

	stats = json_object_object_get_ex(params, "stats", &v) &&
	    json_object_get_boolean(v);
	if (p == NULL || events_subscribe(ctx, p, stats) != 0) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	r = json_object_new_object();
	json_object_object_add(r, "subscribed", json_object_new_boolean(1));
	rpc_result(call, r);
}
