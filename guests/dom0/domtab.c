/*
 * The domain table behind VIRQ_DOM_EXC (see domtab.h).  A small array
 * searched linearly: a node runs tens of domains, not thousands.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/domctl.h>

#include "domtab.h"

void
domtab_init(struct domtab *t)
{
	kmemset(t, 0, sizeof(*t));
}

void
domtab_begin(struct domtab *t)
{
	unsigned int i;

	for (i = 0; i < DOMTAB_MAX; i++)
		t->dt_ent[i].de_seen = 0;
}

static struct domtab_ent *
domtab_find(struct domtab *t, xm_domid_t id)
{
	unsigned int i;

	for (i = 0; i < DOMTAB_MAX; i++)
		if (t->dt_ent[i].de_used && t->dt_ent[i].de_id == id)
			return &t->dt_ent[i];
	return NULL;
}

static struct domtab_ent *
domtab_add(struct domtab *t, xm_domid_t id)
{
	unsigned int i;

	for (i = 0; i < DOMTAB_MAX; i++) {
		if (!t->dt_ent[i].de_used) {
			kmemset(&t->dt_ent[i], 0, sizeof(t->dt_ent[i]));
			t->dt_ent[i].de_used = 1;
			t->dt_ent[i].de_id = id;
			return &t->dt_ent[i];
		}
	}
	t->dt_overflow++;
	return NULL;
}

int
domtab_see(struct domtab *t, const struct xm_domctl_info *info)
{
	uint32_t state = info->flags & DOMTAB_STATE_FLAGS;
	uint32_t reason = state & XM_DOMINF_SHUTDOWN ?
	    info->shutdown_reason : 0;
	struct domtab_ent *e;
	int news;

	if ((e = domtab_find(t, info->domain)) != NULL)
		news = e->de_state != state || e->de_reason != reason;
	else if ((e = domtab_add(t, info->domain)) != NULL)
		news = state != 0;
	else
		return state != 0;
	e->de_seen = 1;
	e->de_state = state;
	e->de_reason = reason;
	return news;
}

void
domtab_end(struct domtab *t, domtab_gone_t *gone, void *arg)
{
	struct domtab_ent *e;
	unsigned int i;

	for (i = 0; i < DOMTAB_MAX; i++) {
		e = &t->dt_ent[i];
		if (!e->de_used || e->de_seen)
			continue;
		e->de_used = 0;
		gone(arg, e->de_id);
	}
}
