/*
 * Unit tests for xmd's JSON-RPC 2.0 dispatcher (xmd/rpc_dispatch.c):
 * bad JSON, requests that are not requests, unknown methods, parameter
 * checks, roles, notifications, and handlers that answer later.  A test
 * peer collects what would go to the socket.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmctl.h>

#include "rpc_dispatch.h"

struct test_peer {
	struct rpc_peer	 peer;		/* first */
	char		 out[8192];
	size_t		 len;
	int		 lines;
};

static struct test_peer	 tp;
static int		 calls;
static struct rpc_call	*held;		/* a call answered later */

static void
collect(struct rpc_peer *p, const char *data, size_t len)
{
	struct test_peer *t = (struct test_peer *)p;

	assert_true(t->len + len < sizeof(t->out));
	assert_int_equal(data[len - 1], '\n');
	memcpy(t->out + t->len, data, len);
	t->len += len;
	t->out[t->len] = '\0';
	t->lines++;
}

static void
h_echo(struct rpc_call *c, struct json_object *params, void *ctx)
{
	(void)ctx;
	calls++;
	rpc_result(c, json_object_get(params));
}

static void
h_fail(struct rpc_call *c, struct json_object *params, void *ctx)
{
	struct json_object *v;

	(void)ctx;
	calls++;
	json_object_object_get_ex(params, "domain", &v);
	rpc_error(c, XMCTL_E_NO_DOMAIN, "domain '%s': no such domain",
	    json_object_get_string(v));
}

static void
h_later(struct rpc_call *c, struct json_object *params, void *ctx)
{
	(void)params, (void)ctx;
	calls++;
	held = c;
}

static const struct rpc_param p_none[] = { { NULL, 0, 0 } };
static const struct rpc_param p_dom[] = {
	{ "domain", RPC_P_DOMAIN, 1 },
	{ "follow", RPC_P_BOOL, 0 },
	{ "count", RPC_P_INT, 0 },
	{ "text", RPC_P_STRING, 0 },
	{ NULL, 0, 0 },
};

static const struct rpc_method table[] = {
	{ "test.echo", h_echo, RPC_ROLE_READ, p_dom },
	{ "test.fail", h_fail, RPC_ROLE_READ, p_dom },
	{ "test.later", h_later, RPC_ROLE_READ, p_none },
	{ "test.admin", h_echo, RPC_ROLE_ADMIN, p_none },
	{ "test.auth", h_echo, RPC_ROLE_NONE, p_none },
	{ NULL, NULL, 0, NULL },
};

static int
setup(void **state)
{
	(void)state;
	memset(&tp, 0, sizeof(tp));
	rpc_peer_init(&tp.peer, collect, RPC_ROLE_ADMIN);
	calls = 0;
	held = NULL;
	return 0;
}

static void
send_line(const char *line)
{
	rpc_dispatch(table, NULL, &tp.peer, line, strlen(line));
}

/* The one answer so far, with every line checked. */
static void
expect(const char *want)
{
	char w[1024];

	snprintf(w, sizeof(w), "%s\n", want);
	assert_string_equal(tp.out, w);
	tp.len = 0;
	tp.out[0] = '\0';
}

static void
test_parse_errors(void **state)
{
	(void)state;
	send_line("{\"jsonrpc\": \"2.0\", \"method\": \"test.echo\"");
	expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
	    "\"message\":\"parse error at byte 40: unexpected end of data\"}}");
	send_line("{\"jsonrpc\": 2.0,, }");
	assert_non_null(strstr(tp.out, "\"code\":-32700"));
	tp.len = 0;
	send_line("{} {}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
	    "\"message\":\"parse error at byte 3: unexpected character\"}}");
	rpc_dispatch(table, NULL, &tp.peer, "{}\0{}", 5);
	expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
	    "\"message\":\"parse error at byte 2: text after the JSON value\"}}");
	send_line("\xff\xfe");
	assert_non_null(strstr(tp.out, "\"code\":-32700"));
	assert_int_equal(calls, 0);
}

static void
test_invalid_requests(void **state)
{
	(void)state;
	send_line("42");
	expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
	    "\"message\":\"a request must be a JSON object\"}}");
	send_line("[]");
	expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
	    "\"message\":\"an empty batch\"}}");
	send_line("[42]");
	expect("[{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
	    "\"message\":\"a request must be a JSON object\"}}]");
	send_line("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"test.echo\"}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32600,"
	    "\"message\":\"jsonrpc must be \\\"2.0\\\"\"}}");
	send_line("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":3}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-32600,"
	    "\"message\":\"method must be a string\"}}");
	send_line("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"test.echo\"}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
	    "\"message\":\"id must be a string, null, or a finite number "
	    "whose magnitude is below 2^63\"}}");
	assert_int_equal(calls, 0);
}

