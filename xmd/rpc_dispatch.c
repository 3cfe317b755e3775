/*
 * The JSON-RPC 2.0 dispatcher: request checks, the method table, the
 * parameter checks, replies and notifications (see rpc_dispatch.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmctl.h>

#include "rpc_dispatch.h"

/* A batch's answers, sent as one array when its last call ends. */
struct rpc_batch {
	struct rpc_peer		*b_peer;	/* NULL: gone */
	struct json_object	*b_answers;
	unsigned int		 b_pending;	/* calls, and the dispatch */
};

struct rpc_call {
	TAILQ_ENTRY(rpc_call)	 rc_entry;
	struct rpc_peer		*rc_peer;	/* NULL: gone */
	struct json_object	*rc_id;		/* NULL: null */
	int			 rc_notification; /* no id: no answer */
	const char		*rc_method;
	enum rpc_role		 rc_role;
	char			*rc_domain;	/* params' domain, for audit */
	void			*rc_ctx;
	struct rpc_batch	*rc_batch;
};

static const char *const role_names[] = {
	[RPC_ROLE_NONE] = "none",
	[RPC_ROLE_READ] = "read-only",
	[RPC_ROLE_ADMIN] = "admin",
};

const char *
rpc_role_name(enum rpc_role r)
{
	return role_names[r];
}

void
rpc_peer_init(struct rpc_peer *p, void (*send)(struct rpc_peer *,
    const char *, size_t), enum rpc_role role)
{
	p->rp_send = send;
	p->rp_role = role;
	p->rp_audit = NULL;
	p->rp_raw_left = 0;
	p->rp_raw = NULL;
	p->rp_raw_arg = NULL;
	TAILQ_INIT(&p->rp_calls);
}

void
rpc_peer_take_raw(struct rpc_peer *p, uint64_t n, rpc_raw_fn *fn, void *arg)
{
	p->rp_raw_left = n;
	p->rp_raw = fn;
	p->rp_raw_arg = arg;
}

void
rpc_peer_detach(struct rpc_peer *p)
{
	struct rpc_call *c;

	while ((c = TAILQ_FIRST(&p->rp_calls)) != NULL) {
		TAILQ_REMOVE(&p->rp_calls, c, rc_entry);
		c->rc_peer = NULL;
		if (c->rc_batch != NULL)
			c->rc_batch->b_peer = NULL;
	}
}

static void
send_json(struct rpc_peer *p, struct json_object *msg)
{
	const char *s;
	size_t len;
	char *line;

	s = json_object_to_json_string_length(msg, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if ((line = malloc(len + 1)) != NULL) {
		memcpy(line, s, len);
		line[len] = '\n';
		p->rp_send(p, line, len + 1);
		free(line);
	}
	json_object_put(msg);
}

/* msg to p, or into batch b's answers. */
static void
answer(struct rpc_peer *p, struct rpc_batch *b, struct json_object *msg)
{
	if (b != NULL)
		json_object_array_add(b->b_answers, msg);
	else
		send_json(p, msg);
}

static void
batch_put(struct rpc_batch *b)
{
	if (--b->b_pending > 0)
		return;
	if (b->b_peer != NULL && json_object_array_length(b->b_answers) > 0)
		send_json(b->b_peer, b->b_answers);
	else
		json_object_put(b->b_answers);
	free(b);
}

static struct json_object *
envelope(struct json_object *id)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(m, "id", json_object_get(id));
	return m;
}

/*
 * The message through rpc_json_bytes(): cut to the size of its buffer,
 * it may end in part of a character, and it may quote bytes of the
 * request that are not UTF-8; JSON that is not UTF-8 is not JSON.
 */
static void
send_error_b(struct rpc_peer *p, struct rpc_batch *b, struct json_object *id,
    int code, const char *msg)
{
	struct json_object *m = envelope(id), *e = json_object_new_object();

	json_object_object_add(e, "code", json_object_new_int(code));
	json_object_object_add(e, "message", rpc_json_bytes(msg, strlen(msg)));
	json_object_object_add(m, "error", e);
	answer(p, b, m);
}

