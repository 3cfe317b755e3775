/*
 * Building a domain from a definition's text: domain.create,
 * domain.start, autostart and the restart lifecycle action all come
 * here.  The text is kept with the domain (and in STATE/run) so that a
 * restart or the next xmd can build or describe it again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmctl.h>

#include "builder.h"
#include "events.h"
#include "log.h"
#include "xmd.h"
#include "xsd.h"

struct launch {
	struct xmd		*l_x;
	struct xm_domain_def	 l_def;
	launch_done_fn		*l_done;
	void			*l_arg;
};

static void
launch_free(struct launch *l)
{
	xm_domain_def_dispose(&l->l_def);
	free(l);
}

static void
built(void *arg, struct dom *d, int code, const char *msg)
{
	struct launch *l = arg;
	struct xmd *x = l->l_x;

	d->d_busy = 0;
	if (code != 0) {
		domains_gone(x, d, "build failed");
		l->l_done(l->l_arg, NULL, code, msg);
	} else {
		d->d_state = DOM_RUNNING;
		runstate_put_text(x, d);
		runstate_save(x);
		events_emit_dom(x, "domain.started", d, NULL, NULL);
		l->l_done(l->l_arg, d, 0, NULL);
	}
	launch_free(l);
}

/* The builder has the store's port: the domain's xenstore paths. */
static int
store_ready(void *arg, struct dom *d, uint32_t port, uint64_t mfn,
    char *err, size_t errlen)
{
	struct launch *l = arg;

	return xsd_introduce(l->l_x, d, port, mfn, err, errlen);
}

/* Name and UUID are free: 0, or -1 with code and err. */
static int
unique(struct xmd *x, const struct xm_domain_def *def, int *code, char *err,
    size_t errlen)
{
	char uuid[XM_UUID_STRLEN];
	struct dom *d;

	*code = XMCTL_E_EXISTS;
	if (registry_by_name(&x->x_reg, def->dd_name) != NULL) {
		snprintf(err, errlen, "domain '%s': a domain of that name exists",
		    def->dd_name);
		return -1;
	}
	if ((d = registry_by_uuid(&x->x_reg, def->dd_uuid)) != NULL) {
		xm_uuid_format(def->dd_uuid, uuid);
		snprintf(err, errlen, "domain '%s': UUID %s belongs to domain '%s'",
		    def->dd_name, uuid, d->d_name);
		return -1;
	}
	return 0;
}

/* A registry entry for def, keeping its canonical XML. */
static struct dom *
new_dom(struct xmd *x, const struct xm_domain_def *def, int *code,
    char *err, size_t errlen)
{
	struct dom *d;

	if (unique(x, def, code, err, errlen) != 0)
		return NULL;
	d = domains_add(x, def->dd_name, def->dd_uuid);

	*code = XMCTL_E_INTERNAL;
	if (d == NULL) {
		snprintf(err, errlen, "domain '%s': cannot open its console log",
		    def->dd_name);
		return NULL;
	}
	d->d_memory_kib = def->dd_memory_kib;
	d->d_target_kib = dd_current_kib(def);
	d->d_vcpus = def->dd_vcpus;
	d->d_busy = 1;
	d->d_kernel = builder_kernel_path(x->x_kernel_dir, def->dd_kernel);
	d->d_cmdline = strdup(def->dd_cmdline);
	if (dd_write_xml(def, &d->d_text) == 0)
		d->d_len = strlen(d->d_text);
	if (d->d_kernel == NULL || d->d_cmdline == NULL || d->d_text == NULL) {
		d->d_busy = 0;
		domains_gone(x, d, "out of memory");
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return d;
}

struct dom *
launch_new_dom(struct xmd *x, const struct xm_domain_def *def,
    const struct lifecycle *life, int *code, char *err, size_t errlen)
{
	struct dom *d = new_dom(x, def, code, err, errlen);

	if (d != NULL)
		d->d_life = *life;
	return d;
}

int
launch(struct xmd *x, const char *text, size_t len, launch_done_fn *done,
    void *arg, int *code, char *err, size_t errlen)
{
	struct lifecycle life;
	struct build_req req;
	struct launch *l;
	struct dom *d;
	char why[1024];

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		*code = XMCTL_E_INTERNAL;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*l = (struct launch){ x, { 0 }, done, arg };
	xm_domain_def_init(&l->l_def);
	if (defs_parse(text, len, &l->l_def, &life, why, sizeof(why)) != 0) {
		*code = XMCTL_E_DEFINITION;
		snprintf(err, errlen, "definition: %s", why);
		goto fail;
	}
	if (dd_check_startable(&l->l_def, why, sizeof(why)) != 0) {
		/* Stored by define, but not started until its drivers exist. */
		*code = XMCTL_E_DEFINITION;
		snprintf(err, errlen, "domain '%s': %s", l->l_def.dd_name,
		    why);
		goto fail;
	}
	if ((d = launch_new_dom(x, &l->l_def, &life, code, err,
	    errlen)) == NULL)
		goto fail;
	req = (struct build_req){ x->x_base, x->x_ctl, x->x_kernel_dir,
	    &l->l_def, d, built, l, store_ready };
	if (builder_start(&req, code, err, errlen) == 0)
		return 0;
	d->d_busy = 0;
	domains_gone(x, d, "build failed");
fail:
	launch_free(l);
	return -1;
}

static void
autostarted(void *arg, struct dom *d, int code, const char *msg)
{
	(void)arg;
	if (code != 0)
		log_warnx("autostart: %s", msg);
	else
		log_info("domain '%s' (d%d): autostarted", d->d_name, d->d_id);
}

void
launch_autostart(struct xmd *x)
{
	struct def *df;
	char err[1024];
	int code;

	if (x->x_autostarted)
		return;
	x->x_autostarted = 1;
	TAILQ_FOREACH(df, &x->x_defs.ds_list, df_entry) {
		if (!df->df_autostart ||
		    registry_by_name(&x->x_reg, df->df_name) != NULL)
			continue;
		if (launch(x, df->df_text, df->df_len, autostarted, NULL,
		    &code, err, sizeof(err)) != 0)
			log_warnx("autostart: %s", err);
	}
}