/* What an answer's id would be for a request with id ID (its text). */
static void
expect_id_refused(const char *id)
{
	char line[512];

	snprintf(line, sizeof(line),
	    "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"test.echo\","
	    "\"params\":{\"domain\":\"d\"}}", id);
	send_line(line);
	assert_non_null(strstr(tp.out, "\"id\":null,\"error\":{\"code\":-32600,"));
	tp.len = 0;
	tp.out[0] = '\0';
}

static void
expect_id_echoed(const char *id)
{
	char line[512], want[512];

	snprintf(line, sizeof(line),
	    "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"test.echo\","
	    "\"params\":{\"domain\":\"d\"}}", id);
	send_line(line);
	snprintf(want, sizeof(want), "{\"jsonrpc\":\"2.0\",\"id\":%s,"
	    "\"result\":{\"domain\":\"d\"}}", id);
	expect(want);
}

/*
 * The answer carries the request's id exactly, or the request is
 * refused: never a different number (fuzz_rpc found "1444...4E" echoed
 * as 1444...4, which a client reads as 2^64-1, and NaN echoed as NaN,
 * which is not JSON).
 */
static void
test_ids_echo_exactly(void **state)
{
	(void)state;
	expect_id_echoed("9223372036854775807");
	expect_id_echoed("-9223372036854775807");
	expect_id_echoed("1e300");
	expect_id_echoed("1.50");
	expect_id_echoed("\"9223372036854775808\"");
	expect_id_refused("9223372036854775808");
	expect_id_refused("99999999999999999999999");
	expect_id_refused("-9223372036854775808");
	expect_id_refused("-99999999999999999999");
	expect_id_refused("NaN");
	expect_id_refused("-Infinity");
	expect_id_refused("1e400");
	assert_int_equal(calls, 5);
	/* Not JSON at all: a number without its exponent, a leading 0,
	 * a single-quoted string. */
	send_line("{\"jsonrpc\":\"2.0\",\"id\":14E,\"method\":\"test.echo\"}");
	assert_non_null(strstr(tp.out, "\"code\":-32700"));
	tp.len = 0;
	send_line("{\"jsonrpc\":\"2.0\",\"id\":01,\"method\":\"test.echo\"}");
	assert_non_null(strstr(tp.out, "\"code\":-32700"));
	tp.len = 0;
	send_line("{'jsonrpc':'2.0','id':1,'method':'test.echo'}");
	assert_non_null(strstr(tp.out, "\"code\":-32700"));
	assert_int_equal(calls, 5);
}

static void
test_unknown_method(void **state)
{
	(void)state;
	send_line("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"domain.nuke\"}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32601,"
	    "\"message\":\"no method 'domain.nuke'\"}}");
	/* A notification is never answered, not even with an error. */
	send_line("{\"jsonrpc\":\"2.0\",\"method\":\"domain.nuke\"}");
	assert_int_equal(tp.lines, 1);
}

static void
test_bad_params(void **state)
{
	(void)state;
	send_line("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo\"}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,"
	    "\"message\":\"missing parameter 'domain'\"}}");
	send_line("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test.echo\","
	    "\"params\":{\"domain\":\"a\",\"colour\":1}}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,"
	    "\"message\":\"unknown parameter 'colour'\"}}");
	send_line("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"test.echo\","
	    "\"params\":{\"domain\":true}}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32602,"
	    "\"message\":\"parameter 'domain' must be a domain name, UUID or id\"}}");
	send_line("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"test.echo\","
	    "\"params\":{\"domain\":1,\"follow\":\"yes\"}}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32602,"
	    "\"message\":\"parameter 'follow' must be true or false\"}}");
	send_line("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"test.echo\","
	    "\"params\":[\"a\"]}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32602,"
	    "\"message\":\"params must be an object of named parameters\"}}");
	send_line("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"test.later\","
	    "\"params\":{\"domain\":\"a\"}}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":6,\"error\":{\"code\":-32602,"
	    "\"message\":\"unknown parameter 'domain'\"}}");
	assert_int_equal(calls, 0);
}

