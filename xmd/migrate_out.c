/*
 * The source's side of a migration (migrate.h): domain.migrate.  One
 * connection to the target xmd carries JSON-RPC requests, one at a
 * time, and the save file as raw bytes between migration.receive's
 * answer and migration.finish.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <event2/event.h>
#include <xm/ctl.h>
#include <xmctl.h>

#include "clock.h"
#include "ctl.h"
#include "dom_record.h"
#include "events.h"
#include "log.h"
#include "methods.h"
#include "migrate.h"
#include "migrate_opts.h"
#include "migrate_out_int.h"
#include "pace.h"
#include "registry.h"
#include "save.h"
#include "suspend.h"
#include "uuid.h"
#include "xmd.h"


static void	step_answer(struct mig_out *, struct json_object *result);
static void	live_pump(struct mig_out *);

struct mig_out_list migrate_outgoing =
    TAILQ_HEAD_INITIALIZER(migrate_outgoing);

void
mo_free(struct mig_out *mo)
{
	TAILQ_REMOVE(&migrate_outgoing, mo, mo_entry);
	if (mo->mo_bev != NULL)
		bufferevent_free(mo->mo_bev);	/* the target gives up */
	if (mo->mo_check_ev != NULL)
		event_free(mo->mo_check_ev);
	if (mo->mo_fd >= 0)
		close(mo->mo_fd);
	if (mo->mo_rate != NULL)	/* after the bev that used it */
		ev_token_bucket_cfg_free(mo->mo_rate);
	if (mo->mo_path[0] != '\0')
		unlink(mo->mo_path);
	if (mo->mo_recorded)
		migrate_record_remove(mo->mo_x, mo->mo_name);
	free(mo);
}

/* The caller's answer: none for a migration a new xmd settles. */
void
mo_error(struct mig_out *mo, int code, const char *msg)
{
	if (mo->mo_call != NULL)
		rpc_error(mo->mo_call, code, "%s", msg);
	else
		log_warnx("%s", msg);
}

static void
cancelled(void *arg, int status, const char *step)
{
	struct mig_out *mo = arg;

	if (status != 0)
		log_warnx("domain '%s': stays suspended after the failed "
		    "migration: resuming it failed (%s): %s", mo->mo_name,
		    step, ctl_strerror(status));
	else
		log_info("domain '%s': runs on here after the failed "
		    "migration", mo->mo_name);
	domains_refresh(mo->mo_x);
	mo_free(mo);
}

/*
 * The target went, or refused, while the save runs: noted, the rounds
 * stopped; saved() fails the migration once the save has ended.
 */
static void
lose(struct mig_out *mo, int code, const char *why)
{
	snprintf(mo->mo_lost_buf, sizeof(mo->mo_lost_buf), "%s", why);
	mo->mo_lost = mo->mo_lost_buf;
	mo->mo_lost_code = code;
	if (mo->mo_bev != NULL) {
		bufferevent_free(mo->mo_bev);
		mo->mo_bev = NULL;
	}
	save_stop_rounds(mo->mo_id, code, why);
}

