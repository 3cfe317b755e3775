/*
 * Domains as xmd sees them: the registry and the consoles kept in step
 * with what the node reports (LIST after HELLO, DOMAIN_EVENT, console
 * output).  A domain that shut down or crashed is dealt with as its
 * definition's lifecycle actions say (lifecycle.h): destroyed, destroyed
 * and built again, or left as it is; a domain the builder is working on
 * is the builder's to remove.  Each change is an event (events.h).
 */
#include <sys/uio.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xm/sched.h>

#include "console.h"
#include "ctl.h"
#include "dom_record.h"
#include "events.h"
#include "log.h"
#include "xmd.h"
#include "migrate.h"
#include "save.h"
#include "shutdown_coop.h"
#include "xsd.h"

static const char *const shutdown_names[] = {
	[XM_SHUTDOWN_POWEROFF] = "poweroff",
	[XM_SHUTDOWN_REBOOT] = "reboot",
	[XM_SHUTDOWN_SUSPEND] = "suspend",
	[XM_SHUTDOWN_CRASH] = "crash",
	[XM_SHUTDOWN_WATCHDOG] = "watchdog",
	[XM_SHUTDOWN_SOFT_RESET] = "soft_reset",
};

static const char *
shutdown_name(uint32_t reason)
{
	return reason <= XM_SHUTDOWN_MAX ? shutdown_names[reason] : "unknown";
}

struct dom *
domains_add(struct xmd *x, const char *name, const uint8_t *uuid)
{
	struct dom *d = registry_add(&x->x_reg, name, uuid);

	if (d == NULL)
		return NULL;
	if ((d->d_console = console_open(x->x_state_dir, name,
	    &x->x_console_lim)) == NULL) {
		log_warn("domain '%s': console log in %s/console", name,
		    x->x_state_dir);
		registry_remove(&x->x_reg, d);
		return NULL;
	}
	return d;
}

void
domains_gone(struct xmd *x, struct dom *d, const char *why)
{
	if (d->d_busy) {
		d->d_state = DOM_DYING;
		return;
	}
	log_info("domain '%s' (d%d): %s", d->d_name, d->d_id, why);
	if (d->d_id >= 0)
		events_emit_dom(x, "domain.destroyed", d, NULL, NULL);
	console_close(d->d_console, why);
	if (d->d_id > 0) {
		xsd_release(x, d->d_id, d->d_uuid);
		coop_shutdown_done(x, d->d_id);
		save_domain_ended(x, d->d_id, "it went");
	}
	if (d->d_id >= 0 && !d->d_privileged)
		runstate_drop_text(x, d->d_name);
	registry_remove(&x->x_reg, d);
	runstate_save(x);
}

void
domains_clear(struct xmd *x, const char *why)
{
	struct dom *d;

	xsd_clear(x);
	while ((d = TAILQ_FIRST(&x->x_reg.r_doms)) != NULL) {
		console_close(d->d_console, why);
		registry_remove(&x->x_reg, d);
	}
}

struct destroy_ctx {
	struct xmd	*x;
	int		 id;
	char		*text;		/* to build again: restart */
	size_t		 len;
};

static void
restarted(void *arg, struct dom *d, int code, const char *msg)
{
	(void)arg;
	if (code != 0)
		log_warnx("restart: %s", msg);
	else
		log_info("domain '%s' (d%d): restarted", d->d_name, d->d_id);
}

static void
restart(struct xmd *x, struct destroy_ctx *c)
{
	char err[1024];
	int code;

	if (launch(x, c->text, c->len, restarted, NULL, &code, err,
	    sizeof(err)) != 0)
		log_warnx("restart: %s", err);
}

static void
destroyed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct destroy_ctx *c = arg;
	struct dom *d = registry_by_id(&c->x->x_reg, c->id);

	(void)data, (void)len;
	if (status != 0 && status != -XM_ESRCH)
		log_warnx("cannot destroy d%d after its shutdown: %s", c->id,
		    ctl_strerror(status));
	else {
		if (d != NULL)
			domains_gone(c->x, d, "destroyed after its shutdown");
		if (c->text != NULL)
			restart(c->x, c);
	}
	free(c->text);
	free(c);
}

/* Destroy d, and build it again when asked to. */
static void
destroy_after(struct xmd *x, struct dom *d, int again)
{
	struct xm_ctl_domid id = { (xm_domid_t)d->d_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };
	struct destroy_ctx *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->x = x;
	c->id = d->d_id;
	if (again && d->d_text != NULL &&
	    (c->text = strdup(d->d_text)) != NULL)
		c->len = d->d_len;
	d->d_state = DOM_DYING;
	if (ctl_request(x->x_ctl, XM_CTL_OP_DESTROY, &iov, 1, 0, destroyed,
	    c) != 0) {
		free(c->text);
		free(c);
	}
}

