/*
 * domain.stats {domain?} and node.stats: the figures of xmd's latest
 * sample (stats.c), with libvirt's domstats key names where one exists
 * (common/stats_record.c). Served from xmd's state: no node request.
 */
#include <stdio.h>
#include <string.h>

#include <xm/domctl.h>
#include <xmctl.h>

#include "dom_record.h"
#include "methods.h"
#include "stats.h"
#include "stats_ring.h"
#include "xmd.h"

/* libvirt's virDomainState for what xmd knows of d. */
static unsigned int
virt_state(const struct dom *d)
{
	switch (d->d_state) {
	case DOM_BUILDING:
		return 0;	/* no state */
	case DOM_RUNNING:
		return d->d_info.flags & XM_DOMINF_BLOCKED ? 2 : 1;
	case DOM_PAUSED:
		return 3;
	case DOM_DYING:
		return 4;	/* being shut down */
	case DOM_SHUTOFF:
		return 5;
	case DOM_CRASHED:
		return 6;
	case DOM_SUSPENDED:
		return 7;	/* pmsuspended */
	}
	return 0;
}

/* d's figures: its ring's, else (not sampled yet) what getinfo said. */
static void
dom_stats(struct xmd *x, const struct dom *d, struct xmctl_domain_stats *s)
{
	const struct stats_ring *r = stats_ring_of(x->x_stats, d->d_id);
	const struct stats_sample *l = r != NULL ? stats_ring_at(r, 0) : NULL;
	uint64_t pages = l != NULL ? l->ss_dom.tot_pages : d->d_info.tot_pages;

	memset(s, 0, sizeof(*s));
	if (l != NULL)
		stats_ring_record(r, s);
	else {
		s->cpu_time_ns = d->d_info.cpu_time_ns;
		s->vcpu_current = d->d_info.nr_online_vcpus;
		s->vcpu_maximum = d->d_info.nr_vcpus;
	}
	snprintf(s->name, sizeof(s->name), "%s", d->d_name);
	s->id = d->d_id;
	s->state = virt_state(d);
	s->balloon_current = domains_guest_pages(pages) * 4;
	s->balloon_maximum = d->d_memory_kib;
}

static struct json_object *
dom_json(struct xmd *x, const struct dom *d)
{
	struct xmctl_domain_stats s;
	struct json_object *o, *st;
	char prefix[32];
	unsigned int i;

	dom_stats(x, d, &s);
	st = dr_write(&dr_domain_stats, &s);
	dr_write_hypercalls(s.hypercall_ops, st);
	for (i = 0; i < s.vcpu_maximum && i < XMCTL_STATS_MAX_VCPUS; i++) {
		snprintf(prefix, sizeof(prefix), "vcpu.%u.", i);
		dr_write_prefixed(&dr_vcpu_stats, &s.vcpu[i], prefix, st);
	}
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(s.name));
	json_object_object_add(o, "id", json_object_new_int(s.id));
	json_object_object_add(o, "stats", st);
	return o;
}

static int
sampled(const struct dom *d)
{
	return d->d_id >= 0 && !d->d_busy;
}

struct json_object *
methods_stats_all(struct xmd *x)
{
	struct json_object *a = json_object_new_array(), *res;
	struct dom *d;

	TAILQ_FOREACH(d, &x->x_reg.r_doms, d_entry)
		if (sampled(d))
			json_object_array_add(a, dom_json(x, d));
	res = json_object_new_object();
	json_object_object_add(res, "domains", a);
	return res;
}

void
m_domain_stats(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct json_object *a, *res;
	struct dom *d;

	if (!json_object_object_get_ex(params, "domain", NULL)) {
		rpc_result(call, methods_stats_all(x));
		return;
	}
	if ((d = methods_dom(x, call, params, 1)) == NULL)
		return;
	if (!sampled(d)) {
		rpc_error(call, XMCTL_E_STATE, "domain '%s': not running",
		    d->d_name);
		return;
	}
	a = json_object_new_array();
	json_object_array_add(a, dom_json(x, d));
	res = json_object_new_object();
	json_object_object_add(res, "domains", a);
	rpc_result(call, res);
}

void
m_node_stats(struct rpc_call *call, struct json_object *params, void *ctx)
{
	struct xmd *x = ctx;
	struct xmctl_node_stats n;
	struct json_object *o;
	char prefix[32];
	unsigned int i;

	(void)params;
	if (stats_node(x->x_stats, &n) != 0) {
		rpc_error(call, XMCTL_E_NODE, "node: no statistics yet%s",
		    x->x_ready ? "" : " (the node is not ready)");
		return;
	}
	o = dr_write(&dr_node_stats, &n);
	for (i = 0; i < n.nr_cpus && i < XMCTL_STATS_MAX_CPUS; i++) {
		snprintf(prefix, sizeof(prefix), "cpu.%u.", i);
		dr_write_prefixed(&dr_cpu_stats, &n.cpu[i], prefix, o);
	}
	rpc_result(call, o);
}