/* Before the commit: the domain runs on here, the target drops its copy. */
void
mo_fail(struct mig_out *mo, int code, const char *fmt, ...)
{
	struct dom *d = registry_by_id(&mo->mo_x->x_reg, mo->mo_id);
	char msg[1024], why[PATH_MAX + 1600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (mo->mo_step == MO_SAVING && mo->mo_opt.mop_live &&
	    mo->mo_lost == NULL) {
		lose(mo, code, msg);	/* saved() fails it once the save ends */
		return;
	}
	log_warnx("domain '%s': migration to %s: %s", mo->mo_name,
	    mo->mo_uri, msg);
	if (mo->mo_step == MO_CHECK ||
	    (mo->mo_step == MO_COMMIT && code == XMCTL_E_TARGET)) {
		/* The commit may have been done: two copies must not run. */
		if (mo->mo_step == MO_COMMIT) {
			log_warnx("domain '%s': the commit's answer was lost: "
			    "asking %s whether it runs the domain", mo->mo_name,
			    mo->mo_uri);
			mo->mo_check_until = mono_ms() + CHECK_WINDOW_S * 1000;
			snprintf(mo->mo_lost_buf, sizeof(mo->mo_lost_buf),
			    "%s", msg);
		}
		mo_check_again(mo);
		return;
	}
	snprintf(why, sizeof(why), "domain '%s': migration to %s: %s; it "
	    "runs on here", mo->mo_name, mo->mo_uri, msg);
	mo_error(mo, code, why);
	if (mo->mo_bev != NULL) {
		bufferevent_free(mo->mo_bev);
		mo->mo_bev = NULL;
	}
	if (d != NULL)
		d->d_busy = 0;
	if (!mo->mo_kept || d == NULL ||
	    suspend_cancel(mo->mo_x, mo->mo_id, cancelled, mo) != 0)
		mo_free(mo);
}

/* One request to the target; its answer comes to step_answer. */
void
mo_request(struct mig_out *mo, enum mo_step step, const char *method,
    struct json_object *params)
{
	struct json_object *r = json_object_new_object();
	const char *s;

	json_object_object_add(r, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(r, "id", json_object_new_int(++mo->mo_req_id));
	json_object_object_add(r, "method", json_object_new_string(method));
	json_object_object_add(r, "params", params != NULL ? params :
	    json_object_new_object());
	s = json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN);
	bufferevent_write(mo->mo_bev, s, strlen(s));
	bufferevent_write(mo->mo_bev, "\n", 1);
	json_object_put(r);
	mo->mo_step = step;
}

/*
 * A line from the target: the answer to the request outstanding (1: mo
 * may be gone, read no further), or a notification (0).
 */
static int
target_line(struct mig_out *mo, const char *line)
{
	struct json_object *o = json_tokener_parse(line), *id, *err, *v;
	int code = XMCTL_E_PROTOCOL;
	const char *msg = "an answer that is not JSON-RPC";

	if (o == NULL || !json_object_object_get_ex(o, "id", &id) ||
	    json_object_get_type(id) == json_type_null) {
		if (o != NULL && json_object_object_get_ex(o, "method", &v)) {
			json_object_put(o);	/* a notification */
			return 0;
		}
	} else if (json_object_get_int(id) != mo->mo_req_id) {
		msg = "an answer to another request";
	} else if (json_object_object_get_ex(o, "error", &err)) {
		if (json_object_object_get_ex(err, "code", &v))
			code = json_object_get_int(v);
		msg = json_object_object_get_ex(err, "message", &v) ?
		    json_object_get_string(v) : "an error without a message";
		mo_fail(mo, code, "the target: %s", msg);
		json_object_put(o);
		return 1;
	} else {
		json_object_object_get_ex(o, "result", &v);
		step_answer(mo, v);
		json_object_put(o);
		return 1;
	}
	mo_fail(mo, code, "the target sent %s", msg);
	json_object_put(o);
	return 1;
}

static void
target_read(struct bufferevent *bev, void *arg)
{
	struct mig_out *mo = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len;
	char *line;
	int done;

	if (mo->mo_step == MO_SAVING && mo->mo_chunk == 0 && !mo->mo_flushing)
		return;			/* nothing was asked */
	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		done = target_line(mo, line);
		free(line);
		if (done)
			return;
	}
	if (evbuffer_get_length(in) > ANSWER_MAX)
		mo_fail(mo, XMCTL_E_PROTOCOL, "the target sent a line too long");
}

