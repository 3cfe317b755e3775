/* The domain registry: a list, looked up by name, id or UUID. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <xm/hypercall.h>
#include <xm/sched.h>

#include "parse_num.h"
#include "registry.h"

static const char *const state_names[] = {
	[DOM_BUILDING] = "building",
	[DOM_RUNNING] = "running",
	[DOM_PAUSED] = "paused",
	[DOM_SHUTOFF] = "shut off",	/* as xm-jsonrpc(7) says */
	[DOM_CRASHED] = "crashed",
	[DOM_DYING] = "dying",
	[DOM_SUSPENDED] = "suspended",
};

const char *
dom_state_name(enum dom_state s)
{
	return state_names[s];
}

enum dom_state
dom_state_of(const struct xm_domctl_info *info)
{
	if (info->flags & XM_DOMINF_DYING)
		return DOM_DYING;
	if ((info->flags & XM_DOMINF_SHUTDOWN) &&
	    info->shutdown_reason == XM_SHUTDOWN_SUSPEND)
		return DOM_SUSPENDED;
	if (info->flags & XM_DOMINF_SHUTDOWN)
		return info->shutdown_reason == XM_SHUTDOWN_CRASH ?
		    DOM_CRASHED : DOM_SHUTOFF;
	if (info->flags & XM_DOMINF_BUILDING)
		return DOM_BUILDING;
	if (info->flags & XM_DOMINF_PAUSED)
		return DOM_PAUSED;
	return DOM_RUNNING;
}

void
registry_init(struct registry *r)
{
	TAILQ_INIT(&r->r_doms);
	r->r_count = 0;
}

void
registry_clear(struct registry *r)
{
	while (!TAILQ_EMPTY(&r->r_doms))
		registry_remove(r, TAILQ_FIRST(&r->r_doms));
}

struct dom *
registry_add(struct registry *r, const char *name,
    const uint8_t uuid[XM_UUID_LEN])
{
	struct dom *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->d_id = -1;
	strncpy(d->d_name, name, sizeof(d->d_name) - 1);
	memcpy(d->d_uuid, uuid, XM_UUID_LEN);
	d->d_state = DOM_BUILDING;
	lifecycle_defaults(&d->d_life);
	TAILQ_INSERT_TAIL(&r->r_doms, d, d_entry);
	r->r_count++;
	return d;
}

void
registry_remove(struct registry *r, struct dom *d)
{
	TAILQ_REMOVE(&r->r_doms, d, d_entry);
	r->r_count--;
	free(d->d_kernel);
	free(d->d_cmdline);
	free(d->d_text);
	free(d);
}

struct dom *
registry_by_id(struct registry *r, int id)
{
	struct dom *d;

	TAILQ_FOREACH(d, &r->r_doms, d_entry)
		if (d->d_id == id && id >= 0)
			return d;
	return NULL;
}

struct dom *
registry_by_name(struct registry *r, const char *name)
{
	struct dom *d;

	TAILQ_FOREACH(d, &r->r_doms, d_entry)
		if (strcmp(d->d_name, name) == 0)
			return d;
	return NULL;
}

struct dom *
registry_by_uuid(struct registry *r, const uint8_t *uuid)
{
	struct dom *d;

	TAILQ_FOREACH(d, &r->r_doms, d_entry)
		if (memcmp(d->d_uuid, uuid, XM_UUID_LEN) == 0)
			return d;
	return NULL;
}

struct dom *
registry_lookup(struct registry *r, const char *ref)
{
	uint8_t uuid[XM_UUID_LEN];
	const char *p;
	uint64_t id;

	for (p = ref; isdigit((unsigned char)*p); p++)
		;
	if (*ref != '\0' && *p == '\0')	/* digits: an id, not a name */
		return xm_num_parse(ref, 0, XM_DOMID_FIRST_RESERVED - 1,
		    &id) == XM_NUM_OK ? registry_by_id(r, (int)id) : NULL;
	if (xm_uuid_parse(ref, uuid) == 0)
		return registry_by_uuid(r, uuid);
	return registry_by_name(r, ref);
}
