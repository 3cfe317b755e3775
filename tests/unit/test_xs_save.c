/*
 * Saving and loading the store (xmd/xs_save.c): a loaded store is the
 * saved one (the same text again, values byte for byte, permissions,
 * quota accounting); a domain's watches come back with its next
 * connection, silent until the next change, which fires them, and so
 * does the start of a request it had begun to send; a
 * domain released before it connects loses them; a transaction it had
 * open comes back as one that conflicted (its requests are served,
 * committing it is EAGAIN, so the domain does it again); a text cut
 * short, of another version or with a bad record is refused whole.
 */
#include "xs_fixture.h"

static const char bin[] = { 'a', 0, (char)0xff, '\n', ' ', 'z' };

/* A store with a bit of everything a domain leaves in it. */
static void
populate(struct fx *f)
{
	struct xs_perm p[2] = { { 1, XS_PERM_WRITE }, { 2, XS_PERM_READ } };

	assert_int_equal(xs_write(f->st, "/local/domain/1/data/bin", bin,
	    sizeof(bin)), 0);
	assert_int_equal(xs_set_perms(f->st, "/local/domain/1/data/bin", p,
	    2), 0);
	req(f, 1, XM_XS_WRITE, 0, W("data/mine\0" "1"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_WATCH, 0, S("data\0rel tok"));
	expect_ok(f, 1, XM_XS_WATCH);
	expect_event(f, 1, "data", "rel tok");
	req(f, 1, XM_XS_WATCH, 0, S("/local/domain/1/data/mine\0abs"));
	expect_ok(f, 1, XM_XS_WATCH);
	expect_event(f, 1, "/local/domain/1/data/mine", "abs");
	req(f, 0, XM_XS_SET_TARGET, 0, S("2\0" "1"));
	expect_ok(f, 0, XM_XS_SET_TARGET);
}

static char *
save(struct xs_store *st, size_t *len)
{
	char *text;

	assert_int_equal(xs_save(st, &text, len), 0);
	assert_int_equal(strlen(text), *len);
	return text;
}

static struct xs_store *
load(const char *text, size_t len)
{
	char err[256];
	struct xs_store *st = xs_load(NULL, text, len, err, sizeof(err));

	if (st == NULL)
		fail_msg("refused: %s", err);
	return st;
}

static void
test_same_store(void **state)
{
	struct fx *f = *state;
	struct xs_store *st;
	struct xs_perm *p;
	char *t1, *t2, *val;
	size_t l1, l2, n;

	populate(f);
	t1 = save(f->st, &l1);
	st = load(t1, l1);
	t2 = save(st, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(t1, t2, l1);
	assert_int_equal(xs_read(st, "/local/domain/1/data/bin", &val, &n), 0);
	assert_int_equal(n, sizeof(bin));
	assert_memory_equal(val, bin, n);
	free(val);
	assert_int_equal(xs_get_perms(st, "/local/domain/1/data/bin", &p, &n),
	    0);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].domid, 1);
	assert_int_equal(p[0].perm, XS_PERM_WRITE);
	assert_int_equal(p[1].domid, 2);
	assert_int_equal(p[1].perm, XS_PERM_READ);
	free(p);
	assert_int_equal(xs_domain_nodes(st, 1), xs_domain_nodes(f->st, 1));
	assert_int_equal(xs_domain_nodes(st, 0), xs_domain_nodes(f->st, 0));
	assert_true(xs_is_introduced(st, 1));
	assert_true(xs_is_introduced(st, 2));
	assert_false(xs_is_introduced(st, 3));
	free(t1);
	free(t2);
	xs_store_free(st);
}