/* Why the connection failed: TLS's reason, or the socket's. */
static const char *
conn_error(struct mig_out *mo, struct bufferevent *bev, short what)
{
	unsigned long e;
	const char *r;

	if (what & BEV_EVENT_TIMEOUT)
		return "the target did not answer in time";
	if (what & BEV_EVENT_EOF)
		return "the target closed the connection";
	int err = 0;
	socklen_t len = sizeof(err);

	if (mo->mo_host[0] != '\0' &&
	    (e = bufferevent_get_openssl_error(bev)) != 0 &&
	    (r = ERR_reason_error_string(e)) != NULL)
		return r;		/* "certificate verify failed" */
	/*
	 * The socket's own error first: a connect refused at once is
	 * reported from a deferred callback, when errno is another call's.
	 */
	if (getsockopt(bufferevent_getfd(bev), SOL_SOCKET, SO_ERROR, &err,
	    &len) == 0 && err != 0)
		return strerror(err);
	return EVUTIL_SOCKET_ERROR() != 0 ?
	    strerror(EVUTIL_SOCKET_ERROR()) : "the connection failed";
}

static void
target_event(struct bufferevent *bev, short what, void *arg)
{
	struct mig_out *mo = arg;

	if (what & BEV_EVENT_CONNECTED)
		return;
	if (mo->mo_step == MO_SAVING) {		/* saved() ends it */
		lose(mo, XMCTL_E_TARGET, conn_error(mo, bev, what));
		return;
	}
	mo_fail(mo, XMCTL_E_TARGET, "%s", conn_error(mo, bev, what));
}

/* 0, or -1 with why in err. */
int
mo_connect(struct mig_out *mo, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct timeval tv = { STEP_TIMEOUT_S, 0 };

	if (mo->mo_host[0] != '\0') {
		mo->mo_bev = migrate_tls_connect(mo->mo_x, mo->mo_host,
		    mo->mo_port, err, errlen);
		if (mo->mo_bev == NULL)
			return -1;
	} else {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, mo->mo_sock, sizeof(mo->mo_sock));
		mo->mo_bev = bufferevent_socket_new(mo->mo_x->x_base, -1,
		    BEV_OPT_CLOSE_ON_FREE);
		if (mo->mo_bev == NULL || bufferevent_socket_connect(
		    mo->mo_bev, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
			snprintf(err, errlen, "cannot connect to %s: %s",
			    mo->mo_sock, strerror(errno));
			return -1;
		}
	}
	/* The stream's connection; a later one (status) carries none. */
	if (mo->mo_opt.mop_bandwidth != 0 && mo->mo_rate == NULL &&
	    (mo->mo_rate = pace_bufferevent(mo->mo_bev,
	    mo->mo_opt.mop_bandwidth * PACE_MIB)) == NULL) {
		snprintf(err, errlen, "cannot limit the connection to %llu "
		    "MiB/s", (unsigned long long)mo->mo_opt.mop_bandwidth);
		return -1;
	}
	bufferevent_setcb(mo->mo_bev, target_read, NULL, target_event, mo);
	bufferevent_set_timeouts(mo->mo_bev, &tv, &tv);
	bufferevent_enable(mo->mo_bev, EV_READ);
	return 0;
}

static void
saved(void *arg, int code, const char *msg, const struct xmctl_saved *r)
{
	struct mig_out *mo = arg;
	struct json_object *p;

	if (mo->mo_step == MO_SAVING)
		mo->mo_step = MO_RECEIVE;	/* mo_fail() ends it from now on */
	if (code != 0) {		/* the save cancelled the suspend */
		mo_fail(mo, code, "%s", msg);
		return;
	}
	mo->mo_kept = 1;
	mo->mo_bytes = r->bytes;
	if (mo->mo_lost != NULL) {
		mo->mo_step = MO_RECEIVE;	/* the save is over */
		mo_fail(mo, mo->mo_aborted ? XMCTL_E_ABORTED : mo->mo_lost_code ?
		    mo->mo_lost_code : XMCTL_E_TARGET, "%s", mo->mo_lost);
		return;
	}
	if (mo->mo_opt.mop_live) {
		mo->mo_saved = 1;
		mo->mo_written = r->bytes;
		live_pump(mo);
		return;
	}
	p = json_object_new_object();
	json_object_object_add(p, "bytes", json_object_new_int64(
	    (int64_t)r->bytes));
	mo_request(mo, MO_RECEIVE, "migration.receive", p);
}

