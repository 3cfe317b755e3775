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
	if (x->x_fd >= 0)
		close(x->x_fd);
	free(x->x_buf);
	free(x->x_result);
	json_object_put(x->x_events);
	free(x);
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

/* The socket path a URI names, in buf. */
static int
uri_path(struct xmctl *x, const char *uri, char *buf, size_t len)
{
	char dir[4096];

	if (uri == NULL)
		uri = getenv("XMCTL_URI");
	if (uri == NULL || *uri == '\0') {
		if (xm_default_state_dir(dir, sizeof(dir)) != 0)
			return xc_fail(x, XMCTL_E_ARG,
			    "the default state directory's path is too long");
		if ((size_t)snprintf(buf, len, "%s/%s", dir,
		    XM_RPC_SOCKET_NAME) >= len)
			return xc_fail(x, XMCTL_E_ARG, "%s: path too long", dir);
		return XMCTL_OK;
	}
	if (strncmp(uri, "unix://", 7) != 0 || uri[7] != '/')
		return xc_fail(x, XMCTL_E_ARG,
		    "URI '%s': only unix:///path/to/xmd.sock is supported", uri);
	if (strlen(uri + 7) >= len)
		return xc_fail(x, XMCTL_E_ARG, "URI '%s': path too long", uri);
	strcpy(buf, uri + 7);
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
connect_path(struct xmctl *x, const char *uri, int readonly)
{
	struct sockaddr_un sun;
	int rc, fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (x->x_fd >= 0)
		return xc_fail(x, XMCTL_E_ARG, "already connected");
	if ((rc = uri_path(x, uri, sun.sun_path, sizeof(sun.sun_path))) != 0)
		return rc;
	if (readonly &&
	    (rc = ro_path(x, sun.sun_path, sizeof(sun.sun_path))) != 0)
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

XMCTL_API int
xmctl_connect(struct xmctl *x, const char *uri)
{
	return connect_path(x, uri, 0);
}

XMCTL_API int
xmctl_connect_readonly(struct xmctl *x, const char *uri)
{
	return connect_path(x, uri, 1);
}

static int
write_all(struct xmctl *x, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(x->x_fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return xc_fail(x, XMCTL_E_IO, "writing to xmd: %s",
			    strerror(errno));
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
	int rc;

	if (x->x_cap - x->x_len < 65536) {
		if (x->x_cap > XC_LINE_MAX)
			return xc_fail(x, XMCTL_E_PROTOCOL,
			    "xmd sent a line longer than %d bytes", XC_LINE_MAX);
		if ((nb = realloc(x->x_buf, x->x_cap + 65536)) == NULL)
			return xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
		x->x_buf = nb;
		x->x_cap += 65536;
	}
	while ((rc = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (rc == 0)
		return XMCTL_E_AGAIN;
	while ((n = read(x->x_fd, x->x_buf + x->x_len, x->x_cap - x->x_len)) <
	    0 && errno == EINTR)
		;
	if (n <= 0)
		return xc_fail(x, XMCTL_E_IO, "the connection to xmd %s",
		    n == 0 ? "closed" : strerror(errno));
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