static void
test_watches_come_back(void **state)
{
	struct fx *f = *state, g;
	char *t;
	size_t l;

	populate(f);
	t = save(f->st, &l);
	memset(&g, 0, sizeof(g));
	g.st = load(t, l);
	free(t);
	g.c[1] = xs_conn_new(g.st, 1, cap_send, &g.cap[1]);
	g.c[2] = xs_conn_new(g.st, 2, cap_send, &g.cap[2]);
	assert_non_null(g.c[1]);
	assert_non_null(g.c[2]);
	/* Taken back without firing: the domain set them long ago. */
	expect_nothing(&g, 1);
	assert_int_equal(xs_write(g.st, "/local/domain/1/data/mine", "2", 1),
	    0);
	expect_event(&g, 1, "data/mine", "rel tok");
	expect_event(&g, 1, "/local/domain/1/data/mine", "abs");
	expect_nothing(&g, 1);
	/* They count against the domain: removing one works once. */
	req(&g, 1, XM_XS_UNWATCH, 0, S("/local/domain/1/data/mine\0abs"));
	expect_ok(&g, 1, XM_XS_UNWATCH);
	req(&g, 1, XM_XS_UNWATCH, 0, S("/local/domain/1/data/mine\0abs"));
	expect_err(&g, 1, "ENOENT");
	/* The target given to domain 2 holds: it acts for domain 1. */
	req(&g, 2, XM_XS_WRITE, 0, W("/local/domain/1/data/mine\0" "3"));
	expect_ok(&g, 2, XM_XS_WRITE);
	expect_event(&g, 1, "data/mine", "rel tok");
	xs_store_free(g.st);
}

static void
test_partial_request(void **state)
{
	struct fx *f = *state, g;
	unsigned char buf[64];
	size_t n = frame(buf, XM_XS_READ, 77, 0, S("data/mine"));
	char *t;
	size_t l;

	populate(f);
	assert_int_equal(xs_conn_input(f->c[1], buf, 20), 0);
	t = save(f->st, &l);
	memset(&g, 0, sizeof(g));
	g.st = load(t, l);
	free(t);
	assert_non_null(g.c[1] = xs_conn_new(g.st, 1, cap_send, &g.cap[1]));
	assert_int_equal(xs_conn_input(g.c[1], buf + 20, n - 20), 0);
	expect_data(&g, 1, XM_XS_READ, "1", 1);
	xs_store_free(g.st);
}

static void
test_release_drops_parked(void **state)
{
	struct fx *f = *state;
	struct xs_store *st;
	struct xs_conn *c;
	struct cap cap;
	char *t;
	size_t l;

	populate(f);
	t = save(f->st, &l);
	st = load(t, l);
	free(t);
	assert_int_equal(xs_release(st, 1), 0);
	memset(&cap, 0, sizeof(cap));
	assert_non_null(c = xs_conn_new(st, 1, cap_send, &cap));
	assert_int_equal(xs_write(st, "/local/domain/1/data/mine", "2", 1), 0);
	assert_int_equal(cap.len, 0);
	xs_store_free(st);
}

static uint32_t
txn_start(struct fx *f, int d)
{
	struct msg m;
	unsigned long id;

	req(f, d, XM_XS_TRANSACTION_START, 0, S(""));
	answer(f, d, &m);
	assert_int_equal(m.h.type, XM_XS_TRANSACTION_START);
	id = strtoul(m.pl, NULL, 10);
	assert_true(id != 0);
	return (uint32_t)id;
}

static void
test_transactions_come_back_lost(void **state)
{
	struct fx *f = *state, g;
	uint32_t t1, t2;
	char *t, *t2text;
	size_t l, l2;

	populate(f);
	t1 = txn_start(f, 1);
	t2 = txn_start(f, 1);
	req(f, 1, XM_XS_WRITE, t1, W("data/mine\0" "9"));
	expect_ok(f, 1, XM_XS_WRITE);
	t = save(f->st, &l);
	memset(&g, 0, sizeof(g));
	g.st = load(t, l);
	/* Saved again before the domain connects: the same text. */
	t2text = save(g.st, &l2);
	assert_int_equal(l, l2);
	assert_memory_equal(t, t2text, l);
	free(t);
	free(t2text);
	assert_non_null(g.c[1] = xs_conn_new(g.st, 1, cap_send, &g.cap[1]));
	/* Requests in it are served, on the store as it is now. */
	req(&g, 1, XM_XS_READ, t1, S("data/mine"));
	expect_data(&g, 1, XM_XS_READ, "1", 1);
	/* Committing it: EAGAIN, nothing of it applied. */
	req(&g, 1, XM_XS_WRITE, t1, W("data/mine\0" "8"));
	expect_ok(&g, 1, XM_XS_WRITE);
	req(&g, 1, XM_XS_TRANSACTION_END, t1, S("T"));
	expect_err(&g, 1, "EAGAIN");
	req(&g, 1, XM_XS_READ, 0, S("data/mine"));
	expect_data(&g, 1, XM_XS_READ, "1", 1);
	/* Dropping one is fine; then it is gone. */
	req(&g, 1, XM_XS_TRANSACTION_END, t2, S("F"));
	expect_ok(&g, 1, XM_XS_TRANSACTION_END);
	req(&g, 1, XM_XS_READ, t2, S("data/mine"));
	expect_err(&g, 1, "ENOENT");
	/* A new one gets an id of its own, and commits. */
	assert_int_not_equal(t1 = txn_start(&g, 1), t2);
	req(&g, 1, XM_XS_WRITE, t1, W("data/mine\0" "7"));
	expect_ok(&g, 1, XM_XS_WRITE);
	req(&g, 1, XM_XS_TRANSACTION_END, t1, S("T"));
	expect_ok(&g, 1, XM_XS_TRANSACTION_END);
	xs_store_free(g.st);
}

