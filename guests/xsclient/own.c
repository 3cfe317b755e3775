/*
 * xsclient: the domain's own tree as the toolstack wrote it, its data/
 * directory, watches and transactions.
 */

#include <stdint.h>

#include <klib/format.h>
#include <klib/parse.h>
#include <klib/string.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/test.h>
#include <guest/xs.h>

#include "xsclient.h"

#define QUIET_MS	300	/* how long "no event" is waited for */
#define EVENT_MS	3000

static char	val[XSC_VAL_MAX];

static int
read_is(const char *path, const char *want)
{
	if (xs_read(0, path, val, sizeof(val)) != 0) {
		test_diag("read %s: %s", path, xs_error());
		return 0;
	}
	if (kstrcmp(val, want) != 0) {
		test_diag("read %s: \"%s\", expected \"%s\"", path, val, want);
		return 0;
	}
	return 1;
}

static int
read_number(const char *path, uint64_t *n)
{
	return xs_read(0, path, val, sizeof(val)) == 0 &&
	    kstrtou64(val, NULL, 10, n) == 0;
}

void
xsc_own_tree(void)
{
	char p[XSC_PATH_MAX], vm[XSC_PATH_MAX];
	uint64_t id, target = 0, max = 0;
	int ok;

	TEST_OK(read_number("domid", &id), "reads domid (relative path)");
	xsc_self.domid = (unsigned int)id;
	xsc_path(xsc_self.home, "/local/domain/%u", xsc_self.domid);
	if (TEST_OK(xs_read(0, "name", xsc_self.name,
	    sizeof(xsc_self.name)) == 0, "reads name"))
		gprintf("xsclient: I am '%s', domain %u\n", xsc_self.name,
		    xsc_self.domid);
	TEST_OK(read_is(xsc_path(p, "%s/name", xsc_self.home),
	    xsc_self.name), "reads %s (absolute) alike", p);
	TEST_OK(xs_get_domain_path(xsc_self.domid, p, sizeof(p)) == 0 &&
	    kstrcmp(p, xsc_self.home) == 0,
	    "GET_DOMAIN_PATH of its id is %s", xsc_self.home);
	ok = read_number("memory/target", &target) &&
	    read_number("memory/static-max", &max);
	TEST_OK(ok && target > 0 && target <= max, "memory/target (%lu KiB) "
	    "<= memory/static-max", (unsigned long)target);
	gprintf("xsclient: memory/target %lu\n", (unsigned long)target);
	TEST_OK(read_is("cpu/0/availability", "online"),
	    "cpu/0/availability is online");
	TEST_OK(xs_read(0, "vm", vm, sizeof(vm)) == 0 &&
	    kstrncmp(vm, "/vm/", 4) == 0 &&
	    read_is(xsc_path(p, "%s/name", vm), xsc_self.name),
	    "vm names /vm/UUID, whose name it can read");
	TEST_OK(xs_get_perms(0, "data", val, sizeof(val)) == 0 &&
	    kstrcmp(val, xsc_path(p, "n%u", xsc_self.domid)) == 0,
	    "data is its own (perms %s)", val);
}

void
xsc_data(void)
{
	unsigned int n;
	int rc;

	TEST_OK(xs_write(0, "data/x", "hello") == 0 &&
	    read_is("data/x", "hello"), "writes data/x and reads it back");
	rc = xs_write(0, "name", "impostor");
	TEST_OK(xsc_refused(rc, "EACCES"), "a write to name is refused "
	    "(EACCES)");
	TEST_OK(read_is("name", xsc_self.name), "... and name is unchanged");
	TEST_OK(xsc_refused(xs_rm(0, "domid"), "EACCES"),
	    "rm of domid is refused (EACCES)");
	TEST_OK(xs_mkdir(0, "data/d") == 0 && xs_directory(0, "data/d", val,
	    sizeof(val), &n) == 0 && n == 0, "mkdir data/d: an empty "
	    "directory");
	TEST_OK(xs_directory(0, "data", val, sizeof(val), &n) == 0 && n == 2,
	    "data lists its 2 children");
	TEST_OK(xs_rm(0, "data/x") == 0 &&
	    xsc_refused(xs_read(0, "data/x", val, sizeof(val)), "ENOENT"),
	    "rm data/x: then reading it is ENOENT");
	TEST_OK(xs_rm(0, "data/d") == 0 && xs_directory(0, "data", val,
	    sizeof(val), &n) == 0 && n == 0, "rm data/d: data is empty");
	TEST_OK(xsc_refused(xs_read(0, "data/never", val, sizeof(val)),
	    "ENOENT"), "a node that was never there: ENOENT");
}

