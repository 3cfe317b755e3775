/*
 * libFuzzer target: xmd's JSON-RPC 2.0 requests (xmd/rpc_dispatch.c,
 * the audit log of xmd/rpc_audit.c), driven as xmd's client_read() and
 * client_line() drive them, without a socket: the input is split into
 * lines at "\n", blank lines skipped, each line dispatched from a
 * buffer of exactly its length and a NUL.
 *
 * The first byte chooses the connection's role and whether the
 * connection goes away before the calls held by handlers end.  The
 * method table has xmd's methods with their roles and parameters
 * (xmd/methods.c); each handler answers now, fails now, or holds its
 * call until the line has been dispatched.  Checked:
 *  - a handler only runs when the role allows it, with params an object
 *    of known, well-typed parameters and every required one present;
 *  - everything sent is one line of JSON (valid UTF-8 when the request's
 *    strings were): a JSON-RPC answer or a batch of them, each with
 *    "jsonrpc":"2.0", an id and exactly one of result and error (an
 *    integer code and a message, which is always UTF-8);
 *  - the answers are those JSON-RPC 2.0 requires, counted from the
 *    request here: one per request with an id or that is no request at
 *    all, none for a notification; one -32700 for a line not JSON;
 *  - every id answered is null or one of the request's ids;
 *  - every audit line is exactly one line;
 *  - rpc_json_bytes() makes valid UTF-8 of any bytes, and keeps valid
 *    UTF-8 as it is;
 *  - nothing leaks (LeakSanitizer) once every call has ended.
 */
#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include <xmctl.h>

#include "fuzz.h"
#include "rpc_audit.h"
#include "rpc_dispatch.h"
#include "utf8.h"

#define MAX_HELD	64

struct fuzz_peer {
	struct rpc_peer	 fp_peer;	/* first */
	int		 fp_gone;	/* detached: nothing may be sent */
	size_t		 fp_answers;	/* answer objects sent */
	struct json_object *fp_line;	/* the request being dispatched */
	int		 fp_utf8;	/* its strings are valid UTF-8 */
};

static struct fuzz_peer	 peer;
static struct rpc_call	*held[MAX_HELD];
static size_t		 nheld;
static struct rpc_audit	*audit;
static int		 audit_fd = -1;
static struct rpc_cred	 cred;

static void	h_now(struct rpc_call *, struct json_object *, void *);
static void	h_fail(struct rpc_call *, struct json_object *, void *);
static void	h_later(struct rpc_call *, struct json_object *, void *);

/* xmd's parameters and roles (xmd/methods.c), with these handlers. */
static const struct rpc_param p_none[] = { { NULL, 0, 0 } };
static const struct rpc_param p_create[] = {
	{ "definition", RPC_P_STRING, 1 }, { NULL, 0, 0 },
};
static const struct rpc_param p_domain[] = {
	{ "domain", RPC_P_DOMAIN, 1 }, { NULL, 0, 0 },
};
static const struct rpc_param p_list[] = {
	{ "all", RPC_P_BOOL, 0 }, { NULL, 0, 0 },
};
static const struct rpc_param p_console[] = {
	{ "domain", RPC_P_DOMAIN, 1 }, { "follow", RPC_P_BOOL, 0 },
	{ NULL, 0, 0 },
};
static const struct rpc_param p_autostart[] = {
	{ "domain", RPC_P_DOMAIN, 1 }, { "enable", RPC_P_BOOL, 1 },
	{ NULL, 0, 0 },
};
static const struct rpc_param p_definition[] = {
	{ "domain", RPC_P_DOMAIN, 1 }, { "format", RPC_P_STRING, 0 },
	{ NULL, 0, 0 },
};
static const struct rpc_param p_token[] = {
	{ "token", RPC_P_STRING, 1 }, { NULL, 0, 0 },
};

