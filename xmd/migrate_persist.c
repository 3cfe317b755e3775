/*
 * What --persistent and --undefinesource do to definitions
 * (migrate_opts.h): the target's defs at the commit, the source's once
 * its copy has gone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmctl.h>

#include "defs.h"
#include "events.h"
#include "log.h"
#include "migrate_opts.h"
#include "registry.h"
#include "uuid.h"
#include "xmd.h"

int
migrate_persist_check(struct xmd *x, const char *name, const uint8_t *uuid,
    char *err, size_t errlen)
{
	struct def *byname = defs_by_name(&x->x_defs, name);
	struct def *byuuid = defs_by_uuid(&x->x_defs, uuid);

	if (byname != NULL && memcmp(byname->df_uuid, uuid, XM_UUID_LEN) != 0) {
		snprintf(err, errlen, "domain '%s': defined on the target with "
		    "another UUID", name);
		return -1;
	}
	if (byuuid != NULL && strcmp(byuuid->df_name, name) != 0) {
		snprintf(err, errlen, "domain '%s': its UUID belongs to domain "
		    "'%s' defined on the target", name, byuuid->df_name);
		return -1;
	}
	return 0;
}

/* text as a definition stored: 0, or -1 with why in err. */
static int
define_text(struct xmd *x, const char *text, size_t len, char *err,
    size_t errlen)
{
	struct xm_domain_def def;
	struct lifecycle life;
	struct def *df;
	char why[512];
	int rc = -1;

	xm_domain_def_init(&def);
	if (defs_parse(text, len, &def, &life, why, sizeof(why)) != 0)
		snprintf(err, errlen, "its definition: %s", why);
	else if (defs_put(&x->x_defs, &def, &df) != 0)
		snprintf(err, errlen, "cannot store its definition in %s: %s",
		    x->x_defs.ds_dir, strerror(errno));
	else {
		events_emit(x, "domain.defined", df->df_name, -1, df->df_uuid,
		    NULL, NULL);
		rc = 0;
	}
	xm_domain_def_dispose(&def);
	return rc;
}

int
migrate_persist_define(struct xmd *x, const struct dom *d,
    struct migrate_undo *u, char *err, size_t errlen)
{
	struct def *old = defs_by_name(&x->x_defs, d->d_name);

	memset(u, 0, sizeof(*u));
	if (d->d_text == NULL) {
		snprintf(err, errlen, "domain '%s': its definition is not "
		    "known", d->d_name);
		return -1;
	}
	snprintf(u->mu_name, sizeof(u->mu_name), "%s", d->d_name);
	memcpy(u->mu_uuid, d->d_uuid, XM_UUID_LEN);
	if (old != NULL) {
		if ((u->mu_old = malloc(old->df_len + 1)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(u->mu_old, old->df_text, old->df_len + 1);
		u->mu_old_len = old->df_len;
	}
	if (define_text(x, d->d_text, d->d_len, err, errlen) != 0) {
		migrate_persist_keep(u);
		return -1;
	}
	u->mu_done = 1;
	log_info("domain '%s': defined here, as it migrates in%s", d->d_name,
	    old != NULL ? " (replacing its definition)" : "");
	return 0;
}

void
migrate_persist_undo(struct xmd *x, struct migrate_undo *u)
{
	char err[1024];
	struct def *df;

	if (!u->mu_done)
		return;
	if (u->mu_old != NULL) {
		if (define_text(x, u->mu_old, u->mu_old_len, err,
		    sizeof(err)) != 0)
			log_warnx("domain '%s': its definition as before the "
			    "migration in: %s", u->mu_name, err);
	} else if ((df = defs_by_name(&x->x_defs, u->mu_name)) != NULL) {
		if (defs_remove(&x->x_defs, df) != 0)
			log_warn("domain '%s': cannot remove the definition "
			    "of the failed migration in", u->mu_name);
		else
			events_emit(x, "domain.undefined", u->mu_name, -1,
			    u->mu_uuid, NULL, NULL);
	}
	migrate_persist_keep(u);
}

void
migrate_persist_keep(struct migrate_undo *u)
{
	free(u->mu_old);
	u->mu_old = NULL;
	u->mu_done = 0;
}

void
migrate_undefine_source(struct xmd *x, const char *name, const char *text)
{
	uint8_t uuid[XM_UUID_LEN];
	struct def *df = NULL;

	if (xm_uuid_parse(text, uuid) == 0)
		df = defs_by_uuid(&x->x_defs, uuid);
	if (df == NULL || strcmp(df->df_name, name) != 0) {
		log_info("domain '%s': not persistent here, nothing to "
		    "undefine", name);
		return;
	}
	if (defs_remove(&x->x_defs, df) != 0) {
		log_warn("domain '%s': migrated, but its definition here "
		    "cannot be removed", name);
		return;
	}
	log_info("domain '%s': undefined here, as it migrated", name);
	events_emit(x, "domain.undefined", name, -1, uuid, NULL, NULL);
}