static void
test_results_and_errors(void **state)
{
	(void)state;
	send_line("  {\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"test.echo\","
	    "\"params\":{\"domain\":5,\"count\":2,\"text\":\"a/b\"}}  ");
	expect("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":{\"domain\":5,"
	    "\"count\":2,\"text\":\"a/b\"}}");
	send_line("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"test.fail\","
	    "\"params\":{\"domain\":\"web1\"}}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":1,"
	    "\"message\":\"domain 'web1': no such domain\"}}");
	/* Notifications run, and their results go nowhere. */
	send_line("{\"jsonrpc\":\"2.0\",\"method\":\"test.fail\","
	    "\"params\":{\"domain\":\"web1\"}}");
	assert_int_equal(tp.lines, 2);
	assert_int_equal(calls, 3);
}

static void
test_role(void **state)
{
	(void)state;
	tp.peer.rp_role = RPC_ROLE_READ;
	send_line("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.admin\"}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":9,"
	    "\"message\":\"method 'test.admin' needs the admin role; "
	    "this connection is read-only\"}}");
	tp.peer.rp_role = RPC_ROLE_ADMIN;
	send_line("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test.admin\"}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}");
}

/* No role yet (TCP without a certificate): only methods of role none. */
static void
test_no_role(void **state)
{
	(void)state;
	tp.peer.rp_role = RPC_ROLE_NONE;
	send_line("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo\"}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":9,"
	    "\"message\":\"authenticate first\"}}");
	assert_int_equal(calls, 0);
	send_line("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test.auth\"}");
	expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}");
}

static void
test_answer_later(void **state)
{
	(void)state;
	send_line("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"test.later\"}");
	assert_non_null(held);
	assert_int_equal(tp.lines, 0);
	assert_ptr_equal(rpc_call_peer(held), &tp.peer);
	assert_string_equal(rpc_call_method(held), "test.later");
	rpc_result(held, json_object_new_int(5));
	expect("{\"jsonrpc\":\"2.0\",\"id\":11,\"result\":5}");
	/* The client goes before the answer: it is dropped, not sent. */
	send_line("{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"test.later\"}");
	rpc_peer_detach(&tp.peer);
	assert_null(rpc_call_peer(held));
	rpc_error(held, XMCTL_E_TIMEOUT, "too late");
	assert_int_equal(tp.lines, 1);
}

/* A batch is answered by one array, once its last call has ended. */
static void
test_batch(void **state)
{
	(void)state;
	send_line("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.later\"},"
	    "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\","
	    "\"params\":{\"domain\":1}},"
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test.echo\","
	    "\"params\":{\"domain\":2}},"
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nosuch\"}]");
	assert_int_equal(tp.lines, 0);
	assert_int_equal(calls, 3);
	rpc_result(held, json_object_new_int(5));
	expect("[{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"domain\":2}},"
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32601,"
	    "\"message\":\"no method 'nosuch'\"}},"
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":5}]");
	/* Notifications only: nothing at all. */
	send_line("[{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\","
	    "\"params\":{\"domain\":1}}]");
	assert_int_equal(tp.lines, 1);
}

static void
test_notify_and_bytes(void **state)
{
	(void)state;
	rpc_notify(&tp.peer, "domain.console.output",
	    rpc_json_bytes("ok\n\x80\xe2\x82\xac\xc0\xaf", 9));
	/* Bad bytes become U+FFFD; "\n" is escaped; the euro sign stays. */
	expect("{\"jsonrpc\":\"2.0\",\"method\":\"domain.console.output\","
	    "\"params\":\"ok\\n\xef\xbf\xbd\xe2\x82\xac\xef\xbf\xbd\xef\xbf\xbd\"}");
}

/*
 * An error message cut to its buffer's size must not end in part of a
 * UTF-8 character: the answer would not be UTF-8, so not JSON (found
 * by fuzz_rpc).  The part left becomes U+FFFD.
 */
static void
test_cut_message_stays_utf8(void **state)
{
	char line[512], want[512], *p, *w;
	int i;

	(void)state;
	p = line + sprintf(line, "{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"x");
	for (i = 0; i < 150; i++)
		p += sprintf(p, "\xc3\xa9");
	sprintf(p, "\"}");
	/* "no method 'x" and 243 bytes: 121 e-acutes and half of one. */
	w = want + sprintf(want, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":"
	    "{\"code\":-32601,\"message\":\"no method 'x");
	for (i = 0; i < 121; i++)
		w += sprintf(w, "\xc3\xa9");
	sprintf(w, "\xef\xbf\xbd\"}}");
	send_line(line);
	expect(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_errors, setup),
		cmocka_unit_test_setup(test_invalid_requests, setup),
		cmocka_unit_test_setup(test_ids_echo_exactly, setup),
		cmocka_unit_test_setup(test_unknown_method, setup),
		cmocka_unit_test_setup(test_bad_params, setup),
		cmocka_unit_test_setup(test_results_and_errors, setup),
		cmocka_unit_test_setup(test_role, setup),
		cmocka_unit_test_setup(test_no_role, setup),
		cmocka_unit_test_setup(test_answer_later, setup),
		cmocka_unit_test_setup(test_batch, setup),
		cmocka_unit_test_setup(test_notify_and_bytes, setup),
		cmocka_unit_test_setup(test_cut_message_stays_utf8, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