static const struct rpc_method methods[] = {
	{ "auth.token",		h_fail,  RPC_ROLE_NONE,  p_token },
	{ "domain.list",	h_now,   RPC_ROLE_READ,  p_list },
	{ "domain.info",	h_fail,  RPC_ROLE_READ,  p_domain },
	{ "domain.state",	h_later, RPC_ROLE_READ,  p_domain },
	{ "domain.definition",	h_now,   RPC_ROLE_READ,  p_definition },
	{ "domain.console",	h_later, RPC_ROLE_READ,  p_console },
	{ "node.info",		h_later, RPC_ROLE_READ,  p_none },
	{ "events.subscribe",	h_now,   RPC_ROLE_READ,  p_none },
	{ "domain.define",	h_now,   RPC_ROLE_ADMIN, p_create },
	{ "domain.undefine",	h_fail,  RPC_ROLE_ADMIN, p_domain },
	{ "domain.create",	h_later, RPC_ROLE_ADMIN, p_create },
	{ "domain.start",	h_later, RPC_ROLE_ADMIN, p_domain },
	{ "domain.shutdown",	h_fail,  RPC_ROLE_ADMIN, p_domain },
	{ "domain.reboot",	h_now,   RPC_ROLE_ADMIN, p_domain },
	{ "domain.destroy",	h_later, RPC_ROLE_ADMIN, p_domain },
	{ "domain.pause",	h_now,   RPC_ROLE_ADMIN, p_domain },
	{ "domain.resume",	h_fail,  RPC_ROLE_ADMIN, p_domain },
	{ "domain.autostart",	h_now,   RPC_ROLE_ADMIN, p_autostart },
	{ NULL, NULL, 0, NULL },
};

/*
 * The handlers' side: what the dispatcher promised.
 */

static const struct rpc_method *
method_of(struct rpc_call *c)
{
	const struct rpc_method *m;

	for (m = methods; m->name != NULL; m++)
		if (strcmp(m->name, rpc_call_method(c)) == 0)
			return m;
	FUZZ_CHECK(!"a call of a method not in the table");
	return NULL;
}

static int
typed(enum rpc_ptype t, struct json_object *v)
{
	json_type jt = json_object_get_type(v);

	switch (t) {
	case RPC_P_STRING:
		return jt == json_type_string;
	case RPC_P_INT:
		return jt == json_type_int;
	case RPC_P_BOOL:
		return jt == json_type_boolean;
	case RPC_P_DOMAIN:
		return jt == json_type_string || jt == json_type_int;
	}
	return 0;
}

static const struct rpc_param *
param_of(const struct rpc_method *m, const char *key)
{
	const struct rpc_param *p;

	for (p = m->params; p->name != NULL; p++)
		if (strcmp(p->name, key) == 0)
			return p;
	return NULL;
}

static void
check_call(struct rpc_call *c, struct json_object *params)
{
	const struct rpc_method *m = method_of(c);
	const struct rpc_param *p;

	FUZZ_CHECK(m->role <= peer.fp_peer.rp_role);
	FUZZ_CHECK(rpc_call_peer(c) == &peer.fp_peer);
	FUZZ_CHECK(json_object_is_type(params, json_type_object));
	json_object_object_foreach(params, key, val) {
		FUZZ_CHECK((p = param_of(m, key)) != NULL);
		FUZZ_CHECK(typed(p->type, val));
	}
	for (p = m->params; p->name != NULL; p++)
		if (p->required)
			FUZZ_CHECK(json_object_object_get_ex(params, p->name,
			    NULL));
}

static void
h_now(struct rpc_call *c, struct json_object *params, void *ctx)
{
	(void)ctx;
	check_call(c, params);
	rpc_result(c, json_object_get(params));
}

static void
h_fail(struct rpc_call *c, struct json_object *params, void *ctx)
{
	struct json_object *v = NULL;

	(void)ctx;
	check_call(c, params);
	json_object_object_get_ex(params, "domain", &v);
	rpc_error(c, XMCTL_E_NO_DOMAIN, "domain '%s': no such domain",
	    v != NULL ? json_object_get_string(v) : "");
}

static void
h_later(struct rpc_call *c, struct json_object *params, void *ctx)
{
	(void)ctx;
	check_call(c, params);
	FUZZ_CHECK(nheld < MAX_HELD);
	held[nheld++] = c;
}

/*
 * The peer's side: what is sent.
 */

static int
is_number(struct json_object *o)
{
	return json_object_is_type(o, json_type_int) ||
	    json_object_is_type(o, json_type_double);
}

/*
 * The same id: a number by its value (json-c reads "1E" as the double
 * 1 and writes it "1", which reads back as an integer).
 */
static int
same_id(struct json_object *a, struct json_object *b)
{
	double x, y;

	if (!is_number(a) || !is_number(b))
		return json_object_equal(a, b);
	if (json_object_is_type(a, json_type_int) &&
	    json_object_is_type(b, json_type_int))
		return json_object_get_int64(a) == json_object_get_int64(b);
	x = json_object_get_double(a);
	y = json_object_get_double(b);
	return x == y || (x != x && y != y);
}

