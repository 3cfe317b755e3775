/*
 * Transactions (xmd/xs_txn.c): TRANSACTION_START answers an id; the
 * requests carrying it see and change the transaction's own view;
 * TRANSACTION_END "T" makes the changes live at once, and only then do
 * watches fire, unless a node the transaction read or wrote changed
 * meanwhile: EAGAIN, and nothing of it is applied; "F" drops it.
 */
#include "xs_fixture.h"

static uint32_t
start(struct fx *f, int d)
{
	struct msg m;
	char *end;
	unsigned long id;

	req(f, d, XM_XS_TRANSACTION_START, 0, S(""));
	answer(f, d, &m);
	assert_int_equal(m.h.type, XM_XS_TRANSACTION_START);
	assert_int_equal(m.h.len, strlen(m.pl) + 1);
	id = strtoul(m.pl, &end, 10);
	assert_true(*end == '\0' && id != 0);
	return (uint32_t)id;
}

static void
end_txn(struct fx *f, int d, uint32_t id, const char *how, const char *err)
{
	struct msg m;

	req(f, d, XM_XS_TRANSACTION_END, id, how, strlen(how) + 1);
	answer(f, d, &m);
	assert_int_equal(m.h.tx_id, id);
	if (err == NULL) {
		if (m.h.type == XM_XS_ERROR)
			fail_msg("commit answered %s", m.pl);
		assert_int_equal(m.h.type, XM_XS_TRANSACTION_END);
		assert_string_equal(m.pl, "OK");
	} else {
		assert_int_equal(m.h.type, XM_XS_ERROR);
		assert_string_equal(m.pl, err);
	}
}

static void
test_commit(void **state)
{
	struct fx *f = *state;
	uint32_t t = start(f, 1);
	struct msg m;

	req(f, 1, XM_XS_WRITE, t, W("data/a\0" "1"));
	answer(f, 1, &m);
	assert_int_equal(m.h.type, XM_XS_WRITE);
	assert_int_equal(m.h.tx_id, t);
	req(f, 1, XM_XS_WRITE, t, W("data/b/c\0" "2"));
	expect_ok(f, 1, XM_XS_WRITE);
	/* Seen inside, not outside. */
	req(f, 1, XM_XS_READ, t, S("data/a"));
	expect_data(f, 1, XM_XS_READ, "1", 1);
	req(f, 1, XM_XS_DIRECTORY, t, S("data"));
	expect_data(f, 1, XM_XS_DIRECTORY, "a\0b", 4);
	req(f, 1, XM_XS_READ, 0, S("data/a"));
	expect_err(f, 1, "ENOENT");
	req(f, 2, XM_XS_READ, t, S("data/a"));
	expect_err(f, 2, "ENOENT");	/* another's transaction id */
	end_txn(f, 1, t, "T", NULL);
	req(f, 1, XM_XS_READ, 0, S("data/b/c"));
	expect_data(f, 1, XM_XS_READ, "2", 1);
	/* The id is gone. */
	req(f, 1, XM_XS_READ, t, S("data/a"));
	expect_err(f, 1, "ENOENT");
	end_txn(f, 1, t, "T", "ENOENT");
	/* Quota: the nodes were charged once. */
	assert_int_equal(xs_domain_nodes(f->st, 1), 4);
}

