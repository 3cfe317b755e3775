/*
 * What xmd leaves for the next xmd on this state directory, so that a
 * restart does not disturb running domains: STATE/domains, one line
 * "ID UUID NAME" per domain it runs, and STATE/run/NAME.xml, the
 * definition each one runs (its lifecycle actions, kernel, command
 * line).  The next xmd asks the node what runs (LIST) and gives each
 * domain whose id it finds here its old name, UUID and definition; its
 * console log (STATE/console/NAME.log) is appended to.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"
#include "defs.h"
#include "log.h"
#include "parse_num.h"
#include "statefile.h"
#include "xmd.h"

#define RUNSTATE_FILE	"domains"
#define RUNSTATE_MAX	(1024 * 1024)

struct saved_dom {
	int		sd_id;
	uint8_t		sd_uuid[XM_UUID_LEN];
	char		sd_name[XM_DEF_NAME_MAX + 1];
};

static int
run_dir(struct xmd *x, char *buf, size_t len)
{
	if (statefile_path(buf, len, x->x_state_dir, "run") != 0)
		return -1;
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Write STATE/domains only when its text changes: the registry is saved
 * after every reconcile, and an unchanged file is not worth an fsync.
 * The text last written (or read at start) is kept; buf is taken.
 */
static void
save_changed(struct xmd *x, char *buf, size_t len)
{
	if (x->x_rs_known && len == x->x_rs_len &&
	    (len == 0 || memcmp(buf, x->x_rs_text, len) == 0)) {
		free(buf);
		return;
	}
	if (statefile_write(x->x_state_dir, RUNSTATE_FILE, buf ? buf : "",
	    len) != 0) {
		log_warn("%s/%s", x->x_state_dir, RUNSTATE_FILE);
		free(buf);
		return;
	}
	free(x->x_rs_text);
	x->x_rs_text = buf;
	x->x_rs_len = len;
	x->x_rs_known = 1;
}

/* What STATE/domains holds now, as read at start. */
static void
save_known(struct xmd *x, const char *text, size_t len)
{
	free(x->x_rs_text);
	x->x_rs_known = 0;
	if ((x->x_rs_text = malloc(len + 1)) == NULL)
		return;
	memcpy(x->x_rs_text, text, len);
	x->x_rs_len = len;
	x->x_rs_known = 1;
}

void
runstate_save(struct xmd *x)
{
	char line[XM_DEF_NAME_MAX + XM_UUID_STRLEN + 32];
	char uuid[XM_UUID_STRLEN], *buf = NULL, *grown;
	size_t len = 0, cap = 0, n;
	struct dom *d;

	TAILQ_FOREACH(d, &x->x_reg.r_doms, d_entry) {
		if (d->d_id < 0 || d->d_privileged)
			continue;
		xm_uuid_format(d->d_uuid, uuid);
		n = (size_t)snprintf(line, sizeof(line), "%d %s %s\n",
		    d->d_id, uuid, d->d_name);
		if (len + n > cap) {
			cap = (cap + n) * 2;
			if ((grown = realloc(buf, cap)) == NULL) {
				free(buf);
				return;
			}
			buf = grown;
		}
		memcpy(buf + len, line, n);
		len += n;
	}
	save_changed(x, buf, len);
}

void
runstate_put_text(struct xmd *x, const struct dom *d)
{
	char dir[PATH_MAX], file[XM_DEF_NAME_MAX + 8];

	if (d->d_text == NULL || run_dir(x, dir, sizeof(dir)) != 0)
		return;
	snprintf(file, sizeof(file), "%s.xml", d->d_name);
	if (statefile_write(dir, file, d->d_text, d->d_len) != 0)
		log_warn("%s/%s", dir, file);
}

void
runstate_drop_text(struct xmd *x, const char *name)
{
	char dir[PATH_MAX], file[XM_DEF_NAME_MAX + 8];

	if (run_dir(x, dir, sizeof(dir)) != 0)
		return;
	snprintf(file, sizeof(file), "%s.xml", name);
	statefile_remove(dir, file);
}

