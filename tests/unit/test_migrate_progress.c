/*
 * libxmctl's migration with options (libxmctl/calls_save.c) against a
 * scripted xmd on a unix socket (a child process): the requests it
 * sends (events.subscribe and domain.state first when there is a
 * progress callback, domain.migrate's params), the migration.progress
 * notifications it hands to the callback while it waits for the answer
 * (its domain's, well-formed, in order; others' and malformed ones
 * dropped), and no callback once the call has returned.  The options
 * of 10:0:8 (bandwidth, persistent, undefine_source) are sent when set,
 * and a program built against 9:0:7, whose struct is smaller, has none
 * of them read.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "xmctl.h"

#define URI	"xm+unix:///var/lib/xm2/xmd.sock"

/* Notifications the fake xmd sends before it answers domain.migrate. */
static const char *const migrate_notes[] = {
	/* A lifecycle event: kept for events, not progress. */
	"{\"jsonrpc\":\"2.0\",\"method\":\"domain.paused\",\"params\":"
	"{\"event\":\"domain.paused\",\"domain\":\"web1\",\"id\":3,"
	"\"uuid\":\"00000000-0000-0000-0000-000000000001\","
	"\"timestamp\":\"2026-12-05T10:00:00.000Z\"}}",
	/* Another domain's progress. */
	"{\"jsonrpc\":\"2.0\",\"method\":\"migration.progress\",\"params\":"
	"{\"event\":\"migration.progress\",\"domain\":\"db1\",\"uri\":\"" URI
	"\",\"phase\":\"precopy\",\"round\":0,\"sent\":1,\"remaining\":2,"
	"\"dirty\":0,\"dirty_rate\":0,\"mbps\":1,\"bytes\":100}}",
	/* Without sent: dropped. */
	"{\"jsonrpc\":\"2.0\",\"method\":\"migration.progress\",\"params\":"
	"{\"event\":\"migration.progress\",\"domain\":\"web1\",\"uri\":\"" URI
	"\",\"phase\":\"precopy\",\"round\":0,\"remaining\":2,"
	"\"dirty\":0,\"dirty_rate\":0,\"mbps\":1,\"bytes\":100}}",
	/* web1's, as xmd's progress_event writes them. */
	"{\"jsonrpc\":\"2.0\",\"method\":\"migration.progress\",\"params\":"
	"{\"event\":\"migration.progress\",\"domain\":\"web1\",\"uri\":\"" URI
	"\",\"phase\":\"precopy\",\"round\":0,\"sent\":1024,"
	"\"remaining\":3072,\"dirty\":0,\"dirty_rate\":0,\"mbps\":95,"
	"\"bytes\":4300000}}",
	"{\"jsonrpc\":\"2.0\",\"method\":\"migration.progress\",\"params\":"
	"{\"event\":\"migration.progress\",\"domain\":\"web1\",\"uri\":\"" URI
	"\",\"phase\":\"stop-and-copy\",\"round\":3,\"sent\":4500,"
	"\"remaining\":12,\"dirty\":12,\"dirty_rate\":240,\"mbps\":80,"
	"\"bytes\":18500000,\"newer_key\":1}}",
	NULL,
};

/* Before the answer to domain.state: no callback is set yet. */
static const char *const state_notes[] = {
	migrate_notes[3], NULL,
};

struct fixture {
	char	 dir[64];
	char	 uri[128];	/* unix://DIR/xmd.sock */
	char	 log[128];	/* the requests the fake xmd read */
	pid_t	 pid;
};

static void
send_line(int fd, const char *s)
{
	size_t len = strlen(s);

	if (write(fd, s, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
		_exit(3);
}

static void
answer(int fd, struct json_object *id, const char *result)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "{\"jsonrpc\":\"2.0\",\"id\":%s,"
	    "\"result\":%s}", json_object_to_json_string(id), result);
	send_line(fd, buf);
}

static void
send_notes(int fd, const char *const *notes)
{
	for (; *notes != NULL; notes++)
		send_line(fd, *notes);
}

