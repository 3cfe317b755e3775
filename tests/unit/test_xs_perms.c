/*
 * Permissions and quotas (xmd/xs_tree.c): no domain reads or changes
 * another's keys unless the node's list says so; the owner and domain
 * 0 may do anything; a node a domain makes is its own; a hostile domain
 * runs into its quotas (nodes, watches, transactions, entry size,
 * permission entries, bytes held by transactions) and domain 0 into
 * none.
 */
#include "xs_fixture.h"

static const struct xs_limits small = {
	.nodes_per_domain = 8,
	.watches_per_domain = 3,
	.txns_per_domain = 2,
	.entry_size = 16,
	.perms_per_node = 2,
	.txn_bytes = 48 * 1024,
};

static int
fx_small(void **state)
{
	return fx_setup_lim(state, &small);
}

static void
txn_ok(struct fx *f, int d)
{
	struct msg m;

	req(f, d, XM_XS_TRANSACTION_START, 0, S(""));
	answer(f, d, &m);
	if (m.h.type == XM_XS_ERROR)
		fail_msg("domain %d: transaction refused: %s", d, m.pl);
	assert_int_equal(m.h.type, XM_XS_TRANSACTION_START);
}

static void
test_initial_tree(void **state)
{
	struct fx *f = *state;
	static const char *const dirs[] = {
		"/", "/local", "/local/domain", "/tool", "/vm",
	};
	struct xs_perm *p;
	size_t i, n;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		assert_int_equal(xs_get_perms(f->st, dirs[i], &p, &n), 0);
		assert_int_equal(n, 1);
		assert_int_equal(p[0].domid, 0);
		assert_int_equal(p[0].perm, XS_PERM_NONE);
		free(p);
	}
	req(f, 1, XM_XS_DIRECTORY, 0, S("/"));
	expect_err(f, 1, "EACCES");
	req(f, 1, XM_XS_WRITE, 0, W("/vm/x\0" "1"));
	expect_err(f, 1, "EACCES");
	req(f, 0, XM_XS_DIRECTORY, 0, S("/"));
	expect_data(f, 0, XM_XS_DIRECTORY, "local\0tool\0vm", 14);
}

/* Relative names are the domain's home; the home is read-only to it. */
static void
test_relative_paths(void **state)
{
	struct fx *f = *state;
	char *v;

	req(f, 1, XM_XS_WRITE, 0, W("data/k\0v"));
	expect_ok(f, 1, XM_XS_WRITE);
	assert_int_equal(xs_read(f->st, "/local/domain/1/data/k", &v, NULL),
	    0);
	assert_string_equal(v, "v");
	free(v);
	req(f, 2, XM_XS_WRITE, 0, W("data/k\0w"));
	expect_ok(f, 2, XM_XS_WRITE);
	assert_int_equal(xs_read(f->st, "/local/domain/2/data/k", &v, NULL),
	    0);
	assert_string_equal(v, "w");
	free(v);
	req(f, 1, XM_XS_READ, 0, S("/local/domain/1"));
	expect_data(f, 1, XM_XS_READ, "", 0);
	req(f, 1, XM_XS_WRITE, 0, W("name\0evil"));
	expect_err(f, 1, "EACCES");
}

