/*
 * The xenstore wire protocol (xmd/xs_conn.c, xmd/xs_ops.c): messages
 * arrive in any split; each request gets one answer of its type, req_id
 * and tx_id, or XS_ERROR naming the errno; a header announcing more
 * than 4096 bytes ends the connection; garbage never crashes the store.
 */
#include "xs_fixture.h"

static void
test_header_layout(void **state)
{
	struct xm_xs_hdr h = { 1, 2, 3, 4 };
	uint32_t w[4];

	(void)state;
	memcpy(w, &h, sizeof(w));
	assert_int_equal(w[0], 1);
	assert_int_equal(w[3], 4);
	assert_int_equal(XM_XS_RESET_WATCHES, 21);
	assert_int_equal(XM_XS_DIRECTORY_PART, 22);
	assert_int_equal(sizeof(struct xm_xs_interface), 2076);
}

/* A READ split in two at every byte, then fed byte by byte. */
static void
test_split_at_every_byte(void **state)
{
	struct fx *f = *state;
	unsigned char buf[64];
	size_t n, k, i;

	assert_int_equal(xs_write(f->st, "/local/domain/1/data/k", "v1", 2), 0);
	n = frame(buf, XM_XS_READ, 77, 0, S("data/k"));
	for (k = 0; k <= n; k++) {
		assert_int_equal(xs_conn_input(f->c[1], buf, k), 0);
		if (k < n)
			expect_nothing(f, 1);
		assert_int_equal(xs_conn_input(f->c[1], buf + k, n - k), 0);
		expect_data(f, 1, XM_XS_READ, "v1", 2);
		expect_nothing(f, 1);
	}
	for (i = 0; i < n; i++)
		assert_int_equal(xs_conn_input(f->c[1], buf + i, 1), 0);
	expect_data(f, 1, XM_XS_READ, "v1", 2);
}

/* Two requests in one write are answered in order, ids echoed. */
static void
test_two_in_one(void **state)
{
	struct fx *f = *state;
	unsigned char buf[128];
	struct msg m;
	size_t n;

	n = frame(buf, XM_XS_WRITE, 5, 0, W("data/a\0x"));
	n += frame(buf + n, XM_XS_READ, 6, 0, S("data/a"));
	assert_int_equal(xs_conn_input(f->c[1], buf, n), 0);
	assert_true(cap_pop(&f->cap[1], &m));
	assert_int_equal(m.h.type, XM_XS_WRITE);
	assert_int_equal(m.h.req_id, 5);
	assert_true(cap_pop(&f->cap[1], &m));
	assert_int_equal(m.h.type, XM_XS_READ);
	assert_int_equal(m.h.req_id, 6);
	assert_string_equal(m.pl, "x");
}

static void
test_oversized_header_ends_stream(void **state)
{
	struct fx *f = *state;
	struct xm_xs_hdr h = { XM_XS_READ, 1, 0, XM_XS_PAYLOAD_MAX + 1 };
	unsigned char ok[32];

	assert_int_equal(xs_conn_input(f->c[1], &h, sizeof(h)), -1);
	expect_nothing(f, 1);
	/* Unusable from then on, whatever comes. */
	assert_int_equal(xs_conn_input(f->c[1], ok,
	    frame(ok, XM_XS_READ, 1, 0, S("data"))), -1);
	expect_nothing(f, 1);
	/* A full-size payload is fine. */
	h.len = XM_XS_PAYLOAD_MAX;
	assert_int_equal(xs_conn_input(f->c[2], &h, sizeof(h)), 0);
}