/* One request of the client's: its answer, notifications before it. */
static void
serve_one(int fd, const char *line)
{
	struct json_object *req = json_tokener_parse(line), *m, *id;
	const char *method;

	if (req == NULL || !json_object_object_get_ex(req, "method", &m) ||
	    !json_object_object_get_ex(req, "id", &id))
		_exit(4);
	method = json_object_get_string(m);
	if (strcmp(method, "events.subscribe") == 0)
		answer(fd, id, "{\"subscribed\":true}");
	else if (strcmp(method, "domain.state") == 0) {
		send_notes(fd, state_notes);
		answer(fd, id, "{\"domain\":\"web1\",\"state\":\"running\"}");
	} else if (strcmp(method, "domain.migrate") == 0) {
		send_notes(fd, migrate_notes);
		answer(fd, id, "{\"domain\":\"web1\",\"uri\":\"" URI "\","
		    "\"bytes\":18500000,\"total_ms\":1234}");
	} else if (strcmp(method, "domain.abortJob") == 0) {
		send_notes(fd, migrate_notes + 3);	/* after the call */
		answer(fd, id, "null");
	} else
		_exit(5);
	json_object_put(req);
}

/* The fake xmd: one client, its requests logged one a line. */
static void
serve(int lfd, const char *log)
{
	char line[4096];
	FILE *in, *out;
	int fd;

	if ((fd = accept(lfd, NULL, NULL)) < 0 ||
	    (in = fdopen(dup(fd), "r")) == NULL ||
	    (out = fopen(log, "w")) == NULL)
		_exit(2);
	while (fgets(line, sizeof(line), in) != NULL) {
		fputs(line, out);
		fflush(out);
		serve_one(fd, line);
	}
	_exit(0);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sockaddr_un sun;
	int lfd;

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/xm-test-mig.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->uri, sizeof(f->uri), "unix://%s/xmd.sock", f->dir);
	snprintf(f->log, sizeof(f->log), "%s/requests", f->dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/xmd.sock", f->dir);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0)
		serve(lfd, f->log);
	close(lfd);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];
	int status;

	if (f->pid > 0) {	/* a test failed with the client open */
		kill(f->pid, SIGTERM);
		waitpid(f->pid, &status, 0);
	}
	snprintf(path, sizeof(path), "%s/xmd.sock", f->dir);
	unlink(path);
	unlink(f->log);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* The callback's record: what it was handed. */
struct seen {
	int				 n;
	struct xmctl_migration_progress	 p[8];
};

static void
record(void *arg, const struct xmctl_migration_progress *p)
{
	struct seen *s = arg;

	if (s->n < 8)
		s->p[s->n] = *p;
	s->n++;
}

/* The requests' methods and params, once the client has closed. */
static struct json_object *
requests(struct fixture *f, int *status)
{
	struct json_object *all = json_object_new_array(), *o;
	char line[4096];
	FILE *in;

	waitpid(f->pid, status, 0);
	f->pid = -1;
	in = fopen(f->log, "r");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in) != NULL) {
		o = json_tokener_parse(line);
		assert_non_null(o);
		json_object_array_add(all, o);
	}
	fclose(in);
	return all;
}

static const char *
req_method(struct json_object *all, size_t i)
{
	struct json_object *m;

	json_object_object_get_ex(json_object_array_get_idx(all, i),
	    "method", &m);
	return json_object_get_string(m);
}

static struct json_object *
req_param(struct json_object *all, size_t i, const char *key)
{
	struct json_object *p, *v;

	json_object_object_get_ex(json_object_array_get_idx(all, i),
	    "params", &p);
	return json_object_object_get_ex(p, key, &v) ? v : NULL;
}