/* The matrix between domains 1 and 2, before and after set_perms. */
static void
test_two_domains(void **state)
{
	struct fx *f = *state;
	struct xs_perm *p;
	size_t n;

	req(f, 1, XM_XS_WRITE, 0, W("data/secret\0s"));
	expect_ok(f, 1, XM_XS_WRITE);
	/* Domain 1 made it: it is domain 1's. */
	assert_int_equal(xs_get_perms(f->st, "/local/domain/1/data/secret",
	    &p, &n), 0);
	assert_int_equal(p[0].domid, 1);
	free(p);

	req(f, 2, XM_XS_READ, 0, S("/local/domain/1/data/secret"));
	expect_err(f, 2, "EACCES");
	req(f, 2, XM_XS_WRITE, 0, W("/local/domain/1/data/secret\0x"));
	expect_err(f, 2, "EACCES");
	req(f, 2, XM_XS_RM, 0, S("/local/domain/1/data/secret"));
	expect_err(f, 2, "EACCES");
	req(f, 2, XM_XS_DIRECTORY, 0, S("/local/domain/1/data"));
	expect_err(f, 2, "EACCES");
	req(f, 2, XM_XS_GET_PERMS, 0, S("/local/domain/1/data/secret"));
	expect_err(f, 2, "EACCES");
	req(f, 2, XM_XS_SET_PERMS, 0, S("/local/domain/1/data/secret\0b2"));
	expect_err(f, 2, "EACCES");
	/* Whether a node exists is not told to one who may not look. */
	req(f, 2, XM_XS_READ, 0, S("/local/domain/1/data/none"));
	expect_err(f, 2, "EACCES");
	req(f, 2, XM_XS_WRITE, 0, W("/local/domain/1/data/new\0x"));
	expect_err(f, 2, "EACCES");

	/* Domain 1 lets domain 2 read. */
	req(f, 1, XM_XS_SET_PERMS, 0, S("data/secret\0n1\0r2"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	req(f, 2, XM_XS_READ, 0, S("/local/domain/1/data/secret"));
	expect_data(f, 2, XM_XS_READ, "s", 1);
	req(f, 2, XM_XS_WRITE, 0, W("/local/domain/1/data/secret\0x"));
	expect_err(f, 2, "EACCES");
	/* Then write only: reading is gone. */
	req(f, 1, XM_XS_SET_PERMS, 0, S("data/secret\0n1\0w2"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	req(f, 2, XM_XS_WRITE, 0, W("/local/domain/1/data/secret\0x"));
	expect_ok(f, 2, XM_XS_WRITE);
	req(f, 2, XM_XS_READ, 0, S("/local/domain/1/data/secret"));
	expect_err(f, 2, "EACCES");
	/* Everyone else's default: the first entry. */
	req(f, 1, XM_XS_SET_PERMS, 0, S("data/secret\0r1"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	req(f, 2, XM_XS_READ, 0, S("/local/domain/1/data/secret"));
	expect_data(f, 2, XM_XS_READ, "x", 1);
	/* Domain 0 reads anything. */
	req(f, 0, XM_XS_READ, 0, S("/local/domain/1/data/secret"));
	expect_data(f, 0, XM_XS_READ, "x", 1);
}

/* Only domain 0 gives a node away; a writer who is not owner cannot
 * change the list. */
static void
test_owner_rules(void **state)
{
	struct fx *f = *state;
	struct xs_perm *p;
	size_t n;

	req(f, 1, XM_XS_WRITE, 0, W("data/k\0v"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_SET_PERMS, 0, S("data/k\0n2"));
	expect_err(f, 1, "EPERM");
	req(f, 1, XM_XS_SET_PERMS, 0, S("data/k\0n1\0b2"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	req(f, 2, XM_XS_SET_PERMS, 0, S("/local/domain/1/data/k\0b2"));
	expect_err(f, 2, "EACCES");
	req(f, 0, XM_XS_SET_PERMS, 0, S("/local/domain/1/data/k\0n2"));
	expect_ok(f, 0, XM_XS_SET_PERMS);
	assert_int_equal(xs_get_perms(f->st, "/local/domain/1/data/k", &p,
	    &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].domid, 2);
	free(p);
	/* The new owner is charged for it. */
	assert_int_equal(xs_domain_nodes(f->st, 2), 2);
}

/* A child made by a domain takes its parent's list, owner replaced. */
static void
test_inherit(void **state)
{
	struct fx *f = *state;
	struct xs_perm pp[3] = { { 0, XS_PERM_READ }, { 1, XS_PERM_BOTH },
	    { 2, XS_PERM_NONE } };
	struct xs_perm *p;
	size_t n;

	assert_int_equal(xs_mkdir(f->st, "/shared"), 0);
	assert_int_equal(xs_set_perms(f->st, "/shared", pp, 3), 0);
	req(f, 1, XM_XS_WRITE, 0, W("/shared/a/b\0v"));
	expect_ok(f, 1, XM_XS_WRITE);
	assert_int_equal(xs_get_perms(f->st, "/shared/a/b", &p, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[0].domid, 1);
	assert_int_equal(p[0].perm, XS_PERM_READ);
	assert_int_equal(p[2].domid, 2);
	assert_int_equal(p[2].perm, XS_PERM_NONE);
	free(p);
	req(f, 2, XM_XS_READ, 0, S("/shared/a/b"));
	expect_err(f, 2, "EACCES");
	/* Domain 0's own children keep the parent's owner. */
	assert_int_equal(xs_write(f->st, "/shared/z", "", 0), 0);
	assert_int_equal(xs_get_perms(f->st, "/shared/z", &p, &n), 0);
	assert_int_equal(p[0].domid, 0);
	free(p);
}

static void
test_quota_nodes(void **state)
{
	struct fx *f = *state;
	char pl[32];
	unsigned i, have = xs_domain_nodes(f->st, 1);
	int n;

	assert_int_equal(have, 1);	/* data */
	for (i = have; i < small.nodes_per_domain; i++) {
		n = snprintf(pl, sizeof(pl), "data/n%u", i);
		req(f, 1, XM_XS_MKDIR, 0, pl, (size_t)n + 1);
		expect_ok(f, 1, XM_XS_MKDIR);
	}
	req(f, 1, XM_XS_MKDIR, 0, S("data/one-more"));
	expect_err(f, 1, "ENOSPC");
	/* Parents count too: nothing is half made. */
	req(f, 1, XM_XS_RM, 0, S("data/n7"));
	expect_ok(f, 1, XM_XS_RM);
	req(f, 1, XM_XS_WRITE, 0, W("data/x/y\0v"));
	expect_err(f, 1, "ENOSPC");
	req(f, 1, XM_XS_READ, 0, S("data/x"));
	expect_err(f, 1, "ENOENT");
	req(f, 1, XM_XS_WRITE, 0, W("data/x\0v"));
	expect_ok(f, 1, XM_XS_WRITE);
	assert_int_equal(xs_domain_nodes(f->st, 1), small.nodes_per_domain);
	/* Writing an existing node costs nothing. */
	req(f, 1, XM_XS_WRITE, 0, W("data/x\0w"));
	expect_ok(f, 1, XM_XS_WRITE);
	/* Removing a subtree gives its nodes back. */
	req(f, 1, XM_XS_RM, 0, S("data"));
	expect_ok(f, 1, XM_XS_RM);
	assert_int_equal(xs_domain_nodes(f->st, 1), 0);
	/* Domain 0 is not limited. */
	for (i = 0; i < 3 * small.nodes_per_domain; i++) {
		n = snprintf(pl, sizeof(pl), "/tool/n%u", i);
		req(f, 0, XM_XS_MKDIR, 0, pl, (size_t)n + 1);
		expect_ok(f, 0, XM_XS_MKDIR);
	}
}

static void
test_quota_entry_size(void **state)
{
	struct fx *f = *state;
	char pl[64] = "data/k";
	size_t at = strlen(pl) + 1;

	memset(pl + at, 'v', small.entry_size + 1);
	req(f, 1, XM_XS_WRITE, 0, pl, at + small.entry_size);
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_WRITE, 0, pl, at + small.entry_size + 1);
	expect_err(f, 1, "ENOSPC");
	memcpy(pl, "/tool", 6);
	req(f, 0, XM_XS_WRITE, 0, pl, at + small.entry_size + 1);
	expect_ok(f, 0, XM_XS_WRITE);
}

static void
test_quota_perms(void **state)
{
	struct fx *f = *state;

	req(f, 1, XM_XS_SET_PERMS, 0, S("data\0n1\0r2\0r3"));
	expect_err(f, 1, "ENOSPC");
	req(f, 1, XM_XS_SET_PERMS, 0, S("data\0n1\0r2"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	req(f, 0, XM_XS_SET_PERMS, 0, S("/tool\0n0\0r1\0r2\0r3"));
	expect_ok(f, 0, XM_XS_SET_PERMS);
}

static void
test_quota_watches(void **state)
{
	struct fx *f = *state;
	char pl[32];
	unsigned i;
	int n;

	for (i = 0; i < small.watches_per_domain; i++) {
		n = snprintf(pl, sizeof(pl), "data%ct%u", '\0', i);
		req(f, 1, XM_XS_WATCH, 0, pl, (size_t)n + 1);
		expect_ok(f, 1, XM_XS_WATCH);
		f->cap[1].len = 0;	/* the first events */
	}
	req(f, 1, XM_XS_WATCH, 0, S("data\0more"));
	expect_err(f, 1, "E2BIG");
	/* Counted per domain, over all its connections. */
	{
		struct cap extra = { .len = 0 };
		struct xs_conn *c2 = xs_conn_new(f->st, 1, cap_send, &extra);
		unsigned char buf[64];
		struct msg m;

		assert_int_equal(xs_conn_input(c2, buf, frame(buf,
		    XM_XS_WATCH, 77, 0, S("data\0other"))), 0);
		assert_true(cap_pop(&extra, &m));
		assert_int_equal(m.h.type, XM_XS_ERROR);
		assert_string_equal(m.pl, "E2BIG");
		xs_conn_free(c2);
	}
	for (i = 0; i < 3 * small.watches_per_domain; i++) {
		n = snprintf(pl, sizeof(pl), "/%ct%u", '\0', i);
		req(f, 0, XM_XS_WATCH, 0, pl, (size_t)n + 1);
		expect_ok(f, 0, XM_XS_WATCH);
		f->cap[0].len = 0;
	}
	/* Unwatching gives room again. */
	req(f, 1, XM_XS_UNWATCH, 0, S("data\0t0"));
	expect_ok(f, 1, XM_XS_UNWATCH);
	req(f, 1, XM_XS_WATCH, 0, S("data\0more"));
	expect_ok(f, 1, XM_XS_WATCH);
}

static void
test_quota_txns(void **state)
{
	struct fx *f = *state;
	unsigned i;

	for (i = 0; i < small.txns_per_domain; i++) {
		txn_ok(f, 1);
	}
	req(f, 1, XM_XS_TRANSACTION_START, 0, S(""));
	expect_err(f, 1, "ENOSPC");
	for (i = 0; i < 3 * small.txns_per_domain; i++)
		txn_ok(f, 0);
	/* A released domain's transactions are gone, and so is the count. */
	assert_int_equal(xs_release(f->st, 1), 0);
	txn_ok(f, 1);
}

/*
 * A transaction starts with a copy of the store: a domain's copies are
 * limited in bytes, so that a bloated store cannot be copied ten times
 * over for each domain.
 */
static void
test_quota_txn_bytes(void **state)
{
	struct fx *f = *state;
	char big[XM_XS_PAYLOAD_MAX], p[32];
	unsigned i;

	memset(big, 'x', sizeof(big));
	txn_ok(f, 1);
	for (i = 0; i < 16; i++) {
		snprintf(p, sizeof(p), "/tool/big/%u", i);
		assert_int_equal(xs_write(f->st, p, big, sizeof(big)), 0);
	}
	req(f, 1, XM_XS_TRANSACTION_START, 0, S(""));
	expect_err(f, 1, "ENOSPC");
	/* Domain 0 is not limited. */
	txn_ok(f, 0);
	txn_ok(f, 0);
	/* A smaller store: room again. */
	assert_int_equal(xs_rm(f->st, "/tool/big"), 0);
	txn_ok(f, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_initial_tree,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_relative_paths,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_two_domains,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_owner_rules,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_inherit,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_nodes,
		    fx_small, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_entry_size,
		    fx_small, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_perms,
		    fx_small, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_watches,
		    fx_small, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_txns,
		    fx_small, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_txn_bytes,
		    fx_small, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
