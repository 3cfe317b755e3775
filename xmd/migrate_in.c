/*
 * The target's side of a migration (migrate.h): another xmd, on a
 * connection of the admin role, asks
 *
 *	migration.prepare {name, uuid}	may it come? (name and UUID free)
 *	migration.receive {bytes}	then that many bytes of a save file,
 *					raw, not as requests
 *	migration.finish {}		restore it, paused: the domain, or why
 *	migration.commit {}		unpause it: from now on it is ours
 *	migration.status {uuid}		is it ours?  (on a new connection)
 *
 * in that order.  Until the commit, the domain made here is the
 * source's to give up: a failure, or the connection going, destroys it
 * and removes the file, and the source runs its copy on.
 *
 * A live migration (prepare's live: true) sends a live stream
 * (xm-save(5)) in several migration.receive calls, each followed by its
 * bytes, while the domain runs on at the source.  The domain is made
 * here once the stream's head has come and its pre-copy pages are
 * written into it as they come (restore_stream_*); finish waits for
 * the rest.  A failure meanwhile is kept and is the answer to the
 * next receive or to finish.
 */
#include <sys/queue.h>
#include <sys/uio.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "clock.h"
#include "ctl.h"
#include "events.h"
#include "log.h"
#include "methods.h"
#include "migrate.h"
#include "migrate_opts.h"
#include "registry.h"
#include "restore.h"
#include "savefile.h"
#include "rpc.h"
#include "uuid.h"
#include "xmd.h"

enum mi_state {
	MI_PREPARED,	/* name and UUID checked */
	MI_RECEIVING,	/* raw bytes coming */
	MI_RECEIVED,	/* the file is whole */
	MI_BETWEEN,	/* live: a chunk has come, more or finish may */
	MI_FAILED,	/* live: the failure answered, the restore ending */
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
	uint8_t			 mi_uuid[16];
	char			 mi_path[PATH_MAX + 32];
	int			 mi_fd;
	int			 mi_werr;	/* errno of a failed write */
	int			 mi_id;		/* the domain, once made */
	int			 mi_live;	/* a live stream, in chunks */
	int			 mi_persistent;	/* defined here at the commit */
	struct migrate_undo	 mi_undo;	/* what that replaced */
	uint64_t		 mi_total;	/* its bytes written */
	uint32_t		 mi_crc;	/* crc32 of all but the last */
	uint8_t			 mi_lag[SF_END_LEN];	/* ... which may be END */
	size_t			 mi_nlag;
	struct restore		*mi_restore;	/* its restore, under way */
	struct rpc_call		*mi_held;	/* a receive held back */
	int64_t			 mi_held_bytes;
	int			 mi_fail_code;	/* its failure, kept */
	char			 mi_fail_msg[512];
};

static void	sum_lagging(struct mig_in *, const uint8_t *, size_t);
static void	receive(struct mig_in *, struct rpc_call *, int64_t);
static uint64_t	behind(const struct mig_in *);
static int	answer_failure(struct mig_in *, struct rpc_call *);
static void	stream_progress(void *);
static void	flush(struct mig_in *, struct rpc_call *);

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
	migrate_persist_keep(&mi->mi_undo);
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
	int live = 0, persistent = 0;
	char why[256];

	json_object_object_get_ex(params, "name", &v);
	name = json_object_get_string(v);
	json_object_object_get_ex(params, "uuid", &v);
	uuid = json_object_get_string(v);
	if (json_object_object_get_ex(params, "live", &v)) {
		if (!json_object_is_type(v, json_type_boolean)) {
			rpc_error(call, XMCTL_E_INVALID_PARAMS, "migration."
			    "prepare: live is true or false");
			return;
		}
		live = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(params, "persistent", &v))
		persistent = json_object_get_boolean(v);
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
	if (persistent &&
	    migrate_persist_check(x, name, u, why, sizeof(why)) != 0) {
		rpc_error(call, XMCTL_E_EXISTS, "%s", why);
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
	mi->mi_live = live;
	mi->mi_persistent = persistent;
	memcpy(mi->mi_uuid, u, sizeof(mi->mi_uuid));
	snprintf(mi->mi_name, sizeof(mi->mi_name), "%s", name);
	TAILQ_INSERT_TAIL(&incoming, mi, mi_entry);
	log_info("migration of '%s' in: prepared%s%s", name, live ? ", live" :
	    "", persistent ? ", to be defined here" : "");
	clock_sync_now(x);	/* the guest comes from another clock */
	rpc_result(call, NULL);
}