/*
 * A live stream goes on as it is written: one migration.receive for
 * what the file holds beyond what went, its bytes once it is answered,
 * and so on; once the save is whole and all went, migration.finish.
 */
static void
live_pump(struct mig_out *mo)
{
	struct json_object *p;

	if (mo->mo_bev == NULL || mo->mo_chunk != 0 || mo->mo_flushing)
		return;
	if (mo->mo_written > mo->mo_sent) {
		mo->mo_chunk = mo->mo_written - mo->mo_sent;
		if (mo->mo_chunk > MIGRATE_CHUNK_MAX)
			mo->mo_chunk = MIGRATE_CHUNK_MAX;
		p = json_object_new_object();
		json_object_object_add(p, "bytes", json_object_new_int64(
		    (int64_t)mo->mo_chunk));
		mo_request(mo, mo->mo_saved ? MO_RECEIVE : MO_SAVING,
		    "migration.receive", p);
		return;
	}
	if (mo->mo_saved) {
		log_info("domain '%s': sent %llu bytes live to %s",
		    mo->mo_name, (unsigned long long)mo->mo_sent, mo->mo_uri);
		mo_request(mo, MO_FINISH, "migration.finish", NULL);
	}
}

/* The answer to a live receive: its bytes, from the file. */
static void
live_chunk(struct mig_out *mo)
{
	int fd = dup(mo->mo_fd);

	if (fd < 0 || evbuffer_add_file(bufferevent_get_output(mo->mo_bev),
	    fd, (ev_off_t)mo->mo_sent, (ev_off_t)mo->mo_chunk) != 0) {
		if (fd >= 0)
			close(fd);
		mo_fail(mo, XMCTL_E_SAVEFILE, "cannot read the stream: %s",
		    strerror(errno));
		return;
	}
	pace_read_timeout(mo->mo_bev, mo->mo_chunk, mo->mo_opt.mop_bandwidth *
	    PACE_MIB, STEP_TIMEOUT_S);
	mo->mo_sent += mo->mo_chunk;
	mo->mo_chunk = 0;
	save_stream_went(mo->mo_id);
	live_pump(mo);
}

/*
 * All that went written into the domain on the target: 0.  Else a
 * migration.receive of 0 bytes asks it, answered once it is so.
 */
static int
live_settled(void *arg)
{
	struct mig_out *mo = arg;
	struct json_object *p;

	if (mo->mo_flushed == mo->mo_sent)
		return 0;
	if (!mo->mo_flushing && mo->mo_chunk == 0 && mo->mo_bev != NULL) {
		mo->mo_flushing = 1;
		p = json_object_new_object();
		json_object_object_add(p, "bytes", json_object_new_int64(0));
		mo_request(mo, MO_SAVING, "migration.receive", p);
	}
	return 1;
}

/* The stream's bytes the rounds wrote that have not gone yet. */
static uint64_t
live_ahead(void *arg)
{
	const struct mig_out *mo = arg;

	return mo->mo_written > mo->mo_sent ? mo->mo_written - mo->mo_sent : 0;
}

