/*
 * Shutdown and reboot through the guest (see shutdown_coop.h).
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <xmctl.h>

#include "log.h"
#include "registry.h"
#include "rpc_dispatch.h"
#include "shutdown_coop.h"
#include "xmd.h"
#include "xsd.h"

struct coop {
	TAILQ_ENTRY(coop)	 c_entry;
	struct rpc_call		*c_call;
	int			 c_domid;
	char			 c_name[XM_DEF_NAME_MAX + 1];
	const char		*c_verb;
	unsigned int		 c_timeout_s;
	struct event		*c_timer;
};

static TAILQ_HEAD(, coop) coops = TAILQ_HEAD_INITIALIZER(coops);

static void
coop_free(struct coop *c)
{
	TAILQ_REMOVE(&coops, c, c_entry);
	if (c->c_timer != NULL)
		event_free(c->c_timer);
	free(c);
}

static void
coop_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct coop *c = arg;

	(void)fd, (void)what;
	rpc_error(c->c_call, XMCTL_E_TIMEOUT, "domain '%s': asked to %s "
	    "through xenstore (control/shutdown), it did not within %u s; "
	    "destroy stops it at once", c->c_name, c->c_verb,
	    c->c_timeout_s);
	coop_free(c);
}

/* Whether the domain listens for this request (its feature flag). */
static int
listens(struct xmd *x, int domid, int reboot)
{
	char *v = xsd_read_dom(x, domid, reboot ? "control/feature-reboot" :
	    "control/feature-poweroff");
	int yes = v != NULL && strcmp(v, "1") == 0;

	free(v);
	return yes;
}

int
coop_shutdown_start(struct xmd *x, struct rpc_call *call, struct dom *d,
    int reboot, unsigned int timeout_s)
{
	const char *verb = reboot ? "reboot" : "shut down";
	struct timeval tv = { timeout_s, 0 };
	struct coop *c;
	int rc;

	if (!listens(x, d->d_id, reboot))
		return 0;
	if ((rc = xsd_write_dom(x, d->d_id, "control/shutdown",
	    reboot ? "reboot" : "poweroff")) != 0) {
		rpc_error(call, XMCTL_E_INTERNAL, "domain '%s': cannot write "
		    "control/shutdown: %s", d->d_name, strerror(rc));
		return -1;
	}
	log_info("domain '%s' (d%d): asked to %s through xenstore",
	    d->d_name, d->d_id, verb);
	if (timeout_s == 0) {
		rpc_result(call, NULL);
		return 1;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->c_timer = evtimer_new(x->x_base, coop_timeout, c)) == NULL) {
		free(c);
		rpc_result(call, NULL);	/* asked; only the wait is lost */
		return 1;
	}
	c->c_call = call;
	c->c_domid = d->d_id;
	snprintf(c->c_name, sizeof(c->c_name), "%s", d->d_name);
	c->c_verb = verb;
	c->c_timeout_s = timeout_s;
	TAILQ_INSERT_TAIL(&coops, c, c_entry);
	evtimer_add(c->c_timer, &tv);
	return 1;
}

void
coop_shutdown_done(struct xmd *x, int domid)
{
	struct coop *c, *next;

	(void)x;
	TAILQ_FOREACH_SAFE(c, &coops, c_entry, next)
		if (c->c_domid == domid) {
			rpc_result(c->c_call, NULL);
			coop_free(c);
		}
}

void
coop_shutdown_clear(struct xmd *x)
{
	struct coop *c;

	(void)x;
	while ((c = TAILQ_FIRST(&coops)) != NULL) {
		rpc_error(c->c_call, XMCTL_E_INTERNAL, "domain '%s': xmd "
		    "stopped while waiting for it to %s", c->c_name,
		    c->c_verb);
		coop_free(c);
	}
}