/* A live stream's bytes so far to its restore, or why they stop. */
static void
feed(struct mig_in *mi, int werr)
{
	char why[PATH_MAX + 128];

	if (mi->mi_restore == NULL)
		return;
	if (werr == 0) {
		restore_stream_more(mi->mi_restore, mi->mi_total);
		return;
	}
	snprintf(why, sizeof(why), "cannot write '%s': %s", mi->mi_path,
	    strerror(werr));
	restore_stream_abort(mi->mi_restore, XMCTL_E_INTERNAL, why);
}

static void
take_bytes(void *arg, const void *data, size_t len, int last)
{
	struct mig_in *mi = arg;
	const char *p = data;
	int werr = mi->mi_werr;
	ssize_t n;

	while (len > 0 && mi->mi_werr == 0) {
		if ((n = write(mi->mi_fd, p, len)) < 0) {
			if (errno != EINTR)
				mi->mi_werr = errno;
			continue;
		}
		sum_lagging(mi, (const uint8_t *)p, (size_t)n);
		p += n;
		len -= (size_t)n;
		mi->mi_total += (uint64_t)n;
	}
	if (last)
		mi->mi_state = mi->mi_live ? MI_BETWEEN : MI_RECEIVED;
	if (mi->mi_live && werr == 0)	/* a write error stops it once */
		feed(mi, mi->mi_werr);
}

static void	restored(void *, int, const char *, struct dom *);

/* A live stream's restore is over: finish's answer, or a failure kept. */
static void
stream_done(void *arg, int code, const char *msg, struct dom *d)
{
	struct mig_in *mi = arg;

	mi->mi_restore = NULL;
	if (mi->mi_call != NULL) {
		restored(mi, code, msg, d);
		return;
	}
	if (mi->mi_peer == NULL || mi->mi_state == MI_FAILED) {
		log_warnx("migration of '%s' in: abandoned", mi->mi_name);
		mi_free(mi);
		return;
	}
	mi->mi_fail_code = code != 0 ? code : XMCTL_E_INTERNAL;
	snprintf(mi->mi_fail_msg, sizeof(mi->mi_fail_msg), "%s",
	    msg != NULL ? msg : "the restore ended early");
	if (mi->mi_held != NULL) {	/* the source waits: it hears now */
		struct rpc_call *call = mi->mi_held;

		mi->mi_held = NULL;
		(void)answer_failure(mi, call);
	}
}

/* A live stream's kept failure, as the answer to call: 1, or 0. */
static int
answer_failure(struct mig_in *mi, struct rpc_call *call)
{
	if (mi->mi_fail_code == 0 && mi->mi_werr == 0)
		return 0;
	if (mi->mi_fail_code != 0)
		rpc_error(call, mi->mi_fail_code, "%s", mi->mi_fail_msg);
	else
		rpc_error(call, XMCTL_E_INTERNAL, "migration of '%s' in: "
		    "cannot write '%s': %s", mi->mi_name, mi->mi_path,
		    strerror(mi->mi_werr));
	if (mi->mi_restore == NULL)
		mi_free(mi);
	else
		mi->mi_state = MI_FAILED;	/* stream_done frees it */
	return 1;
}

/*
 * The crc32 of the stream as it comes, but for its last SF_END_LEN
 * bytes, held back: the END record, whose checksum covers what is
 * before it.  So the whole file need not be read again to check it.
 */
static void
sum_lagging(struct mig_in *mi, const uint8_t *p, size_t n)
{
	size_t out, lag_out, p_out;

	if (mi->mi_nlag + n <= SF_END_LEN) {
		memcpy(mi->mi_lag + mi->mi_nlag, p, n);
		mi->mi_nlag += n;
		return;
	}
	out = mi->mi_nlag + n - SF_END_LEN;
	lag_out = out < mi->mi_nlag ? out : mi->mi_nlag;
	p_out = out - lag_out;
	mi->mi_crc = (uint32_t)crc32(mi->mi_crc, mi->mi_lag, (uInt)lag_out);
	mi->mi_crc = (uint32_t)crc32(mi->mi_crc, p, (uInt)p_out);
	memmove(mi->mi_lag, mi->mi_lag + lag_out, mi->mi_nlag - lag_out);
	mi->mi_nlag -= lag_out;
	memcpy(mi->mi_lag + mi->mi_nlag, p + p_out, n - p_out);
	mi->mi_nlag += n - p_out;
}