static void
test_read_write(void **state)
{
	struct fx *f = *state;
	char *v;
	size_t len;

	req(f, 1, XM_XS_WRITE, 0, W("data/a/b/c\0hello"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_READ, 0, S("data/a/b/c"));
	expect_data(f, 1, XM_XS_READ, "hello", 5);
	/* Parents were made, empty. */
	req(f, 1, XM_XS_READ, 0, S("/local/domain/1/data/a/b"));
	expect_data(f, 1, XM_XS_READ, "", 0);
	/* Binary values, NULs included, come back as they were. */
	req(f, 1, XM_XS_WRITE, 0, W("data/bin\0a\0b"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_READ, 0, S("data/bin"));
	expect_data(f, 1, XM_XS_READ, "a\0b", 3);
	assert_int_equal(xs_read(f->st, "/local/domain/1/data/a/b/c", &v,
	    &len), 0);
	assert_string_equal(v, "hello");
	assert_int_equal(len, 5);
	free(v);
	req(f, 1, XM_XS_READ, 0, S("data/none"));
	expect_err(f, 1, "ENOENT");
}

static void
test_mkdir_rm_directory(void **state)
{
	struct fx *f = *state;

	req(f, 1, XM_XS_MKDIR, 0, S("data/d"));
	expect_ok(f, 1, XM_XS_MKDIR);
	req(f, 1, XM_XS_MKDIR, 0, S("data/d"));
	expect_ok(f, 1, XM_XS_MKDIR);		/* there already: fine */
	req(f, 1, XM_XS_WRITE, 0, W("data/d/x\0" "1"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 1, XM_XS_MKDIR, 0, S("data/d/y"));
	expect_ok(f, 1, XM_XS_MKDIR);
	req(f, 1, XM_XS_DIRECTORY, 0, S("data/d"));
	expect_data(f, 1, XM_XS_DIRECTORY, "x\0y", 4);
	req(f, 1, XM_XS_DIRECTORY, 0, S("data/d/x"));
	expect_data(f, 1, XM_XS_DIRECTORY, "", 0);
	req(f, 1, XM_XS_RM, 0, S("data/d"));
	expect_ok(f, 1, XM_XS_RM);
	req(f, 1, XM_XS_READ, 0, S("data/d/x"));
	expect_err(f, 1, "ENOENT");
	/* Gone already, parent there: OK, as xenstored. */
	req(f, 1, XM_XS_RM, 0, S("data/d"));
	expect_ok(f, 1, XM_XS_RM);
	req(f, 1, XM_XS_RM, 0, S("data/d/x"));
	expect_err(f, 1, "ENOENT");
	req(f, 0, XM_XS_RM, 0, S("/"));
	expect_err(f, 0, "EINVAL");
	req(f, 1, XM_XS_DIRECTORY, 0, S("data/none"));
	expect_err(f, 1, "ENOENT");
}

static void
test_directory_part(void **state)
{
	struct fx *f = *state;
	struct msg m;
	size_t g;

	assert_int_equal(xs_write(f->st, "/local/domain/1/data/aa", "", 0), 0);
	assert_int_equal(xs_write(f->st, "/local/domain/1/data/b", "", 0), 0);
	req(f, 1, XM_XS_DIRECTORY_PART, 0, S("data\0" "0"));
	answer(f, 1, &m);
	assert_int_equal(m.h.type, XM_XS_DIRECTORY_PART);
	g = strlen(m.pl) + 1;
	assert_true(g > 1);
	assert_int_equal(m.h.len, g + 6);
	assert_memory_equal(m.pl + g, "aa\0b\0", 6);
	req(f, 1, XM_XS_DIRECTORY_PART, 0, S("data\0" "3"));
	answer(f, 1, &m);
	assert_int_equal(m.h.len, g + 3);
	assert_memory_equal(m.pl + g, "b\0", 3);
	req(f, 1, XM_XS_DIRECTORY_PART, 0, S("data\0" "6"));
	answer(f, 1, &m);
	assert_int_equal(m.h.len, g + 1);
	assert_int_equal(m.pl[g], '\0');
	req(f, 1, XM_XS_DIRECTORY_PART, 0, S("data\0x"));
	expect_err(f, 1, "EINVAL");
}

static void
test_perms_on_wire(void **state)
{
	struct fx *f = *state;

	req(f, 1, XM_XS_GET_PERMS, 0, S("data"));
	expect_data(f, 1, XM_XS_GET_PERMS, "n1", 3);
	req(f, 1, XM_XS_SET_PERMS, 0, S("data\0n1\0r2"));
	expect_ok(f, 1, XM_XS_SET_PERMS);
	req(f, 1, XM_XS_GET_PERMS, 0, S("data"));
	expect_data(f, 1, XM_XS_GET_PERMS, "n1\0r2", 6);
	req(f, 1, XM_XS_SET_PERMS, 0, S("data\0q1"));
	expect_err(f, 1, "EINVAL");
	req(f, 1, XM_XS_SET_PERMS, 0, S("data\0r"));
	expect_err(f, 1, "EINVAL");
	req(f, 1, XM_XS_SET_PERMS, 0, S("data"));
	expect_err(f, 1, "EINVAL");
}

static void
test_domain_ops(void **state)
{
	struct fx *f = *state;

	req(f, 1, XM_XS_GET_DOMAIN_PATH, 0, S("7"));
	expect_data(f, 1, XM_XS_GET_DOMAIN_PATH, S("/local/domain/7"));
	req(f, 1, XM_XS_GET_DOMAIN_PATH, 0, S("x7"));
	expect_err(f, 1, "EINVAL");
	/* Domain 0's business only. */
	req(f, 1, XM_XS_INTRODUCE, 0, S("5\0" "1234\0" "3"));
	expect_err(f, 1, "EACCES");
	req(f, 1, XM_XS_RELEASE, 0, S("2"));
	expect_err(f, 1, "EACCES");
	req(f, 1, XM_XS_SET_TARGET, 0, S("1\0" "2"));
	expect_err(f, 1, "EACCES");
	req(f, 1, XM_XS_IS_DOMAIN_INTRODUCED, 0, S("1"));
	expect_err(f, 1, "EACCES");
	req(f, 0, XM_XS_IS_DOMAIN_INTRODUCED, 0, S("5"));
	expect_data(f, 0, XM_XS_IS_DOMAIN_INTRODUCED, S("F"));
	req(f, 0, XM_XS_INTRODUCE, 0, S("5\0" "1234\0" "3"));
	expect_ok(f, 0, XM_XS_INTRODUCE);
	req(f, 0, XM_XS_IS_DOMAIN_INTRODUCED, 0, S("5"));
	expect_data(f, 0, XM_XS_IS_DOMAIN_INTRODUCED, S("T"));
	req(f, 0, XM_XS_RESUME, 0, S("5"));
	expect_ok(f, 0, XM_XS_RESUME);
	req(f, 0, XM_XS_RELEASE, 0, S("5"));
	expect_ok(f, 0, XM_XS_RELEASE);
	req(f, 0, XM_XS_RELEASE, 0, S("5"));
	expect_err(f, 0, "ENOENT");
	req(f, 0, XM_XS_RESUME, 0, S("5"));
	expect_err(f, 0, "ENOENT");
	assert_false(xs_is_introduced(f->st, 5));
}

/* Domain 1 acting for domain 2 (a device model): 2's nodes are its. */
static void
test_set_target(void **state)
{
	struct fx *f = *state;

	req(f, 1, XM_XS_WRITE, 0, W("/local/domain/2/data/x\0" "1"));
	expect_err(f, 1, "EACCES");
	req(f, 0, XM_XS_SET_TARGET, 0, S("1\0" "2"));
	expect_ok(f, 0, XM_XS_SET_TARGET);
	req(f, 1, XM_XS_WRITE, 0, W("/local/domain/2/data/x\0" "1"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 0, XM_XS_SET_TARGET, 0, S("9\0" "2"));
	expect_err(f, 0, "ENOENT");
}

static void
test_bad_requests(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"data/", "/local//domain", "data/a b", "data/\xc3\xa9",
		"", "data/a.b", "@other",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		req(f, 1, XM_XS_READ, 0, bad[i], strlen(bad[i]) + 1);
		expect_err(f, 1, "EINVAL");
	}
	/* A path must be NUL-terminated, and alone. */
	req(f, 1, XM_XS_READ, 0, W("data"));
	expect_err(f, 1, "EINVAL");
	req(f, 1, XM_XS_READ, 0, S("data\0data"));
	expect_err(f, 1, "EINVAL");
	req(f, 1, XM_XS_WRITE, 0, W("data/nonul"));
	expect_err(f, 1, "EINVAL");
	req(f, 1, XM_XS_WATCH, 0, S("data"));
	expect_err(f, 1, "EINVAL");
	/* Special names are for watches only. */
	req(f, 0, XM_XS_READ, 0, S("@releaseDomain"));
	expect_err(f, 0, "EINVAL");
	/* Unknown types, and the ones only the store sends. */
	req(f, 1, 20, 0, S("data"));
	expect_err(f, 1, "ENOSYS");
	req(f, 1, 1000, 0, S("data"));
	expect_err(f, 1, "ENOSYS");
	req(f, 1, XM_XS_WATCH_EVENT, 0, S("data\0t"));
	expect_err(f, 1, "ENOSYS");
	req(f, 1, XM_XS_ERROR, 0, S("EINVAL"));
	expect_err(f, 1, "ENOSYS");
	req(f, 1, XM_XS_CONTROL, 0, S("print\0hi"));
	expect_err(f, 1, "EACCES");
	req(f, 0, XM_XS_CONTROL, 0, S("print\0hi"));
	expect_err(f, 0, "EINVAL");	/* a command it does not have */
}

/*
 * XS_CONTROL from domain 0, as xenstore-control sends it: help, check
 * (the accounting counted again from the tree), quota to read the
 * limits and a domain's use and to change a limit, which then holds.
 */
static void
test_control(void **state)
{
	struct fx *f = *state;
	struct msg m;

	req(f, 0, XM_XS_CONTROL, 0, S("help"));
	answer(f, 0, &m);
	assert_int_equal(m.h.type, XM_XS_CONTROL);
	assert_non_null(strstr(m.pl, "quota"));
	req(f, 1, XM_XS_WRITE, 0, W("data/a\0" "1"));
	expect_ok(f, 1, XM_XS_WRITE);
	req(f, 0, XM_XS_CONTROL, 0, S("check"));
	expect_data(f, 0, XM_XS_CONTROL, "OK", 3);
	req(f, 0, XM_XS_CONTROL, 0, S("quota"));
	answer(f, 0, &m);
	assert_non_null(strstr(m.pl, "nodes 1000\n"));
	assert_non_null(strstr(m.pl, "node-size 2048\n"));
	req(f, 0, XM_XS_CONTROL, 0, S("quota\0" "1"));
	answer(f, 0, &m);
	assert_int_equal(m.h.type, XM_XS_CONTROL);
	assert_true(strncmp(m.pl, "nodes ", 6) == 0 && atoi(m.pl + 6) >= 2);
	req(f, 0, XM_XS_CONTROL, 0, S("quota\0" "77"));
	expect_err(f, 0, "ENOENT");
	req(f, 0, XM_XS_CONTROL, 0, S("quota\0node-size\0" "4"));
	expect_data(f, 0, XM_XS_CONTROL, "OK", 3);
	req(f, 1, XM_XS_WRITE, 0, W("data/a\0" "12345"));
	expect_err(f, 1, "ENOSPC");
	req(f, 0, XM_XS_CONTROL, 0, S("quota\0node-size\0" "0"));
	expect_err(f, 0, "EINVAL");
	req(f, 0, XM_XS_CONTROL, 0, S("quota\0bogus\0" "4"));
	expect_err(f, 0, "EINVAL");
	req(f, 0, XM_XS_CONTROL, 0, S("quota\0node-size\0" "4x"));
	expect_err(f, 0, "EINVAL");
	req(f, 0, XM_XS_CONTROL, 0, W("check"));	/* no NUL */
	expect_err(f, 0, "EINVAL");
	req(f, 0, XM_XS_CONTROL, 0, S("a\0b\0c\0d\0e"));
	expect_err(f, 0, "EINVAL");
	req(f, 0, XM_XS_CONTROL, 0, W(""));
	expect_err(f, 0, "EINVAL");
}

static void
test_path_lengths(void **state)
{
	struct fx *f = *state;
	char p[XM_XS_PAYLOAD_MAX];
	size_t n;

	/* Relative: 2048 bytes at most. */
	memset(p, 'a', sizeof(p));
	memcpy(p, "data/", 5);
	p[XM_XS_REL_PATH_MAX] = '\0';
	req(f, 1, XM_XS_MKDIR, 0, p, XM_XS_REL_PATH_MAX + 1);
	expect_ok(f, 1, XM_XS_MKDIR);
	p[XM_XS_REL_PATH_MAX] = 'a';
	p[XM_XS_REL_PATH_MAX + 1] = '\0';
	req(f, 1, XM_XS_MKDIR, 0, p, XM_XS_REL_PATH_MAX + 2);
	expect_err(f, 1, "EINVAL");
	/* Absolute: 3072. */
	memset(p, 'a', sizeof(p));
	n = (size_t)snprintf(p, sizeof(p), "/local/domain/1/data/");
	p[n] = 'a';
	p[XM_XS_ABS_PATH_MAX + 1] = '\0';
	req(f, 1, XM_XS_MKDIR, 0, p, XM_XS_ABS_PATH_MAX + 2);
	expect_err(f, 1, "EINVAL");
}

/* The toolstack's calls: absolute paths, domain 0's rights. */
static void
test_direct_calls(void **state)
{
	struct fx *f = *state;
	struct xs_perm *p, bad = { 1, 'x' };
	char **names, *v;
	size_t n, len;

	assert_int_equal(xs_write(f->st, "/vm/u/name", "web", 3), 0);
	assert_int_equal(xs_directory(f->st, "/vm/u", &names, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "name");
	assert_null(names[1]);
	free(names);
	assert_int_equal(xs_read(f->st, "/vm/u", &v, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(xs_read(f->st, "/vm/none", &v, &len), ENOENT);
	assert_int_equal(xs_directory(f->st, "/vm/none", &names, &n), ENOENT);
	assert_int_equal(xs_get_perms(f->st, "/vm/none", &p, &n), ENOENT);
	assert_int_equal(xs_set_perms(f->st, "/vm/u", &bad, 1), EINVAL);
	assert_int_equal(xs_set_perms(f->st, "/vm/u", &bad, 0), EINVAL);
	assert_int_equal(xs_read(f->st, "vm/u", &v, &len), EINVAL);
	assert_int_equal(xs_write(f->st, "/vm/u/", "", 0), EINVAL);
	assert_int_equal(xs_mkdir(f->st, "@introduceDomain"), EINVAL);
	assert_int_equal(xs_rm(f->st, "/"), EINVAL);
	assert_int_equal(xs_rm(f->st, "/vm/u"), 0);
	assert_int_equal(xs_rm(f->st, "/vm/u"), 0);	/* gone: fine */
	assert_int_equal(xs_rm(f->st, "/vm/u/name"), ENOENT);
	req(f, 1, XM_XS_GET_PERMS, 0, S("data/none"));
	expect_err(f, 1, "ENOENT");
	req(f, 2, XM_XS_DIRECTORY_PART, 0, S("/local/domain/1/data\0" "0"));
	expect_err(f, 2, "EACCES");
}

static void
test_reset_watches(void **state)
{
	struct fx *f = *state;

	req(f, 1, XM_XS_WATCH, 0, S("data\0t"));
	expect_ok(f, 1, XM_XS_WATCH);
	expect_event(f, 1, "data", "t");
	req(f, 1, XM_XS_RESET_WATCHES, 0, S(""));
	expect_ok(f, 1, XM_XS_RESET_WATCHES);
	assert_int_equal(xs_write(f->st, "/local/domain/1/data", "", 0), 0);
	expect_nothing(f, 1);
	req(f, 1, XM_XS_UNWATCH, 0, S("data\0t"));
	expect_err(f, 1, "ENOENT");
}

/*
 * Random bytes, and random headers of every type with random payloads,
 * never crash the store; every answer is well framed.  A fixed seed:
 * the same run each time.
 */
static void
test_garbage(void **state)
{
	struct fx *f = *state;
	unsigned char buf[256];
	uint64_t s = 0x2545f4914f6cdd1dULL;
	struct msg m;
	int i, d, broken = 0;
	size_t n, j;

	for (i = 0; i < 20000; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		d = 1 + (int)(s % 2);
		n = (size_t)(s >> 8) % sizeof(buf);
		for (j = 0; j < n; j++) {
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			buf[j] = (unsigned char)(s >> 24);
			/* Mostly path characters, some NULs. */
			if (s & 0x100)
				buf[j] = "/ab0_\0-@"[(s >> 32) & 7];
		}
		if (i & 1 && n >= 16) {
			struct xm_xs_hdr h = { (uint32_t)((s >> 40) % 24),
			    (uint32_t)i, (uint32_t)(s >> 20) % 3,
			    (uint32_t)(n - 16) };
			memcpy(buf, &h, sizeof(h));
		}
		if (xs_conn_input(f->c[d], buf, n) != 0) {
			broken++;
			xs_conn_free(f->c[d]);
			f->c[d] = xs_conn_new(f->st, (uint32_t)d, cap_send,
			    &f->cap[d]);
			assert_non_null(f->c[d]);
		}
		while (cap_pop(&f->cap[d], &m))
			;
		f->cap[d].len = 0;
	}
	assert_true(broken > 0);
	/* The store still works. */
	req(f, 0, XM_XS_READ, 0, S("/local/domain/1/data"));
	answer(f, 0, &m);
	assert_int_equal(m.h.type, XM_XS_READ);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_layout),
		cmocka_unit_test_setup_teardown(test_split_at_every_byte,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_two_in_one,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_oversized_header_ends_stream, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_read_write,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mkdir_rm_directory,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_directory_part,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_perms_on_wire,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_domain_ops,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_target,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_path_lengths,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_direct_calls,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reset_watches,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_control, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_garbage,
		    fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
