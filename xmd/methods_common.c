/* Finding the domain a JSON-RPC call names (see methods.h). */
#include <stdio.h>
#include <string.h>

#include <xmctl.h>

#include "domain_def.h"

#include "ctl.h"
#include "dom_record.h"
#include "methods.h"
#include "node.h"
#include "xmd.h"

int
methods_node_up(struct xmd *x, struct rpc_call *call)
{
	if (x->x_ctl != NULL && ctl_is_up(x->x_ctl))
		return 1;
	rpc_error(call, XMCTL_E_NODE, "node: not connected (%s)",
	    x->x_node != NULL ? node_describe(x->x_node) : "none");
	return 0;
}

const char *
methods_ref(struct json_object *params, char *buf, size_t len)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(params, "domain", &v);
	snprintf(buf, len, "%s", v != NULL ? json_object_get_string(v) : "");
	return buf;
}

void
methods_no_domain(struct rpc_call *call, struct json_object *params)
{
	char ref[128];

	rpc_error(call, XMCTL_E_NO_DOMAIN, "domain '%s': no such domain",
	    methods_ref(params, ref, sizeof(ref)));
}

struct dom *
methods_dom(struct xmd *x, struct rpc_call *call, struct json_object *params,
    int answer)
{
	struct json_object *v = NULL;
	struct dom *d;

	json_object_object_get_ex(params, "domain", &v);
	if (json_object_is_type(v, json_type_int))
		d = registry_by_id(&x->x_reg, json_object_get_int(v));
	else
		d = registry_lookup(&x->x_reg, json_object_get_string(v));
	if (d == NULL && answer)
		methods_no_domain(call, params);
	return d;
}

struct def *
methods_def(struct xmd *x, struct json_object *params)
{
	struct json_object *v = NULL;

	struct dom *d;

	json_object_object_get_ex(params, "domain", &v);
	if (json_object_is_type(v, json_type_int))
		return (d = registry_by_id(&x->x_reg, json_object_get_int(v))) ?
		    defs_by_name(&x->x_defs, d->d_name) : NULL;
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	return defs_lookup(&x->x_defs, json_object_get_string(v));
}

/* A persistent domain that does not run, as its record on the wire. */
struct json_object *
methods_def_json(const struct def *df)
{
	struct xmctl_domain r;

	memset(&r, 0, sizeof(r));
	r.id = -1;
	snprintf(r.name, sizeof(r.name), "%s", df->df_name);
	xm_uuid_format(df->df_uuid, r.uuid);
	snprintf(r.state, sizeof(r.state), "%s", dom_state_name(DOM_SHUTOFF));
	r.memory_kib = df->df_memory_kib;
	r.vcpus = df->df_vcpus;
	r.persistent = 1;
	r.autostart = df->df_autostart;
	return dr_write(&dr_domain, &r);
}

void
methods_info_defined(struct xmd *x, struct rpc_call *call,
    struct json_object *params)
{
	struct def *df = methods_def(x, params);

	if (df == NULL)
		methods_no_domain(call, params);
	else
		rpc_result(call, methods_def_json(df));
}

void
methods_answer_info(struct xmd *x, struct rpc_call *call, int id,
    int status, const uint8_t *data, size_t len)
{
	struct dom *d = registry_by_id(&x->x_reg, id);
	struct xm_domctl_info info;

	if (status == 0 && d != NULL && len >= sizeof(info)) {
		memcpy(&info, data, sizeof(info));
		domains_update(x, d, &info);
	}
	if ((d = registry_by_id(&x->x_reg, id)) == NULL)
		rpc_result(call, NULL);
	else
		rpc_result(call, domains_json(x, d));
}

unsigned int
methods_timeout(struct json_object *params, unsigned int min,
    unsigned int dflt)
{
	struct json_object *v;
	int64_t t;

	if (!json_object_object_get_ex(params, "timeout", &v))
		return dflt;
	t = json_object_get_int64(v);
	return t < min ? min : t > 3600 ? 3600 : (unsigned int)t;
}

void
methods_add_warnings(struct json_object *result,
    const struct xm_domain_def *def)
{
	struct json_object *a;
	char buf[4096], *line, *save;

	if (result == NULL || dd_warnings(def, buf, sizeof(buf)) <= 0 ||
	    (a = json_object_new_array()) == NULL)
		return;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		json_object_array_add(a, json_object_new_string(line));
	json_object_object_add(result, "warnings", a);
}

/* The domain, with the warnings of the definition it runs, as
 * domain.define's answer has them. */
void
methods_answer_dom(struct rpc_call *call, int code, const char *msg,
    const struct dom *d)
{
	struct json_object *result;
	struct xm_domain_def def;
	char err[256];

	if (code != 0) {
		rpc_error(call, code, "%s", msg);
		return;
	}
	result = domains_json(rpc_call_ctx(call), d);
	xm_domain_def_init(&def);
	if (d->d_text != NULL && xm_domain_def_parse(&def, d->d_text,
	    d->d_len, err, sizeof(err)) == 0)
		methods_add_warnings(result, &def);
	xm_domain_def_dispose(&def);
	rpc_result(call, result);
}