static int
id_asked(struct json_object *req, struct json_object *id)
{
	struct json_object *v;
	size_t i, n;

	if (json_object_is_type(req, json_type_array)) {
		n = json_object_array_length(req);
		for (i = 0; i < n; i++)
			if (id_asked(json_object_array_get_idx(req, i), id))
				return 1;
		return 0;
	}
	return json_object_is_type(req, json_type_object) &&
	    json_object_object_get_ex(req, "id", &v) && same_id(v, id);
}

static void
check_answer(struct json_object *a)
{
	struct json_object *v, *e, *id;
	int has_result, has_error;

	FUZZ_CHECK(json_object_is_type(a, json_type_object));
	FUZZ_CHECK(json_object_object_get_ex(a, "jsonrpc", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "2.0") == 0);
	FUZZ_CHECK(json_object_object_get_ex(a, "id", &id));
	FUZZ_CHECK(id == NULL || (peer.fp_line != NULL &&
	    id_asked(peer.fp_line, id)));
	has_result = json_object_object_get_ex(a, "result", NULL);
	has_error = json_object_object_get_ex(a, "error", &e);
	FUZZ_CHECK(has_result + has_error == 1);
	if (has_error) {
		FUZZ_CHECK(json_object_object_get_ex(e, "code", &v) &&
		    json_object_is_type(v, json_type_int));
		FUZZ_CHECK(json_object_object_get_ex(e, "message", &v) &&
		    json_object_is_type(v, json_type_string));
		/* Whatever the request, the message is text. */
		FUZZ_CHECK(utf8_valid(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v)));
	}
	peer.fp_answers++;
}

static void
peer_send(struct rpc_peer *p, const char *data, size_t len)
{
	struct json_tokener *tok;
	struct json_object *msg;
	size_t i, n;

	FUZZ_CHECK(p == &peer.fp_peer && !peer.fp_gone);
	FUZZ_CHECK(len >= 2 && data[len - 1] == '\n');
	FUZZ_CHECK(memchr(data, '\n', len - 1) == NULL);
	FUZZ_CHECK(memchr(data, '\0', len) == NULL);
	/* JSON is UTF-8: what came in as text must not go out broken. */
	if (peer.fp_utf8)
		FUZZ_CHECK(utf8_valid(data, len));
	/* The line is not a string: it has no NUL. */
	FUZZ_CHECK((tok = json_tokener_new()) != NULL);
	msg = json_tokener_parse_ex(tok, data, (int)len - 1);
	FUZZ_CHECK(msg != NULL && json_tokener_get_error(tok) ==
	    json_tokener_success);
	FUZZ_CHECK(json_tokener_get_parse_end(tok) == len - 1);
	json_tokener_free(tok);
	if (json_object_is_type(msg, json_type_array)) {
		n = json_object_array_length(msg);
		FUZZ_CHECK(n > 0);
		for (i = 0; i < n; i++)
			check_answer(json_object_array_get_idx(msg, i));
	} else
		check_answer(msg);
	json_object_put(msg);
}

/* The audit log is a memfd: each call's line, and only one line. */
static void
peer_audit(struct rpc_peer *p, const char *method, const char *domain,
    int code, const char *msg)
{
	char line[8192];
	ssize_t n;

	FUZZ_CHECK(p == &peer.fp_peer);
	if (audit == NULL)
		return;
	FUZZ_CHECK(ftruncate(audit_fd, 0) == 0);
	rpc_audit_log(audit, &cred, method, domain, code, msg);
	n = pread(audit_fd, line, sizeof(line), 0);
	FUZZ_CHECK(n > 0 && line[n - 1] == '\n');
	FUZZ_CHECK(memchr(line, '\n', (size_t)n - 1) == NULL);
}

/* The log of rpc_audit.c: nothing to say here. */
void
log_warn(const char *fmt, ...)
{
	(void)fmt;
}

/*
 * The answers JSON-RPC 2.0 requires for a request and for a line.
 */

static size_t
answers_for(struct json_object *req)
{
	struct json_object *v;

	if (!json_object_is_type(req, json_type_object))
		return 1;
	if (json_object_object_get_ex(req, "id", &v))
		return 1;	/* with it, or with null if it is no id */
	if (!json_object_object_get_ex(req, "jsonrpc", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "2.0") != 0)
		return 1;
	if (!json_object_object_get_ex(req, "method", &v) ||
	    !json_object_is_type(v, json_type_string))
		return 1;
	return 0;	/* a notification */
}

