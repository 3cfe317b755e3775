/*
 * A domain's memory over JSON-RPC: domain.setMaxMemory {domain, kib,
 * live?, config?} (the limit hv holds the domain to: MAX_MEM on the
 * node, <memory> in the definition) and domain.setMemory {domain, kib,
 * live?, config?} (the reservation: <currentMemory>, populated at start;
 * a live target needs the guest's balloon driver, through xenstore).
 * Both answer {memory_kib, current_kib} (common/dom_record.c's
 * dr_memory).  --live and --config are as for the scheduler
 * (sched_call.h); a bad size is refused before anything is changed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "dom_record.h"
#include "log.h"
#include "methods.h"
#include "sched_call.h"
#include "xmd.h"
#include "xsd.h"

#define MEM_KIB_MIN	4			/* one page */
#define MEM_KIB_MAX	XM_DEF_MEMORY_MAX_KIB	/* a definition's */

struct mem_want {
	uint64_t	mw_kib;
	uint64_t	mw_current_kib;	/* the domain's, as GETINFO said */
};

static void
answer(struct sched_call *sc, uint64_t memory_kib, uint64_t current_kib)
{
	struct xmctl_memory r;

	memset(&r, 0, sizeof(r));
	r.memory_kib = memory_kib;
	r.current_kib = current_kib;
	rpc_result(sc->sc_call, dr_write(&dr_memory, &r));
}

/* A definition's reservation: <currentMemory>, else <memory>. */
static uint64_t
def_current_kib(const struct xm_domain_def *def)
{
	uint64_t cur = def->dd_current_memory.sz_kib;

	return cur != 0 ? cur : def->dd_memory_kib;
}

static void
size_set(struct xm_def_size *sz, uint64_t kib)
{
	sz->sz_value = kib;
	snprintf(sz->sz_unit, sizeof(sz->sz_unit), "KiB");
	sz->sz_kib = kib;
}

/* The "kib" parameter: a new state for the call, or NULL, answered. */
static struct mem_want *
want_new(struct sched_call *sc, struct json_object *params)
{
	struct mem_want *w;
	int64_t kib = 0;

	if (!sched_param_int(params, "kib", &kib))
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': give a size in KiB (kib)",
		    sc->sc_name);
	else if (kib < MEM_KIB_MIN || (uint64_t)kib > MEM_KIB_MAX)
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': memory size %" PRId64 " KiB is out of range (%d KiB to %" PRIu64 " KiB)",
		    sc->sc_name, kib, MEM_KIB_MIN, MEM_KIB_MAX);
	else if ((w = calloc(1, sizeof(*w))) == NULL)
		rpc_error(sc->sc_call, XMCTL_E_INTERNAL, "out of memory");
	else {
		w->mw_kib = (uint64_t)kib & ~UINT64_C(3);	/* whole pages */
		sc->sc_arg = w;
		return w;
	}
	sched_call_free(sc);
	return NULL;
}

/*
 * domain.setMaxMemory
 */
static int
def_set_max(struct xm_domain_def *def, void *arg)
{
	const struct mem_want *w = arg;

	size_set(&def->dd_memory, w->mw_kib);
	def->dd_memory_kib = w->mw_kib;
	/* As libvirt does: a lower maximum takes the reservation down. */
	if (def->dd_current_memory.sz_kib > w->mw_kib)
		size_set(&def->dd_current_memory, w->mw_kib);
	return 0;
}

/* The config half, after the live one if any; answered, sc freed. */
static void
max_config(struct sched_call *sc, int live)
{
	struct mem_want *w = sc->sc_arg;

	if (sched_call_update_def(sc, def_set_max, w) == 0) {
		if (live)
			answer(sc, w->mw_kib, w->mw_current_kib);
		else {
			def_set_max(&sc->sc_def, w);
			answer(sc, w->mw_kib, def_current_kib(&sc->sc_def));
		}
	}
	sched_call_free(sc);
}

static void
max_set_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct sched_call *sc = arg;
	struct mem_want *w = sc->sc_arg;
	struct dom *d;

	(void)data, (void)len;
	if (status == -XM_EBUSY) {
		/* The domain grew between GETINFO and MAX_MEM. */
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': cannot set max memory lower than current: it has more than %" PRIu64 " KiB now",
		    sc->sc_name, w->mw_kib);
		sched_call_free(sc);
		return;
	}
	if (status != 0) {
		sched_call_failed(sc, status, "set its maximum memory");
		sched_call_free(sc);
		return;
	}
	if ((d = registry_by_id(&sc->sc_x->x_reg, sc->sc_id)) != NULL)
		d->d_memory_kib = w->mw_kib;
	log_info("domain '%s': maximum memory %" PRIu64 " KiB", sc->sc_name,
	    w->mw_kib);
	if (sc->sc_config) {
		max_config(sc, 1);
		return;
	}
	answer(sc, w->mw_kib, w->mw_current_kib);
	sched_call_free(sc);
}

