/*
 * The target's side of a migration (migrate.h): another xmd, on a
 * connection of the admin role, asks
 *
 *	migration.prepare {name, uuid}	may it come? (name and UUID free)
 *	migration.receive {bytes}	then that many bytes of a save file,
 *					raw, not as requests
 *	migration.finish {}		restore it, paused: the domain, or why
 *	migration.commit {}		unpause it: from now on it is ours
 *
 * in that order.  Until the commit, the domain made here is the
 * source's to give up: a failure, or the connection going, destroys it
 * and removes the file, and the source runs its copy on.
 */
#include <sys/queue.h>
#include <sys/uio.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "ctl.h"
#include "events.h"
#include "log.h"
#include "methods.h"
#include "migrate.h"
#include "registry.h"
#include "restore.h"
#include "rpc.h"
#include "uuid.h"
#include "xmd.h"

enum mi_state {
	MI_PREPARED,	/* name and UUID checked */
	MI_RECEIVING,	/* raw bytes coming */
	MI_RECEIVED,	/* the file is whole */
	MI_RESTORING,	/* restore_start under way */
	MI_PAUSED,	/* restored, waiting for the commit */
	MI_COMMITTING,	/* UNPAUSE sent */
};

struct mig_in {
	TAILQ_ENTRY(mig_in)	 mi_entry;
	struct xmd		*mi_x;
	struct rpc_peer		*mi_peer;	/* NULL once it has gone */
	struct rpc_call		*mi_call;	/* finish's or commit's */
	enum mi_state		 mi_state;
	char			 mi_name[XMCTL_NAME_MAX];
	char			 mi_path[PATH_MAX + 32];
	int			 mi_fd;
	int			 mi_werr;	/* errno of a failed write */
	int			 mi_id;		/* the domain, once made */
};

static TAILQ_HEAD(, mig_in) incoming = TAILQ_HEAD_INITIALIZER(incoming);

static struct mig_in *
find(const struct rpc_peer *peer)
{
	struct mig_in *mi;

	TAILQ_FOREACH(mi, &incoming, mi_entry)
		if (mi->mi_peer == peer)
			return mi;
	return NULL;
}

static void
mi_free(struct mig_in *mi)
{
	TAILQ_REMOVE(&incoming, mi, mi_entry);
	if (mi->mi_fd >= 0)
		close(mi->mi_fd);
	if (mi->mi_path[0] != '\0')
		unlink(mi->mi_path);
	free(mi);
}

static void
destroyed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct mig_in *mi = arg;
	struct dom *d = registry_by_id(&mi->mi_x->x_reg, mi->mi_id);

	(void)data, (void)len;
	if (status != 0)
		log_warnx("migration of '%s' in: cannot destroy d%d: %s",
		    mi->mi_name, mi->mi_id, ctl_strerror(status));
	if (d != NULL) {
		d->d_busy = 0;
		domains_gone(mi->mi_x, d, "its migration in was abandoned");
	}
	mi_free(mi);
}

/* Give up: what was made here goes. */
static void
abandon(struct mig_in *mi)
{
	struct xm_ctl_domid id = { (xm_domid_t)mi->mi_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };

	log_warnx("migration of '%s' in: abandoned", mi->mi_name);
	if (mi->mi_state < MI_PAUSED || ctl_request(mi->mi_x->x_ctl,
	    XM_CTL_OP_DESTROY, &iov, 1, 0, destroyed, mi) != 0)
		destroyed(mi, 0, NULL, 0);
}

/* The caller's incoming migration in state want, or NULL (answered). */
static struct mig_in *
expect(struct rpc_call *call, enum mi_state want)
{
	struct mig_in *mi = find(rpc_call_peer(call));

	if (mi == NULL || mi->mi_state != want) {
		rpc_error(call, XMCTL_E_STATE, "%s: not in that step of a "
		    "migration", rpc_call_method(call));
		return NULL;
	}
	return mi;
}

void
m_migration_prepare(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xmd *x = ctx;
	struct json_object *v;
	const char *name, *uuid;
	uint8_t u[16];
	struct mig_in *mi;

	json_object_object_get_ex(params, "name", &v);
	name = json_object_get_string(v);
	json_object_object_get_ex(params, "uuid", &v);
	uuid = json_object_get_string(v);
	if (!methods_node_up(x, call))
		return;
	if (strlen(name) >= XMCTL_NAME_MAX || xm_uuid_parse(uuid, u) != 0) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "migration.prepare: "
		    "name '%s' or uuid '%s' is not one", name, uuid);
		return;
	}
	if (find(rpc_call_peer(call)) != NULL) {
		rpc_error(call, XMCTL_E_STATE, "migration.prepare: this "
		    "connection has a migration under way");
		return;
	}
	if (registry_by_name(&x->x_reg, name) != NULL ||
	    registry_by_uuid(&x->x_reg, u) != NULL) {
		rpc_error(call, XMCTL_E_EXISTS, "domain '%s': a domain of "
		    "that name or UUID exists on the target", name);
		return;
	}
	if ((mi = calloc(1, sizeof(*mi))) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	mi->mi_x = x;
	mi->mi_peer = rpc_call_peer(call);
	mi->mi_fd = -1;
	mi->mi_id = -1;
	snprintf(mi->mi_name, sizeof(mi->mi_name), "%s", name);
	TAILQ_INSERT_TAIL(&incoming, mi, mi_entry);
	log_info("migration of '%s' in: prepared", name);
	rpc_result(call, NULL);
}