static size_t
answers_for_line(struct json_object *line)
{
	size_t i, n, sum = 0;

	if (!json_object_is_type(line, json_type_array))
		return answers_for(line);
	if ((n = json_object_array_length(line)) == 0)
		return 1;
	for (i = 0; i < n; i++)
		sum += answers_for(json_object_array_get_idx(line, i));
	return sum;
}

/* The line as rpc_dispatch() reads it: NULL when it is not JSON. */
static struct json_object *
parse_line(const char *line, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	FUZZ_CHECK(tok != NULL);
	o = json_tokener_parse_ex(tok, line, (int)len + 1);
	json_tokener_free(tok);
	return o;
}

/* The held calls end: answered in turn, or after the peer went. */
static void
end_held(int gone)
{
	size_t i;

	if (gone) {
		rpc_peer_detach(&peer.fp_peer);
		peer.fp_gone = 1;
	}
	for (i = 0; i < nheld; i++) {
		if (gone)
			FUZZ_CHECK(rpc_call_peer(held[i]) == NULL);
		if (i % 2 == 0)
			rpc_result(held[i], json_object_new_int((int)i));
		else
			rpc_error(held[i], XMCTL_E_NODE, "node: %zu", i);
	}
	nheld = 0;
	FUZZ_CHECK(TAILQ_EMPTY(&peer.fp_peer.rp_calls));
}

/*
 * Whether the strings of the request, as json-c read them, are UTF-8:
 * it turns "\ud800" into bytes that are not, and the answers may quote
 * what the request held.
 */
static int
strings_utf8(struct json_object *req)
{
	size_t len;
	const char *s;

	if (req == NULL)
		return 1;
	s = json_object_to_json_string_length(req, JSON_C_TO_STRING_PLAIN,
	    &len);
	return utf8_valid(s, len);
}

static void
check_utf8(const char *line, size_t len)
{
	struct json_object *s = rpc_json_bytes(line, len);
	const char *out = json_object_get_string(s);
	size_t olen = (size_t)json_object_get_string_len(s);

	FUZZ_CHECK(utf8_valid(out, olen));
	if (utf8_valid(line, len))
		FUZZ_CHECK(olen == len && memcmp(out, line, len) == 0);
	json_object_put(s);
}

static void
one_line(const char *data, size_t len, int gone)
{
	char *line;
	int rc;

	/* As evbuffer_readln() gives it: exactly len bytes and a NUL. */
	if ((line = malloc(len + 1)) == NULL)
		return;
	memcpy(line, data, len);
	line[len] = '\0';
	if (len == 0 || strspn(line, " \t\r") == len) {
		free(line);	/* client_line(): blank */
		return;
	}
	peer.fp_line = parse_line(line, len);
	peer.fp_utf8 = strings_utf8(peer.fp_line);
	peer.fp_answers = 0;
	peer.fp_gone = 0;
	rc = rpc_dispatch(methods, NULL, &peer.fp_peer, line, len);
	end_held(gone);
	if (rc != 0)
		FUZZ_CHECK(peer.fp_answers == 1);
	else if (!gone)
		FUZZ_CHECK(peer.fp_answers == answers_for_line(peer.fp_line));
	json_object_put(peer.fp_line);
	rpc_peer_init(&peer.fp_peer, peer_send, peer.fp_peer.rp_role);
	peer.fp_peer.rp_audit = peer_audit;
	check_utf8(line, len);
	free(line);
}

static void
open_audit(void)
{
	char path[64];

	if ((audit_fd = memfd_create("audit", 0)) < 0)
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", audit_fd);
	audit = rpc_audit_open(path);
	cred.uid = 1000;
	cred.pid = 42;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p, *nl, *end;
	int gone;

	if (size < 1)
		return 0;
	if (audit_fd < 0)
		open_audit();
	cred.role = (enum rpc_role)(data[0] % 3);
	gone = (data[0] & 0x80) != 0;
	rpc_peer_init(&peer.fp_peer, peer_send, cred.role);
	peer.fp_peer.rp_audit = peer_audit;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;	/* unfinished: xmd waits; read it anyway */
		one_line(p, (size_t)(nl - p), gone);
		p = nl + 1;
	}
	return 0;
}
