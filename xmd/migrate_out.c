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

#include "ctl.h"
#include "dom_record.h"
#include "events.h"
#include "log.h"
#include "methods.h"
#include "migrate.h"
#include "registry.h"
#include "save.h"
#include "suspend.h"
#include "uuid.h"
#include "xmd.h"

#define URI_UNIX	"xm+unix://"
#define URI_TLS		"xm+tls://"
#define TLS_PORT	"16514"		/* libvirt's TLS port */
#define ANSWER_MAX	(64 * 1024)	/* a line of the target's */
#define STEP_TIMEOUT_S	300		/* the target's answer to a step */

enum mo_step {
	MO_PREPARE,	/* migration.prepare sent */
	MO_SAVING,	/* the save under way */
	MO_RECEIVE,	/* migration.receive sent */
	MO_FINISH,	/* the file and migration.finish sent */
	MO_COMMIT,	/* migration.commit sent: the target decides */
	MO_DESTROY,	/* ours goes */
};

struct mig_out {
	TAILQ_ENTRY(mig_out)	 mo_entry;
	struct xmd		*mo_x;
	struct rpc_call		*mo_call;
	enum mo_step		 mo_step;
	int			 mo_id;
	char			 mo_name[XMCTL_NAME_MAX];
	char			 mo_uuid[XMCTL_UUID_LEN];
	char			 mo_uri[PATH_MAX];
	char			 mo_sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char			 mo_host[256];	/* TLS: "" for a socket */
	char			 mo_port[8];
	char			 mo_path[PATH_MAX + 32];	/* the save file */
	unsigned int		 mo_timeout_s;
	uint64_t		 mo_bytes;
	int			 mo_kept;	/* the save left it suspended */
	int			 mo_req_id;
	const char		*mo_lost;	/* while saving: why */
	char			 mo_lost_buf[1024];
	int			 mo_lost_code;
	int			 mo_aborted;	/* domain.abortJob */
	int			 mo_live;	/* pre-copy rounds */
	unsigned int		 mo_max_rounds;
	unsigned int		 mo_max_downtime_ms;
	int			 mo_fd;		/* live: the stream, read */
	uint64_t		 mo_sent;	/* live: bytes gone */
	uint64_t		 mo_written;	/* live: bytes in the file */
	uint64_t		 mo_chunk;	/* live: a receive's, asked */
	int			 mo_saved;	/* live: the file is whole */
	uint64_t		 mo_suspended;	/* live: when it stopped, ms */
	char			 mo_phase[16];	/* of the last progress */
	unsigned int		 mo_round;
	uint64_t		 mo_event_ms;
	struct timespec		 mo_start;
	struct bufferevent	*mo_bev;
};

static void	step_answer(struct mig_out *, struct json_object *result);
static void	live_pump(struct mig_out *);

static TAILQ_HEAD(, mig_out) outgoing = TAILQ_HEAD_INITIALIZER(outgoing);

static void
mo_free(struct mig_out *mo)
{
	TAILQ_REMOVE(&outgoing, mo, mo_entry);
	if (mo->mo_bev != NULL)
		bufferevent_free(mo->mo_bev);	/* the target gives up */
	if (mo->mo_fd >= 0)
		close(mo->mo_fd);
	if (mo->mo_path[0] != '\0')
		unlink(mo->mo_path);
	free(mo);
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
static void
fail(struct mig_out *mo, int code, const char *fmt, ...)
{
	struct dom *d = registry_by_id(&mo->mo_x->x_reg, mo->mo_id);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (mo->mo_step == MO_SAVING && mo->mo_live && mo->mo_lost == NULL) {
		lose(mo, code, msg);	/* saved() fails it once the save ends */
		return;
	}
	log_warnx("domain '%s': migration to %s: %s", mo->mo_name,
	    mo->mo_uri, msg);
	if (mo->mo_step == MO_COMMIT && code == XMCTL_E_TARGET) {
		/* The commit may have been done: two copies must not run. */
		rpc_error(mo->mo_call, code, "domain '%s': migration to %s: "
		    "%s; the target did not confirm the commit, so the domain "
		    "stays suspended here (xmctl resume runs it here if it "
		    "does not run there)", mo->mo_name, mo->mo_uri, msg);
		if (d != NULL)
			d->d_busy = 0;
		mo_free(mo);
		return;
	}
	rpc_error(mo->mo_call, code, "domain '%s': migration to %s: %s; it "
	    "runs on here", mo->mo_name, mo->mo_uri, msg);
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
static void
request(struct mig_out *mo, enum mo_step step, const char *method,
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
		fail(mo, code, "the target: %s", msg);
		json_object_put(o);
		return 1;
	} else {
		json_object_object_get_ex(o, "result", &v);
		step_answer(mo, v);
		json_object_put(o);
		return 1;
	}
	fail(mo, code, "the target sent %s", msg);
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

	if (mo->mo_step == MO_SAVING && mo->mo_chunk == 0)
		return;			/* nothing was asked */
	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		done = target_line(mo, line);
		free(line);
		if (done)
			return;
	}
	if (evbuffer_get_length(in) > ANSWER_MAX)
		fail(mo, XMCTL_E_PROTOCOL, "the target sent a line too long");
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
	if (mo->mo_host[0] != '\0' &&
	    (e = bufferevent_get_openssl_error(bev)) != 0 &&
	    (r = ERR_reason_error_string(e)) != NULL)
		return r;		/* "certificate verify failed" */
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
	fail(mo, XMCTL_E_TARGET, "%s", conn_error(mo, bev, what));
}