/* The file a stream or a save file comes into: 0, or -1 (answered). */
static int
open_file(struct mig_in *mi, struct rpc_call *call)
{
	struct restore_req req;

	if ((size_t)snprintf(mi->mi_path, sizeof(mi->mi_path),
	    "%s/migrate-in.XXXXXX", mi->mi_x->x_state_dir) >=
	    sizeof(mi->mi_path))
		errno = ENAMETOOLONG;
	else if ((mi->mi_fd = mkstemp(mi->mi_path)) >= 0)
		errno = 0;
	mi->mi_crc = (uint32_t)crc32(0, NULL, 0);
	if (mi->mi_fd < 0) {
		rpc_error(call, XMCTL_E_INTERNAL, "migration of '%s' in: "
		    "cannot write '%s': %s", mi->mi_name, mi->mi_path,
		    strerror(errno));
		mi->mi_path[0] = '\0';
		return -1;
	}
	if (!mi->mi_live)
		return 0;
	req = (struct restore_req){ mi->mi_path, 1, stream_done, mi,
	    stream_progress };
	if ((mi->mi_restore = restore_stream_new(mi->mi_x, &req)) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "migration of '%s' in: "
		    "cannot read '%s': %s", mi->mi_name, mi->mi_path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
m_migration_receive(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct json_object *v;
	struct mig_in *mi;
	int64_t bytes;

	(void)ctx;
	json_object_object_get_ex(params, "bytes", &v);
	bytes = json_object_get_int64(v);
	mi = find(rpc_call_peer(call));
	if (mi != NULL && mi->mi_live && mi->mi_state == MI_BETWEEN) {
		if (answer_failure(mi, call))
			return;
	} else if ((mi = expect(call, MI_PREPARED)) == NULL)
		return;
	if (bytes == 0 && mi->mi_live && mi->mi_state == MI_BETWEEN) {
		flush(mi, call);	/* answered once all is written */
		return;
	}
	if (bytes < 1 || (uint64_t)bytes > MIGRATE_BYTES_MAX - mi->mi_total) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "migration.receive: "
		    "%lld bytes%s", (long long)bytes, mi->mi_total > 0 ?
		    " more" : "");
		return;
	}
	if (mi->mi_state == MI_PREPARED && open_file(mi, call) != 0)
		return;
	if (behind(mi) > MIGRATE_BEHIND_MAX) {
		mi->mi_held = call;	/* until the pages catch up (progress) */
		mi->mi_held_bytes = bytes;
		return;
	}
	receive(mi, call, bytes);
}

static void
receive(struct mig_in *mi, struct rpc_call *call, int64_t bytes)
{
	if (bytes == 0) {		/* a flush: all is written */
		rpc_result(call, NULL);
		return;
	}
	mi->mi_state = MI_RECEIVING;
	rpc_peer_take_raw(mi->mi_peer, (uint64_t)bytes, take_bytes, mi);
	rpc_result(call, NULL);
}

/*
 * migration.receive of 0 bytes, between chunks of a live stream: the
 * answer comes once all that came is written into the domain, so that
 * the source stops the domain only then.
 */
static void
flush(struct mig_in *mi, struct rpc_call *call)
{
	if (mi->mi_restore == NULL || (behind(mi) == 0 &&
	    restore_stream_settled(mi->mi_restore))) {
		receive(mi, call, 0);
		return;
	}
	mi->mi_held = call;
	mi->mi_held_bytes = 0;
}

/*
 * A live stream's bytes come no faster than its pages are written: a
 * receive is answered only while what came is at most
 * MIGRATE_BEHIND_MAX ahead of the writes, so that the source's rounds
 * run at the pace of both ends and, once it stops the domain, little
 * is left to write here.
 */
static uint64_t
behind(const struct mig_in *mi)
{
	uint64_t used;

	if (!mi->mi_live || mi->mi_restore == NULL)
		return 0;
	used = restore_stream_used(mi->mi_restore);
	return mi->mi_total > used ? mi->mi_total - used : 0;
}

