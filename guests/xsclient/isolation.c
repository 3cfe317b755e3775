/*
 * xsclient: another domain's tree is closed to this one.  The peer's
 * nodes are owned by it or by domain 0, readable by it alone, so every
 * read, write, listing and permission query is EACCES, whether the
 * node exists or not, and a relative path cannot climb out of ours.
 */

#include <stdint.h>

#include <klib/format.h>
#include <klib/parse.h>
#include <klib/string.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/test.h>
#include <guest/time.h>
#include <guest/xs.h>

#include "xsclient.h"

#define PEER_WAIT_MS	60000
#define SPY_WAIT_NS	(60 * NSEC_PER_SEC)

static char	buf[XSC_VAL_MAX];

/* "N /vm/UUID" (the vm part optional). */
static int
peer_parse(const char *s, unsigned int *peer, char *vm, size_t vmlen)
{
	const char *end;
	uint64_t n;

	if (kstrtou64(s, &end, 10, &n) != 0 || n == 0 || n > 0x7fef)
		return -1;
	*peer = (unsigned int)n;
	while (*end == ' ')
		end++;
	kstrlcpy(vm, end, vmlen);
	return 0;
}

int
xsc_wait_peer(unsigned int *peer, char *vm, size_t vmlen)
{
	char path[XS_EVENT_STR_MAX];
	uint64_t deadline = monotonic_ns() + PEER_WAIT_MS * NSEC_PER_MSEC;
	int rc = -1;

	if (xs_watch("data/peer", "peer") != 0)
		return -1;
	gprintf("xsclient: waiting for data/peer\n");
	while (monotonic_ns() < deadline) {
		if (xs_read(0, "data/peer", buf, sizeof(buf)) == 0 &&
		    peer_parse(buf, peer, vm, vmlen) == 0) {
			rc = 0;
			break;
		}
		(void)xsc_next_event(path, "peer", 1000);
	}
	(void)xs_unwatch("data/peer", "peer");
	xs_watch_flush();
	return rc;
}

/* The peer's domain tree: nothing of it is ours. */
static void
peer_tree(const char *home)
{
	char p[XSC_PATH_MAX];
	unsigned int n;

	TEST_OK(xsc_refused(xs_read(0, xsc_path(p, "%s/name", home), buf,
	    sizeof(buf)), "EACCES"), "read %s: EACCES", p);
	TEST_OK(xsc_refused(xs_read(0, xsc_path(p, "%s/data/secret", home),
	    buf, sizeof(buf)), "EACCES"), "read %s: EACCES", p);
	TEST_OK(xsc_refused(xs_write(0, xsc_path(p, "%s/data/evil", home),
	    "1"), "EACCES"), "write %s: EACCES", p);
	TEST_OK(xsc_refused(xs_write(0, xsc_path(p, "%s/evil", home), "1"),
	    "EACCES"), "write %s: EACCES", p);
	TEST_OK(xsc_refused(xs_write(0, xsc_path(p, "%s/control/shutdown",
	    home), "poweroff"), "EACCES"), "write %s: EACCES (no shutting "
	    "it down)", p);
	TEST_OK(xsc_refused(xs_mkdir(0, xsc_path(p, "%s/data/evil", home)),
	    "EACCES"), "mkdir %s: EACCES", p);
	TEST_OK(xsc_refused(xs_rm(0, xsc_path(p, "%s/data", home)),
	    "EACCES"), "rm %s: EACCES", p);
	TEST_OK(xsc_refused(xs_directory(0, home, buf, sizeof(buf), &n),
	    "EACCES"), "list %s: EACCES", home);
	TEST_OK(xsc_refused(xs_get_perms(0, xsc_path(p, "%s/data", home),
	    buf, sizeof(buf)), "EACCES"), "get perms of %s: EACCES", p);
}

static void
peer_vm(const char *vm)
{
	char p[XSC_PATH_MAX];
	unsigned int n;

	if (vm[0] == '\0') {
		test_diag("the peer's /vm path is not known: not tried");
		return;
	}
	TEST_OK(xsc_refused(xs_read(0, xsc_path(p, "%s/name", vm), buf,
	    sizeof(buf)), "EACCES"), "read %s: EACCES", p);
	TEST_OK(xsc_refused(xs_write(0, xsc_path(p, "%s/name", vm), "evil"),
	    "EACCES"), "write %s: EACCES", p);
	TEST_OK(xsc_refused(xs_directory(0, vm, buf, sizeof(buf), &n),
	    "EACCES"), "list %s: EACCES", vm);
}

void
xsc_isolation(unsigned int peer, const char *vm)
{
	char home[XSC_PATH_MAX], p[XSC_PATH_MAX];
	uint32_t tx;

	gprintf("xsclient: peer is domain %u (%s)\n", peer, vm);
	xsc_path(home, "/local/domain/%u", peer);
	peer_tree(home);
	peer_vm(vm);
	TEST_OK(xs_transaction_start(&tx) == 0 &&
	    xsc_refused(xs_write(tx, xsc_path(p, "%s/data/evil", home), "1"),
	    "EACCES") && xs_transaction_end(tx, 0) == 0,
	    "inside a transaction too");
	TEST_OK(xsc_refused(xs_read(0, xsc_path(p, "../%u/name", peer), buf,
	    sizeof(buf)), "EINVAL"), "a relative path cannot climb out (%s: "
	    "EINVAL)", p);
	TEST_OK(xs_write(0, "data/secret", xsc_self.name) == 0,
	    "its own data/secret, for the peer to fail to read");
}

/*
 * A watch on the peer's data is taken (xenstored checks permissions
 * when it fires, not when it watches), but a write there must not be
 * heard.  The test writes the peer's data/spied, then our
 * data/spycheck/now: events reach us in order, so by the second every
 * event the first could have caused has come.
 */
void
xsc_spy(unsigned int peer)
{
	char path[XS_EVENT_STR_MAX], token[XS_EVENT_STR_MAX];
	char p[XSC_PATH_MAX], spied[XSC_PATH_MAX];
	unsigned int heard = 0;
	int go = 0;

	xsc_path(p, "/local/domain/%u/data", peer);
	xsc_path(spied, "%s/spied", p);
	TEST_OK(xs_watch(p, "spy") == 0 && xs_watch("data/spycheck", "go") ==
	    0, "a watch on %s is taken", p);
	gprintf("xsclient: spying\n");
	while (!go && xs_watch_event(path, token, SPY_WAIT_NS) == 0) {
		if (kstrcmp(token, "spy") == 0 && kstrcmp(path, spied) == 0)
			heard++;
		go = kstrcmp(token, "go") == 0 &&
		    kstrcmp(path, "data/spycheck/now") == 0;
	}
	TEST_OK(go, "its own data/spycheck/now is heard");
	TEST_OK(go && heard == 0, "the peer's %s is not (%u events)", spied,
	    heard);
	(void)xs_unwatch(p, "spy");
	(void)xs_unwatch("data/spycheck", "go");
	xs_watch_flush();
}
