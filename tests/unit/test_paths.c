/*
 * Unit tests for the default directories (common/paths.c): where xmd
 * keeps its state and where xmd and its clients put and find the
 * sockets, for root and for another user, with and without
 * $XM_STATE_DIR and $XDG_RUNTIME_DIR.  geteuid() is wrapped
 * (-Wl,--wrap=geteuid) so that both users can be tried.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "paths.h"

static uid_t euid;

uid_t	__wrap_geteuid(void);

uid_t
__wrap_geteuid(void)
{
	return euid;
}

static char state[256], sock[256];

static void
dirs(uid_t uid, const char *state_env, const char *xdg_env)
{
	euid = uid;
	if (state_env != NULL)
		setenv("XM_STATE_DIR", state_env, 1);
	else
		unsetenv("XM_STATE_DIR");
	if (xdg_env != NULL)
		setenv("XDG_RUNTIME_DIR", xdg_env, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
	assert_int_equal(xm_default_state_dir(state, sizeof(state)), 0);
	assert_int_equal(xm_default_socket_dir(sock, sizeof(sock)), 0);
}

/* The system's xmd: state in /var/lib/xm, sockets in /run/xm. */
static void
root_state_in_var_lib_sockets_in_run(void **unused)
{
	(void)unused;
	dirs(0, NULL, "/run/user/0");
	assert_string_equal(state, "/var/lib/xm");
	assert_string_equal(sock, "/run/xm");
}

/* A state directory named in the environment has the sockets too. */
static void
state_dir_env_has_both(void **unused)
{
	(void)unused;
	dirs(0, "/srv/xm", NULL);
	assert_string_equal(state, "/srv/xm");
	assert_string_equal(sock, "/srv/xm");
	dirs(1000, "/srv/xm", "/run/user/1000");
	assert_string_equal(sock, "/srv/xm");
}

/* Another user's own xmd: its runtime directory, else /tmp/xm-UID. */
static void
user_session_dirs(void **unused)
{
	(void)unused;
	dirs(1000, NULL, "/run/user/1000");
	assert_string_equal(state, "/run/user/1000/xm");
	assert_string_equal(sock, "/run/user/1000/xm");
	dirs(1000, "", "");
	assert_string_equal(state, "/tmp/xm-1000");
	assert_string_equal(sock, "/tmp/xm-1000");
}

/* A path that does not fit is an error, not a cut path. */
static void
too_long_is_an_error(void **unused)
{
	char small[6];

	(void)unused;
	euid = 0;
	unsetenv("XM_STATE_DIR");
	assert_int_equal(xm_default_socket_dir(small, sizeof(small)), -1);
	assert_int_equal(xm_default_state_dir(small, sizeof(small)), -1);
	setenv("XM_STATE_DIR", "/a/path/longer/than/six", 1);
	assert_int_equal(xm_default_socket_dir(small, sizeof(small)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_state_in_var_lib_sockets_in_run),
		cmocka_unit_test(state_dir_env_has_both),
		cmocka_unit_test(user_session_dirs),
		cmocka_unit_test(too_long_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
