/*
 * vCPUs over JSON-RPC: domain.vcpuinfo {domain} (a running domain's
 * vCPUs: where, in what state, for how long, pinned to what) and
 * domain.vcpupin {domain, vcpu?, cpulist?, live?, config?} (pin one
 * vCPU to a CPU list, "0-3,^2,5" as virsh's; then, or without vcpu
 * and cpulist, every vCPU's affinity).  A bad vCPU or list is refused
 * before anything is changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xm/vcpu.h>
#include <xmctl.h>

#include "cpulist.h"
#include "dom_record.h"
#include "methods.h"
#include "sched_call.h"
#include "xmd.h"

/* What domain.vcpupin was asked. */
struct pin_want {
	int		pw_set;		/* 0: only show */
	unsigned int	pw_vcpu;
	uint64_t	pw_map;
};

static const char *
runstate_name(const struct xm_vcpu_state *v)
{
	switch (v->runstate) {
	case XM_RUNSTATE_RUNNING:
		return "running";
	case XM_RUNSTATE_RUNNABLE:
		return "runnable";
	case XM_RUNSTATE_BLOCKED:
		return "blocked";
	}
	return "offline";
}

/* The node's VCPU_LIST reply as n states, or -1 when it is malformed. */
static int
vcpu_states(const uint8_t *data, size_t len, struct xm_vcpu_state **out,
    size_t *n)
{
	*n = len / sizeof(**out);
	*out = (struct xm_vcpu_state *)(uintptr_t)data;
	return len % sizeof(**out) == 0 ? 0 : -1;
}

/*
 * domain.vcpuinfo
 */
static struct json_object *
vcpu_json(const struct xm_vcpu_state *v)
{
	struct xmctl_vcpu r;

	memset(&r, 0, sizeof(r));
	r.vcpu = v->vcpu;
	r.cpu = (v->flags & XM_VCPUF_ONLINE) || v->cpu_time_ns != 0 ?
	    (int)v->cpu : -1;
	snprintf(r.state, sizeof(r.state), "%s", runstate_name(v));
	r.time_ns = v->cpu_time_ns;
	xm_cpulist_format(v->cpumap, r.affinity, sizeof(r.affinity));
	return dr_write(&dr_vcpu, &r);
}

static void
vcpuinfo_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct sched_call *sc = arg;
	struct xm_vcpu_state st, *v;
	struct json_object *a;
	size_t i, n;

	if (status != 0)
		sched_call_failed(sc, status, "list its vCPUs");
	else if (vcpu_states(data, len, &v, &n) != 0)
		sched_call_failed(sc, CTL_E_PROTO, "list its vCPUs");
	else {
		a = json_object_new_array();
		for (i = 0; i < n; i++) {
			memcpy(&st, (const uint8_t *)v + i * sizeof(st),
			    sizeof(st));
			json_object_array_add(a, vcpu_json(&st));
		}
		rpc_result(sc->sc_call, a);
	}
	sched_call_free(sc);
}

static void
list_vcpus(struct sched_call *sc, ctl_reply_fn *fn)
{
	struct xm_ctl_domid id = { (xm_domid_t)sc->sc_id, { 0, 0, 0 } };

	sched_call_send(sc, XM_CTL_OP_VCPU_LIST, &id, sizeof(id), fn);
}

void
m_domain_vcpuinfo(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct sched_call *sc;

	if ((sc = sched_call_new(ctx, call, params)) == NULL)
		return;
	if (sc->sc_config) {
		rpc_error(call, XMCTL_E_STATE, "domain '%s': not running",
		    sc->sc_name);
		sched_call_free(sc);
		return;
	}
	list_vcpus(sc, vcpuinfo_reply);
}

/*
 * domain.vcpupin
 */
static struct json_object *
pin_json(unsigned int vcpu, uint64_t map)
{
	struct xmctl_vcpu_pin r;

	memset(&r, 0, sizeof(r));
	r.vcpu = vcpu;
	xm_cpulist_format(map, r.affinity, sizeof(r.affinity));
	return dr_write(&dr_vcpu_pin, &r);
}

/* Each vCPU's pinning in the definition (its own, the vcpu's, all). */
static void
answer_config_pins(struct sched_call *sc, const struct xm_domain_def *def)
{
	struct json_object *a = json_object_new_array();
	unsigned int i, cpus = sched_node_cpus(sc->sc_x);
	const char *set, *why;
	uint64_t map;

	for (i = 0; i < def->dd_vcpus; i++) {
		set = dd_vcpu_pin(def, i);
		if (set == NULL || xm_cpulist_parse(set, &map, &why) != 0)
			map = xm_cpulist_first(cpus != 0 ? cpus : 64);
		json_object_array_add(a, pin_json(i, map));
	}
	rpc_result(sc->sc_call, a);
}

