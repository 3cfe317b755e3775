/*
 * Migrations out that an xmd did not see to their end because it was
 * killed.  Each one under way has a record in the state directory,
 * migrate-out-NAME.rec, written as it starts and again just before its
 * commit is sent, and removed when it ends (migrate_out.c).  The next
 * xmd takes the node over with its domains (node.c) and, once they are
 * known, settles each record it finds:
 * - before the commit, the target dropped its copy when the connection
 *   went (migrate_in.c): the domain runs on here, log-dirty off and a
 *   suspend cancelled (its suspend call returns 1);
 * - with the commit sent, only the target knows: it is asked
 *   (migration.status), as when a commit's answer is lost.
 * The stream files such a migration left, in or out, are removed.
 */
#include <sys/uio.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <xm/ctl.h>

#include "ctl.h"
#include "log.h"
#include "migrate.h"
#include "registry.h"
#include "save.h"
#include "statefile.h"
#include "suspend.h"
#include "uuid.h"
#include "xmd.h"

#define REC_PREFIX	"migrate-out-"
#define REC_SUFFIX	".rec"
#define REC_MAX		(16 * 1024)
#define UNSUSPEND_WINDOW_MS	30000	/* for a suspend asked before */

static void
rec_name(char *buf, size_t len, const char *dom)
{
	snprintf(buf, len, REC_PREFIX "%s" REC_SUFFIX, dom);
}

void
migrate_record(struct xmd *x, const char *dom, const char *uuid,
    const char *uri, const char *phase)
{
	struct json_object *o = json_object_new_object();
	char name[PATH_MAX];
	const char *s;

	json_object_object_add(o, "domain", json_object_new_string(dom));
	json_object_object_add(o, "uuid", json_object_new_string(uuid));
	json_object_object_add(o, "uri", json_object_new_string(uri));
	json_object_object_add(o, "phase", json_object_new_string(phase));
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	rec_name(name, sizeof(name), dom);
	if (statefile_write(x->x_state_dir, name, s, strlen(s)) != 0)
		log_warn("domain '%s': cannot write %s/%s", dom,
		    x->x_state_dir, name);
	json_object_put(o);
}

void
migrate_record_remove(struct xmd *x, const char *dom)
{
	char name[PATH_MAX];

	rec_name(name, sizeof(name), dom);
	if (statefile_remove(x->x_state_dir, name) != 0)
		log_warn("domain '%s': cannot remove %s/%s", dom,
		    x->x_state_dir, name);
}

static void
resumed(void *arg, int status, const char *step)
{
	struct dom *d = arg;

	if (status != 0)
		log_warnx("domain '%s': stays suspended: resuming it failed "
		    "(%s): %s", d->d_name, step, ctl_strerror(status));
	else
		log_info("domain '%s': runs on here", d->d_name);
}

/* Before the commit: log-dirty off, and a suspended domain runs on. */
static void
settle_here(struct xmd *x, struct dom *d, const char *uri)
{
	struct xm_ctl_log_dirty req;
	struct iovec iov = { &req, sizeof(req) };

	log_warnx("domain '%s': its migration to %s was cut short when the "
	    "last xmd stopped, before the commit: it runs on here", d->d_name,
	    uri);
	memset(&req, 0, sizeof(req));
	req.domid = (xm_domid_t)d->d_id;
	req.op = XM_LOG_DIRTY_DISABLE;
	/* Off already (the rounds had ended) is as good. */
	(void)ctl_request(x->x_ctl, XM_CTL_OP_LOG_DIRTY, &iov, 1, 0, NULL,
	    NULL);
	if (d->d_state != DOM_SUSPENDED) {
		/* The suspend it was asked for may be yet to come. */
		d->d_unsuspend_until = mono_ms() + UNSUSPEND_WINDOW_MS;
		return;
	}
	if (suspend_cancel(x, d->d_id, resumed, d) != 0)
		log_warnx("domain '%s': stays suspended: cannot resume it",
		    d->d_name);
}

