/*
 * libxmctl's connection: connecting by URI, one JSON-RPC request and its
 * answer at a time, messages read line by line.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "paths.h"

XMCTL_API struct xmctl *
xmctl_new(void)
{
	struct xmctl *x = calloc(1, sizeof(*x));

	if (x != NULL)
		x->x_fd = -1;
	return x;
}

XMCTL_API void
xmctl_free(struct xmctl *x)
{
	if (x == NULL)
		return;
	xc_close(x);
	free(x->x_buf);
	free(x->x_result);
	json_object_put(x->x_events);
	free(x);
}

void
xc_close(struct xmctl *x)
{
	xc_tls_free(x);
	if (x->x_fd >= 0)
		close(x->x_fd);
	x->x_fd = -1;
	xc_ssh_reap(x);
	free(x->x_uri);
	x->x_uri = NULL;
	x->x_len = 0;
}

XMCTL_API int
xmctl_errcode(const struct xmctl *x)
{
	return x->x_code;
}

XMCTL_API const char *
xmctl_errmsg(const struct xmctl *x)
{
	return x->x_msg;
}

XMCTL_API const char *
xmctl_result_json(const struct xmctl *x)
{
	return x->x_result;
}

XMCTL_API int
xmctl_fd(const struct xmctl *x)
{
	return x->x_fd;
}

int
xc_fail(struct xmctl *x, int code, const char *fmt, ...)
{
	va_list ap;

	x->x_code = code;
	free(x->x_result);
	x->x_result = NULL;
	va_start(ap, fmt);
	vsnprintf(x->x_msg, sizeof(x->x_msg), fmt, ap);
	va_end(ap);
	return code;
}

int
xc_ok(struct xmctl *x)
{
	x->x_code = XMCTL_OK;
	x->x_msg[0] = '\0';
	return XMCTL_OK;
}

#define XC_RO_SOCKET_NAME	"xmd-ro.sock"

/* The default socket's path, in buf. */
static int
default_path(struct xmctl *x, char *buf, size_t len)
{
	char dir[4096];

	if (xm_default_socket_dir(dir, sizeof(dir)) != 0)
		return xc_fail(x, XMCTL_E_ARG,
		    "the default socket directory's path is too long");
	if ((size_t)snprintf(buf, len, "%s/%s", dir,
	    XM_RPC_SOCKET_NAME) >= len)
		return xc_fail(x, XMCTL_E_ARG, "%s: path too long", dir);
	return XMCTL_OK;
}

/* The read-only socket next to the one in buf. */
static int
ro_path(struct xmctl *x, char *buf, size_t len)
{
	char *slash = strrchr(buf, '/');
	size_t dir = slash != NULL ? (size_t)(slash - buf) + 1 : 0;

	if (dir + sizeof(XC_RO_SOCKET_NAME) > len)
		return xc_fail(x, XMCTL_E_ARG, "%s: path too long", buf);
	strcpy(buf + dir, XC_RO_SOCKET_NAME);
	return XMCTL_OK;
}

static int
connect_unix(struct xmctl *x, const char *path, int readonly)
{
	struct sockaddr_un sun;
	int rc, fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (path == NULL)
		rc = default_path(x, sun.sun_path, sizeof(sun.sun_path));
	else if ((rc = strlen(path) >= sizeof(sun.sun_path) ? XMCTL_E_ARG :
	    XMCTL_OK) != XMCTL_OK)
		return xc_fail(x, rc, "%s: path too long", path);
	else
		strcpy(sun.sun_path, path);
	if (rc != XMCTL_OK || (readonly &&
	    (rc = ro_path(x, sun.sun_path, sizeof(sun.sun_path))) != 0))
		return rc;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return xc_fail(x, XMCTL_E_SYSTEM, "socket: %s",
		    strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		rc = errno;
		close(fd);
		return xc_fail(x, XMCTL_E_CONNECT,
		    "cannot connect to xmd at %s: %s (is xmd running?)",
		    sun.sun_path, strerror(rc));
	}
	x->x_fd = fd;
	return xc_ok(x);
}