static void
test_live_progress(void **state)
{
	struct fixture *f = *state;
	struct xmctl_migrate_opts o;
	struct xmctl_migrated m;
	struct json_object *all;
	struct seen seen;
	struct xmctl *x;
	int status;

	memset(&seen, 0, sizeof(seen));
	memset(&o, 0, sizeof(o));
	o.live = 1;
	o.max_rounds = 5;
	o.max_downtime_ms = 100;
	o.timeout_s = 30;
	o.progress = record;
	o.progress_arg = &seen;
	assert_non_null(x = xmctl_new());
	assert_int_equal(xmctl_connect(x, f->uri), XMCTL_OK);
	assert_int_equal(xmctl_domain_migrate_opts(x, "3", URI, &o, &m),
	    XMCTL_OK);
	assert_string_equal(m.domain, "web1");
	assert_string_equal(m.uri, URI);
	assert_int_equal(m.bytes, 18500000);
	assert_int_equal(m.total_ms, 1234);

	/* web1's two, well-formed, in order; no more. */
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.p[0].domain, "web1");
	assert_string_equal(seen.p[0].uri, URI);
	assert_string_equal(seen.p[0].phase, "precopy");
	assert_int_equal(seen.p[0].round, 0);
	assert_int_equal(seen.p[0].sent, 1024);
	assert_int_equal(seen.p[0].remaining, 3072);
	assert_int_equal(seen.p[0].mbps, 95);
	assert_int_equal(seen.p[0].bytes, 4300000);
	assert_string_equal(seen.p[1].phase, "stop-and-copy");
	assert_int_equal(seen.p[1].round, 3);
	assert_int_equal(seen.p[1].sent, 4500);
	assert_int_equal(seen.p[1].remaining, 12);
	assert_int_equal(seen.p[1].dirty, 12);
	assert_int_equal(seen.p[1].dirty_rate, 240);
	assert_int_equal(seen.p[1].mbps, 80);
	assert_int_equal(seen.p[1].bytes, 18500000);

	/* After the call: the callback is not called any more. */
	assert_int_equal(xmctl_domain_abort_job(x, "web1"), XMCTL_OK);
	assert_int_equal(seen.n, 2);
	xmctl_free(x);

	all = requests(f, &status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(json_object_array_length(all), 4);
	assert_string_equal(req_method(all, 3), "domain.abortJob");
	assert_string_equal(req_method(all, 0), "events.subscribe");
	assert_string_equal(req_method(all, 1), "domain.state");
	assert_string_equal(json_object_get_string(req_param(all, 1,
	    "domain")), "3");
	assert_string_equal(req_method(all, 2), "domain.migrate");
	assert_string_equal(json_object_get_string(req_param(all, 2,
	    "domain")), "3");
	assert_string_equal(json_object_get_string(req_param(all, 2, "uri")),
	    URI);
	assert_true(json_object_get_boolean(req_param(all, 2, "live")));
	assert_int_equal(json_object_get_int(req_param(all, 2, "max_rounds")),
	    5);
	assert_int_equal(json_object_get_int(req_param(all, 2,
	    "max_downtime_ms")), 100);
	assert_int_equal(json_object_get_int(req_param(all, 2, "timeout")),
	    30);
	json_object_put(all);
}