static void
test_version_grows(void **state)
{
	struct fx *f = *state;
	uint64_t v = xs_store_version(f->st);

	assert_int_equal(xs_write(f->st, "/local/domain/1/data/v", "1", 1), 0);
	assert_true(xs_store_version(f->st) > v);
	v = xs_store_version(f->st);
	req(f, 1, XM_XS_WATCH, 0, S("data\0t"));
	expect_ok(f, 1, XM_XS_WATCH);
	assert_true(xs_store_version(f->st) > v);
	v = xs_store_version(f->st);
	req(f, 1, XM_XS_READ, 0, S("data/v"));
	assert_int_equal(xs_store_version(f->st), v);
}

static void
refused(const char *text, size_t len)
{
	char err[256] = "";
	struct xs_store *st = xs_load(NULL, text, len, err, sizeof(err));

	if (st != NULL)
		fail_msg("loaded: %.*s", (int)len, text);
	assert_true(err[0] != '\0');
}

static void
test_refused(void **state)
{
	struct fx *f = *state;
	char *t, *bad;
	size_t l, i;

	populate(f);
	t = save(f->st, &l);
	/* Cut anywhere: refused, never half loaded. */
	for (i = 0; i < l; i++)
		refused(t, i);
	/* Another version. */
	assert_non_null(bad = strdup(t));
	bad[strlen("xm-xenstore ")] = '3';
	refused(bad, l);
	free(bad);
	refused(W("xm-xenstore 1\nstore 5 1\nnode x2f 1 n0 x\n"
	    "node x2f612f62 1 n0 x\nend\n"));	/* no parent */
	refused(W("xm-xenstore 1\nstore 5 1\nnode x2f 1 q0 x\nend\n"));
	refused(W("xm-xenstore 1\nstore 5 1\nnode x2f 1 n0 xzz\nend\n"));
	refused(W("xm-xenstore 1\nstore 5 1\nbogus\nend\n"));
	refused(W("xm-xenstore 1\nstore 5 1\nnode x2f 1 n0 x\n"
	    "partial 1 x\nend\n"));	/* not a request's start */
	refused(W("xm-xenstore 1\nnode x2f 1 n0 x\nend\n"));
	refused(W("xm-xenstore 1\nstore 5 1\nnode x2f 1 n0 x\nend\n"
	    "more\n"));
	refused(W("xm-xenstore 2\nstore 5 1\nnode x2f 1 n0 x\n"
	    "txn 1 0\nend\n"));			/* id 0 */
	refused(W("xm-xenstore 2\nstore 5 1\nnode x2f 1 n0 x\n"
	    "txn 1 4\ntxn 1 4\nend\n"));		/* twice */
	/* And the smallest good one loads. */
	xs_store_free(load(W("xm-xenstore 1\nstore 5 1\n"
	    "node x2f 1 n0 x\nend\n")));
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_store, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_watches_come_back,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_partial_request,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_release_drops_parked,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_transactions_come_back_lost, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_version_grows, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_refused, fx_setup,
		    fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