static int
connect_remote(struct xmctl *x, const struct xc_uri *u, const char *uri,
    int readonly)
{
	int rc;

	if ((x->x_uri = strdup(uri)) == NULL)
		return xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	if (u->u_scheme == XC_URI_SSH)
		rc = xc_ssh_connect(x, u, uri, readonly);
	else if (readonly)
		rc = xc_fail(x, XMCTL_E_ARG, "URI '%s': read-only over TLS "
		    "is a read-only token's (not -r)", uri);
	else
		rc = xc_tls_connect(x, u, uri);
	if (rc != XMCTL_OK)
		xc_close(x);
	return rc == XMCTL_OK ? xc_ok(x) : rc;
}

/* uri, or $XMCTL_URI, or the default socket. */
static int
connect_uri(struct xmctl *x, const char *uri, int readonly)
{
	char err[sizeof(x->x_msg)];
	struct xc_uri *u;
	int rc;

	if (x->x_fd >= 0)
		return xc_fail(x, XMCTL_E_ARG, "already connected");
	if (uri == NULL)
		uri = getenv("XMCTL_URI");
	if (uri == NULL || *uri == '\0')
		return connect_unix(x, NULL, readonly);
	if ((u = malloc(sizeof(*u))) == NULL)
		return xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	if (xc_uri_parse(uri, u, err, sizeof(err)) != 0)
		rc = xc_fail(x, XMCTL_E_ARG, "%s", err);
	else if (u->u_scheme == XC_URI_UNIX)
		rc = connect_unix(x, u->u_path, readonly);
	else
		rc = connect_remote(x, u, uri, readonly);
	free(u);
	return rc;
}

XMCTL_API int
xmctl_connect(struct xmctl *x, const char *uri)
{
	return connect_uri(x, uri, 0);
}

XMCTL_API int
xmctl_connect_readonly(struct xmctl *x, const char *uri)
{
	return connect_uri(x, uri, 1);
}

/* The connection broke: remote ones say which it was. */
static int
io_fail(struct xmctl *x, const char *what, const char *why)
{
	/* ssh says why it could not go on: on the caller's stderr. */
	if (x->x_uri != NULL)
		return xc_fail(x, XMCTL_E_IO, "URI '%s': %s%s%s", x->x_uri,
		    what, why, x->x_child > 0 ? " (ssh's and the remote "
		    "xmctl's messages are on standard error)" : "");
	return xc_fail(x, XMCTL_E_IO, "%s%s", what, why);
}

static int
write_all(struct xmctl *x, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if (x->x_ssl != NULL)
			n = xc_tls_write(x, data, len);
		else
			n = send(x->x_fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return io_fail(x, "writing to xmd: ", strerror(errno));
		data += n, len -= (size_t)n;
	}
	return XMCTL_OK;
}

/* A whole line in the buffer, parsed; 1 if there was none. */
static int
take_line(struct xmctl *x, struct json_object **msg)
{
	char *nl = x->x_len > 0 ? memchr(x->x_buf, '\n', x->x_len) : NULL;
	size_t len;

	if (nl == NULL)
		return 1;
	*nl = '\0';
	len = (size_t)(nl - x->x_buf);
	*msg = json_tokener_parse(x->x_buf);
	memmove(x->x_buf, nl + 1, x->x_len - len - 1);
	x->x_len -= len + 1;
	if (*msg == NULL)
		return xc_fail(x, XMCTL_E_PROTOCOL, "xmd sent a line that is not JSON");
	return XMCTL_OK;
}