/* xmctl_domain_migrate(): domain.migrate alone, stop and copy. */
static void
test_plain(void **state)
{
	struct fixture *f = *state;
	struct xmctl_migrated m;
	struct json_object *all;
	struct xmctl *x;
	int status;

	assert_non_null(x = xmctl_new());
	assert_int_equal(xmctl_connect(x, f->uri), XMCTL_OK);
	assert_int_equal(xmctl_domain_migrate(x, "web1", URI, 0, &m),
	    XMCTL_OK);
	assert_string_equal(m.domain, "web1");
	xmctl_free(x);

	all = requests(f, &status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(json_object_array_length(all), 1);
	assert_string_equal(req_method(all, 0), "domain.migrate");
	assert_null(req_param(all, 0, "live"));
	assert_null(req_param(all, 0, "max_rounds"));
	assert_null(req_param(all, 0, "max_downtime_ms"));
	assert_null(req_param(all, 0, "timeout"));
	json_object_put(all);
}

/* opts NULL is all zeros; a live one without a callback subscribes not. */
static void
test_no_callback(void **state)
{
	struct fixture *f = *state;
	struct xmctl_migrate_opts o;
	struct json_object *all;
	struct xmctl *x;
	int status;

	memset(&o, 0, sizeof(o));
	o.live = 1;
	assert_non_null(x = xmctl_new());
	assert_int_equal(xmctl_connect(x, f->uri), XMCTL_OK);
	assert_int_equal(xmctl_domain_migrate_opts(x, "web1", URI, NULL,
	    NULL), XMCTL_OK);
	assert_int_equal(xmctl_domain_migrate_opts(x, "web1", URI, &o, NULL),
	    XMCTL_OK);
	assert_int_equal(xmctl_domain_migrate_opts(x, "web1", NULL, &o, NULL),
	    XMCTL_E_ARG);
	xmctl_free(x);

	all = requests(f, &status);
	assert_int_equal(json_object_array_length(all), 2);
	assert_string_equal(req_method(all, 0), "domain.migrate");
	assert_null(req_param(all, 0, "live"));
	assert_string_equal(req_method(all, 1), "domain.migrate");
	assert_true(json_object_get_boolean(req_param(all, 1, "live")));
	json_object_put(all);
}

/* bandwidth, persistent and undefine_source: sent when set. */
static void
test_v10_options(void **state)
{
	struct fixture *f = *state;
	struct xmctl_migrate_opts o;
	struct json_object *all;
	struct xmctl *x;
	int status;

	memset(&o, 0, sizeof(o));
	o.bandwidth = 4;
	o.persistent = 1;
	o.undefine_source = 1;
	assert_non_null(x = xmctl_new());
	assert_int_equal(xmctl_connect(x, f->uri), XMCTL_OK);
	assert_int_equal(xmctl_domain_migrate_opts(x, "web1", URI, &o, NULL),
	    XMCTL_OK);
	o.bandwidth = 0;
	o.persistent = 0;
	assert_int_equal(xmctl_domain_migrate_opts_sized(x, "web1", URI, &o,
	    sizeof(o), NULL), XMCTL_OK);
	assert_int_equal(xmctl_domain_migrate_opts_sized(x, "web1", URI, &o,
	    XMCTL_MIGRATE_OPTS_SIZE_V9 - 1, NULL), XMCTL_E_ARG);
	xmctl_free(x);

	all = requests(f, &status);
	assert_int_equal(json_object_array_length(all), 2);
	assert_null(req_param(all, 0, "live"));
	assert_int_equal(json_object_get_int(req_param(all, 0, "bandwidth")),
	    4);
	assert_true(json_object_get_boolean(req_param(all, 0, "persistent")));
	assert_true(json_object_get_boolean(req_param(all, 0,
	    "undefine_source")));
	assert_null(req_param(all, 1, "bandwidth"));
	assert_null(req_param(all, 1, "persistent"));
	assert_true(json_object_get_boolean(req_param(all, 1,
	    "undefine_source")));
	json_object_put(all);
}

/*
 * A program built against libxmctl 9:0:7 calls the function of the old
 * name with the old, smaller struct: the library reads none of the
 * fields it lacks (here the struct ends where a page that cannot be
 * read begins).
 */
static void
test_v9_caller(void **state)
{
	struct fixture *f = *state;
	struct xmctl_migrate_opts *o;
	struct json_object *all;
	struct xmctl *x;
	long pg = sysconf(_SC_PAGESIZE);
	char *mem;
	int status;

	mem = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(mem != MAP_FAILED);
	assert_int_equal(mprotect(mem + pg, (size_t)pg, PROT_NONE), 0);
	o = (struct xmctl_migrate_opts *)(void *)(mem + pg -
	    XMCTL_MIGRATE_OPTS_SIZE_V9);
	memset(o, 0, XMCTL_MIGRATE_OPTS_SIZE_V9);
	o->live = 1;
	o->max_rounds = 7;
	assert_non_null(x = xmctl_new());
	assert_int_equal(xmctl_connect(x, f->uri), XMCTL_OK);
	assert_int_equal((xmctl_domain_migrate_opts)(x, "web1", URI, o, NULL),
	    XMCTL_OK);
	xmctl_free(x);
	munmap(mem, (size_t)pg * 2);

	all = requests(f, &status);
	assert_int_equal(json_object_array_length(all), 1);
	assert_true(json_object_get_boolean(req_param(all, 0, "live")));
	assert_int_equal(json_object_get_int(req_param(all, 0, "max_rounds")),
	    7);
	assert_null(req_param(all, 0, "bandwidth"));
	assert_null(req_param(all, 0, "persistent"));
	assert_null(req_param(all, 0, "undefine_source"));
	json_object_put(all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_live_progress, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_callback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_v10_options, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_v9_caller, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
