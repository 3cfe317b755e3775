/*
 * Unit tests for libxmctl's URI parser (libxmctl/uri.c): the schemes,
 * the authority ([USER@]HOST[:PORT], [IPv6]), paths, query parameters
 * and the words of the errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "uri.h"

static struct xc_uri u;
static char err[512];

static void
parse_ok(const char *s)
{
	if (xc_uri_parse(s, &u, err, sizeof(err)) != 0)
		fail_msg("'%s': %s", s, err);
}

/* s is refused, and the error names s and has why. */
static void
parse_bad(const char *s, const char *why)
{
	char want[256];

	if (xc_uri_parse(s, &u, err, sizeof(err)) == 0)
		fail_msg("'%s' was accepted", s);
	snprintf(want, sizeof(want), "URI '%s': ", s);
	if (strncmp(err, want, strlen(want)) != 0 || strstr(err, why) == NULL)
		fail_msg("'%s': '%s' does not say '%s'", s, err, why);
}

static void
test_unix(void **state)
{
	(void)state;
	parse_ok("unix:///run/xm/xmd.sock");
	assert_int_equal(u.u_scheme, XC_URI_UNIX);
	assert_string_equal(u.u_path, "/run/xm/xmd.sock");
	parse_ok("xm+unix:///a?b");
	assert_string_equal(u.u_path, "/a?b");
	parse_bad("unix://relative", "the path must be absolute");
	parse_bad("unix:/x", "not unix:///PATH");
	parse_bad("", "not unix:///PATH");
}

static void
test_tls(void **state)
{
	(void)state;
	parse_ok("xm+tls://node1.example/");
	assert_int_equal(u.u_scheme, XC_URI_TLS);
	assert_string_equal(u.u_host, "node1.example");
	assert_string_equal(u.u_port, "");
	parse_ok("xm+tls://127.0.0.1:16515");
	assert_string_equal(u.u_host, "127.0.0.1");
	assert_string_equal(u.u_port, "16515");
	parse_ok("xm+tls://[::1]:7/");
	assert_string_equal(u.u_host, "::1");
	assert_string_equal(u.u_port, "7");
	parse_ok("xm+tls://[fe80::1]/");
	assert_string_equal(u.u_port, "");
	parse_bad("xm+tls://h:0/", "a bad port");
	parse_bad("xm+tls://h:65536/", "a bad port");
	parse_bad("xm+tls://h:1x/", "a bad port");
	parse_bad("xm+tls://h:/", "a bad port");
	parse_bad("xm+tls://[::1/", "a bad [IPv6] address");
	parse_bad("xm+tls://[::1]x/", "a bad port");
	parse_bad("xm+tls:///", "a bad host name");
	parse_bad("xm+tls://a b/", "a bad host name");
	parse_bad("xm+tls://me@h/", "a user is for xm+ssh:// only");
	parse_bad("xm+tls://h/path", "xm+tls:// takes no path");
}

static void
test_query(void **state)
{
	(void)state;
	parse_ok("xm+tls://h/?ca=/etc/ca.pem&token_file=/t%20f&cert=c&key=k");
	assert_string_equal(u.u_ca, "/etc/ca.pem");
	assert_string_equal(u.u_token_file, "/t f");
	assert_string_equal(u.u_cert, "c");
	assert_string_equal(u.u_key, "k");
	parse_ok("xm+tls://h?ca=%2Fa%26b");
	assert_string_equal(u.u_ca, "/a&b");
	parse_bad("xm+tls://h/?color=red", "no parameter 'color'");
	parse_bad("xm+tls://h/?keyfile=k", "no parameter 'keyfile'");
	parse_bad("xm+ssh://h/?ca=c", "no parameter 'ca'");
	parse_bad("xm+tls://h/?ca", "the query is not NAME=VALUE");
	parse_bad("xm+tls://h/?ca=", "a bad value of 'ca'");
	parse_bad("xm+tls://h/?ca=%4", "a bad value of 'ca'");
	parse_bad("xm+tls://h/?ca=%zz", "a bad value of 'ca'");
	parse_bad("xm+tls://h/?ca=%00", "a bad value of 'ca'");
}

static void
test_ssh(void **state)
{
	(void)state;
	parse_ok("xm+ssh://root@node2:2222/var/lib/xm/xmd.sock");
	assert_int_equal(u.u_scheme, XC_URI_SSH);
	assert_string_equal(u.u_user, "root");
	assert_string_equal(u.u_host, "node2");
	assert_string_equal(u.u_port, "2222");
	assert_string_equal(u.u_path, "/var/lib/xm/xmd.sock");
	parse_ok("xm+ssh://node2/");
	assert_string_equal(u.u_user, "");
	assert_string_equal(u.u_path, "");
	parse_ok("xm+ssh://node2");
	assert_string_equal(u.u_path, "");
	parse_ok("xm+ssh://node2/s?keyfile=/k&xmctl=/opt/xm/bin/xmctl");
	assert_string_equal(u.u_path, "/s");
	assert_string_equal(u.u_keyfile, "/k");
	assert_string_equal(u.u_xmctl, "/opt/xm/bin/xmctl");
	parse_bad("xm+ssh://-oProxyCommand=x/", "a bad host name");
	parse_bad("xm+ssh://-l@h/", "a bad user name");
	parse_bad("xm+ssh://a;b@h/", "a bad user name");
	parse_bad("xm+ssh://@h/", "a bad user name");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unix),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_ssh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
