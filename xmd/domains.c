/*
 * Domains as xmd sees them: the registry and the consoles kept in step
 * with what the node reports (LIST after HELLO, DOMAIN_EVENT, console
 * output).  A shut-down or crashed domain is destroyed, as libvirt's
 * default on_poweroff and on_crash say; a domain the builder is working
 * on is the builder's to remove.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/ctl.h>
#include <xm/sched.h>

#include "console.h"
#include "ctl.h"
#include "log.h"
#include "xmd.h"

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
	if ((d->d_console = console_open(x->x_state_dir, name)) == NULL) {
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
	console_close(d->d_console, why);
	registry_remove(&x->x_reg, d);
}

void
domains_clear(struct xmd *x, const char *why)
{
	struct dom *d;

	while ((d = TAILQ_FIRST(&x->x_reg.r_doms)) != NULL) {
		console_close(d->d_console, why);
		registry_remove(&x->x_reg, d);
	}
}

struct destroy_ctx {
	struct xmd	*x;
	int		 id;
};

static void
destroyed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct destroy_ctx *c = arg;
	struct dom *d = registry_by_id(&c->x->x_reg, c->id);

	(void)data, (void)len;
	if (status != 0 && status != -XM_ESRCH)
		log_warnx("cannot destroy d%d after its shutdown: %s", c->id,
		    ctl_strerror(status));
	else if (d != NULL)
		domains_gone(c->x, d, "destroyed after its shutdown");
	free(c);
}

/* What to do with a domain that shut down: destroy it. */
static void
shut_down(struct xmd *x, struct dom *d)
{
	struct xm_ctl_domid id = { (xm_domid_t)d->d_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };
	struct destroy_ctx *c;

	log_info("domain '%s' (d%d): shut down (%s)", d->d_name, d->d_id,
	    shutdown_name(d->d_info.shutdown_reason));
	if (d->d_busy || d->d_privileged ||
	    (c = malloc(sizeof(*c))) == NULL)
		return;
	c->x = x;
	c->id = d->d_id;
	d->d_state = DOM_DYING;
	if (ctl_request(x->x_ctl, XM_CTL_OP_DESTROY, &iov, 1, 0, destroyed,
	    c) != 0)
		free(c);
}

void
domains_update(struct xmd *x, struct dom *d, const struct xm_domctl_info *in)
{
	enum dom_state was = d->d_state;

	d->d_info = *in;
	d->d_privileged = (in->flags & XM_DOMINF_PRIVILEGED) != 0;
	if (d->d_busy || was == DOM_DYING)
		return;
	d->d_state = dom_state_of(in);
	if ((d->d_state == DOM_SHUTOFF || d->d_state == DOM_CRASHED) &&
	    was != d->d_state)
		shut_down(x, d);
}

static struct dom *
adopt(struct xmd *x, const struct xm_domctl_info *in)
{
	uint8_t uuid[XM_UUID_LEN];
	char name[32];
	struct dom *d;

	if (in->domain == 0 && (in->flags & XM_DOMINF_PRIVILEGED))
		snprintf(name, sizeof(name), "Domain-0");
	else
		snprintf(name, sizeof(name), "d%u", in->domain);
	if (registry_by_name(&x->x_reg, name) != NULL ||
	    xm_uuid_generate(uuid) != 0 ||
	    (d = domains_add(x, name, uuid)) == NULL)
		return NULL;
	d->d_id = in->domain;
	d->d_memory_kib = in->max_pages * 4;
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

struct json_object *
domains_json(const struct dom *d)
{
	struct json_object *o = json_object_new_object();
	char uuid[XM_UUID_STRLEN];

	xm_uuid_format(d->d_uuid, uuid);
	json_object_object_add(o, "id", d->d_id >= 0 ?
	    json_object_new_int(d->d_id) : NULL);
	json_object_object_add(o, "name", json_object_new_string(d->d_name));
	json_object_object_add(o, "uuid", json_object_new_string(uuid));
	json_object_object_add(o, "state",
	    json_object_new_string(dom_state_name(d->d_state)));
	json_object_object_add(o, "memory_kib",
	    json_object_new_int64((int64_t)d->d_memory_kib));
	json_object_object_add(o, "current_kib",
	    json_object_new_int64((int64_t)d->d_info.tot_pages * 4));
	json_object_object_add(o, "vcpus", json_object_new_int(
	    (int)(d->d_info.nr_vcpus != 0 ? d->d_info.nr_vcpus : d->d_vcpus)));
	json_object_object_add(o, "online_vcpus",
	    json_object_new_int((int)d->d_info.nr_online_vcpus));
	json_object_object_add(o, "cpu_time_ns",
	    json_object_new_int64((int64_t)d->d_info.cpu_time_ns));
	if (d->d_kernel != NULL)
		json_object_object_add(o, "kernel",
		    json_object_new_string(d->d_kernel));
	if (d->d_cmdline != NULL)
		json_object_object_add(o, "cmdline",
		    json_object_new_string(d->d_cmdline));
	return o;
}
