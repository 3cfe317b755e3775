/*
 * Unit tests for files that hold secrets (common/secret_file.c): a file
 * only its owner, or its owner and group, may use is taken; one that
 * every user may read, write or even search is refused, and why names
 * the file, its mode and the fix; a file that is not there says so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secret_file.h"

static char dir[] = "/tmp/xm-secret-XXXXXX";
static char path[64];

static int
setup(void **state)
{
	FILE *f;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/token", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs("admin-secret-0123456789\n", f);
	return fclose(f);
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

static int
check_mode(mode_t mode, char *why, size_t len)
{
	assert_int_equal(chmod(path, mode), 0);
	why[0] = '\0';
	return xm_secret_file_check(path, why, len);
}

static void
owner_and_group_only_are_taken(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(check_mode(0600, why, sizeof(why)), 0);
	assert_int_equal(check_mode(0400, why, sizeof(why)), 0);
	assert_int_equal(check_mode(0640, why, sizeof(why)), 0);
	assert_int_equal(check_mode(0660, why, sizeof(why)), 0);
	assert_string_equal(why, "");
}

static void
readable_by_all_is_refused_with_mode_and_fix(void **state)
{
	char why[256], want[256];

	(void)state;
	assert_int_equal(check_mode(0644, why, sizeof(why)), 1);
	snprintf(want, sizeof(want), "%s holds secrets and every user may "
	    "read it (mode 0644): chmod o-rwx %s", path, path);
	assert_string_equal(why, want);
	assert_int_equal(check_mode(0604, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "may read it (mode 0604)"));
}

static void
writable_or_searchable_by_all_is_refused_too(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(check_mode(0602, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "every user may change it (mode 0602)"));
	assert_int_equal(check_mode(0601, why, sizeof(why)), 1);
}

static void
a_missing_file_says_so(void **state)
{
	char why[256], want[256];

	(void)state;
	errno = 0;
	assert_int_equal(xm_secret_file_check("/nonexistent/xm.token", why,
	    sizeof(why)), -1);
	assert_int_equal(errno, ENOENT);
	snprintf(want, sizeof(want), "/nonexistent/xm.token: %s",
	    strerror(ENOENT));
	assert_string_equal(why, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(owner_and_group_only_are_taken),
		cmocka_unit_test(readable_by_all_is_refused_with_mode_and_fix),
		cmocka_unit_test(writable_or_searchable_by_all_is_refused_too),
		cmocka_unit_test(a_missing_file_says_so),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
