/*
 * The credit scheduler's parameters over JSON-RPC: domain.schedinfo
 * {domain, live?, config?} and domain.setSchedParams {domain, weight?,
 * cap?, live?, config?}, both answered with {scheduler, weight, cap}
 * (common/dom_record.c's dr_sched).  Live values come from the node
 * (SCHED_GET, SCHED_SET); config values are the definition's cputune.
 * A bad value is refused before anything is changed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "dom_record.h"
#include "methods.h"
#include "sched_call.h"
#include "xmd.h"

/* What domain.setSchedParams was asked; what is not given stays. */
struct sched_want {
	int		sw_has_weight;
	int		sw_has_cap;
	int64_t		sw_weight;
	int64_t		sw_cap;
	uint32_t	sw_sched_id;	/* as SCHED_GET said */
};

static const char *
sched_name(uint32_t id)
{
	return id == XM_SCHED_CREDIT ? "credit" : id == XM_SCHED_RR ? "rr" :
	    "unknown";
}

static void
answer(struct sched_call *sc, const char *scheduler, unsigned int weight,
    unsigned int cap)
{
	struct xmctl_sched r;

	memset(&r, 0, sizeof(r));
	snprintf(r.scheduler, sizeof(r.scheduler), "%s", scheduler);
	r.weight = weight;
	r.cap = cap;
	rpc_result(sc->sc_call, dr_write(&dr_sched, &r));
}

/* The definition's values; the credit scheduler is the default one. */
static void
answer_config(struct sched_call *sc, const struct xm_domain_def *def)
{
	answer(sc, "credit", dd_sched_weight(def), dd_sched_cap(def));
}

/*
 * domain.schedinfo
 */
static void
schedinfo_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct sched_call *sc = arg;
	struct xm_domctl_sched s;

	(void)len;
	if (status != 0)
		sched_call_failed(sc, status, "get its scheduler parameters");
	else {
		memcpy(&s, data, sizeof(s));
		answer(sc, sched_name(s.sched_id), s.weight, s.cap);
	}
	sched_call_free(sc);
}

void
m_domain_schedinfo(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xm_ctl_domid id = { 0, { 0, 0, 0 } };
	struct sched_call *sc;

	if ((sc = sched_call_new(ctx, call, params)) == NULL)
		return;
	if (sc->sc_live && sc->sc_config) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "domain '%s': live and config together: ask for one",
		    sc->sc_name);
		sched_call_free(sc);
		return;
	}
	if (sc->sc_config) {
		answer_config(sc, &sc->sc_def);
		sched_call_free(sc);
		return;
	}
	id.domid = (xm_domid_t)sc->sc_id;
	sched_call_send(sc, XM_CTL_OP_SCHED_GET, &id, sizeof(id),
	    schedinfo_reply);
}

/*
 * domain.setSchedParams
 */

/* The values against their ranges: 0, or answered. */
static int
check_want(struct sched_call *sc, const struct sched_want *w)
{
	unsigned int vcpus = sc->sc_live ? sc->sc_vcpus : 0;

	if (sc->sc_config && (vcpus == 0 || sc->sc_def.dd_vcpus < vcpus))
		vcpus = sc->sc_def.dd_vcpus;
	if (!w->sw_has_weight && !w->sw_has_cap)
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': give a weight, a cap or both",
		    sc->sc_name);
	else if (w->sw_has_weight && (w->sw_weight < XM_SCHED_WEIGHT_MIN ||
	    w->sw_weight > XM_SCHED_WEIGHT_MAX))
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': weight %" PRId64 " is out of range (%d to %d)",
		    sc->sc_name, w->sw_weight, XM_SCHED_WEIGHT_MIN,
		    XM_SCHED_WEIGHT_MAX);
	else if (w->sw_has_cap && (w->sw_cap < 0 ||
	    w->sw_cap > 100 * (int64_t)vcpus))
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': cap %" PRId64 " is out of range (0 to %u: 100 per vCPU, 0 for none)",
		    sc->sc_name, w->sw_cap, 100 * vcpus);
	else
		return 0;
	return -1;
}

static int
def_set_sched(struct xm_domain_def *def, void *arg)
{
	const struct sched_want *w = arg;

	if (w->sw_has_weight)
		def->dd_shares = (unsigned int)w->sw_weight;
	if (w->sw_has_cap)
		dd_set_cap(def, (unsigned int)w->sw_cap);
	return 0;
}

/* The config half, after the live one if any; answered, sc freed. */
static void
set_config(struct sched_call *sc, const struct xm_domctl_sched *live)
{
	struct sched_want *w = sc->sc_arg;

	if (sched_call_update_def(sc, def_set_sched, w) == 0) {
		if (live != NULL)
			answer(sc, sched_name(live->sched_id), live->weight,
			    live->cap);
		else {
			def_set_sched(&sc->sc_def, w);
			answer_config(sc, &sc->sc_def);
		}
	}
	sched_call_free(sc);
}

static void
set_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct sched_call *sc = arg;
	struct sched_want *w = sc->sc_arg;
	struct xm_domctl_sched s = { 0, 0, 0, 0 };

	(void)data, (void)len;
	if (status != 0) {
		sched_call_failed(sc, status, "set its scheduler parameters");
		sched_call_free(sc);
		return;
	}
	s.sched_id = w->sw_sched_id;
	s.weight = (uint32_t)w->sw_weight;
	s.cap = (uint32_t)w->sw_cap;
	if (sc->sc_config) {
		set_config(sc, &s);
		return;
	}
	answer(sc, sched_name(s.sched_id), s.weight, s.cap);
	sched_call_free(sc);
}

/* SCHED_GET's answer: what is not to change stays as it is. */
static void
get_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct sched_call *sc = arg;
	struct sched_want *w = sc->sc_arg;
	struct xm_ctl_sched set;

	(void)len;
	if (status != 0) {
		sched_call_failed(sc, status, "get its scheduler parameters");
		sched_call_free(sc);
		return;
	}
	memset(&set, 0, sizeof(set));
	memcpy(&set.sched, data, sizeof(set.sched));
	set.domid = (xm_domid_t)sc->sc_id;
	w->sw_sched_id = set.sched.sched_id;
	if (!w->sw_has_weight)
		w->sw_weight = set.sched.weight;
	if (!w->sw_has_cap)
		w->sw_cap = set.sched.cap;
	set.sched.weight = (uint32_t)w->sw_weight;
	set.sched.cap = (uint32_t)w->sw_cap;
	sched_call_send(sc, XM_CTL_OP_SCHED_SET, &set, sizeof(set),
	    set_reply);
}

void
m_domain_set_sched_params(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xm_ctl_domid id = { 0, { 0, 0, 0 } };
	struct sched_want want, *w = NULL;
	struct sched_call *sc;

	if ((sc = sched_call_new(ctx, call, params)) == NULL)
		return;
	memset(&want, 0, sizeof(want));
	want.sw_has_weight = sched_param_int(params, "weight",
	    &want.sw_weight);
	want.sw_has_cap = sched_param_int(params, "cap", &want.sw_cap);
	if (check_want(sc, &want) == 0 && (w = malloc(sizeof(*w))) == NULL)
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
	if (w == NULL) {
		sched_call_free(sc);
		return;
	}
	*w = want;
	sc->sc_arg = w;
	if (!sc->sc_live) {
		set_config(sc, NULL);
		return;
	}
	id.domid = (xm_domid_t)sc->sc_id;
	sched_call_send(sc, XM_CTL_OP_SCHED_GET, &id, sizeof(id),
	    get_reply);
}
