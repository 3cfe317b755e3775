/* The persistent definitions in STATE/defs (see defs.h). */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"
#include "log.h"
#include "statefile.h"

int
defs_parse(const char *text, size_t len, struct xm_domain_def *def,
    struct lifecycle *life, char *err, size_t errlen)
{
	if (len > XM_DEF_TEXT_MAX) {
		snprintf(err, errlen, "longer than %d bytes", XM_DEF_TEXT_MAX);
		return -1;
	}
	if (dd_parse_auto(def, text, len, err, errlen) != 0)
		return -1;
	return lifecycle_from_def(def, life, err, errlen);
}

static struct def *
def_new(const struct xm_domain_def *def, char *text, size_t len)
{
	struct def *df = calloc(1, sizeof(*df));

	if (df == NULL)
		return NULL;
	snprintf(df->df_name, sizeof(df->df_name), "%s", def->dd_name);
	memcpy(df->df_uuid, def->dd_uuid, XM_UUID_LEN);
	df->df_memory_kib = def->dd_memory_kib;
	df->df_vcpus = def->dd_vcpus;
	df->df_text = text;
	df->df_len = len;
	return df;
}

static void
def_free(struct def *df)
{
	free(df->df_text);
	free(df);
}

static int
file_exists(const char *dir, const char *name, const char *suffix)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s%s", dir, name, suffix) >=
	    (int)sizeof(path))
		return 0;
	return stat(path, &st) == 0;
}

/* STATE/defs/file, a NAME.xml: into the list, or logged and skipped. */
static void
load_one(struct defs *ds, const char *file)
{
	struct xm_domain_def def;
	struct lifecycle life;
	char path[PATH_MAX], err[512];
	struct def *df = NULL;
	char *text = NULL;
	size_t len;

	xm_domain_def_init(&def);
	if (statefile_path(path, sizeof(path), ds->ds_dir, file) != 0 ||
	    (text = statefile_read(path, XM_DEF_TEXT_MAX, &len)) == NULL) {
		log_warn("definition %s/%s", ds->ds_dir, file);
		goto out;
	}
	if (defs_parse(text, len, &def, &life, err, sizeof(err)) != 0) {
		log_warnx("definition %s: %s; skipped", path, err);
		goto out;
	}
	if (strlen(def.dd_name) + 4 != strlen(file) ||
	    strncmp(def.dd_name, file, strlen(def.dd_name)) != 0) {
		log_warnx("definition %s names domain '%s'; skipped", path,
		    def.dd_name);
		goto out;
	}
	if ((df = def_new(&def, text, len)) == NULL)
		goto out;
	text = NULL;
	df->df_autostart = file_exists(ds->ds_dir, df->df_name, ".autostart");
	TAILQ_INSERT_TAIL(&ds->ds_list, df, df_entry);
out:
	free(text);
	xm_domain_def_dispose(&def);
}

static int
is_xml_name(const char *s)
{
	size_t n = strlen(s);

	return n > 4 && strcmp(s + n - 4, ".xml") == 0 && s[0] != '.';
}

int
defs_load(struct defs *ds, const char *state_dir)
{
	struct dirent *de;
	DIR *dir;

	TAILQ_INIT(&ds->ds_list);
	if (statefile_path(ds->ds_dir, sizeof(ds->ds_dir), state_dir,
	    "defs") != 0)
		return -1;
	if (mkdir(ds->ds_dir, 0700) != 0 && errno != EEXIST) {
		log_warn("%s", ds->ds_dir);
		return -1;
	}
	if ((dir = opendir(ds->ds_dir)) == NULL) {
		log_warn("%s", ds->ds_dir);
		return -1;
	}
	while ((de = readdir(dir)) != NULL)
		if (is_xml_name(de->d_name))
			load_one(ds, de->d_name);
	closedir(dir);
	return 0;
}

void
defs_free(struct defs *ds)
{
	struct def *df;

	while ((df = TAILQ_FIRST(&ds->ds_list)) != NULL) {
		TAILQ_REMOVE(&ds->ds_list, df, df_entry);
		def_free(df);
	}
}

struct def *
defs_by_name(struct defs *ds, const char *name)
{
	struct def *df;

	TAILQ_FOREACH(df, &ds->ds_list, df_entry)
		if (strcmp(df->df_name, name) == 0)
			return df;
	return NULL;
}

struct def *
defs_by_uuid(struct defs *ds, const uint8_t *uuid)
{
	struct def *df;

	TAILQ_FOREACH(df, &ds->ds_list, df_entry)
		if (memcmp(df->df_uuid, uuid, XM_UUID_LEN) == 0)
			return df;
	return NULL;
}

struct def *
defs_lookup(struct defs *ds, const char *ref)
{
	uint8_t uuid[XM_UUID_LEN];

	if (xm_uuid_parse(ref, uuid) == 0)
		return defs_by_uuid(ds, uuid);
	return defs_by_name(ds, ref);
}

int
defs_put(struct defs *ds, const struct xm_domain_def *def, struct def **out)
{
	char file[XM_DEF_NAME_MAX + 8], *copy = NULL;
	struct def *df, *old;
	size_t len;

	snprintf(file, sizeof(file), "%s.xml", def->dd_name);
	if (dd_write_xml(def, &copy) != 0)
		return -1;
	len = strlen(copy);
	if (statefile_write(ds->ds_dir, file, copy, len) != 0 ||
	    (df = def_new(def, copy, len)) == NULL) {
		free(copy);
		return -1;
	}
	if ((old = defs_by_name(ds, def->dd_name)) != NULL) {
		df->df_autostart = old->df_autostart;
		TAILQ_REMOVE(&ds->ds_list, old, df_entry);
		def_free(old);
	}
	TAILQ_INSERT_TAIL(&ds->ds_list, df, df_entry);
	*out = df;
	return 0;
}

int
defs_remove(struct defs *ds, struct def *df)
{
	char file[XM_DEF_NAME_MAX + 16];

	snprintf(file, sizeof(file), "%s.autostart", df->df_name);
	if (statefile_remove(ds->ds_dir, file) != 0)
		return -1;
	snprintf(file, sizeof(file), "%s.xml", df->df_name);
	if (statefile_remove(ds->ds_dir, file) != 0)
		return -1;
	TAILQ_REMOVE(&ds->ds_list, df, df_entry);
	def_free(df);
	return 0;
}

int
defs_set_autostart(struct defs *ds, struct def *df, int on)
{
	char file[XM_DEF_NAME_MAX + 16];
	int rc;

	snprintf(file, sizeof(file), "%s.autostart", df->df_name);
	rc = on ? statefile_write(ds->ds_dir, file, "", 0) :
	    statefile_remove(ds->ds_dir, file);
	if (rc == 0)
		df->df_autostart = on;
	return rc;
}
