/*
 * A migration's commit whose answer never came (migrate.h): the target
 * may or may not run the domain, and two copies must never run.  The
 * source asks it on a new connection (migration.status) once a second
 * for CHECK_WINDOW_S: "present", ours goes as after a commit; "absent",
 * ours runs on; no answer, ours stays suspended, as xl leaves it.  The
 * same settles a migration a killed xmd left at its commit
 * (migrate_out_settle, from migrate_recover.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "log.h"
#include "migrate.h"
#include "migrate_out_int.h"
#include "registry.h"
#include "save.h"
#include "uuid.h"
#include "xmd.h"

/*
 * No word from the target on the commit: it may run the domain, so ours
 * stays suspended, as xl leaves it.
 */
static void
commit_unknown(struct mig_out *mo)
{
	struct dom *d = registry_by_id(&mo->mo_x->x_reg, mo->mo_id);
	char why[PATH_MAX + 2048];

	snprintf(why, sizeof(why), "domain '%s': migration to %s: %s; the "
	    "target did not confirm the commit and did not answer for %d s "
	    "after, so the domain stays suspended here (xmctl resume runs it "
	    "here if it does not run there)", mo->mo_name, mo->mo_uri,
	    mo->mo_lost_buf, CHECK_WINDOW_S);
	mo_error(mo, XMCTL_E_TARGET, why);
	if (d != NULL)
		d->d_busy = 0;
	mo_free(mo);
}

static void
check_ask(evutil_socket_t fd, short what, void *arg)
{
	struct mig_out *mo = arg;
	struct timeval tv = { 5, 0 };
	struct json_object *p;
	char err[256];

	(void)fd, (void)what;
	if (mo_connect(mo, err, sizeof(err)) != 0) {
		mo_check_again(mo);
		return;
	}
	bufferevent_set_timeouts(mo->mo_bev, &tv, &tv);	/* not 300 s */
	p = json_object_new_object();
	json_object_object_add(p, "uuid", json_object_new_string(mo->mo_uuid));
	mo_request(mo, MO_CHECK, "migration.status", p);
}

/*
 * After a lost commit answer: ask once a second for CHECK_WINDOW_S
 * (check_answer has the verdict), then give up (commit_unknown).
 */
void
mo_check_again(struct mig_out *mo)
{
	struct timeval tv = { 1, 0 };

	mo->mo_step = MO_CHECK;
	if (mo->mo_bev != NULL) {
		bufferevent_free(mo->mo_bev);
		mo->mo_bev = NULL;
	}
	if (mono_ms() >= mo->mo_check_until) {
		commit_unknown(mo);
		return;
	}
	if (mo->mo_check_ev == NULL)
		mo->mo_check_ev = evtimer_new(mo->mo_x->x_base, check_ask, mo);
	if (mo->mo_check_ev == NULL || evtimer_add(mo->mo_check_ev, &tv) != 0)
		commit_unknown(mo);
}

/*
 * migration.status's answer after a lost commit: "present", the commit
 * was done there and ours goes; "absent", it never reached the target,
 * whose copy is gone, and ours runs on; "pending", ask again.
 */
void
mo_check_answer(struct mig_out *mo, struct json_object *result)
{
	struct json_object *v;
	const char *state = json_object_object_get_ex(result, "state", &v) ?
	    json_object_get_string(v) : "";

	log_info("domain '%s': %s says it is %s there", mo->mo_name,
	    mo->mo_uri, state);
	if (strcmp(state, "present") == 0) {
		mo_destroy_ours(mo);
	} else if (strcmp(state, "absent") == 0) {
		mo->mo_step = MO_FINISH;	/* before the commit, as it was */
		mo_fail(mo, XMCTL_E_TARGET, "%s; the commit did not reach the "
		    "target, which does not have the domain", mo->mo_lost_buf);
	} else {
		mo_check_again(mo);
	}
}

int
migrate_out_settle(struct xmd *x, struct dom *d, const char *uri)
{
	struct mig_out *mo;

	if ((mo = calloc(1, sizeof(*mo))) == NULL)
		return -1;
	mo->mo_fd = -1;
	if (mo_parse_uri(mo, NULL, uri) != 0) {
		free(mo);
		return -1;
	}
	mo->mo_x = x;
	TAILQ_INSERT_TAIL(&migrate_outgoing, mo, mo_entry);
	mo->mo_id = d->d_id;
	mo->mo_kept = 1;
	mo->mo_recorded = 1;
	clock_gettime(CLOCK_MONOTONIC, &mo->mo_start);
	snprintf(mo->mo_name, sizeof(mo->mo_name), "%s", d->d_name);
	xm_uuid_format(d->d_uuid, mo->mo_uuid);
	snprintf(mo->mo_lost_buf, sizeof(mo->mo_lost_buf), "the xmd that sent "
	    "the commit was killed");
	d->d_busy = 1;
	log_warnx("domain '%s': its migration to %s stopped at the commit when "
	    "the last xmd was killed: asking the target whether it runs the "
	    "domain", mo->mo_name, mo->mo_uri);
	mo->mo_check_until = mono_ms() + CHECK_WINDOW_S * 1000;
	mo_check_again(mo);
	return 0;
}