static int
parse_line(char *line, struct saved_dom *sd)
{
	char *id, *uuid, *name;
	uint64_t v;

	if ((id = strtok(line, " \n")) == NULL ||
	    (uuid = strtok(NULL, " \n")) == NULL ||
	    (name = strtok(NULL, " \n")) == NULL)
		return -1;
	if (xm_num_parse(id, 1, XM_DOMID_FIRST_RESERVED - 1, &v) !=
	    XM_NUM_OK ||
	    xm_uuid_parse(uuid, sd->sd_uuid) != 0 ||
	    !xm_domain_name_valid(name, &(const char *){ NULL }))
		return -1;
	sd->sd_id = (int)v;
	snprintf(sd->sd_name, sizeof(sd->sd_name), "%s", name);
	return 0;
}

void
runstate_load(struct xmd *x)
{
	char path[PATH_MAX], *text, *line, *save = NULL;
	struct saved_dom sd, *grown;
	size_t len;

	if (statefile_path(path, sizeof(path), x->x_state_dir,
	    RUNSTATE_FILE) != 0 ||
	    (text = statefile_read(path, RUNSTATE_MAX, &len)) == NULL)
		return;
	save_known(x, text, len);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (parse_line(line, &sd) != 0) {
			log_warnx("%s: a bad line, skipped", path);
			continue;
		}
		grown = reallocarray(x->x_saved, x->x_nsaved + 1,
		    sizeof(*grown));
		if (grown == NULL)
			break;
		x->x_saved = grown;
		x->x_saved[x->x_nsaved++] = sd;
	}
	free(text);
	log_info("the last xmd ran %zu domains", x->x_nsaved);
}

void
runstate_free(struct xmd *x)
{
	free(x->x_saved);
	x->x_saved = NULL;
	x->x_nsaved = 0;
}

void
runstate_close(struct xmd *x)
{
	runstate_free(x);
	free(x->x_rs_text);
	x->x_rs_text = NULL;
	x->x_rs_known = 0;
}

/* d's definition from STATE/run/NAME.xml, as it was built from. */
static void
restore_def(struct xmd *x, struct dom *d)
{
	char dir[PATH_MAX], path[PATH_MAX], err[512];
	struct xm_domain_def def;
	size_t len;

	xm_domain_def_init(&def);
	if (run_dir(x, dir, sizeof(dir)) != 0 ||
	    snprintf(path, sizeof(path), "%s/%s.xml", dir, d->d_name) >=
	    (int)sizeof(path) ||
	    (d->d_text = statefile_read(path, XM_DEF_TEXT_MAX, &len)) == NULL)
		goto out;
	d->d_len = len;
	if (defs_parse(d->d_text, len, &def, &d->d_life, err,
	    sizeof(err)) != 0) {
		log_warnx("%s: %s", path, err);
		goto out;
	}
	d->d_kernel = builder_kernel_path(x->x_kernel_dir, def.dd_kernel);
	d->d_cmdline = strdup(def.dd_cmdline);
	d->d_vcpus = def.dd_vcpus;
	d->d_memory_kib = def.dd_memory_kib;
out:
	xm_domain_def_dispose(&def);
}

struct dom *
runstate_adopt(struct xmd *x, int id)
{
	struct saved_dom *sd = NULL;
	struct dom *d;
	size_t i;

	for (i = 0; i < x->x_nsaved && sd == NULL; i++)
		if (x->x_saved[i].sd_id == id)
			sd = &x->x_saved[i];
	if (sd == NULL || registry_by_name(&x->x_reg, sd->sd_name) != NULL ||
	    (d = domains_add(x, sd->sd_name, sd->sd_uuid)) == NULL)
		return NULL;
	d->d_id = id;
	restore_def(x, d);
	log_info("domain '%s' (d%d): still running, taken over", d->d_name,
	    id);
	return d;
}