/* A domain that shut down: its event, then its lifecycle action. */
static void
shut_down(struct xmd *x, struct dom *d)
{
	uint32_t reason = d->d_info.shutdown_reason;
	enum life_action a;

	a = d->d_life.l_on[lifecycle_event_of(reason)];
	log_info("domain '%s' (d%d): shut down (%s): %s", d->d_name, d->d_id,
	    shutdown_name(reason), lifecycle_action_name(a));
	events_emit_dom(x, "domain.shutdown", d, shutdown_name(reason),
	    lifecycle_action_name(a));
	if (reason == XM_SHUTDOWN_CRASH)
		events_emit_dom(x, "domain.crashed", d, NULL, NULL);
	coop_shutdown_done(x, d->d_id);
	save_domain_ended(x, d->d_id, "it shut down");
	if (d->d_busy || d->d_privileged || a == LIFE_PRESERVE)
		return;
	destroy_after(x, d, a == LIFE_RESTART);
}

void
domains_set_state(struct xmd *x, struct dom *d, enum dom_state s)
{
	enum dom_state was = d->d_state;

	d->d_state = s;
	if (was != DOM_SUSPENDED && s == DOM_SUSPENDED) {
		log_info("domain '%s' (d%d): suspended itself; it waits "
		    "(domain.resume lets it run on)", d->d_name, d->d_id);
		events_emit_dom(x, "domain.suspended", d, NULL, NULL);
		if (d->d_unsuspend_until > mono_ms())
			migrate_unsuspend(x, d);
		else
			save_domain_suspended(x, d);
	} else if (was == DOM_RUNNING && s == DOM_PAUSED)
		events_emit_dom(x, "domain.paused", d, NULL, NULL);
	else if (was == DOM_PAUSED && s == DOM_RUNNING)
		events_emit_dom(x, "domain.resumed", d, NULL, NULL);
}

void
domains_update(struct xmd *x, struct dom *d, const struct xm_domctl_info *in)
{
	enum dom_state was = d->d_state;

	d->d_info = *in;
	d->d_privileged = (in->flags & XM_DOMINF_PRIVILEGED) != 0;
	if (d->d_busy || was == DOM_DYING)
		return;
	domains_set_state(x, d, dom_state_of(in));
	if ((d->d_state == DOM_SHUTOFF || d->d_state == DOM_CRASHED) &&
	    was != d->d_state)
		shut_down(x, d);
}

static struct dom *adopt_one(struct xmd *, const struct xm_domctl_info *);

/*
 * A domain that runs already: its xenstore connection again, with the
 * keys and watches of the store an earlier xmd saved (xsd_load).
 */
static struct dom *
adopt(struct xmd *x, const struct xm_domctl_info *in)
{
	struct dom *d = adopt_one(x, in);
	char err[256];

	if (d != NULL && d->d_id > 0 &&
	    xsd_adopt(x, d, err, sizeof(err)) != 0)
		log_warnx("%s", err);
	return d;
}

static struct dom *
adopt_one(struct xmd *x, const struct xm_domctl_info *in)
{
	uint8_t uuid[XM_UUID_LEN];
	char name[32];
	struct dom *d;

	if ((d = runstate_adopt(x, in->domain)) != NULL) {
		/* hv's limit: a live setmaxmem holds over xmd's restart. */
		d->d_memory_kib = domains_guest_pages(in->max_pages) * 4;
		return d;
	}
	if (in->domain == 0 && (in->flags & XM_DOMINF_PRIVILEGED))
		snprintf(name, sizeof(name), "Domain-0");
	else
		snprintf(name, sizeof(name), "d%u", in->domain);
	memset(uuid, 0, sizeof(uuid));	/* domain 0's, as in Xen */
	if (registry_by_name(&x->x_reg, name) != NULL ||
	    (in->domain != 0 && xm_uuid_generate(uuid) != 0) ||
	    (d = domains_add(x, name, uuid)) == NULL)
		return NULL;
	d->d_id = in->domain;
	d->d_memory_kib = domains_guest_pages(in->max_pages) * 4;
	d->d_vcpus = in->nr_vcpus;
	log_info("domain '%s': found running on the node", name);
	return d;
}