/* The restore wrote more pages: a receive held back may go on. */
static void
stream_progress(void *arg)
{
	struct mig_in *mi = arg;
	struct rpc_call *call = mi->mi_held;

	if (call == NULL || behind(mi) > (mi->mi_held_bytes == 0 ? 0 :
	    MIGRATE_BEHIND_MAX) || (mi->mi_held_bytes == 0 &&
	    !restore_stream_settled(mi->mi_restore)))
		return;
	mi->mi_held = NULL;
	receive(mi, call, mi->mi_held_bytes);
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

/* The stream is whole: its restore finishes and answers (restored). */
static void
live_finish(struct mig_in *mi, struct rpc_call *call)
{
	if (mi->mi_restore == NULL || mi->mi_werr != 0) {
		if (answer_failure(mi, call))
			return;
		rpc_error(call, XMCTL_E_INTERNAL, "migration of '%s' in: its "
		    "restore has gone", mi->mi_name);
		mi_free(mi);
		return;
	}
	close(mi->mi_fd);
	mi->mi_fd = -1;
	mi->mi_state = MI_RESTORING;
	mi->mi_call = call;
	log_info("migration of '%s' in: the stream is whole, %llu bytes",
	    mi->mi_name, (unsigned long long)mi->mi_total);
	restore_stream_end(mi->mi_restore, mi->mi_total, mi->mi_crc);
}

void
m_migration_finish(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct restore_req req;
	struct mig_in *mi;

	(void)params, (void)ctx;
	mi = find(rpc_call_peer(call));
	if (mi != NULL && mi->mi_live && mi->mi_state == MI_BETWEEN) {
		live_finish(mi, call);
		return;
	}
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
	req = (struct restore_req){ mi->mi_path, 1, restored, mi, NULL };
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
		migrate_persist_undo(mi->mi_x, &mi->mi_undo);
		abandon(mi);
		return;
	}
	migrate_persist_keep(&mi->mi_undo);
	d->d_busy = 0;
	d->d_state = DOM_RUNNING;
	runstate_save(mi->mi_x);
	log_info("domain '%s': migrated in, running as d%d", d->d_name,
	    d->d_id);
	events_emit_dom(mi->mi_x, "domain.started", d, NULL, NULL);
	rpc_result(call, domains_json(mi->mi_x, d));
	mi_free(mi);
}

/*
 * --persistent: defined here before it runs, so that once it runs here
 * it is persistent; 0, or -1 after the call was answered and what was
 * made here given up.
 */
static int
commit_define(struct mig_in *mi, struct rpc_call *call)
{
	struct dom *d = registry_by_id(&mi->mi_x->x_reg, mi->mi_id);
	char err[PATH_MAX + 128];

	if (!mi->mi_persistent)
		return 0;
	if (d == NULL)
		snprintf(err, sizeof(err), "domain '%s': it has gone",
		    mi->mi_name);
	else if (migrate_persist_define(mi->mi_x, d, &mi->mi_undo, err,
	    sizeof(err)) == 0)
		return 0;
	rpc_error(call, XMCTL_E_INTERNAL, "domain '%s': cannot define it on "
	    "the target: %s", mi->mi_name, err);
	abandon(mi);
	return -1;
}

void
m_migration_commit(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct mig_in *mi;
	struct xm_ctl_domid id;
	struct iovec iov = { &id, sizeof(id) };

	(void)params, (void)ctx;
	if ((mi = expect(call, MI_PAUSED)) == NULL ||
	    commit_define(mi, call) != 0)
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
	if (mi->mi_restore != NULL) {	/* stream_done ends it */
		restore_stream_abort(mi->mi_restore, XMCTL_E_STATE, "the "
		    "source has gone");
		return;
	}
	abandon(mi);
}

/*
 * migration.status {uuid}: a source whose commit's answer was lost asks
 * which copy is to run.  "present": it is ours (the commit was done);
 * "pending": its migration in is still ending here, one way or the
 * other (ask again); "absent": it is not here.
 */
void
m_migration_status(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xmd *x = ctx;
	struct json_object *v, *r;
	const char *uuid, *state = "absent";
	struct mig_in *mi;
	uint8_t u[16];

	json_object_object_get_ex(params, "uuid", &v);
	uuid = json_object_get_string(v);
	if (xm_uuid_parse(uuid, u) != 0) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "migration.status: "
		    "uuid '%s' is not one", uuid);
		return;
	}
	TAILQ_FOREACH(mi, &incoming, mi_entry)
		if (memcmp(mi->mi_uuid, u, sizeof(u)) == 0)
			state = "pending";
	if (strcmp(state, "absent") == 0 && registry_by_uuid(&x->x_reg, u))
		state = "present";
	if ((r = json_object_new_object()) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	json_object_object_add(r, "state", json_object_new_string(state));
	rpc_result(call, r);
}
