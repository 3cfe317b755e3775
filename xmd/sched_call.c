/* What the scheduler's methods share (sched_call.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmctl.h>

#include "methods.h"
#include "sched_call.h"
#include "xmd.h"

/* Whether the domain runs (or is paused) on the node, built. */
static int
runs(const struct dom *d)
{
	return d != NULL && d->d_id >= 0 && !d->d_busy &&
	    (d->d_state == DOM_RUNNING || d->d_state == DOM_PAUSED);
}

static int
param_bool(struct json_object *params, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(params, key, &v) &&
	    json_object_get_boolean(v);
}

int
sched_param_int(struct json_object *params, const char *key, int64_t *v)
{
	struct json_object *o;

	if (!json_object_object_get_ex(params, key, &o))
		return 0;
	*v = json_object_get_int64(o);
	return 1;
}

unsigned int
sched_node_cpus(struct xmd *x)
{
	const struct xm_ctl_hello_reply *h;

	if (x->x_ctl == NULL || (h = ctl_hello(x->x_ctl)) == NULL)
		return 0;
	return h->physinfo.nr_cpus;
}

/* The stored definition of sc's domain into sc_def: 0, or answered. */
static int
read_def(struct sched_call *sc, const struct def *df)
{
	struct lifecycle life;
	char err[512];

	if (defs_parse(df->df_text, df->df_len, &sc->sc_def, &life, err,
	    sizeof(err)) != 0) {
		rpc_error(sc->sc_call, XMCTL_E_INTERNAL, "domain '%s': its stored definition: %s",
		    sc->sc_name, err);
		return -1;
	}
	return 0;
}

/* The flags against what the domain is: 0, or answered. */
static int
check_affect(struct sched_call *sc, const struct dom *d,
    const struct def *df)
{
	if (sc->sc_live && !runs(d)) {
		rpc_error(sc->sc_call, XMCTL_E_STATE, "domain '%s': %s",
		    sc->sc_name, d != NULL && d->d_busy ? "being built" :
		    "not running (--config changes its definition)");
		return -1;
	}
	if (sc->sc_config && df == NULL) {
		rpc_error(sc->sc_call, XMCTL_E_STATE, "domain '%s': not persistent: it has no definition to change",
		    sc->sc_name);
		return -1;
	}
	if (sc->sc_live && !methods_node_up(sc->sc_x, sc->sc_call))
		return -1;
	return sc->sc_config ? read_def(sc, df) : 0;
}

struct sched_call *
sched_call_new(struct xmd *x, struct rpc_call *call,
    struct json_object *params)
{
	struct dom *d = methods_dom(x, call, params, 0);
	struct def *df = methods_def(x, params);
	struct sched_call *sc;

	if (d == NULL && df == NULL) {
		methods_no_domain(call, params);
		return NULL;
	}
	if ((sc = calloc(1, sizeof(*sc))) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return NULL;
	}
	sc->sc_x = x;
	sc->sc_call = call;
	xm_domain_def_init(&sc->sc_def);
	snprintf(sc->sc_name, sizeof(sc->sc_name), "%s", d != NULL ?
	    d->d_name : df->df_name);
	sc->sc_id = runs(d) ? d->d_id : -1;
	sc->sc_vcpus = d != NULL ? (d->d_info.nr_vcpus != 0 ?
	    d->d_info.nr_vcpus : d->d_vcpus) : 0;
	sc->sc_live = param_bool(params, "live");
	sc->sc_config = param_bool(params, "config");
	if (!sc->sc_live && !sc->sc_config) {
		sc->sc_live = runs(d);
		sc->sc_config = !runs(d);
	}
	if (check_affect(sc, d, df) != 0) {
		sched_call_free(sc);
		return NULL;
	}
	return sc;
}

void
sched_call_free(struct sched_call *sc)
{
	xm_domain_def_dispose(&sc->sc_def);
	free(sc->sc_arg);
	free(sc);
}

int
sched_call_send(struct sched_call *sc, uint16_t op, const void *payload,
    size_t len, ctl_reply_fn *fn)
{
	struct iovec iov = { (void *)payload, len };

	if (ctl_request(sc->sc_x->x_ctl, op, &iov, 1, 0, fn, sc) == 0)
		return 0;
	rpc_error(sc->sc_call, XMCTL_E_NODE, "domain '%s': cannot reach the node",
	    sc->sc_name);
	sched_call_free(sc);
	return -1;
}

void
sched_call_failed(struct sched_call *sc, int status, const char *what)
{
	struct dom *d = registry_by_id(&sc->sc_x->x_reg, sc->sc_id);

	if (status == -XM_ESRCH) {
		if (d != NULL)
			domains_gone(sc->sc_x, d, "no longer on the node");
		rpc_error(sc->sc_call, XMCTL_E_NO_DOMAIN, "domain '%s': no such domain",
		    sc->sc_name);
	} else if (status == -XM_ENOSYS)
		rpc_error(sc->sc_call, XMCTL_E_NODE, "domain '%s': cannot %s: the node's hypervisor has no such control (ENOSYS)",
		    sc->sc_name, what);
	else
		rpc_error(sc->sc_call, status == CTL_E_TIMEOUT ?
		    XMCTL_E_TIMEOUT : XMCTL_E_NODE, "domain '%s': cannot %s: %s",
		    sc->sc_name, what, ctl_strerror(status));
}

int
sched_call_update_def(struct sched_call *sc,
    int (*fn)(struct xm_domain_def *, void *), void *arg)
{
	struct xmd *x = sc->sc_x;
	struct xm_domain_def def;
	struct lifecycle life;
	struct def *df = defs_by_name(&x->x_defs, sc->sc_name);
	char err[512];
	int rc = -1;

	xm_domain_def_init(&def);
	if (df == NULL)
		rpc_error(sc->sc_call, XMCTL_E_STATE, "domain '%s': its definition was removed meanwhile",
		    sc->sc_name);
	else if (defs_parse(df->df_text, df->df_len, &def, &life, err,
	    sizeof(err)) != 0 || fn(&def, arg) != 0 ||
	    dd_validate(&def, err, sizeof(err)) != 0)
		rpc_error(sc->sc_call, XMCTL_E_INTERNAL, "domain '%s': cannot change its definition",
		    sc->sc_name);
	else if (defs_put(&x->x_defs, &def, &df) != 0)
		rpc_error(sc->sc_call, XMCTL_E_INTERNAL, "domain '%s': cannot store its definition in %s: %m",
		    sc->sc_name, x->x_defs.ds_dir);
	else
		rc = 0;
	xm_domain_def_dispose(&def);
	return rc;
}