static void
send_error(struct rpc_peer *p, struct json_object *id, int code,
    const char *msg)
{
	send_error_b(p, NULL, id, code, msg);
}

static void
call_audit(struct rpc_call *c, const char *domain, int code, const char *msg)
{
	struct rpc_peer *p = c->rc_peer;

	if (p == NULL || p->rp_audit == NULL || c->rc_role != RPC_ROLE_ADMIN)
		return;
	p->rp_audit(p, c->rc_method, c->rc_domain != NULL ? c->rc_domain :
	    domain, code, msg);
}

static void
call_end(struct rpc_call *c)
{
	if (c->rc_peer != NULL)
		TAILQ_REMOVE(&c->rc_peer->rp_calls, c, rc_entry);
	if (c->rc_batch != NULL)
		batch_put(c->rc_batch);
	json_object_put(c->rc_id);
	free(c->rc_domain);
	free(c);
}

/* The name a result gives, for the audit log of define and create. */
static const char *
result_name(struct json_object *result)
{
	struct json_object *v;

	if (json_object_is_type(result, json_type_object) &&
	    json_object_object_get_ex(result, "name", &v))
		return json_object_get_string(v);
	return NULL;
}

void
rpc_result(struct rpc_call *c, struct json_object *result)
{
	struct json_object *m;

	call_audit(c, result_name(result), 0, "");
	if (c->rc_peer != NULL && !c->rc_notification) {
		m = envelope(c->rc_id);
		json_object_object_add(m, "result", result);
		answer(c->rc_peer, c->rc_batch, m);
	} else
		json_object_put(result);
	call_end(c);
}

void
rpc_error(struct rpc_call *c, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	call_audit(c, NULL, code, msg);
	if (c->rc_peer != NULL && !c->rc_notification)
		send_error_b(c->rc_peer, c->rc_batch, c->rc_id, code, msg);
	call_end(c);
}

struct rpc_peer *
rpc_call_peer(const struct rpc_call *c)
{
	return c->rc_peer;
}

const char *
rpc_call_method(const struct rpc_call *c)
{
	return c->rc_method;
}

void *
rpc_call_ctx(const struct rpc_call *c)
{
	return c->rc_ctx;
}

void
rpc_notify(struct rpc_peer *p, const char *method, struct json_object *params)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(m, "method", json_object_new_string(method));
	json_object_object_add(m, "params", params);
	send_json(p, m);
}

static int
type_ok(enum rpc_ptype t, struct json_object *v)
{
	switch (t) {
	case RPC_P_STRING:
		return json_object_is_type(v, json_type_string);
	case RPC_P_INT:
		return json_object_is_type(v, json_type_int);
	case RPC_P_BOOL:
		return json_object_is_type(v, json_type_boolean);
	case RPC_P_DOMAIN:
		return json_object_is_type(v, json_type_string) ||
		    json_object_is_type(v, json_type_int);
	}
	return 0;
}

static const char *const type_names[] = {
	[RPC_P_STRING] = "a string",
	[RPC_P_INT] = "an integer",
	[RPC_P_BOOL] = "true or false",
	[RPC_P_DOMAIN] = "a domain name, UUID or id",
};

/* NULL, or the first parameter the method does not take, in buf. */
static const char *
check_known(const struct rpc_method *m, struct json_object *params,
    char *buf, size_t len)
{
	const struct rpc_param *p;

	json_object_object_foreach(params, key, val) {
		for (p = m->params; p != NULL && p->name != NULL; p++)
			if (strcmp(p->name, key) == 0)
				break;
		if (p == NULL || p->name == NULL) {
			snprintf(buf, len, "unknown parameter '%s'", key);
			return buf;
		}
		if (!type_ok(p->type, val)) {
			snprintf(buf, len, "parameter '%s' must be %s", key,
			    type_names[p->type]);
			return buf;
		}
	}
	return NULL;
}