void
migrate_unsuspend(struct xmd *x, struct dom *d)
{
	d->d_unsuspend_until = 0;
	log_info("domain '%s': the suspend the killed xmd's migration asked "
	    "for came; it is cancelled", d->d_name);
	if (suspend_cancel(x, d->d_id, resumed, d) != 0)
		log_warnx("domain '%s': stays suspended: cannot resume it",
		    d->d_name);
}

/*
 * One record: 0 once it is settled, 1 when migrate_out.c has taken it
 * on (and removes it when done), -1 if it is bad.
 */
static int
settle(struct xmd *x, const char *path)
{
	struct json_object *o, *v;
	const char *dom = "", *uuid = "", *uri = "", *phase = "";
	uint8_t u[XM_UUID_LEN];
	struct dom *d;
	size_t len;
	char *text;

	if ((text = statefile_read(path, REC_MAX, &len)) == NULL)
		return -1;
	o = json_tokener_parse(text);
	free(text);
	if (o == NULL)
		return -1;
	if (json_object_object_get_ex(o, "domain", &v))
		dom = json_object_get_string(v);
	if (json_object_object_get_ex(o, "uuid", &v))
		uuid = json_object_get_string(v);
	if (json_object_object_get_ex(o, "uri", &v))
		uri = json_object_get_string(v);
	if (json_object_object_get_ex(o, "phase", &v))
		phase = json_object_get_string(v);
	if (xm_uuid_parse(uuid, u) != 0) {
		json_object_put(o);
		return -1;
	}
	if ((d = registry_by_uuid(&x->x_reg, u)) == NULL || d->d_id < 0)
		log_info("domain '%s': its migration to %s was cut short "
		    "when the last xmd stopped; it is not on this node",
		    dom, uri);
	else if (strcmp(phase, "commit") != 0)
		settle_here(x, d, uri);
	else if (migrate_out_settle(x, d, uri) == 0) {
		json_object_put(o);
		return 1;
	} else
		log_warnx("domain '%s': its migration to %s stopped at the "
		    "commit and cannot be settled: it stays suspended here "
		    "(xmctl resume runs it here if it does not run there)",
		    dom, uri);
	json_object_put(o);
	return 0;
}

/*
 * A stream file of a migration that was under way when the last xmd was
 * killed, in or out: no migration is under way yet, so it goes.
 */
static int
stale_stream(const char *name)
{
	return strncmp(name, "migrate-in.", strlen("migrate-in.")) == 0 ||
	    (strncmp(name, REC_PREFIX, strlen(REC_PREFIX)) == 0 &&
	    strstr(name, ".save") != NULL);
}

void
migrate_recover(struct xmd *x)
{
	char path[PATH_MAX];
	struct dirent *e;
	size_t n;
	DIR *dir;

	if ((dir = opendir(x->x_state_dir)) == NULL)
		return;
	while ((e = readdir(dir)) != NULL) {
		if (stale_stream(e->d_name)) {
			log_info("%s/%s: the stream of a migration the last xmd "
			    "did not end; removed", x->x_state_dir, e->d_name);
			if (statefile_remove(x->x_state_dir, e->d_name) != 0)
				log_warn("%s/%s", x->x_state_dir, e->d_name);
			continue;
		}
		n = strlen(e->d_name);
		if (strncmp(e->d_name, REC_PREFIX, strlen(REC_PREFIX)) != 0 ||
		    n <= strlen(REC_SUFFIX) || strcmp(e->d_name + n -
		    strlen(REC_SUFFIX), REC_SUFFIX) != 0)
			continue;
		if (statefile_path(path, sizeof(path), x->x_state_dir,
		    e->d_name) != 0)
			continue;
		switch (settle(x, path)) {
		case 1:
			continue;
		case -1:
			log_warnx("%s: not a migration record; removed", path);
			break;
		}
		if (unlink(path) != 0)
			log_warn("%s", path);
	}
	closedir(dir);
}