static void
test_abort(void **state)
{
	struct fx *f = *state;
	uint32_t t = start(f, 1);

	req(f, 1, XM_XS_WRITE, t, W("data/a\0" "1"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_RM, t, S("data"));
	expect_ok(f, 1, XM_XS_RM);
	end_txn(f, 1, t, "F", NULL);
	req(f, 1, XM_XS_READ, 0, S("data/a"));
	expect_err(f, 1, "ENOENT");
	req(f, 1, XM_XS_READ, 0, S("data"));
	expect_data(f, 1, XM_XS_READ, "", 0);
}

/* What it read changed: EAGAIN, and its own writes are not applied. */
static void
test_conflict_on_read(void **state)
{
	struct fx *f = *state;
	uint32_t t;

	assert_int_equal(xs_write(f->st, "/local/domain/1/data/x", "0", 1), 0);
	t = start(f, 1);
	req(f, 1, XM_XS_READ, t, S("data/x"));
	expect_data(f, 1, XM_XS_READ, "0", 1);
	req(f, 1, XM_XS_WRITE, t, W("data/y\0" "1"));
	expect_ok(f, 1, XM_XS_WRITE);
	assert_int_equal(xs_write(f->st, "/local/domain/1/data/x", "9", 1), 0);
	end_txn(f, 1, t, "T", "EAGAIN");
	req(f, 1, XM_XS_READ, 0, S("data/y"));
	expect_err(f, 1, "ENOENT");
}

/* A node it found missing was made meanwhile: EAGAIN too. */
static void
test_conflict_on_absent(void **state)
{
	struct fx *f = *state;
	uint32_t t = start(f, 1);

	req(f, 1, XM_XS_READ, t, S("data/x"));
	expect_err(f, 1, "ENOENT");
	req(f, 2, XM_XS_WRITE, 0, W("/local/domain/1/data/x\0" "2"));
	expect_err(f, 2, "EACCES");	/* not 2's to make */
	assert_int_equal(xs_write(f->st, "/local/domain/1/data/x", "", 0), 0);
	end_txn(f, 1, t, "T", "EAGAIN");
}

/* A listing it made changed (a child added): EAGAIN. */
static void
test_conflict_on_directory(void **state)
{
	struct fx *f = *state;
	uint32_t t = start(f, 1);

	req(f, 1, XM_XS_DIRECTORY, t, S("data"));
	expect_data(f, 1, XM_XS_DIRECTORY, "", 0);
	req(f, 1, XM_XS_WRITE, 0, W("data/new\0"));
	expect_ok(f, 1, XM_XS_WRITE);
	end_txn(f, 1, t, "T", "EAGAIN");
}

/* Changes elsewhere do not matter. */
static void
test_no_conflict_elsewhere(void **state)
{
	struct fx *f = *state;
	uint32_t t = start(f, 1);

	req(f, 1, XM_XS_WRITE, t, W("data/mine\0m"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 2, XM_XS_WRITE, 0, W("data/theirs\0t"));
	expect_ok(f, 2, XM_XS_WRITE);
	end_txn(f, 1, t, "T", NULL);
	req(f, 1, XM_XS_READ, 0, S("data/mine"));
	expect_data(f, 1, XM_XS_READ, "m", 1);
}

static void
test_watch_fires_at_commit(void **state)
{
	struct fx *f = *state;
	uint32_t t;

	req(f, 2, XM_XS_WATCH, 0, S("data\0w"));
	expect_ok(f, 2, XM_XS_WATCH);
	expect_event(f, 2, "data", "w");
	t = start(f, 2);
	req(f, 2, XM_XS_WRITE, t, W("data/a\0" "1"));
	expect_ok(f, 2, XM_XS_WRITE);
	req(f, 2, XM_XS_RM, t, S("data/a"));
	expect_ok(f, 2, XM_XS_RM);
	req(f, 2, XM_XS_WRITE, t, W("data/b\0" "2"));
	expect_ok(f, 2, XM_XS_WRITE);
	expect_nothing(f, 2);
	end_txn(f, 2, t, "T", NULL);
	expect_event(f, 2, "data/a", "w");
	expect_event(f, 2, "data/a", "w");
	expect_event(f, 2, "data/b", "w");
	expect_nothing(f, 2);
	/* An aborted or failed one fires nothing. */
	t = start(f, 2);
	req(f, 2, XM_XS_WRITE, t, W("data/c\0" "3"));
	expect_ok(f, 2, XM_XS_WRITE);
	end_txn(f, 2, t, "F", NULL);
	expect_nothing(f, 2);
}

static void
test_bad_ends(void **state)
{
	struct fx *f = *state;
	uint32_t t = start(f, 1);

	end_txn(f, 1, t, "X", "EINVAL");
	end_txn(f, 1, 12345, "T", "ENOENT");
	/* No transaction inside a transaction. */
	req(f, 1, XM_XS_TRANSACTION_START, t, S(""));
	expect_err(f, 1, "EBUSY");
	/* An unknown id is ENOENT for any request but (UN)WATCH. */
	req(f, 1, XM_XS_TRANSACTION_START, 999, S(""));
	expect_err(f, 1, "ENOENT");
	req(f, 1, XM_XS_GET_DOMAIN_PATH, 999, S("1"));
	expect_err(f, 1, "ENOENT");
	req(f, 1, XM_XS_WATCH, 999, S("data\0t"));
	expect_ok(f, 1, XM_XS_WATCH);
	f->cap[1].len = 0;
	req(f, 1, XM_XS_GET_DOMAIN_PATH, t, S("1"));
	expect_data(f, 1, XM_XS_GET_DOMAIN_PATH, S("/local/domain/1"));
	/* Permissions hold inside as outside. */
	req(f, 1, XM_XS_READ, t, S("/local/domain/2/data"));
	expect_err(f, 1, "EACCES");
	req(f, 1, XM_XS_WRITE, t, W("/vm/x\0" "1"));
	expect_err(f, 1, "EACCES");
	end_txn(f, 1, t, "F", NULL);
	/* Closing the connection drops its transactions. */
	t = start(f, 1);
	xs_conn_free(f->c[1]);
	f->c[1] = xs_conn_new(f->st, 1, cap_send, &f->cap[1]);
	end_txn(f, 1, t, "T", "ENOENT");
}

static void
test_quota_inside(void **state)
{
	struct fx *f = *state;
	uint32_t t = start(f, 1);
	char pl[32];
	unsigned i;
	int n;

	for (i = 1; i < 1000; i++) {
		n = snprintf(pl, sizeof(pl), "data/%u", i);
		req(f, 1, XM_XS_MKDIR, t, pl, (size_t)n + 1);
		expect_ok(f, 1, XM_XS_MKDIR);
	}
	req(f, 1, XM_XS_MKDIR, t, S("data/over"));
	expect_err(f, 1, "ENOSPC");
	end_txn(f, 1, t, "T", NULL);
	assert_int_equal(xs_domain_nodes(f->st, 1), 1000);
	req(f, 1, XM_XS_MKDIR, 0, S("data/over"));
	expect_err(f, 1, "ENOSPC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_abort,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_conflict_on_read,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_conflict_on_absent,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_conflict_on_directory,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_no_conflict_elsewhere,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_watch_fires_at_commit,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_ends,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_inside,
		    fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