static void
take_bytes(void *arg, const void *data, size_t len, int last)
{
	struct mig_in *mi = arg;
	const char *p = data;
	ssize_t n;

	while (len > 0 && mi->mi_werr == 0) {
		if ((n = write(mi->mi_fd, p, len)) < 0) {
			if (errno != EINTR)
				mi->mi_werr = errno;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
	if (last)
		mi->mi_state = MI_RECEIVED;
}

void
m_migration_receive(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xmd *x = ctx;
	struct json_object *v;
	struct mig_in *mi;
	int64_t bytes;

	json_object_object_get_ex(params, "bytes", &v);
	bytes = json_object_get_int64(v);
	if ((mi = expect(call, MI_PREPARED)) == NULL)
		return;
	if (bytes < 1 || (uint64_t)bytes > MIGRATE_BYTES_MAX) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "migration.receive: "
		    "%lld bytes", (long long)bytes);
		return;
	}
	if ((size_t)snprintf(mi->mi_path, sizeof(mi->mi_path),
	    "%s/migrate-in.XXXXXX", x->x_state_dir) >= sizeof(mi->mi_path))
		errno = ENAMETOOLONG;
	else if ((mi->mi_fd = mkstemp(mi->mi_path)) >= 0)
		errno = 0;
	if (mi->mi_fd < 0) {
		rpc_error(call, XMCTL_E_INTERNAL, "migration of '%s' in: "
		    "cannot write '%s': %s", mi->mi_name, mi->mi_path,
		    strerror(errno));
		mi->mi_path[0] = '\0';
		return;
	}
	mi->mi_state = MI_RECEIVING;
	rpc_peer_take_raw(mi->mi_peer, (uint64_t)bytes, take_bytes, mi);
	rpc_result(call, NULL);
}

static void
restored(void *arg, int code, const char *msg, struct dom *d)
{
	struct mig_in *mi = arg;
	struct rpc_call *call = mi->mi_call;

	mi->mi_call = NULL;
	if (code != 0) {
		rpc_error(call, code, "%s", msg);
		mi_free(mi);
		return;
	}
	mi->mi_id = d->d_id;
	mi->mi_state = MI_PAUSED;
	if (mi->mi_peer == NULL) {	/* the source went meanwhile */
		rpc_error(call, XMCTL_E_STATE, "the source has gone");
		abandon(mi);
		return;
	}
	rpc_result(call, domains_json(mi->mi_x, d));
}

void
m_migration_finish(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct restore_req req;
	struct mig_in *mi;

	(void)params, (void)ctx;
	if ((mi = expect(call, MI_RECEIVED)) == NULL)
		return;
	if (mi->mi_werr != 0) {
		rpc_error(call, XMCTL_E_INTERNAL, "migration of '%s' in: "
		    "cannot write '%s': %s", mi->mi_name, mi->mi_path,
		    strerror(mi->mi_werr));
		mi_free(mi);
		return;
	}
	close(mi->mi_fd);
	mi->mi_fd = -1;
	mi->mi_state = MI_RESTORING;
	mi->mi_call = call;
	req = (struct restore_req){ mi->mi_path, 1, restored, mi };
	restore_start(mi->mi_x, &req);
}

static void
unpaused(void *arg, int status, const uint8_t *data, size_t len)
{
	struct mig_in *mi = arg;
	struct dom *d = registry_by_id(&mi->mi_x->x_reg, mi->mi_id);
	struct rpc_call *call = mi->mi_call;

	(void)data, (void)len;
	mi->mi_call = NULL;
	if (status != 0 || d == NULL) {
		rpc_error(call, XMCTL_E_NODE, "domain '%s': cannot unpause "
		    "it: %s", mi->mi_name, status != 0 ? ctl_strerror(status) :
		    "it has gone");
		abandon(mi);
		return;
	}
	d->d_busy = 0;
	d->d_state = DOM_RUNNING;
	runstate_save(mi->mi_x);
	log_info("domain '%s': migrated in, running as d%d", d->d_name,
	    d->d_id);
	events_emit_dom(mi->mi_x, "domain.started", d, NULL, NULL);
	rpc_result(call, domains_json(mi->mi_x, d));
	mi_free(mi);
}

void
m_migration_commit(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct mig_in *mi;
	struct xm_ctl_domid id;
	struct iovec iov = { &id, sizeof(id) };

	(void)params, (void)ctx;
	if ((mi = expect(call, MI_PAUSED)) == NULL)
		return;
	memset(&id, 0, sizeof(id));
	id.domid = (xm_domid_t)mi->mi_id;
	mi->mi_state = MI_COMMITTING;
	mi->mi_call = call;
	if (ctl_request(mi->mi_x->x_ctl, XM_CTL_OP_UNPAUSE, &iov, 1, 0,
	    unpaused, mi) != 0)
		unpaused(mi, -ENOTCONN, NULL, 0);
}

void
migrate_in_peer_closed(struct xmd *x, struct rpc_peer *peer)
{
	struct mig_in *mi = find(peer);

	(void)x;
	if (mi == NULL)
		return;
	mi->mi_peer = NULL;
	if (mi->mi_state == MI_RESTORING || mi->mi_state == MI_COMMITTING)
		return;			/* restored() or unpaused() ends it */
	abandon(mi);
}