/* Writes below the watched path fire it, a sibling does not. */
static void
watch_events(void)
{
	char path[XS_EVENT_STR_MAX];

	TEST_OK(kstrcmp(xsc_next_event(path, "w", EVENT_MS), "data/w") == 0,
	    "the new watch fires once at once (data/w)");
	(void)xs_write(0, "data/w/a", "1");
	TEST_OK(kstrcmp(xsc_next_event(path, "w", EVENT_MS), "data/w/a") == 0,
	    "a write to data/w/a fires it");
	(void)xs_write(0, "data/w/a", "2");
	TEST_OK(kstrcmp(xsc_next_event(path, "w", EVENT_MS), "data/w/a") == 0,
	    "... each write does");
	(void)xs_write(0, "data/wsibling", "1");
	TEST_OK(xsc_next_event(path, "w", QUIET_MS)[0] == '\0',
	    "a write to data/wsibling does not (got \"%s\")", path);
	(void)xs_rm(0, "data/w/a");
	TEST_OK(kstrcmp(xsc_next_event(path, "w", EVENT_MS), "data/w/a") == 0,
	    "rm of data/w/a fires it");
}

void
xsc_watches(void)
{
	char path[XS_EVENT_STR_MAX];

	xs_watch_flush();
	TEST_OK(xs_mkdir(0, "data/w") == 0 && xs_watch("data/w", "w") == 0,
	    "watch data/w");
	watch_events();
	TEST_OK(xs_unwatch("data/w", "w") == 0, "unwatch data/w");
	(void)xs_write(0, "data/w/b", "1");
	TEST_OK(xsc_next_event(path, "w", QUIET_MS)[0] == '\0',
	    "no event after unwatch (got \"%s\")", path);
	TEST_OK(xsc_refused(xs_unwatch("data/w", "w"), "ENOENT"),
	    "unwatch again: ENOENT");
	(void)xs_rm(0, "data/w");
	(void)xs_rm(0, "data/wsibling");
}

/* A transaction's writes are its own until commit; abort drops them. */
void
xsc_transactions(void)
{
	char path[XS_EVENT_STR_MAX];
	uint32_t tx = 0, t2 = 0;
	int ok;

	(void)xs_mkdir(0, "data/t");
	xs_watch_flush();
	(void)xs_watch("data/t", "t");
	(void)xsc_next_event(path, "t", EVENT_MS);	/* the first one */
	ok = xs_transaction_start(&tx) == 0;
	TEST_OK(ok && tx != 0, "transaction start (id %u)", tx);
	TEST_OK(xs_write(tx, "data/t/x", "1") == 0 &&
	    xsc_refused(xs_read(0, "data/t/x", val, sizeof(val)), "ENOENT"),
	    "a write in it is not seen outside");
	TEST_OK(xs_read(tx, "data/t/x", val, sizeof(val)) == 0 &&
	    kstrcmp(val, "1") == 0, "... but is inside");
	TEST_OK(xs_transaction_end(tx, 1) == 0 && read_is("data/t/x", "1"),
	    "commit: the write is seen");
	TEST_OK(kstrcmp(xsc_next_event(path, "t", EVENT_MS), "data/t/x") == 0,
	    "... and fires the watch");
	TEST_OK(xs_transaction_start(&tx) == 0 &&
	    xs_write(tx, "data/t/y", "1") == 0 &&
	    xs_transaction_end(tx, 0) == 0 &&
	    xsc_refused(xs_read(0, "data/t/y", val, sizeof(val)), "ENOENT"),
	    "abort: the write is not seen");
	TEST_OK(xsc_next_event(path, "t", QUIET_MS)[0] == '\0',
	    "... and fires nothing (got \"%s\")", path);
	TEST_OK(xs_transaction_start(&t2) == 0 &&
	    xs_read(t2, "data/t/x", val, sizeof(val)) == 0 &&
	    xs_write(0, "data/t/x", "outside") == 0 &&
	    xs_write(t2, "data/t/x", "inside") == 0 &&
	    xsc_refused(xs_transaction_end(t2, 1), "EAGAIN") &&
	    read_is("data/t/x", "outside"),
	    "a conflicting write outside: commit is EAGAIN, nothing applied");
	TEST_OK(xsc_refused(xs_transaction_end(t2, 1), "ENOENT"),
	    "the transaction is gone after it");
	(void)xs_unwatch("data/t", "t");
	(void)xs_rm(0, "data/t");
	xs_watch_flush();
}