/* 0, or -1 with why in err. */
static int
target_connect(struct mig_out *mo, char *err, size_t errlen)
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
		mo->mo_step = MO_RECEIVE;	/* fail() ends it from now on */
	if (code != 0) {		/* the save cancelled the suspend */
		fail(mo, code, "%s", msg);
		return;
	}
	mo->mo_kept = 1;
	mo->mo_bytes = r->bytes;
	if (mo->mo_lost != NULL) {
		mo->mo_step = MO_RECEIVE;	/* the save is over */
		fail(mo, mo->mo_aborted ? XMCTL_E_ABORTED : mo->mo_lost_code ?
		    mo->mo_lost_code : XMCTL_E_TARGET, "%s", mo->mo_lost);
		return;
	}
	if (mo->mo_live) {
		mo->mo_saved = 1;
		mo->mo_written = r->bytes;
		live_pump(mo);
		return;
	}
	p = json_object_new_object();
	json_object_object_add(p, "bytes", json_object_new_int64(
	    (int64_t)r->bytes));
	request(mo, MO_RECEIVE, "migration.receive", p);
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

	if (mo->mo_bev == NULL || mo->mo_chunk != 0)
		return;
	if (mo->mo_written > mo->mo_sent) {
		mo->mo_chunk = mo->mo_written - mo->mo_sent;
		p = json_object_new_object();
		json_object_object_add(p, "bytes", json_object_new_int64(
		    (int64_t)mo->mo_chunk));
		request(mo, mo->mo_saved ? MO_RECEIVE : MO_SAVING,
		    "migration.receive", p);
		return;
	}
	if (mo->mo_saved) {
		log_info("domain '%s': sent %llu bytes live to %s",
		    mo->mo_name, (unsigned long long)mo->mo_sent, mo->mo_uri);
		request(mo, MO_FINISH, "migration.finish", NULL);
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
		fail(mo, XMCTL_E_SAVEFILE, "cannot read the stream: %s",
		    strerror(errno));
		return;
	}
	mo->mo_sent += mo->mo_chunk;
	mo->mo_chunk = 0;
	live_pump(mo);
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
		fail(mo, XMCTL_E_SAVEFILE, "cannot read '%s': %s", mo->mo_path,
		    strerror(errno));
		return;
	}
	log_info("domain '%s': sending %llu bytes to %s", mo->mo_name,
	    (unsigned long long)mo->mo_bytes, mo->mo_uri);
	request(mo, MO_FINISH, "migration.finish", NULL);
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
	rpc_result(mo->mo_call, dr_write(&dr_migrated, &r));
	if (d != NULL) {
		d->d_busy = 0;
		snprintf(why, sizeof(why), "migrated to %s", mo->mo_uri);
		domains_gone(mo->mo_x, d, why);
	}
	mo_free(mo);
}

/* The target runs it: ours goes. */
static void
destroy_ours(struct mig_out *mo)
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
			fail(mo, XMCTL_E_NO_DOMAIN, "it has gone");
			return;
		}
		mo->mo_step = MO_SAVING;
		memset(&req, 0, sizeof(req));
		req.sr_dom = d;
		req.sr_path = mo->mo_path;
		req.sr_timeout_s = mo->mo_timeout_s;
		req.sr_keep = 1;
		req.sr_done = saved;
		req.sr_arg = mo;
		req.sr_live = mo->mo_live;
		req.sr_max_rounds = mo->mo_max_rounds;
		req.sr_max_downtime_ms = mo->mo_max_downtime_ms;
		req.sr_progress = mo->mo_live ? live_progress : NULL;
		save_start(mo->mo_x, &req);
		break;
	case MO_SAVING:			/* a live chunk's receive */
	case MO_RECEIVE:
		if (mo->mo_live)
			live_chunk(mo);
		else
			send_file(mo);
		break;
	case MO_FINISH:
		request(mo, MO_COMMIT, "migration.commit", NULL);
		break;
	case MO_COMMIT:
		if (mo->mo_live)
			log_info("domain '%s': suspended here to running there: "
			    "%llu ms", mo->mo_name, (unsigned long long)
			    (mono_ms() - mo->mo_suspended));
		destroy_ours(mo);
		break;
	default:
		fail(mo, XMCTL_E_PROTOCOL, "an answer while none was asked");
	}
}