/* At most five a second, and at every change of phase or round. */
static void
progress_event(struct mig_out *mo, const struct save_progress *p)
{
	struct json_object *o;
	uint64_t ms = mono_ms();

	if (strcmp(p->phase, mo->mo_phase) == 0 && p->round == mo->mo_round &&
	    ms < mo->mo_event_ms + 200)
		return;
	snprintf(mo->mo_phase, sizeof(mo->mo_phase), "%s", p->phase);
	mo->mo_round = p->round;
	mo->mo_event_ms = ms;
	o = json_object_new_object();
	json_object_object_add(o, "event",
	    json_object_new_string("migration.progress"));
	json_object_object_add(o, "domain",
	    json_object_new_string(mo->mo_name));
	json_object_object_add(o, "uri", json_object_new_string(mo->mo_uri));
	json_object_object_add(o, "phase", json_object_new_string(p->phase));
	json_object_object_add(o, "round", json_object_new_int(
	    (int)p->round));
	json_object_object_add(o, "sent", json_object_new_int64(
	    (int64_t)p->sent));
	json_object_object_add(o, "remaining", json_object_new_int64(
	    (int64_t)p->remaining));
	json_object_object_add(o, "dirty", json_object_new_int64(
	    (int64_t)p->dirty));
	json_object_object_add(o, "dirty_rate", json_object_new_int64(
	    (int64_t)p->dirty_rate));
	json_object_object_add(o, "mbps", json_object_new_int64(
	    (int64_t)p->mbps));
	json_object_object_add(o, "bytes", json_object_new_int64(
	    (int64_t)p->bytes));
	json_object_object_add(o, "bandwidth", json_object_new_int64(
	    (int64_t)mo->mo_opt.mop_bandwidth));
	if (p->rounds_end != NULL)
		json_object_object_add(o, "rounds_end",
		    json_object_new_string(p->rounds_end));
	events_emit_progress(mo->mo_x, o);
}

static void
live_progress(void *arg, const struct save_progress *p)
{
	struct mig_out *mo = arg;

	progress_event(mo, p);
	if (mo->mo_fd < 0 && (mo->mo_fd = dup(p->fd)) < 0)
		log_warnx("domain '%s': cannot keep the stream open: %s",
		    mo->mo_name, strerror(errno));
	if (strcmp(p->phase, "suspended") == 0)
		mo->mo_suspended = mono_ms();
	mo->mo_written = p->bytes;
	if (mo->mo_fd >= 0 && mo->mo_lost == NULL)
		live_pump(mo);
}

/* The file, raw, then finish: the target reads both in order. */
static void
send_file(struct mig_out *mo)
{
	int fd = open(mo->mo_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || evbuffer_add_file(bufferevent_get_output(mo->mo_bev),
	    fd, 0, (ev_off_t)mo->mo_bytes) != 0) {
		if (fd >= 0)
			close(fd);
		mo_fail(mo, XMCTL_E_SAVEFILE, "cannot read '%s': %s", mo->mo_path,
		    strerror(errno));
		return;
	}
	log_info("domain '%s': sending %llu bytes to %s", mo->mo_name,
	    (unsigned long long)mo->mo_bytes, mo->mo_uri);
	pace_read_timeout(mo->mo_bev, mo->mo_bytes, mo->mo_opt.mop_bandwidth *
	    PACE_MIB, STEP_TIMEOUT_S);
	mo_request(mo, MO_FINISH, "migration.finish", NULL);
}

static void
destroyed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct mig_out *mo = arg;
	struct dom *d = registry_by_id(&mo->mo_x->x_reg, mo->mo_id);
	struct xmctl_migrated r;
	struct timespec now;
	char why[PATH_MAX + 32];

	(void)data, (void)len;
	if (status != 0)
		log_warnx("domain '%s': migrated, but its copy here cannot be "
		    "destroyed: %s", mo->mo_name, ctl_strerror(status));
	clock_gettime(CLOCK_MONOTONIC, &now);
	memset(&r, 0, sizeof(r));
	snprintf(r.domain, sizeof(r.domain), "%s", mo->mo_name);
	snprintf(r.uri, sizeof(r.uri), "%s", mo->mo_uri);
	r.bytes = mo->mo_bytes;
	r.total_ms = (uint64_t)(now.tv_sec - mo->mo_start.tv_sec) * 1000 +
	    (uint64_t)(now.tv_nsec / 1000000) -
	    (uint64_t)(mo->mo_start.tv_nsec / 1000000);
	log_info("domain '%s': migrated to %s in %llu ms", mo->mo_name,
	    mo->mo_uri, (unsigned long long)r.total_ms);
	if (mo->mo_call != NULL)
		rpc_result(mo->mo_call, dr_write(&dr_migrated, &r));
	if (d != NULL) {
		d->d_busy = 0;
		snprintf(why, sizeof(why), "migrated to %s", mo->mo_uri);
		domains_gone(mo->mo_x, d, why);
	}
	if (mo->mo_opt.mop_undefine_source)
		migrate_undefine_source(mo->mo_x, mo->mo_name, mo->mo_uuid);
	mo_free(mo);
}