static int
fill(struct xmctl *x, int timeout_ms)
{
	struct pollfd pfd = { x->x_fd, POLLIN, 0 };
	ssize_t n;
	char *nb;
	int rc = 1;

	if (x->x_cap - x->x_len < 65536) {
		if (x->x_cap > XC_LINE_MAX)
			return xc_fail(x, XMCTL_E_PROTOCOL,
			    "xmd sent a line longer than %d bytes", XC_LINE_MAX);
		if ((nb = realloc(x->x_buf, x->x_cap + 65536)) == NULL)
			return xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
		x->x_buf = nb;
		x->x_cap += 65536;
	}
	/* TLS may hold decrypted bytes that poll() cannot see. */
	while (!xc_tls_pending(x) &&
	    (rc = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (!xc_tls_pending(x) && rc == 0)
		return XMCTL_E_AGAIN;
	while ((n = x->x_ssl != NULL ? xc_tls_read(x, x->x_buf + x->x_len,
	    x->x_cap - x->x_len) : read(x->x_fd, x->x_buf + x->x_len,
	    x->x_cap - x->x_len)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return io_fail(x, n == 0 ? "the connection to xmd closed" :
		    "the connection to xmd broke: ", n == 0 ? "" :
		    strerror(errno));
	x->x_len += (size_t)n;
	return XMCTL_OK;
}

int
xc_next_message(struct xmctl *x, struct json_object **msg, int timeout_ms)
{
	int rc;

	*msg = NULL;
	if (x->x_fd < 0)
		return xc_fail(x, XMCTL_E_ARG, "not connected");
	while ((rc = take_line(x, msg)) == 1)
		if ((rc = fill(x, timeout_ms)) != XMCTL_OK)
			return rc;
	return rc;
}

static int
send_request(struct xmctl *x, const char *method, struct json_object *params,
    int id)
{
	struct json_object *req = json_object_new_object();
	const char *s;
	size_t len;
	int rc;

	json_object_object_add(req, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(req, "id", json_object_new_int(id));
	json_object_object_add(req, "method", json_object_new_string(method));
	json_object_object_add(req, "params", params != NULL ? params :
	    json_object_new_object());
	s = json_object_to_json_string_length(req, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if ((rc = write_all(x, s, len)) == XMCTL_OK)
		rc = write_all(x, "\n", 1);
	json_object_put(req);
	return rc;
}

/* The answer in msg: the result, or the error onto the handle. */
static int
take_answer(struct xmctl *x, struct json_object *msg,
    struct json_object **result)
{
	struct json_object *err, *code, *text;

	if (json_object_object_get_ex(msg, "error", &err)) {
		if (!json_object_object_get_ex(err, "code", &code) ||
		    !json_object_object_get_ex(err, "message", &text))
			return xc_fail(x, XMCTL_E_PROTOCOL,
			    "xmd sent an error without code or message");
		return xc_fail(x, json_object_get_int(code), "%s",
		    json_object_get_string(text));
	}
	if (!json_object_object_get_ex(msg, "result", result))
		return xc_fail(x, XMCTL_E_PROTOCOL,
		    "xmd sent an answer without result or error");
	json_object_get(*result);
	return xc_ok(x);
}

/* The result's text for xmctl_result_json(), as xmd sent it. */
static int
keep_result(struct xmctl *x, struct json_object *result)
{
	if ((x->x_result = strdup(json_object_to_json_string_ext(result,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE))) == NULL)
		return xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	return XMCTL_OK;
}

int
xc_call(struct xmctl *x, const char *method, struct json_object *params,
    struct json_object **result)
{
	struct json_object *msg, *id;
	int rc, want;

	*result = NULL;
	free(x->x_result);
	x->x_result = NULL;
	if (x->x_fd < 0) {
		json_object_put(params);
		return xc_fail(x, XMCTL_E_ARG, "not connected");
	}
	if (x->x_following) {
		json_object_put(params);
		return xc_fail(x, XMCTL_E_ARG,
		    "the connection is following a console");
	}
	want = ++x->x_next_id;
	if ((rc = send_request(x, method, params, want)) != XMCTL_OK)
		return rc;
	for (;;) {
		if ((rc = xc_next_message(x, &msg, -1)) != XMCTL_OK)
			return rc;
		/*
		 * Notifications have no id: a migration's progress goes to
		 * its callback now, events are kept for later.
		 */
		if (json_object_object_get_ex(msg, "id", &id) &&
		    json_object_is_type(id, json_type_int) &&
		    json_object_get_int(id) == want)
			break;
		if (!xc_take_progress(x, msg))
			xc_keep_event(x, msg);
	}
	rc = take_answer(x, msg, result);
	json_object_put(msg);
	if (rc == XMCTL_OK)
		rc = keep_result(x, *result);
	return rc;
}

struct json_object *
xc_dom_params(const char *dom)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "domain", json_object_new_string(dom));
	return p;
}