/* NULL, or what is wrong with params (NULL: none given), in buf. */
static const char *
check_params(const struct rpc_method *m, struct json_object *params,
    char *buf, size_t len)
{
	const struct rpc_param *p;
	struct json_object *v;
	const char *why;

	if (params != NULL && !json_object_is_type(params, json_type_object))
		return "params must be an object of named parameters";
	if (params != NULL && (why = check_known(m, params, buf, len)) != NULL)
		return why;
	for (p = m->params; p != NULL && p->name != NULL; p++)
		if (p->required && (params == NULL ||
		    !json_object_object_get_ex(params, p->name, &v))) {
			snprintf(buf, len, "missing parameter '%s'", p->name);
			return buf;
		}
	return NULL;
}

static const struct rpc_method *
find_method(const struct rpc_method *table, const char *name)
{
	for (; table->name != NULL; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

/*
 * An id is echoed as it came: a string, null, or a number that json-c
 * holds exactly.  json-c saturates integers beyond 64 bits to
 * INT64_MIN or UINT64_MAX (so refuse |id| >= 2^63), keeps a fraction's
 * text (exact), and lets NaN and Infinity through, which JSON has not.
 */
static int
id_echoable(struct json_object *v)
{
	int64_t n;

	if (v == NULL || json_object_is_type(v, json_type_string))
		return 1;
	if (json_object_is_type(v, json_type_int)) {
		n = json_object_get_int64(v);
		return n != INT64_MIN && (n != INT64_MAX ||
		    json_object_get_uint64(v) == (uint64_t)INT64_MAX);
	}
	return json_object_is_type(v, json_type_double) &&
	    isfinite(json_object_get_double(v));
}

/* NULL, or why req is not a JSON-RPC 2.0 request. */
static const char *
check_request(struct json_object *req, struct json_object **id, int *has_id,
    const char **method)
{
	struct json_object *v;

	*id = NULL;
	*has_id = 0;
	if (!json_object_is_type(req, json_type_object))
		return "a request must be a JSON object";
	if (json_object_object_get_ex(req, "id", &v)) {
		if (!id_echoable(v))
			return "id must be a string, null, or a finite "
			    "number whose magnitude is below 2^63";
		*id = v;
		*has_id = 1;
	}
	if (!json_object_object_get_ex(req, "jsonrpc", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "2.0") != 0)
		return "jsonrpc must be \"2.0\"";
	if (!json_object_object_get_ex(req, "method", &v) ||
	    !json_object_is_type(v, json_type_string))
		return "method must be a string";
	*method = json_object_get_string(v);
	return NULL;
}

/* params' domain as a string, for the audit log; NULL if none. */
static char *
domain_of(struct json_object *params)
{
	struct json_object *v;

	if (params == NULL || !json_object_object_get_ex(params, "domain", &v))
		return NULL;
	return strdup(json_object_get_string(v));
}

static void
call_start(const struct rpc_method *m, void *ctx, struct rpc_peer *p,
    struct rpc_batch *b, struct json_object *id, int has_id,
    struct json_object *params)
{
	struct rpc_call *c = calloc(1, sizeof(*c));
	struct json_object *empty = NULL;

	if (c == NULL) {
		if (has_id)
			send_error_b(p, b, id, -32603, "out of memory");
		return;
	}
	c->rc_peer = p;
	c->rc_id = json_object_get(id);
	c->rc_notification = !has_id;
	c->rc_method = m->name;
	c->rc_role = m->role;
	c->rc_domain = domain_of(params);
	c->rc_ctx = ctx;
	if ((c->rc_batch = b) != NULL)
		b->b_pending++;
	TAILQ_INSERT_TAIL(&p->rp_calls, c, rc_entry);
	if (params == NULL)
		params = empty = json_object_new_object();
	m->fn(c, params, ctx);
	json_object_put(empty);
}

/* A call the peer's role does not allow: answered, and audited. */
static void
refuse(const struct rpc_method *m, struct rpc_peer *p, struct rpc_batch *b,
    struct json_object *id, int has_id, struct json_object *params)
{
	char buf[256], *dom = domain_of(params);

	snprintf(buf, sizeof(buf), "method '%s' needs the %s role; this connection is %s",
	    m->name, rpc_role_name(m->role), rpc_role_name(p->rp_role));
	if (p->rp_audit != NULL)
		p->rp_audit(p, m->name, dom, XMCTL_E_PERM, buf);
	free(dom);
	if (has_id)
		send_error_b(p, b, id, XMCTL_E_PERM, buf);
}

static void
dispatch_request(const struct rpc_method *table, void *ctx,
    struct rpc_peer *p, struct rpc_batch *b, struct json_object *req)
{
	const struct rpc_method *m;
	struct json_object *id, *params = NULL;
	const char *method = NULL, *why;
	char buf[256];
	int has_id;

	if ((why = check_request(req, &id, &has_id, &method)) != NULL) {
		send_error_b(p, b, has_id ? id : NULL, -32600, why);
		return;
	}
	if ((m = find_method(table, method)) == NULL) {
		snprintf(buf, sizeof(buf), "no method '%s'", method);
		if (has_id)
			send_error_b(p, b, id, -32601, buf);
		return;
	}
	if (p->rp_role == RPC_ROLE_NONE && m->role != RPC_ROLE_NONE) {
		if (has_id)
			send_error_b(p, b, id, XMCTL_E_PERM,
			    "authenticate first");
		return;
	}
	if (!json_object_object_get_ex(req, "params", &params))
		params = NULL;
	if ((why = check_params(m, params, buf, sizeof(buf))) != NULL) {
		if (has_id)
			send_error_b(p, b, id, -32602, why);
		return;
	}
	if (m->role > p->rp_role) {
		refuse(m, p, b, id, has_id, params);
		return;
	}
	call_start(m, ctx, p, b, id, has_id, params);
}

static void
dispatch_batch(const struct rpc_method *table, void *ctx,
    struct rpc_peer *p, struct json_object *reqs)
{
	size_t i, n = json_object_array_length(reqs);
	struct rpc_batch *b;

	if (n == 0) {
		send_error(p, NULL, -32600, "an empty batch");
		return;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		send_error(p, NULL, -32603, "out of memory");
		return;
	}
	b->b_peer = p;
	b->b_answers = json_object_new_array();
	b->b_pending = 1;	/* until every request is dispatched */
	for (i = 0; i < n; i++)
		dispatch_request(table, ctx, p, b,
		    json_object_array_get_idx(reqs, i));
	batch_put(b);
}

static int
only_blanks(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr(" \t\r\n", s[i]) == NULL)
			return 0;
	return 1;
}

int
rpc_dispatch(const struct rpc_method *table, void *ctx, struct rpc_peer *p,
    const char *line, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *req = NULL;
	enum json_tokener_error e;
	size_t end;
	char msg[256];
	int rc = -1;

	if (tok == NULL)
		return 0;
	/* JSON as RFC 8259 has it: no single quotes, "1E", leading 0s. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* With its NUL, so that a number at the end ends there. */
	req = json_tokener_parse_ex(tok, line, (int)len + 1);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (req == NULL && e != json_tokener_success) {
		snprintf(msg, sizeof(msg), "parse error at byte %zu: %s",
		    end, json_tokener_error_desc(e));
		send_error(p, NULL, -32700, msg);
	} else if (end < len && !only_blanks(line + end, len - end)) {
		/* Strict json-c stops only at a NUL inside the line. */
		snprintf(msg, sizeof(msg), "parse error at byte %zu: text "
		    "after the JSON value", end);
		send_error(p, NULL, -32700, msg);
	}
	else {
		rc = 0;
		if (json_object_is_type(req, json_type_array))
			dispatch_batch(table, ctx, p, req);
		else
			dispatch_request(table, ctx, p, NULL, req);
	}
	json_object_put(req);
	json_tokener_free(tok);
	return rc;
}

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_len(const unsigned char *s, size_t left)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

struct json_object *
rpc_json_bytes(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	struct json_object *o;
	size_t i = 0, o_len = 0, n;
	char *out;

	if ((out = malloc(len * 3 + 1)) == NULL)
		return json_object_new_string("");
	while (i < len) {
		if ((n = utf8_len(s + i, len - i)) == 0) {
			memcpy(out + o_len, "\xef\xbf\xbd", 3);
			o_len += 3, i++;
			continue;
		}
		memcpy(out + o_len, s + i, n);
		o_len += n, i += n;
	}
	o = json_object_new_string_len(out, (int)o_len);
	free(out);
	return o;
}