/* Ask the target on a new connection whether it has the domain. */
/* The target runs it: ours goes. */
void
mo_destroy_ours(struct mig_out *mo)
{
	struct xm_ctl_domid id = { (xm_domid_t)mo->mo_id, { 0, 0, 0 } };
	struct iovec iov = { &id, sizeof(id) };

	mo->mo_step = MO_DESTROY;
	bufferevent_free(mo->mo_bev);
	mo->mo_bev = NULL;
	if (ctl_request(mo->mo_x->x_ctl, XM_CTL_OP_DESTROY, &iov, 1, 0,
	    destroyed, mo) != 0)
		destroyed(mo, -ENOTCONN, NULL, 0);
}

static void
step_answer(struct mig_out *mo, struct json_object *result)
{
	struct dom *d = registry_by_id(&mo->mo_x->x_reg, mo->mo_id);
	struct save_req req;

	(void)result;
	switch (mo->mo_step) {
	case MO_PREPARE:
		if (d == NULL) {
			mo_fail(mo, XMCTL_E_NO_DOMAIN, "it has gone");
			return;
		}
		mo->mo_step = MO_SAVING;
		memset(&req, 0, sizeof(req));
		req.sr_dom = d;
		req.sr_path = mo->mo_path;
		req.sr_timeout_s = mo->mo_timeout_s;
		req.sr_keep = 1;
		req.sr_stream = 1;
		req.sr_done = saved;
		req.sr_arg = mo;
		req.sr_live = mo->mo_opt.mop_live;
		req.sr_max_rounds = mo->mo_opt.mop_max_rounds;
		req.sr_max_downtime_ms = mo->mo_opt.mop_max_downtime_ms;
		req.sr_bandwidth = mo->mo_opt.mop_bandwidth * PACE_MIB;
		req.sr_progress = mo->mo_opt.mop_live ? live_progress : NULL;
		req.sr_ahead = mo->mo_opt.mop_live ? live_ahead : NULL;
		req.sr_settled = mo->mo_opt.mop_live ? live_settled : NULL;
		save_start(mo->mo_x, &req);
		break;
	case MO_SAVING:			/* a live chunk's receive */
	case MO_RECEIVE:
		if (mo->mo_flushing) {	/* all that went is written */
			mo->mo_flushing = 0;
			mo->mo_flushed = mo->mo_sent;
			save_stream_went(mo->mo_id);
			live_pump(mo);
		} else if (mo->mo_opt.mop_live)
			live_chunk(mo);
		else
			send_file(mo);
		break;
	case MO_FINISH:
		/* From here a new xmd must ask (migrate_recover.c). */
		migrate_record(mo->mo_x, mo->mo_name, mo->mo_uuid, mo->mo_uri,
		    "commit");
		mo_request(mo, MO_COMMIT, "migration.commit", NULL);
		break;
	case MO_COMMIT:
		if (mo->mo_opt.mop_live)
			log_info("domain '%s': suspended here to running there: "
			    "%llu ms", mo->mo_name, (unsigned long long)
			    (mono_ms() - mo->mo_suspended));
		mo_destroy_ours(mo);
		break;
	case MO_CHECK:
		mo_check_answer(mo, result);
		break;
	default:
		mo_fail(mo, XMCTL_E_PROTOCOL, "an answer while none was asked");
	}
}

