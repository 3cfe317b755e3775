/*
 * Watches (xmd/xs_watch.c): a new watch fires once at once; then every
 * change at or below its path fires it, with the changed path, and a
 * removal fires the watches on nodes inside the removed subtree with
 * their own path; a sibling's change does not.  Events come after the
 * answer, relative when the watch was; a domain hears only of nodes it
 * (or their parent) may read; @introduceDomain and @releaseDomain reach
 * domain 0 and local watchers.
 */
#include "xs_fixture.h"

static void
watch(struct fx *f, int d, const char *path, const char *token)
{
	char pl[256];
	size_t pn = strlen(path) + 1, tn = strlen(token) + 1;

	memcpy(pl, path, pn);
	memcpy(pl + pn, token, tn);
	req(f, d, XM_XS_WATCH, 0, pl, pn + tn);
	expect_ok(f, d, XM_XS_WATCH);
	expect_event(f, d, path, token);
}

static void
test_fires_at_once_then_below(void **state)
{
	struct fx *f = *state;

	watch(f, 1, "data/w", "tok");
	expect_nothing(f, 1);
	req(f, 1, XM_XS_WRITE, 0, W("data/w\0" "1"));
	expect_ok(f, 1, XM_XS_WRITE);
	expect_event(f, 1, "data/w", "tok");
	req(f, 1, XM_XS_WRITE, 0, W("data/w/deep/er\0" "2"));
	expect_ok(f, 1, XM_XS_WRITE);
	expect_event(f, 1, "data/w/deep/er", "tok");
	expect_nothing(f, 1);
	/* A sibling, and a name that only starts the same, do not fire. */
	req(f, 1, XM_XS_WRITE, 0, W("data/x\0" "3"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_WRITE, 0, W("data/wx\0" "3"));
	expect_ok(f, 1, XM_XS_WRITE);
	expect_nothing(f, 1);
	/* Nor does a parent. */
	req(f, 1, XM_XS_WRITE, 0, W("data\0" "4"));
	expect_ok(f, 1, XM_XS_WRITE);
	expect_nothing(f, 1);
}

static void
test_absolute_and_relative(void **state)
{
	struct fx *f = *state;

	watch(f, 1, "/local/domain/1/data", "abs");
	watch(f, 1, "data", "rel");
	req(f, 1, XM_XS_MKDIR, 0, S("data/m"));
	expect_ok(f, 1, XM_XS_MKDIR);
	/* Watches fire in the order they were set. */
	expect_event(f, 1, "/local/domain/1/data/m", "abs");
	expect_event(f, 1, "data/m", "rel");
	expect_nothing(f, 1);
	/* mkdir of what exists changes nothing: no event. */
	req(f, 1, XM_XS_MKDIR, 0, S("data/m"));
	expect_ok(f, 1, XM_XS_MKDIR);
	expect_nothing(f, 1);
}

static void
test_rm_fires_inside(void **state)
{
	struct fx *f = *state;

	assert_int_equal(xs_write(f->st, "/local/domain/1/data/a/b/c", "", 0),
	    0);
	watch(f, 1, "data/a/b/c", "inner");
	watch(f, 1, "data/a", "outer");
	watch(f, 1, "data/z", "other");
	req(f, 1, XM_XS_RM, 0, S("data/a/b"));
	expect_ok(f, 1, XM_XS_RM);
	expect_event(f, 1, "data/a/b/c", "inner");
	expect_event(f, 1, "data/a/b", "outer");
	expect_nothing(f, 1);
}

static void
test_set_perms_fires(void **state)
{
	struct fx *f = *state;

	watch(f, 1, "data", "t");
	req(f, 1, XM_XS_SET_PERMS, 0, S("data\0n1\0r2"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	expect_event(f, 1, "data", "t");
}

static void
test_unwatch(void **state)
{
	struct fx *f = *state;

	watch(f, 1, "data", "t");
	req(f, 1, XM_XS_WATCH, 0, S("data\0t"));
	expect_err(f, 1, "EEXIST");
	/* Same path, another token: a second watch. */
	watch(f, 1, "data", "u");
	req(f, 1, XM_XS_UNWATCH, 0, S("data\0t"));
	expect_ok(f, 1, XM_XS_UNWATCH);
	req(f, 1, XM_XS_UNWATCH, 0, S("data\0t"));
	expect_err(f, 1, "ENOENT");
	req(f, 1, XM_XS_WRITE, 0, W("data/k\0v"));
	expect_ok(f, 1, XM_XS_WRITE);
	expect_event(f, 1, "data/k", "u");
	expect_nothing(f, 1);
	/* Another domain cannot take a watch away. */
	req(f, 2, XM_XS_UNWATCH, 0, S("/local/domain/1/data\0u"));
	expect_err(f, 2, "ENOENT");
}

/* Domain 2 watches domain 1's data: told only of what it may read. */
static void
test_only_readable_nodes(void **state)
{
	struct fx *f = *state;

	watch(f, 2, "/local/domain/1/data", "spy");
	req(f, 1, XM_XS_WRITE, 0, W("data/secret\0s"));
	expect_ok(f, 1, XM_XS_WRITE);
	expect_nothing(f, 2);
	req(f, 1, XM_XS_WRITE, 0, W("data/open\0o"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_SET_PERMS, 0, S("data/open\0r1"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	expect_event(f, 2, "/local/domain/1/data/open", "spy");
	expect_nothing(f, 2);
}

/*
 * As xenstored: a readable parent is enough to hear of a node, and one
 * who loses the right to read a node hears of that change.
 */
static void
test_parent_and_old_perms(void **state)
{
	struct fx *f = *state;

	req(f, 1, XM_XS_SET_PERMS, 0, S("data\0n1\0r2"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	req(f, 1, XM_XS_WRITE, 0, W("data/s\0" "1"));
	expect_ok(f, 1, XM_XS_WRITE);
	watch(f, 2, "/local/domain/1/data/s", "t");
	req(f, 1, XM_XS_SET_PERMS, 0, S("data/s\0n1"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	expect_event(f, 2, "/local/domain/1/data/s", "t");
	req(f, 1, XM_XS_WRITE, 0, W("data/s\0" "2"));
	expect_ok(f, 1, XM_XS_WRITE);
	expect_event(f, 2, "/local/domain/1/data/s", "t");
	req(f, 2, XM_XS_READ, 0, S("/local/domain/1/data/s"));
	expect_err(f, 2, "EACCES");
	/* Below it, neither node nor parent is readable: silence. */
	req(f, 1, XM_XS_WRITE, 0, W("data/s/x\0" "3"));
	expect_ok(f, 1, XM_XS_WRITE);
	expect_nothing(f, 2);
}

/* A removal fires watches on nodes inside it, not on names never made. */
static void
test_rm_only_existing_inside(void **state)
{
	struct fx *f = *state;

	assert_int_equal(xs_write(f->st, "/local/domain/1/data/a/b", "", 0),
	    0);
	watch(f, 1, "data/a/none", "ghost");
	watch(f, 1, "data/a/b", "real");
	req(f, 1, XM_XS_RM, 0, S("data/a"));
	expect_ok(f, 1, XM_XS_RM);
	expect_event(f, 1, "data/a/b", "real");
	expect_nothing(f, 1);
}

static void
test_special_watches(void **state)
{
	struct fx *f = *state;

	watch(f, 0, "@introduceDomain", "in");
	watch(f, 0, "@releaseDomain", "out");
	watch(f, 1, "@introduceDomain", "in1");
	watch(f, 0, "@anyName", "never");
	req(f, 0, XM_XS_WATCH, 0, S("@bad/name\0t"));
	expect_err(f, 0, "EINVAL");
	assert_int_equal(xs_introduce(f->st, 9), 0);
	expect_event(f, 0, "@introduceDomain", "in");
	expect_nothing(f, 0);
	expect_nothing(f, 1);
	assert_int_equal(xs_release(f->st, 9), 0);
	expect_event(f, 0, "@releaseDomain", "out");
	expect_nothing(f, 0);
	/* No node change reaches them. */
	assert_int_equal(xs_write(f->st, "/local/domain/9", "", 0), 0);
	expect_nothing(f, 0);
}

struct seen {
	struct xs_store	*st;
	char		 path[64], token[16], val[16];
	int		 n;
};

static void
on_event(void *ctx, const char *path, const char *token)
{
	struct seen *s = ctx;
	char *v = NULL;

	s->n++;
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->token, sizeof(s->token), "%s", token);
	s->val[0] = '\0';
	/* The change is complete when the watcher hears of it. */
	if (xs_read(s->st, path, &v, NULL) == 0)
		snprintf(s->val, sizeof(s->val), "%s", v);
	free(v);
}

static void
test_local_watch(void **state)
{
	struct fx *f = *state;
	struct seen s = { .st = f->st };

	assert_int_equal(xs_watch_local(f->st, "/local/domain/1/control",
	    "shutdown", on_event, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.path, "/local/domain/1/control");
	assert_int_equal(xs_watch_local(f->st, "/local/domain/1/control",
	    "shutdown", on_event, &s), EEXIST);
	assert_int_equal(xs_write(f->st, "/local/domain/1/control/shutdown",
	    "poweroff", 8), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.path, "/local/domain/1/control/shutdown");
	assert_string_equal(s.token, "shutdown");
	assert_string_equal(s.val, "poweroff");
	/* A domain's change reaches local watchers too. */
	assert_int_equal(xs_set_perms(f->st,
	    "/local/domain/1/control/shutdown",
	    &(struct xs_perm){ 1, XS_PERM_NONE }, 1), 0);
	assert_int_equal(s.n, 3);
	req(f, 1, XM_XS_WRITE, 0, W("control/shutdown\0"));
	expect_ok(f, 1, XM_XS_WRITE);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.val, "");
	assert_int_equal(xs_unwatch_local(f->st, "/local/domain/1/control",
	    "shutdown", on_event, &s), 0);
	assert_int_equal(xs_unwatch_local(f->st, "/local/domain/1/control",
	    "shutdown", on_event, &s), ENOENT);
	assert_int_equal(xs_write(f->st, "/local/domain/1/control/x", "", 0),
	    0);
	assert_int_equal(s.n, 4);
	assert_int_equal(xs_watch_local(f->st, "rel", "t", on_event, &s),
	    EINVAL);
}

/* Removing a domain's nodes under its watch, as a toolstack does. */
static void
test_release_drops_watches(void **state)
{
	struct fx *f = *state;

	watch(f, 1, "data", "t");
	assert_int_equal(xs_release(f->st, 1), 0);
	assert_int_equal(xs_rm(f->st, "/local/domain/1"), 0);
	expect_nothing(f, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fires_at_once_then_below,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_absolute_and_relative,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rm_fires_inside,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_perms_fires,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unwatch,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_only_readable_nodes,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_parent_and_old_perms,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rm_only_existing_inside,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_special_watches,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_local_watch,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_release_drops_watches,
		    fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