static int
def_set_pin(struct xm_domain_def *def, void *arg)
{
	const struct pin_want *w = arg;
	char set[XM_CPULIST_LEN];

	xm_cpulist_format(w->pw_map, set, sizeof(set));
	return dd_set_vcpupin(def, w->pw_vcpu, set);
}

static void
pins_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct sched_call *sc = arg;
	struct xm_vcpu_state st, *v;
	struct json_object *a;
	size_t i, n;

	if (status != 0)
		sched_call_failed(sc, status, "list its vCPUs");
	else if (vcpu_states(data, len, &v, &n) != 0)
		sched_call_failed(sc, CTL_E_PROTO, "list its vCPUs");
	else {
		a = json_object_new_array();
		for (i = 0; i < n; i++) {
			memcpy(&st, (const uint8_t *)v + i * sizeof(st),
			    sizeof(st));
			json_object_array_add(a, pin_json(st.vcpu, st.cpumap));
		}
		rpc_result(sc->sc_call, a);
	}
	sched_call_free(sc);
}

/* The config half, after the live one if any; answered, sc freed. */
static void
pin_config(struct sched_call *sc)
{
	struct pin_want *w = sc->sc_arg;

	if (sched_call_update_def(sc, def_set_pin, w) != 0) {
		sched_call_free(sc);
		return;
	}
	if (def_set_pin(&sc->sc_def, w) != 0) {
		rpc_error(sc->sc_call, XMCTL_E_INTERNAL, "out of memory");
		sched_call_free(sc);
		return;
	}
	if (sc->sc_live) {
		list_vcpus(sc, pins_reply);
		return;
	}
	answer_config_pins(sc, &sc->sc_def);
	sched_call_free(sc);
}

static void
affinity_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct sched_call *sc = arg;

	(void)data, (void)len;
	if (status != 0) {
		sched_call_failed(sc, status, "pin the vCPU");
		sched_call_free(sc);
	} else if (sc->sc_config)
		pin_config(sc);
	else
		list_vcpus(sc, pins_reply);
}

/* The vCPUs the call's target has: the fewest of live and config. */
static unsigned int
target_vcpus(const struct sched_call *sc)
{
	unsigned int n = sc->sc_live ? sc->sc_vcpus : 0;

	if (sc->sc_config && (n == 0 || sc->sc_def.dd_vcpus < n))
		n = sc->sc_def.dd_vcpus;
	return n;
}

/* The vCPU and list of params into w: 0, or answered. */
static int
pin_params(struct sched_call *sc, struct json_object *params,
    struct pin_want *w)
{
	unsigned int vcpus = target_vcpus(sc), cpus;
	struct json_object *v = NULL;
	const char *list = NULL, *why;
	int64_t vcpu = -1;
	int has_vcpu;

	has_vcpu = sched_param_int(params, "vcpu", &vcpu);
	if (json_object_object_get_ex(params, "cpulist", &v))
		list = json_object_get_string(v);
	if (!has_vcpu && list == NULL)
		return 0;
	w->pw_set = 1;
	if (!has_vcpu || list == NULL)
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': pinning needs both a vcpu and a cpulist",
		    sc->sc_name);
	else if (vcpu < 0 || vcpu >= vcpus)
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': vCPU %lld does not exist (it has %u: 0 to %u)",
		    sc->sc_name, (long long)vcpu, vcpus, vcpus - 1);
	else if (xm_cpulist_parse(list, &w->pw_map, &why) != 0)
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': cpulist '%s' %s",
		    sc->sc_name, list, why);
	else if (sc->sc_live && (cpus = sched_node_cpus(sc->sc_x)) != 0 &&
	    (w->pw_map & ~xm_cpulist_first(cpus)) != 0)
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': cpulist '%s' has a CPU the node does not have (it has %u: 0 to %u)",
		    sc->sc_name, list, cpus, cpus - 1);
	else {
		w->pw_vcpu = (unsigned int)vcpu;
		return 0;
	}
	return -1;
}

void
m_domain_vcpupin(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xm_ctl_vcpu_affinity a;
	struct sched_call *sc;
	struct pin_want *w;

	if ((sc = sched_call_new(ctx, call, params)) == NULL)
		return;
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		sched_call_free(sc);
		return;
	}
	sc->sc_arg = w;
	if (pin_params(sc, params, w) != 0)
		sched_call_free(sc);
	else if (!w->pw_set && sc->sc_live)
		list_vcpus(sc, pins_reply);
	else if (!w->pw_set) {
		answer_config_pins(sc, &sc->sc_def);
		sched_call_free(sc);
	} else if (!sc->sc_live)
		pin_config(sc);
	else {
		memset(&a, 0, sizeof(a));
		a.domid = (xm_domid_t)sc->sc_id;
		a.affinity.vcpu = w->pw_vcpu;
		a.affinity.cpumap = w->pw_map;
		sched_call_send(sc, XM_CTL_OP_VCPU_AFFINITY, &a, sizeof(a),
		    affinity_reply);
	}
}