/* GETINFO's answer: what the domain has now, against the new limit. */
static void
max_info_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct sched_call *sc = arg;
	struct mem_want *w = sc->sc_arg;
	struct xm_domctl_info info;
	struct xm_ctl_max_mem m;

	(void)len;
	if (status != 0) {
		sched_call_failed(sc, status, "read its memory");
		sched_call_free(sc);
		return;
	}
	memcpy(&info, data, sizeof(info));
	w->mw_current_kib = domains_guest_pages(info.tot_pages) * 4;
	if (w->mw_kib < w->mw_current_kib) {
		rpc_error(sc->sc_call, XMCTL_E_INVALID_PARAMS, "domain '%s': cannot set max memory lower than current (%" PRIu64 " KiB < %" PRIu64 " KiB)",
		    sc->sc_name, w->mw_kib, w->mw_current_kib);
		sched_call_free(sc);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.domid = (xm_domid_t)sc->sc_id;
	m.max_pages = w->mw_kib / 4 + XM_DOMAIN_HV_PAGES;
	sched_call_send(sc, XM_CTL_OP_MAX_MEM, &m, sizeof(m), max_set_reply);
}

void
m_domain_set_max_memory(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xm_ctl_domid id = { 0, { 0, 0, 0 } };
	struct sched_call *sc;

	if ((sc = sched_call_new(ctx, call, params)) == NULL ||
	    want_new(sc, params) == NULL)
		return;
	if (!sc->sc_live) {
		max_config(sc, 0);
		return;
	}
	id.domid = (xm_domid_t)sc->sc_id;
	sched_call_send(sc, XM_CTL_OP_GETINFO, &id, sizeof(id),
	    max_info_reply);
}

/*
 * domain.setMemory
 */
static int
def_set_current(struct xm_domain_def *def, void *arg)
{
	const struct mem_want *w = arg;

	size_set(&def->dd_current_memory, w->mw_kib);
	return 0;
}

/*
 * The running domain's target, in its xenstore memory/target, as Xen's
 * toolstack sets it: the guest's balloon driver follows it (or not:
 * balloon.current shows what it has).  0, or -1 with the call answered.
 */
static int
mem_set_target_live(struct sched_call *sc, struct mem_want *w)
{
	struct dom *d = registry_by_id(&sc->sc_x->x_reg, sc->sc_id);
	char v[32];
	int rc;

	snprintf(v, sizeof(v), "%" PRIu64, w->mw_kib);
	if ((rc = xsd_write_dom(sc->sc_x, sc->sc_id, "memory/target", v)) !=
	    0) {
		rpc_error(sc->sc_call, XMCTL_E_INTERNAL, "domain '%s': cannot "
		    "write its memory/target: %s", sc->sc_name, strerror(rc));
		return -1;
	}
	if (d != NULL)
		d->d_target_kib = w->mw_kib;
	return 0;
}

/* The maximum the new reservation may not pass: the definition's and
 * (live) the running domain's. */
static uint64_t
set_memory_max(struct sched_call *sc)
{
	struct dom *d = registry_by_id(&sc->sc_x->x_reg, sc->sc_id);
	uint64_t max = MEM_KIB_MAX;

	if (sc->sc_config)
		max = sc->sc_def.dd_memory_kib;
	if (sc->sc_live && d != NULL && d->d_memory_kib < max)
		max = d->d_memory_kib;
	return max;
}

void
m_domain_set_memory(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct sched_call *sc;
	struct mem_want *w;
	uint64_t max;

	if ((sc = sched_call_new(ctx, call, params)) == NULL ||
	    (w = want_new(sc, params)) == NULL)
		return;
	max = set_memory_max(sc);
	if (w->mw_kib > max)
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "domain '%s': cannot set memory higher than max memory (%" PRIu64 " KiB > %" PRIu64 " KiB)",
		    sc->sc_name, w->mw_kib, max);
	else if ((!sc->sc_live || mem_set_target_live(sc, w) == 0) &&
	    (!sc->sc_config || sched_call_update_def(sc, def_set_current,
	    w) == 0))
		answer(sc, max, w->mw_kib);
	sched_call_free(sc);
}