/* A LIST reply: len bytes of struct xm_domctl_info, maybe unaligned. */
void
domains_reconcile(struct xmd *x, const uint8_t *data, size_t len)
{
	size_t i, n = len / sizeof(struct xm_domctl_info);
	struct xm_domctl_info *infos;
	struct dom *d, *next;

	if ((infos = calloc(n + 1, sizeof(*infos))) == NULL) {
		log_warnx("out of memory for the node's %zu domains", n);
		return;
	}
	memcpy(infos, data, n * sizeof(*infos));
	TAILQ_FOREACH_SAFE(d, &x->x_reg.r_doms, d_entry, next) {
		for (i = 0; i < n && infos[i].domain != d->d_id; i++)
			;
		if (i == n && d->d_id >= 0 && !d->d_busy)
			domains_gone(x, d, "no longer on the node");
	}
	for (i = 0; i < n; i++) {
		if ((d = registry_by_id(&x->x_reg, infos[i].domain)) == NULL)
			d = adopt(x, &infos[i]);
		if (d != NULL)
			domains_update(x, d, &infos[i]);
	}
	free(infos);
	xsd_forget_vanished(x);
	runstate_save(x);
}

#define LIST_MAX	(XM_CTL_MAX_PAYLOAD / sizeof(struct xm_domctl_info))

static void
refreshed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct xmd *x = arg;

	x->x_refreshing = 0;
	if (status == 0)
		domains_reconcile(x, data, len);
	else if (status != CTL_E_DOWN)
		log_warnx("node: cannot list its domains: %s",
		    ctl_strerror(status));
}

void
domains_refresh(struct xmd *x)
{
	struct xm_ctl_list l = { 0, 0, LIST_MAX };
	struct iovec iov = { &l, sizeof(l) };

	if (x->x_refreshing || x->x_ctl == NULL || !ctl_is_up(x->x_ctl))
		return;
	if (ctl_request(x->x_ctl, XM_CTL_OP_LIST, &iov, 1, 0, refreshed,
	    x) == 0)
		x->x_refreshing = 1;
}

void
domains_console(struct xmd *x, xm_domid_t id, const char *data, size_t len)
{
	struct dom *d = registry_by_id(&x->x_reg, id);

	if (d == NULL) {
		log_debug("node: %zu bytes of console output for unknown d%u",
		    len, id);
		return;
	}
	console_write(d->d_console, data, len);
}

void
domains_event(struct xmd *x, const struct xm_domctl_info *in)
{
	struct dom *d = registry_by_id(&x->x_reg, in->domain);

	if (d == NULL) {
		log_debug("node: event for unknown d%u (flags %#x)",
		    in->domain, in->flags);
		return;
	}
	if (in->flags == 0)
		domains_gone(x, d, "destroyed");
	else
		domains_update(x, d, in);
}

/* The domain as its record on the wire (dom_record.h) says it. */
static void
domains_record(struct xmd *x, const struct dom *d, struct xmctl_domain *r)
{
	struct def *df = defs_by_name(&x->x_defs, d->d_name);

	memset(r, 0, sizeof(*r));
	r->id = d->d_id;
	snprintf(r->name, sizeof(r->name), "%s", d->d_name);
	xm_uuid_format(d->d_uuid, r->uuid);
	snprintf(r->state, sizeof(r->state), "%s",
	    dom_state_name(d->d_state));
	r->vcpus = d->d_info.nr_vcpus != 0 ? d->d_info.nr_vcpus : d->d_vcpus;
	r->online_vcpus = d->d_info.nr_online_vcpus;
	r->cpu_time_ns = d->d_info.cpu_time_ns;
	r->memory_kib = d->d_memory_kib;
	r->current_kib = domains_guest_pages(d->d_info.tot_pages) * 4;
	if (d->d_kernel != NULL)
		snprintf(r->kernel, sizeof(r->kernel), "%s", d->d_kernel);
	if (d->d_cmdline != NULL)
		snprintf(r->cmdline, sizeof(r->cmdline), "%s", d->d_cmdline);
	r->persistent = df != NULL;
	r->autostart = df != NULL && df->df_autostart;
}

struct json_object *
domains_json(struct xmd *x, const struct dom *d)
{
	struct xmctl_domain r;

	domains_record(x, d, &r);
	return dr_write(&dr_domain, &r);
}

/* Why d is in its state, for domain.state: NULL when it has no reason. */
const char *
domains_state_reason(const struct dom *d)
{
	if (d->d_state != DOM_SHUTOFF && d->d_state != DOM_CRASHED)
		return NULL;
	return shutdown_name(d->d_info.shutdown_reason);
}

uint64_t
domains_guest_pages(uint64_t pages)
{
	return pages > XM_DOMAIN_HV_PAGES ? pages - XM_DOMAIN_HV_PAGES : 0;
}