void
m_domain_migrate(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xmd *x = ctx;
	struct mig_out *mo;
	struct json_object *p, *v;
	char why[512];
	struct dom *d;

	if (!methods_node_up(x, call) ||
	    (d = methods_dom(x, call, params, 1)) == NULL)
		return;
	if ((mo = calloc(1, sizeof(*mo))) == NULL) {
		rpc_error(call, XMCTL_E_INTERNAL, "out of memory");
		return;
	}
	mo->mo_fd = -1;
	json_object_object_get_ex(params, "uri", &v);
	if (mo_parse_uri(mo, call, json_object_get_string(v)) != 0) {
		free(mo);
		return;
	}
	if (migrate_opts_read(params, &mo->mo_opt, why, sizeof(why)) != 0) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "%s", why);
		free(mo);
		return;
	}
	mo->mo_x = x;
	TAILQ_INSERT_TAIL(&migrate_outgoing, mo, mo_entry);
	mo->mo_call = call;
	mo->mo_id = d->d_id;
	mo->mo_timeout_s = methods_timeout(params, 1,
	    SAVE_SUSPEND_TIMEOUT_S);
	clock_gettime(CLOCK_MONOTONIC, &mo->mo_start);
	snprintf(mo->mo_name, sizeof(mo->mo_name), "%s", d->d_name);
	xm_uuid_format(d->d_uuid, mo->mo_uuid);
	snprintf(mo->mo_path, sizeof(mo->mo_path), "%s/migrate-out-d%d.save",
	    x->x_state_dir, d->d_id);
	mo->mo_step = MO_PREPARE;
	migrate_record(x, mo->mo_name, mo->mo_uuid, mo->mo_uri, "sending");
	mo->mo_recorded = 1;
	if (mo_connect(mo, why, sizeof(why)) != 0) {
		mo_fail(mo, XMCTL_E_TARGET, "%s", why);
		return;
	}
	log_info("domain '%s': migrating to %s%s, bandwidth %s", mo->mo_name,
	    mo->mo_uri, mo->mo_opt.mop_live ? " live" : "", pace_str(
	    mo->mo_opt.mop_bandwidth * PACE_MIB, why, sizeof(why)));
	clock_sync_now(x);	/* the guest goes to another clock */
	p = json_object_new_object();
	json_object_object_add(p, "name", json_object_new_string(mo->mo_name));
	json_object_object_add(p, "uuid", json_object_new_string(mo->mo_uuid));
	if (mo->mo_opt.mop_live)
		json_object_object_add(p, "live", json_object_new_boolean(1));
	if (mo->mo_opt.mop_persistent)
		json_object_object_add(p, "persistent",
		    json_object_new_boolean(1));
	mo_request(mo, MO_PREPARE, "migration.prepare", p);
}

/*
 * Stop domain id's migration before the commit: it runs on here and
 * the target drops its copy.  One waiting for the guest to suspend
 * ends once the save has (saved() sees the abort).
 */
static int
migrate_abort(int id, char *err, size_t errlen)
{
	struct mig_out *mo;

	TAILQ_FOREACH(mo, &migrate_outgoing, mo_entry)
		if (mo->mo_id == id)
			break;
	if (mo == NULL) {
		snprintf(err, errlen, "no migration of it is under way");
		return -1;
	}
	if (mo->mo_step >= MO_COMMIT) {
		snprintf(err, errlen, "its migration to %s is being committed: "
		    "too late to abort", mo->mo_uri);
		return -1;
	}
	log_info("domain '%s': migration to %s aborted", mo->mo_name,
	    mo->mo_uri);
	if (mo->mo_step != MO_SAVING) {
		mo_fail(mo, XMCTL_E_ABORTED, "aborted (domain.abortJob)");
		return 0;
	}
	mo->mo_aborted = 1;
	lose(mo, XMCTL_E_ABORTED, "aborted (domain.abortJob)");
	return 0;
}

void
m_domain_abort_job(struct rpc_call *call, struct json_object *params,
    void *ctx)
{
	struct xmd *x = ctx;
	char err[PATH_MAX + 128];
	struct dom *d;

	if ((d = methods_dom(x, call, params, 1)) == NULL)
		return;
	if (migrate_abort(d->d_id, err, sizeof(err)) != 0)
		rpc_error(call, XMCTL_E_STATE, "domain '%s': %s", d->d_name,
		    err);
	else
		rpc_result(call, NULL);
}