/* HOST[:PORT]/ (HOST may be [IPv6]): 0, or -1. */
static int
parse_hostport(struct mig_out *mo, const char *s)
{
	const char *end = strchr(s, '/'), *colon;
	size_t hl;

	if (end == NULL || end[1] != '\0' || end == s)
		return -1;
	if (s[0] == '[') {
		if ((colon = memchr(s, ']', (size_t)(end - s))) == NULL)
			return -1;
		hl = (size_t)(colon - s - 1);
		s++;
		colon++;
	} else {
		colon = memchr(s, ':', (size_t)(end - s));
		hl = (size_t)((colon != NULL ? colon : end) - s);
	}
	if (hl == 0 || hl >= sizeof(mo->mo_host))
		return -1;
	memcpy(mo->mo_host, s, hl);
	mo->mo_host[hl] = '\0';
	if (colon == NULL || colon == end) {
		snprintf(mo->mo_port, sizeof(mo->mo_port), "%s", TLS_PORT);
		return 0;
	}
	if (*colon != ':' || end - colon - 1 < 1 || end - colon - 1 > 5 ||
	    strspn(colon + 1, "0123456789") != (size_t)(end - colon - 1))
		return -1;
	memcpy(mo->mo_port, colon + 1, (size_t)(end - colon - 1));
	mo->mo_port[end - colon - 1] = '\0';
	return atoi(mo->mo_port) > 0 && atoi(mo->mo_port) < 65536 ? 0 : -1;
}

/*
 * uri as xm+unix:///PATH or xm+tls://HOST[:PORT]/: 0, or -1 after the
 * call was answered.
 */
static int
parse_uri(struct mig_out *mo, struct rpc_call *call, const char *uri)
{
	const char *rest;
	int ok = 0;

	if (strncmp(uri, URI_UNIX, strlen(URI_UNIX)) == 0) {
		rest = uri + strlen(URI_UNIX);
		ok = rest[0] == '/' && strlen(rest) < sizeof(mo->mo_sock);
		if (ok)
			snprintf(mo->mo_sock, sizeof(mo->mo_sock), "%s", rest);
	} else if (strncmp(uri, URI_TLS, strlen(URI_TLS)) == 0)
		ok = parse_hostport(mo, uri + strlen(URI_TLS)) == 0;
	if (!ok || strlen(uri) >= sizeof(mo->mo_uri)) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "uri '%s': not one "
		    "this xmd migrates to (xm+unix:///PATH, the target xmd's "
		    "socket, or xm+tls://HOST[:PORT]/, its TCP listener)", uri);
		return -1;
	}
	snprintf(mo->mo_uri, sizeof(mo->mo_uri), "%s", uri);
	return 0;
}

/* live, max_rounds, max_downtime_ms: 0, or -1 after the call was answered. */
static int
live_params(struct mig_out *mo, struct rpc_call *call,
    struct json_object *params)
{
	struct json_object *v;
	int64_t n;

	if (json_object_object_get_ex(params, "live", &v))
		mo->mo_live = json_object_get_boolean(v);
	if (json_object_object_get_ex(params, "max_rounds", &v)) {
		if ((n = json_object_get_int64(v)) < 1 || n > 1000) {
			rpc_error(call, XMCTL_E_INVALID_PARAMS, "max_rounds "
			    "%lld: from 1 to 1000", (long long)n);
			return -1;
		}
		mo->mo_max_rounds = (unsigned int)n;
	}
	if (json_object_object_get_ex(params, "max_downtime_ms", &v)) {
		if ((n = json_object_get_int64(v)) < 1 || n > 600000) {
			rpc_error(call, XMCTL_E_INVALID_PARAMS, "max_downtime_"
			    "ms %lld: from 1 to 600000", (long long)n);
			return -1;
		}
		mo->mo_max_downtime_ms = (unsigned int)n;
	}
	if (!mo->mo_live && (mo->mo_max_rounds != 0 ||
	    mo->mo_max_downtime_ms != 0)) {
		rpc_error(call, XMCTL_E_INVALID_PARAMS, "max_rounds and "
		    "max_downtime_ms are for a live migration (live: true)");
		return -1;
	}
	return 0;
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
	if (parse_uri(mo, call, json_object_get_string(v)) != 0 ||
	    live_params(mo, call, params) != 0) {
		free(mo);
		return;
	}
	mo->mo_x = x;
	TAILQ_INSERT_TAIL(&outgoing, mo, mo_entry);
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
	if (target_connect(mo, why, sizeof(why)) != 0) {
		fail(mo, XMCTL_E_TARGET, "%s", why);
		return;
	}
	log_info("domain '%s': migrating to %s", mo->mo_name, mo->mo_uri);
	p = json_object_new_object();
	json_object_object_add(p, "name", json_object_new_string(mo->mo_name));
	json_object_object_add(p, "uuid", json_object_new_string(mo->mo_uuid));
	if (mo->mo_live)
		json_object_object_add(p, "live", json_object_new_boolean(1));
	request(mo, MO_PREPARE, "migration.prepare", p);
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

	TAILQ_FOREACH(mo, &outgoing, mo_entry)
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
		fail(mo, XMCTL_E_ABORTED, "aborted (domain.abortJob)");
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
